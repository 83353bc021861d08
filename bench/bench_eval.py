"""Retrieval and abstention quality on the question sets of bench/eval over ../shared/corpora.

Imports the BBC football articles (dir source) and the gossip items (through the JSONL import,
converted by gossip_to_jsonl.py) into a temporary index, then prints `transferdesk eval` figures
for the dense, lexical and hybrid retrievers on each set: questions.jsonl (the development set),
holdout.jsonl and blind*.jsonl (written later by sessions that never ran the system), and
off_topic.jsonl (questions the news cannot answer); see bench/eval/README.md.

    python bench/bench_eval.py [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
EVAL_DIR = REPO / "bench" / "eval"


def _blind_number(path: Path) -> int:
    return int(path.stem.removeprefix("blind") or 1)


QUESTION_SETS = [
    EVAL_DIR / f"{name}.jsonl" for name in ("questions", "holdout", "off_topic")
] + sorted(EVAL_DIR.glob("blind*.jsonl"), key=_blind_number)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not (CORPORA / "bbc-football").is_dir():
        print(f"corpora not found under {CORPORA}; skipped")
        return 0
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "bench"))
    from gossip_to_jsonl import DEFAULT_CSV, records

    from bot.commands import Engine
    from bot.config import load_settings
    from bot.evaluate import evaluate, load_questions, scores_text

    with tempfile.TemporaryDirectory(prefix="transferdesk-eval-") as folder:
        gossip = Path(folder) / "gossip.jsonl"
        gossip.write_text("".join(json.dumps(r) + "\n" for r in records(DEFAULT_CSV)))
        engine = Engine(load_settings(data_dir=str(Path(folder) / "data")))
        engine.add_source(str(CORPORA / "bbc-football"), "dir", "bbc-football")
        engine.add_source(str(gossip), "jsonl", "gossip")
        started = time.perf_counter()
        report = engine.reindex()
        print(
            f"indexed {report.added} articles, {report.chunks_embedded} chunks "
            f"in {time.perf_counter() - started:.1f} s"
        )
        figures = {}
        for path in QUESTION_SETS:
            scores = evaluate(engine, load_questions(path))
            print(f"\n{path.name}\n{scores_text(scores)}")
            figures[path.name] = [asdict(s) for s in scores]
        engine.close()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
