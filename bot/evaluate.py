"""`transferdesk eval`: retrieval and abstention quality on a set of questions, per retriever.

Each line of the questions file is `{"question", "expected": [ids]}` or
`{"question", "unanswerable": true}`; an answerable question whose reports changed over time
may add `"newest": [ids]`, the expected reports that are the latest development. An id matches
an article whose URL equals it or ends with "/" + id (so a file name matches its `file://` URL).

recall@k is the share of answerable questions with an expected article among the first k
articles retrieved; MRR@10 the mean of 1/rank of the first expected article (0 beyond 10);
abstention accuracy the share of all questions where the answer abstained exactly when it should;
newest cited the share of questions with `newest` whose answer cites one of those reports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from bot.commands import Engine
from index.errors import TransferDeskError
from index.models import Passage
from index.search import MODES

DEPTH = 10


@dataclass(frozen=True, slots=True)
class EvalQuestion:
    question: str
    expected: tuple[str, ...] = ()
    newest: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return bool(self.expected)


@dataclass(frozen=True, slots=True)
class ModeScores:
    mode: str
    recall_at_1: float
    recall_at_5: float
    mrr_at_10: float
    abstention_accuracy: float
    wrongly_refused: float  # share of answerable questions answered "nothing found"
    wrongly_answered: float  # share of unanswerable questions answered anyway
    answerable: int
    unanswerable: int
    newest_cited: float = 0.0  # share of questions with "newest" whose answer cites it
    with_newest: int = 0


@dataclass(frozen=True, slots=True)
class Miss:
    """A question a retriever got wrong: its expected article ranked below 5th or not in the
    first 10 (rank 0), an answerable question refused or an unanswerable one answered, or a
    newer report left uncited."""

    mode: str
    question: str
    kind: str  # "ranked low", "not found", "refused", "answered", "newest not cited"
    rank: int = 0


def load_questions(path: Path) -> list[EvalQuestion]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise TransferDeskError(f"cannot read {path}: {error.strerror}") from None
    questions = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            questions.append(_parse(line, number, path.name))
    if not questions:
        raise TransferDeskError(f"{path.name} has no questions")
    return questions


def _parse(line: str, number: int, name: str) -> EvalQuestion:
    where = f"{name} line {number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise TransferDeskError(f"{where}: not valid JSON ({error.msg})") from None
    if not isinstance(record, dict) or not str(record.get("question", "")).strip():
        raise TransferDeskError(f'{where}: needs a "question"')
    expected = record.get("expected") or []
    if record.get("unanswerable") is True:
        if expected:
            raise TransferDeskError(f"{where}: an unanswerable question cannot expect articles")
        return EvalQuestion(record["question"])
    if (
        not isinstance(expected, list)
        or not expected
        or not all(isinstance(e, str) for e in expected)
    ):
        raise TransferDeskError(f'{where}: needs "expected": [ids] or "unanswerable": true')
    newest = record.get("newest") or []
    if not isinstance(newest, list) or not set(newest) <= set(expected):
        raise TransferDeskError(f'{where}: "newest" must list some of the expected ids')
    return EvalQuestion(record["question"], tuple(expected), tuple(newest))


def evaluate(
    engine: Engine,
    questions: list[EvalQuestion],
    modes=MODES,
    misses: list[Miss] | None = None,
) -> list[ModeScores]:
    """Scores per retriever; what each got wrong is added to `misses` when it is given."""
    # Searched as `ask` searches: with club names expanded and roles resolved.
    texts = [engine.search_text(q.question) for q in questions]
    vectors = [engine.index.embed_query(text) for text in texts]
    found = misses if misses is not None else []
    return [_score_mode(engine, questions, texts, vectors, mode, found) for mode in modes]


def _score_mode(
    engine: Engine, questions, texts, vectors, mode: str, misses: list[Miss]
) -> ModeScores:
    options = replace(engine.settings.retrieval.options, mode=mode)
    top_k = engine.settings.retrieval.top_k
    hits_1 = hits_5 = reciprocal = refused = answered_wrongly = correct = newest_cited = 0
    for question, text, vector in zip(questions, texts, vectors, strict=True):
        passages = engine.retrieve(text, vector, max(DEPTH, top_k), options)
        answer = engine.compose(question.question, vector, passages[:top_k])
        abstained = answer.abstained
        cited = [c.url or "" for c in answer.citations]
        newest = any(_matches(url, e) for url in cited for e in question.newest)
        newest_cited += newest
        if question.newest and not newest:
            misses.append(Miss(mode, question.question, "newest not cited"))
        if question.answerable:
            rank = _first_expected_rank(passages, question.expected)
            hits_1 += rank == 1
            hits_5 += 0 < rank <= 5
            reciprocal += 1 / rank if rank else 0
            refused += abstained
            correct += not abstained
            if not 0 < rank <= 5:
                misses.append(
                    Miss(mode, question.question, "ranked low" if rank else "not found", rank)
                )
            if abstained:
                misses.append(Miss(mode, question.question, "refused"))
        else:
            answered_wrongly += not abstained
            correct += abstained
            if not abstained:
                misses.append(Miss(mode, question.question, "answered"))
    answerable = sum(q.answerable for q in questions)
    unanswerable = len(questions) - answerable
    with_newest = sum(bool(q.newest) for q in questions)
    return ModeScores(
        mode=mode,
        recall_at_1=_share(hits_1, answerable),
        recall_at_5=_share(hits_5, answerable),
        mrr_at_10=_share(reciprocal, answerable),
        abstention_accuracy=_share(correct, len(questions)),
        wrongly_refused=_share(refused, answerable),
        wrongly_answered=_share(answered_wrongly, unanswerable),
        answerable=answerable,
        unanswerable=unanswerable,
        newest_cited=_share(newest_cited, with_newest),
        with_newest=with_newest,
    )


def _first_expected_rank(passages: list[Passage], expected: tuple[str, ...]) -> int:
    """1-based rank of the first expected article among the distinct articles; 0 if absent."""
    seen: list[int] = []
    for passage in passages:
        if passage.article_id in seen:
            continue
        seen.append(passage.article_id)
        if len(seen) > DEPTH:
            break
        if any(_matches(passage.url or "", e) for e in expected):
            return len(seen)
    return 0


def _matches(url: str, expected: str) -> bool:
    return url == expected or url.endswith("/" + expected)


def _share(count: float, total: int) -> float:
    return round(count / total, 3) if total else 0.0


def scores_text(scores: list[ModeScores]) -> str:
    lines = [
        f"{'retriever':<9} {'recall@1':>8} {'recall@5':>8} {'MRR@10':>7} "
        f"{'abstain acc':>11} {'refused':>8} {'answered':>9} {'newest cited':>12}"
    ]
    for s in scores:
        lines.append(
            f"{s.mode:<9} {s.recall_at_1:>8.3f} {s.recall_at_5:>8.3f} {s.mrr_at_10:>7.3f} "
            f"{s.abstention_accuracy:>11.3f} {s.wrongly_refused:>8.3f} {s.wrongly_answered:>9.3f}"
            f" {s.newest_cited:>12.3f}"
        )
    if scores:
        lines.append(
            f"{scores[0].answerable} answerable, {scores[0].unanswerable} unanswerable questions; "
            "refused = answerable questions wrongly refused, answered = unanswerable ones "
            f"answered; newest cited over the {scores[0].with_newest} questions whose reports "
            "changed over time"
        )
    return "\n".join(lines)


def misses_text(misses: list[Miss], mode: str = "hybrid") -> str:
    """What one retriever got wrong, a line each."""
    lines = [f"what {mode} got wrong:"]
    for miss in (m for m in misses if m.mode == mode):
        where = f" (rank {miss.rank})" if miss.rank else ""
        lines.append(f"  {miss.kind}{where}: {miss.question}")
    if len(lines) == 1:
        lines.append("  nothing")
    return "\n".join(lines)
