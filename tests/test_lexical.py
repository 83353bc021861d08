"""The lexical (BM25) index: what a word search finds, and how the index stays equal to the
stored chunks through crashes, damage and upgrades. Real tantivy folders on disk."""

from __future__ import annotations

import json
import logging
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from index.lexical import LexicalIndex
from index.library import NewsIndex
from index.lock import exclusive_lock
from index.models import Article
from index.pipeline import reindex
from index.search import RetrievalOptions
from index.store import ArticleWrite, ChunkText


# --- what a search finds -------------------------------------------------------------------
def chunk(chunk_id: int, text: str, title: str = "Transfer news") -> ChunkText:
    return ChunkText(chunk_id, chunk_id, title, text)


@pytest.fixture
def lexical(tmp_path: Path):
    opened, problem = LexicalIndex.open(tmp_path / "lexical")
    assert problem is None
    yield opened
    opened.close()


def found(lexical: LexicalIndex, *terms: str, k: int = 10) -> list[int]:
    return [chunk_id for chunk_id, _ in lexical.search(terms, k)]


def test_a_name_outranks_the_common_words_around_it(lexical):
    common = [chunk(n, f"The club said its transfer window was busy ({n}).") for n in range(1, 30)]
    lexical.replace([], [*common, chunk(99, "The club confirmed the transfer of Kane.")])
    assert found(lexical, "club", "transfer", "kane")[0] == 99


def test_titles_are_searched_with_the_text(lexical):
    lexical.replace(
        [],
        [
            chunk(1, "Talks went on all week.", title="Gunners close in on Gyokeres"),
            chunk(2, "The Gunners were beaten at home."),
            chunk(3, "No word on any striker."),
        ],
    )
    assert found(lexical, "gyokeres") == [1]
    assert found(lexical, "gunners", "gyokeres")[0] == 1


def test_accents_and_case_are_folded_both_ways(lexical):
    lexical.replace(
        [],
        [chunk(1, "Rafael Benítez wants Ødegaard."), chunk(2, "BENITEZ SAYS NO TO MÜLLER.")],
    )
    assert sorted(found(lexical, "benitez")) == [1, 2]
    assert sorted(found(lexical, "benítez")) == [1, 2]
    assert found(lexical, "odegaard") == [1]
    assert found(lexical, "muller") == [2]


def test_a_hyphenated_or_apostrophe_name_ranks_the_phrase_first(lexical):
    lexical.replace(
        [],
        [
            chunk(1, "Martin O'Neill is the favourite."),
            chunk(2, "Neill said no, and O Brien agreed."),
            chunk(3, "Paris Saint-Germain made a bid."),
            chunk(4, "A saint in Germain-en-Laye."),
        ],
    )
    assert found(lexical, "o'neill")[0] == 1
    assert found(lexical, "saint-germain")[0] == 3


def test_a_compound_also_finds_its_words_on_their_own(lexical):
    lexical.replace(
        [],
        [
            chunk(1, "Football agent Mino Raiola has been rejected by Donny van de Beek."),
            chunk(2, "Donny van de Beek has rejected a loan move to Newcastle."),
            chunk(3, "Martin O Brien is the favourite."),
        ],
    )
    assert found(lexical, "super-agent", "rejected")[0] == 1
    assert found(lexical, "o'neill") == [], "a one-letter part is no word on its own"


def test_a_possessive_finds_the_name_with_or_without_it(lexical):
    lexical.replace(
        [], [chunk(1, "Rangnick's plan was rejected."), chunk(2, "Rangnick left in May.")]
    )
    assert sorted(found(lexical, "rangnick's")) == [1, 2]
    assert sorted(found(lexical, "rangnick’s")) == [1, 2]


def test_a_word_finds_its_other_forms(lexical):
    lexical.replace(
        [],
        [
            chunk(1, "Van de Beek rejected the agent who approached him."),
            chunk(2, "Two bids were turned down; the club is signing a striker."),
            chunk(3, "No news today."),
        ],
    )
    assert found(lexical, "reject") == [1]
    assert found(lexical, "approaches") == [1]
    assert found(lexical, "bid") == [2]
    assert found(lexical, "signed") == [2]


