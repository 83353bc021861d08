"""Reindexing: incremental, crash-safe, and the vector file always agreeing with the database."""

import logging
from pathlib import Path

import numpy as np
import pytest

from index.embed import Embedder, resolve_model_location
from index.errors import ModelMismatchError, StoreBusyError
from index.library import DeclaredSource
from index.lock import exclusive_lock
from index.migrations import MIGRATIONS
from index.pipeline import reindex


def assert_consistent(index) -> None:
    """Every stored chunk has exactly one vector and every vector a chunk."""
    vector_ids = np.sort(index.vectors().ids())
    chunk_ids = np.sort(index.store.chunk_ids())
    assert vector_ids.tolist() == chunk_ids.tolist()


@pytest.fixture
def indexed(open_index, articles_dir: Path):
    index = open_index()
    index.add_source(str(articles_dir))
    report = reindex(index)
    assert report.added == 4
    return index


def test_first_reindex_stores_every_article_with_its_chunks_and_vectors(indexed):
    articles, chunks, sources = indexed.store.counts()
    assert (articles, sources) == (4, 1)
    assert chunks >= 4
    assert_consistent(indexed)
    stats = indexed.stats()
    assert stats.model == "all-MiniLM-L6-v2" and stats.dimension == 384
    assert stats.vectors == chunks


def test_search_finds_the_passage_about_the_question(indexed):
    passages = indexed.search("Is Allegri leaving Milan?", k=3)
    assert passages[0].title == "Allegri weighs Milan exit after difficult spring"
    assert passages[0].outlet == "Test Calcio Times"
    assert passages[0].score > passages[-1].score


def test_the_whole_article_of_a_passage_can_be_read(indexed):
    [passage] = indexed.search("Is Allegri leaving Milan?", k=1)
    texts = indexed.article_texts([passage.article_id, 999_999])
    assert list(texts) == [passage.article_id], "articles no longer stored are left out"
    assert texts[passage.article_id].startswith(passage.title)
    assert passage.text in texts[passage.article_id]


def test_reindexing_an_unchanged_corpus_embeds_nothing(indexed, open_index, embedder):
    indexed.close()
    embedder.texts_embedded = 0
    report = reindex(open_index())
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 4)
    assert report.chunks_embedded == 0
    assert embedder.texts_embedded == 0


def test_a_changed_article_is_re_embedded_alone(indexed, articles_dir: Path, embedder):
    path = articles_dir / "arsenal-striker.txt"
    path.write_text(path.read_text() + "\nSporting have now rejected a first bid from Arsenal.\n")
    embedder.texts_embedded = 0
    report = reindex(indexed)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 3)
    assert embedder.texts_embedded == report.chunks_embedded > 0
    assert "rejected a first bid" in indexed.search("Did Sporting reject Arsenal's bid?", 1)[0].text
    assert_consistent(indexed)


def test_a_deleted_file_is_dropped_with_its_vectors(indexed, articles_dir: Path):
    (articles_dir / "madrid-defender.md").unlink()
    report = reindex(indexed)
    assert report.removed == 1
    assert indexed.store.counts()[0] == 3
    assert all("Leverkusen" not in p.title for p in indexed.search("Real Madrid bid defender", 5))
    assert_consistent(indexed)


def test_an_unreadable_source_keeps_its_articles_and_says_why(indexed, articles_dir: Path):
    articles_dir.rename(articles_dir.with_name("moved"))
    report = reindex(indexed)
    assert report.removed == 0
    assert indexed.store.counts()[0] == 4
    assert "folder not found" in str(report.problems[0])
    assert "4 stored articles are kept" in str(report.problems[0])
    assert "folder not found" in indexed.list_sources()[0].last_error


@pytest.mark.parametrize("damage", ["delete", "truncate", "garbage"])
def test_a_lost_or_damaged_vector_file_is_rebuilt_from_the_stored_text(
    indexed, open_index, damage, caplog
):
    indexed.close()
    path = indexed.vectors_path
    if damage == "delete":
        path.unlink()
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        path.write_bytes(b"not a faiss index")
    reopened = open_index()
    with caplog.at_level(logging.WARNING):
        assert_consistent(reopened)
    assert "re-embedding" in caplog.text
    assert reopened.search("Is Allegri leaving Milan?", 1)[0].title.startswith("Allegri")
    # The repair was saved: a third run finds nothing to do.
    reopened.close()
    caplog.clear()
    third = open_index()
    with caplog.at_level(logging.WARNING):
        assert_consistent(third)
    assert caplog.text == ""


def test_vectors_of_chunks_that_no_longer_exist_are_dropped(indexed, open_index, caplog):
    with indexed.store.transaction() as conn:
        conn.execute("DELETE FROM articles WHERE title LIKE 'Arsenal%'")
    indexed.close()
    reopened = open_index()
    with caplog.at_level(logging.WARNING):
        assert_consistent(reopened)
    assert "removing" in caplog.text and "no longer exist" in caplog.text


