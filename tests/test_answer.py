"""Extractive answers: every point is a sentence copied from a cited article, dated, with its
[n] (or several, when several outlets tell the same story), newest first."""

from datetime import date
from pathlib import Path

import pytest
from reports import points, write_report

from bot.answer import (
    NOTHING_FOUND,
    Citation,
    asked_about,
    clubs_only_say_whose,
    compose_answer,
    named_terms,
    on_topic,
    people_named,
    summarise,
    without_the_departed,
)
from bot.question_intent import asks_about_now
from bot.transfer_status import Reading, Status
from index.aliases import SHIPPED_PEOPLE, AliasTable
from index.models import Passage
from index.outlets import OutletTiers
from index.pipeline import reindex

TALKS = Reading(Status.TALKS, "talks")


def ask(index, question: str, **options):
    query = index.embed_query(question)
    settings = {"min_score": 0.35, "max_sentences": 4} | options
    return compose_answer(question, query, index.search_vector(query, 8), index.embed, **settings)


def stored_text(index, title: str) -> str:
    return index.store._query("SELECT text FROM articles WHERE title = ?", (title,))[0][0]


def test_every_sentence_is_quoted_from_the_article_it_cites(index):
    answer = ask(index, "Is Allegri leaving Milan?")
    assert not answer.abstained
    assert points(answer), answer.text
    citations = {c.n: c for c in answer.citations}
    for _, sentence, numbers in points(answer):
        for n in numbers:
            assert sentence in stored_text(index, citations[n].title)


def test_points_are_dated_and_the_newest_comes_first(index):
    answer = ask(index, "Is Allegri leaving Milan?")
    shown = [date_shown for date_shown, _, _ in points(answer)]
    assert all(shown), answer.text
    as_dates = [date.fromisoformat(_iso(d)) for d in shown]
    assert as_dates == sorted(as_dates, reverse=True)


def _iso(shown: str) -> str:
    day, month, year = shown.split()
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{year}-{months.index(month) + 1:02d}-{int(day):02d}"


def test_citations_carry_the_articles_details(index):
    answer = ask(index, "Is Allegri leaving Milan?")
    [citation] = [c for c in answer.citations if c.title.startswith("Allegri weighs Milan exit")]
    assert citation.title == "Allegri weighs Milan exit after difficult spring"
    assert citation.outlet == "Test Calcio Times"
    assert citation.published.isoformat() == "2026-03-02"
    assert citation.url == "https://calcio-times.example/allegri-weighs-milan-exit"
    assert "Allegri" in answer.text


def test_citations_are_numbered_in_order_of_first_use(index):
    answer = ask(index, "Which clubs are in talks about transfers?", min_score=0.1)
    numbers = [n for _, _, cited in points(answer) for n in cited]
    first_uses = list(dict.fromkeys(numbers))
    assert first_uses == list(range(1, len(answer.citations) + 1))


def test_quotes_hold_the_sentences_used_from_each_article(index):
    answer = ask(index, "Has Haaland signed a new contract with Manchester City?")
    for citation in answer.citations:
        cited = [s for _, s, numbers in points(answer) if citation.n in numbers]
        assert citation.quote == " ".join(cited)


def test_the_answer_respects_the_sentence_limit(index):
    answer = ask(index, "What is happening at Real Madrid?", max_sentences=2)
    assert 1 <= len(points(answer)) <= 2


def test_an_unrelated_question_gets_a_plain_no_and_no_citations(index):
    answer = ask(index, "What is the best recipe for banana bread?")
    assert answer.abstained
    assert answer.text == NOTHING_FOUND
    assert answer.citations == ()


def test_no_passages_means_no_answer(index):
    query = index.embed_query("Allegri")
    answer = compose_answer("Allegri", query, [], index.embed, min_score=0.35, max_sentences=4)
    assert answer.abstained and answer.citations == ()


