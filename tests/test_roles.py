"""A role in a question ("the Arsenal boss") names whoever the reports say holds it."""

from pathlib import Path

import pytest

from bot.roles import resolve_roles
from index.aliases import AliasTable
from index.pipeline import reindex


def index_of(open_index, folder: Path, files: dict[str, str]):
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    index = open_index()
    index.add_source(str(folder))
    reindex(index)
    return index


@pytest.fixture
def role_index(open_index, tmp_path: Path):
    files = {
        "a.txt": "Arteta backs young striker\n\nArsenal boss Mikel Arteta says the Gunners will "
        "not sell their young striker this summer.",
        "b.txt": "Bellamy loaned out after row\n\nCraig Bellamy has joined Celtic on loan after a "
        "bust-up with Newcastle manager Graeme Souness over his position.",
        "c.txt": "Newcastle plan January move\n\nNewcastle boss Eddie Howe wants a new left-back "
        "and a winger in January. Newcastle boss Eddie Howe has money to spend.",
        "d.txt": "Newcastle eye keeper loan\n\nNewcastle are keen on a loan deal for Arsenal and "
        "Germany goalkeeper Bernd Leno, 29, until the end of the season.",
        "e.txt": "Ramsdale settles in\n\nArsenal goalkeeper Aaron Ramsdale has impressed since "
        "his move. English goalkeeper Aaron Ramsdale kept another clean sheet for Arsenal.",
        "f.txt": "Spurs open to offers\n\nTottenham would listen to offers for Danish midfielder "
        "Pierre-Emile Hojbjerg, 26, this summer.",
    }
    return index_of(open_index, tmp_path / "roles", files)


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


def test_a_role_by_nationality_names_the_player_the_reports_call_so(role_index):
    [holder] = resolve_roles(
        "Are the Toon trying to get Arsenal's German keeper on loan?",
        AliasTable.load(),
        role_index.passages_with_words,
    )
    assert holder.name == "Bernd Leno", "Germany's keeper, not Arsenal's English one"


def test_their_nationality_and_role_belong_to_the_club_named_before(role_index):
    [holder] = resolve_roles(
        "Are Spurs selling their Danish midfielder?",
        AliasTable.load(),
        role_index.passages_with_words,
    )
    assert (holder.phrase, holder.name) == ("Tottenham Hotspur midfielder", "Pierre-Emile Hojbjerg")


def test_a_question_that_names_the_holder_is_left_alone(role_index):
    question = "Is the Arsenal boss Mikel Arteta staying?"
    assert resolve_roles(question, AliasTable.load(), role_index.passages_with_words) == []


def test_a_role_nobody_is_reported_in_resolves_to_nothing(role_index):
    question = "Who is the Chelsea chairman?"
    assert resolve_roles(question, AliasTable.load(), role_index.passages_with_words) == []


@pytest.fixture
def managers_index(open_index, tmp_path: Path):
    reports = {
        "nuno.md": ("30 June 2021", "New Tottenham boss Nuno Espirito Santo wants a striker."),
        "conte.md": ("2 November 2021", "New Tottenham boss Antonio Conte wants a striker."),
        "later.md": ("1 December 2021", "Tottenham boss Antonio Conte still wants a striker."),
        "saints.md": ("1 December 2021", "Southampton boss Ralph Hasenhuttl wants a striker."),
    }
    files = {
        name: f"---\ntitle: Manager news\npublished: {published}\n---\n\n{text}\n"
        for name, (published, text) in reports.items()
    }
    return index_of(open_index, tmp_path / "managers", files)


def test_the_new_holder_is_whom_the_newest_report_calls_new(managers_index):
    [holder] = resolve_roles(
        "Who is the new Spurs boss?", AliasTable.load(), managers_index.passages_with_words
    )
    assert holder.name == "Antonio Conte"


def test_a_holder_never_called_new_is_not_taken_for_the_new_one(managers_index):
    question = "Who is the new Saints boss?"
    assert resolve_roles(question, AliasTable.load(), managers_index.passages_with_words) == []


def test_ask_searches_for_the_holder_by_name(role_index, tmp_path: Path):
    from bot.commands import Engine
    from bot.config import load_settings

    engine = Engine(load_settings(data_dir=str(tmp_path / "data")))
    try:
        assert engine.search_text("Is the Arsenal boss happy?").endswith("(Mikel Arteta)")
    finally:
        engine.close()
