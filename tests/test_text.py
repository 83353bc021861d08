from index.text import letters_apart, normalise_whitespace, query_terms, split_sentences


def test_sentences_split_at_full_stops_question_and_exclamation_marks():
    text = "Allegri stays. Will Milan sell? Yes! The deal is done."
    assert split_sentences(text) == [
        "Allegri stays.",
        "Will Milan sell?",
        "Yes!",
        "The deal is done.",
    ]


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Mr. Perez met Dr. Smith at St. James' Park. J. Mourinho was there too."
    assert split_sentences(text) == [
        "Mr. Perez met Dr. Smith at St. James' Park.",
        "J. Mourinho was there too.",
    ]


def test_a_closing_quote_stays_with_its_sentence():
    text = '"I have a contract," he said. "I am staying." Milan agreed.'
    assert split_sentences(text) == [
        '"I have a contract," he said.',
        '"I am staying."',
        "Milan agreed.",
    ]


def test_sentences_never_span_paragraphs():
    assert split_sentences("No full stop here\n\nNew paragraph. Two") == [
        "No full stop here",
        "New paragraph.",
        "Two",
    ]


def test_decimals_and_fees_are_not_sentence_ends():
    assert split_sentences("The fee is 42.5m euros. Talks go on.") == [
        "The fee is 42.5m euros.",
        "Talks go on.",
    ]


def test_whitespace_is_collapsed_but_paragraphs_are_kept():
    assert (
        normalise_whitespace("  One\tline\n  continues \n\n\n Two ") == "One line continues\n\nTwo"
    )


def test_a_byte_order_mark_and_zero_width_characters_are_dropped():
    cleaned = normalise_whitespace("\ufeffMidfielder Angelo\u200b Fulgini")
    assert cleaned == "Midfielder Angelo Fulgini"


def test_a_quotation_of_several_sentences_stays_whole():
    text = '"We know the rules. We will be creative," the director said. Talks go on.'
    assert split_sentences(text) == [
        '"We know the rules. We will be creative," the director said.',
        "Talks go on.",
    ]


def test_search_terms_are_the_question_words_that_carry_meaning_once_each():
    assert query_terms("Is Allegri leaving Milan? Will Milan let Allegri go?") == [
        "allegri",
        "leaving",
        "milan",
        "let",
        "go",
    ]


def test_a_possessive_searches_for_the_name_it_belongs_to():
    assert query_terms("What are the terms of Bakayoko's loan? Who’s Rangnick’s assistant?") == [
        "terms",
        "bakayoko",
        "loan",
        "rangnick",
        "assistant",
    ]
    assert query_terms("Will O'Neill stay?") == ["o'neill", "stay"]


def test_letters_apart_counts_deletions_insertions_changes_and_swaps():
    assert letters_apart("hennesy", "hennessey") == 2
    assert letters_apart("hoffman", "hofmann") == 2
    assert letters_apart("aouar", "aoaur") == 1, "two letters swapped are one slip"
    assert letters_apart("kane", "kane") == 0
    assert letters_apart("", "ab") == 2
