"""A role in a question ("the Arsenal boss") names whoever the reports say holds it."""

from pathlib import Path

import pytest

from bot.roles import resolve_roles
from index.aliases import AliasTable
from index.pipeline import reindex


@pytest.fixture
def role_index(open_index, tmp_path: Path):
    folder = tmp_path / "roles"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Arteta backs young striker\n\nArsenal boss Mikel Arteta says the Gunners will not sell "
        "their young striker this summer."
    )
    (folder / "b.txt").write_text(
        "Bellamy loaned out after row\n\nCraig Bellamy has joined Celtic on loan after a bust-up "
        "with Newcastle manager Graeme Souness over his position."
    )
    (folder / "c.txt").write_text(
        "Newcastle plan January move\n\nNewcastle boss Eddie Howe wants a new left-back and a "
        "winger in January. Newcastle boss Eddie Howe has money to spend."
    )
    index = open_index()
    index.add_source(str(folder))
    reindex(index)
    return index


def test_the_club_role_phrase_resolves_to_the_name_the_reports_use(role_index):
    [holder] = resolve_roles(
        "What does the Arsenal boss think of the striker?",
        AliasTable.load(),
        role_index.passages_with_words,
    )
    assert (holder.phrase, holder.name) == ("Arsenal boss", "Mikel Arteta")


def test_a_nickname_and_a_synonym_of_the_role_work_too(role_index):
    [holder] = resolve_roles(
        "Where did Bellamy go after his bust-up with the Toon boss?",
        AliasTable.load(),
        role_index.passages_with_words,
    )
    assert holder.name == "Graeme Souness", "the holder of that story, not the latest one"


def test_a_question_that_names_the_holder_is_left_alone(role_index):
    question = "Is the Arsenal boss Mikel Arteta staying?"
    assert resolve_roles(question, AliasTable.load(), role_index.passages_with_words) == []


def test_a_role_nobody_is_reported_in_resolves_to_nothing(role_index):
    question = "Who is the Chelsea chairman?"
    assert resolve_roles(question, AliasTable.load(), role_index.passages_with_words) == []


def test_ask_searches_for_the_holder_by_name(role_index, tmp_path: Path):
    from bot.commands import Engine
    from bot.config import load_settings

    engine = Engine(load_settings(data_dir=str(tmp_path / "data")))
    try:
        assert engine.search_text("Is the Arsenal boss happy?").endswith("(Mikel Arteta)")
    finally:
        engine.close()
