"""Outlet reliability tiers: 1 = most reliable ... 4 = least.

The shipped table (`index/data/outlets.toml`) is plain TOML and meant to be edited; a config key
can point at another file. An article's tier is its source's tier when the source has one, else
the table's tier for the article URL's domain, else for its outlet name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from index.aliases import fold, read_table
from index.errors import ConfigError

SHIPPED_TIERS = Path(__file__).parent / "data" / "outlets.toml"
TIERS = range(1, 5)


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    tier: int
    domains: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


class OutletTiers:
    def __init__(self, outlets: list[Outlet]) -> None:
        self.outlets = outlets
        self._by_domain = {domain: o for o in outlets for domain in o.domains}
        self._by_name = {fold(name): o for o in outlets for name in (o.name, *o.names)}

    @classmethod
    def load(cls, path: Path = SHIPPED_TIERS) -> OutletTiers:
        raw = read_table(path, "the outlet tier table")
        entries = raw.get("outlet", [])
        if not isinstance(entries, list):
            raise ConfigError(f"{path.name}: outlets are [[outlet]] tables")
        return cls([_outlet(entry, number, path.name) for number, entry in enumerate(entries, 1)])

    def outlet_for(self, outlet: str | None, url: str | None) -> Outlet | None:
        host = (urlsplit(url).hostname or "") if url else ""
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            host = host.partition(".")[2] if "." in host else ""
        return self._by_name.get(fold(outlet.strip())) if outlet else None

    def tier(
        self, outlet: str | None, url: str | None, source_tier: int | None = None
    ) -> int | None:
        if source_tier is not None:
            return source_tier
        found = self.outlet_for(outlet, url)
        return found.tier if found else None


def _outlet(entry: object, number: int, file_name: str) -> Outlet:
    where = f"{file_name}: outlet #{number}"
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise ConfigError(f"{where} needs a name")
    tier = entry.get("tier")
    if not isinstance(tier, int) or tier not in TIERS:
        raise ConfigError(f"{where} ({entry['name']}): tier must be 1, 2, 3 or 4")
    lists = {}
    for key in ("domains", "names"):
        values = entry.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ConfigError(f"{where} ({entry['name']}): {key} must be a list of strings")
        lists[key] = tuple(v.strip().lower().removeprefix("www.") for v in values)
    return Outlet(entry["name"], tier, lists["domains"], lists["names"])
