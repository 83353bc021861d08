"""A question typed in lower case is read as carefully as one with capitals: the news says which
of its words are names, and a name the news never prints is still refused."""

import pytest
from reports import indexed_reports, points, write_report

REPORTS = [
    ("2026-01-10", "Arsenal are keen on Fiorentina striker Milos Varga, 21, and will bid soon."),
    ("2026-01-17", "Arsenal have made a £50m offer for Fiorentina's Serbian striker Milos Varga."),
    ("2026-01-28", "Juventus have agreed to sign Fiorentina striker Milos Varga for £60m."),
    ("2026-01-12", "Napoli are ready to sell Georgia winger Luka Beridze for £40m."),
    ("2026-01-15", "Leeds have rejected a bid from Burnley for midfielder Owen Hale."),
    ("2026-01-22", "Aston Villa boss Unai Emery is tracking Lille full-back Bafode Diallo."),
    ("2026-01-29", "Tottenham have opened talks with Porto over forward Rui Meireles."),
    ("2026-01-30", "Tottenham will let midfielder Harry Winks leave for £20m this month."),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory, warm_model):
    opened = indexed_reports(tmp_path_factory.mktemp("lower"), REPORTS)
    yield opened
    opened.close()


def test_a_player_asked_about_in_lower_case_is_found_by_his_name(engine):
    answer = engine.ask("where did milos varga go instead of the gunners?")
    assert not answer.abstained
    assert "Juventus" in points(answer)[0][1]
    assert answer.question == "where did milos varga go instead of the gunners?", "shown as typed"


def test_a_player_the_news_never_names_is_refused_in_lower_case_too(engine):
    assert engine.ask("is Stavros Kovacevski joining Arsenal?").abstained
    assert engine.ask("is stavros kovacevski joining arsenal?").abstained


def test_a_question_about_replacing_someone_the_news_never_names_is_refused(engine):
    assert engine.ask("Who's taking over from Stavros Kovacevski at Tottenham?").abstained
    assert not engine.names_someone_unreported("Who's taking over from Owen Hale at Leeds?")


def test_a_long_name_misspelt_by_a_letter_is_read_as_the_name_the_news_prints(engine):
    assert engine.cased("are napoli selling berdize?") == "are Napoli selling Beridze?"
    assert engine.cased("are napoli selling berdze?") == "are Napoli selling Berdze?", (
        "a shorter word may be somebody else"
    )


def test_a_fans_nickname_ending_in_y_is_read_as_the_name_it_is_made_from(engine):
    assert engine.cased("would spurs let winksy go?") == "would Spurs let Winks go?"


def test_every_word_capitalised_is_read_as_if_typed_plainly(engine):
    assert engine.cased("Is Varga Joining Juventus?") == "is Varga joining Juventus?"


def test_a_lower_case_follow_up_names_its_player_after_a_question_with_capitals(engine):
    answer = engine.ask("and what about varga?", context="Are Napoli selling Beridze?")
    assert not answer.abstained
    assert all("Varga" in sentence for _, sentence, _ in points(answer))


def test_someone_named_only_in_the_opening_clause_must_be_in_the_news(engine):
    assert engine.ask("Now Stavros Kovacevski has left, who will Leeds sign?").abstained
    assert not engine.names_someone_unreported("Now Owen Hale has left, who will Leeds sign?")


def test_what_the_news_says_of_a_word_is_read_again_after_a_reindex(tmp_path, warm_model):
    engine = indexed_reports(tmp_path, REPORTS[:2])
    try:
        assert engine.cased("is kovacevski joining arsenal?") == "is Kovacevski joining Arsenal?"
        assert not engine.word_use("kovacevski").seen
        write_report(
            tmp_path / "news",
            "later",
            "Sky Sports",
            "2026-02-01",
            "https://news.example/later",
            "Arsenal have agreed to sign winger Stavros Kovacevski from Olympiacos.",
        )
        engine.reindex()
        engine.cased("is kovacevski joining arsenal?")
        assert engine.word_use("kovacevski").capitalised == 1
    finally:
        engine.close()
