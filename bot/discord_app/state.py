"""What the bot remembers per guild: settings, watches, answers and votes.

Kept in the index's SQLite file, in tables of the bot's own (migrations named `bot_m...`), so
`index/` stays unaware of Discord and everything survives restarts in one place.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.migrations import migrate
from index.store import now_iso

_BOT_M001 = [
    """CREATE TABLE guild_settings (
        guild_id INTEGER PRIMARY KEY,
        answer_channel_ids TEXT NOT NULL DEFAULT '[]',
        private_by_default INTEGER NOT NULL DEFAULT 0,
        cooldown_seconds REAL,
        answer_in_threads INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE watches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guild_id INTEGER NOT NULL,
        channel_id INTEGER NOT NULL,
        about TEXT NOT NULL,
        created_by INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        last_article_id INTEGER NOT NULL,
        UNIQUE (guild_id, channel_id, about)
    )""",
    """CREATE TABLE answers (
        message_id INTEGER PRIMARY KEY,
        guild_id INTEGER,
        channel_id INTEGER NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        citations TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE votes (
        message_id INTEGER NOT NULL REFERENCES answers(message_id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        vote INTEGER NOT NULL,
        voted_at TEXT NOT NULL,
        PRIMARY KEY (message_id, user_id)
    )""",
    "CREATE TABLE bot_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]


def bot_m001_initial(conn: sqlite3.Connection) -> None:
    for statement in _BOT_M001:
        conn.execute(statement)


BOT_MIGRATIONS = [bot_m001_initial]


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    answer_channel_ids: tuple[int, ...] = ()  # empty: mentions are answered in every channel
    private_by_default: bool = False
    cooldown_seconds: float | None = None  # None: the config's default
    answer_in_threads: bool = False


@dataclass(frozen=True, slots=True)
class Watch:
    id: int
    guild_id: int
    channel_id: int
    about: str
    last_article_id: int


@dataclass(frozen=True, slots=True)
class AnswerFeedback:
    message_id: int
    question: str
    answer: str
    citations: list[dict] = field(default_factory=list)
    up: int = 0
    down: int = 0
    created_at: str = ""


class BotState:
    def __init__(self, database: Path) -> None:
        self._conn = sqlite3.connect(
            database, isolation_level=None, check_same_thread=False, timeout=30
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        migrate(self._conn, BOT_MIGRATIONS)
        self._lock = threading.Lock()
        # Read on every message, so kept in memory (written through on every change).
        self._guild_settings: dict[int, GuildSettings] = {}

    def close(self) -> None:
        # Under the lock: closing the connection while a worker thread runs a statement on it
        # crashes the process; once closed, a late write raises sqlite3.ProgrammingError.
        with self._lock:
            self._conn.close()

    def _run(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # --- guild settings ---------------------------------------------------------------------
    def guild_settings(self, guild_id: int) -> GuildSettings:
        cached = self._guild_settings.get(guild_id)
        if cached is None:
            cached = self._guild_settings[guild_id] = self._load_guild_settings(guild_id)
        return cached

    def _load_guild_settings(self, guild_id: int) -> GuildSettings:
        rows = self._run(
            "SELECT answer_channel_ids, private_by_default, cooldown_seconds, answer_in_threads "
            "FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        )
        if not rows:
            return GuildSettings(guild_id)
        channels, private, cooldown, threads = rows[0]
        return GuildSettings(
            guild_id, tuple(json.loads(channels)), bool(private), cooldown, bool(threads)
        )

    def save_guild_settings(self, settings: GuildSettings) -> None:
        self._guild_settings[settings.guild_id] = settings
        self._run(
            "INSERT INTO guild_settings (guild_id, answer_channel_ids, private_by_default, "
            "cooldown_seconds, answer_in_threads) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(guild_id) DO UPDATE SET answer_channel_ids = excluded.answer_channel_ids, "
            "private_by_default = excluded.private_by_default, "
            "cooldown_seconds = excluded.cooldown_seconds, "
            "answer_in_threads = excluded.answer_in_threads",
            (
                settings.guild_id,
                json.dumps(list(settings.answer_channel_ids)),
                int(settings.private_by_default),
                settings.cooldown_seconds,
                int(settings.answer_in_threads),
            ),
        )

    # --- watches ----------------------------------------------------------------------------
    def add_watch(
        self, guild_id: int, channel_id: int, about: str, user_id: int, newest_article_id: int
    ) -> bool:
        """Watch `about` in a channel from now on; False if it was already watched there."""
        with self._lock:
            cursor = self._conn.execute(
                "INSERT OR IGNORE INTO watches (guild_id, channel_id, about, created_by, "
                "created_at, last_article_id) VALUES (?, ?, ?, ?, ?, ?)",
                (guild_id, channel_id, about, user_id, now_iso(), newest_article_id),
            )
            return cursor.rowcount == 1

    def remove_watch(self, guild_id: int, channel_id: int, about: str) -> bool:
        with self._lock:
            cursor = self._conn.execute(
                "DELETE FROM watches "
                "WHERE guild_id = ? AND channel_id = ? AND about = ? COLLATE NOCASE",
                (guild_id, channel_id, about),
            )
            return cursor.rowcount > 0

    def watches(self, guild_id: int | None = None) -> list[Watch]:
        sql = "SELECT id, guild_id, channel_id, about, last_article_id FROM watches"
        rows = (
            self._run(sql + " WHERE guild_id = ? ORDER BY about", (guild_id,))
            if guild_id
            else self._run(sql + " ORDER BY id")
        )
        return [Watch(*row) for row in rows]

    def advance_watch(self, watch_id: int, last_article_id: int) -> None:
        self._run(
            "UPDATE watches SET last_article_id = ? WHERE id = ?", (last_article_id, watch_id)
        )

    # --- answers and votes ------------------------------------------------------------------
    def record_answer(
        self,
        message_id: int,
        guild_id: int | None,
        channel_id: int,
        question: str,
        answer: str,
        citations: list[dict],
    ) -> None:
        self._run(
            "INSERT OR REPLACE INTO answers (message_id, guild_id, channel_id, question, answer, "
            "citations, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (message_id, guild_id, channel_id, question, answer, json.dumps(citations), now_iso()),
        )

    def record_vote(self, message_id: int, user_id: int, vote: int) -> bool:
        """Store a member's 👍 (+1) or 👎 (-1) on an answer; a second vote replaces the first."""
        if not self._run("SELECT 1 FROM answers WHERE message_id = ?", (message_id,)):
            return False
        self._run(
            "INSERT INTO votes (message_id, user_id, vote, voted_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(message_id, user_id) "
            "DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
            (message_id, user_id, vote, now_iso()),
        )
        return True

    def feedback(self) -> list[AnswerFeedback]:
        rows = self._run(
            "SELECT a.message_id, a.question, a.answer, a.citations, "
            "COALESCE(SUM(v.vote = 1), 0), COALESCE(SUM(v.vote = -1), 0), a.created_at "
            "FROM answers a JOIN votes v ON v.message_id = a.message_id "
            "GROUP BY a.message_id ORDER BY a.created_at, a.message_id"
        )
        return [
            AnswerFeedback(mid, question, answer, json.loads(citations), up, down, created)
            for mid, question, answer, citations, up, down, created in rows
        ]

    # --- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._run("SELECT value FROM bot_meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._run(
            "INSERT INTO bot_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
