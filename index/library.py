"""`NewsIndex`: the small API `bot/` uses; it keeps the store, the vector file and the lexical
index in agreement."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from index.chunk import text_for_embedding
from index.embed import Embedder
from index.errors import ModelMismatchError, SourceError, StoreBusyError, TransferDeskError
from index.fetch import Fetcher, FetchSettings
from index.lexical import LexicalIndex, differences, folder_size
from index.lock import exclusive_lock, is_locked
from index.models import ArticleSummary, IndexStats, Passage, SourceRecord
from index.progress import Progress, SilentProgress
from index.search import NOBODY, Named, RetrievalOptions, retrieve
from index.sources import (
    WEB_KINDS,
    guess_local_kind,
    looks_like_url,
    normalise_location,
)
from index.sources.web import guess_web_kind
from index.store import Store
from index.text import query_terms
from index.urls import is_web_url
from index.vectors import DEFAULT_APPROXIMATE_ABOVE, VectorIndex, file_signature

log = logging.getLogger(__name__)

DATABASE_FILE = "transferdesk.db"
VECTORS_FILE = "vectors.faiss"
LEXICAL_FOLDER = "lexical"
LEXICAL_BATCH_CHUNKS = 20_000  # chunks indexed per commit when the lexical index is rebuilt
LOCK_FILE = "reindex.lock"


@dataclass(frozen=True, slots=True)
class IndexSettings:
    chunk_size: int = 120  # words
    chunk_overlap: int = 30  # words
    embed_batch_chunks: int = 256  # chunks embedded and committed together
    fetch: FetchSettings = field(default_factory=FetchSettings)
    vectors_approximate_above: int = DEFAULT_APPROXIMATE_ABOVE  # 0: always exact
    vectors_nprobe: int = 0  # 0: tuned to the target recall


@dataclass(frozen=True, slots=True)
class DeclaredSource:
    """A source named in the config file; added to the store when missing."""

    kind: str
    location: str
    name: str | None = None


class NewsIndex:
    def __init__(self, data_dir: Path, embedder: Embedder, settings: IndexSettings | None = None):
        self.data_dir = data_dir
        self.embedder = embedder
        self.settings = settings or IndexSettings()
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise TransferDeskError(
                f"cannot create the data folder {data_dir}: {error.strerror}"
            ) from None
        self.store = Store(data_dir / DATABASE_FILE)
        self._vectors: VectorIndex | None = None
        self._vectors_lock = threading.Lock()
        self.vectors_repaired = 0  # vectors added or dropped to match the chunks on load
        self.vectors_dropped = 0  # of which: vectors of chunks that no longer exist
        self.vector_file_problem: str | None = None  # why the vector file could not be used
        self._lexical: LexicalIndex | None = None
        self._lexical_lock = threading.RLock()
        self.lexical_added = 0  # chunks indexed to match the database on open
        self.lexical_removed = 0  # entries of chunks that no longer exist, removed on open
        self.lexical_problem: str | None = None  # why the lexical index was rebuilt on open
        self._lexical_unchecked = False  # opened during another process's reindex

    def close(self) -> None:
        with self._lexical_lock:
            if self._lexical is not None:
                self._lexical.close()
        self.store.close()

    @property
    def vectors_path(self) -> Path:
        return self.data_dir / VECTORS_FILE

    @property
    def lexical_path(self) -> Path:
        return self.data_dir / LEXICAL_FOLDER

    @property
    def lock_path(self) -> Path:
        return self.data_dir / LOCK_FILE

    # --- sources --------------------------------------------------------------------------
    def add_source(
        self,
        location: str,
        kind: str | None = None,
        name: str | None = None,
        outlet: str | None = None,
        tier: int | None = None,
    ) -> SourceRecord:
        """Add a source; a URL's kind (feed or page) is found by fetching it."""
        if tier is not None and not 1 <= tier <= 4:
            raise SourceError("tier must be 1 (most reliable) to 4 (least reliable)")
        location = location.strip()
        if looks_like_url(location) and not is_web_url(location):
            raise SourceError(f"only http:// and https:// URLs can be sources, not {location!r}")
        if kind is None:
            kind = (
                self._probe_kind(location) if is_web_url(location) else guess_local_kind(location)
            )
        stored_location = normalise_location(kind, location)
        default_name = _default_name(kind, stored_location)
        return self.store.add_source(kind, stored_location, name or default_name, outlet, tier)

    def _probe_kind(self, url: str) -> str:
        async def probe() -> str:
            async with Fetcher(self.fetch_settings) as fetcher:
                return await guess_web_kind(fetcher, url)

        return asyncio.run(probe())

    @property
    def fetch_settings(self) -> FetchSettings:
        return self.settings.fetch

    def ensure_sources(self, declared: Sequence[DeclaredSource]) -> list[SourceRecord]:
        """Add the config's sources that the store does not have yet."""
        added = []
        for source in declared:
            location = normalise_location(source.kind, source.location)
            if self.store.find_source(location) is None:
                name = source.name or _default_name(source.kind, location)
                added.append(self.store.add_source(source.kind, location, name))
        return added

    def list_sources(self) -> list[SourceRecord]:
        return self.store.list_sources()

    def remove_source(self, source_id: int) -> SourceRecord:
        source = self.store.get_source(source_id)
        with exclusive_lock(self.lock_path, "a reindex"):
            lexical = self._lexical_without_repair()
            chunk_ids = self.store.remove_source(source_id)
            vectors = self._loaded_vectors_without_repair()
            if vectors is not None and vectors.remove(chunk_ids):
                self.save_vectors(vectors)
            if lexical is not None:
                try:
                    lexical.remove(chunk_ids)
                finally:
                    lexical.finish_writing()
        return source

    # --- model and vectors ----------------------------------------------------------------
    @property
    def stored_model(self) -> str | None:
        return self.store.get_meta("model")

    def check_model(self) -> None:
        stored = self.stored_model
        if stored is not None and stored != self.embedder.model_name:
            raise ModelMismatchError(
                f"this index was built with the embedding model {stored!r}, but the config asks "
                f"for {self.embedder.model_name!r}; run `transferdesk reindex --full` to rebuild "
                f"it with the new model, or set embedding.model back to {stored!r}"
            )

    def vectors(self, *, progress: Progress | None = None) -> VectorIndex:
        """The vector index, loaded once and repaired so that it matches the stored chunks."""
        with self._vectors_lock:
            if self._vectors is not None and self._replaced_by_another_process():
                log.info("the vector file was updated by another process; reloading it")
                self._vectors = None
            if self._vectors is None:
                self.check_model()
                self._vectors = self._load_and_repair(progress or SilentProgress())
            return self._vectors

    def _replaced_by_another_process(self) -> bool:
        # While another process reindexes, keep what is loaded; reload once it is done.
        if file_signature(self.vectors_path) == self._vectors.file_signature:
            return False
        return not is_locked(self.lock_path)

    def reset_chunks(self) -> VectorIndex:
        """Delete every chunk, and start an empty vector index for the configured model and an
        empty lexical index (for a full rebuild). The caller holds the reindex lock."""
        with self._vectors_lock, self._lexical_lock:
            self.store.delete_all_chunks()
            with self.store.transaction() as conn:
                self.store.set_meta(conn, "model", self.embedder.model_name)
                self.store.set_meta(conn, "dimension", str(self.embedder.dimension))
            self._vectors = VectorIndex(
                self.vectors_path, self.embedder.dimension, **self._vector_options
            )
            self.save_vectors(self._vectors)
            self._writable_lexical()[0].remove_all()
            return self._vectors

    @property
    def _vector_options(self) -> dict[str, int]:
        return {
            "approximate_above": self.settings.vectors_approximate_above,
            "nprobe": self.settings.vectors_nprobe,
        }

    def save_vectors(self, vectors: VectorIndex) -> None:
        """Save the vector file; if the write fails the previous file stays, and the error says
        what to do (the chunks are safe in the database: their vectors can be rebuilt)."""
        try:
            vectors.save()
        except (OSError, RuntimeError) as error:  # FAISS reports its write errors as RuntimeError
            vectors.dirty = True
            _remove_half_written(vectors.path)
            reason = _write_failure(error)
            full = "space" in reason or "quota" in reason
            advice = "free some disk space" if full else "fix that"
            raise TransferDeskError(
                f"could not save the vector file {vectors.path} ({reason}); the previous vector "
                f"file is kept and everything indexed is safe in the database: {advice}, then "
                "run `transferdesk repair` to add the missing vectors"
            ) from error

    def _loaded_vectors_without_repair(self) -> VectorIndex | None:
        if self._vectors is not None:
            return self._vectors
        dimension = self.store.get_meta("dimension")
        if dimension is None or not self.vectors_path.exists():
            return None
        vectors, problem = VectorIndex.load(
            self.vectors_path, int(dimension), **self._vector_options
        )
        return None if problem else vectors

    def _load_and_repair(self, progress: Progress) -> VectorIndex:
        if self.stored_model is None:
            with self.store.transaction() as conn:
                self.store.set_meta(conn, "model", self.embedder.model_name)
                self.store.set_meta(conn, "dimension", str(self.embedder.dimension))
        dimension = int(self.store.get_meta("dimension") or self.embedder.dimension)
        vectors, problem = VectorIndex.load(self.vectors_path, dimension, **self._vector_options)
        if problem:
            log.warning("%s; rebuilding the vectors from the stored text", problem)
        self.vector_file_problem = problem
        repaired = self.vectors_repaired = self._repair(vectors, progress)
        # Only one writer at a time: a reader that finds a reindex running repairs in memory.
        if (repaired or problem) and not is_locked(self.lock_path):
            with exclusive_lock(self.lock_path, "a reindex"):
                try:
                    self.save_vectors(vectors)
                except TransferDeskError as error:  # a reader can go on with what it repaired
                    log.warning("%s", error)
        return vectors

    def _repair(self, vectors: VectorIndex, progress: Progress) -> int:
        """Drop vectors of deleted chunks, embed chunks that have none; returns how many changed."""
        vector_ids, chunk_ids = vectors.ids(), self.store.chunk_ids()
        orphans = np.setdiff1d(vector_ids, chunk_ids, assume_unique=True)
        missing = np.setdiff1d(chunk_ids, vector_ids, assume_unique=True)
        self.vectors_dropped = len(orphans)
        if len(orphans):
            log.warning("removing %d vectors whose chunks no longer exist", len(orphans))
            vectors.remove(orphans)
        if len(missing):
            log.warning("re-embedding %d chunks that had no vector", len(missing))
            chunks = self.store.chunks_for_embedding(missing.tolist())
            progress.start(len(chunks), "repairing vectors")
            embeddings = self.embedder.encode(
                [text_for_embedding(c.header, c.text) for c in chunks], progress.advance
            )
            progress.finish()
            vectors.add([c.chunk_id for c in chunks], embeddings)
        return int(len(orphans) + len(missing))

    # --- the lexical index -------------------------------------------------------------------
    def lexical(self) -> LexicalIndex:
        """The lexical index, opened once and made to match the stored chunks. While another
        process holds the reindex lock it is used as it is, and checked once the lock is free.
        Searches go on (on what is there) while a repair runs in another thread."""
        with self._lexical_lock:
            current = self._lexical
            if current is not None and not self._lexical_due_for_check(current):
                return current
            # A search failed on files that opened fine: only their checksums can tell.
            verify = current is not None and current.broken is not None and not current.in_memory
            if current is None or current.broken is not None:
                if current is not None:
                    current.close()
                current, _ = LexicalIndex.open(self.lexical_path, create=False)
                self._lexical = current
            self._lexical_unchecked = False
        if verify or current.broken or current.fingerprint() != self.store.chunk_fingerprint():
            self._repair_lexical_as_reader(verify=verify)
        return self._lexical

    def _lexical_due_for_check(self, current: LexicalIndex) -> bool:
        if current.broken is not None:  # once the writer has changed it, or is gone
            return current.changed_on_disk() or not is_locked(self.lock_path)
        return self._lexical_unchecked and not is_locked(self.lock_path)

    def _repair_lexical_as_reader(self, *, verify: bool) -> None:
        try:
            if is_locked(self.lock_path):
                raise StoreBusyError("a reindex is running")
            with exclusive_lock(self.lock_path, "a reindex"):
                self.repaired_lexical(verify=verify).finish_writing()
        except StoreBusyError:  # the reindex brings it up to date; look again when it ends
            self._lexical_unchecked = True
        except TransferDeskError as error:  # a reader can go on without it
            log.warning("%s", error)

    def repaired_lexical(
        self, progress: Progress | None = None, *, verify: bool = False
    ) -> LexicalIndex:
        """The lexical index, made to hold exactly the stored chunks; `verify` also reads all
        its files to check their checksums. The caller holds the reindex lock."""
        lexical, rebuild_reason = self._writable_lexical(verify=verify)
        if rebuild_reason:
            log.warning("%s; rebuilding it from the stored chunks", rebuild_reason)
        self._match_lexical_to_chunks(lexical, progress or SilentProgress(), rebuild_reason)
        return lexical

    def _writable_lexical(self, *, verify: bool = False) -> tuple[LexicalIndex, str | None]:
        """The lexical index opened for writing, and why it has to be rebuilt if it must."""
        with self._lexical_lock:
            lexical, problem, missing = self._lexical, None, False
            if lexical is None or lexical.in_memory or lexical.broken is not None:
                if lexical is not None:
                    lexical.close()
                missing = not (self.lexical_path / "meta.json").exists()
                lexical, problem = LexicalIndex.open(self.lexical_path)
            if problem is None and verify and (problem := lexical.damaged_files()):
                lexical.close()
                lexical = LexicalIndex.recreate(self.lexical_path)
            if problem is None and missing and self.store.chunk_fingerprint()[0]:
                problem = f"there is no lexical index in {self.lexical_path} yet"
            self._lexical, self.lexical_problem = lexical, problem
            return lexical, problem

    def _lexical_without_repair(self) -> LexicalIndex | None:
        """The lexical index if it can be written as it is (checked when next searched)."""
        with self._lexical_lock:
            current = self._lexical
            if current is None:
                current, _ = LexicalIndex.open(self.lexical_path, create=False)
                self._lexical, self._lexical_unchecked = current, True
            return None if current.in_memory or current.broken else current

    def _match_lexical_to_chunks(
        self, lexical: LexicalIndex, progress: Progress, rebuild_reason: str | None
    ) -> None:
        """Remove the entries of deleted chunks and index the chunks without one.

        The common case costs two counts and two maxima: chunk ids are never reused, so equal
        (count, highest id) means the same chunks. Otherwise every id is compared (0.4 s for
        the index's side at 1M chunks).
        """
        self.lexical_added = self.lexical_removed = 0
        if lexical.fingerprint() == self.store.chunk_fingerprint():
            return
        removed, added = differences(lexical.chunk_ids(), self.store.chunk_ids())
        if not rebuild_reason:
            if len(removed):
                log.warning(
                    "lexical index: removing %d entries of deleted or twice-indexed chunks",
                    len(removed),
                )
            if len(added):
                log.warning("lexical index: indexing %d chunks it did not have", len(added))
        lexical.remove(removed)
        progress.start(len(added), "indexing words")
        for start in range(0, len(added), LEXICAL_BATCH_CHUNKS):
            batch = self.store.chunk_texts(added[start : start + LEXICAL_BATCH_CHUNKS].tolist())
            lexical.replace([], batch)
            progress.advance(len(batch))
        progress.finish()
        self.lexical_added, self.lexical_removed = len(added), len(removed)

    def lexical_search(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """Chunk ids ranked by BM25 over title and text for any of `terms`, best first."""
        return self.lexical().search(terms, k)

    # --- reading --------------------------------------------------------------------------
    def search(self, question: str, k: int) -> list[Passage]:
        return self.search_vector(self.embed_query(question), k)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.encode_one(text)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.embedder.encode(texts)

    def search_vector(self, query: np.ndarray, k: int) -> list[Passage]:
        return self.store.passages(self.vectors().search(query, k))

    def article_passages(self, article_ids: Sequence[int], query: np.ndarray) -> list[Passage]:
        """Every passage of these articles, scored against the query, best first."""
        scores = self.vectors().similarities(query, self.store.chunk_ids_of_articles(article_ids))
        return self.store.passages(sorted(scores.items(), key=lambda item: -item[1]))

    def article_texts(self, article_ids: Sequence[int]) -> dict[int, str]:
        """The title and text of each of these articles, by id."""
        return self.store.article_texts(article_ids)

    def passages_with_words(self, text: str, k: int) -> list[Passage]:
        """The k passages BM25 ranks best for the words of `text` (no embedding needed)."""
        return self.store.passages(self.lexical_search(query_terms(text), k))

    def retrieve(
        self,
        question: str,
        query_vector: np.ndarray,
        k: int,
        options: RetrievalOptions,
        named: Named = NOBODY,
    ) -> list[Passage]:
        """Dense, lexical or hybrid retrieval (see `index.search`)."""
        return retrieve(
            self.store,
            self.vectors(),
            self.lexical_search,
            question,
            query_vector,
            k,
            options,
            named,
        )

    def recent(
        self,
        about: str | Sequence[str] | None = None,
        limit: int = 10,
        newer_than_id: int | None = None,
    ) -> list[ArticleSummary]:
        """Newest first; with `about`, only articles mentioning it (or any of several names)."""
        names = [about] if isinstance(about, str) else list(about or [])
        return self.store.recent_articles(names, limit, newer_than_id)

    def newest_article_id(self) -> int:
        return self.store.newest_article_id()

    def stats(self) -> IndexStats:
        articles, chunks, sources = self.store.counts()
        vectors = (
            self._vectors if self._vectors is not None else self._loaded_vectors_without_repair()
        )
        dimension = self.store.get_meta("dimension")
        return IndexStats(
            articles=articles,
            chunks=chunks,
            vectors=len(vectors) if vectors is not None else 0,
            sources=sources,
            failing_sources=sum(1 for s in self.store.list_sources() if s.last_error),
            model=self.stored_model,
            dimension=int(dimension) if dimension else None,
            last_reindex=self.store.get_meta("last_reindex"),
            newest_article=self.store.newest_article_date(),
            db_bytes=_size(self.data_dir / DATABASE_FILE),
            index_bytes=_size(self.vectors_path) + folder_size(self.lexical_path),
            data_dir=str(self.data_dir),
        )


def _default_name(kind: str, location: str) -> str:
    if kind in WEB_KINDS:
        parts = urlsplit(location)
        return (parts.netloc + parts.path).rstrip("/")
    return Path(location).name


def _remove_half_written(vectors_path: Path) -> None:
    # `VectorIndex.save` writes beside the file, then swaps; on a full disk, free that space.
    with contextlib.suppress(OSError):
        vectors_path.with_name(vectors_path.name + ".tmp").unlink(missing_ok=True)


def _write_failure(error: OSError | RuntimeError) -> str:
    """'No space left on device', from an OSError or from FAISS's long RuntimeError text."""
    if isinstance(error, OSError):
        return error.strerror or str(error)
    reasons = re.findall(r"\(([^()]+)\)", str(error))
    return reasons[-1] if reasons else "write error"


def _size(path: Path) -> int:
    total = path.stat().st_size if path.exists() else 0
    wal = path.with_name(path.name + "-wal")
    return total + (wal.stat().st_size if wal.exists() else 0)
