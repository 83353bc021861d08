"""The SQLite metadata store: sources, articles and chunks. The source of truth.

The FAISS vectors and the lexical (tantivy) index are derived from the chunks stored here and
are repaired from them when they disagree (see `index.library`).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from index.chunk import embedding_header
from index.errors import SourceError, StoreBusyError, TransferDeskError
from index.migrations import migrate, record_printed_names
from index.models import Article, ArticleSummary, Passage, SourceRecord


@dataclass(frozen=True, slots=True)
class StoredArticleState:
    article_id: int
    source_id: int
    content_hash: str


@dataclass(frozen=True, slots=True)
class ArticleWrite:
    """An article to insert or replace, with its new chunk texts."""

    article: Article
    existing_id: int | None
    chunks: Sequence[str]


@dataclass(frozen=True, slots=True)
class ChunkForEmbedding:
    chunk_id: int
    header: str
    text: str


@dataclass(frozen=True, slots=True)
class ChunkText:
    """What the lexical index holds of a chunk."""

    chunk_id: int
    article_id: int
    title: str
    text: str


BUSY_TIMEOUT_SECONDS = 30.0  # how long a write waits for another process's write to end


class StoreDamagedError(TransferDeskError):
    """The database file is damaged; `transferdesk repair` rescues what can still be read."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def database_error(path: Path, error: sqlite3.DatabaseError) -> TransferDeskError | None:
    """The user's reading of a failure of the database file itself; None for other errors."""
    code = getattr(error, "sqlite_errorname", "")
    if code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return StoreDamagedError(
            f"the article database {path} is damaged ({error}); run `transferdesk repair` to "
            "rescue what can still be read into a new database (the damaged file is kept), or "
            "restore the file from a backup",
            path,
        )
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreBusyError(
            f"the index is locked by another process: the article database {path} stayed "
            f"locked for more than {BUSY_TIMEOUT_SECONDS:g} s; try again when that process ends"
        )
    if code == "SQLITE_FULL":
        return TransferDeskError(
            f"the disk holding {path} is full; the failed write was rolled back and the "
            "database is unchanged: free some space and run the command again"
        )
    if code.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM")):
        return TransferDeskError(f"cannot read or write the article database {path}: {error}")
    return None


