"""The latest development leads the answer even when retrieval ranks it low: the newest report
naming the person asked about (and everyone else asked about) is read beside the retrieved ones."""

from dataclasses import replace
from pathlib import Path

import pytest
from reports import points, write_report

from bot.answer import person_pattern
from bot.commands import Engine
from bot.config import load_settings
from index.aliases import fold

INTEREST = [
    (
        "2026-01-10",
        "Arsenal are keen on Fiorentina striker Milos Varga, 21, and will bid in January.",
    ),
    ("2026-01-13", "The Gunners are still interested in Fiorentina striker Milos Varga, 21."),
    ("2026-01-17", "Arsenal have made a £50m offer for Fiorentina's Serbian striker Milos Varga."),
    ("2026-01-20", "Arsenal will make Milos Varga one of the best-paid players at the Emirates."),
    ("2026-01-23", "Arsenal have submitted a second bid for Fiorentina striker Milos Varga."),
]
AGREED = (
    "Juventus have agreed to sign Fiorentina's Serbia striker Milos Varga, who has been linked "
    "with Arsenal, in a deal worth £60m."
)
NAMESAKE = "Arsenal have turned down a bid from Celtic for academy defender Tomas Varga, 18."
# Other news, as any real index holds: hybrid retrieval normalises relevance over its candidates,
# and seven reports all about one striker would make the least relevant of them look irrelevant.
OTHER_NEWS = [
    ("2026-01-05", "Chelsea are weighing up a loan move for Brighton goalkeeper Jan Petrak."),
    ("2026-01-08", "Everton manager Sean Dyche wants two defenders before the window shuts."),
    ("2026-01-12", "Napoli are ready to sell Georgia winger Luka Beridze for £40m."),
    ("2026-01-15", "Leeds have rejected a bid from Burnley for midfielder Owen Hale."),
    ("2026-01-19", "Bayern Munich are in talks to extend the contract of defender Jonas Keller."),
    ("2026-01-22", "Aston Villa boss Unai Emery is tracking Lille full-back Bafode Diallo."),
    ("2026-01-25", "West Ham striker Dario Russo is close to joining Lazio on loan."),
    ("2026-01-29", "Tottenham have opened talks with Porto over forward Rui Meireles."),
]


@pytest.fixture
def engine(tmp_path: Path, warm_model):
    folder = tmp_path / "varga"
    folder.mkdir()
    reports = [*INTEREST, ("2026-01-28", AGREED), ("2026-01-30", NAMESAKE), *OTHER_NEWS]
    for number, (published, text) in enumerate(reports):
        url = f"https://news.example/varga-{number}"
        write_report(folder, f"r{number}", "Sky Sports", published, url, text)
    opened = Engine(load_settings(data_dir=str(tmp_path / "data")))
    opened.add_source(str(folder))
    opened.reindex()
    yield opened
    opened.close()


QUESTION = "Where did Milos Varga go instead of the Gunners?"


def test_the_newest_report_about_the_player_leads_though_retrieval_ranked_it_low(engine):
    settings = engine.settings
    engine.settings = replace(settings, retrieval=replace(settings.retrieval, recency_weight=0.0))
    search_text = engine.search_text(QUESTION)
    retrieved = engine.retrieve(search_text, engine.index.embed_query(search_text), 3)
    assert all("Juventus" not in p.text for p in retrieved)  # the news is not among the best 3
    answer = engine.ask(QUESTION, k=3)
    date_shown, sentence, _ = points(answer)[0]
    assert (date_shown, sentence) == ("28 Jan 2026", AGREED)


def test_retrieval_ranks_the_latest_report_higher_when_asked_how_things_stand_now(engine):
    search_text = engine.search_text(QUESTION)
    query = engine.index.embed_query(search_text)

    def rank_of_the_agreement() -> int:
        return [p.text for p in engine.retrieve(search_text, query, 15)].index(AGREED) + 1

    with_recency = rank_of_the_agreement()
    settings = engine.settings
    engine.settings = replace(settings, retrieval=replace(settings.retrieval, recency_weight=0.0))
    assert with_recency < rank_of_the_agreement()


def test_a_namesake_is_not_taken_for_the_player_asked_about(engine):
    answer = engine.ask(QUESTION, k=3)
    assert "Tomas" not in answer.text


def test_a_question_about_someone_without_reports_is_still_refused(engine):
    answer = engine.ask("Where did Pavel Horak go instead of the Gunners?", k=3)
    assert answer.abstained and answer.citations == ()


@pytest.mark.parametrize(
    ("question", "surname", "text", "same_person"),
    [
        ("Where did Dean Smith go?", "smith", "Norwich appoint Dean Smith", True),
        ("Where did Dean Smith go?", "smith", "Villa sign Kerr Smith", False),
        ("Now Rafa Benitez has gone?", "benitez", "Rafael Benitez leaves", True),
        ("Will Kessie sign?", "kessie", "Franck Kessie signs", True),
    ],
)
def test_a_person_is_matched_by_surname_and_the_first_name_the_question_gives(
    question, surname, text, same_person
):
    assert bool(person_pattern(question, surname).search(fold(text))) is same_person
