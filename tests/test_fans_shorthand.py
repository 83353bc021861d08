"""Fans' shorthand is read as the names the news prints: initials ("PVA"), a name misspelt one
letter from two ("mckenie"), the month "Jan", "aussie". A question naming several people is
answered from the report that names them all, though no one passage does."""

import pytest
from reports import indexed_reports, points

from bot.answer import first_name_before

REPORTS = [
    ("2026-01-08", "Galatasaray have offered Crystal Palace defender Patrick van Aanholt a deal."),
    ("2026-01-20", "Patrick van Aanholt, 30, has been offered a three-year deal by Galatasaray."),
    ("2026-01-11", "Tottenham are interested in Juventus midfielder Weston McKennie, 23."),
    ("2026-01-14", "Rangers want Aberdeen striker Lewis McKenzie and will bid this week."),
    ("2026-01-16", "Aberdeen have turned down a £2m offer from Rangers for Lewis McKenzie."),
    ("2026-01-18", "Juventus could sign Borussia Dortmund midfielder Axel Witsel in January."),
    ("2026-01-05", "Lazio want £70m for Serbia midfielder Sergej Milinkovic-Savic, 26."),
    ("2026-01-23", "Manchester United are keen on Lazio's Sergej Milinkovic-Savic."),
    ("2026-01-09", "Arsenal striker Robin van Persie will serve a three-match ban."),
    ("2026-01-19", "Everton are tracking Stoke City and Australia defender Harry Souttar, 23."),
    ("2026-01-12", "Burnley are set to sign Wales goalkeeper Wayne Hennessey on a free transfer."),
    ("2026-01-13", "Chelsea are interested in Borussia Monchengladbach midfielder Jonas Hofmann."),
    ("2026-01-14", "Real Madrid are interested in Manchester City full-back Pedro Porro."),
    ("2026-01-15", "Tottenham want Inter defender Stefan de Vrij in January."),
    ("2026-01-16", "Liverpool want Napoli midfielder Fabian Ruiz next summer."),
    ("2026-01-10", "Napoli will not sell Fabian Ruiz, 25, in January."),
    ("2026-01-27", "Brighton have seen their bid for Spain forward Abel Ruiz rejected by Braga."),
    ("2026-01-24", "Manchester City will offer winger Riyad Mahrez, 30, a new two-year deal."),
    ("2026-01-25", "Brentford have bid £20m for Nottingham Forest forward Brennan Johnson."),
    ("2026-01-26", "Peterborough want £5m for their striker Jonson Clarke-Harris."),
    ("2026-01-28", "Tottenham are close to signing Metz midfielder Pape Sarr for £15m."),
    ("2026-01-29", "Ajax chief executive Edwin van der Sar has ruled out a return to United."),
    ("2026-01-30", "Brighton are in talks with striker Danny Welbeck over a new contract."),
    ("2026-01-31", "Aston Villa boss Steven Gerrard wants Rangers defender Borna Barisic."),
    ("2026-01-22", "Tottenham would sell Denmark midfielder Pierre-Emile Hojbjerg for £30m."),
    ("2026-01-02", "Barcelona could sell goalkeeper Marc-Andre ter Stegen to Newcastle."),
    ("2026-01-03", "Newcastle have made Marc-Andre ter Stegen their priority in goal."),
    ("2026-01-04", "Borussia Dortmund defender Mats Hummels, 32, will stay at the club."),
    ("2026-01-06", "Inter Miami want Stoke defender Ryan Shawcross to join them in MLS."),
    ("2026-01-07", "Major League Soccer clubs want Insigne, who may join Major League Soccer."),
    ("2026-01-17", "Watford are close to completing a deal for Fenerbahce midfielder Ozan Tufan."),
    ("2026-01-18", "Blackburn defender Andy Todd is suspended, so Dominic Matteo could return."),
    ("2026-01-19", "Southampton are considering a move for free agent keeper Willy Caballero."),
    ("2026-01-20", "Reading midfielder John Swift says he wants to stay at the Royals."),
    ("2026-01-21", "Inter will listen to offers for Chile midfielder Arturo Vidal, 33."),
    ("2026-01-22", "Leeds have agreed a deal for Espanyol teenager Mateo Joseph."),
    ("2026-01-05", "Aston Villa left-back Neil Taylor is wanted by Stoke City and QPR."),
    ("2026-01-29", "Wales left-back Neil Taylor is a target for several Championship clubs."),
    (
        "2026-01-08",
        "A fight to the finish. "
        "Chelsea manager Jose Mourinho expects the tie with Barcelona to go to extra time.\n\n"
        + "Both squads trained in the sunshine on Monday afternoon before flying out. " * 25
        + "\n\nBarcelona star Ronaldinho says Chelsea are strong on the counter-attack.",
    ),
    (
        "2026-01-21",
        "Henry is injured and Bergkamp is suspended for the replay at Sheffield United.\n\n"
        "Robin van Persie was sent off at Southampton and is banned too, leaving Arsenal short. "
        + "The squad trained at London Colney on Monday morning in the rain. " * 25
        + "\n\nWenger will start Lupoli up front alongside Ljungberg at Bramall Lane.",
    ),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory, warm_model):
    opened = indexed_reports(tmp_path_factory.mktemp("shorthand"), REPORTS)
    yield opened
    opened.close()