class Store:
    """Thread-safe access to the SQLite database; every write is one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._conn = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            migrate(self._conn)
        except sqlite3.DatabaseError as error:
            raise database_error(path, error) or TransferDeskError(
                f"cannot open the article database {path}: {error}"
            ) from error
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._speaking_errors():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:  # SQLite already rolled back after SQLITE_FULL
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock, self._speaking_errors():
            return self._conn.execute(sql, params).fetchall()

    @contextmanager
    def _speaking_errors(self) -> Iterator[None]:
        """A damaged, locked or full database file raises an error that says what to do."""
        try:
            yield
        except sqlite3.DatabaseError as error:
            translated = database_error(self.path, error)
            if translated is None:
                raise
            raise translated from error

    # --- meta -----------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # --- sources --------------------------------------------------------------------------
    def add_source(
        self,
        kind: str,
        location: str,
        name: str,
        outlet: str | None = None,
        tier: int | None = None,
    ) -> SourceRecord:
        existing = self.find_source(location)
        if existing:
            raise SourceError(f"{location} is already source #{existing.id} ({existing.name})")
        if any(source.name == name for source in self.list_sources()):
            raise SourceError(f"a source named {name!r} already exists; choose another --name")
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO sources (kind, location, name, added_at, outlet, tier) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (kind, location, name, now_iso(), outlet, tier),
            )
        return self.get_source(int(cursor.lastrowid))

    def list_sources(self) -> list[SourceRecord]:
        rows = self._query(
            "SELECT s.id, s.kind, s.location, s.name, s.added_at, s.last_indexed, s.last_error, "
            "(SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id), "
            "s.outlet, s.tier, s.failures, s.last_failure, s.etag, s.last_modified "
            "FROM sources s ORDER BY s.id"
        )
        return [SourceRecord(*row) for row in rows]

    def get_source(self, source_id: int) -> SourceRecord:
        for source in self.list_sources():
            if source.id == source_id:
                return source
        raise SourceError(f"no source with id {source_id}; `transferdesk sources list` shows them")

    def find_source(self, location: str) -> SourceRecord | None:
        return next((s for s in self.list_sources() if s.location == location), None)

    def remove_source(self, source_id: int) -> list[int]:
        """Delete a source with its articles; returns the ids of the chunks that went with it."""
        self.get_source(source_id)
        with self.transaction() as conn:
            chunk_ids = _chunk_ids_of_source(conn, source_id)
            conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        return chunk_ids

    def record_source_success(
        self, source_id: int, etag: str | None = None, last_modified: str | None = None
    ) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE sources SET last_indexed = ?, last_error = NULL, failures = 0, "
                "etag = ?, last_modified = ? WHERE id = ?",
                (now_iso(), etag, last_modified, source_id),
            )

    def record_source_failure(self, source_id: int, error: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE sources SET last_error = ?, failures = failures + 1, last_failure = ? "
                "WHERE id = ?",
                (error, now_iso(), source_id),
            )

    # --- articles and chunks --------------------------------------------------------------
    def entry_fingerprints(self, source_id: int) -> dict[str, str]:
        """Feed entry link → fingerprint, for entries indexed from their page (not a summary)."""
        rows = self._query(
            "SELECT entry_link, entry_fingerprint FROM articles WHERE source_id = ? "
            "AND entry_link IS NOT NULL AND summary_only = 0",
            (source_id,),
        )
        return dict(rows)

    def article_states(self) -> dict[str, StoredArticleState]:
        rows = self._query("SELECT key, id, source_id, content_hash FROM articles")
        return {key: StoredArticleState(aid, sid, digest) for key, aid, sid, digest in rows}

    def write_articles(
        self, source_id: int, writes: Sequence[ArticleWrite]
    ) -> tuple[list[int], list[int]]:
        """Insert or replace articles and their chunks in one transaction.

        Returns (ids of the chunks replaced, ids of the new chunks in order).
        """
        old_chunk_ids: list[int] = []
        new_chunk_ids: list[int] = []
        fetched = now_iso()
        with self.transaction() as conn:
            for write in writes:
                if write.existing_id is not None:
                    old_chunk_ids += _chunk_ids_of_article(conn, write.existing_id)
                    conn.execute("DELETE FROM chunks WHERE article_id = ?", (write.existing_id,))
                article_id = _upsert_article(conn, source_id, write, fetched)
                for position, text in enumerate(write.chunks):
                    new_chunk_ids.append(_insert_chunk(conn, article_id, position, text))
        return old_chunk_ids, new_chunk_ids

    def delete_articles(self, article_ids: Sequence[int]) -> list[int]:
        """Delete articles and their chunks; returns the chunk ids removed."""
        removed: list[int] = []
        with self.transaction() as conn:
            for article_id in article_ids:
                removed += _chunk_ids_of_article(conn, article_id)
                conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return removed

    def delete_all_chunks(self) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM chunks")

    def articles_without_chunks(self) -> list[tuple[int, Article]]:
        rows = self._query(
            "SELECT id, key, title, text, url, outlet, author, published FROM articles a "
            "WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.article_id = a.id) ORDER BY id"
        )
        return [(row[0], _article_from_row(row[1:])) for row in rows]

    def replace_chunks(self, article_chunks: Sequence[tuple[int, Sequence[str]]]) -> list[int]:
        """Give stored articles new chunks (from their stored text); returns the new chunk ids."""
        new_ids: list[int] = []
        with self.transaction() as conn:
            for article_id, texts in article_chunks:
                conn.execute("DELETE FROM chunks WHERE article_id = ?", (article_id,))
                for position, text in enumerate(texts):
                    new_ids.append(_insert_chunk(conn, article_id, position, text))
        return new_ids

    def chunk_ids(self) -> np.ndarray:
        rows = self._query("SELECT id FROM chunks")
        return np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))

    def chunk_ids_of_articles(self, article_ids: Sequence[int]) -> list[int]:
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        rows = self._query(f"SELECT id FROM chunks WHERE article_id IN ({marks})", article_ids)
        return [int(row[0]) for row in rows]

    def chunk_fingerprint(self) -> tuple[int, int]:
        """(chunks, highest chunk id): ids are never reused, so a copy of the chunks that has
        the same two numbers holds the same chunks, unless it was edited behind our back."""
        # Two subqueries: together in one SELECT they scan the table (0.1 s at 1M chunks);
        # apart, the count reads the smallest index and the maximum is one lookup (8 ms).
        count, highest = self._query(
            "SELECT (SELECT COUNT(*) FROM chunks), (SELECT COALESCE(MAX(id), 0) FROM chunks)"
        )[0]
        return int(count), int(highest)

    def chunk_texts(self, chunk_ids: Sequence[int]) -> list[ChunkText]:
        """The chunks' text with their article's title, in chunk id order."""
        result: list[ChunkText] = []
        for batch in _batches(sorted(int(chunk_id) for chunk_id in chunk_ids), 500):
            marks = ",".join("?" * len(batch))
            rows = self._query(
                "SELECT c.id, c.article_id, a.title, c.text FROM chunks c "
                f"JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks}) ORDER BY c.id",
                batch,
            )
            result += [ChunkText(*row) for row in rows]
        return result

    def names_with_initials(self, letters: str) -> dict[str, int]:
        """The names the chunks print with these folded initials (see `index.names`), and how
        often."""
        rows = self._query(
            "SELECT name, SUM(count) FROM chunk_names WHERE initials = ? GROUP BY name", (letters,)
        )
        return {name: int(count) for name, count in rows}

    def chunks_for_embedding(self, chunk_ids: Sequence[int]) -> list[ChunkForEmbedding]:
        result: list[ChunkForEmbedding] = []
        for batch in _batches(list(chunk_ids), 500):
            marks = ",".join("?" * len(batch))
            rows = self._query(
                "SELECT c.id, c.text, a.title, a.outlet, a.published FROM chunks c "
                f"JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks}) ORDER BY c.id",
                batch,
            )
            for chunk_id, text, title, outlet, published in rows:
                header = embedding_header(title, outlet, _date(published))
                result.append(ChunkForEmbedding(chunk_id, header, text))
        return result

    def passages(self, scored_ids: Sequence[tuple[int, float]]) -> list[Passage]:
        """Passages for chunk ids, in the order given; ids no longer stored are skipped."""
        if not scored_ids:
            return []
        marks = ",".join("?" * len(scored_ids))
        rows = self._query(
            "SELECT c.id, c.article_id, c.text, a.title, a.url, a.outlet, a.author, a.published, "
            "s.tier FROM chunks c JOIN articles a ON a.id = c.article_id "
            f"LEFT JOIN sources s ON s.id = a.source_id WHERE c.id IN ({marks})",
            [chunk_id for chunk_id, _ in scored_ids],
        )
        by_id = {row[0]: row for row in rows}
        return [
            Passage(
                chunk_id=chunk_id,
                article_id=row[1],
                text=row[2],
                score=score,
                title=row[3],
                url=row[4],
                outlet=row[5],
                author=row[6],
                published=_date(row[7]),
                source_tier=row[8],
            )
            for chunk_id, score in scored_ids
            if (row := by_id.get(chunk_id))
        ]

    def article_texts(self, article_ids: Sequence[int]) -> dict[int, str]:
        """The title and text of each of these articles still stored, by id."""
        if not article_ids:
            return {}
        marks = ",".join("?" * len(article_ids))
        rows = self._query(
            f"SELECT id, title, text FROM articles WHERE id IN ({marks})", list(article_ids)
        )
        return {row[0]: f"{row[1]} {row[2]}" for row in rows}

    def recent_articles(
        self, about: Sequence[str], limit: int, newer_than_id: int | None = None
    ) -> list[ArticleSummary]:
        """Newest articles first (undated last), optionally those naming any of `about` (whole
        words), or only those stored after the article `newer_than_id`."""
        conditions: list[str] = []
        params: list[object] = []
        phrases = [phrase for name in about if (phrase := _fts_phrase(name))]
        if any(name.strip() for name in about) and not phrases:
            return []  # asked about something with no words in it: nothing matches
        if phrases:
            # Whole words, case and accents ignored: the full-text index, not LIKE, so "Gers"
            # does not match "managers".
            conditions.append(
                "a.id IN (SELECT c.article_id FROM chunks_fts JOIN chunks c "
                "ON c.id = chunks_fts.rowid WHERE chunks_fts MATCH ?)"
            )
            params.append(" OR ".join(phrases))
        if newer_than_id is not None:
            conditions.append("a.id > ?")
            params.append(newer_than_id)
        sql = (
            "SELECT a.id, a.title, a.url, a.outlet, a.published, a.text, s.tier "
            "FROM articles a LEFT JOIN sources s ON s.id = a.source_id"
        )
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        sql += " ORDER BY a.published IS NULL, a.published DESC, a.id DESC LIMIT ?"
        rows = self._query(sql, [*params, limit])
        return [
            ArticleSummary(
                row[0], row[1], row[2], row[3], _date(row[4]), _lead(row[5]), row[6], row[5]
            )
            for row in rows
        ]

    def newest_article_id(self) -> int:
        return int(self._query("SELECT COALESCE(MAX(id), 0) FROM articles")[0][0])

    def indexed_words(self) -> frozenset[str]:
        """Every word of the chunks' full-text index: lower case, without accents."""
        # fts5vocab reads the index's own term list; a temp table lives with this connection.
        self._query(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunk_words "
            "USING fts5vocab(main, chunks_fts, row)"
        )
        return frozenset(row[0] for row in self._query("SELECT term FROM temp.chunk_words"))

    def counts(self) -> tuple[int, int, int]:
        """(articles, chunks, sources)."""
        row = self._query(
            "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM chunks), "
            "(SELECT COUNT(*) FROM sources)"
        )[0]
        return int(row[0]), int(row[1]), int(row[2])

    def newest_article_date(self) -> date | None:
        return _date(self._query("SELECT MAX(published) FROM articles")[0][0])


