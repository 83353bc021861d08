"""Clubs are known by many names; questions and /rumours understand them all."""

from pathlib import Path

import pytest
from conftest import FIXTURES

from bot.answer import is_club, is_place, named_terms, names_all, on_topic, people_named
from index.aliases import SHIPPED_PEOPLE, SHIPPED_TABLE, AliasTable, fold
from index.errors import ConfigError

TABLE = AliasTable.load(FIXTURES / "clubs.toml")


def test_nicknames_short_forms_and_grounds_name_their_club():
    found = TABLE.clubs_in("Are the Red Devils and Spurs fighting over a Bernabéu target?")
    assert [(used, club.name) for used, club in found] == [
        ("red devils", "Manchester United"),
        ("spurs", "Tottenham Hotspur"),
        ("bernabeu", "Real Madrid"),
    ]


def test_the_longest_name_wins():
    [(used, club)] = TABLE.clubs_in("Is Man Utd selling?")
    assert (used, club.name) == ("man utd", "Manchester United")


def test_whole_words_only():
    assert TABLE.clubs_in("The spursuit of happiness, a gunnersmith") == []


def test_a_question_is_expanded_with_the_full_club_names():
    assert (
        TABLE.expand("Is Allegri leaving the Rossoneri?")
        == "Is Allegri leaving the Rossoneri? (AC Milan)"
    )
    assert TABLE.expand("Is Arsenal buying?") == "Is Arsenal buying?"


def test_a_named_club_is_satisfied_by_any_of_its_names():
    groups = named_terms("Is Man Utd signing Baleba?", TABLE)
    assert frozenset(["baleba"]) in groups
    [club] = [g for g in groups if "manchester united" in g]
    assert {"man utd", "red devils", "old trafford"} <= club
    assert "man" not in {name for g in groups for name in g}, "no stray word from the alias"


def test_a_name_with_particles_is_one_person_named_by_the_surname_and_its_particles():
    assert named_terms("Which agent did Donny van de Beek reject?", TABLE) == [
        frozenset(["van de beek"])
    ]
    assert named_terms("Is Virgil van Dijk staying?", TABLE) == [frozenset(["van dijk"])]


def test_folding_ignores_case_and_accents():
    assert fold("Barça MÜNCHEN") == "barca munchen"


def test_a_broken_table_is_reported(tmp_path: Path):
    bad = tmp_path / "clubs.toml"
    bad.write_text("[clubs.x]\naliases = ['X']\n")
    with pytest.raises(ConfigError, match="clubs.x needs a name"):
        AliasTable.load(bad)


def test_the_shipped_table_covers_the_big_leagues_without_ambiguity():
    table = AliasTable.load(SHIPPED_TABLE)
    assert len(table.clubs) >= 140
    names = [fold(name) for club in table.clubs for name in club.all_names]
    assert len(names) == len(set(names)), "an alias names two clubs"
    for alias, club in [
        ("spurs", "Tottenham Hotspur"),
        ("rossoneri", "AC Milan"),
        ("los blancos", "Real Madrid"),
    ]:
        assert table.club(alias).name == club


def test_rumours_about_a_club_match_whole_words_of_any_of_its_names(index):
    # "Gunners" is Arsenal; "Sporting" must not match inside another word, nor "Ars" at all.
    titles = [a.title for a in index.recent(["Gunners", "Arsenal"], 10)]
    assert titles == ["Arsenal step up chase for Sporting striker"]
    assert index.recent(["Ars"], 10) == []
    assert index.recent(["!!!"], 10) == []


def test_a_name_must_appear_as_a_whole_word_to_count():
    text = "Title. He played for the international side."
    assert not names_all(text, [frozenset(["inter"])])
    assert names_all(text, [frozenset(["international"])])


PEOPLE = AliasTable.load(FIXTURES / "clubs.toml", SHIPPED_PEOPLE)
SHIPPED = AliasTable.load(SHIPPED_TABLE, SHIPPED_PEOPLE)


