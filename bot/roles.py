"""Fans name people by role: "the Arsenal boss", "the Chelsea keeper". The news itself says who
holds the role ("Arsenal boss Arsene Wenger"), so the name the reports use most for that club and
role stands in for the phrase when searching.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from index.aliases import AliasTable, Club, fold
from index.models import Passage

ROLES = {
    "boss": ("boss", "manager", "coach", "head coach"),
    "manager": ("manager", "boss", "coach", "head coach"),
    "coach": ("coach", "head coach", "boss", "manager"),
    "keeper": ("keeper", "goalkeeper"),
    "goalkeeper": ("goalkeeper", "keeper"),
    "captain": ("captain", "skipper"),
    "skipper": ("skipper", "captain"),
    "chairman": ("chairman",),
    "owner": ("owner",),
    "striker": ("striker", "forward"),
    "director": ("director", "sporting director"),
}
_PASSAGES_READ = 40
# A capitalised name of one to three words after the role: "Arsene Wenger", "Jose Mourinho".
_NAME = r"((?:[A-Z][\w'’-]+)(?: (?:de |van |da |di |ten )?[A-Z][\w'’-]+){0,2})"


@dataclass(frozen=True, slots=True)
class RoleHolder:
    phrase: str  # as the question put it: "Arsenal boss"
    name: str  # as the reports name the holder: "Arsene Wenger"
    mentions: int


def resolve_roles(
    question: str,
    aliases: AliasTable,
    passages_with_words: Callable[[str, int], Sequence[Passage]],
) -> list[RoleHolder]:
    """Who each "the <club> <role>" phrase of the question names, by the reports' own words.

    The reports searched are those sharing the question's other words too, so "the Toon boss"
    in a question about Bellamy's bust-up finds the boss of that story, not the latest one.
    """
    holders = []
    for club, role, new in _club_roles(question, aliases):
        passages = passages_with_words(f"{question} {club.name} {role}", _PASSAGES_READ)
        if new:  # the newest report's new holder: there is a new one every few seasons
            passages = sorted(passages, key=lambda p: p.published or date.min, reverse=True)
        named = _holders_named(club, ROLES[role], passages, new=new)
        if named:
            # The best-matching report's holder: the role changes hands over the years.
            name = named[0]
            holders.append(RoleHolder(f"{club.name} {role}", name, named.count(name)))
    return holders


def _club_roles(question: str, aliases: AliasTable) -> list[tuple[Club, str, bool]]:
    """The clubs and roles of phrases like "the Arsenal boss" or "the new Saints manager" (True
    for a new holder), unless the question names the holder right after ("the QPR keeper Chris
    Day")."""
    found = []
    for used, club in aliases.clubs_in(question):
        phrase = re.search(
            rf"\bthe (?:(\w+) )?{re.escape(used)}(?:'s|’s)? (\w+)(?-i:(?! [A-Z]))",
            question,
            re.IGNORECASE,
        )
        if phrase and fold(phrase.group(2)) in ROLES:
            found.append((club, fold(phrase.group(2)), fold(phrase.group(1) or "") == "new"))
    return found


def _holders_named(
    club: Club, roles: Sequence[str], passages: Sequence[Passage], *, new: bool = False
) -> list[str]:
    """Every "<club> <role> <Name>" in the passages, in their order. For a `new` holder only
    "new <club> <role> <Name>" and "<club>'s new <role> <Name>" count: the reports' current
    holder is not who a question about the new one wants."""
    names = "|".join(re.escape(n) for n in sorted(club.all_names, key=len, reverse=True))
    titles = "|".join(re.escape(r) for r in roles)
    club_s = rf"(?:{names})(?:'s|’s)?"
    if new:
        phrase = rf"(?:new {club_s} (?:{titles})|{club_s} new (?:{titles}))"
    else:
        phrase = rf"{club_s} (?:{titles})"
    # Club and role in any case; the name itself must be capitalised.
    pattern = re.compile(rf"\b(?i:{phrase}) {_NAME}")
    return [
        match.group(1)
        for passage in passages
        for match in pattern.finditer(passage.text)
        if not _is_club_name(match.group(1), club)
    ]


def _is_club_name(name: str, club: Club) -> bool:
    return fold(name) in {fold(n) for n in club.all_names}
