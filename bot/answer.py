"""Extractive answers: the most relevant sentences of the retrieved passages, each cited.

Every sentence of an answer is copied from an article, so every claim is grounded in a source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from index.aliases import AliasTable, fold
from index.models import Passage
from index.text import STOPWORDS, split_sentences, words

NOTHING_FOUND = "I couldn't find any reports about that in the indexed news."

# Passages scoring far below the best one are about something else.
_PASSAGE_MARGIN = 0.15
# A sentence scoring well below the best chosen one adds noise rather than information.
_SENTENCE_FLOOR = 0.8
# Sentences are embedded per question: reading them from the best few articles bounds the cost.
_MAX_ANSWERING_ARTICLES = 4
_NEAR_REPEAT_JACCARD = 0.6
_NEAR_REPEAT_COSINE = 0.9
_MIN_SENTENCE_WORDS = 4


# Words that are capitalised only because they start a question.
_SENTENCE_STARTERS = frozenset(
    "has have had can could should shall may might must tell give show any latest news "
    "whats what's who's is are was were will would did does do how why when where which "
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


@dataclass(frozen=True, slots=True)
class Citation:
    n: int
    title: str
    url: str | None
    outlet: str | None
    published: date | None
    quote: str


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class _Candidate:
    sentence: str
    passage: Passage
    position: int
    score: float
    vector: np.ndarray


def compose_answer(
    question: str,
    query_vector: np.ndarray,
    passages: Sequence[Passage],
    embed: Callable[[Sequence[str]], np.ndarray],
    *,
    min_score: float,
    max_sentences: int,
    context: str | None = None,
    aliases: AliasTable | None = None,
) -> Answer:
    """Pick a few relevant, non-repeating sentences and cite each one's article.

    For a follow-up ("and what about Chelsea?") `context` is the earlier question: the names
    asked about are the follow-up's own, or the earlier question's when it names nobody.
    """
    if not passages or max(p.score for p in passages) < min_score:
        return Answer(question, NOTHING_FOUND, abstained=True)
    names = named_terms(question, aliases) or (named_terms(context, aliases) if context else [])
    if names:
        # A question naming someone is only answered from passages that name them too: all of
        # them, so "Is Mbappe joining Liverpool?" is not answered with other Liverpool news.
        passages = [p for p in passages if _mentions_all(p, names)]
        if not passages or max(p.score for p in passages) < min_score:
            return Answer(question, NOTHING_FOUND, abstained=True)
    best = max(p.score for p in passages)
    relevant = _from_best_articles(
        [p for p in passages if p.score >= max(min_score, best - _PASSAGE_MARGIN)]
    )
    candidates = _score_sentences(question, query_vector, relevant, embed)
    chosen = _pick(candidates, max_sentences)
    if not chosen:
        return Answer(question, NOTHING_FOUND, abstained=True)
    return _write(question, chosen)


def _from_best_articles(passages: list[Passage]) -> list[Passage]:
    """The passages of the best few distinct articles."""
    articles: list[int] = []
    for passage in passages:
        if passage.article_id not in articles and len(articles) < _MAX_ANSWERING_ARTICLES:
            articles.append(passage.article_id)
    return [p for p in passages if p.article_id in articles]


def _score_sentences(
    question: str,
    query_vector: np.ndarray,
    passages: Sequence[Passage],
    embed: Callable[[Sequence[str]], np.ndarray],
) -> list[_Candidate]:
    pieces: list[tuple[str, Passage, int]] = []
    seen: set[str] = set()
    for passage in passages:
        for position, sentence in enumerate(split_sentences(passage.text)):
            if len(sentence.split()) < _MIN_SENTENCE_WORDS or sentence in seen:
                continue
            seen.add(sentence)
            pieces.append((sentence, passage, position))
    if not pieces:
        return []
    vectors = embed([sentence for sentence, _, _ in pieces])
    similarities = vectors @ query_vector
    question_terms = _content_words(question)
    candidates = []
    for (sentence, passage, position), vector, similarity in zip(
        pieces, vectors, similarities, strict=True
    ):
        # The passage score carries who/what the article is about (its header names them);
        # the sentence score says whether this sentence is the part that answers.
        overlap = _overlap(question_terms, sentence)
        score = 0.5 * float(similarity) + 0.4 * passage.score + 0.1 * overlap
        candidates.append(_Candidate(sentence, passage, position, score, vector))
    return sorted(candidates, key=lambda c: c.score, reverse=True)


def _pick(candidates: list[_Candidate], max_sentences: int) -> list[_Candidate]:
    chosen: list[_Candidate] = []
    for candidate in candidates:
        if len(chosen) == max_sentences:
            break
        if chosen and candidate.score < chosen[0].score * _SENTENCE_FLOOR:
            break
        if any(_near_repeat(candidate, other) for other in chosen):
            continue
        chosen.append(candidate)
    return chosen


def _near_repeat(a: _Candidate, b: _Candidate) -> bool:
    if float(a.vector @ b.vector) >= _NEAR_REPEAT_COSINE:
        return True
    words_a, words_b = set(words(a.sentence)), set(words(b.sentence))
    union = words_a | words_b
    return bool(union) and len(words_a & words_b) / len(union) >= _NEAR_REPEAT_JACCARD


def _write(question: str, chosen: list[_Candidate]) -> Answer:
    numbers: dict[int, int] = {}
    quotes: dict[int, list[str]] = {}
    passages: dict[int, Passage] = {}
    sentences = []
    for candidate in chosen:
        article_id = candidate.passage.article_id
        n = numbers.setdefault(article_id, len(numbers) + 1)
        passages.setdefault(article_id, candidate.passage)
        quotes.setdefault(article_id, []).append(candidate.sentence)
        sentences.append(f"{candidate.sentence} [{n}]")
    citations = tuple(
        Citation(
            n=n,
            title=passages[article_id].title,
            url=passages[article_id].url,
            outlet=passages[article_id].outlet,
            published=passages[article_id].published,
            quote=" ".join(quotes[article_id]),
        )
        for article_id, n in numbers.items()
    )
    return Answer(question, " ".join(sentences), abstained=False, citations=citations)


def named_terms(question: str, aliases: AliasTable | None = None) -> list[frozenset[str]]:
    """What a question names, each as a group of interchangeable names.

    A club becomes all its names ("Spurs" -> Tottenham Hotspur, Tottenham, Spurs, ...); any other
    capitalised word that is not a question word stands for itself (players, people).
    """
    groups: list[frozenset[str]] = []
    covered: set[str] = set()
    for used, club in aliases.clubs_in(question) if aliases else []:
        groups.append(frozenset(fold(name) for name in club.all_names))
        covered.update(used.split())
    tokens = [token.strip("'’.-") for token in re.findall(r"[\w'’.-]+", question)]
    for token in tokens:
        folded = fold(token)
        if (
            token[:1].isupper()
            and len(token) > 2
            and folded not in STOPWORDS
            and folded not in _SENTENCE_STARTERS
            and folded not in covered
        ):
            groups.append(frozenset([folded]))
    return list(dict.fromkeys(groups))


def _mentions_all(passage: Passage, groups: list[frozenset[str]]) -> bool:
    text = fold(f"{passage.title} {passage.text}")
    return all(
        any(re.search(rf"\b{re.escape(name)}\b", text) for name in group) for group in groups
    )


def _content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS and len(w) > 1}


def _overlap(question_terms: set[str], sentence: str) -> float:
    if not question_terms:
        return 0.0
    return len(question_terms & set(words(sentence))) / len(question_terms)