def test_near_repeated_sentences_are_not_given_twice(open_index, tmp_path: Path):
    folder = tmp_path / "repeats"
    folder.mkdir()
    story = (
        "Inter Milan have agreed a fee with Torino for their goalkeeper. Talks went on all week."
    )
    (folder / "a.txt").write_text(f"Inter agree keeper fee\n\n{story}")
    (folder / "b.txt").write_text(
        f"Inter agree fee for keeper\n\n{story.replace('all week', 'for a week')}"
    )
    index = open_index()
    index.add_source(str(folder))
    reindex(index)
    answer = ask(index, "Have Inter agreed a fee for the Torino goalkeeper?")
    sentences = [s for _, s, _ in points(answer)]
    assert sum("agreed a fee with Torino" in s for s in sentences) == 1


def test_a_question_about_someone_absent_from_the_news_is_not_answered_about_others(index):
    answer = ask(index, "Is Mbappe joining Liverpool?")
    assert answer.abstained and answer.citations == ()


def test_names_match_without_accents_or_case(index):
    answer = ask(index, "Is HAALAND staying at Manchester Cíty?")
    assert not answer.abstained
    assert answer.citations[0].title == "Haaland signs new Manchester City contract"


CLUBS = AliasTable.load()
WITH_PEOPLE = AliasTable.load(people_path=SHIPPED_PEOPLE)


@pytest.mark.parametrize(
    ("question", "text", "answers"),
    [
        ("Is Mbappe joining Liverpool?", "Liverpool are keen on Mbappe.", True),
        ("Is Mbappe joining Liverpool?", "Mbappe is happy at Real Madrid.", False),
        ("Is Mbappe joining Liverpool?", "Liverpool have signed a new keeper.", False),
        ("Is Mbappe leaving PSG for the Reds?", "Mbappe has told PSG he wants to leave.", True),
        ("Are Arsenal and Spurs chasing a keeper?", "Arsenal want a new keeper.", False),
        ("Are Arsenal and Spurs chasing a keeper?", "Arsenal and Tottenham want him.", True),
        ("Which Italian club is Mutu talking to?", "Mutu is in talks with Juventus.", True),
        ("Will Kane leave for the Champions League?", "Kane could leave in the summer.", True),
        ("Are Man Utd still keen on Conte?", "United are losing interest in Conte.", True),
        ("Are Man Utd chasing a keeper?", "Newcastle United want a keeper.", False),
        ("Are Man Utd still keen on Conte?", "Conte and Newcastle United held talks.", False),
        ("Is Kane joining Real Madrid?", "Kane is a real threat, said the coach.", False),
        ("Why didn't Utd get Gueye from PSG?", "United missed out on PSG's Idrissa Gueye.", True),
        ("Is Shawcross off to the MLS?", "Inter Miami want Stoke's Ryan Shawcross.", True),
        ("Was Beckham happy with the score in Rome?", "Beckham was relieved at Roma.", True),
        ("Is Kane off to Munich?", "Kane could join Bayern in the summer.", True),
        ("Is Kane off to Munich?", "Kane could join Manchester City.", False),
        ("Is the Guinean lad at Olympiacos off?", "Olympiakos want £10m for Camara.", True),
    ],
)
def test_an_answer_must_name_its_people_and_one_of_its_clubs_not_its_places(
    question, text, answers
):
    assert on_topic(text, named_terms(question, CLUBS), CLUBS) is answers


def test_a_question_about_how_things_stand_now_needs_only_its_people_named():
    question = "Which club is Eriksen about to sign for after leaving Inter?"
    names = named_terms(question, CLUBS)
    latest = "Eriksen is set to sign for Brentford inside the next 72 hours."
    assert on_topic(latest, names, CLUBS, about_now=True)
    assert not on_topic(latest, names, CLUBS, about_now=False)
    assert not on_topic("Inter have signed a new midfielder.", names, CLUBS, about_now=True)