def _fts_phrase(text: str) -> str | None:
    """A full-text query phrase matching `text` as consecutive words; None when it has none.

    Only the words are kept: the index sees nothing else, and a NUL or a quote would end the
    query string early.
    """
    words = re.sub(r"[\W_]+", " ", text).strip()
    return f'"{words}"' if words else None


def _upsert_article(
    conn: sqlite3.Connection, source_id: int, write: ArticleWrite, fetched: str
) -> int:
    a = write.article
    values = (
        a.url, a.title, a.outlet, a.author,
        a.published.isoformat() if a.published else None,
        fetched, a.content_hash, a.text, a.entry_link, a.entry_fingerprint, int(a.summary_only),
    )  # fmt: skip
    if write.existing_id is not None:
        conn.execute(
            "UPDATE articles SET url = ?, title = ?, outlet = ?, author = ?, published = ?, "
            "fetched = ?, content_hash = ?, text = ?, entry_link = ?, entry_fingerprint = ?, "
            "summary_only = ? WHERE id = ?",
            (*values, write.existing_id),
        )
        return write.existing_id
    cursor = conn.execute(
        "INSERT INTO articles (source_id, key, url, title, outlet, author, published, fetched, "
        "content_hash, text, entry_link, entry_fingerprint, summary_only) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (source_id, a.key, *values),
    )
    return int(cursor.lastrowid)