def test_a_player_asked_about_by_his_initials_is_read_as_his_name(engine):
    assert engine.cased("has PVA had a contract offer off galatasaray") == (
        "has Patrick van Aanholt had a contract offer off Galatasaray"
    )
    answer = engine.ask("has PVA had a contract offer off galatasaray")
    assert not answer.abstained
    assert "three-year deal" in points(answer)[0][1]


def test_initials_typed_in_lower_case_without_a_vowel_are_read_as_the_name_too(engine):
    assert engine.cased("whats lazio's price on sms these days") == (
        "whats Lazio's price on Sergej Milinkovic-Savic these days"
    )
    assert engine.cased("where did rvp go?") == "where did Robin van Persie go?"
    assert engine.cased("is pva off?") == "is Pva off?", (
        "in lower case with a vowel, it is read as a rare word: a name"
    )
    assert engine.cased("thx, is sms off?") == "thx, is Sergej Milinkovic-Savic off?"


def test_a_shouted_question_has_no_initials_to_tell_from_its_words(engine):
    assert "Aanholt" not in engine.cased("HAS PVA HAD AN OFFER FROM GALATASARAY")


def test_initials_the_news_prints_no_name_with_are_still_refused(engine):
    assert engine.cased("has XJQ had an offer?") == "has XJQ had an offer?"
    assert engine.ask("has XJQ had an offer from Galatasaray?").abstained


def test_a_name_misspelt_one_letter_from_two_is_the_one_printed_after_the_word_before(engine):
    assert engine.cased("how much do juve want for weston mckenie") == (
        "how much do Juve want for Weston Mckennie"
    )
    assert engine.cased("have rangers bid for lewis mckenie") == (
        "have Rangers bid for Lewis Mckenzie"
    )
    assert engine.cased("how much for mckenie") == "how much for Mckenie", (
        "with nothing to tell the two apart it is left as typed (a rare word: a name)"
    )


def test_a_surname_two_letters_off_is_the_one_the_news_prints_after_the_first_name(engine):
    assert engine.cased("where did wayne hennesy end up") == "where did Wayne Hennessey end up"
    assert engine.cased("What would Gladbach take for Jonas Hoffman?") == (
        "What would Gladbach take for Jonas Hofmann?"
    ), "though English knows Hoffman as a surname"
    assert engine.cased("where did a hennesy end up") == "where did a Hennesy end up", (
        "without the first name before it, a rare word is just a name"
    )


def test_a_short_surname_one_letter_off_after_a_first_name_or_particle_is_the_printed_one(
    engine,
):
    assert engine.cased("is pedro poro off").endswith("Pedro Porro off")
    assert engine.cased("is de vrji off to spurs") == "is de Vrij off to Spurs"


def test_a_name_typed_with_two_letters_swapped_is_the_printed_one(engine):
    assert engine.cased("Is Marhez Getting A New Contract At City?") == (
        "is Mahrez getting a new contract at City?"
    )


def test_a_name_printed_only_for_someone_else_after_a_first_name_is_the_printed_surname(engine):
    assert engine.cased("brentford still going for brennan jonson?") == (
        "Brentford still going for Brennan Johnson?"
    ), "the news prints Jonson only as Jonson Clarke-Harris's first name"
    assert engine.cased("spurs close to gettin pape sar??") == "Spurs close to gettin Pape Sarr??"
    assert engine.cased("is edwin van der sar going back to united") == (
        "is Edwin van der Sar going back to United"
    ), "printed after the particle before it, a name is left as typed"


def test_a_player_named_in_full_is_not_answered_with_a_namesake(engine):
    answer = engine.ask("who's in for fabian ruiz?")
    assert not answer.abstained
    cited = [sentence for _, sentence, _ in points(answer)]
    assert any("Fabian Ruiz" in sentence for sentence in cited)
    assert not any("Abel Ruiz" in sentence for sentence in cited), (
        "Abel is another Ruiz: the news prints Fabian Ruiz in full"
    )
    woy = engine.ask("who's in for Woy Ruiz?")
    assert not woy.abstained, "a first name the news never prints with the surname rules out no one"
    assert any("Abel Ruiz" in sentence for _, sentence, _ in points(woy))


