"""The names the news prints, as runs of two to four capitalised words, counted under their
initials: a fan's "PVA" is the news' "Patrick van Aanholt" (see `bot.initials`).

The store counts them for each chunk as it writes it, so a question looks its initials up
instead of rereading the news.
"""

from __future__ import annotations

import re
from collections import Counter

from index.aliases import fold

# Lower-case words inside a name: "Donny van de Beek" is one person, named by "Beek".
NAME_PARTICLES = frozenset("van von de der den da di dos du la le ten ter".split())

_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][^\W_]*(?:['’][^\W_]+)*(?:-[A-ZÀ-ÖØ-Þ][^\W_]*)*"
_PARTICLE = rf"(?:{'|'.join(sorted(NAME_PARTICLES, key=len, reverse=True))})"
_RUN_OF_NAMES = re.compile(rf"{_CAPITALISED}(?:\s+(?:{_PARTICLE}\s+)*{_CAPITALISED})+")
SHORTEST_INITIALS, LONGEST_INITIALS = 3, 4


def initials(name: str) -> str:
    """ "Cameron Carter-Vickers" -> "ccv", "Robin van Persie" -> "rvp"."""
    letters = (
        part[0]
        for word in name.split()
        for part in ([word] if word in NAME_PARTICLES else word.split("-"))
        if part
    )
    return fold("".join(letters))


def printed_names(text: str) -> Counter[tuple[str, str]]:
    """How often the text prints each run of two to four capitalised words (and particles)
    with initials of three or four letters, keyed by (initials, name)."""
    names: Counter[tuple[str, str]] = Counter()
    for run in _RUN_OF_NAMES.finditer(text):
        words = [re.sub(r"['’]s$", "", word) for word in run.group().split()]
        for start, first in enumerate(words):
            if first in NAME_PARTICLES:
                continue
            for end in range(start + 2, min(len(words), start + 4) + 1):
                if words[end - 1] in NAME_PARTICLES:
                    continue
                name = " ".join(words[start:end])
                letters = initials(name)
                if SHORTEST_INITIALS <= len(letters) <= LONGEST_INITIALS:
                    names[letters, name] += 1
    return names
