"""The bot's own store survives being closed while worker threads still write to it."""

import sqlite3
import threading
from pathlib import Path

import pytest

from bot.discord_app.state import BotState


def test_closing_while_answers_are_being_recorded_leaves_late_writes_a_clear_error(
    tmp_path: Path,
):
    state = BotState(tmp_path / "transferdesk.db")
    errors: list[BaseException] = []
    started = threading.Event()

    def record_many() -> None:
        try:
            for n in range(100_000):
                state.record_answer(n, 1, 2, "Is Kane off?", "No reports.", [])
                started.set()
        except sqlite3.ProgrammingError as error:
            errors.append(error)

    writer = threading.Thread(target=record_many)
    writer.start()
    started.wait(timeout=10)
    state.close()
    writer.join(timeout=30)
    assert not writer.is_alive()
    assert errors, "a write after close is refused"
    with pytest.raises(sqlite3.ProgrammingError):
        state.record_answer(0, 1, 2, "Is Kane off?", "No reports.", [])


def test_answers_recorded_before_closing_are_kept(tmp_path: Path):
    state = BotState(tmp_path / "transferdesk.db")
    state.record_answer(7, 1, 2, "Is Kane off?", "No reports.", [])
    state.record_vote(7, 99, 1)
    state.close()
    reopened = BotState(tmp_path / "transferdesk.db")
    assert [(f.message_id, f.question, f.up) for f in reopened.feedback()] == [
        (7, "Is Kane off?", 1)
    ]
    reopened.close()