@pytest.mark.parametrize(
    "question",
    [
        "After the Blades cut their price, did the Gunners get Ramsdale?",
        "Whose record did the Chelsea keeper Cech break?",
        "Christmas is coming - will Spurs sign Kane?",
        "Who've Wolves gone for?",
    ],
)
def test_question_words_and_holidays_are_no_names(question):
    first_word = question.split()[0].lower()
    assert all(first_word not in group for group in named_terms(question, CLUBS))


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Klopp said Neco wasn't going out on loan - has that changed?", ["neco"]),
        ("Is Patricio joining Mourinho at Roma?", ["roma", "patricio"]),
        ("Is Correa off to Inter to fill the Lukaku gap?", ["inter", "correa"]),
        ("Klopp says he is staying - is that true?", ["klopp"]),
    ],
)
def test_the_one_who_said_it_or_is_joined_or_replaced_is_not_whom_it_asks_about(question, asked):
    """Unless nobody else is left to ask about."""
    groups = asked_about(question, WITH_PEOPLE)
    assert len(groups) == len(asked)
    assert all(any(name in group for group in groups) for name in asked)


def test_fans_abbreviations_are_no_names():
    names = named_terms("Is Overmars taking the DoF job? Will Kane play in the UCL?", CLUBS)
    assert names == [frozenset({"overmars"}), frozenset({"kane"})]


def test_a_club_with_ex_before_it_is_the_club_not_a_person():
    [blackburn, viking] = named_terms("What does the ex-Blackburn boss now at Viking say?", CLUBS)
    assert "blackburn rovers" in blackburn
    assert viking == frozenset({"viking"})


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Who is in charge of the Toffees now Rafa Benitez has gone?", ["everton"]),
        ("Why did Man Utd go cold on hiring Conte to replace Solskjaer?", ["man utd", "conte"]),
        ("Who are Spurs lining up as Pochettino's successor?", ["spurs"]),
        ("Who will replace Solskjaer?", ["solskjaer"]),
        ("Who've Wolves gone for to replace Nuno?", ["wolves"]),
        ("Is Xhaka off to Jose's Roma?", ["roma", "xhaka"]),
        ("Is Kane's exit from Spurs close?", ["spurs", "kane"]),
        ("Is Kane's Spurs future over?", ["spurs", "kane"]),
        ("After Lukaku left Chelsea, where did he go?", ["chelsea", "lukaku"]),
        ("Will Arsenal succeed in landing Vlahovic?", ["arsenal", "vlahovic"]),
        ("Can the Ox replace the injured Saka at Arsenal?", ["arsenal", "the ox"]),
        ("Did Chelsea replace their keeper with Mendy?", ["chelsea", "mendy"]),
    ],
)
def test_the_one_somebody_replaces_is_not_whom_the_question_asks_about(question, asked):
    """Unless nobody else is left to ask about."""
    groups = asked_about(question, WITH_PEOPLE)
    assert len(groups) == len(asked)
    assert all(any(name in group for group in groups) for name in asked)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Now Xavi's running Barca, is Auba actually going there?", ["barca", "auba"]),
        ("Once the Wagner talks fell through, who did the Baggies get?", ["baggies"]),
        ("With Kane staying, will Spurs sell Son?", ["spurs", "son"]),
        ("After Lukaku left Chelsea, where did he go?", ["chelsea", "lukaku"]),
        ("Now Mourinho is at Roma, will he sign Xhaka?", ["roma", "mourinho", "xhaka"]),
        ("Now Kane has left Spurs, will he win a trophy at Bayern?", ["spurs", "bayern", "kane"]),
        ("With Haaland and Kane available, who will Chelsea sign?", ["chelsea", "haaland", "kane"]),
        ("Once Lukaku left the Toffees (Everton), where did he go?", ["toffees", "lukaku"]),
        ("Since Ole was sacked, is Pogba staying?", ["pogba"]),
    ],
)
def test_who_sets_the_scene_is_not_whom_the_question_asks_about(question, asked):
    """Unless nobody else is left to ask about."""
    groups = asked_about(question, WITH_PEOPLE)
    assert len(groups) == len(asked)
    assert all(any(name in group for group in groups) for name in asked)


