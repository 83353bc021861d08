"""`transferdesk repair`: check the database and the vector file, and make them whole again.

- The database gets SQLite's integrity check. A damaged one is moved aside (kept, never
  deleted) and every row that can still be read is copied into a new database; the chunks and
  their vectors are then rebuilt from the rescued article text.
- Stored articles without chunks (left by a `reindex --full` that was killed) are chunked and
  embedded again.
- The vector file is matched to the chunks: vectors of deleted chunks are dropped, chunks
  without a vector are embedded, a damaged file is rebuilt, and a half-written temporary file
  (left by a save that was interrupted) is removed.
- The lexical index is matched to the chunks the same way, after a full read of its files
  (checksums): a missing or damaged one is rebuilt from the stored text.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from index.embed import Embedder
from index.errors import TransferDeskError
from index.library import DATABASE_FILE, LOCK_FILE, IndexSettings, NewsIndex
from index.lock import exclusive_lock
from index.pipeline import rebuild_missing_chunks
from index.progress import Progress, SilentProgress
from index.store import BUSY_TIMEOUT_SECONDS, Store, StoreDamagedError, database_error

log = logging.getLogger(__name__)

WINDOW = 500  # rows read per query while rescuing; a damaged window is read row by row
# Derived from the articles and rebuilt from them, or kept by the new database itself.
NOT_RESCUED = ("chunks", "chunks_fts", "chunk_names", "schema_migrations", "sqlite_")


@dataclass(frozen=True, slots=True)
class Rescue:
    """What was copied out of a damaged database."""

    damaged_copy: Path  # the damaged file, moved aside and kept
    rows: dict[str, int]  # rows copied, by table
    damaged_tables: tuple[str, ...]  # tables of which some rows could not be read


@dataclass(slots=True)
class RepairReport:
    data_dir: Path
    database_problem: str | None = None  # what the integrity check found; None when sound
    rescue: Rescue | None = None
    vector_file_problem: str | None = None
    half_written_removed: bool = False
    articles_rechunked: int = 0
    vectors_embedded: int = 0
    vectors_dropped: int = 0
    lexical_problem: str | None = None  # why the lexical index was rebuilt
    lexical_added: int = 0  # chunks the lexical index did not have
    lexical_removed: int = 0  # its entries of deleted chunks
    totals: dict[str, int] = field(default_factory=dict)  # articles, chunks, vectors after

    @property
    def changed(self) -> bool:
        return bool(
            self.rescue
            or self.vector_file_problem
            or self.half_written_removed
            or self.articles_rechunked
            or self.vectors_embedded
            or self.vectors_dropped
            or self.lexical_problem
            or self.lexical_added
            or self.lexical_removed
        )


def repair(
    data_dir: Path,
    embedder: Embedder,
    settings: IndexSettings | None = None,
    progress: Progress | None = None,
) -> RepairReport:
    """Check and repair the index in `data_dir`; refused while a reindex is running."""
    database = data_dir / DATABASE_FILE
    if not database.exists():
        raise TransferDeskError(f"there is no index in {data_dir} to repair")
    report = RepairReport(data_dir)
    progress = progress or SilentProgress()
    with exclusive_lock(data_dir / LOCK_FILE, "a reindex"):
        report.database_problem = database_problem(database)
        if report.database_problem:
            log.info("the article database is damaged: %s", report.database_problem)
            report.rescue = rescue_database(database)
        index = NewsIndex(data_dir, embedder, settings)
        try:
            _repair_chunks_and_derived(index, report, progress)
        finally:
            index.close()
    return report


def _repair_chunks_and_derived(index: NewsIndex, report: RepairReport, progress: Progress) -> None:
    temporary = index.vectors_path.with_name(index.vectors_path.name + ".tmp")
    if temporary.exists():
        temporary.unlink()
        report.half_written_removed = True
    if report.rescue:  # the old vectors belong to the old chunks: start again
        vectors = index.reset_chunks()
    else:
        vectors = index.vectors(progress=progress)  # drops orphans, embeds chunks without one
        report.vector_file_problem = index.vector_file_problem
        report.vectors_dropped = index.vectors_dropped
        report.vectors_embedded = index.vectors_repaired - index.vectors_dropped
    lexical = index.repaired_lexical(progress, verify=True)
    report.lexical_problem = index.lexical_problem
    report.lexical_added, report.lexical_removed = index.lexical_added, index.lexical_removed
    try:
        report.articles_rechunked = rebuild_missing_chunks(index, vectors, lexical, progress)
    finally:
        lexical.finish_writing()
    if vectors.dirty or report.vector_file_problem:
        index.save_vectors(vectors)
    articles, chunks, _ = index.store.counts()
    report.totals = {"articles": articles, "chunks": chunks, "vectors": len(vectors)}


def database_problem(path: Path) -> str | None:
    """What SQLite's integrity check finds wrong with the database file; None when it is sound."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        user_error = database_error(path, error)
        if user_error is not None and not isinstance(user_error, StoreDamagedError):
            raise user_error from error  # locked, or the disk failing: not for a rescue
        return str(error)
    problems = [str(row[0]) for row in rows]
    return None if problems == ["ok"] else "; ".join(problems[:3])


