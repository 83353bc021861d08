"""Retrieval: dense (FAISS), lexical (BM25 over SQLite FTS5), or both fused by reciprocal rank.

Whatever finds a passage, its `score` is the cosine similarity to the question (the scale the
answer's relevance threshold is calibrated on); the order is the retrieval's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.models import Passage
from index.store import Store
from index.text import query_terms
from index.vectors import VectorIndex

MODES = ("dense", "lexical", "hybrid")


@dataclass(frozen=True, slots=True)
class RetrievalOptions:
    mode: str = "hybrid"
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    rrf_k: int = 60  # damping of reciprocal rank fusion: 1 / (rrf_k + rank)
    candidates: int = 50  # taken from each retriever before fusing


def retrieve(
    store: Store,
    vectors: VectorIndex,
    question: str,
    query_vector: np.ndarray,
    k: int,
    options: RetrievalOptions,
) -> list[Passage]:
    dense = vectors.search(query_vector, options.candidates) if options.mode != "lexical" else []
    lexical = (
        store.lexical_search(query_terms(question), options.candidates)
        if options.mode != "dense"
        else []
    )
    ranked = fuse(
        [[i for i, _ in dense], [i for i, _ in lexical]],
        [options.dense_weight, options.lexical_weight],
        options.rrf_k,
    )[:k]
    cosine = dict(dense)
    missing = [chunk_id for chunk_id in ranked if chunk_id not in cosine]
    cosine |= vectors.similarities(query_vector, missing)
    return store.passages(
        [(chunk_id, cosine[chunk_id]) for chunk_id in ranked if chunk_id in cosine]
    )


def fuse(rankings: Sequence[Sequence[int]], weights: Sequence[float], rrf_k: int) -> list[int]:
    """Reciprocal rank fusion: ids ordered by the sum of weight / (rrf_k + rank) over rankings."""
    totals: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            totals[item] = totals.get(item, 0.0) + weight / (rrf_k + rank)
    return sorted(totals, key=lambda item: totals[item], reverse=True)