def test_a_surname_that_begins_a_country_is_a_person():
    [benfica, costa] = named_terms("Is Diego Costa off to Benfica?", CLUBS)
    assert people_named([benfica, costa], CLUBS) == [costa] == [frozenset(["costa"])]
    assert not on_topic("Benfica want a striker.", [benfica, costa], CLUBS)


def test_the_one_who_has_gone_is_not_searched_for():
    assert (
        without_the_departed("Who is in charge of the Toffees now Rafa Benitez has gone?", CLUBS)
        == "Who is in charge of the Toffees now Rafa has gone?"
    ), "a surname alone names him: his first name stays"
    assert (
        without_the_departed("Now Rafa Benitez has gone, who will Everton appoint?", WITH_PEOPLE)
        == "Now has gone, who will Everton appoint?"
    )
    replacing = "Why did Man Utd go cold on hiring Conte to replace Solskjaer?"
    assert without_the_departed(replacing, CLUBS) == replacing, (
        "reports of the search for a successor name the one he replaces"
    )


@pytest.fixture
def story_index(open_index, tmp_path: Path):
    """The same Rashford rumour from three outlets, then a denial, all about one player."""
    folder = tmp_path / "rashford"
    folder.mkdir()
    rumour = (
        "Barcelona have opened talks with Manchester United over a loan move for forward "
        "Marcus Rashford, 27."
    )
    write_report(folder, "a", "Sky Sports", "2026-01-10", "https://www.skysports.com/r1", rumour)
    write_report(
        folder,
        "b",
        "The Sun",
        "2026-01-11",
        "https://www.thesun.co.uk/r2",
        rumour.replace(", 27", ""),
    )
    write_report(
        folder,
        "c",
        "The Athletic",
        "2026-01-12",
        "https://theathletic.com/r3",
        rumour.replace("opened talks", "held talks"),
    )
    write_report(
        folder,
        "d",
        "BBC Sport",
        "2026-01-20",
        "https://www.bbc.co.uk/sport/r4",
        "Manchester United have denied that Marcus Rashford will leave on loan to Barcelona.",
    )
    index = open_index()
    index.add_source(str(folder))
    reindex(index)
    return index


def test_one_story_from_several_outlets_is_one_point_citing_them_all(story_index):
    answer = ask(story_index, "Is Rashford going to Barcelona?", tiers=OutletTiers.load())
    talks = [p for p in points(answer) if "talks" in p[1]]
    assert len(talks) == 1, answer.text
    cited = {c.n: c.outlet for c in answer.citations}
    assert {cited[n] for n in talks[0][2]} == {"Sky Sports", "The Sun", "The Athletic"}


def test_the_answer_leads_with_the_latest_development(story_index):
    answer = ask(story_index, "Is Rashford going to Barcelona?", tiers=OutletTiers.load())
    date_shown, sentence, _ = points(answer)[0]
    assert date_shown == "20 Jan 2026" and "denied" in sentence


def test_disagreeing_reports_are_summed_up_newest_first_not_blended(story_index):
    answer = ask(story_index, "Is Rashford going to Barcelona?", tiers=OutletTiers.load())
    assert answer.summary == (
        "Reports disagree, newest first: BBC Sport (tier 1) reported a denial on 20 Jan 2026; "
        "3 outlets (1 of them tier 1) reported talks, latest on 12 Jan 2026."
    )


def test_each_citation_carries_its_tier_and_status(story_index):
    answer = ask(story_index, "Is Rashford going to Barcelona?", tiers=OutletTiers.load())
    by_outlet = {c.outlet: c for c in answer.citations}
    assert by_outlet["The Sun"].tier == 4 and by_outlet["The Sun"].status is Status.TALKS
    assert by_outlet["BBC Sport"].tier == 1 and by_outlet["BBC Sport"].status is Status.DENIED