def test_a_club_in_the_possessive_without_its_apostrophe_is_read_as_the_club(engine):
    assert engine.cased("whats the release clause on barcas teenage midfielder") == (
        "whats the release clause on barca's teenage midfielder"
    )


def test_a_month_written_short_is_no_name(engine):
    answer = engine.ask("juve gonna go for axel witsel in jan?")
    assert not answer.abstained
    assert "Witsel" in points(answer)[0][1]


def test_a_fans_word_for_a_nationality_is_no_name(engine):
    answer = engine.ask("are the toffees looking at stoke's aussie centre back souttar")
    assert not answer.abstained
    assert "Souttar" in points(answer)[0][1]


def test_a_question_naming_several_people_is_answered_from_the_report_naming_them_all(engine):
    answer = engine.ask(
        "with Henry crocked and Bergkamp and RvP banned, who did Wenger play up front?"
    )
    assert not answer.abstained, "no one passage of the report names all four"
    assert any("Bergkamp is suspended" in sentence for _, sentence, _ in points(answer))
    assert engine.ask("with Henry crocked and Zablotny banned, who did Wenger play?").abstained, (
        "someone no report names is still refused"
    )


def test_a_fans_clipped_nickname_is_the_one_name_the_news_prints_it_starts(engine):
    assert engine.cased("welbz signin a new deal wiv the seagulls?") == (
        "Welbeck signin a new deal wiv the Seagulls?"
    )
    answer = engine.ask("welbz signin a new deal wiv the seagulls?")
    assert "Welbeck" in points(answer)[0][1]


def test_a_nickname_sharing_no_word_with_his_name_finds_the_reports_naming_him(engine):
    answer = engine.ask("wat would spurs want before they let PEH go")
    assert "£30m" in points(answer)[0][1]
    answer = engine.ask("is stevie tryin to get borna from the gers to villa?")
    assert "Barisic" in points(answer)[0][1]


def test_initials_typed_in_capitals_beat_a_first_name_the_news_prints_less_often(engine):
    assert engine.cased("r barca flogging MATS?? n r the toon in for him") == (
        "r Barca flogging Marc-Andre ter Stegen?? n r the Toon in for him"
    )
    assert engine.cased("is Mats staying at Dortmund") == "is Mats staying at Dortmund"
    assert engine.cased("is shawcross off to the MLS") == "is Shawcross off to the MLS", (
        "the news prints MLS in capitals itself: its own word, not Major League Soccer's initials"
    )


def test_a_name_typed_with_a_letter_doubled_is_the_printed_one(engine):
    assert engine.cased("is tuffan joinin the hornets") == "is Tufan joinin the Hornets"
    assert not engine.ask("is tuffan joinin the hornets").abstained


def test_a_surname_english_knows_or_clipped_after_a_first_name_is_the_printed_one(engine):
    assert engine.cased("who's fillin in for andy tod") == "who's fillin in for Andy Todd"
    assert engine.cased("where's willy cab goin") == "where's Willy Caballero goin"
    assert engine.cased("where's the cab goin") == "where's the cab goin", (
        "no first name before it: an everyday word"
    )


def test_a_fans_nickname_english_knows_is_the_printed_name_it_is_made_from(engine):
    assert engine.cased("is swifty stayin at the royals") == "is Swift stayin at the Royals"
    assert not engine.ask("is swifty stayin at the royals").abstained


def test_a_title_before_a_name_is_no_first_name(engine):
    assert first_name_before("whats the hold up with King Arturo n Inter", "arturo") is None
    assert first_name_before("is Big Sam off to Leeds", "sam") is None
    assert first_name_before("is Arturo Vidal off", "vidal") == "Arturo"
    answer = engine.ask("whats the hold up with king arturo n inter")
    assert "Vidal" in points(answer)[0][1]


def test_text_speak_for_something_is_no_name(engine):
    answer = engine.ask("leeds signin some espanyol teenager? mateo sumthin")
    assert not answer.abstained
    assert "Mateo Joseph" in points(answer)[0][1]


def test_a_question_naming_two_people_is_answered_from_the_report_naming_both(engine):
    answer = engine.ask("does jose expect the barca tie to go to extra time? n wot did ronnie say")
    assert not answer.abstained, "no one passage of the report names both"
    unreported = engine.ask(
        "does jose expect the barca tie to go to extra time? n wot did zablotny say"
    )
    assert unreported.abstained, "someone no report names is still refused"


def test_a_club_named_only_as_whose_player_he_is_need_not_be_in_his_latest_news(engine):
    answer = engine.ask("Villa's Welsh left back Neil, who wants him once he's a free agent?")
    assert "several Championship clubs" in points(answer)[0][1], "his newest report names no Villa"
