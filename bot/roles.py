"""Fans name people by role: "the Arsenal boss", "the Chelsea keeper", "their Danish
midfielder". The news itself says who holds the role ("Arsenal boss Arsene Wenger"), so the name
the reports use most for that club and role stands in for the phrase when searching.

The other way round, a boss named as the one doing a deal stands for his club when the news never
names him with the player ("did Arteta land Aouar?": "Arsenal want Aouar").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.place_names import NATIONALITIES
from bot.question_intent import QUESTION_STARTERS
from index.aliases import AliasTable, Club, fold, named_share, without_accents
from index.models import ArticleSummary, Passage
from index.text import STOPWORDS

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
    "midfielder": ("midfielder",),
    "defender": ("defender", "centre-back", "centre-half", "full-back"),
    "centre-back": ("centre-back", "centre-half", "defender"),
    "full-back": ("full-back", "left-back", "right-back"),
    "left-back": ("left-back", "full-back"),
    "right-back": ("right-back", "full-back"),
    "winger": ("winger",),
    "forward": ("forward", "striker"),
}
_PASSAGES_READ = 40
# "[German] keeper", unless a capitalised name follows ("the QPR keeper Chris Day").
_ROLE_PHRASE = (
    rf"(?:(?P<nationality>{'|'.join(sorted(NATIONALITIES, key=len, reverse=True))}) )?"
    rf"(?P<role>{'|'.join(sorted(ROLES, key=len, reverse=True))})\b(?-i:(?! [A-Z]))"
)
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
    """Who each "the <club> <role>" phrase of the question names, by the reports' own words;
    also "<club>'s <nationality> <role>" and "their <nationality> <role>" after a club ("Are
    the Toon after Arsenal's German keeper?", "Are Spurs selling their Danish midfielder?").

    The reports searched are those sharing the question's other words too, so "the Toon boss"
    in a question about Bellamy's bust-up finds the boss of that story, not the latest one.
    """
    holders = []
    for asked in _club_roles(question, aliases):
        club, role = asked.club, asked.role
        words = f"{question} {club.name} {role} {' '.join(asked.nationality)}"
        passages = passages_with_words(words, _PASSAGES_READ)
        if asked.new:  # the newest report's new holder: there is a new one every few seasons
            passages = sorted(passages, key=lambda p: p.published or date.min, reverse=True)
        named = _holders_named(club, ROLES[role], passages, new=asked.new, of=asked.nationality)
        if named:
            # The best-matching report's holder: the role changes hands over the years.
            name = named[0]
            holders.append(RoleHolder(f"{club.name} {role}", name, named.count(name)))
    return holders


@dataclass(frozen=True, slots=True)
class _RoleAsked:
    club: Club
    role: str  # a key of ROLES
    new: bool  # "the new Saints manager"
    nationality: tuple[str, ...] = ()  # folded words for it: ("german", "germany")


def _club_roles(question: str, aliases: AliasTable) -> list[_RoleAsked]:
    """The roles of phrases like "the Arsenal boss", "the new Saints manager", "Arsenal's German
    keeper" or "their Danish midfielder" (of the club named before), unless the question names
    the holder right after ("the QPR keeper Chris Day")."""
    found = []
    clubs = aliases.clubs_in(question)
    for used, club in clubs:
        used_s = rf"{re.escape(used)}(?:'s|’s|'|’)"  # "Spurs' Danish midfielder"
        club_words = rf"(?:the (?:(?P<before>\w+) )?{re.escape(used)}(?:'s|’s)?|{used_s})"
        phrase = re.search(rf"\b{club_words} {_ROLE_PHRASE}", question, re.IGNORECASE)
        if phrase:
            found.append(_asked(club, phrase))
    if clubs:
        for phrase in re.finditer(rf"\b(?:their|his) {_ROLE_PHRASE}", question, re.IGNORECASE):
            before = [club for used, club in clubs if fold(question).find(used) < phrase.start()]
            if before and phrase.group("nationality"):
                found.append(_asked(before[-1], phrase))
    return found


def _asked(club: Club, phrase: re.Match[str]) -> _RoleAsked:
    groups = phrase.groupdict()
    nationality = fold(groups.get("nationality") or "")
    countries = tuple(sorted(NATIONALITIES[nationality])) if nationality else ()
    return _RoleAsked(
        club,
        fold(phrase.group("role")),
        fold(groups.get("before") or "") == "new",
        (nationality, *countries) if nationality else (),
    )


def _holders_named(
    club: Club,
    roles: Sequence[str],
    passages: Sequence[Passage],
    *,
    new: bool = False,
    of: Sequence[str] = (),
) -> list[str]:
    """Every "<club> <role> <Name>" in the passages, in their order. For a `new` holder only
    "new <club> <role> <Name>" and "<club>'s new <role> <Name>" count: the reports' current
    holder is not who a question about the new one wants. With a nationality (`of`, folded),
    "<club> (and) <nationality> <role> <Name>" counts, and "<nationality> <role> <Name>" in a
    passage naming the club: "Arsenal and Germany goalkeeper Bernd Leno"."""
    names = "|".join(re.escape(n) for n in sorted(club.all_names, key=len, reverse=True))
    titles = "|".join(re.escape(r) for r in roles)
    club_s = rf"(?:{names})(?:'s|’s)?"
    if of:
        nationality = "|".join(re.escape(n) for n in sorted(of, key=len, reverse=True))
        phrase = rf"(?:{club_s} (?:and )?)?(?:{nationality}) (?:{titles})"
    elif new:
        phrase = rf"(?:new {club_s} (?:{titles})|{club_s} new (?:{titles}))"
    else:
        phrase = rf"{club_s} (?:{titles})"
    # Club and role in any case; the name itself must be capitalised.
    pattern = re.compile(rf"\b(?i:{phrase}) {_NAME}")
    return [
        match.group(1)
        for passage in passages
        if not of or _names_club(f"{passage.title} {passage.text}", club)
        for match in pattern.finditer(without_accents(passage.text))
        if not _is_club_name(match.group(1), club)
    ]


def _is_club_name(name: str, club: Club) -> bool:
    return fold(name) in {fold(n) for n in club.all_names}


# What a boss does to a player when a question names the boss for his club: "did Arteta ever
# land Aouar?", "is Pep going to sign Kane?", "will Conte sell Dele?".
_BOSS_DEALS = (
    r"(?:(?:ever|still|really|finally|actually|even|now|already|end\s+up|ended\s+up)\s+){0,2}"
    r"(?:(?:going|trying|about|set|looking|planning|wanting)\s+to\s+|gonna\s+|wants?\s+to\s+)?"
    r"(?:land|lands|landed|landing|sign|signs|signed|signing|get|gets|got|getting|buy|buys|"
    r"bought|buying|bring\s+in|brings\s+in|brought\s+in|want|wants|wanted|bid\s+for|"
    r"move\s+for|moved\s+for|target|targets|targeted|targeting|chase|chases|chased|chasing|"
    r"sell|sells|sold|selling|keep|keeps|kept|keeping|snap\s+up|snapped\s+up|go\s+for|"
    r"went\s+for|offload|offloads|offloaded|ditch|ditched|axe|axed|pay|pays|paid|paying|"
    r"spend|spends|spent|spending|"
    r"(?:put|puts|putting|make|makes|made|making)\s+(?:in\s+)?(?:a|an)\s+(?:bid|offer|move)|"
    r"(?:put|puts|putting)\s+(?:a|an)\s+(?:bid|offer)\s+in)\b"
)
_BOSS_TITLES = r"(?:boss|manager|head coach|coach)"
_CLUB_WINDOW = 40  # characters before "boss Mikel Arteta" that may name his club
_MIN_BOSS_MENTIONS = 2
# Capitalised words before a boss's surname that are not his first name: "Will Conte sign...".
_NOT_FIRST_NAMES = "|".join(sorted(QUESTION_STARTERS | STOPWORDS, key=len, reverse=True))
_ARTICLES_READ = 500  # of the others, newest first


def boss_as_his_club(
    question: str,
    boss: frozenset[str],
    others: Sequence[frozenset[str]],
    aliases: AliasTable,
    passages_with_words: Callable[[str, int], Sequence[Passage]],
    articles_naming: Callable[[tuple[str, ...], int], Sequence[ArticleSummary]],
) -> Club | None:
    """The club a boss the question names stands for, when he is named as the one who does a
    deal with the `others` it names ("did Arteta ever land Aouar?") and no report names him
    with them: reports of the deal name his club ("Arsenal want Aouar"). His club is the one
    the reports call him the boss of that the reports of the others name most, so a boss who
    moved on stands for the club of their story. None when nothing says so.

    `articles_naming` lists the articles naming any of some folded names, newest first."""
    words = "|".join(re.escape(name) for name in sorted(boss, key=len, reverse=True))
    if not others or not re.search(rf"\b(?:{words})\s+{_BOSS_DEALS}", fold(question)):
        return None
    about_others = [
        article.text
        for article in articles_naming(tuple(sorted(others[0])), _ARTICLES_READ)
        if _names_everyone(article.text, others)
    ]
    if any(_names_everyone(text, [boss]) for text in about_others):
        return None
    bossed = Counter(_clubs_bossed_by(boss, aliases, passages_with_words))
    candidates = [club for club, n in bossed.items() if n >= _MIN_BOSS_MENTIONS]
    if not candidates:
        return None
    named = {club: sum(_names_club(text, club) for text in about_others) for club in candidates}
    best = max(candidates, key=lambda club: (named[club], bossed[club]))
    return best if named[best] > 0 else None


def _clubs_bossed_by(
    boss: frozenset[str],
    aliases: AliasTable,
    passages_with_words: Callable[[str, int], Sequence[Passage]],
) -> list[Club]:
    """One club per "<club>('s) boss (First) Surname" in the reports naming the boss."""
    return [mention.club for mention in _boss_mentions(boss, aliases, passages_with_words)]


@dataclass(frozen=True, slots=True)
class _BossMention:
    club: Club
    published: date | None
    former: bool  # "former Arsenal boss Arsene Wenger"


def _boss_mentions(
    boss: frozenset[str],
    aliases: AliasTable,
    passages_with_words: Callable[[str, int], Sequence[Passage]],
) -> list[_BossMention]:
    """Each "<club>('s) boss (First) Surname" in the reports naming the boss."""
    surnames = "|".join(re.escape(name) for name in sorted(boss, key=len, reverse=True))
    pattern = re.compile(rf"(?i:{_BOSS_TITLES})\s+(?:[A-Z][\w'’-]+\s+){{0,2}}?(?i:{surnames})\b")
    mentions = []
    for passage in passages_with_words(f"{' '.join(sorted(boss))} boss manager", _PASSAGES_READ):
        text = without_accents(passage.text)
        for match in pattern.finditer(text):
            before = fold(text[max(0, match.start() - _CLUB_WINDOW) : match.start()])
            for used, club in reversed(aliases.clubs_in(before)):
                club_s = rf"{re.escape(used)}(?:'s|’s)?\s*$"
                if re.search(club_s, before):
                    former = re.search(rf"{_FORMER}[^.;]*{club_s}", before) is not None
                    mentions.append(_BossMention(club, passage.published, former))
                    break
    return mentions


_FORMER = r"\b(?:former|ex|then)\b"  # "former Everton boss", "ex-Chelsea and Spurs boss"
# A boss stands for his club in a report this close to one calling him its boss.
_TENURE_WINDOW_DAYS = 180


@dataclass(frozen=True, slots=True)
class BossOfTheTime:
    """A boss a question names beside another person, with a club dated reports call him the
    boss of: a report of his club's dealings with the player that does not name him ("Netherlands
    winger Steven Bergwijn appears to be on his way out of Tottenham") answers "Is Conte
    keeping Bergwijn?" when it is dated near one calling him Tottenham's manager."""

    boss: frozenset[str]
    club: frozenset[str]  # the club's folded names
    dates: tuple[date, ...]  # of the reports calling him its boss

    def in_charge_on(self, day: date | None) -> bool:
        return day is not None and any(
            abs((day - boss_day).days) <= _TENURE_WINDOW_DAYS for boss_day in self.dates
        )


def bosses_of_the_time(
    people: Sequence[frozenset[str]],
    aliases: AliasTable,
    passages_with_words: Callable[[str, int], Sequence[Passage]],
) -> list[BossOfTheTime]:
    """The bosses among the people a question names beside others (see `BossOfTheTime`), once
    for each club dated reports call them the boss of more than once (not "former ... boss")."""
    if len(people) < 2:
        return []
    bosses = []
    for person in people:
        dated = [
            mention
            for mention in _boss_mentions(person, aliases, passages_with_words)
            if mention.published and not mention.former
        ]
        clubs = {mention.club.slug: mention.club for mention in dated}
        for slug, club in clubs.items():
            days = tuple(m.published for m in dated if m.club.slug == slug and m.published)
            if len(days) >= _MIN_BOSS_MENTIONS:
                bosses.append(BossOfTheTime(person, _folded_names(club), days))
    return bosses


def _names_club(text: str, club: Club) -> bool:
    return named_share(text, [_folded_names(club)]) == 1.0


def _folded_names(club: Club) -> frozenset[str]:
    return frozenset(fold(name) for name in club.all_names)


def _names_everyone(text: str, groups: Sequence[frozenset[str]]) -> bool:
    return named_share(text, groups) == 1.0


def with_club_for_boss(question: str, boss: frozenset[str], club: Club) -> str:
    """The question with the club's name where it names the boss, first name and all: "did
    Mikel Arteta land Aouar?" -> "did Arsenal land Aouar?"."""
    names = "|".join(re.escape(name) for name in sorted(boss, key=len, reverse=True))
    first_name = rf"(?:(?!(?i:{_NOT_FIRST_NAMES})\s)[A-Z][\w'’-]+\s+)?"
    return re.sub(rf"\b{first_name}(?i:{names})\b", club.name, without_accents(question), count=1)