def test_between_equal_reports_the_more_reliable_outlet_is_cited_first(story_index):
    answer = ask(story_index, "Is Rashford going to Barcelona?", tiers=OutletTiers.load())
    talks = next(p for p in points(answer) if "talks" in p[1])
    outlets = [next(c.outlet for c in answer.citations if c.n == n) for n in talks[2]]
    assert outlets[0] == "The Athletic", outlets


def test_agreeing_reports_are_summed_up_with_their_count():
    citations = [
        Citation(1, "t", None, "Sky Sports", date(2026, 1, 10), "q", 2, TALKS),
        Citation(2, "t", None, "Marca", date(2026, 1, 12), "q", 2, TALKS),
    ]
    assert summarise(citations) == "In short: 2 outlets reported talks, latest on 12 Jan 2026."


PAY_RISE = "Are Feyenoord giving Jonas Verhoek a big pay rise?"


def report(number: int, outlet: str, published: str, text: str, score: float) -> Passage:
    """A retrieved passage (a whole article) with the relevance retrieval gave it."""
    return Passage(
        chunk_id=number,
        article_id=number,
        text=text,
        score=score,
        title=text.split(".")[0],
        url=f"https://news.example/{number}",
        outlet=outlet,
        author=None,
        published=date.fromisoformat(published),
    )


@pytest.fixture
def pay_rise_reports() -> list[Passage]:
    """An older report matching the question's words well, then newer news of talks that
    matches them loosely (far below the best), printed word for word by two outlets beside a
    sentence about another player's pay rise."""
    talks = (
        "Feyenoord are also giving Pieter Kroon a big pay rise, doubling his salary. "
        "Feyenoord have opened talks with Jonas Verhoek over an extension to his deal."
    )
    return [
        report(
            1,
            "Sky Sports",
            "2026-02-01",
            "Feyenoord plan to double the salary of defender Jonas Verhoek after his impressive "
            "first season.",
            score=0.66,
        ),
        report(2, "The Times", "2026-02-20", talks, score=0.48),
        report(3, "Metro", "2026-02-21", talks, score=0.47),
    ]


def answer_from(reports: list[Passage], embedder, question: str = PAY_RISE):
    query = embedder.encode([question])[0]
    return compose_answer(
        question, query, reports, embedder.encode, min_score=0.35, max_sentences=4
    )


def test_the_latest_report_naming_the_player_is_read_though_it_shares_few_words(
    pay_rise_reports, embedder
):
    answer = answer_from(pay_rise_reports, embedder)
    date_shown, sentence, _ = points(answer)[0]
    assert date_shown == "21 Feb 2026" and "opened talks with Jonas Verhoek" in sentence


def test_a_loosely_matching_report_lends_only_sentences_naming_who_was_asked_about(
    pay_rise_reports, embedder
):
    answer = answer_from(pay_rise_reports, embedder)
    assert "Kroon" not in answer.text


def test_a_story_printed_word_for_word_by_two_outlets_cites_both(embedder):
    talks = "Feyenoord have opened talks with Jonas Verhoek over an extension to his deal."
    reports = [
        report(1, "The Times", "2026-02-20", talks, score=0.7),
        report(2, "Metro", "2026-02-21", talks, score=0.7),
    ]
    answer = answer_from(reports, embedder)
    [(_, _, cited)] = points(answer)
    assert {c.outlet for c in answer.citations if c.n in cited} == {"The Times", "Metro"}


def test_once_something_relevant_is_found_less_relevant_reports_about_it_are_read_too(embedder):
    question = "Is Jonas Verhoek staying at Feyenoord?"
    query = embedder.encode([question])[0]
    reports = [
        report(1, "The Times", "2026-02-20", "Feyenoord want Jonas Verhoek to stay.", 0.6),
        report(2, "Metro", "2026-02-25", "Verhoek has agreed a new Feyenoord deal.", 0.4),
    ]

    def outlets(**thresholds) -> set[str]:
        answer = compose_answer(
            question, query, reports, embedder.encode, max_sentences=4, **thresholds
        )
        return {c.outlet for c in answer.citations}

    assert outlets(min_score=0.45, read_score=0.35) == {"The Times", "Metro"}
    assert outlets(min_score=0.45) == {"The Times"}
    assert outlets(min_score=0.65, read_score=0.35) == set()