def _insert_chunk(conn: sqlite3.Connection, article_id: int, position: int, text: str) -> int:
    """Store a chunk and the names it prints; returns its id."""
    cursor = conn.execute(
        "INSERT INTO chunks (article_id, position, text) VALUES (?, ?, ?)",
        (article_id, position, text),
    )
    chunk_id = int(cursor.lastrowid)
    record_printed_names(conn, chunk_id, text)
    return chunk_id


def _chunk_ids_of_article(conn: sqlite3.Connection, article_id: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM chunks WHERE article_id = ?", (article_id,))]


def _chunk_ids_of_source(conn: sqlite3.Connection, source_id: int) -> list[int]:
    rows = conn.execute(
        "SELECT c.id FROM chunks c JOIN articles a ON a.id = c.article_id WHERE a.source_id = ?",
        (source_id,),
    )
    return [r[0] for r in rows]


def _article_from_row(row: Sequence) -> Article:
    key, title, text, url, outlet, author, published = row
    return Article(key, title, text, url, outlet, author, _date(published))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _lead(text: str, max_chars: int = 240) -> str:
    from index.text import split_sentences

    first = (split_sentences(text) or [""])[0]
    return first if len(first) <= max_chars else first[: max_chars - 1].rsplit(" ", 1)[0] + "…"


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
