"""Reading text files whose encoding nobody promised."""

from __future__ import annotations

from pathlib import Path


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