def test_a_report_naming_the_person_asked_about_needs_less_relevance(embedder):
    question = "Is Sol close to a new deal?"
    query = embedder.encode([question])[0]
    passing_mention = "The Gunners are boosted by news that Sol Campbell will sign a new deal."
    reports = [report(1, "BBC Sport", "2005-01-20", passing_mention, 0.4)]

    def answered(asked: str = question, **options) -> bool:
        options = {"min_score": 0.45, "max_sentences": 4} | options
        return not compose_answer(asked, query, reports, embedder.encode, **options).abstained

    assert answered(named_min_score=0.35)
    assert not answered()
    assert not answered(named_min_score=0.45)
    assert not answered("is sol close to a new deal?", named_min_score=0.35), (
        "a question naming nobody still needs min_score"
    )
    assert answered("and is it done yet?", named_min_score=0.35, context=question), (
        "a follow-up naming nobody keeps the bar of the person asked about"
    )


def test_the_lower_bar_needs_the_person_as_the_question_names_him(embedder):
    question = "Is Taylor Swift touring Europe?"
    query = embedder.encode([question])[0]
    namesake = report(1, "BBC Sport", "2021-11-16", "Leeds want Reading forward John Swift.", 0.4)
    answer = compose_answer(
        question,
        query,
        [namesake],
        embedder.encode,
        min_score=0.45,
        named_min_score=0.35,
        max_sentences=4,
    )
    assert answer.abstained


def answer_as_the_engine_does(question: str, reports: list[Passage], embedder, max_sentences: int):
    """With the club table, and favouring the newest report when the question asks about now."""
    return compose_answer(
        question,
        embedder.encode([question])[0],
        reports,
        embedder.encode,
        min_score=0.45,
        max_sentences=max_sentences,
        aliases=CLUBS,
        about_now=asks_about_now(question),
    )


def test_who_took_over_is_answered_by_a_report_not_naming_the_one_who_left(embedder):
    question = "Who is in charge of Everton now Rafa Benitez has gone?"
    reports = [
        report(1, "Sky Sports", "2021-12-02", "Everton boss Rafa Benitez wants a left-back.", 0.6),
        report(2, "Mirror", "2022-01-31", "Everton have appointed Frank Lampard as manager.", 0.5),
    ]
    answer = answer_as_the_engine_does(question, reports, embedder, max_sentences=4)
    date_shown, sentence, _ = points(answer)[0]
    assert (date_shown, sentence) == ("31 Jan 2022", reports[1].text)


@pytest.mark.parametrize(
    ("question", "hears_the_newest"),
    [
        ("Why did Man Utd go cold on hiring Conte?", False),
        ("Are Man Utd still keen on Conte?", True),
        ("Are Man Utd keen on Conte?", True),
    ],
)
def test_the_newest_report_has_its_say_on_how_things_stand_now_or_when_about_as_relevant(
    question, hears_the_newest, embedder
):
    reports = [
        report(1, "Daily Star", "2021-10-29", "United are losing interest in Antonio Conte.", 0.63),
        report(2, "The Sun", "2021-10-27", "Man Utd have put Conte on a shortlist.", 0.62),
        report(3, "Express", "2021-11-25", "Tottenham boss Conte wants United's Bailly.", 0.46),
    ]
    answer = answer_as_the_engine_does(question, reports, embedder, max_sentences=2)
    assert ("Bailly" in answer.text) is hears_the_newest


