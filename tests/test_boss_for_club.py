"""A boss named as the one doing a deal stands for his club when no report names him with the
player: "did arteta ever land aouar?" is answered by "Arsenal want Aouar". Beside a player, a
boss also stands for the club he was in charge of when a report was written: "Is Conte keeping
Bergwijn?" hears "Bergwijn is on his way out of Tottenham"."""

from datetime import date

import pytest
from reports import indexed_reports, points

from bot.roles import bosses_of_the_time
from index.aliases import SHIPPED_PEOPLE, AliasTable
from index.models import Passage

REPORTS = [
    ("2026-01-05", "Arsenal boss Mikel Arteta says his squad is strong enough to win the league."),
    ("2026-01-08", "Arsenal boss Mikel Arteta wants a new striker in the January window."),
    ("2026-01-12", "Arsenal want Lyon midfielder Houssem Aouar and are preparing a £30m bid."),
    ("2026-01-20", "Lyon have rejected Arsenal's £30m offer for midfielder Houssem Aouar."),
    ("2026-01-09", "Chelsea manager Thomas Tuchel has told Timo Werner he can leave in January."),
    ("2026-01-10", "Chelsea boss Thomas Tuchel praised his defence after the win."),
    ("2026-01-11", "Chelsea boss Thomas Tuchel is happy with his forwards."),
    ("2025-03-01", "Inter boss Antonio Conte has won the Serie A title."),
    ("2025-03-08", "Inter boss Antonio Conte wants to keep his title-winning squad together."),
    ("2025-04-02", "Inter boss Antonio Conte is weighing up his future at the club."),
    ("2026-01-14", "Tottenham boss Antonio Conte says the club need two new signings."),
    ("2026-01-16", "Tottenham boss Antonio Conte is close to his first January signing."),
    ("2026-01-18", "Tottenham have agreed an 18-month loan for Juventus winger Dejan Kulusevski."),
    (
        "2026-01-15",
        "Tottenham manager Antonio Conte says Steven Bergwijn still has a future there.",
    ),
    ("2026-01-25", "Dutch winger Steven Bergwijn appears to be on his way out of Tottenham."),
    ("2026-01-26", "Inter are keen on Steven Bergwijn and could offer him a way back to Italy."),
    ("2026-01-02", "Former Everton boss Carlo Ancelotti wants Werner at Real Madrid."),
    ("2026-01-03", "Ex-Everton manager Carlo Ancelotti is in charge in Madrid now."),
    ("2026-01-21", "Everton are ready to bid for Chelsea forward Timo Werner."),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory, warm_model):
    opened = indexed_reports(tmp_path_factory.mktemp("bosses"), REPORTS)
    yield opened
    opened.close()


def test_a_boss_doing_a_deal_the_news_never_names_him_in_stands_for_his_club(engine):
    assert engine.read("did arteta ever land aouar from lyon?") == (
        "did Arsenal ever land Aouar from Lyon?"
    )
    answer = engine.ask("did arteta ever land aouar from lyon?")
    assert not answer.abstained
    assert all("Aouar" in sentence for _, sentence, _ in points(answer))


def test_his_first_name_goes_with_him(engine):
    read = engine.read("Will Mikel Arteta sign Houssem Aouar?")
    assert read == "Will Arsenal sign Houssem Aouar?"


def test_a_boss_who_moved_on_stands_for_the_club_of_the_players_story(engine):
    read = engine.read("will conte land kulusevski?")
    assert read == "will Tottenham Hotspur land Kulusevski?", (
        "Inter, his club in more reports, is not named in Kulusevski's"
    )


def test_a_boss_the_news_names_with_the_player_is_asked_about_himself(engine):
    assert engine.read("Will Tuchel sell Werner?") == "Will Tuchel sell Werner?"


def test_a_boss_asked_about_himself_is_left_alone(engine):
    assert engine.read("Is Arteta leaving Arsenal?") == "Is Arteta leaving Arsenal?"
    assert engine.read("Does Arteta rate Aouar?") == "Does Arteta rate Aouar?", "no deal"


def test_a_deal_for_a_player_the_news_never_names_is_still_refused(engine):
    assert engine.ask("would arteta ever sell kovacevski?").abstained


def test_a_boss_stands_for_the_club_he_was_in_charge_of_when_a_report_was_written(engine):
    answer = engine.ask("Is Conte keeping Bergwijn or is he off?")
    assert not answer.abstained
    cited = [sentence for _, sentence, _ in points(answer)]
    assert any("on his way out of Tottenham" in sentence for sentence in cited), (
        "the newest report names Tottenham, Conte's club that month, not Conte"
    )
    assert not any("Inter" in sentence for sentence in cited), (
        "Conte was Inter's boss the year before, not when this report was written"
    )


def test_a_former_boss_does_not_stand_for_his_old_club(engine):
    answer = engine.ask("Will Ancelotti get Werner?")
    cited = [sentence for _, sentence, _ in points(answer)] if not answer.abstained else []
    assert not any(sentence.startswith("Everton are ready") for sentence in cited)


def test_only_reports_calling_him_the_boss_now_date_his_time_in_charge():
    news = [
        "Former Juventus, Chelsea and Tottenham boss Antonio Conte is a pundit now.",
        "Ex-Chelsea and Tottenham boss Antonio Conte was seen at Wembley.",
        "The 52-year-old Inter boss Antonio Conte wants a striker.",
        "Inter boss Antonio Conte has won the league.",
    ]
    passages = [
        Passage(n, n, text, 0.5, f"t{n}", None, None, None, date(2021, 1, n + 1))
        for n, text in enumerate(news)
    ]
    tables = AliasTable.load(people_path=SHIPPED_PEOPLE)
    bosses = bosses_of_the_time(
        [frozenset({"conte"}), frozenset({"lukaku"})], tables, lambda words, limit: passages
    )
    assert len(bosses) == 1, "Tottenham was his club only as a former one"
    assert "inter" in bosses[0].club
    assert len(bosses[0].dates) == 2, '"52-year-old Inter boss" is no former boss'
