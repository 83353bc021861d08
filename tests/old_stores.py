"""Helpers for upgrade tests: a store as an earlier release left it."""

import sqlite3
from pathlib import Path

from index.migrations import MIGRATIONS, migrate


def store_from_before(path: Path, migrations_applied: int, title: str, text: str) -> None:
    """A database with only the first `migrations_applied` migrations, holding one article of
    one chunk."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:migrations_applied])
    conn.execute(
        "INSERT INTO sources (kind, location, name, added_at) VALUES ('dir', '/x', 'x', 'now')"
    )
    conn.execute(
        "INSERT INTO articles (source_id, key, title, fetched, content_hash, text) "
        "VALUES (1, 'k', ?, 'now', 'h', ?)",
        (title, text),
    )
    conn.execute("INSERT INTO chunks (article_id, position, text) VALUES (1, 0, ?)", (text,))
    conn.close()
