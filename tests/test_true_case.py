"""Questions typed without capitals get them where the news prints names."""

import pytest

from bot.true_case import WordUse, capitals_say_nothing, respelt, true_cased, word_use
from index.aliases import SHIPPED_PEOPLE, AliasTable

NEWS = [
    "Arsenal want Lyon midfielder Houssem Aouar, 23, and Mikel Arteta has made him a target.",
    "Chelsea's Hakim Ziyech is wanted by Borussia Dortmund, who would take him on loan.",
    "The midfielder is close to a loan move and the deal could be done in January.",
    "Dortmund have made an offer. The loan would run until the summer, said Aouar's agent.",
]


TABLES = AliasTable.load(people_path=SHIPPED_PEOPLE)


def use_of(word: str) -> WordUse:
    return word_use(word, NEWS)


def tables_spelling(word: str, after: str) -> str | None:
    return TABLES.spelt_like(word)


def test_the_news_tells_names_by_their_capitals_in_mid_sentence():
    assert use_of("aouar") == WordUse(capitalised=2, lower_case=0)
    assert use_of("loan") == WordUse(capitalised=0, lower_case=3)
    assert use_of("the") == WordUse(capitalised=0, lower_case=2), (
        '"The" after a full stop says nothing'
    )
    assert use_of("pjanic") == WordUse()


def test_accents_in_the_news_do_not_hide_a_name():
    assert word_use("pjanic", ["Juventus sold Miralem Pjanić to Barcelona."]).capitalised == 1


@pytest.mark.parametrize(
    ("question", "cased"),
    [
        ("did arteta ever land aouar from lyon?", "did Arteta ever land Aouar from Lyon?"),
        (
            "is ziyech off to dortmund on loan in january?",
            "is Ziyech off to Dortmund on loan in January?",
        ),
        ("Is Ziyech Going On Loan?", "is Ziyech going on loan?"),
        ("IS ZIYECH GOING ON LOAN?", "is Ziyech going on loan?"),
        ("is CHO going to dortmund?", "is CHO going to Dortmund?"),
        ("is Ziyech LEAVING on loan?", "is Ziyech leaving on loan?"),
        ("loan deal for ziyech?", "loan deal for Ziyech?"),
    ],
)
def test_names_get_capitals_and_other_words_lose_them(question, cased):
    """Only names are capitalised, the first word too: "Loan" would read as a name."""
    assert true_cased(question, use_of) == cased


def test_a_sentence_opening_with_a_word_the_news_prints_in_lower_case_names_nobody_by_it():
    assert true_cased("Loan deal for Ziyech?", use_of) == "loan deal for Ziyech?"
    assert true_cased("Ziyech on loan? Loan or sale?", use_of) == "Ziyech on loan? loan or sale?"
    assert true_cased("Aouar on loan?", use_of) == "Aouar on loan?"
    assert true_cased("Pjanic on loan?", use_of) == "Pjanic on loan?", "a word never seen stays"


def test_a_name_the_news_never_prints_is_told_by_how_rarely_english_uses_it():
    assert true_cased("are city signing khusanov?", use_of) == "are city signing Khusanov?"
    assert true_cased("is he gonna leave?", use_of) == "is he gonna leave?"
    assert true_cased(
        "any news on marc guiu?", lambda w: WordUse(3, 0) if w == "marc" else WordUse()
    ) == ("any news on Marc Guiu?"), "after a name, a surname may be a more common word"


def test_a_rare_word_the_dictionary_lists_in_lower_case_is_no_name():
    assert true_cased("did the keepers blame the ball for the howlers?", use_of) == (
        "did the keepers blame the ball for the howlers?"
    ), '"howler" is in the dictionary'
    assert true_cased("are the bottlers signing dyche?", use_of) == (
        "are the bottlers signing Dyche?"
    ), "the dictionary has no Dyche"


