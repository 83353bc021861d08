"""Readers that turn a source (a folder, a JSONL file, ...) into articles.

Each reader returns every article it could read plus the problems it met; one bad file or line
never hides the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from index.errors import SourceError
from index.models import Article
from index.urls import canonical_url, is_web_url

KINDS = ("dir", "jsonl", "rss", "page")
LOCAL_KINDS = ("dir", "jsonl")
WEB_KINDS = ("rss", "page")


@dataclass(slots=True)
class SourceContent:
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # A snapshot lists everything the source holds, so articles missing from it were deleted.
    is_snapshot: bool = True
    # Known articles the source still offers but that were not read again (unchanged entries).
    skipped_unchanged: int = 0
    # The source answered 304 Not Modified: everything stored from it is still current.
    not_modified: bool = False
    # HTTP validators for the next conditional GET.
    etag: str | None = None
    last_modified: str | None = None


def guess_local_kind(location: str) -> str:
    path = Path(location).expanduser()
    if path.is_dir():
        return "dir"
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return "jsonl"
    if not path.exists():
        raise SourceError(f"no such file or folder: {location}")
    raise SourceError(
        f"cannot tell what kind of source {location} is; give --kind dir or --kind jsonl"
    )


def looks_like_url(location: str) -> bool:
    return "://" in location


def normalise_location(kind: str, location: str) -> str:
    """The form a location is stored in: an absolute path, or a canonical http(s) URL."""
    if kind not in KINDS:
        raise SourceError(f"unknown source kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind in WEB_KINDS:
        if not is_web_url(location):
            raise SourceError(f"a {kind} source needs an http:// or https:// URL, not {location!r}")
        return canonical_url(location)
    if looks_like_url(location):
        raise SourceError(f"a {kind} source is a local path, not a URL: {location!r}")
    path = Path(location).expanduser().resolve()
    if kind == "dir" and not path.is_dir():
        raise SourceError(f"not a folder: {location}")
    if kind == "jsonl" and not path.is_file():
        raise SourceError(f"not a file: {location}")
    return str(path)


def read_source(kind: str, location: str) -> SourceContent:
    """All articles of a source; raises SourceError when the whole source is unreadable."""
    if kind == "dir":
        from index.sources.directory import read_directory

        return read_directory(Path(location))
    if kind == "jsonl":
        from index.sources.jsonl import read_jsonl

        return read_jsonl(Path(location))
    raise SourceError(f"kind {kind!r} is not a local source")