def test_a_question_about_the_time_of_a_story_hears_a_newest_report_about_as_relevant(embedder):
    question = "Why did Man Utd go cold on hiring Conte?"
    reports = [
        report(1, "Daily Star", "2021-10-29", "United are losing interest in Antonio Conte.", 0.63),
        report(2, "The Sun", "2021-10-27", "Man Utd have put Conte on a shortlist.", 0.62),
        report(3, "Express", "2021-11-25", "Tottenham boss Conte wants United's Bailly.", 0.55),
    ]
    answer = answer_as_the_engine_does(question, reports, embedder, max_sentences=2)
    assert "Bailly" in answer.text


def test_the_outcome_the_rumours_led_to_has_its_say_beside_the_newest_report(embedder):
    question = "Is Tomas Brenner joining Roma or staying at Arsenal?"
    reports = [
        report(
            1,
            "Sky Sports",
            "2021-06-25",
            "Roma remain in talks with Arsenal for Tomas Brenner.",
            0.72,
        ),
        report(
            2,
            "Guardian",
            "2021-08-17",
            "Tomas Brenner has signed a new contract with Arsenal.",
            0.6,
        ),
        report(
            3,
            "Mirror",
            "2021-11-18",
            "Roma could reopen talks with Arsenal for Tomas Brenner.",
            0.68,
        ),
        report(
            4, "Sun", "2022-01-28", "Roma remain hopeful of signing Arsenal's Tomas Brenner.", 0.66
        ),
    ]
    answer = answer_as_the_engine_does(question, reports, embedder, max_sentences=2)
    assert [date_shown for date_shown, _, _ in points(answer)] == ["28 Jan 2022", "17 Aug 2021"]


def test_a_report_naming_the_player_in_passing_is_read_when_it_is_the_latest(embedder):
    question = "Did Kristian Aas go to Norwich or Brentford?"
    reports = [
        report(
            1, "Sun", "2021-06-04", "Norwich will bid £10m for Celtic defender Kristian Aas.", 0.6
        ),
        report(
            2,
            "90min",
            "2021-07-23",
            "Newcastle want a centre-back after Brentford won the race to sign Kristian Aas.",
            0.3,
        ),
        report(3, "Metro", "2021-07-30", "Norwich want a centre-back after missing out.", 0.3),
    ]
    answer = compose_answer(
        question,
        embedder.encode([question])[0],
        reports,
        embedder.encode,
        min_score=0.45,
        read_score=0.35,
        max_sentences=4,
    )
    assert [date_shown for date_shown, _, _ in points(answer)] == ["23 Jul 2021", "4 Jun 2021"]


def test_the_club_may_be_named_elsewhere_in_the_article_of_a_passage_naming_the_player(embedder):
    question = "Why won't Essien play in the charity match in Barcelona?"
    passage = report(1, "BBC Sport", "2005-01-20", "Lyon refused to release Michael Essien.", 0.6)
    article = "Africans for charity game. The match in Barcelona is on Tuesday. " + passage.text

    def answered(texts: dict[int, str] | None) -> bool:
        return not compose_answer(
            question,
            embedder.encode([question])[0],
            [passage],
            embedder.encode,
            min_score=0.45,
            max_sentences=4,
            aliases=CLUBS,
            article_texts=(lambda ids: {i: texts[i] for i in ids if i in texts}) if texts else None,
        ).abstained

    assert answered({1: article})
    assert not answered(None)
    assert not answered({1: passage.text}), "the article must name the club"
    column = passage.text + " More transfer gossip follows." * 30 + " Barcelona want a keeper."
    assert not answered({1: column}), "only the title and lead say whom a report is told for"


@pytest.mark.parametrize(
    ("question", "only_whose"),
    [
        ("Villa's Welsh left back Neil, who wants him once he's a free agent?", True),
        ("Is Chelsea's Mount leaving?", True),
        ("Is Arsenal's Saka joining Liverpool?", False),
        ("Is Mount leaving Chelsea?", False),
        ("Chelsea's new keeper, and will Chelsea sell Mount?", False),
    ],
)
def test_a_club_named_only_as_whose_player_he_is_is_not_asked_about(question, only_whose):
    assert clubs_only_say_whose(question, CLUBS) is only_whose
