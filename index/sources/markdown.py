"""Markdown articles: an optional `key: value` front-matter block, then the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_INLINE_RULES = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"<[^>]+>"), ""),  # inline HTML
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]*)`"), r"\1"),
]
_LINE_PREFIX = re.compile(r"^\s*(?:>\s?|[-*+]\s+|\d+[.)]\s+)")


@dataclass(frozen=True, slots=True)
class MarkdownDocument:
    metadata: dict[str, str]
    title: str | None
    text: str


def parse_markdown(source: str) -> MarkdownDocument:
    metadata: dict[str, str] = {}
    match = _FRONT_MATTER.match(source)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip():
                metadata[key.strip().lower()] = _unquote(value.strip())
        source = source[match.end() :]
    title = metadata.get("title") or None
    lines: list[str] = []
    in_code = False
    for line in source.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = _HEADING.match(line)
        if heading:
            if title is None:
                title = heading.group(1)
                continue
            line = heading.group(1)
        lines.append(_strip_inline(_LINE_PREFIX.sub("", line)))
    return MarkdownDocument(metadata=metadata, title=title, text="\n".join(lines).strip())


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _strip_inline(line: str) -> str:
    for pattern, replacement in _INLINE_RULES:
        line = pattern.sub(replacement, line)
    return line
