"""The vector file switches from exact (flat) to approximate (IVF) search above a size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.vectors import VectorIndex, list_count

DIMENSION = 32
THRESHOLD = 1_000


def clustered(count: int, seed: int = 0, clusters: int = 60) -> np.ndarray:
    """Unit vectors around fixed random centres: shaped like text embeddings, unlike uniform
    noise. `seed` draws which centre each vector is near, and its offset."""
    centres = np.random.default_rng(12345).standard_normal((clusters, DIMENSION))
    rng = np.random.default_rng(seed)
    vectors = centres[rng.integers(0, clusters, count)] + 0.6 * rng.standard_normal(
        (count, DIMENSION)
    )
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def queries(count: int) -> np.ndarray:
    """New points around the same centres: questions on the topics the index holds."""
    return clustered(count, seed=99)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "vectors.faiss"


def filled(path: Path, count: int, **settings) -> VectorIndex:
    vectors = VectorIndex(path, DIMENSION, approximate_above=THRESHOLD, **settings)
    vectors.add(np.arange(1, count + 1), clustered(count))
    return vectors


def exact_top(vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> set[int]:
    return set(ids[np.argsort(-(vectors @ query))[:k]].tolist())


def test_an_index_at_or_below_the_threshold_stays_exact(path: Path):
    vectors = filled(path, THRESHOLD)
    vectors.save()
    assert vectors.kind == "flat"
    assert VectorIndex.load(path, DIMENSION, approximate_above=THRESHOLD)[0].kind == "flat"


def test_crossing_the_threshold_switches_to_approximate_search_on_save(path: Path):
    vectors = filled(path, 3_000)
    assert vectors.kind == "flat"  # the switch waits for the save
    vectors.save()
    assert vectors.kind == "ivf"
    assert len(vectors) == 3_000
    assert np.array_equal(np.sort(vectors.ids()), np.arange(1, 3_001))
    assert vectors.estimated_recall >= 0.95


def test_approximate_recall_at_10_against_exact_search_is_at_least_095(path: Path):
    stored = clustered(3_000)
    vectors = filled(path, 3_000)
    vectors.save()
    ids = np.arange(1, 3_001)
    found = total = 0
    for query in queries(200):
        exact = exact_top(stored, ids, query, 10)
        found += len(exact & {chunk_id for chunk_id, _ in vectors.search(query, 10)})
        total += len(exact)
    assert found / total >= 0.95


def test_approximate_scores_are_the_exact_cosines(path: Path):
    stored = clustered(3_000)
    vectors = filled(path, 3_000)
    vectors.save()
    query = queries(1)[0]
    for chunk_id, score in vectors.search(query, 5):
        assert score == pytest.approx(float(stored[chunk_id - 1] @ query), abs=1e-5)


def test_the_approximate_index_adds_removes_and_looks_up_by_chunk_id(path: Path):
    vectors = filled(path, 3_000)
    vectors.save()
    new = clustered(5, seed=7)
    vectors.add([10_001, 10_002, 10_003, 10_004, 10_005], new)
    assert vectors.search(new[0], 1)[0] == (10_001, pytest.approx(1.0, abs=1e-5))
    assert vectors.similarities(new[1], [10_002, 424_242]) == {10_002: pytest.approx(1.0, abs=1e-5)}
    assert vectors.remove([10_001, 10_002, 5, 424_242]) == 3
    assert len(vectors) == 3_002
    assert vectors.similarities(new[0], [10_001, 5]) == {}
    assert 10_001 not in {chunk_id for chunk_id, _ in vectors.search(new[0], 20)}
    assert 10_001 not in set(vectors.ids().tolist())


def test_the_approximate_index_survives_save_and_load(path: Path):
    vectors = filled(path, 3_000)
    vectors.remove([17])
    vectors.save()
    loaded, problem = VectorIndex.load(path, DIMENSION, approximate_above=THRESHOLD)
    assert problem is None
    assert loaded.kind == "ivf"
    assert loaded.describe() == vectors.describe()
    assert not loaded.dirty
    assert np.array_equal(np.sort(loaded.ids()), np.sort(vectors.ids()))
    query = queries(1)[0]
    assert loaded.search(query, 10) == vectors.search(query, 10)
    assert loaded.similarities(query, [17, 18]).keys() == {18}
    assert loaded.remove([18]) == 1


def test_an_index_shrunk_below_half_the_threshold_turns_exact_again(path: Path):
    vectors = filled(path, 3_000)
    vectors.save()
    vectors.remove(np.arange(400, 3_001))  # 399 left, under THRESHOLD // 2
    vectors.save()
    assert vectors.kind == "flat"
    assert np.array_equal(np.sort(vectors.ids()), np.arange(1, 400))
    query = clustered(3_000)[10]
    assert vectors.search(query, 1)[0] == (11, pytest.approx(1.0, abs=1e-5))


def test_an_index_between_half_and_the_threshold_keeps_its_layout(path: Path):
    vectors = filled(path, 3_000)
    vectors.save()
    vectors.remove(np.arange(800, 3_001))  # 799 left: above THRESHOLD // 2
    vectors.save()
    assert vectors.kind == "ivf"


def test_an_approximate_index_grown_fourfold_is_trained_again(path: Path):
    vectors = filled(path, 1_500)
    vectors.save()
    lists = list_count(1_500)
    assert vectors.describe().startswith(f"ivf, {lists} lists")
    vectors.add(np.arange(10_001, 16_001), clustered(6_000, seed=3))
    vectors.save()
    assert vectors.describe().startswith(f"ivf, {list_count(7_500)} lists")
    assert list_count(7_500) >= 2 * lists


def test_a_file_whose_layout_does_not_suit_the_settings_is_converted_by_the_next_save(
    path: Path,
):
    filled(path, 3_000).save()
    exact_wanted, _ = VectorIndex.load(path, DIMENSION, approximate_above=0)
    assert exact_wanted.kind == "ivf" and exact_wanted.dirty
    exact_wanted.save()
    assert VectorIndex.load(path, DIMENSION, approximate_above=0)[0].kind == "flat"
    approximate_wanted, _ = VectorIndex.load(path, DIMENSION, approximate_above=THRESHOLD)
    assert approximate_wanted.dirty  # 3000 flat vectors, above the threshold
    approximate_wanted.save()
    assert VectorIndex.load(path, DIMENSION, approximate_above=THRESHOLD)[0].kind == "ivf"


def test_a_configured_nprobe_overrides_the_tuned_one(path: Path):
    filled(path, 3_000, nprobe=3).save()
    assert (
        VectorIndex.load(path, DIMENSION, approximate_above=THRESHOLD)[0]
        .describe()
        .endswith("nprobe 3")
    )
    loaded, _ = VectorIndex.load(path, DIMENSION, approximate_above=THRESHOLD, nprobe=5)
    assert loaded.describe().endswith("nprobe 5")


def test_zero_keeps_the_index_exact_at_any_size(path: Path):
    vectors = VectorIndex(path, DIMENSION, approximate_above=0)
    vectors.add(np.arange(1, 3_001), clustered(3_000))
    vectors.save()
    assert vectors.kind == "flat"


def test_a_file_of_another_index_type_is_refused(path: Path):
    import faiss

    faiss.write_index(faiss.IndexFlatIP(DIMENSION), str(path))
    vectors, problem = VectorIndex.load(path, DIMENSION)
    assert problem == "the vector file is not an id-mapped index"
    assert len(vectors) == 0


def test_searches_go_on_while_the_approximate_index_is_built(path: Path, monkeypatch):
    import threading

    import index.vectors as module

    vectors = filled(path, 3_000)
    query = queries(1)[0]
    answered_during_build: list[bool] = []
    build = module._ivf_index

    def build_while_searching(*args, **kwargs):
        searcher = threading.Thread(target=vectors.search, args=(query, 5))
        searcher.start()
        searcher.join(timeout=5)
        answered_during_build.append(not searcher.is_alive())
        return build(*args, **kwargs)

    monkeypatch.setattr(module, "_ivf_index", build_while_searching)
    vectors.save()
    assert vectors.kind == "ivf"
    assert answered_during_build == [True]


def test_a_failed_switch_still_saves_the_index_as_it_is(path: Path, monkeypatch, caplog):
    import index.vectors as module

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(module, "_ivf_index", out_of_memory)
    vectors = filled(path, 3_000)
    vectors.save()
    assert vectors.kind == "flat" and not vectors.dirty
    assert len(VectorIndex.load(path, DIMENSION, approximate_above=0)[0]) == 3_000
    assert "could not change the vector index layout" in caplog.text
