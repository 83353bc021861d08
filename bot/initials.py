"""Players fans call by their initials ("has PVA had an offer?", "where did CCV end up?"), read
as the names the news prints with those initials: "Patrick van Aanholt", "Cameron Carter-Vickers".

The news never prints "PVA", so without this a question about him names somebody no report
names and is refused. Only initials the name tables do not know are read this way (they list
"CHO", "SWP" and the like), and only when one name the news prints with them is far more common
than any other: "KT" is Kieran Trippier as often as it is somebody else.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping

from index.aliases import fold

# "SMS", "RvP", "KDB": three or four letters, at least two of them capitals; or typed in lower
# case without a vowel, as no name is ("sms", "ccv"; "Ccv" once the question is cased).
_TYPED_INITIALS = re.compile(
    r"\b(?:[A-Z][A-Za-z]{2,3}|[b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ][b-df-hj-np-tv-xz]{2,3})\b"
)
# The commonest name with the initials must be printed this often, and this many times as
# often as the next.
_MIN_PRINTED = 2
_DOMINANCE = 2.0


def name_with_initials(spellings: Mapping[str, int]) -> str | None:
    """Of the names the news prints with some initials, and how often (see
    `index.names.printed_names`), the one printed far more often than any other, in its
    commonest spelling; None when there is none or no clear one."""
    by_name: Counter[str] = Counter()
    for name, count in spellings.items():
        by_name[_same_name(name)] += count
    ranked = by_name.most_common(2)
    if not ranked or ranked[0][1] < _MIN_PRINTED:
        return None
    if len(ranked) == 2 and ranked[0][1] < _DOMINANCE * ranked[1][1]:
        return None
    return max((name for name in spellings if _same_name(name) == ranked[0][0]), key=spellings.get)


def _same_name(name: str) -> str:
    """ "Aaron Wan-Bissaka" and "Aaron Wan Bissaka" are one name."""
    return fold(name).replace("-", " ")


def spelt_out(question: str, name_of: Callable[[str], str | None]) -> str:
    """The question with the initials it types ("has PVA had an offer?", "where did ccv end
    up?") replaced by the name `name_of` gives them, where it gives one."""

    def spell_out(match: re.Match[str]) -> str:
        typed = match.group()
        has_a_vowel = re.search(r"[aeiouyAEIOUY]", typed) is not None
        if has_a_vowel and sum(ch.isupper() for ch in typed) < 2:
            return typed
        return name_of(typed) or typed

    return _TYPED_INITIALS.sub(spell_out, question)