def test_an_abbreviation_in_capitals_leaves_a_lower_case_question_lower_case():
    assert true_cased("is overmars taking the DoF job at the toon?", use_of) == (
        "is Overmars taking the DoF job at the toon?"
    )


def test_a_typo_of_an_everyday_word_is_no_name():
    assert true_cased("how much is aouar wantin?", use_of) == "how much is Aouar wantin?"


def test_a_misspelt_club_or_nickname_is_spelt_as_the_name_tables_spell_it():
    assert respelt("is Kamara leaving Marseile?", use_of, tables_spelling) == (
        "is Kamara leaving Marseille?"
    )
    assert respelt("did tottenam bid?", use_of, tables_spelling) == "did tottenham bid?"
    assert respelt("Is Aubamayang off?", use_of, tables_spelling) == "Is Aubameyang off?"
    assert respelt("is Aouar at Lyon?", use_of, tables_spelling) == "is Aouar at Lyon?", (
        "a word the news prints is left alone"
    )


def test_a_question_in_lower_case_but_for_its_clubs_and_sentence_starts_gains_capitals():
    def is_a_club(word: str) -> bool:
        return word == "dortmund"

    assert true_cased("is ziyech off to Dortmund?", use_of, is_a_club) == (
        "is Ziyech off to Dortmund?"
    )
    assert true_cased("Is Ziyech off to dortmund?", use_of) == "Is Ziyech off to dortmund?", (
        "an asker who capitalises names is read as typed"
    )
    assert true_cased("is kane leaving? I've heard Aouar is", use_of) == (
        "is kane leaving? I've heard Aouar is"
    ), "a word the news never prints but English often uses stays as typed"
    assert true_cased("spurs are rubbish. Will ziyech leave?", use_of) == (
        "spurs are rubbish. Will Ziyech leave?"
    )


def test_capitals_say_nothing_in_title_case_or_shouted():
    assert capitals_say_nothing("Is Fergie Retiring Soon?")
    assert capitals_say_nothing("IS ZIYECH OFF?")
    assert not capitals_say_nothing("is CHO off to dortmund?")
    assert not capitals_say_nothing("Is Ziyech off? Dortmund want him")
    assert not capitals_say_nothing("Is Kane off? I've Heard So"), "'I've' and a sentence start"
    assert not capitals_say_nothing("Why?")


def test_fan_slang_digits_and_keyboard_mashing_are_no_names():
    assert true_cased("is ziyech deffo going? coys", use_of) == "is Ziyech deffo going? coys"
    assert true_cased("any u21s going out on loan?", use_of) == "any u21s going out on loan?"
    mashed = "a" + "sdfghjkl" * 30
    assert true_cased(f"is {mashed} leaving?", use_of) == f"is {mashed} leaving?"


def test_everyday_words_are_not_respelt_as_names():
    for question in ["Is there a partial agreement?", "are city stealing a march?"]:
        assert respelt(question, use_of, tables_spelling) == question
    assert respelt("did tottenam's bid fail?", use_of, tables_spelling) == (
        "did tottenham's bid fail?"
    )


def test_a_typo_dropping_the_g_of_an_ing_is_no_name_even_after_a_name():
    assert true_cased("where's aouar endin up?", use_of) == "where's Aouar endin up?"


def test_a_rare_word_after_a_club_is_read_as_after_any_word():
    def is_a_club(word: str) -> bool:
        return word == "liverpool"

    assert true_cased("would liverpool flog aouar?", use_of, is_a_club, is_a_club) == (
        "would Liverpool flog Aouar?"
    ), '"flog" is in the dictionary; after a first name it might be a surname'


def test_a_four_letter_word_dropping_the_g_of_a_common_ing_is_no_name():
    assert true_cased("is aouar goin out on loan?", use_of) == "is Aouar goin out on loan?"