def test_terms_without_words_find_nothing(lexical):
    lexical.replace([], [chunk(1, "Kane stays.")])
    assert found(lexical) == []
    assert found(lexical, "", "'s", "--", "!!!", "\x00") == []
    assert found(lexical, "kane", k=0) == []


def test_removed_and_replaced_chunks_are_no_longer_found(lexical):
    lexical.replace([], [chunk(1, "Kane to Bayern."), chunk(2, "Kane stays at Spurs.")])
    lexical.replace([2], [chunk(3, "Kane signs for Bayern after all.")])
    assert sorted(found(lexical, "kane")) == [1, 3]
    assert found(lexical, "spurs") == []
    lexical.remove([1, 3])
    assert found(lexical, "kane") == []
    assert lexical.fingerprint() == (0, 0)


def test_another_process_sees_each_commit_at_its_next_search(lexical, tmp_path: Path):
    reader, _ = LexicalIndex.open(tmp_path / "lexical", create=False)
    assert found(reader, "kane") == []
    lexical.replace([], [chunk(1, "Kane to Bayern.")])
    assert found(reader, "kane") == [1]
    lexical.remove([1])
    assert found(reader, "kane") == []


def test_searches_go_on_in_other_threads_while_chunks_are_written(lexical):
    lexical.replace([], [chunk(n, f"Kane story {n}.") for n in range(1, 101)])
    failures: list[BaseException] = []
    done = threading.Event()

    def search() -> None:
        try:
            while not done.is_set():
                assert len(found(lexical, "kane", "story")) == 10
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    searchers = [threading.Thread(target=search) for _ in range(2)]
    for thread in searchers:
        thread.start()
    for n in range(101, 121):
        lexical.replace([n - 100], [chunk(n, f"Kane story {n}.")])
    done.set()
    for thread in searchers:
        thread.join()
    assert failures == []
    assert np.array_equal(np.sort(lexical.chunk_ids()), np.arange(21, 121))


# --- the index beside a data folder ----------------------------------------------------------
def lexical_ids(index: NewsIndex) -> list[int]:
    return sorted(index.lexical().chunk_ids().tolist())


def stored_ids(index: NewsIndex) -> list[int]:
    return sorted(index.store.chunk_ids().tolist())


def lexical_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.fixture
def reopen(data_dir: Path, embedder):
    """Opens the data folder as a new process would; closes what it opened."""
    opened: list[NewsIndex] = []

    def opener() -> NewsIndex:
        opened.append(NewsIndex(data_dir, embedder))
        return opened[-1]

    yield opener
    for index in opened:
        index.close()


def test_retrieval_and_word_search_use_the_lexical_index(reopen):
    index = reopen()
    [passage] = index.passages_with_words("Leverkusen", 1)
    assert passage.title == "Real Madrid make opening bid for Bayer Leverkusen defender"
    question = "Bayer Leverkusen"
    options = RetrievalOptions(mode="lexical")
    [retrieved] = index.retrieve(question, index.embed_query(question), 1, options)
    assert retrieved.chunk_id == passage.chunk_id


def test_a_reader_sees_what_a_reindex_in_another_process_adds(reopen, tmp_path: Path):
    reader, writer = reopen(), reopen()
    assert reader.lexical_search(["gyokeres"], 5) == []
    late = tmp_path / "late"
    late.mkdir()
    (late / "late.txt").write_text("Gyokeres agrees terms\n\nViktor Gyokeres has agreed terms.")
    writer.add_source(str(late))
    reindex(writer)
    [(chunk_id, _)] = reader.lexical_search(["gyokeres"], 5)
    assert reader.store.passages([(chunk_id, 0.0)])[0].title == "Gyokeres agrees terms"


def test_a_data_folder_from_before_the_lexical_index_gets_one_on_open_once(reopen, caplog):
    index = reopen()
    shutil.rmtree(index.lexical_path)
    with caplog.at_level(logging.WARNING):
        assert lexical_ids(index) == stored_ids(index)
    [warning] = lexical_warnings(caplog)
    assert warning == (
        f"there is no lexical index in {index.lexical_path} yet; "
        "rebuilding it from the stored chunks"
    )
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert lexical_ids(reopen()) == stored_ids(index)
    assert lexical_warnings(caplog) == []


