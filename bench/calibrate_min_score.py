"""Calibrate `answer.min_score` and `answer.named_min_score`: abstention at each relevance
threshold on bench/eval's sets.

An answer abstains when no retrieved report names whom the question names, or when the best
report's relevance (cosine similarity) is below `answer.min_score` (`answer.named_min_score` for
a question naming people). This sweeps each threshold in turn, the other at its default, and
prints, per question set, the abstention accuracy, the share of answerable questions wrongly
refused and the share of unanswerable ones answered, so the defaults can be read off the
tables. off_topic.jsonl holds questions that name nobody (so only min_score can refuse them)
and that the news cannot answer. The blind set is left out on purpose: it is for checking, not
for choosing.

    python bench/calibrate_min_score.py [--data-dir DIR] [--json FILE]

Without --data-dir it builds a temporary index of ../shared/corpora, as bench_eval.py does.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
QUESTION_SETS = [
    REPO / "bench" / "eval" / f"{name}.jsonl" for name in ("questions", "holdout", "off_topic")
]
THRESHOLDS = [round(0.20 + 0.05 * step, 2) for step in range(9)]  # 0.20 .. 0.60
SWEPT = ("min_score", "named_min_score")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="an index of ../shared/corpora to reuse")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from bot.commands import Engine
    from bot.config import load_settings

    with tempfile.TemporaryDirectory(prefix="transferdesk-calibrate-") as folder:
        if args.data_dir:
            engine = Engine(load_settings(data_dir=str(args.data_dir)))
        elif (CORPORA / "bbc-football").is_dir():
            engine = _indexed_engine(Path(folder))
        else:
            print(f"corpora not found under {CORPORA}; skipped")
            return 0
        figures = {
            threshold: {path.name: sweep(engine, path, threshold) for path in QUESTION_SETS}
            for threshold in SWEPT
        }
        engine.close()
    for threshold, sets in figures.items():
        for name, rows in sets.items():
            print(
                f"\n{name}, sweeping {threshold}\n"
                f"{'threshold':>9} {'abstain acc':>11} {'refused':>8} {'answered':>9}"
            )
            for row in rows:
                print(
                    f"{row['threshold']:>9.2f} {row['abstention_accuracy']:>11.3f} "
                    f"{row['wrongly_refused']:>8.3f} {row['wrongly_answered']:>9.3f}"
                )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


def _indexed_engine(folder: Path):
    sys.path.insert(0, str(REPO / "bench"))
    from gossip_to_jsonl import DEFAULT_CSV, records

    from bot.commands import Engine
    from bot.config import load_settings

    gossip = folder / "gossip.jsonl"
    gossip.write_text("".join(json.dumps(r) + "\n" for r in records(DEFAULT_CSV)))
    engine = Engine(load_settings(data_dir=str(folder / "data")))
    engine.add_source(str(CORPORA / "bbc-football"), "dir", "bbc-football")
    engine.add_source(str(gossip), "jsonl", "gossip")
    engine.reindex()
    return engine


def sweep(engine, path: Path, swept: str) -> list[dict]:
    """Abstention figures of the default (hybrid) answer at each value of the `swept`
    threshold."""
    from bot.evaluate import load_questions

    questions = load_questions(path)
    settings = engine.settings
    embed = _remembering(engine.index.embed)  # the same sentences are embedded at each threshold
    abstained: dict[float, list[bool]] = {t: [] for t in THRESHOLDS}
    for question in questions:
        text = engine.search_text(question.question)
        vector = engine.index.embed_query(text)
        passages = engine.retrieve(text, vector, settings.retrieval.top_k)
        for threshold in THRESHOLDS:
            answer_settings = replace(settings.answer, **{swept: threshold})
            engine.settings = replace(settings, answer=answer_settings)
            engine.index.embed = embed
            try:
                answer = engine.compose(question.question, vector, passages)
            finally:
                del engine.index.embed
                engine.settings = settings
            abstained[threshold].append(answer.abstained)
    answerable = [q.answerable for q in questions]
    rows = []
    for threshold, refusals in abstained.items():
        refused = sum(r for r, a in zip(refusals, answerable, strict=True) if a)
        answered = sum(not r for r, a in zip(refusals, answerable, strict=True) if not a)
        correct = sum(r != a for r, a in zip(refusals, answerable, strict=True))
        rows.append(
            {
                "threshold": threshold,
                "abstention_accuracy": round(correct / len(questions), 3),
                "wrongly_refused": round(refused / max(1, sum(answerable)), 3),
                "wrongly_answered": round(answered / max(1, len(questions) - sum(answerable)), 3),
            }
        )
    return rows


def _remembering(embed):
    vectors: dict[str, np.ndarray] = {}

    def remembered(texts):
        missing = [t for t in dict.fromkeys(texts) if t not in vectors]
        if missing:
            vectors.update(zip(missing, embed(missing), strict=True))
        return np.stack([vectors[t] for t in texts]) if texts else embed(texts)

    return remembered


if __name__ == "__main__":
    raise SystemExit(main())
