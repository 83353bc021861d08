"""Schema changes, applied once each, in order. Never edit a shipped migration; add the next."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from index.names import printed_names

log = logging.getLogger(__name__)


_M001_STATEMENTS = [
    """CREATE TABLE sources (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        location TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        added_at TEXT NOT NULL,
        last_indexed TEXT,
        last_error TEXT
    )""",
    # AUTOINCREMENT everywhere: an id is never reused, so a stale FAISS vector can never point
    # at a newer chunk that happens to get the same id.
    """CREATE TABLE articles (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key TEXT NOT NULL UNIQUE,
        url TEXT,
        title TEXT NOT NULL,
        outlet TEXT,
        author TEXT,
        published TEXT,
        fetched TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        text TEXT NOT NULL
    )""",
    "CREATE INDEX articles_by_source ON articles(source_id)",
    "CREATE INDEX articles_by_published ON articles(published)",
    """CREATE TABLE chunks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL
    )""",
    "CREATE INDEX chunks_by_article ON chunks(article_id)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]


def m001_initial(conn: sqlite3.Connection) -> None:
    for statement in _M001_STATEMENTS:
        conn.execute(statement)


def m002_web_sources(conn: sqlite3.Connection) -> None:
    for statement in [
        "ALTER TABLE sources ADD COLUMN outlet TEXT",
        "ALTER TABLE sources ADD COLUMN tier INTEGER",
        "ALTER TABLE sources ADD COLUMN failures INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE sources ADD COLUMN last_failure TEXT",
        "ALTER TABLE sources ADD COLUMN etag TEXT",
        "ALTER TABLE sources ADD COLUMN last_modified TEXT",
        "ALTER TABLE articles ADD COLUMN entry_link TEXT",
        "ALTER TABLE articles ADD COLUMN entry_fingerprint TEXT",
        "ALTER TABLE articles ADD COLUMN summary_only INTEGER NOT NULL DEFAULT 0",
    ]:
        conn.execute(statement)


def m003_lexical_search(conn: sqlite3.Connection) -> None:
    """A full-text (BM25) index of the chunks, kept in step by triggers in the same transaction."""
    for statement in [
        "CREATE VIRTUAL TABLE chunks_fts USING fts5("
        "title, text, tokenize = 'unicode61 remove_diacritics 2')",
        "CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN "
        "INSERT INTO chunks_fts (rowid, title, text) "
        "VALUES (new.id, (SELECT title FROM articles WHERE id = new.article_id), new.text); END",
        "CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN "
        "DELETE FROM chunks_fts WHERE rowid = old.id; END",
        "INSERT INTO chunks_fts (rowid, title, text) "
        "SELECT c.id, a.title, c.text FROM chunks c JOIN articles a ON a.id = c.article_id",
    ]:
        conn.execute(statement)


def m004_printed_names(conn: sqlite3.Connection) -> None:
    """The names each chunk prints, under their initials (see `index.names`), for the chunks
    already stored; the store writes them with every new chunk."""
    conn.execute(
        "CREATE TABLE chunk_names ("
        "chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE, "
        "initials TEXT NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL)"
    )
    conn.execute("CREATE INDEX chunk_names_by_initials ON chunk_names(initials)")
    conn.execute("CREATE INDEX chunk_names_by_chunk ON chunk_names(chunk_id)")
    for chunk_id, text in conn.execute("SELECT id, text FROM chunks"):
        record_printed_names(conn, chunk_id, text)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    m001_initial,
    m002_web_sources,
    m003_lexical_search,
    m004_printed_names,
]


def record_printed_names(conn: sqlite3.Connection, chunk_id: int, text: str) -> None:
    """Store the names a chunk prints under their initials (see `index.names`). Rows counted
    by an earlier version of `printed_names` are not recounted when it changes."""
    conn.executemany(
        "INSERT INTO chunk_names (chunk_id, initials, name, count) VALUES (?, ?, ?, ?)",
        [(chunk_id, letters, name, n) for (letters, name), n in printed_names(text).items()],
    )


def migrate(
    conn: sqlite3.Connection, migrations: list[Callable[[sqlite3.Connection], None]] = MIGRATIONS
) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
    )
    applied = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
    for migration in migrations:
        if migration.__name__ in applied:
            continue
        # The connection is in autocommit mode, so the explicit transaction makes each
        # migration and its record land together or not at all.
        conn.execute("BEGIN IMMEDIATE")
        # Another process may have applied it while this one waited for the write lock.
        if conn.execute(
            "SELECT 1 FROM schema_migrations WHERE name = ?", (migration.__name__,)
        ).fetchone():
            conn.execute("COMMIT")
            continue
        log.info("applying migration %s", migration.__name__)
        try:
            migration(conn)
            conn.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                (migration.__name__, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
