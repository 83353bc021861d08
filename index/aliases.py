"""Club names, short forms, nicknames and grounds: "Spurs" is Tottenham Hotspur.

The shipped table (`index/data/clubs.toml`) is plain TOML and meant to be edited; a config key
can point at another file. Names are matched case- and accent-insensitively, whole words only.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from index.errors import ConfigError

SHIPPED_TABLE = Path(__file__).parent / "data" / "clubs.toml"


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
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class Club:
    slug: str
    name: str
    league: str
    aliases: tuple[str, ...]

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class AliasTable:
    def __init__(self, clubs: list[Club]) -> None:
        self.clubs = clubs
        self._by_folded_name = {fold(n): club for club in clubs for n in club.all_names}

    @classmethod
    def load(cls, path: Path = SHIPPED_TABLE) -> AliasTable:
        raw = read_table(path, "the club alias table")
        clubs = []
        for slug, entry in (raw.get("clubs") or {}).items():
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise ConfigError(f"{path.name}: clubs.{slug} needs a name")
            aliases = entry.get("aliases", [])
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise ConfigError(f"{path.name}: clubs.{slug}.aliases must be a list of names")
            clubs.append(Club(slug, entry["name"], str(entry.get("league", "")), tuple(aliases)))
        return cls(clubs)

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        names = sorted(self._by_folded_name, key=len, reverse=True)  # longest first: "Man Utd"
        return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")

    def clubs_in(self, text: str) -> list[tuple[str, Club]]:
        """The clubs a text names, with the words it used for each, in order of appearance."""
        if not self._by_folded_name:
            return []
        found = []
        for match in self._pattern.finditer(fold(text)):
            found.append((match.group(1), self._by_folded_name[match.group(1)]))
        return found

    def club(self, name: str) -> Club | None:
        return self._by_folded_name.get(fold(name.strip()))

    def expand(self, text: str) -> str:
        """The text followed by the full names of the clubs it names by other words."""
        extra = [club.name for used, club in self.clubs_in(text) if used != fold(club.name)]
        return f"{text} ({'; '.join(dict.fromkeys(extra))})" if extra else text
