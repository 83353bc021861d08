"""Plain records that flow between the stages and across the seam to `bot/`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as a source delivers it, before chunking."""

    key: str  # stable identity within the store: the canonical URL, or a synthetic key
    title: str
    text: str
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: date | None = None
    # Set for articles found through a feed entry: its link, and a fingerprint of the entry
    # so an unchanged entry's page is not fetched again.
    entry_link: str | None = None
    entry_fingerprint: str | None = None
    # The linked page could not be fetched, so the entry's own summary stands in for it.
    summary_only: bool = False

    @property
    def content_hash(self) -> str:
        """Changes whenever anything that is embedded or cited changes."""
        parts = [
            self.title,
            self.text,
            self.url or "",
            self.outlet or "",
            self.author or "",
            self.published.isoformat() if self.published else "",
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A configured source of articles, as stored."""

    id: int
    kind: str
    location: str
    name: str
    added_at: str
    last_indexed: str | None = None  # the last successful read
    last_error: str | None = None
    article_count: int = 0
    outlet: str | None = None
    tier: int | None = None  # reliability: 1 = most reliable ... 4 = least
    failures: int = 0  # consecutive failed reads
    last_failure: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrieved chunk with the article it came from and its relevance score."""

    chunk_id: int
    article_id: int
    text: str
    score: float
    title: str
    url: str | None
    outlet: str | None
    author: str | None
    published: date | None
    source_tier: int | None = None  # the reliability tier its source was given, if any


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """An article as listed by `rumours`: metadata and its lead sentence."""

    article_id: int
    title: str
    url: str | None
    outlet: str | None
    published: date | None
    lead: str
    source_tier: int | None = None
    text: str = ""  # the whole article, for reading its status; not shown in lists


@dataclass(slots=True)
class SourceProblem:
    """A problem met while reading a source; the rest of the source is still used."""

    source_name: str
    message: str

    def __str__(self) -> str:
        return f"{self.source_name}: {self.message}"


@dataclass(slots=True)
class ReindexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks_embedded: int = 0
    vectors_repaired: int = 0
    lexical_repaired: int = 0  # lexical index entries added or removed to match the chunks
    seconds: float = 0.0
    problems: list[SourceProblem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class IndexStats:
    articles: int
    chunks: int
    vectors: int
    sources: int
    failing_sources: int
    model: str | None
    dimension: int | None
    last_reindex: str | None
    newest_article: date | None
    db_bytes: int
    index_bytes: int
    data_dir: str
