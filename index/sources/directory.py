"""A folder of article files: `.txt` (first line = title), `.md` and `.html`."""

from __future__ import annotations

import logging
from pathlib import Path

from index.dates import parse_date
from index.errors import SourceError
from index.extract import drop_leading_title, extract_article
from index.models import Article
from index.sources import SourceContent
from index.sources.files import read_text
from index.sources.markdown import parse_markdown
from index.text import normalise_whitespace

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}


def read_directory(folder: Path) -> SourceContent:
    if not folder.is_dir():
        raise SourceError(f"folder not found: {folder}")
    content = SourceContent()
    seen: dict[str, Path] = {}
    for path in _article_files(folder):
        name = path.relative_to(folder)
        try:
            article = read_article_file(path)
        except (OSError, ValueError) as error:
            content.problems.append(f"{name}: {error}")
            continue
        if article.key in seen:
            content.problems.append(
                f"{name}: same URL as {seen[article.key].relative_to(folder)}, skipped"
            )
            continue
        seen[article.key] = path
        content.articles.append(article)
    return content


def _article_files(folder: Path) -> list[Path]:
    """Article files under `folder`, skipping hidden paths and README files."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix.lower() in ARTICLE_SUFFIXES
        and not path.stem.upper().startswith("README")
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def read_article_file(path: Path) -> Article:
    """Read one file; raises ValueError when it holds no article."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return _read_txt(path)
    if suffix in (".md", ".markdown"):
        return _read_markdown(path)
    return _read_html(path)


def _read_txt(path: Path) -> Article:
    lines = read_text(path).strip().splitlines()
    if not lines:
        raise ValueError("empty file")
    title, body = lines[0].strip(), normalise_whitespace("\n".join(lines[1:]))
    if not body:
        raise ValueError("no text after the title line")
    url = path.resolve().as_uri()
    return Article(key=url, url=url, title=title, text=body)


def _read_markdown(path: Path) -> Article:
    document = parse_markdown(read_text(path))
    body = drop_leading_title(normalise_whitespace(document.text), document.title)
    if not body:
        raise ValueError("no text")
    meta = document.metadata
    try:
        published = parse_date(meta.get("published") or meta.get("date"))
    except ValueError as error:
        raise ValueError(f"front matter 'published': {error}") from None
    url = meta.get("url") or path.resolve().as_uri()
    return Article(
        key=url,
        url=url,
        title=document.title or _title_from_name(path),
        text=body,
        outlet=meta.get("outlet") or None,
        author=meta.get("author") or None,
        published=published,
    )


def _read_html(path: Path) -> Article:
    file_url = path.resolve().as_uri()
    page = extract_article(read_text(path), url=None)
    if page is None:
        raise ValueError("no article text found in the page")
    url = page.canonical_url or file_url
    return Article(
        key=url,
        url=url,
        title=page.title or _title_from_name(path),
        text=page.text,
        outlet=page.site_name,
        author=page.author,
        published=page.published,
    )


def _title_from_name(path: Path) -> str:
    return path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
