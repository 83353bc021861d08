"""Reindex: read sources, embed only what is new or changed, commit batch by batch.

Order of writes, for crash safety: each batch is committed to SQLite first, then to the lexical
(tantivy) index, and its vectors go into the in-memory FAISS index, which is saved atomically at
checkpoints and at the end. A crash between these leaves chunks without vectors or lexical
entries (added on the next open) or vectors and entries without chunks (dropped on the next
open); never a half-written article.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from index.chunk import chunk_text, embedding_header, text_for_embedding
from index.errors import TransferDeskError
from index.fetch import Fetcher, FetchSettings
from index.lexical import LexicalIndex
from index.library import DeclaredSource, NewsIndex
from index.lock import exclusive_lock
from index.models import Article, ReindexReport, SourceProblem, SourceRecord
from index.progress import Progress, SilentProgress
from index.sources import WEB_KINDS, SourceContent, read_source
from index.sources.web import read_feed, read_page
from index.store import ArticleWrite, StoredArticleState, now_iso
from index.vectors import VectorIndex

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class DerivedIndexes:
    """What follows the chunks in SQLite, written after each SQLite commit."""

    vectors: VectorIndex
    lexical: LexicalIndex

    def remove(self, chunk_ids: list[int]) -> None:
        self.vectors.remove(chunk_ids)
        self.lexical.remove(chunk_ids)


@dataclass(frozen=True, slots=True)
class PendingArticle:
    """An article to (re)embed: from a source, or a stored one whose chunks are missing."""

    article: Article
    chunks: list[str]
    source_id: int | None = None  # set for articles read from a source
    existing_id: int | None = None


def reindex(
    index: NewsIndex,
    *,
    full: bool = False,
    source_id: int | None = None,
    declared: Sequence[DeclaredSource] = (),
    progress: Progress | None = None,
) -> ReindexReport:
    """Bring the index up to date with all sources, or with one (`source_id`)."""
    progress = progress or SilentProgress()
    started = time.perf_counter()
    report = ReindexReport()
    with exclusive_lock(index.lock_path, "a reindex"):
        index.ensure_sources(declared)
        sources = index.list_sources()
        if source_id is not None:
            sources = [index.store.get_source(source_id)]
        if full:
            vectors = index.reset_chunks()
        else:
            vectors = index.vectors(progress=progress)
            report.vectors_repaired = index.vectors_repaired
        derived = DerivedIndexes(vectors, index.repaired_lexical(progress))
        report.lexical_repaired = index.lexical_added + index.lexical_removed
        try:
            contents = read_sources(index, sources)
            stored = index.store.article_states()
            pending: list[PendingArticle] = []
            for source in sources:
                pending += _sync_source(index, derived, source, contents[source.id], stored, report)
            pending += _articles_missing_chunks(index, {p.existing_id for p in pending})
            _embed_and_write(index, derived, pending, progress, report)
        finally:
            derived.lexical.finish_writing()
        if vectors.dirty:
            index.save_vectors(vectors)
        with index.store.transaction() as conn:
            index.store.set_meta(conn, "last_reindex", now_iso())
    report.seconds = time.perf_counter() - started
    return report


def read_sources(
    index: NewsIndex, sources: Sequence[SourceRecord]
) -> dict[int, SourceContent | TransferDeskError]:
    """Read every source; web sources concurrently, under one polite HTTP client."""
    results: dict[int, SourceContent | TransferDeskError] = {}
    web = [s for s in sources if s.kind in WEB_KINDS]
    for source in sources:
        if source.kind not in WEB_KINDS:
            try:
                results[source.id] = read_source(source.kind, source.location)
            except TransferDeskError as error:
                results[source.id] = error
    if web:
        known = {s.id: index.store.entry_fingerprints(s.id) for s in web if s.kind == "rss"}
        results |= asyncio.run(_read_web_sources(index.fetch_settings, web, known))
    return results


async def _read_web_sources(
    settings: FetchSettings, sources: Sequence[SourceRecord], known: dict[int, dict[str, str]]
) -> dict[int, SourceContent | TransferDeskError]:
    async with Fetcher(settings) as fetcher:
        outcomes = await asyncio.gather(
            *(_read_web_source(fetcher, s, known.get(s.id, {})) for s in sources)
        )
    return {source.id: outcome for source, outcome in zip(sources, outcomes, strict=True)}


async def _read_web_source(
    fetcher: Fetcher, source: SourceRecord, known: dict[str, str]
) -> SourceContent | TransferDeskError:
    try:
        if source.kind == "rss":
            return await read_feed(
                fetcher,
                source.location,
                etag=source.etag,
                last_modified=source.last_modified,
                known_entries=known,
            )
        return await read_page(
            fetcher, source.location, etag=source.etag, last_modified=source.last_modified
        )
    except TransferDeskError as error:
        return error


def _sync_source(
    index: NewsIndex,
    derived: DerivedIndexes,
    source: SourceRecord,
    content: SourceContent | TransferDeskError,
    stored: dict[str, StoredArticleState],
    report: ReindexReport,
) -> list[PendingArticle]:
    """Compare a source's articles with the store; remove vanished ones, return what to embed.

    `stored` maps article keys to their state and is updated with the keys this source claims,
    so the same story offered by two sources is stored once, by the first.
    """
    if isinstance(content, TransferDeskError):
        message = f"{content}; its {source.article_count} stored articles are kept"
        report.problems.append(SourceProblem(source.name, message))
        index.store.record_source_failure(source.id, str(content))
        return []
    report.problems += [SourceProblem(source.name, problem) for problem in content.problems]
    report.unchanged += source.article_count if content.not_modified else content.skipped_unchanged
    pending: list[PendingArticle] = []
    seen_keys: set[str] = set()
    for article in content.articles:
        if article.outlet is None and source.outlet:
            article = replace(article, outlet=source.outlet)
        seen_keys.add(article.key)
        state = stored.get(article.key)
        if state is not None and state.source_id != source.id:
            report.unchanged += 1  # already indexed through another source
            continue
        if state is not None and state.content_hash == article.content_hash:
            report.unchanged += 1
            continue
        if state is None:
            report.added += 1
            stored[article.key] = StoredArticleState(-1, source.id, article.content_hash)
        else:
            report.updated += 1
        pending.append(_pending(article, source.id, state))
    if content.is_snapshot:
        vanished = [
            key
            for key, state in stored.items()
            if state.source_id == source.id and key not in seen_keys
        ]
        if vanished:
            removed_ids = [stored.pop(key).article_id for key in vanished]
            derived.remove(index.store.delete_articles(removed_ids))
            report.removed += len(vanished)
    index.store.record_source_success(source.id, content.etag, content.last_modified)
    return pending


def _pending(article: Article, source_id: int, state: StoredArticleState | None) -> PendingArticle:
    return PendingArticle(
        article=article,
        chunks=[],
        source_id=source_id,
        existing_id=state.article_id if state else None,
    )


def rebuild_missing_chunks(
    index: NewsIndex,
    vectors: VectorIndex,
    lexical: LexicalIndex,
    progress: Progress | None = None,
) -> int:
    """Chunk and embed the stored articles that have no chunks, from their stored text (after a
    `--full` reindex that was killed, or a rescued database); returns how many there were.
    The caller holds the reindex lock, saves the vectors and ends the lexical writes."""
    pending = _articles_missing_chunks(index, set())
    derived = DerivedIndexes(vectors, lexical)
    _embed_and_write(index, derived, pending, progress or SilentProgress(), ReindexReport())
    return len(pending)


def _articles_missing_chunks(
    index: NewsIndex, already_pending: set[int | None]
) -> list[PendingArticle]:
    """Stored articles with no chunks (after `--full`, or a crash): rebuilt from stored text."""
    return [
        PendingArticle(article=article, chunks=[], existing_id=article_id)
        for article_id, article in index.store.articles_without_chunks()
        if article_id not in already_pending
    ]


def _embed_and_write(
    index: NewsIndex,
    derived: DerivedIndexes,
    pending: list[PendingArticle],
    progress: Progress,
    report: ReindexReport,
) -> None:
    settings = index.settings
    chunked = [
        PendingArticle(
            p.article,
            [
                c.text
                for c in chunk_text(p.article.text, settings.chunk_size, settings.chunk_overlap)
            ],
            p.source_id,
            p.existing_id,
        )
        for p in pending
    ]
    total = sum(len(p.chunks) for p in chunked)
    if total == 0:
        return
    progress.start(total, "embedding")
    last_save = time.monotonic()
    for batch in _batches_by_chunks(chunked, settings.embed_batch_chunks):
        texts = [text_for_embedding(_header(p.article), chunk) for p in batch for chunk in p.chunks]
        embeddings = index.embedder.encode(texts, progress.advance)
        old_ids, new_ids = _write_batch(index, batch)
        derived.lexical.replace(old_ids, index.store.chunk_texts(new_ids))
        derived.vectors.remove(old_ids)
        derived.vectors.add(new_ids, embeddings)
        report.chunks_embedded += len(new_ids)
        if time.monotonic() - last_save > CHECKPOINT_SECONDS:  # bounds the work a crash loses
            index.save_vectors(derived.vectors)
            last_save = time.monotonic()
    progress.finish()


def _header(article: Article) -> str:
    return embedding_header(article.title, article.outlet, article.published)


def _write_batch(index: NewsIndex, batch: list[PendingArticle]) -> tuple[list[int], list[int]]:
    """Commit a batch in one transaction; returns (replaced chunk ids, new chunk ids in order)."""
    old_ids: list[int] = []
    new_ids: list[int] = []
    # Chunk ids must line up with the embeddings, which follow the batch order.
    for group in _runs(batch, key=lambda p: p.source_id):
        if group[0].source_id is None:
            new_ids += index.store.replace_chunks([(p.existing_id, p.chunks) for p in group])
        else:
            writes = [ArticleWrite(p.article, p.existing_id, p.chunks) for p in group]
            replaced, created = index.store.write_articles(group[0].source_id, writes)
            old_ids += replaced
            new_ids += created
    return old_ids, new_ids


def _runs(
    items: list[PendingArticle], key: Callable[[PendingArticle], object]
) -> Iterator[list[PendingArticle]]:
    run: list[PendingArticle] = []
    for item in items:
        if run and key(run[-1]) != key(item):
            yield run
            run = []
        run.append(item)
    if run:
        yield run


def _batches_by_chunks(
    items: list[PendingArticle], max_chunks: int
) -> Iterator[list[PendingArticle]]:
    batch: list[PendingArticle] = []
    size = 0
    for item in items:
        if batch and size + len(item.chunks) > max_chunks:
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item.chunks)
    if batch:
        yield batch
