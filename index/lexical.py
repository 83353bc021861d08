"""The lexical (BM25) index of the chunks: a tantivy index in a folder beside the database.

Like the vector file it is derived from the chunks stored in SQLite: every write commits to
SQLite first and then here, and `NewsIndex` makes the two agree again when they do not (after a
crash, with a damaged folder, or in a data folder from before this index existed).

Why not SQLite FTS5, which the `about` filter of rumours and timelines still uses: FTS5 scores
every row that matches any word of the query, so a question with "club" in it reads a third of
the chunks (p95 1.8 s at 1M chunks). Tantivy skips the blocks of documents that cannot reach
the top k (docs/scaling.md has the figures).

Words are runs of letters and digits, lowercased, accents folded ("Benitez" finds "Benítez") and
stemmed in English, so "reject" finds "rejected" and "bid" finds "bids" (on bench/eval, stemming
raised lexical recall@5 from 0.874 to 0.913). An index built with other words is rebuilt.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import struct
import threading
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import tantivy

from index.errors import TransferDeskError
from index.store import ChunkText

log = logging.getLogger(__name__)

# Stored in the index: an index whose words were made by another analyzer (before 2026-12,
# "transferdesk_words", unstemmed) is rebuilt, since its words no longer match the questions'.
ANALYZER_NAME = "transferdesk_stemmed_words"
MAX_WORD_BYTES = 64  # longer "words" are junk (encoded data), not names: left out
WRITER_HEAP_BYTES = 64_000_000
# Title and text are one field, as in the FTS5 table's BM25 (its columns share one length).
# As a field of its own the title, short and repeated in every chunk of an article, outweighed
# the text: recall@5 of lexical retrieval on bench/eval fell from 0.874 to 0.854.
SEARCHED_FIELD = "text"
# A possessive or a contraction: "rangnick's" is searched as "rangnick", as the reports say
# "Rangnick" as often as "Rangnick's".
_ONE_LETTER_SUFFIX = re.compile(r"['’]\w$")
_MIN_PART_LETTERS = 3  # the "o" of "O'Neill" is no word to search for alone
_FOOTER_MAGIC = 1337  # ends every tantivy segment file, after its footer (JSON with a CRC32)


def word_analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.remove_long(MAX_WORD_BYTES))
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


_ANALYZER = word_analyzer()


def lexical_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("chunk_id", indexed=True, fast=True)
    builder.add_integer_field("article_id", indexed=True, fast=True)
    builder.add_text_field(SEARCHED_FIELD, tokenizer_name=ANALYZER_NAME, index_option="position")
    return builder.build()


class LexicalIndex:
    """A tantivy index of the chunks' titles and texts, keyed by chunk id.

    Searches may run in any thread (tantivy releases the GIL while it searches), alongside one
    writer: the process holding the reindex lock. `refresh` (called by each search) shows the
    commits of other processes.
    """

    def __init__(
        self,
        folder: Path,
        index: tantivy.Index,
        *,
        broken: str | None = None,
        in_memory: bool = False,
    ) -> None:
        self.folder = folder
        self.broken = broken  # why it cannot be searched now (a stand-in, or a failed search)
        self.in_memory = in_memory  # an empty stand-in for a folder this process may not fix
        self._index = index
        self._schema = index.schema
        self._writer: tantivy.IndexWriter | None = None
        self._writing = threading.Lock()
        self._signature = _meta_signature(folder)

    @classmethod
    def open(cls, folder: Path, *, create: bool = True) -> tuple[LexicalIndex, str | None]:
        """The folder's index, and what was wrong with the folder if it could not be used.

        With `create`, a missing folder is created and a damaged one emptied; without, both are
        stood in for by an empty index in memory, and the folder is left to the process that
        holds the reindex lock.
        """
        new = _is_new(folder)
        problem = None if new else _unusable(folder)
        if problem is None and not (new and not create):
            try:
                lexical = cls(folder, _opened(folder))
                lexical.fingerprint()  # reads the chunk ids' column: a damaged one fails here
                return lexical, None
            except BaseException as error:
                if not is_tantivy_failure(error):
                    raise
                problem = f"the lexical index {folder} is damaged ({_reason(error)})"
        if not create:
            broken = problem or f"the lexical index {folder} does not exist yet"
            return cls(folder, _opened(None), broken=broken, in_memory=True), problem
        return cls.recreate(folder), problem

    @classmethod
    def recreate(cls, folder: Path) -> LexicalIndex:
        """A new, empty index in place of whatever the folder held."""
        _empty_folder(folder)
        try:
            return cls(folder, _opened(folder))
        except BaseException as error:
            if not is_tantivy_failure(error):
                raise
            raise TransferDeskError(
                f"cannot create the lexical index {folder}: {_reason(error)}"
            ) from error

    def changed_on_disk(self) -> bool:
        """True once another process has committed (or created the folder) since the last look."""
        return _meta_signature(self.folder) != self._signature

    def close(self) -> None:
        with self._writing:
            self._writer = None  # releases tantivy's writer lock; uncommitted work is dropped

    # --- reading ------------------------------------------------------------------------------
    def search(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """Chunk ids ranked by BM25 over title and text for any of `terms`, best first.

        A term of several words ("o'neill", "saint-germain") matches them as a phrase, and
        each of its words of three letters or more on its own.
        """
        query = self.query(terms)
        if query is None or k < 1:
            return []
        try:
            self.refresh()
            searcher = self._index.searcher()
            hits = searcher.search(query, k, count=False).hits  # no count: it reads every match
            chunk_ids = searcher.fast_field_values("chunk_id", [address for _, address in hits])
        except BaseException as error:
            if not is_tantivy_failure(error):
                raise
            self._fail(error)
            return []
        return [
            (int(chunk_id), float(score))
            for chunk_id, (score, _) in zip(chunk_ids, hits, strict=True)
        ]

    def query(self, terms: Sequence[str]) -> tantivy.Query | None:
        """Any of the terms (or the words of a compound), in the title or the text; None when
        they have no words."""
        phrases = dict.fromkeys(phrase for term in terms if (phrase := phrase_words(term)))
        # A compound's words count on their own too: "super-agent" finds "agent Mino Raiola",
        # and a report that prints the phrase still scores the most.
        phrases |= dict.fromkeys(
            ((0, word),)
            for phrase in list(phrases)
            if len(phrase) > 1
            for _, word in phrase
            if len(word) >= _MIN_PART_LETTERS
        )
        clauses = [(tantivy.Occur.Should, self._phrase_query(phrase)) for phrase in phrases]
        return tantivy.Query.boolean_query(clauses) if clauses else None

    def _phrase_query(self, phrase: tuple[tuple[int, str], ...]) -> tantivy.Query:
        if len(phrase) == 1:  # tantivy refuses (panics on) a phrase of one word
            return tantivy.Query.term_query(self._schema, SEARCHED_FIELD, phrase[0][1])
        return tantivy.Query.phrase_query(self._schema, SEARCHED_FIELD, list(phrase))

    def refresh(self) -> None:
        """See what other processes committed since the last look."""
        signature = _meta_signature(self.folder)
        if signature != self._signature and not self.in_memory:
            self._index.reload()
            self._signature = signature

    def fingerprint(self) -> tuple[int, int]:
        """(documents, highest chunk id): what the database's chunks give when the two agree,
        since chunk ids are never reused."""
        self.refresh()
        searcher = self._index.searcher()
        if searcher.num_docs == 0:
            return 0, 0
        highest = searcher.aggregate(
            tantivy.Query.all_query(), {"highest": {"max": {"field": "chunk_id"}}}
        )["highest"]["value"]
        return int(searcher.num_docs), int(highest or 0)

    def chunk_ids(self) -> np.ndarray:
        """Every chunk id indexed, once per document (a repeat would be a duplicate)."""
        self.refresh()
        searcher = self._index.searcher()
        if searcher.num_docs == 0:
            return np.empty(0, np.int64)
        hits = searcher.search(tantivy.Query.all_query(), searcher.num_docs, count=False).hits
        values = searcher.fast_field_values("chunk_id", [address for _, address in hits])
        return np.fromiter(values, dtype=np.int64, count=len(values))

    def __len__(self) -> int:
        return int(self._index.searcher().num_docs)

    def segment_count(self) -> int:
        return int(self._index.searcher().num_segments)

    def damaged_files(self) -> str | None:
        """What a full read of the index's files finds wrong (each file carries a checksum of
        its content); None when they are whole. Opening checks only the files' ends."""
        if self.in_memory:
            return self.broken
        try:
            meta = json.loads((self.folder / "meta.json").read_text(encoding="utf-8"))
            for path in _segment_files(self.folder, meta["segments"]):
                if not _checksum_matches(path):
                    return f"the lexical index {self.folder} is damaged ({path.name} is corrupt)"
        except (OSError, ValueError, KeyError, TypeError) as error:
            return f"the lexical index {self.folder} is damaged ({_reason(error)})"
        return None

    # --- writing: only under the reindex lock ---------------------------------------------------
    def replace(self, removed: Iterable[int], added: Sequence[ChunkText]) -> None:
        """Delete the chunks `removed`, index the chunks `added`, and commit."""
        removed = [int(chunk_id) for chunk_id in removed]
        if not removed and not added:
            return
        with self._writing:
            writer = self._open_writer()
            try:
                if removed:
                    writer.delete_documents_by_query(
                        tantivy.Query.term_set_query(self._schema, "chunk_id", removed)
                    )
                for chunk in added:
                    writer.add_document(_document(chunk))
                writer.commit()
            except BaseException as error:
                self._writer = None  # a writer that failed may hold half a batch: drop it
                if not is_tantivy_failure(error):
                    raise
                raise self._write_error(error) from error
        self._reload()

    def remove(self, chunk_ids: Iterable[int]) -> None:
        self.replace(chunk_ids, [])

    def remove_all(self) -> None:
        with self._writing:
            writer = self._open_writer()
            try:
                writer.delete_all_documents()
                writer.commit()
            except BaseException as error:
                self._writer = None
                if not is_tantivy_failure(error):
                    raise
                raise self._write_error(error) from error
        self._reload()

    def finish_writing(self) -> None:
        """Let background merges end and release tantivy's writer lock (end of a reindex)."""
        with self._writing:
            writer, self._writer = self._writer, None
            if writer is None:
                return
            try:
                writer.wait_merging_threads()
            except BaseException as error:  # the commits are done: a merge is an optimisation
                if not is_tantivy_failure(error):
                    raise
                log.warning("lexical index: a background merge failed (%s)", _reason(error))
        self._reload()

    def _reload(self) -> None:
        self._signature = _meta_signature(self.folder)
        self._index.reload()

    def _open_writer(self) -> tantivy.IndexWriter:
        if self.in_memory:
            raise TransferDeskError(f"{self.broken}; run `transferdesk repair`")
        if self._writer is None:
            try:
                self._writer = self._index.writer(WRITER_HEAP_BYTES, 1)
            except ValueError as error:
                raise TransferDeskError(
                    f"cannot write the lexical index {self.folder}: another process is writing "
                    f"it ({_reason(error)})"
                ) from error
        return self._writer

    def _write_error(self, error: BaseException) -> TransferDeskError:
        return TransferDeskError(
            f"could not write the lexical index {self.folder} ({_reason(error)}); everything "
            "indexed is safe in the database: fix that, then run `transferdesk repair`"
        )

    def _fail(self, error: BaseException) -> None:
        if self.broken is None:
            self.broken = f"the lexical index {self.folder} is damaged ({_reason(error)})"
            log.warning("%s; searching without it until it is rebuilt", self.broken)