def rescue_database(path: Path) -> Rescue:
    """Move a damaged database aside and copy every readable row into a new one at `path`.

    Chunks are not copied: they are rebuilt from the articles' text, with their vectors. If the
    rescue fails, the damaged file is put back as it was.
    """
    damaged = path.with_name(f"{path.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
    _move_database(path, damaged)
    try:
        Store(path).close()  # a new database with the current schema
        rows, damaged_tables = _copy_readable_rows(damaged, path)
        if not any(rows.values()):
            raise StoreDamagedError(
                f"nothing could be read from the damaged article database {path}: restore it "
                "from a backup, or move it aside and run `transferdesk reindex` to rebuild the "
                "index from the sources (add them again first if they were added with "
                "`transferdesk sources add`)",
                path,
            )
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        _move_database(damaged, path)
        raise
    log.info("rescued %s from %s", rows, damaged)
    return Rescue(damaged, rows, tuple(damaged_tables))


def _move_database(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):  # the log holds committed writes too: it goes along
        part = source.with_name(source.name + suffix)
        if part.exists():
            os.replace(part, target.with_name(target.name + suffix))


def _copy_readable_rows(damaged: Path, path: Path) -> tuple[dict[str, int], list[str]]:
    old = sqlite3.connect(f"{damaged.as_uri()}?mode=ro", uri=True)  # the damaged file stays as is
    # Trust the pages the file has over the page count in its header (a truncated file has
    # fewer); without this SQLite refuses to read any of it.
    old.execute("PRAGMA writable_schema=ON")
    new = sqlite3.connect(path, isolation_level=None)
    rows: dict[str, int] = {}
    damaged_tables: list[str] = []
    try:
        for table, create in _tables(old, damaged_tables):
            if not new.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
                new.execute(create)  # a table another part of TransferDesk keeps here
            rows[table] = _copy_rows(old, new, table, damaged_tables)
        # Rows whose parent was lost (an article whose source could not be read) go too.
        for table, rowid, _parent, _key in new.execute("PRAGMA foreign_key_check").fetchall():
            new.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
            rows[table] -= 1
            if table not in damaged_tables:
                damaged_tables.append(table)
        _carry_over_id_counters(old, new)
    finally:
        old.close()
        new.close()
    return rows, damaged_tables


def _tables(old: sqlite3.Connection, damaged_tables: list[str]) -> list[tuple[str, str]]:
    try:
        found = old.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.DatabaseError:
        damaged_tables.append("sqlite_master")
        return []
    return [
        (name, sql)
        for name, sql in found
        if sql and not name.startswith(NOT_RESCUED) and not sql.upper().startswith("CREATE VIR")
    ]


def _copy_rows(
    old: sqlite3.Connection, new: sqlite3.Connection, table: str, damaged_tables: list[str]
) -> int:
    wanted = {row[1] for row in new.execute(f'PRAGMA table_info("{table}")')}
    copied = 0
    new.execute("BEGIN")
    for columns, values in _readable_rows(old, table, damaged_tables):
        names = [name for name in columns if name in wanted]
        kept = [value for name, value in zip(columns, values, strict=True) if name in wanted]
        quoted = ",".join(f'"{name}"' for name in names)
        marks = ",".join("?" * len(names))
        cursor = new.execute(f'INSERT OR IGNORE INTO "{table}" ({quoted}) VALUES ({marks})', kept)
        copied += cursor.rowcount
    new.execute("COMMIT")
    return copied


def _readable_rows(
    old: sqlite3.Connection, table: str, damaged_tables: list[str]
) -> Iterator[tuple[list[str], tuple]]:
    """(column names, values) of each row that can be read, in rowid order.

    Rows are read a window at a time; a window that hits a damaged page is read row by row.
    """
    highest = _highest_rowid(old, table)
    start = 1
    while True:
        try:
            cursor = old.execute(
                f'SELECT rowid, * FROM "{table}" WHERE rowid >= ? ORDER BY rowid LIMIT {WINDOW}',
                (start,),
            )
            rows = cursor.fetchall()
        except sqlite3.DatabaseError:
            rows = None
        if rows == []:
            return
        if rows is not None:
            columns = [d[0] for d in cursor.description][1:]
            for row in rows:
                yield columns, row[1:]
            start = rows[-1][0] + 1
            continue
        if table not in damaged_tables:
            damaged_tables.append(table)
        found = False
        for rowid in range(start, start + WINDOW):
            try:
                cursor = old.execute(f'SELECT rowid, * FROM "{table}" WHERE rowid = ?', (rowid,))
                row = cursor.fetchone()
            except sqlite3.DatabaseError:
                continue
            if row is not None:
                found = True
                yield [d[0] for d in cursor.description][1:], row[1:]
        start += WINDOW
        if start > highest and not found:
            return


def _highest_rowid(old: sqlite3.Connection, table: str) -> int:
    """The largest rowid the table has had, as far as it can still be read; 0 if unknown."""
    best = 0
    for sql, params in (
        (f'SELECT max(rowid) FROM "{table}"', ()),
        ("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)),
    ):
        try:
            row = old.execute(sql, params).fetchone()
        except sqlite3.DatabaseError:
            continue
        if row and row[0]:
            best = max(best, int(row[0]))
    return best


def _carry_over_id_counters(old: sqlite3.Connection, new: sqlite3.Connection) -> None:
    # New chunk ids must not reuse old ones: a process still holding the old vector file
    # would otherwise take an old vector for a new chunk.
    try:
        counters = old.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
    except sqlite3.DatabaseError:
        return
    for name, seq in counters:
        updated = new.execute(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (seq, name)
        ).rowcount
        if not updated:
            new.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, seq))
