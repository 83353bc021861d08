"""Bulk import: one JSON article per line.

`{"url", "title", "text", "published", "outlet", "author"}`; only `text` and one of
`url`/`title` are required. A bad line is reported with its number and skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from index.dates import parse_date
from index.errors import SourceError
from index.models import Article
from index.sources import SourceContent
from index.text import normalise_whitespace, split_sentences

_TITLE_FROM_TEXT_CHARS = 90


def read_jsonl(path: Path) -> SourceContent:
    if not path.is_file():
        raise SourceError(f"file not found: {path}")
    content = SourceContent()
    first_line_of_key: dict[str, int] = {}
    by_key: dict[str, Article] = {}
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            try:
                article, warning = parse_line(line, path)
            except ValueError as error:
                content.problems.append(f"line {number}: {error}; skipped")
                continue
            if warning:
                content.problems.append(f"line {number}: {warning}")
            if article.key in first_line_of_key:
                content.problems.append(
                    f"line {number}: same article as line {first_line_of_key[article.key]}; "
                    "the later line is kept"
                )
            else:
                first_line_of_key[article.key] = number
            by_key[article.key] = article
    content.articles = list(by_key.values())
    return content


def parse_line(line: str, path: Path) -> tuple[Article, str | None]:
    """One article from one line, and a warning about anything that was dropped from it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    text = _string_field(record, "text")
    url = _string_field(record, "url")
    title = _string_field(record, "title")
    if not text:
        raise ValueError("missing 'text'")
    if not url and not title:
        raise ValueError("needs a 'url' or a 'title'")
    warning = None
    try:
        published = parse_date(record.get("published"))
    except ValueError:
        published = None
        warning = (
            f"'published' is not a date ({record.get('published')!r}); imported without a date"
        )
    text = normalise_whitespace(text)
    title = title or _title_from_text(text)
    key = url or f"{path.resolve().as_uri()}#{quote(title)}"
    return (
        Article(
            key=key,
            url=url,
            title=title,
            text=text,
            outlet=_string_field(record, "outlet"),
            author=_string_field(record, "author"),
            published=published,
        ),
        warning,
    )


def _string_field(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str | int | float):
        raise ValueError(f"'{name}' must be text")
    return str(value).strip() or None


def _title_from_text(text: str) -> str:
    first = (split_sentences(text) or [text])[0]
    if len(first) <= _TITLE_FROM_TEXT_CHARS:
        return first
    return first[:_TITLE_FROM_TEXT_CHARS].rsplit(" ", 1)[0] + "…"
