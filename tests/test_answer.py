"""Answers are extractive: every sentence is copied from a cited article and carries its [n]."""

import re
from pathlib import Path

from bot.answer import NOTHING_FOUND, compose_answer
from index.pipeline import reindex

CITED_SENTENCE = re.compile(r"(.+?) \[(\d+)\](?: |$)")


def ask(index, question: str, **options):
    query = index.embed_query(question)
    settings = {"min_score": 0.35, "max_sentences": 4} | options
    return compose_answer(question, query, index.search_vector(query, 8), index.embed, **settings)


def stored_text(index, title: str) -> str:
    return index.store._query("SELECT text FROM articles WHERE title = ?", (title,))[0][0]


def test_every_sentence_is_quoted_from_the_article_it_cites(index):
    answer = ask(index, "Is Allegri leaving Milan?")
    assert not answer.abstained
    pieces = CITED_SENTENCE.findall(answer.text)
    assert pieces, answer.text
    assert "".join(f"{s} [{n}] " for s, n in pieces).strip() == answer.text
    citations = {c.n: c for c in answer.citations}
    for sentence, n in pieces:
        assert sentence in stored_text(index, citations[int(n)].title)


def test_the_answer_leads_with_the_most_relevant_article(index):
    answer = ask(index, "Is Allegri leaving Milan?")
    first = answer.citations[0]
    assert first.n == 1
    assert first.title == "Allegri weighs Milan exit after difficult spring"
    assert first.outlet == "Test Calcio Times"
    assert first.published.isoformat() == "2026-03-02"
    assert first.url == "https://calcio-times.example/allegri-weighs-milan-exit"
    assert "Allegri" in answer.text


def test_citations_are_numbered_in_order_of_first_use(index):
    answer = ask(index, "Which clubs are in talks about transfers?", min_score=0.1)
    numbers = [int(n) for _, n in CITED_SENTENCE.findall(answer.text)]
    first_uses = list(dict.fromkeys(numbers))
    assert first_uses == list(range(1, len(answer.citations) + 1))


def test_quotes_hold_the_sentences_used_from_each_article(index):
    answer = ask(index, "Has Haaland signed a new contract with Manchester City?")
    for citation in answer.citations:
        cited = [s for s, n in CITED_SENTENCE.findall(answer.text) if int(n) == citation.n]
        assert citation.quote == " ".join(cited)


def test_the_answer_respects_the_sentence_limit(index):
    answer = ask(index, "What is happening at Real Madrid?", max_sentences=2)
    assert 1 <= len(CITED_SENTENCE.findall(answer.text)) <= 2


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
    sentences = [s for s, _ in CITED_SENTENCE.findall(answer.text)]
    assert sum("agreed a fee with Torino" in s for s in sentences) == 1


def test_a_question_about_someone_absent_from_the_news_is_not_answered_about_others(index):
    answer = ask(index, "Is Mbappe joining Liverpool?")
    assert answer.abstained and answer.citations == ()


def test_names_match_without_accents_or_case(index):
    answer = ask(index, "Is HAALAND staying at Manchester Cíty?")
    assert not answer.abstained
    assert answer.citations[0].title == "Haaland signs new Manchester City contract"
