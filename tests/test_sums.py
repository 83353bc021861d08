"""A question asking how much (a fee, a price, wages) is answered first by the reports that give
a sum, though newer ones only say who is interested."""

import pytest
from reports import indexed_reports, points

REPORTS = [
    ("2026-01-04", "Prising Noah Brandt from Hoffenheim would take at least £35m, says Kicker."),
    ("2026-01-09", "Arsenal are interested in Hoffenheim midfielder Noah Brandt, 22."),
    ("2026-01-12", "Newcastle have joined Arsenal in tracking Hoffenheim's Noah Brandt."),
    ("2026-01-15", "Chelsea scouts watched Hoffenheim midfielder Noah Brandt at the weekend."),
    ("2026-01-18", "Aston Villa are keeping tabs on Hoffenheim's Germany midfielder Noah Brandt."),
    ("2026-01-21", "Tottenham are the latest club to be linked with Hoffenheim's Noah Brandt."),
    ("2026-01-24", "Noah Brandt is keen on a move to England, say reports in Germany."),
    ("2026-01-26", "Hoffenheim are resigned to losing midfielder Noah Brandt this month."),
    ("2026-01-27", "Manchester United asked Hoffenheim about Noah Brandt on Monday."),
    ("2026-01-28", "Hoffenheim coach Pellegrino Matarazzo says Noah Brandt is not for sale."),
    ("2026-01-29", "Noah Brandt trained alone at Hoffenheim on Wednesday amid the interest."),
    ("2026-01-30", "Juventus sent scouts to see Hoffenheim midfielder Noah Brandt play."),
    ("2026-01-08", "Everton manager Sean Dyche wants two defenders before the window shuts."),
    ("2026-01-19", "Bayern Munich are in talks to extend the contract of defender Jonas Keller."),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory, warm_model):
    opened = indexed_reports(tmp_path_factory.mktemp("sums"), REPORTS)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    "question",
    [
        "how much are hoffenheim asking for brandt?",
        "what would it cost to get brandt out of hoffenheim",
    ],
)
def test_a_question_asking_how_much_is_answered_by_the_report_giving_a_sum(engine, question):
    answer = engine.ask(question)
    assert not answer.abstained
    assert any("£35m" in sentence for _, sentence, _ in points(answer))


def test_a_question_about_something_else_hears_the_newest_reports_first(engine):
    first = points(engine.ask("Who is in for Noah Brandt?"))[0]
    assert "£35m" not in first[1]
