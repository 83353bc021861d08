"""Feeds (RSS 0.9x/1.0/2.0, Atom) and single web pages, read over HTTP.

For a feed, each entry's linked page is fetched and extracted; when it cannot be fetched, the
entry's own summary is indexed instead, marked as such. Entries already indexed from their page,
and unchanged since, are not fetched again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import warnings
from dataclasses import dataclass
from datetime import date
from time import struct_time

from index.dates import parse_date
from index.errors import SourceError, TransferDeskError
from index.extract import extract_article, html_to_text
from index.fetch import FEED_ACCEPT, HTML_ACCEPT, Fetcher, FetchError, FetchResult
from index.models import Article
from index.sources import SourceContent
from index.urls import canonical_url

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf", b"<?xml")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str
    title: str
    summary: str
    published: date | None
    author: str | None
    fingerprint: str


async def guess_web_kind(fetcher: Fetcher, url: str) -> str:
    """'rss' for a feed, 'page' for a web page, from what the URL actually serves."""
    result = await fetcher.fetch(url, accept=FEED_ACCEPT)
    if looks_like_feed(result):
        return "rss"
    if looks_like_html(result):
        return "page"
    raise SourceError(
        f"{url} is neither a feed nor a web page (content type {result.content_type or 'unknown'})"
    )


def looks_like_feed(result: FetchResult) -> bool:
    if any(marker in result.content_type for marker in ("rss", "atom", "xml")):
        return b"<html" not in result.body[:1000].lower()
    return result.body.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower().startswith(_FEED_MARKERS)


def looks_like_html(result: FetchResult) -> bool:
    if result.content_type:
        return result.content_type in _HTML_TYPES
    return b"<html" in result.body[:2000].lower()


async def read_feed(
    fetcher: Fetcher,
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    known_entries: dict[str, str],
) -> SourceContent:
    """Articles of a feed's new or changed entries. `known_entries`: entry link → fingerprint."""
    result = await fetcher.fetch(url, accept=FEED_ACCEPT, etag=etag, last_modified=last_modified)
    if result.not_modified:
        return SourceContent(
            is_snapshot=False, not_modified=True, etag=etag, last_modified=last_modified
        )
    if not looks_like_feed(result) and looks_like_html(result):
        raise SourceError(f"{url} is a web page, not a feed; add it with --kind page")
    entries = parse_feed(result.body, url)
    content = SourceContent(is_snapshot=False, etag=result.etag, last_modified=result.last_modified)
    fresh = [e for e in entries if known_entries.get(e.link) != e.fingerprint]
    content.skipped_unchanged = len(entries) - len(fresh)
    outcomes = await asyncio.gather(*(_article_for_entry(fetcher, entry) for entry in fresh))
    for article, problem in outcomes:
        if problem:
            content.problems.append(problem)
        if article:
            content.articles.append(article)
    return content


def parse_feed(body: bytes, url: str) -> list[FeedEntry]:
    import feedparser

    with warnings.catch_warnings():
        # feedparser warns about its own updated/published fallback on every lookup.
        warnings.simplefilter("ignore", DeprecationWarning)
        return _entries(feedparser.parse(body), url)


def _entries(parsed, url: str) -> list[FeedEntry]:
    if not parsed.entries:
        if parsed.bozo:
            reason = str(parsed.get("bozo_exception", "unreadable")).splitlines()[0][:120]
            raise SourceError(f"{url} is not a valid feed ({reason})")
        if not parsed.get("version"):
            raise SourceError(f"{url} is not a feed")
        return []
    entries = []
    for raw in parsed.entries:
        link = (raw.get("link") or "").strip()
        if not link.startswith(("http://", "https://")):
            continue
        summary = raw.get("summary") or ""
        if raw.get("content"):
            summary = raw["content"][0].get("value") or summary
        title = html_to_text(raw.get("title") or "")
        stamp = raw.get("updated") or raw.get("published") or ""
        fingerprint = hashlib.sha256(
            "\x1f".join([raw.get("id") or link, stamp, title, summary]).encode()
        ).hexdigest()
        entries.append(
            FeedEntry(
                link=canonical_url(link),
                title=title,
                summary=html_to_text(summary),
                published=_entry_date(raw),
                author=(raw.get("author") or "").strip() or None,
                fingerprint=fingerprint,
            )
        )
    return entries


async def _article_for_entry(
    fetcher: Fetcher, entry: FeedEntry
) -> tuple[Article | None, str | None]:
    try:
        article = await page_article(await fetch_page(fetcher, entry.link))
    except TransferDeskError as error:
        return _summary_article(entry, f"page not fetched ({error})")
    if article is None:
        return _summary_article(entry, "no article text found on the page")
    return (
        Article(
            key=article.key,
            title=article.title or entry.title,
            text=article.text,
            url=article.url,
            outlet=article.outlet,
            author=article.author or entry.author,
            published=article.published or entry.published,
            entry_link=entry.link,
            entry_fingerprint=entry.fingerprint,
        ),
        None,
    )


def _summary_article(entry: FeedEntry, why: str) -> tuple[Article | None, str | None]:
    if not entry.summary or not entry.title:
        return None, f"entry {entry.link}: {why}, and the entry has no summary; skipped"
    article = Article(
        key=entry.link,
        title=entry.title,
        text=entry.summary,
        url=entry.link,
        author=entry.author,
        published=entry.published,
        entry_link=entry.link,
        entry_fingerprint=entry.fingerprint,
        summary_only=True,
    )
    return article, f"entry {entry.link}: {why}; indexed its feed summary instead"


async def fetch_page(
    fetcher: Fetcher, url: str, *, etag: str | None = None, last_modified: str | None = None
) -> FetchResult:
    """Fetch a web page (or learn it is unchanged); anything but HTML is refused."""
    result = await fetcher.fetch(url, accept=HTML_ACCEPT, etag=etag, last_modified=last_modified)
    if not result.not_modified and not looks_like_html(result):
        kind = result.content_type or "unknown"
        raise FetchError(f"{url} is not a web page (content type {kind})")
    return result


async def page_article(result: FetchResult) -> Article | None:
    """The article on a fetched page, keyed by its canonical URL; None if it holds no article."""
    page = await asyncio.to_thread(extract_article, result.body, result.url)
    if page is None:
        return None
    canonical = canonical_url(page.canonical_url or result.url)
    return Article(
        key=canonical,
        url=canonical,
        title=page.title or canonical,
        text=page.text,
        outlet=page.site_name,
        author=page.author,
        published=page.published,
    )


async def read_page(
    fetcher: Fetcher, url: str, *, etag: str | None, last_modified: str | None
) -> SourceContent:
    result = await fetch_page(fetcher, url, etag=etag, last_modified=last_modified)
    if result.not_modified:
        return SourceContent(
            is_snapshot=False, not_modified=True, etag=etag, last_modified=last_modified
        )
    article = await page_article(result)
    if article is None:
        raise SourceError(f"{url}: no article text found on the page")
    return SourceContent(
        articles=[article], is_snapshot=False, etag=result.etag, last_modified=result.last_modified
    )


def _entry_date(raw) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        value = raw.get(key)
        if isinstance(value, struct_time):
            return date(value.tm_year, value.tm_mon, value.tm_mday)
    for key in ("published", "updated"):
        try:
            parsed = parse_date(raw.get(key))
        except ValueError:
            continue
        if parsed:
            return parsed
    return None