def test_chunks_committed_without_their_lexical_entries_are_added_on_open(reopen, caplog):
    index = reopen()  # a reindex killed between its SQLite commit and its lexical commit:
    source = index.list_sources()[0]
    article = Article("late:1", "Gyokeres agrees terms", "Viktor Gyokeres has agreed terms.")
    index.store.write_articles(source.id, [ArticleWrite(article, None, [article.text])])
    with caplog.at_level(logging.WARNING):
        reopened = reopen()
        assert lexical_ids(reopened) == stored_ids(reopened)
    assert lexical_warnings(caplog) == ["lexical index: indexing 1 chunks it did not have"]
    assert len(reopened.lexical_search(["gyokeres"], 5)) == 1
    assert reopened.lexical_added == 1


def test_entries_of_chunks_deleted_before_a_crash_are_removed_on_open(reopen, caplog):
    index = reopen()
    [article_id] = [a.article_id for a in index.passages_with_words("Leverkusen", 1)]
    removed = index.store.delete_articles([article_id])  # and killed before the lexical commit
    with caplog.at_level(logging.WARNING):
        reopened = reopen()
        assert lexical_ids(reopened) == stored_ids(reopened)
    assert lexical_warnings(caplog) == [
        f"lexical index: removing {len(removed)} entries of deleted or twice-indexed chunks"
    ]
    assert reopened.lexical_search(["leverkusen"], 5) == []


def damage_meta(folder: Path) -> None:
    (folder / "meta.json").write_text("garbage")


def truncate_segments(folder: Path) -> None:
    for path in folder.glob("*.idx"):
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def replace_with_a_file(folder: Path) -> None:
    shutil.rmtree(folder)
    folder.write_text("not an index")


def only_junk(folder: Path) -> None:
    shutil.rmtree(folder)
    folder.mkdir()
    (folder / "junk.bin").write_bytes(bytes(range(256)) * 8)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (damage_meta, "Meta file cannot be deserialized"),
        (truncate_segments, "Footer magic byte mismatch"),
        (replace_with_a_file, "a file, not a folder"),
        (only_junk, "meta.json is missing"),
    ],
)
def test_a_damaged_lexical_index_is_rebuilt_on_open_with_one_warning(
    reopen, caplog, damage, reason: str
):
    index = reopen()
    damage(index.lexical_path)
    with caplog.at_level(logging.WARNING):
        assert lexical_ids(index) == stored_ids(index)
        assert len(index.lexical_search(["leverkusen"], 5)) > 0
    [warning] = lexical_warnings(caplog)
    assert warning.startswith(f"the lexical index {index.lexical_path} is damaged (")
    assert reason in warning and "\n" not in warning
    assert warning.endswith("; rebuilding it from the stored chunks")


def test_an_index_of_unstemmed_words_from_an_earlier_version_is_rebuilt_on_open(reopen, caplog):
    index = reopen()
    meta_path = index.lexical_path / "meta.json"
    meta = json.loads(meta_path.read_text())
    for field in meta["schema"]:  # the schema as versions before stemming wrote it
        if field["name"] == "text":
            field["options"]["indexing"]["tokenizer"] = "transferdesk_words"
    index.close()
    meta_path.write_text(json.dumps(meta))
    with caplog.at_level(logging.WARNING):
        reopened = reopen()
        assert lexical_ids(reopened) == stored_ids(reopened)
        assert len(reopened.lexical_search(["bids"], 5)) > 0
    [warning] = lexical_warnings(caplog)
    assert warning == (
        f"the lexical index {reopened.lexical_path} was built by an earlier version of "
        "TransferDesk (words by 'transferdesk_words', now 'transferdesk_stemmed_words'); "
        "rebuilding it from the stored chunks"
    )


def test_while_a_reindex_runs_a_reader_leaves_a_missing_index_to_it(reopen):
    index = reopen()
    shutil.rmtree(index.lexical_path)
    reader = reopen()
    with exclusive_lock(index.lock_path, "a reindex"):  # held by "another process"
        assert reader.lexical_search(["leverkusen"], 5) == []  # dense search still answers
        assert not index.lexical_path.exists()
    assert len(reader.lexical_search(["leverkusen"], 5)) > 0  # built once the lock is free
    assert lexical_ids(reader) == stored_ids(reader)