def test_articles_committed_before_a_crash_get_their_vectors_on_the_next_open(
    indexed, open_index, articles_dir: Path
):
    # As if a reindex died after committing to SQLite but before saving the vector file.
    (articles_dir / "late.txt").write_text(
        "Late story\n\nNewcastle have agreed a fee for a keeper."
    )
    saved = indexed.vectors_path.read_bytes()
    reindex(indexed)
    indexed.close()
    indexed.vectors_path.write_bytes(saved)
    reopened = open_index()
    assert_consistent(reopened)
    assert reopened.search("Newcastle goalkeeper fee agreed", 1)[0].title == "Late story"


def test_another_model_is_refused_until_a_full_reindex(indexed, open_index):
    indexed.close()
    other = Embedder(resolve_model_location("all-MiniLM-L6-v2"))  # same weights, other name
    index = open_index(other)
    with pytest.raises(ModelMismatchError, match=r"reindex --full"):
        index.search("Allegri", 1)
    with pytest.raises(ModelMismatchError):
        reindex(index)
    report = reindex(index, full=True)
    assert report.chunks_embedded == index.store.counts()[1]
    assert index.stats().model == other.model_name
    assert_consistent(index)


def test_full_reindex_rebuilds_every_vector(indexed, embedder):
    chunks_before = indexed.store.counts()[1]
    embedder.texts_embedded = 0
    report = reindex(indexed, full=True)
    assert report.unchanged == 4
    assert report.chunks_embedded == chunks_before == embedder.texts_embedded
    assert_consistent(indexed)


def test_the_same_article_from_two_sources_is_stored_once(indexed, articles_dir: Path, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "allegri-milan.md").write_text((articles_dir / "allegri-milan.md").read_text())
    indexed.add_source(str(copy), name="copy")
    report = reindex(indexed)
    assert report.added == 0
    assert indexed.store.counts()[0] == 4


def test_removing_a_source_drops_its_articles_and_vectors(indexed, jsonl_file: Path):
    jsonl = indexed.add_source(str(jsonl_file))
    reindex(indexed)
    assert indexed.store.counts()[0] == 7
    indexed.remove_source(jsonl.id)
    assert indexed.store.counts()[0] == 4
    assert_consistent(indexed)


def test_jsonl_problems_are_reported_with_the_source_name(indexed, jsonl_file: Path):
    indexed.add_source(str(jsonl_file), name="bulk import")
    report = reindex(indexed)
    assert report.added == 3
    messages = [str(p) for p in report.problems]
    assert (
        "bulk import: line 4: not valid JSON (Expecting ',' delimiter at column 101); skipped"
        in messages
    )


def test_config_declared_sources_are_added_once(open_index, articles_dir: Path):
    index = open_index()
    declared = [DeclaredSource("dir", str(articles_dir), "samples")]
    reindex(index, declared=declared)
    reindex(index, declared=declared)
    assert [s.name for s in index.list_sources()] == ["samples"]


def test_two_reindexes_never_run_at_once(indexed):
    with (
        exclusive_lock(indexed.lock_path, "a reindex"),
        pytest.raises(StoreBusyError, match="already running"),
    ):
        reindex(indexed)


def test_the_store_reopens_after_migrations_without_reapplying_them(indexed, open_index):
    indexed.close()
    reopened = open_index()
    rows = reopened.store._query("SELECT name FROM schema_migrations ORDER BY name")
    assert rows == [(m.__name__,) for m in MIGRATIONS]


def test_full_reindex_with_a_changed_article_embeds_each_article_once(indexed, articles_dir: Path):
    path = articles_dir / "arsenal-striker.txt"
    path.write_text(path.read_text() + "\nArsenal expect an answer within days.\n")
    report = reindex(indexed, full=True)
    assert (report.updated, report.unchanged) == (1, 3)
    assert report.chunks_embedded == indexed.store.counts()[1]
    assert_consistent(indexed)


def test_a_no_change_reindex_leaves_the_vector_file_untouched(indexed):
    before = indexed.vectors_path.stat().st_mtime_ns
    reindex(indexed)
    assert indexed.vectors_path.stat().st_mtime_ns == before


def test_a_long_running_reader_sees_what_another_process_indexed(indexed, open_index, articles_dir):
    bot_side = open_index()
    assert bot_side.search("Newcastle goalkeeper fee", 1)[0].title != "Late story"
    (articles_dir / "late.txt").write_text(
        "Late story\n\nNewcastle have agreed a fee for a keeper."
    )
    reindex(indexed)  # as `transferdesk reindex` in another process would
    assert bot_side.search("Newcastle goalkeeper fee agreed", 1)[0].title == "Late story"
    assert_consistent(bot_side)