def test_a_nickname_names_its_person_by_every_name_and_the_surname():
    fergie, stam = named_terms("Does Stam reckon Fergie got it wrong?", PEOPLE)
    assert {"alex ferguson", "sir alex", "fergie", "ferguson"} <= fergie
    assert stam == frozenset(["stam"])
    assert named_terms("Does Becks fancy coaching?", PEOPLE) == [
        frozenset(["david beckham", "becks", "goldenballs", "beckham"])
    ]


def test_a_nickname_that_is_one_of_his_names_does_not_change_the_search_text():
    """ "Ole" spelt out as "Ole Gunnar Solskjaer" would find the striker of 2004 for a question
    about the manager of 2021."""
    assert SHIPPED.expand("Is Ole getting sacked?") == "Is Ole getting sacked?"


def test_a_nickname_sharing_no_word_with_his_name_adds_the_name_to_the_search_text():
    """No report prints "PEH", so only his name can find him."""
    assert PEOPLE.expand("Is Fergie retiring?") == "Is Fergie retiring? (Alex Ferguson)"
    assert SHIPPED.expand("wat would spurs want before they let PEH go") == (
        "wat would spurs want before they let PEH go (Tottenham Hotspur; Pierre-Emile Hojbjerg)"
    )
    assert SHIPPED.expand("is Emi off?") == "is Emi off?", "two people share it"


def test_a_nickname_the_news_prints_does_not_change_the_search_text():
    """Reports print "Rafa" beside "Benitez"; spelt out, it pulls in every report on him."""
    assert SHIPPED.expand("Is Rafa after Lenglet?", printed={"rafa"}.__contains__) == (
        "Is Rafa after Lenglet?"
    )


def test_people_named_either_or_are_one_group():
    assert named_terms("Did the Toffees go for Vitor Pereira or Lampard in the end?", TABLE)[
        1:
    ] == [frozenset(["pereira", "lampard"])]


def test_a_broken_or_missing_nickname_table_is_reported(tmp_path: Path):
    bad = tmp_path / "people.toml"
    bad.write_text("[people.x]\naliases = ['X']\n")
    with pytest.raises(ConfigError, match="people.x needs a name"):
        AliasTable.load(SHIPPED_TABLE, bad)
    with pytest.raises(ConfigError, match="cannot read the nickname table"):
        AliasTable.load(SHIPPED_TABLE, tmp_path / "absent.toml")


def test_the_shipped_nickname_table_names_no_club_and_shares_only_nicknames():
    people = SHIPPED
    assert len(people.people) >= 40
    names = [fold(name) for person in people.people for name in person.all_names]
    assert not [name for name in names if people.club(name)], "a nickname names a club"
    full_names = [fold(person.name) for person in people.people]
    assert len(full_names) == len(set(full_names)), "a person is listed twice"
    shared = {name for name in names if names.count(name) > 1}
    assert not shared & set(full_names), "somebody's full name is another's nickname"
    assert [p.name for p in people.people_called("Fergie")] == ["Alex Ferguson"]
    assert not [
        person.name
        for person in people.people
        if is_club(people.names_of([person]), people) or is_place(people.names_of([person]))
    ], "a person's names (his surname too) must not make him a club or a place"


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Is Auba off to Barca?", "aubameyang"),
        ("Did Rambo say yes to Burnley?", "ramsey"),
        ("How much are the Toon paying for Tripps?", "trippier"),
        ("Was Curbs ever going to sell him?", "curbishley"),
        ("Is Hendo staying at Anfield?", "henderson"),
        ("Will Lewa leave Bayern?", "lewandowski"),
        ("Who scored for Boro in Rome? Bolo?", "zenden"),
        ("Did Ange take his keeper to Celtic?", "postecoglou"),
        ("Do United want Emi in goal?", "martinez"),
    ],
)
def test_fans_nicknames_name_the_person_the_reports_name(question, name):
    assert any(name in group for group in named_terms(question, SHIPPED))


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("How long is Rafa Varane signing for?", "varane"),
        ("Is Bruno Lage getting sacked?", "lage"),
        ("Will Pep Lijnders leave Liverpool?", "lijnders"),
    ],
)
def test_a_nickname_followed_by_a_surname_is_somebody_elses_first_name(question, person):
    assert people_named(named_terms(question, SHIPPED), SHIPPED) == [frozenset([person])]


