"""Readers that turn a source (a folder, a JSONL file, ...) into articles.

Each reader returns every article it could read plus the problems it met; one bad file or line
never hides the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from index.errors import SourceError
from index.models import Article

KINDS = ("dir", "jsonl", "rss", "page")
LOCAL_KINDS = ("dir", "jsonl")


@dataclass(slots=True)
class SourceContent:
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # A snapshot lists everything the source holds, so articles missing from it were deleted.
    is_snapshot: bool = True


def guess_kind(location: str) -> str:
    if location.startswith(("http://", "https://")):
        raise SourceError(
            "feeds and web pages (kinds 'rss' and 'page') are not supported yet; "
            "add a folder (dir) or a JSONL file (jsonl)"
        )
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


def normalise_location(kind: str, location: str) -> str:
    """The form a location is stored in: an absolute path for local kinds."""
    if kind not in KINDS:
        raise SourceError(f"unknown source kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind not in LOCAL_KINDS:
        raise SourceError(
            f"kind {kind!r} (feeds and web pages) is not supported yet; use dir or jsonl"
        )
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
    raise SourceError(f"kind {kind!r} is not supported yet")