def test_an_inflection_of_a_word_the_news_prints_in_lower_case_is_no_name():
    news = [*NEWS, "Arsenal reached the Champions League knockout stage with Aouar."]

    def printed(word: str) -> WordUse:
        return word_use(word, news)

    def is_arsenal(word: str) -> bool:
        return word == "arsenal"

    question = "Are Arsenal In The Champions League Knockouts?"
    assert true_cased(question, printed, is_arsenal, is_arsenal) == (
        "are Arsenal in the Champions League knockouts?"
    ), '"knockouts" after "League": the news prints "knockout" in lower case'


def test_a_common_word_the_news_prints_as_a_first_name_is_a_verb_after_they_can():
    news = [*NEWS, "Burnley keeper Nick Pope is wanted by Newcastle.", "Then Nick Pope left."]

    def printed(word: str) -> WordUse:
        return word_use(word, news)

    assert true_cased("do they reckon they can nick aouar", printed) == (
        "do they reckon they can nick Aouar"
    )
    assert true_cased("is nick pope off", printed) == "is Nick Pope off"
    rice = [*news, "West Ham's Declan Rice is wanted by Chelsea.", "Then Declan Rice left."]

    def printed_too(word: str) -> WordUse:
        return word_use(word, rice)

    assert true_cased("who will rice replace at chelsea", printed_too) == (
        "who will Rice replace at Chelsea"
    ), '"who will" is followed by a name as often as a verb'


def test_after_a_first_name_a_surname_english_knows_may_be_respelt_but_no_everyday_word():
    def as_loaning(word: str, after: str) -> str | None:
        return "hofmann" if word == "hoffman" else "loaning"

    assert respelt("is aouar hoffman off?", use_of, as_loaning) == "is aouar hofmann off?"
    assert respelt("a bid for hoffman?", use_of, as_loaning) == "a bid for hoffman?", (
        '"for" is no first name: the news never prints it as a name'
    )
    assert respelt("is aouar moaning?", use_of, as_loaning) == "is aouar moaning?", (
        '"moaning" is in the dictionary'
    )


def test_a_question_shouted_but_for_a_short_tail_is_shouted():
    assert capitals_say_nothing("UNITED WANT VILLA'S KEEPER AS DDG'S REPLACEMENT?? true or nah")
    assert true_cased("ARSENAL WANT AOUAR FROM LYON NEXT MONTH?? true or nah", use_of) == (
        "arsenal want Aouar from Lyon next month?? true or nah"
    )
    assert not capitals_say_nothing("is CHO off to PSG or dortmund?"), "two acronyms: no shouting"


def test_no_surname_follows_a_possessive():
    assert true_cased("aouar's screamer at lyon, was it his best?", use_of) == (
        "Aouar's screamer at Lyon, was it his best?"
    ), "'screamer' is in the dictionary: after a first name it might be a surname, not after 's"


def test_a_typo_dropping_the_g_of_a_rarer_ing_the_dictionary_lists_is_no_name():
    assert true_cased("who's been sniffin round aouar", use_of) == (
        "who's been sniffin round Aouar"
    )


@pytest.mark.parametrize(
    ("question", "cased"),
    [
        ("is ziyech off to dortmund wiv aouar", "is Ziyech off to Dortmund wiv Aouar"),
        ("do dortmund want ziyech?? hes 28 lol", "do Dortmund want Ziyech?? hes 28 lol"),
        ("aouar to dortmund, wat r the odds", "Aouar to Dortmund, wat r the odds"),
    ],
)
def test_text_speak_and_contractions_typed_without_apostrophes_are_no_names(question, cased):
    assert true_cased(question, use_of) == cased


@pytest.mark.parametrize("stop", [",", " -", ".", "?"])
def test_no_surname_follows_a_name_across_a_comma_a_dash_or_a_full_stop(stop):
    """A rarer word right after a name may be his surname ("aouar punt"), not after a stop."""
    assert true_cased(f"aouar{stop} punt or not?", use_of) == f"Aouar{stop} punt or not?"