def test_a_nickname_in_a_title_case_question_is_still_the_nickname():
    assert {"alex ferguson"} <= named_terms("Is Fergie Retiring?", SHIPPED)[0]


def test_a_nickname_several_people_share_means_any_of_them():
    [barca, ronnie] = named_terms("Can Barca afford to keep Ronnie?", SHIPPED)
    assert {"ronaldinho", "ronaldo", "cristiano ronaldo"} <= ronnie
    assert "ronnie" not in ronnie, "reports name them, not the nickname"
    assert "barcelona" in barca
    passage = "Barcelona are ready to offer Ronaldinho a new contract."
    assert on_topic(passage, [barca, ronnie], SHIPPED)
    assert not on_topic("Real Madrid want Ronaldo to stay.", [barca, ronnie], SHIPPED)


def test_a_nickname_of_one_person_does_not_match_others_sharing_his_first_name():
    [bruno_g] = named_terms("Is Bruno G any good?", SHIPPED)
    assert {"bruno guimaraes", "guimaraes"} <= bruno_g
    assert not names_all("Wolves coach Bruno Lage wants a striker.", [bruno_g])


def test_a_player_is_a_magpie_as_the_club_are_the_magpies():
    [(used, club)] = SHIPPED.clubs_in("Is he a Magpie now?")
    assert (used, club.name) == ("magpie", "Newcastle United")


def test_a_competition_is_nobody_asked_about():
    groups = named_terms("Does Robson fancy a Prem job?", SHIPPED)
    assert people_named(groups, SHIPPED) == [frozenset(["robson"])]


def test_fans_words_for_a_city_a_nationality_or_a_national_team_are_nobody_asked_about():
    groups = named_terms("Was Beattie hurt on a night out in Brum?", SHIPPED)
    assert people_named(groups, SHIPPED) == [frozenset(["beattie"])]
    groups = named_terms("Did the Argie keeper play for the Socceroos?", SHIPPED)
    assert people_named(groups, SHIPPED) == []


def test_a_surname_typed_after_a_particle_keeps_it():
    groups = named_terms("Is Rodrigo de Paul off to Atleti?", SHIPPED)
    assert people_named(groups, SHIPPED) == [frozenset(["de paul"])]
    assert not names_all(
        "United have offered Paul Pogba a new deal.", people_named(groups, SHIPPED)
    )


def test_the_bridge_is_chelseas_ground():
    [(used, club)] = SHIPPED.clubs_in("did they try to get Messi to the Bridge")
    assert (used, club.name) == ("the bridge", "Chelsea")
    assert not SHIPPED.clubs_in("Wayne Bridge is out for a month")
    [(used, club)] = SHIPPED.clubs_in("heard the irons r in for him too")
    assert club.name == "West Ham United"


def test_words_that_name_several_clubs_are_nobody_asked_about():
    groups = named_terms("Is Bruno leaving United for Real?", SHIPPED)
    assert len(people_named(groups, SHIPPED)) == 1
    assert len(people_named(named_terms("Is Mark Robins leaving Coventry?", SHIPPED), SHIPPED))


def test_rumours_about_a_nickname_look_for_every_name_of_the_person(tmp_path: Path):
    from bot.commands import Engine
    from bot.config import load_settings

    engine = Engine(load_settings(data_dir=str(tmp_path / "data")))
    try:
        assert set(engine.subject_names("Fergie")) >= {"Alex Ferguson", "Sir Alex", "Fergie"}
        assert engine.subject_names("Spurs")[0] == "Tottenham Hotspur"
        assert {"Cristiano Ronaldo", "Ronaldinho"} <= set(engine.subject_names("Ronnie"))
        assert "Bruno" not in engine.subject_names("Bruno G"), "every Bruno is not Guimaraes"
        assert engine.subject_names("Kerr Smith") == ("Kerr Smith",)
    finally:
        engine.close()
