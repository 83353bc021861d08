"""The FAISS file of chunk vectors: ids are chunk ids, inner product on normalised vectors."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


class VectorIndex:
    """An in-memory FAISS index mirrored to one file, replaced atomically on save."""

    def __init__(self, path: Path, dimension: int) -> None:
        import faiss

        self.path = path
        self.dimension = dimension
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        self._lock = threading.RLock()
        self.dirty = False
        self.file_signature: tuple[int, int] | None = None  # the file as last loaded or saved

    @classmethod
    def load(cls, path: Path, dimension: int) -> tuple[VectorIndex, str | None]:
        """Load the file, or start empty; the second value says why the file could not be used."""
        import faiss

        vectors = cls(path, dimension)
        if not path.exists():
            return vectors, None
        try:
            loaded = faiss.read_index(str(path))
        except RuntimeError as error:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else "unreadable"
            return vectors, f"the vector file {path.name} is damaged ({reason[:120]})"
        if loaded.d != dimension:
            return vectors, f"the vector file has {loaded.d}-dimensional vectors, not {dimension}"
        if not isinstance(loaded, faiss.IndexIDMap2):
            return vectors, "the vector file is not an id-mapped index"
        vectors._index = loaded
        vectors.file_signature = file_signature(path)
        return vectors, None

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> np.ndarray:
        import faiss

        with self._lock:
            return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def add(self, ids: np.ndarray | list[int], vectors: np.ndarray) -> None:
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return
        with self._lock:
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
            self.dirty = True

    def remove(self, ids: np.ndarray | list[int]) -> int:
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return 0
        with self._lock:
            removed = int(self._index.remove_ids(ids))
            self.dirty = self.dirty or removed > 0
            return removed

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k nearest chunk ids to one normalised query vector, best first."""
        with self._lock:
            if self._index.ntotal == 0 or k < 1:
                return []
            scores, ids = self._index.search(
                np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32),
                min(k, self._index.ntotal),
            )
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

    def save(self) -> None:
        """Write a temporary file, fsync it, swap it in: a crash leaves the old file or the new."""
        import faiss

        with self._lock:
            temporary = self.path.with_name(self.path.name + ".tmp")
            faiss.write_index(self._index, str(temporary))
            self.dirty = False
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, self.path)
        _fsync_directory(self.path.parent)
        self.file_signature = file_signature(self.path)

    def file_size(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0


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
