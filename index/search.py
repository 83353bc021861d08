"""Retrieval: dense (FAISS), lexical (BM25, `index.lexical`), or both fused.

Hybrid retrieval, the default, takes each retriever's best `candidates` and then:

- fuses them. "scores" (the default) adds the two relevances, each min-max normalised over the
  candidates (the cosine similarity, known for every candidate, and BM25, where a passage BM25
  did not offer counts 0), weighted by `dense_weight` and `lexical_weight`; "ranks" is
  reciprocal rank fusion, weight / (rrf_k + rank) summed over the two rankings. Scores keep how
  far apart passages are, which ranks throw away: a passage BM25 ranks 3rd by a wide margin is
  not outvoted by one that both retrievers rank 20th.
- favours the passages that name whom the question names: relevance x (1 + name_weight x the
  share of its names the passage names). Transfer questions turn on names, and a fluent passage
  about somebody else is no answer.
- favours newer reports about the question's subjects: the passages that name them get
  relevance x (1 + recency_weight x a freshness that halves every recency_half_life_days back
  from the newest of them). Other passages get no bonus, so a flood of recent news about
  somebody else cannot push out an older report that answers; and the most relevant passage
  always stays among the k returned.
- when none of the k best names all of whom the question is about, leads with the candidates
  that do: an answer reads only those.

The single retrievers stay pure: they are the baselines `transferdesk eval` compares against.
Whatever finds a passage, its `score` is the cosine similarity to the question (the scale the
answer's relevance threshold is calibrated on); the order is the retrieval's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from index.aliases import fold, named_share
from index.models import Passage
from index.store import Store
from index.text import query_terms
from index.vectors import VectorIndex

MODES = ("dense", "lexical", "hybrid")
FUSIONS = ("ranks", "scores")

# Chunk ids ranked by BM25 for any of the terms, best first, with their scores.
LexicalSearch = Callable[[Sequence[str], int], list[tuple[int, float]]]
# Each group holds the interchangeable (folded) names of one club or person.
NameGroups = Sequence[frozenset[str]]


@dataclass(frozen=True, slots=True)
class Named:
    """What a question names: `everyone` (its clubs and people), and its `subjects`, whom it is
    about (its people, or its clubs when it names nobody), as patterns over folded text that
    tell a person from a namesake ("Milos Varga" is not "Tomas Varga")."""

    everyone: NameGroups = ()
    subjects: Sequence[re.Pattern[str]] = ()


NOBODY = Named()


@dataclass(frozen=True, slots=True)
class RetrievalOptions:
    mode: str = "hybrid"
    dense_weight: float = 1.0
    lexical_weight: float = 0.7
    rrf_k: int = 60  # damping of reciprocal rank fusion: 1 / (rrf_k + rank)
    candidates: int = 50  # taken from each retriever before fusing
    recency_half_life_days: float = 30.0  # 0 turns recency off
    recency_weight: float = 1.0  # the newest report about the subjects: relevance x (1 + weight)
    fusion: str = "scores"  # normalised scores summed, or "ranks" (reciprocal rank fusion)
    name_weight: float = 1.0  # a passage naming everyone named: relevance x (1 + weight)


def retrieve(
    store: Store,
    vectors: VectorIndex,
    lexical_search: LexicalSearch,
    question: str,
    query_vector: np.ndarray,
    k: int,
    options: RetrievalOptions,
    named: Named = NOBODY,
) -> list[Passage]:
    """The k most relevant passages for the question; `named` is what it names."""
    if options.mode == "dense":
        return store.passages(vectors.search(query_vector, k))
    lexical = lexical_search(query_terms(question), options.candidates)
    if options.mode == "lexical":
        ranked = lexical[:k]
        cosine = vectors.similarities(query_vector, [chunk_id for chunk_id, _ in ranked])
        return store.passages([(i, cosine[i]) for i, _ in ranked if i in cosine])
    dense = vectors.search(query_vector, options.candidates)
    cosine = dict(dense)
    cosine |= vectors.similarities(query_vector, [i for i, _ in lexical if i not in cosine])
    lexical = [(i, score) for i, score in lexical if i in cosine]  # a chunk awaiting its vector
    if options.fusion == "ranks":
        relevance = fuse_scores(
            [[i for i, _ in dense], [i for i, _ in lexical]],
            [options.dense_weight, options.lexical_weight],
            options.rrf_k,
        )
    else:
        # Every candidate has a cosine similarity, so dense relevance covers them all.
        union = dict.fromkeys([i for i, _ in dense] + [i for i, _ in lexical])
        relevance = fuse_normalised(
            [[(i, cosine[i]) for i in union], lexical],
            [options.dense_weight, options.lexical_weight],
        )
    candidates = store.passages([(i, cosine[i]) for i in relevance])
    if named.everyone and options.name_weight > 0:
        relevance = favour_named(candidates, relevance, named.everyone, options.name_weight)
    ranking = favour_recent(
        candidates,
        relevance,
        named.subjects,
        options.recency_half_life_days,
        options.recency_weight,
    )
    ranked = top_keeping_the_most_relevant(candidates, relevance, ranking, k)
    return lead_with_the_subjects(ranked, candidates, ranking, named.subjects, k)


def lead_with_the_subjects(
    ranked: list[Passage],
    candidates: Sequence[Passage],
    ranking: dict[int, float],
    subjects: Sequence[re.Pattern[str]],
    k: int,
) -> list[Passage]:
    """`ranked`, or, when none of it names all the question's subjects, the candidates that do
    first: "Is Sol close to a new Arsenal deal?" wants the one passage that mentions Sol
    Campbell in passing, not the Arsenal contract news that outranks it. The first of `ranked`
    keeps a place when k allows two."""
    if not subjects or any(names_all_subjects(p, subjects) for p in ranked):
        return ranked
    naming = sorted(
        (p for p in candidates if names_all_subjects(p, subjects)),
        key=lambda p: ranking[p.chunk_id],
        reverse=True,
    )[: max(1, k - 1)]
    return (naming + [p for p in ranked if p not in naming])[:k]


def names_all_subjects(passage: Passage, subjects: Sequence[re.Pattern[str]]) -> bool:
    """Whether the passage (title and text, folded) matches every one of the patterns."""
    text = fold(f"{passage.title} {passage.text}")
    return all(subject.search(text) for subject in subjects)


def favour_named(
    passages: Sequence[Passage], relevance: dict[int, float], names: NameGroups, weight: float
) -> dict[int, float]:
    """Relevance x (1 + weight x the share of `names` each passage names)."""
    favoured = dict(relevance)
    for passage in passages:
        share = named_share(f"{passage.title} {passage.text}", names)
        favoured[passage.chunk_id] *= 1 + weight * share
    return favoured


def favour_recent(
    passages: Sequence[Passage],
    relevance: dict[int, float],
    subjects: Sequence[re.Pattern[str]],
    half_life_days: float,
    weight: float,
) -> dict[int, float]:
    """Relevance x (1 + weight x freshness) for the dated passages naming all `subjects`
    (every passage when there are none), freshness counted back from the newest of them."""
    if half_life_days <= 0 or weight <= 0:
        return dict(relevance)
    about = [p for p in passages if p.published and names_all_subjects(p, subjects)]
    if not about:
        return dict(relevance)
    newest = max(p.published for p in about if p.published)
    favoured = dict(relevance)
    for passage in about:
        fresh = freshness(passage.published, newest, half_life_days)
        favoured[passage.chunk_id] *= 1 + weight * fresh
    return favoured


def top_keeping_the_most_relevant(
    passages: Sequence[Passage], relevance: dict[int, float], ranking: dict[int, float], k: int
) -> list[Passage]:
    """The k passages ranked best by `ranking`, the most relevant one always among them."""
    ranked = sorted(passages, key=lambda p: ranking[p.chunk_id], reverse=True)[:k]
    if not ranked:
        return ranked
    best = max(passages, key=lambda p: relevance[p.chunk_id])
    if best not in ranked:
        ranked[-1] = best
    return ranked


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


def fuse_normalised(
    scored: Sequence[Sequence[tuple[int, float]]], weights: Sequence[float]
) -> dict[int, float]:
    """Each id's weighted sum of its scores, each list min-max normalised to 0..1 first (an id a
    list lacks gets 0 from it); the weights are shares of their sum."""
    total_weight = sum(weights) or 1.0
    totals: dict[int, float] = {}
    for results, weight in zip(scored, weights, strict=True):
        for item, _ in results:
            totals.setdefault(item, 0.0)
        if not results:
            continue
        values = [score for _, score in results]
        low, high = min(values), max(values)
        for item, score in results:
            normalised = (score - low) / (high - low) if high > low else 1.0
            totals[item] += weight / total_weight * normalised
    return totals
