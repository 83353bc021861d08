"""Parsing the publication dates that sources give in many shapes."""

from __future__ import annotations

from datetime import date, datetime
from email.utils import parsedate_to_datetime

_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%d/%m/%Y", "%Y/%m/%d")


def parse_date(value: object) -> date | None:
    """Read a date from ISO 8601 (date or datetime), RFC 2822, or common written forms.

    Returns None for an empty value; raises ValueError for text that is not a date.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    raise ValueError(f"not a date: {text!r}")
