"""Lexical (BM25) and hybrid retrieval beside the dense search."""

import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from old_stores import store_from_before

from index.models import Passage
from index.pipeline import reindex
from index.search import (
    Named,
    RetrievalOptions,
    favour_named,
    favour_recent,
    freshness,
    fuse,
    fuse_normalised,
    lead_with_the_subjects,
    top_keeping_the_most_relevant,
)
from index.store import Store


def titles(passages) -> list[str]:
    return [p.title for p in passages]


def test_bm25_finds_the_passages_that_name_a_rare_word(index):
    hits = index.lexical_search(["leverkusen"], 5)
    passages = index.store.passages(hits)
    assert set(titles(passages)) == {"Real Madrid make opening bid for Bayer Leverkusen defender"}


def test_titles_are_searchable_too(index):
    passages = index.store.passages(index.lexical_search(["gunners", "sporting"], 5))
    assert titles(passages)[0] == "Arsenal step up chase for Sporting striker"


def test_the_lexical_index_follows_changes_and_deletions(index, articles_dir: Path):
    (articles_dir / "madrid-defender.md").unlink()
    path = articles_dir / "arsenal-striker.txt"
    path.write_text(path.read_text() + "\nTalks include a sell-on clause for Sporting.\n")
    reindex(index)
    assert index.lexical_search(["leverkusen"], 5) == []
    [(chunk_id, _)] = index.lexical_search(["clause"], 5)
    assert index.store.passages([(chunk_id, 0.0)])[0].title.startswith("Arsenal")
    assert np.array_equal(np.sort(index.lexical().chunk_ids()), np.sort(index.store.chunk_ids()))
    stale = index.store._query(  # the full-text table behind the `about` filter, likewise
        "SELECT COUNT(*) FROM chunks_fts WHERE rowid NOT IN (SELECT id FROM chunks)"
    )
    assert stale == [(0,)]


@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_every_mode_ranks_the_relevant_article_first(index, mode):
    question = "Is Allegri leaving Milan?"
    options = RetrievalOptions(mode=mode)
    passages = index.retrieve(question, index.embed_query(question), 3, options)
    assert passages[0].title == "Allegri weighs Milan exit after difficult spring"
    assert len({p.chunk_id for p in passages}) == len(passages)


def test_passages_found_only_by_words_still_carry_their_cosine_score(index):
    question = "Leverkusen"
    query = index.embed_query(question)
    [passage] = index.retrieve(question, query, 1, RetrievalOptions(mode="lexical"))
    dense = {p.chunk_id: p.score for p in index.search_vector(query, 50)}
    assert passage.score == pytest.approx(dense[passage.chunk_id], abs=1e-5)


def test_reciprocal_rank_fusion_rewards_agreement():
    assert fuse([[1, 2, 3], [3, 4]], [1.0, 1.0], 60)[0] == 3
    assert fuse([[1, 2], [2, 1]], [2.0, 1.0], 60) == [1, 2]
    assert fuse([[], [7]], [1.0, 1.0], 60) == [7]


def test_score_fusion_keeps_a_wide_margin_that_rank_fusion_throws_away():
    dense = [(1, 0.90), (2, 0.50), (5, 0.48), (3, 0.45)]
    lexical = [(3, 10.0), (2, 1.0), (4, 0.9)]  # BM25 finds 3 far better than anything else
    totals = fuse_normalised([dense, lexical], [1.0, 1.0])
    assert sorted(totals, key=totals.get, reverse=True)[2:] == [2, 5, 4]
    assert totals[1] == totals[3] == pytest.approx(0.5)
    # Reciprocal rank fusion puts the passage both rank second above both clear winners.
    assert fuse([[1, 2, 5, 3], [3, 2, 4]], [1.0, 1.0], 60)[0] == 2


def test_score_fusion_weights_are_shares_and_flat_or_missing_lists_are_harmless():
    totals = fuse_normalised([[(1, 0.9), (2, 0.1)], [(2, 5.0)]], [3.0, 1.0])
    assert totals == {1: pytest.approx(0.75), 2: pytest.approx(0.25)}
    assert fuse_normalised([[(1, 0.4), (2, 0.4)], []], [1.0, 1.0]) == {1: 0.5, 2: 0.5}


def gossip(chunk_id: int, text: str) -> Passage:
    return Passage(chunk_id, chunk_id, text, 0.5, "Gossip", None, None, None, None)


def test_passages_naming_more_of_whom_the_question_names_gain_relevance():
    names = [frozenset(["nkunku"]), frozenset(["chelsea", "the blues", "stamford bridge"])]
    passages = [
        gossip(1, "Chelsea are in talks to sign a striker this month."),
        gossip(2, "Christopher Nkunku would welcome a move to Stamford Bridge."),
        gossip(3, "Leipzig expect bids for their forwards this month."),
    ]
    relevance = {1: 1.0, 2: 0.9, 3: 1.1}
    favoured = favour_named(passages, relevance, names, 0.5)
    assert favoured == {1: 1.25, 2: pytest.approx(1.35), 3: 1.1}
    assert favour_named(passages, relevance, names, 0.0) == relevance