def differences(held: np.ndarray, stored: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(entries to remove, chunks to index) so that an index holding the chunk ids `held` holds
    each of `stored` once and nothing else. A chunk indexed twice is removed and indexed again."""
    held, counts = np.unique(held, return_counts=True)
    repeated = held[counts > 1]
    removed = np.union1d(np.setdiff1d(held, stored, assume_unique=True), repeated)
    added = np.union1d(
        np.setdiff1d(stored, held, assume_unique=True), np.intersect1d(repeated, stored)
    )
    return removed, added


def phrase_words(term: str) -> tuple[tuple[int, str], ...]:
    """The indexed words of one query term, with their positions: "O'Neill" is (0, "o"),
    (1, "neill"); "rangnick's" is (0, "rangnick"). Empty when the term has no words."""
    term = _ONE_LETTER_SUFFIX.sub("", term)
    term = term.encode("utf-8", "ignore").decode("utf-8")  # a lone surrogate is no word
    tokens = _ANALYZER.pre_tokenize(term).tokens
    if not tokens:
        return ()
    first = tokens[0].position
    return tuple((token.position - first, token.text) for token in tokens)


def is_tantivy_failure(error: BaseException) -> bool:
    """An error of tantivy's reading or writing files, as opposed to a bug or an interrupt.

    Tantivy reports damaged files as ValueError, or as a Rust panic from deep in a decoder,
    which pyo3 raises as PanicException: a BaseException, so `except Exception` misses it.
    """
    return isinstance(error, ValueError | OSError) or type(error).__name__ == "PanicException"


def _opened(folder: Path | None) -> tantivy.Index:
    """The folder's index (created when it has none) or, for None, an empty one in memory."""
    if folder is None:
        index = tantivy.Index(lexical_schema())
    else:
        folder.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(lexical_schema(), path=str(folder), reuse=True)
    # Tantivy stores only the analyzer's name: it must be registered each time.
    index.register_tokenizer(ANALYZER_NAME, _ANALYZER)
    index.config_reader("manual")  # `refresh` reloads: no watcher thread
    return index


def _is_new(folder: Path) -> bool:
    """No folder yet, or an empty one."""
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


def _unusable(folder: Path) -> str | None:
    """Why an existing folder cannot be opened as an index, seen without reading its files."""
    if not folder.is_dir():
        return f"the lexical index {folder} is damaged (a file, not a folder)"
    if not (folder / "meta.json").exists():
        return f"the lexical index {folder} is damaged (meta.json is missing)"
    analyzer = _stored_analyzer(folder)
    if analyzer is not None and analyzer != ANALYZER_NAME:
        return (
            f"the lexical index {folder} was built by an earlier version of TransferDesk "
            f"(words by {analyzer!r}, now {ANALYZER_NAME!r})"
        )
    return None


def _stored_analyzer(folder: Path) -> str | None:
    """The analyzer named in the index's schema for the searched field; None if unreadable
    (opening the index then tells what is wrong)."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        for field in meta["schema"]:
            if field["name"] == SEARCHED_FIELD:
                return str(field["options"]["indexing"]["tokenizer"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None


def _empty_folder(folder: Path) -> None:
    try:
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder)
        elif folder.exists() or folder.is_symlink():
            folder.unlink()
        folder.mkdir(parents=True)
    except OSError as error:
        raise TransferDeskError(
            f"cannot create the lexical index {folder}: {error.strerror or error}"
        ) from error


def _document(chunk: ChunkText) -> tantivy.Document:
    document = tantivy.Document()
    document.add_integer("chunk_id", chunk.chunk_id)
    document.add_integer("article_id", chunk.article_id)
    document.add_text(SEARCHED_FIELD, f"{chunk.title}\n{chunk.text}")
    return document


def _meta_signature(folder: Path) -> tuple[int, int, int] | None:
    """Changes with every commit: tantivy writes a new meta.json and renames it into place."""
    try:
        stat = (folder / "meta.json").stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _segment_files(folder: Path, segments: list[dict]) -> list[Path]:
    """The files of the segments in use (not those of older, unreferenced segments)."""
    files = []
    for segment in segments:
        name = segment["segment_id"].replace("-", "")
        deletes = segment.get("deletes")
        for path in folder.glob(f"{name}.*"):
            parts = path.name.split(".")
            if parts[-1] == "del" and (deletes is None or parts[1] != str(deletes["opstamp"])):
                continue  # the deletions of an earlier commit
            files.append(path)
    return files


def _checksum_matches(path: Path) -> bool:
    """Tantivy ends each file with [footer JSON with "crc"][its length u32][magic u32]."""
    size = path.stat().st_size
    if size < 8:
        return False
    with open(path, "rb") as file:
        file.seek(size - 8)
        footer_length, magic = struct.unpack("<II", file.read(8))
        if magic != _FOOTER_MAGIC or footer_length > size - 8:
            return False
        content_length = size - 8 - footer_length
        file.seek(content_length)
        footer = json.loads(file.read(footer_length))
        if not isinstance(footer, dict):
            return False
        file.seek(0)
        crc, left = 0, content_length
        while left:
            block = file.read(min(left, 1 << 20))
            if not block:
                return False
            crc = zlib.crc32(block, crc)
            left -= len(block)
    return crc == footer.get("crc")


def _reason(error: BaseException) -> str:
    """Tantivy's message, first line, short enough for a one-line warning."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def folder_size(folder: Path) -> int:
    try:
        return sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file())
    except OSError:
        return 0
