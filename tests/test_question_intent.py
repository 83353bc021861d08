"""Questions about how a story stands now are told apart from questions about a past report."""

import pytest

from bot.question_intent import asks_about_now, asks_about_the_past


@pytest.mark.parametrize(
    "question",
    [
        "Where did Vlahovic go instead of the Gunners?",
        "Who is taking charge of the Toffees now Rafa Benitez has gone?",
        "Which club is Christian Eriksen about to sign for after leaving Inter?",
        "Is Kane still going to City?",
        "What's the latest on Elneny going to Galatasaray?",
        "Where did Dean Smith end up after Villa sacked him?",
        "Has Pogba signed yet?",
        "Did the Toon manage to get Choudhury on loan?",
        "Is Adama's move to Spurs actually done?",
        "Has Willian's move back to Brazil gone through?",
        "Did Lingard's loan fall apart at the last minute?",
        "Who's been chasing Fulgini at Angers?",
        "whos been in for him",
    ],
)
def test_questions_about_the_latest_state_of_a_story(question):
    assert asks_about_now(question)


@pytest.mark.parametrize(
    "question",
    [
        "Why did Xavi keep knocking back the Barca job?",
        "Which super-agent did Donny van de Beek reject?",
        "How much would Villa have to pay Rangers to appoint Gerrard?",
        "Do Milan think Chelsea want too much to make Tomori's move permanent?",
    ],
)
def test_questions_about_a_particular_report(question):
    assert not asks_about_now(question)


def test_cue_words_count_only_as_whole_words():
    assert not asks_about_now("Is Knowles joining the Stillwater academy?")


@pytest.mark.parametrize(
    ("question", "in_the_past"),
    [
        ("Why did Man Utd go cold on hiring Conte?", True),
        ("How much did Leeds bid for Ben White?", True),
        ("Which club did Vlahovic join?", False),
        ("Are the Seagulls getting Kozlowski?", False),
        ("Is Kane leaving Spurs?", False),
        ("Why did the Toon fail to get Choudhury in the end?", False),
    ],
)
def test_why_and_how_questions_in_the_past_tense_ask_about_the_time_of_a_story(
    question, in_the_past
):
    """Unless they ask how it ended; "which club did he join?" asks for the outcome."""
    assert asks_about_the_past(question) is in_the_past