def test_hybrid_retrieval_puts_the_passage_naming_everyone_asked_about_first(index):
    question = "Have Real Madrid bid for the Leverkusen defender?"
    names = [frozenset(["real madrid", "los blancos"]), frozenset(["leverkusen"])]
    for weight in (0.0, 0.5):
        options = RetrievalOptions(name_weight=weight, recency_weight=0.0)  # not about now
        query = index.embed_query(question)
        passages = index.retrieve(question, query, 5, options, Named(names))
        assert passages[0].title == "Real Madrid make opening bid for Bayer Leverkusen defender"


def test_a_store_from_before_full_text_search_is_indexed_on_upgrade(tmp_path: Path):
    path = tmp_path / "old.db"
    store_from_before(path, 2, "Old story", "Juventus renew midfielder contract.")
    store = Store(path)
    assert [article.title for article in store.recent_articles(["juventus"], 5)] == ["Old story"]
    store.close()


def dated(chunk_id: int, published: date | None, text: str = "Kane news") -> Passage:
    return Passage(chunk_id, chunk_id, text, 0.5, f"t{chunk_id}", None, None, None, published)


KANE = [re.compile(r"\bkane\b")]


def ranked_ids(passages, relevance, subjects=KANE, half_life=30.0, weight=1.0) -> list[int]:
    ranking = favour_recent(passages, relevance, subjects, half_life, weight)
    return sorted(ranking, key=lambda chunk_id: ranking[chunk_id], reverse=True)


def test_newer_reports_about_the_subject_rank_higher_among_equally_relevant_ones():
    old, new = dated(1, date(2021, 1, 1)), dated(2, date(2021, 6, 1))
    assert ranked_ids([old, new], {1: 1.0, 2: 1.0}) == [2, 1]


def test_newer_news_about_somebody_else_gets_no_bonus():
    report = dated(1, date(2004, 1, 1))
    flood = [dated(i, date(2022, 1, i), "Chelsea news") for i in range(2, 9)]
    relevance = {1: 1.0} | {i: 0.9 for i in range(2, 9)}
    assert ranked_ids([report, *flood], relevance)[0] == 1


def test_a_much_more_relevant_old_report_stays_ahead_of_a_new_one():
    old, new = dated(1, date(2020, 1, 1)), dated(2, date(2021, 1, 1))
    assert ranked_ids([old, new], {1: 2.5, 2: 1.0}) == [1, 2]


def test_recency_can_be_turned_off():
    old, new = dated(1, date(2021, 1, 1)), dated(2, date(2021, 6, 1))
    assert ranked_ids([old, new], {1: 1.0, 2: 0.9}, half_life=0) == [1, 2]
    assert ranked_ids([old, new], {1: 1.0, 2: 0.9}, weight=0) == [1, 2]


def test_the_most_relevant_passage_is_always_returned():
    best, *newer = [dated(i, date(2021, 1, i)) for i in range(1, 5)]
    relevance = {1: 1.0, 2: 0.8, 3: 0.7, 4: 0.6}
    ranking = {1: 1.0, 2: 1.6, 3: 1.5, 4: 1.4}
    kept = top_keeping_the_most_relevant([best, *newer], relevance, ranking, 2)
    assert [p.chunk_id for p in kept] == [2, 1]


SOL = [re.compile(r"\bsol\b")]


def test_when_no_top_passage_names_the_subject_those_further_down_that_do_lead():
    contracts = [gossip(i, "Arsenal offer their striker a new deal.") for i in range(1, 4)]
    passing_mention = gossip(9, "Arsenal are boosted by news that Sol Campbell will sign on.")
    pool = [*contracts, passing_mention]
    ranking = {1: 0.9, 2: 0.8, 3: 0.7, 9: 0.2}
    led = lead_with_the_subjects(contracts[:2], pool, ranking, SOL, 2)
    assert [p.chunk_id for p in led] == [9, 1]


def test_the_best_passage_keeps_a_place_beside_those_naming_the_subject():
    pool = [gossip(1, "Arsenal offer a new deal."), *(gossip(i, "Sol signs.") for i in (7, 8, 9))]
    ranking = {1: 0.9, 7: 0.3, 8: 0.2, 9: 0.1}
    assert [p.chunk_id for p in lead_with_the_subjects(pool[:1], pool, ranking, SOL, 3)] == [
        7,
        8,
        1,
    ]
    assert [p.chunk_id for p in lead_with_the_subjects(pool[:1], pool, ranking, SOL, 1)] == [7]


def test_a_top_passage_naming_the_subject_keeps_the_order():
    named = gossip(2, "Sol Campbell is close to a new Arsenal deal.")
    pool = [gossip(1, "Arsenal offer a new deal."), named, gossip(9, "Sol Campbell trains.")]
    ranking = {1: 0.9, 2: 0.8, 9: 0.2}
    assert lead_with_the_subjects(pool[:2], pool, ranking, SOL, 2) == pool[:2]
    assert lead_with_the_subjects(pool[:1], pool[:1], ranking, SOL, 1) == pool[:1], "none to lead"
    assert lead_with_the_subjects(pool[:1], pool, ranking, [], 1) == pool[:1], "nobody asked about"


def test_freshness_halves_every_half_life():
    newest = date(2021, 3, 1)
    assert freshness(newest, newest, 30) == 1.0
    assert freshness(date(2021, 1, 30), newest, 30) == pytest.approx(0.5)
    assert freshness(None, newest, 30) == 0.0
