"""Retrieval: dense (FAISS), lexical (BM25, `index.lexical`), or both fused by reciprocal rank.

Whatever finds a passage, its `score` is the cosine similarity to the question (the scale the
answer's relevance threshold is calibrated on); the order is the retrieval's own.

Recency reorders, never replaces: the k best passages are chosen by relevance alone, then ranked
by relevance times a bonus that halves every `recency_half_life_days` of age (counted back from
the newest of them). So newer reports come first, and a recent flood of loosely related news
cannot push out the only report that answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from index.models import Passage
from index.store import Store
from index.text import query_terms
from index.vectors import VectorIndex

MODES = ("dense", "lexical", "hybrid")

# Chunk ids ranked by BM25 for any of the terms, best first, with their scores.
LexicalSearch = Callable[[Sequence[str], int], list[tuple[int, float]]]


@dataclass(frozen=True, slots=True)
class RetrievalOptions:
    mode: str = "hybrid"
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    rrf_k: int = 60  # damping of reciprocal rank fusion: 1 / (rrf_k + rank)
    candidates: int = 50  # taken from each retriever before fusing
    recency_half_life_days: float = 30.0  # 0 turns recency off
    recency_weight: float = 0.0  # the bonus of the newest report: relevance x (1 + weight)


def retrieve(
    store: Store,
    vectors: VectorIndex,
    lexical_search: LexicalSearch,
    question: str,
    query_vector: np.ndarray,
    k: int,
    options: RetrievalOptions,
) -> list[Passage]:
    dense = vectors.search(query_vector, options.candidates) if options.mode != "lexical" else []
    lexical = (
        lexical_search(query_terms(question), options.candidates) if options.mode != "dense" else []
    )
    fused = fuse_scores(
        [[i for i, _ in dense], [i for i, _ in lexical]],
        [options.dense_weight, options.lexical_weight],
        options.rrf_k,
    )
    ranked = sorted(fused, key=lambda chunk_id: fused[chunk_id], reverse=True)[:k]
    cosine = dict(dense)
    missing = [chunk_id for chunk_id in ranked if chunk_id not in cosine]
    cosine |= vectors.similarities(query_vector, missing)
    passages = store.passages(
        [(chunk_id, cosine[chunk_id]) for chunk_id in ranked if chunk_id in cosine]
    )
    return by_recency(passages, [fused[p.chunk_id] for p in passages], options)


def by_recency(
    passages: Sequence[Passage], relevance: Sequence[float], options: RetrievalOptions
) -> list[Passage]:
    """The passages reordered by relevance x recency bonus; undated ones get no bonus."""
    dates = [p.published for p in passages if p.published]
    if options.recency_half_life_days <= 0 or options.recency_weight <= 0 or not dates:
        return list(passages)
    newest = max(dates)

    def weighted(pair: tuple[Passage, float]) -> float:
        passage, score = pair
        fresh = freshness(passage.published, newest, options.recency_half_life_days)
        return score * (1 + options.recency_weight * fresh)

    pairs = sorted(zip(passages, relevance, strict=True), key=weighted, reverse=True)
    return [passage for passage, _ in pairs]


def freshness(published: date | None, newest: date, half_life_days: float) -> float:
    """1 for the newest report, halving every `half_life_days` before it; 0 when undated."""
    if published is None:
        return 0.0
    return 0.5 ** (max(0, (newest - published).days) / half_life_days)


def fuse(rankings: Sequence[Sequence[int]], weights: Sequence[float], rrf_k: int) -> list[int]:
    """Reciprocal rank fusion: ids ordered by the sum of weight / (rrf_k + rank) over rankings."""
    totals = fuse_scores(rankings, weights, rrf_k)
    return sorted(totals, key=lambda item: totals[item], reverse=True)


def fuse_scores(
    rankings: Sequence[Sequence[int]], weights: Sequence[float], rrf_k: int
) -> dict[int, float]:
    """Each id's sum of weight / (rrf_k + rank) over the rankings it appears in."""
    totals: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            totals[item] = totals.get(item, 0.0) + weight / (rrf_k + rank)
    return totals
