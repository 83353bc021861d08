"""Club names, short forms, nicknames and grounds: "Spurs" is Tottenham Hotspur.

The shipped table (`index/data/clubs.toml`) is plain TOML and meant to be edited; a config key
can point at another file. Names are matched case- and accent-insensitively, whole words only.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from index.errors import ConfigError
from index.text import one_letter_away

SHIPPED_TABLE = Path(__file__).parent / "data" / "clubs.toml"
SHIPPED_PEOPLE = Path(__file__).parent / "data" / "people.toml"


def read_table(path: Path, what: str) -> dict:
    """A shipped or user-edited TOML table, or a ConfigError saying what is wrong with it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read {what} {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path.name}: not valid TOML ({error})") from None


def fold(text: str) -> str:
    """Lower case without accents, so "Barça" matches "barca"."""
    return without_accents(text.casefold())


def without_accents(text: str) -> str:
    """ "Pjanić" -> "Pjanic", keeping the case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def named_share(text: str, groups: Sequence[frozenset[str]]) -> float:
    """The share of `groups` (each a set of interchangeable folded names) that `text` names
    someone of, as whole words, case and accents ignored; 1.0 when there are no groups."""
    if not groups:
        return 1.0
    folded = fold(text)
    named = sum(
        1
        for group in groups
        if group and re.search(r"\b(?:" + "|".join(map(re.escape, group)) + r")\b", folded)
    )
    return named / len(groups)


@dataclass(frozen=True, slots=True)
class Club:
    slug: str
    name: str
    league: str
    aliases: tuple[str, ...]

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone fans call by a nickname: "Fergie" is Alex Ferguson."""

    slug: str
    name: str
    aliases: tuple[str, ...]

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


Entry = TypeVar("Entry", Club, Person)


# Names shorter than this are too close to other words to correct a typo to ("Roma": "Rome").
_MIN_RESPELT_LENGTH = 6


class _NameFinder(Generic[Entry]):
    """Finds the entries a text names by any of their names, as whole words, longest first.
    A name several entries share ("Ronnie") finds all of them."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.by_folded_name: dict[str, tuple[Entry, ...]] = {}
        for entry in entries:
            for name in entry.all_names:
                named = self.by_folded_name.setdefault(fold(name), ())
                if entry not in named:
                    self.by_folded_name[fold(name)] = (*named, entry)
        names = sorted(self.by_folded_name, key=len, reverse=True)  # "Man Utd" before "Man"
        self._pattern = (
            re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b") if names else None
        )

    def found_in(self, text: str) -> list[tuple[str, tuple[Entry, ...]]]:
        if self._pattern is None:
            return []
        return [
            (m.group(1), self.by_folded_name[m.group(1)])
            for m in self._pattern.finditer(fold(text))
        ]

    def named(self, name: str) -> tuple[Entry, ...]:
        return self.by_folded_name.get(fold(name.strip()), ())


class AliasTable:
    """The clubs (`index/data/clubs.toml`) and the people known by nicknames
    (`index/data/people.toml`) that questions and reports name."""

    def __init__(self, clubs: list[Club], people: Sequence[Person] = ()) -> None:
        self.clubs = clubs
        self.people = list(people)
        self._clubs = _NameFinder(clubs)
        self._people = _NameFinder(self.people)
        names = [*self._clubs.by_folded_name, *self._people.by_folded_name]
        names += [fold(person.surname) for person in self.people]
        self._one_word_names = {
            name for name in names if " " not in name and len(name) >= _MIN_RESPELT_LENGTH
        }

    @classmethod
    def load(cls, path: Path = SHIPPED_TABLE, people_path: Path | None = None) -> AliasTable:
        clubs = [
            Club(slug, name, str(entry.get("league", "")), aliases)
            for slug, name, aliases, entry in _entries(path, "clubs", "the club alias table")
        ]
        people = [
            Person(slug, name, aliases)
            for slug, name, aliases, _ in (
                _entries(people_path, "people", "the nickname table") if people_path else []
            )
        ]
        return cls(clubs, people)

    def clubs_in(self, text: str) -> list[tuple[str, Club]]:
        """The clubs a text names, with the words it used for each, in order of appearance."""
        return [(used, clubs[0]) for used, clubs in self._clubs.found_in(text)]

    def people_in(self, text: str) -> list[tuple[str, tuple[Person, ...]]]:
        """The people of the nickname table a text names, with the words it used for each: one
        person, or all whom a shared nickname may mean ("Ronnie": Ronaldo or Ronaldinho)."""
        return self._people.found_in(text)

    def club(self, name: str) -> Club | None:
        clubs = self._clubs.named(name)
        return clubs[0] if clubs else None

    def names_of(self, people: Sequence[Person]) -> frozenset[str]:
        """The folded names reports may call these people by: every name and surname of
        theirs but the nicknames they share with others ("Bruno" is not Bruno Guimaraes, but
        any Bruno)."""
        return frozenset(
            fold(name)
            for person in people
            for name in (*person.all_names, person.surname)
            if len(self._people.named(name)) <= 1 or name == person.surname
        )

    def spelt_like(self, word: str) -> str | None:
        """The one-word club or person name (folded) one letter away from a folded `word`:
        "marseile" -> "marseille"; None when there is none or several."""
        if len(word) < _MIN_RESPELT_LENGTH - 1 or self.club(word) or self.people_called(word):
            return None  # too short, or a name itself ("gunners", not "gunner")
        near = sorted(one_letter_away(word) & self._one_word_names)
        return near[0] if len(near) == 1 else None

    def people_called(self, name: str) -> tuple[Person, ...]:
        """Everyone the nickname table knows by `name`: none, one, or several."""
        return self._people.named(name)

    def expand(self, text: str, printed: Callable[[str], bool] = lambda nickname: False) -> str:
        """The text followed by the full names of the clubs it names by other words, and of the
        one person a nickname names when the news does not print the nickname (`printed`) and
        it shares no word with his name: no report says "PEH" for Pierre-Emile Hojbjerg or
        "Wazza" for Wayne Rooney. A nickname the news prints finds its reports by itself, and
        spelt out it pulls in every report on him ("Rafa", "Leo"); one that is one of his names
        would find the wrong years ("Ole" as "Ole Gunnar Solskjaer" finds the striker of 2004
        for a question about the manager of 2021)."""
        extra = [club.name for used, club in self.clubs_in(text) if used != fold(club.name)]
        extra += [
            people[0].name
            for used, people in self.people_in(text)
            if len(people) == 1
            and not set(used.split()) & set(fold(people[0].name).split())
            and not printed(used)
        ]
        return f"{text} ({'; '.join(dict.fromkeys(extra))})" if extra else text


def _entries(path: Path, section: str, what: str) -> list[tuple[str, str, tuple[str, ...], dict]]:
    """(slug, name, aliases, the whole entry) of each [section.slug] table of a name table."""
    raw = read_table(path, what)
    entries = []
    for slug, entry in (raw.get(section) or {}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ConfigError(f"{path.name}: {section}.{slug} needs a name")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError(f"{path.name}: {section}.{slug}.aliases must be a list of names")
        entries.append((slug, entry["name"], tuple(aliases), entry))
    return entries
