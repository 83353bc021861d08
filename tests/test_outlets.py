"""Outlet reliability tiers: a source's own tier, else the table's by domain, else by name."""

from pathlib import Path

import pytest

from index.errors import ConfigError
from index.outlets import OutletTiers

TABLE = """
[[outlet]]
name = "BBC Sport"
tier = 1
domains = ["bbc.co.uk"]
names = ["BBC"]

[[outlet]]
name = "The Sun"
tier = 4
domains = ["www.thesun.co.uk"]
"""


@pytest.fixture
def tiers(tmp_path: Path) -> OutletTiers:
    path = tmp_path / "outlets.toml"
    path.write_text(TABLE)
    return OutletTiers.load(path)


def test_an_articles_domain_gives_its_tier_subdomains_included(tiers):
    assert tiers.tier(None, "https://www.bbc.co.uk/sport/football/1") == 1
    assert tiers.tier(None, "https://thesun.co.uk/sport/2") == 4


def test_without_a_known_domain_the_outlet_name_decides(tiers):
    assert tiers.tier("bbc", "file:///srv/news/a.txt") == 1
    assert tiers.tier("BBC Sport", None) == 1


def test_a_sources_own_tier_wins(tiers):
    assert tiers.tier("The Sun", "https://www.thesun.co.uk/x", source_tier=2) == 2


def test_unknown_outlets_have_no_tier(tiers):
    assert tiers.tier("Parish Newsletter", "https://parish.example/news") is None
    assert tiers.tier(None, None) is None


def test_the_shipped_table_rates_the_outlets_of_the_gossip_column():
    shipped = OutletTiers.load()
    assert shipped.tier(None, "https://theathletic.com/2744923/") == 1
    assert shipped.tier(None, "https://www.skysports.com/transfer-centre") == 2
    assert shipped.tier(None, "https://www.mirror.co.uk/sport/football/") == 3
    assert shipped.tier(None, "https://www.dailystar.co.uk/sport/") == 4
    assert all(o.tier in (1, 2, 3, 4) for o in shipped.outlets)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[[outlet]]\ntier = 1\n", "needs a name"),
        ('[[outlet]]\nname = "X"\ntier = 5\n', "tier must be 1, 2, 3 or 4"),
        ('[[outlet]]\nname = "X"\ntier = 2\ndomains = "x.com"\n', "domains must be a list"),
        ("[[outlet]\n", "not valid TOML"),
    ],
)
def test_a_broken_table_is_refused_with_the_reason(tmp_path: Path, table, message):
    path = tmp_path / "outlets.toml"
    path.write_text(table)
    with pytest.raises(ConfigError, match=message):
        OutletTiers.load(path)
