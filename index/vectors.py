"""The FAISS file of chunk vectors: ids are chunk ids, inner product on normalised vectors.

Two layouts, chosen by size when the index is saved:

- **flat** (`IndexIDMap2(IndexFlatIP)`): exact; each query reads every vector. Used up to
  `approximate_above` vectors.
- **ivf** (`IndexIVFFlat`, inner product, chunk ids stored in the inverted lists, with a
  hash-table direct map): each query scans only the `nprobe` lists nearest to it. Used above
  `approximate_above` vectors.

Why IVF and not HNSW: an article update or deletion removes its old chunk vectors, and FAISS's
HNSW cannot remove vectors. `IndexIVFFlat` removes by id, and with a hash-table direct map it
also looks a vector up by chunk id (`reconstruct`), which `similarities` needs for the chunks
that only lexical search found. It keeps full float32 vectors, so the scores it returns are
exact cosines: only which chunks are found is approximate, never their scores.

The switch happens in `save` (so at the checkpoints of a reindex): the lists are trained on the
vectors already held, and `nprobe` is tuned on a sample of them until recall@10 against exact
search reaches the target. The approximate index is trained again when it has grown about 4x
since it was trained, and turns back into a flat one below half the threshold (so it cannot
flap). Searches go on while it is built (90 s at 1M vectors here): only writers wait.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

# A flat index reads every vector per query: 1-2.5 ms per 10k vectors on this 2-core machine
# (p95 26 ms at 100k under load, 179 ms at 1M; docs/scaling.md). Above 100k the IVF layout
# answers in under 2 ms with recall@10 >= 0.98, for a one-off training of ~12 s at 100k.
DEFAULT_APPROXIMATE_ABOVE = 100_000
DEFAULT_TARGET_RECALL = 0.95
TUNING_QUERIES = 256
TUNING_MARGIN = 0.02  # tune to target + margin: the sample's recall is an estimate
TRAINING_POINTS_PER_LIST = 64
MIN_POINTS_PER_LIST = 39  # fewer and FAISS warns that the k-means is under-trained


class VectorIndex:
    """An in-memory FAISS index mirrored to one file, replaced atomically on save.

    `approximate_above`: above this many vectors `save` switches to the approximate (IVF)
    layout; 0 keeps the exact flat layout at any size. `nprobe`: lists scanned per query by the
    approximate layout; 0 tunes it for `target_recall` (recall@10 against exact search).
    """

    def __init__(
        self,
        path: Path,
        dimension: int,
        *,
        approximate_above: int = DEFAULT_APPROXIMATE_ABOVE,
        nprobe: int = 0,
        target_recall: float = DEFAULT_TARGET_RECALL,
    ) -> None:
        import faiss

        self.path = path
        self.dimension = dimension
        self.approximate_above = approximate_above
        self.nprobe = nprobe
        self.target_recall = target_recall
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        # Writers (add, remove, rebuild, save) take `_writing` then `_lock`; searches take only
        # `_lock`. So a rebuild or a save can read the index without `_lock` while searches
        # read it too, and holds `_lock` only to swap the new index in.
        self._writing = threading.RLock()
        self._lock = threading.RLock()
        self.dirty = False
        self.file_signature: tuple[int, int] | None = None  # the file as last loaded or saved
        # recall@10 of the approximate layout on its tuning sample, when built in this process
        self.estimated_recall: float | None = None

    @classmethod
    def load(
        cls,
        path: Path,
        dimension: int,
        *,
        approximate_above: int = DEFAULT_APPROXIMATE_ABOVE,
        nprobe: int = 0,
        target_recall: float = DEFAULT_TARGET_RECALL,
    ) -> tuple[VectorIndex, str | None]:
        """Load the file, or start empty; the second value says why the file could not be used.

        A file whose layout does not suit its size (or the settings) loads as it is and is
        marked dirty, so the next writer's `save` converts it.
        """
        import faiss

        vectors = cls(
            path,
            dimension,
            approximate_above=approximate_above,
            nprobe=nprobe,
            target_recall=target_recall,
        )
        if not path.exists():
            return vectors, None
        try:
            loaded = faiss.read_index(str(path))
        except RuntimeError as error:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else "unreadable"
            return vectors, f"the vector file {path.name} is damaged ({reason[:120]})"
        if loaded.d != dimension:
            return vectors, f"the vector file has {loaded.d}-dimensional vectors, not {dimension}"
        if isinstance(loaded, faiss.IndexIVFFlat):
            if loaded.metric_type != faiss.METRIC_INNER_PRODUCT:
                return vectors, "the vector file's approximate index does not use inner product"
            if loaded.direct_map.type != faiss.DirectMap.Hashtable:
                loaded.set_direct_map_type(faiss.DirectMap.Hashtable)
            if nprobe > 0:
                loaded.nprobe = nprobe
        elif not isinstance(loaded, faiss.IndexIDMap2):
            return vectors, "the vector file is not an id-mapped index"
        vectors._index = loaded
        vectors.file_signature = file_signature(path)
        vectors.dirty = vectors._wanted_layout() is not None
        return vectors, None

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def kind(self) -> str:
        """'flat' (exact) or 'ivf' (approximate)."""
        return "flat" if _is_flat(self._index) else "ivf"

    def describe(self) -> str:
        """The layout in a few words, e.g. 'ivf, 2000 lists, nprobe 16'."""
        with self._lock:
            if _is_flat(self._index):
                return "flat"
            return f"ivf, {self._index.nlist} lists, nprobe {self._index.nprobe}"

    def ids(self) -> np.ndarray:
        import faiss

        with self._lock:
            if _is_flat(self._index):
                return faiss.vector_to_array(self._index.id_map).astype(np.int64)
            return _ivf_contents(self._index, with_vectors=False)[0]

    def add(self, ids: np.ndarray | list[int], vectors: np.ndarray) -> None:
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return
        with self._writing, self._lock:
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
            self.dirty = True

    def remove(self, ids: np.ndarray | list[int]) -> int:
        import faiss

        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return 0
        with self._writing, self._lock:
            if _is_flat(self._index):
                removed = int(self._index.remove_ids(ids))
            else:  # the hash-table direct map removes only through an IDSelectorArray
                selector = faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids))
                removed = int(self._index.remove_ids(selector))
            self.dirty = self.dirty or removed > 0
            return removed

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k nearest chunk ids to one normalised query vector, best first."""
        import faiss

        with self._lock:
            if self._index.ntotal == 0 or k < 1:
                return []
            # One thread: a single query is too small to share, and on a busy machine the
            # second OpenMP thread waits for a time slice (20 ms p95 at 10k vectors, 2 cores).
            threads = faiss.omp_get_max_threads()
            faiss.omp_set_num_threads(1)
            try:
                scores, ids = self._index.search(
                    np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32),
                    min(k, self._index.ntotal),
                )
            finally:
                faiss.omp_set_num_threads(threads)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def similarities(self, query: np.ndarray, ids: list[int]) -> dict[int, float]:
        """Inner product of the query with the stored vectors of `ids` (those that have one)."""
        scores: dict[int, float] = {}
        with self._lock:
            for chunk_id in ids:
                try:
                    vector = self._index.reconstruct(int(chunk_id))
                except RuntimeError:  # no vector for this id
                    continue
                scores[chunk_id] = float(vector @ query.astype(np.float32))
        return scores

    def rebuild(self) -> bool:
        """Switch layout now if the size calls for it (`save` does this); True if it did."""
        with self._writing:
            wanted = self._wanted_layout()
            if wanted is None:
                return False
            started = time.perf_counter()
            ids, vectors = self._contents()
            if wanted == "flat":
                rebuilt = _flat_index(self.dimension, ids, vectors)
            else:
                rebuilt, self.estimated_recall = _ivf_index(
                    ids, vectors, self.nprobe, self.target_recall
                )
            del vectors  # may point into the old index's memory
            with self._lock:
                self._index = rebuilt
                self.dirty = True
            if wanted == "flat":
                log.info("vector index: %d vectors, exact (flat) again", len(ids))
            else:
                log.info(
                    "vector index: %d vectors, approximate (%s), estimated recall@10 %.3f, "
                    "built in %.1f s",
                    len(ids),
                    self.describe(),
                    self.estimated_recall,
                    time.perf_counter() - started,
                )
            return True

    def save(self) -> None:
        """Write a temporary file, fsync it, swap it in: a crash leaves the old file or the new."""
        import faiss

        with self._writing:  # writing the file only reads the index: searches go on
            try:
                self.rebuild()
            except (MemoryError, RuntimeError) as error:  # a layout is a speed-up: save anyway
                log.warning("could not change the vector index layout (%s); saved as it is", error)
            temporary = self.path.with_name(self.path.name + ".tmp")
            # Through a Python file: FAISS's own writer ignores an error at its final fclose
            # (a disk filling up in the last bytes), which would swap a truncated file in.
            with open(temporary, "wb") as file:
                faiss.write_index(self._index, faiss.PyCallbackIOWriter(file.write))
                file.flush()
                os.fsync(file.fileno())
            self.dirty = False
        os.replace(temporary, self.path)
        _fsync_directory(self.path.parent)
        self.file_signature = file_signature(self.path)

    def file_size(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0

    def _wanted_layout(self) -> str | None:
        """'flat' or 'ivf' when the current layout should change (or be retrained), else None."""
        count = len(self)
        if _is_flat(self._index):
            wanted_ivf = self.approximate_above > 0 and count > self.approximate_above
            return "ivf" if wanted_ivf else None
        if self.approximate_above <= 0 or count < self.approximate_above // 2:
            return "flat"
        if list_count(count) >= 2 * self._index.nlist:  # grown ~4x since it was trained
            return "ivf"
        return None

    def _contents(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (id, vector) held, as arrays; the vectors may share memory with the index."""
        import faiss

        if not _is_flat(self._index):
            return _ivf_contents(self._index, with_vectors=True)
        flat = faiss.downcast_index(self._index.index)
        count = int(flat.ntotal)
        vectors = faiss.rev_swig_ptr(flat.get_xb(), count * self.dimension)
        ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        return ids, np.asarray(vectors).reshape(count, self.dimension)


def list_count(vectors: int) -> int:
    """Inverted lists for this many vectors: about 2 sqrt(n), each list trained on 39+ points.

    Few lists keep training affordable on a small machine (k-means cost grows with the number
    of lists); a query still scans only nprobe x sqrt(n) / 2 vectors.
    """
    return max(1, min(round(2 * math.sqrt(vectors)), vectors // MIN_POINTS_PER_LIST))


def _is_flat(index) -> bool:
    import faiss

    return isinstance(index, faiss.IndexIDMap2)


def _flat_index(dimension: int, ids: np.ndarray, vectors: np.ndarray):
    import faiss

    index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
    return index


def _ivf_index(
    ids: np.ndarray, vectors: np.ndarray, nprobe: int, target_recall: float
) -> tuple[object, float]:
    """An IVF index of the vectors, with nprobe tuned (or as given); and its sample recall@10."""
    import faiss

    count, dimension = vectors.shape
    lists = list_count(count)
    rng = np.random.default_rng(0)
    index = faiss.IndexIVFFlat(
        faiss.IndexFlatIP(dimension), dimension, lists, faiss.METRIC_INNER_PRODUCT
    )
    index.cp.spherical = True  # centroids on the unit sphere, like the vectors
    training = min(count, TRAINING_POINTS_PER_LIST * lists)
    sample = np.sort(rng.choice(count, training, replace=False))
    index.train(np.ascontiguousarray(vectors[sample], dtype=np.float32))
    index.set_direct_map_type(faiss.DirectMap.Hashtable)
    for start in range(0, count, 65_536):  # bounded temporary copies
        end = start + 65_536
        batch = np.ascontiguousarray(vectors[start:end], dtype=np.float32)
        index.add_with_ids(batch, np.ascontiguousarray(ids[start:end]))
    queries, positions = _tuning_queries(vectors, rng)
    truth = ids[positions]
    if nprobe > 0:
        index.nprobe = min(nprobe, lists)
        return index, _recall_at_10(index, queries, truth)
    return index, _tune_nprobe(index, queries, truth, target_recall + TUNING_MARGIN)


def _tuning_queries(vectors: np.ndarray, rng: np.random.Generator):
    """Stored vectors moved off themselves, and the positions of their exact top 10.

    A question is never identical to a chunk: with all-MiniLM-L6-v2 on the BBC corpus a
    question's best chunk has a cosine of 0.65 on average, so each query is a stored vector
    plus noise of the same length (cosine ~0.7 to it).
    """
    import faiss

    count, dimension = vectors.shape
    picked = rng.choice(count, min(TUNING_QUERIES, count), replace=False)
    noise = rng.standard_normal((len(picked), dimension)).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    queries = np.ascontiguousarray(vectors[picked] + noise, dtype=np.float32)
    faiss.normalize_L2(queries)
    exact = faiss.IndexFlatIP(dimension)
    truth = np.empty((len(queries), min(10, count)), dtype=np.int64)
    for start in range(0, count, 262_144):  # the exact top 10, a slice of vectors at a time
        exact.reset()
        exact.add(np.ascontiguousarray(vectors[start : start + 262_144], dtype=np.float32))
        scores, found = exact.search(queries, truth.shape[1])
        found = np.where(found >= 0, found + start, -1)
        if start == 0:
            best_scores, truth = scores, found
            continue
        merged_scores = np.hstack([best_scores, scores])
        merged = np.hstack([truth, found])
        order = np.argsort(-merged_scores, axis=1)[:, : truth.shape[1]]
        best_scores = np.take_along_axis(merged_scores, order, axis=1)
        truth = np.take_along_axis(merged, order, axis=1)
    return queries, truth


def _tune_nprobe(index, queries: np.ndarray, truth: np.ndarray, wanted: float) -> float:
    """Set the smallest power-of-two nprobe whose recall@10 reaches `wanted`; return it."""
    nprobe = 1
    while True:
        index.nprobe = min(nprobe, index.nlist)
        recall = _recall_at_10(index, queries, truth)
        if recall >= min(wanted, 1.0) or nprobe >= index.nlist:
            return recall
        nprobe *= 2


def _recall_at_10(index, queries: np.ndarray, truth: np.ndarray) -> float:
    """Share of the exact top 10 ids (`truth`, one row per query) that the index finds."""
    _, found = index.search(queries, truth.shape[1])
    hits = sum(len(np.intersect1d(row, wanted)) for row, wanted in zip(found, truth, strict=True))
    return hits / truth.size


def _ivf_contents(index, *, with_vectors: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """The ids (and vectors) in an IVF index's inverted lists."""
    import faiss

    lists = index.invlists
    id_parts, vector_parts = [], []
    for list_no in range(index.nlist):
        size = lists.list_size(list_no)
        if size == 0:
            continue
        id_parts.append(np.array(faiss.rev_swig_ptr(lists.get_ids(list_no), size), np.int64))
        if with_vectors:
            codes = faiss.rev_swig_ptr(lists.get_codes(list_no), size * lists.code_size)
            vector_parts.append(np.frombuffer(codes, dtype=np.float32).reshape(size, index.d))
    ids = np.concatenate(id_parts) if id_parts else np.empty(0, np.int64)
    if not with_vectors:
        return ids, None
    vectors = np.vstack(vector_parts) if vector_parts else np.empty((0, index.d), np.float32)
    return ids, vectors


def file_signature(path: Path) -> tuple[int, int] | None:
    """Changes when another process replaces the file."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _fsync_directory(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
