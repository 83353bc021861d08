"""`transferdesk chat`: the bot's commands in a terminal, so anyone can try it without a token."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import TextIO

from bot import render
from bot.commands import Engine
from index.errors import TransferDeskError

HELP = """Ask a question in plain words, or use a command:
  /ask QUESTION          the same as typing the question
  /rumours [ABOUT]       the latest reports, optionally about a club or player
  /timeline SUBJECT      dated reports about a player or club with their status
  /sources               the sources and their health
  /status                what the index holds
  /reindex               bring the index up to date with the sources
  /help                  this text
  /quit                  leave (Ctrl-D works too)"""

QUIT = object()


class ChatSession:
    """Turns one line of input into one reply, using the same engine as the CLI and Discord."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._commands: dict[str, Callable[[str], str]] = {
            "ask": self._ask,
            "rumours": self._rumours,
            "rumors": self._rumours,
            "timeline": self._timeline,
            "sources": lambda _: render.sources_text(self.engine.list_sources()),
            "status": lambda _: render.stats_text(self.engine.stats()),
            "reindex": lambda _: render.report_text(self.engine.reindex()),
            "help": lambda _: HELP,
        }

    def reply(self, line: str) -> str | object:
        line = line.strip()
        if not line:
            return ""
        if not line.startswith("/"):
            return self._ask(line)
        name, _, rest = line[1:].partition(" ")
        if name.lower() in ("quit", "exit"):
            return QUIT
        command = self._commands.get(name.lower())
        if command is None:
            return f"Unknown command /{name}. Type /help for the list."
        try:
            return command(rest.strip())
        except TransferDeskError as error:
            return str(error)

    def _ask(self, question: str) -> str:
        try:
            return render.answer_text(self.engine.ask(question))
        except TransferDeskError as error:
            return str(error)

    def _rumours(self, argument: str) -> str:
        about = _unquoted(argument) or None
        return render.rumours_text(self.engine.rumours(about, limit=10), about)

    def _timeline(self, argument: str) -> str:
        subject = _unquoted(argument)
        return render.timeline_text(self.engine.timeline(subject), subject)


def _unquoted(argument: str) -> str:
    """ "Real Madrid" or Real Madrid alike; a lone apostrophe (O'Neill) is kept."""
    try:
        return " ".join(shlex.split(argument))
    except ValueError:
        return " ".join(argument.split())


def run_chat(engine: Engine, stdin: TextIO, stdout: TextIO, interactive: bool) -> int:
    session = ChatSession(engine)
    if interactive:
        print(
            "TransferDesk chat. Ask about transfers; /help lists commands, /quit leaves.",
            file=stdout,
        )
    while True:
        if interactive:
            print("you> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            return 0
        reply = session.reply(line)
        if reply is QUIT:
            return 0
        if reply:
            print(reply, end="\n\n", file=stdout, flush=True)