def scribble_over_segments(
    folder: Path, suffixes: tuple[str, ...] = (".idx", ".term", ".pos", ".fast", ".fieldnorm")
) -> None:
    """Garbage in the middle of the files: their ends (which opening checks) stay whole."""
    for path in folder.iterdir():
        if path.suffix in suffixes:
            content = bytearray(path.read_bytes())
            for position in range(len(content) // 4, len(content) * 3 // 4):
                content[position] = (position * 151) % 256
            path.write_bytes(bytes(content))


def test_a_search_that_fails_on_garbage_rebuilds_the_index_for_the_next(reopen, caplog):
    index = reopen()
    assert index.lexical_search(["leverkusen"], 5)
    scribble_over_segments(index.lexical_path, (".term",))  # opens fine, fails when searched
    reader = reopen()
    with caplog.at_level(logging.WARNING):
        assert reader.lexical_search(["leverkusen"], 5) == []  # dense search still answers
        assert len(reader.lexical_search(["leverkusen"], 5)) > 0
    assert lexical_ids(reader) == stored_ids(reader)
    failed, rebuilt = lexical_warnings(caplog)
    assert failed.endswith("; searching without it until it is rebuilt")
    assert rebuilt.endswith(" is corrupt); rebuilding it from the stored chunks")


def test_repair_reads_every_file_and_rebuilds_a_damaged_index(data_dir: Path, run_cli):
    scribble_over_segments(data_dir / "lexical", (".pos",))  # nothing else notices this
    code, out, err = run_cli(data_dir, "repair")
    assert code == 0, err
    [line] = [line for line in out.splitlines() if line.startswith("lexical index: ")]
    assert line.startswith(f"lexical index: the lexical index {data_dir / 'lexical'} is damaged (")
    assert line.endswith(" is corrupt); rebuilt from the stored text")
    assert out.splitlines()[-1].startswith("repaired: ")
    assert run_cli(data_dir, "repair")[1].splitlines()[-1].startswith("nothing to repair: ")
    code, out, _ = run_cli(data_dir, "ask", "Is Real Madrid bidding for the Leverkusen defender?")
    assert code == 0 and "Leverkusen" in out


def test_repair_adds_and_removes_lexical_entries_and_says_how_many(
    data_dir: Path, run_cli, embedder
):
    index = NewsIndex(data_dir, embedder)
    try:
        [article_id] = [a.article_id for a in index.passages_with_words("Leverkusen", 1)]
        removed = index.store.delete_articles([article_id])
        source = index.list_sources()[0]
        article = Article("late:1", "Gyokeres agrees terms", "Viktor Gyokeres has agreed terms.")
        index.store.write_articles(source.id, [ArticleWrite(article, None, [article.text])])
    finally:
        index.close()
    code, out, err = run_cli(data_dir, "repair")
    assert code == 0, err
    assert f"lexical entries of deleted chunks, removed: {len(removed)}" in out
    assert "chunks missing from the lexical index, added: 1" in out
    stats = json.loads(run_cli(data_dir, "stats", "--json")[1])
    reopened = NewsIndex(data_dir, embedder)
    try:
        assert len(reopened.lexical()) == stats["chunks"]
        assert lexical_ids(reopened) == stored_ids(reopened)
    finally:
        reopened.close()


def test_a_chunk_indexed_twice_is_indexed_once_after_open(reopen, caplog):
    index = reopen()
    [(chunk_id, _)] = index.lexical_search(["leverkusen"], 1)
    lexical = index.lexical()
    lexical.replace([], index.store.chunk_texts([chunk_id]))  # as if a commit were replayed
    lexical.finish_writing()
    assert len(lexical.chunk_ids()) == len(stored_ids(index)) + 1
    with caplog.at_level(logging.WARNING):
        reopened = reopen()
        assert lexical_ids(reopened) == stored_ids(reopened)
    assert lexical_warnings(caplog) == [
        "lexical index: removing 1 entries of deleted or twice-indexed chunks",
        "lexical index: indexing 1 chunks it did not have",
    ]
    assert reopened.lexical_search(["leverkusen"], 5)[0][0] == chunk_id
