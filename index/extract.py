"""The one place that parses HTML: trafilatura turns a web page into an article's parts."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from index.dates import parse_date
from index.text import normalise_whitespace

log = logging.getLogger(__name__)

# Below this, what the extractor found is a menu or a caption, not an article.
MIN_ARTICLE_WORDS = 8


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    title: str | None
    text: str
    author: str | None
    published: date | None
    canonical_url: str | None
    site_name: str | None


def extract_article(html: str | bytes, url: str | None = None) -> ExtractedPage | None:
    """Main text and metadata of an article page, without navigation, ads, teasers or footers.

    Returns None when the page holds no article text.
    """
    import trafilatura  # heavy import, only needed when HTML is actually read

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
    )
    if document is None or not (document.text or "").strip():
        return None
    title = _clean(document.title)
    text = drop_leading_title(normalise_whitespace(document.text.replace("\n", "\n\n")), title)
    if len(text.split()) < MIN_ARTICLE_WORDS:
        return None
    return ExtractedPage(
        title=title,
        text=text,
        author=_clean(document.author),
        published=_safe_date(document.date),
        canonical_url=_clean(document.url),
        site_name=_clean(document.sitename),
    )


def drop_leading_title(text: str, title: str | None) -> str:
    """Pages repeat their headline above the body; keep it out of the body text."""
    first, _, rest = text.partition("\n\n")
    if title and first.strip().casefold() == title.strip().casefold():
        return rest
    return text


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _safe_date(value: str | None) -> date | None:
    try:
        return parse_date(value)
    except ValueError:
        log.debug("ignoring unparseable page date %r", value)
        return None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML snippet, such as a feed entry's summary."""
    if "<" not in fragment:
        return normalise_whitespace(fragment)
    import lxml.html

    try:
        element = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, AssertionError, lxml.etree.ParserError):
        # lxml asserts on some fragments ("<html>" alone: "too many bodies").
        return normalise_whitespace(re.sub(r"<[^>]*>", " ", fragment))
    for removable in element.xpath("//script|//style"):
        removable.drop_tree()
    return normalise_whitespace(element.text_content())
