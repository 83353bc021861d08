"""An optional answer writer: an OpenAI-compatible chat model words the answer from the passages.

The model sees only the numbered passages retrieved for the question and must cite one of them
in every sentence. Its reply is checked before anyone sees it: a sentence citing nothing, or
citing a number it was not given, is dropped, because an uncited or wrongly cited claim is not
grounded in any report we hold. Any failure (network, timeout, HTTP error, a reply we cannot read,
or nothing left after checking) returns None, and the caller falls back to the extractive answer.

Only the standard library speaks HTTP here, so the writer adds no dependency.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.answer import format_date
from index.text import split_sentences

log = logging.getLogger(__name__)

# A chat reply of a few hundred tokens is a few kilobytes; anything near this is not one.
MAX_RESPONSE_BYTES = 1_000_000
_READ_BLOCK = 64 * 1024

SYSTEM_PROMPT = """\
You answer questions about football transfers for a news desk, using only the numbered news \
passages you are given.
- State only what the passages say. Do not add facts from memory, do not guess, do not invent.
- End every sentence with the number of each passage it relies on, in square brackets, \
like [2] or [1][3]. Cite only the numbers of the passages given.
- Say when each thing was reported, using the passage's date, and put the newest reports first.
- Where reports disagree, say so and cite each side.
- If the passages do not answer the question, say so.
- Be brief: a few plain sentences, one point per line, no headings."""

# "[2]", "[1][3]" and the "[1, 3]" some models write instead.
_CITATION_GROUP = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_LEADING_CITATIONS = re.compile(r"^(?:\[\d+(?:\s*,\s*\d+)*\]\s*)+")
# "sold.[1] The" would not split at the full stop: a space lets it.
_CITATION_AFTER_STOP = re.compile(r"""([.!?…]["'”’)]*)(?=\[\d)""")
_WORD = re.compile(r"\w")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
# Reasoning models served behind the same API may think aloud in the content.
_THINKING = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class WriterSettings:
    base_url: str = ""  # e.g. "http://127.0.0.1:8000/v1"; empty = writer off
    model: str = ""
    api_key_env: str = "TRANSFERDESK_LLM_API_KEY"  # the env var holding the key, if any
    timeout_seconds: float = 20.0
    max_tokens: int = 400
    temperature: float = 0.0

    @property
    def enabled(self) -> bool:
        return bool(self.base_url.strip())

    @property
    def completions_url(self) -> str:
        return self.base_url.strip().rstrip("/") + "/chat/completions"


@dataclass(frozen=True, slots=True)
class NumberedPassage:
    n: int
    title: str
    outlet: str | None
    published: date | None
    text: str


@dataclass(frozen=True, slots=True)
class WrittenAnswer:
    text: str  # only sentences citing at least one given [n], and only given numbers
    cited: tuple[int, ...]  # the numbers actually used, in first-use order
    dropped_sentences: int


class WriterFailure(Exception):
    """Why the writer produced no answer, in words fit for the log."""


class LLMWriter:
    """Writes answers through an OpenAI-compatible POST {base_url}/chat/completions."""

    def __init__(self, settings: WriterSettings) -> None:
        self.settings = settings
        self._opener = urllib.request.build_opener(_RefuseRedirects)

    def write(self, question: str, passages: Sequence[NumberedPassage]) -> WrittenAnswer | None:
        """The model's answer, keeping only correctly cited sentences; None on any failure.

        Synchronous (call it from a worker thread). Returns None on a connection error, timeout,
        HTTP error status, malformed JSON, empty content, or when no sentence survives citation
        checking, and logs a warning saying why (never the key).
        """
        if not passages:
            return None
        key = os.environ.get(self.settings.api_key_env, "").strip()
        try:
            content = self._complete(chat_messages(question, passages), key)
        except WriterFailure as failure:
            log.warning("LLM writer failed, using the extractive answer: %s", _redact(failure, key))
            return None
        answer = check_citations(content, {p.n for p in passages})
        if not answer.text:
            log.warning(
                "LLM writer failed, using the extractive answer: none of its %d sentences "
                "cited a passage it was given",
                answer.dropped_sentences,
            )
            return None
        if answer.dropped_sentences:
            log.info(
                "LLM writer: dropped %d sentences not citing a given passage",
                answer.dropped_sentences,
            )
        return answer

    def _complete(self, messages: list[dict[str, str]], key: str) -> str:
        """The content of the model's first choice; raises WriterFailure saying what went wrong."""
        url = self.settings.completions_url
        if not url.startswith(("http://", "https://")):
            raise WriterFailure(f"the base URL must start with http:// or https://, not {url!r}")
        request = urllib.request.Request(
            url, data=json.dumps(self._payload(messages)).encode(), headers=_headers(key)
        )
        timeout = self.settings.timeout_seconds
        deadline = time.monotonic() + timeout
        try:
            with self._opener.open(request, timeout=timeout) as response:
                body = _read_capped(response, deadline)
        except urllib.error.HTTPError as error:
            with error:
                raise WriterFailure(
                    f"{url} answered HTTP {error.code}{_error_detail(error)}"
                ) from error
        except (TimeoutError, urllib.error.URLError, http.client.HTTPException, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise WriterFailure(f"{url} did not answer within {timeout:g} s") from error
            raise WriterFailure(f"could not reach {url}: {reason}") from error
        return _content(body)

    def _payload(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        return {
            "model": self.settings.model,
            "messages": messages,
            "max_tokens": self.settings.max_tokens,
            "temperature": self.settings.temperature,
            "stream": False,
        }


def chat_messages(question: str, passages: Sequence[NumberedPassage]) -> list[dict[str, str]]:
    """The system instructions, then the question with the numbered passages to answer from."""
    numbered = "\n\n".join(format_passage(p) for p in passages)
    user = f"Question: {question.strip()}\n\nPassages:\n\n{numbered}"
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def format_passage(passage: NumberedPassage) -> str:
    """ "[n] title — outlet, date" then the text on the next line."""
    when = format_date(passage.published) if passage.published else "date unknown"
    source = ", ".join(part for part in (passage.outlet, when) if part)
    return f"[{passage.n}] {passage.title.strip()} — {source}\n{passage.text.strip()}"


def check_citations(content: str, given: Collection[int]) -> WrittenAnswer:
    """Keep the sentences that cite at least one passage, and only passages in `given`.

    A sentence with no [n] is a claim grounded in nothing we can show; one citing a number we did
    not give points at a report that does not exist. Both are dropped, and so is a citation
    standing alone, which claims nothing. Lines are kept as lines; "[1, 2]" is rewritten "[1][2]"
    so every answer cites one way.
    """
    kept_lines: list[str] = []
    cited: dict[int, None] = {}
    dropped = 0
    for line in _THINKING.sub("", content).splitlines():
        kept: list[str] = []
        for sentence in _sentences(_LIST_MARKER.sub("", line)):
            numbers = _cited_numbers(sentence)
            claim = _CITATION_GROUP.sub("", sentence)
            if not numbers or any(n not in given for n in numbers) or not _WORD.search(claim):
                dropped += 1
                continue
            kept.append(_CITATION_GROUP.sub(_one_bracket_each, sentence))
            cited.update(dict.fromkeys(numbers))
        if kept:
            kept_lines.append(" ".join(kept))
    return WrittenAnswer("\n".join(kept_lines), tuple(cited), dropped)


def _sentences(line: str) -> list[str]:
    """The line's sentences, each with the citations written after its full stop."""
    sentences: list[str] = []
    for sentence in split_sentences(_CITATION_AFTER_STOP.sub(r"\1 ", line)):
        leading = _LEADING_CITATIONS.match(sentence)
        if leading and sentences:
            sentences[-1] += " " + leading.group().strip()
            sentence = sentence[leading.end() :].strip()
        if sentence:
            sentences.append(sentence)
    return sentences


def _cited_numbers(sentence: str) -> list[int]:
    return [int(n) for group in _CITATION_GROUP.findall(sentence) for n in group.split(",")]


def _one_bracket_each(match: re.Match[str]) -> str:
    return "".join(f"[{int(n)}]" for n in match.group(1).split(","))


def _headers(key: str) -> dict[str, str]:
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "User-Agent": "TransferDesk",
    }
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return headers


def _read_capped(response: http.client.HTTPResponse, deadline: float) -> bytes:
    """The body, refusing more than MAX_RESPONSE_BYTES or a trickle past the deadline."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
        raise WriterFailure(f"the reply is {int(declared)} bytes, over the limit")
    body = bytearray()
    while block := response.read1(_READ_BLOCK):
        body += block
        if len(body) > MAX_RESPONSE_BYTES:
            raise WriterFailure(f"the reply is over {MAX_RESPONSE_BYTES} bytes")
        # The socket timeout bounds each read, not the whole reply.
        if time.monotonic() > deadline:
            raise WriterFailure("the reply took longer than the timeout to arrive")
    return bytes(body)


def _content(body: bytes) -> str:
    try:
        content = json.loads(body)["choices"][0]["message"]["content"]
    except ValueError:
        raise WriterFailure("the reply is not JSON") from None
    except (KeyError, IndexError, TypeError):
        raise WriterFailure("the reply has no choices[0].message.content") from None
    if not isinstance(content, str) or not content.strip():
        raise WriterFailure("the reply's content is empty")
    return content


def _error_detail(error: urllib.error.HTTPError) -> str:
    """ ": message" from an OpenAI-style error body ("model not found"), if there is one."""
    try:
        message = json.loads(error.read(4096))["error"]["message"]
    except (ValueError, KeyError, TypeError, OSError, http.client.HTTPException):
        return ""
    return f": {str(message)[:200]}" if message else ""


def _redact(failure: WriterFailure, key: str) -> str:
    """The failure's message, never showing the key (some servers echo a rejected key back)."""
    message = str(failure)
    return message.replace(key, "***") if key else message


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would carry the key to another URL; a chat endpoint has no reason to send one."""

    def redirect_request(self, req, fp, code, msg, headers, newurl) -> None:
        return None
