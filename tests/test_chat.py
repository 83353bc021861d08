"""The terminal chat offers the bot's commands without Discord, on the same engine."""

import subprocess
import sys
from pathlib import Path

import pytest

from bot.chat import HELP, QUIT, ChatSession
from bot.commands import Engine
from bot.config import load_settings


@pytest.fixture
def session(tmp_path: Path, articles_dir: Path, warm_model):
    engine = Engine(load_settings(data_dir=str(tmp_path / "data")))
    engine.add_source(str(articles_dir))
    engine.reindex()
    yield ChatSession(engine)
    engine.close()


def test_a_plain_question_is_answered_with_sources(session):
    reply = session.reply("Is Allegri leaving Milan?")
    assert "[1]" in reply and "Sources:\n[1] Allegri weighs Milan exit" in reply


def test_slash_ask_is_the_same_as_a_plain_question(session):
    assert session.reply("/ask Is Allegri leaving Milan?") == session.reply(
        "Is Allegri leaving Milan?"
    )


def test_rumours_about_a_club(session):
    reply = session.reply("/rumours Real Madrid")
    assert reply.startswith("2026-02-01 — Test Madrid Daily — bid: Real Madrid make opening bid")


def test_status_sources_and_help(session):
    assert session.reply("/status").startswith("articles: 4")
    assert "#1 articles [dir]" in session.reply("/sources")
    assert session.reply("/help") == HELP


def test_reindex_reports_what_changed(session):
    assert session.reply("/reindex").startswith("added 0, updated 0, removed 0, unchanged 4")


def test_mistakes_get_a_friendly_line(session):
    assert (
        session.reply("/transfer Haaland") == "Unknown command /transfer. Type /help for the list."
    )
    assert session.reply("/ask").startswith("Ask a question, for example")
    assert session.reply("   ") == ""
    assert "please keep it under 500" in session.reply("x" * 600)


def test_quit_ends_the_session(session):
    assert session.reply("/quit") is QUIT
    assert session.reply("/exit") is QUIT


def test_chat_runs_from_the_cli_on_piped_input(tmp_path: Path, articles_dir: Path):
    data = ["--data-dir", str(tmp_path / "d")]
    subprocess.run(
        [sys.executable, "-m", "bot", *data, "sources", "add", str(articles_dir)], check=True
    )
    subprocess.run([sys.executable, "-m", "bot", *data, "reindex"], check=True, capture_output=True)
    result = subprocess.run(
        [sys.executable, "-m", "bot", *data, "chat"],
        input="Has Haaland signed a new contract?\n/status\n/quit\nnever read\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "[1] Haaland signs new Manchester City contract" in result.stdout
    assert "articles: 4" in result.stdout
