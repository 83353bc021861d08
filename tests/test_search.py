"""Lexical (BM25) and hybrid retrieval beside the dense search."""

import sqlite3
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from index.migrations import MIGRATIONS, migrate
from index.models import Passage
from index.pipeline import reindex
from index.search import RetrievalOptions, by_recency, freshness, fuse
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


def test_a_store_from_before_full_text_search_is_indexed_on_upgrade(tmp_path: Path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:2])
    conn.execute(
        "INSERT INTO sources (kind, location, name, added_at) VALUES ('dir', '/x', 'x', 'now')"
    )
    conn.execute(
        "INSERT INTO articles (source_id, key, title, fetched, content_hash, text) "
        "VALUES (1, 'k', 'Old story', 'now', 'h', 'Juventus renew midfielder contract.')"
    )
    conn.execute("INSERT INTO chunks (article_id, position, text) VALUES (1, 0, 'Juventus renew.')")
    conn.close()
    store = Store(path)
    assert [article.title for article in store.recent_articles(["juventus"], 5)] == ["Old story"]
    store.close()


def passage(chunk_id: int, published: date | None) -> Passage:
    return Passage(chunk_id, chunk_id, "text", 0.5, f"t{chunk_id}", None, None, None, published)


def test_newer_reports_rank_higher_among_equally_relevant_ones():
    old, new = passage(1, date(2021, 1, 1)), passage(2, date(2021, 6, 1))
    options = RetrievalOptions(recency_half_life_days=30, recency_weight=0.1)
    ranked = by_recency([old, new], [1.0, 1.0], options)
    assert [p.chunk_id for p in ranked] == [2, 1]


def test_recency_reorders_but_never_drops_a_report():
    only_relevant = passage(1, date(2004, 1, 1))
    flood = [passage(i, date(2022, 1, i)) for i in range(2, 9)]
    options = RetrievalOptions(recency_weight=0.5)
    ranked = by_recency([only_relevant, *flood], [1.0] + [0.2] * 7, options)
    assert only_relevant in ranked and len(ranked) == 8


def test_a_much_more_relevant_old_report_stays_ahead_of_a_new_one():
    old, new = passage(1, date(2020, 1, 1)), passage(2, date(2021, 1, 1))
    ranked = by_recency([old, new], [2.0, 1.0], RetrievalOptions(recency_weight=0.5))
    assert [p.chunk_id for p in ranked] == [1, 2]


def test_recency_can_be_turned_off():
    old, new = passage(1, date(2021, 1, 1)), passage(2, date(2021, 6, 1))
    options = RetrievalOptions(recency_half_life_days=0, recency_weight=0.5)
    assert by_recency([old, new], [1.0, 1.0], options) == [old, new]


def test_freshness_halves_every_half_life():
    newest = date(2021, 3, 1)
    assert freshness(newest, newest, 30) == 1.0
    assert freshness(date(2021, 1, 30), newest, 30) == pytest.approx(0.5)
    assert freshness(None, newest, 30) == 0.0
