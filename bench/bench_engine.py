"""Engine benchmark: reindex throughput, no-change reindex and `ask` latency, beside their floors.

Floors are measured in the same run on the same data: the raw `model.encode` throughput on the
very chunks the reindex embedded, and query encode + FAISS search for the same questions.

    python bench/bench_engine.py [--corpus DIR] [--repeat N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "bbc-football"

# Questions a fan might ask about the 2004-05 BBC Sport articles.
QUESTIONS = [
    "Is Wenger signing a new contract at Arsenal?",
    "Why did Chelsea sack Adrian Mutu?",
    "Who replaced Santini at Tottenham?",
    "Is Steven Gerrard leaving Liverpool?",
    "What happened in the Ashley Cole tapping-up affair?",
    "Who won the Carling Cup final?",
    "Is Rooney happy at Manchester United?",
    "Did Newcastle sign a striker in January?",
    "Who is the new Wolves manager?",
    "What did Mourinho say about the referee?",
    "Is Michael Owen coming back to the Premier League?",
    "Which club did Jermain Defoe join?",
    "Is Patrick Vieira moving to Real Madrid?",
    "What is the latest on Glazer's takeover of Manchester United?",
    "Who will manage Southampton?",
    "Is Souness under pressure at Newcastle?",
    "What did Ferguson say about Ronaldo?",
    "Has Celtic signed a new player?",
    "Who is the England captain?",
    "Is Robben injured?",
    # Typed as in Discord: capitals are read from the news (bot/true_case.py).
    "is gerrard leaving liverpool for chelsea?",
    "who replaced santini at spurs?",
    "is vieira off to real madrid?",
    "Is Mourinho Happy At Chelsea?",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the questions")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus} (it lives in ../shared beside the repo); skipped")
        return 0

    sys.path.insert(0, str(REPO))
    from bot.commands import Engine
    from bot.config import load_settings
    from index.chunk import text_for_embedding

    with tempfile.TemporaryDirectory(prefix="transferdesk-bench-") as data_dir:
        engine = Engine(load_settings(data_dir=data_dir))
        started = time.perf_counter()
        engine.embedder.encode(["warm-up"])  # load the model outside the timings
        model_load_s = time.perf_counter() - started

        engine.add_source(str(args.corpus), "dir", "bbc-football")
        started = time.perf_counter()
        report = engine.reindex()
        reindex_s = time.perf_counter() - started
        articles, chunks, _ = engine.index.store.counts()

        stored = engine.index.store.chunks_for_embedding(engine.index.store.chunk_ids().tolist())
        texts = [text_for_embedding(c.header, c.text) for c in stored]
        started = time.perf_counter()
        engine.embedder.model.encode(
            texts, batch_size=engine.embedder.batch_size, normalize_embeddings=True
        )
        raw_encode_s = time.perf_counter() - started

        started = time.perf_counter()
        unchanged = engine.reindex()
        no_change_s = time.perf_counter() - started
        assert unchanged.chunks_embedded == 0, "a no-change reindex embedded chunks"

        ask_ms, floor_ms = [], []
        vectors = engine.index.vectors()
        top_k = engine.settings.retrieval.top_k
        for question in QUESTIONS:  # warm-up pass
            engine.ask(question)
        for _ in range(args.repeat):
            for question in QUESTIONS:
                started = time.perf_counter()
                vectors.search(engine.embedder.encode_one(question), top_k)
                floor_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                engine.ask(question)
                ask_ms.append((time.perf_counter() - started) * 1000)
        engine.close()

    figures = {
        "corpus": str(args.corpus),
        "articles": articles,
        "chunks": chunks,
        "model_load_s": round(model_load_s, 2),
        "reindex_s": round(reindex_s, 2),
        "reindex_chunks_per_s": round(report.chunks_embedded / reindex_s, 1),
        "raw_encode_chunks_per_s": round(len(texts) / raw_encode_s, 1),
        "reindex_vs_raw_encode": round(
            (report.chunks_embedded / reindex_s) / (len(texts) / raw_encode_s), 3
        ),
        "no_change_reindex_s": round(no_change_s, 3),
        "ask_ms_p50": round(statistics.median(ask_ms), 1),
        "ask_ms_p95": round(percentile(ask_ms, 0.95), 1),
        "floor_ms_p50": round(statistics.median(floor_ms), 1),
        "floor_ms_p95": round(percentile(floor_ms, 0.95), 1),
        "questions_timed": len(ask_ms),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    print_figures(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


def print_figures(f: dict) -> None:
    print(f"corpus: {f['corpus']} ({f['articles']} articles, {f['chunks']} chunks)")
    print(f"model load:            {f['model_load_s']:8.2f} s")
    print(
        f"reindex (cold):        {f['reindex_s']:8.2f} s  {f['reindex_chunks_per_s']:8.1f} chunks/s"
    )
    print(f"raw model.encode:      {'':8}    {f['raw_encode_chunks_per_s']:8.1f} chunks/s (floor)")
    print(f"reindex / floor:       {f['reindex_vs_raw_encode']:8.3f}")
    print(f"no-change reindex:     {f['no_change_reindex_s']:8.3f} s")
    print(
        f"ask latency:           p50 {f['ask_ms_p50']:7.1f} ms  p95 {f['ask_ms_p95']:7.1f} ms"
        f"  ({f['questions_timed']} questions)"
    )
    print(
        f"floor (encode+search): p50 {f['floor_ms_p50']:7.1f} ms  p95 {f['floor_ms_p95']:7.1f} ms"
    )
    print(f"peak RSS:              {f['peak_rss_mb']:8.1f} MB")


if __name__ == "__main__":
    raise SystemExit(main())
