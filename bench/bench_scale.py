"""Scale benchmark: the vector index (flat and approximate) and BM25 search at 10k-1M chunks.

For each size it reports build time, single-query latency p50/p95, recall@10 of the approximate
index against the flat one on the same queries, peak RSS and size on disk, beside the floor of
issue 6: recall@10 >= 0.95 and p95 < 50 ms at 1M chunks, excluding the question's embedding.

Every measurement runs in its own subprocess, so one size's memory cannot inflate another's
peak RSS: `build` (makes both vector files), `serve-flat` and `serve-ivf` (load one file and
answer the queries: what a running bot holds), `lexical-build` (writes the chunks through
`Store` and the lexical index as a reindex does) and `lexical-serve` (opens them and answers
the queries as retrieval does; and, up to `--fts5-up-to` chunks, the same queries through the
SQLite FTS5 table that lexical search used before, for comparison).

Vectors are synthetic but shaped like all-MiniLM-L6-v2 chunk embeddings: a shared direction,
200 themes, stories of ~20 chunks, articles of ~4 chunks, and noise, with weights fitted so the
mean cosine of a chunk to its 1st..10th neighbour (0.76..0.57) and of two random chunks (0.29)
are close to those of the real model on the BBC corpus (0.73..0.54 and 0.29). Queries are new
articles in existing stories; their top 10 is flatter than real questions' (0.61..0.55 against
0.65..0.52), which makes approximate search harder, not easier. Uniform random 384-d vectors
would be a pessimal case that no news index resembles.

Chunk texts are real sentences of the BBC football corpus, recombined at random into chunks of
~120 words, 5 chunks an article; queries are the fan questions of `bench_engine.py` plus
questions made of words drawn from corpus sentences.

    python bench/bench_scale.py [--sizes 10k,100k,1m] [--parts vectors,lexical]
                                [--queries 300] [--fts5-up-to 100k] [--workdir DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "bbc-football"
DIMENSION = 384
TARGET_RECALL = 0.95
TARGET_P95_MS = 50.0
TARGET_SIZE = 1_000_000
K = 50  # what hybrid retrieval asks each retriever for (retrieval.candidates)
# Weights of: shared direction, theme, story, article, noise (fitted as the docstring says).
WEIGHTS = (0.85, 0.6, 0.6, 0.7, 0.8)
THEMES = 200
CHUNKS_PER_STORY = 20
CHUNKS_PER_ARTICLE = 4


# --- helpers -----------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def label(size: int) -> str:
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1000}k"


def timed_queries(run, queries) -> tuple[list[float], list]:
    for query in queries[:20]:  # warm-up: page cache, lazy allocations
        run(query)
    latencies, results = [], []
    for query in queries:
        started = time.perf_counter()
        results.append(run(query))
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies, results


def latency_figures(latencies: list[float]) -> dict:
    return {
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "queries": len(latencies),
    }


def cpu_figures(wall_started: float, cpu_started: float) -> dict:
    wall = time.perf_counter() - wall_started
    cpu = time.process_time() - cpu_started
    return {"wall_s": wall, "cpu_s": cpu, "load_avg_1m": os.getloadavg()[0]}


# --- synthetic vectors -------------------------------------------------------------------------
def _unit(array: np.ndarray) -> np.ndarray:
    return array / np.linalg.norm(array, axis=-1, keepdims=True)


def _random_units(rng: np.random.Generator, rows: int) -> np.ndarray:
    return _unit(rng.standard_normal((rows, DIMENSION), dtype=np.float32))


def synthetic_vectors(size: int, queries: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """`size` chunk vectors (ids 1..size, an article's chunks adjacent) and `queries` queries."""
    shared, theme_w, story_w, article_w, noise_w = WEIGHTS
    rng = np.random.default_rng(seed)
    direction = _random_units(rng, 1)[0]
    themes = _random_units(rng, THEMES)
    stories = max(1, size // CHUNKS_PER_STORY)
    articles = max(1, size // CHUNKS_PER_ARTICLE)
    story_theme = rng.integers(0, THEMES, stories)
    story_vectors = _random_units(rng, stories)
    article_story = rng.integers(0, stories, articles)
    article_vectors = _random_units(rng, articles)
    chunk_article = np.sort(rng.integers(0, articles, size))
    vectors = np.empty((size, DIMENSION), dtype=np.float32)
    for start in range(0, size, 100_000):
        article = chunk_article[start : start + 100_000]
        story = article_story[article]
        vectors[start : start + len(article)] = _unit(
            shared * direction
            + theme_w * themes[story_theme[story]]
            + story_w * story_vectors[story]
            + article_w * article_vectors[article]
            + noise_w * _random_units(rng, len(article))
        )
    story = rng.integers(0, stories, queries)
    asked = _unit(
        shared * direction
        + theme_w * themes[story_theme[story]]
        + story_w * story_vectors[story]
        + article_w * _random_units(rng, queries)
        + noise_w * _random_units(rng, queries)
    )
    return vectors, asked.astype(np.float32)


# --- children: vectors -------------------------------------------------------------------------
def child_build(size: int, queries: int, workdir: Path) -> dict:
    """Build the flat file, then switch it to the approximate layout (as `save` does)."""
    from index.vectors import VectorIndex

    started = time.perf_counter()
    vectors, asked = synthetic_vectors(size, queries)
    np.save(workdir / "queries.npy", asked)
    generated_s = time.perf_counter() - started
    wall, cpu = time.perf_counter(), time.process_time()
    index = VectorIndex(workdir / "flat.faiss", DIMENSION, approximate_above=0)
    started = time.perf_counter()
    for start in range(0, size, 256):  # the reindex adds one embedding batch at a time
        index.add(np.arange(start + 1, min(size, start + 256) + 1), vectors[start : start + 256])
    flat_build_s = time.perf_counter() - started
    del vectors
    started = time.perf_counter()
    index.save()
    flat_save_s = time.perf_counter() - started
    flat_bytes = index.file_size()
    index.path = workdir / "ivf.faiss"
    index.approximate_above = size - 1  # the size has just crossed the threshold
    started = time.perf_counter()
    index.rebuild()
    switch_s = time.perf_counter() - started
    started = time.perf_counter()
    index.save()
    ivf_save_s = time.perf_counter() - started
    return {
        "generate_s": generated_s,
        "flat_build_s": flat_build_s,
        "flat_bytes": flat_bytes,
        "flat_save_s": flat_save_s,
        "ivf_build_s": switch_s,
        "ivf_bytes": index.file_size(),
        "ivf_save_s": ivf_save_s,
        "ivf_layout": index.describe(),
        "ivf_tuning_recall": index.estimated_recall,
        "build_peak_rss_mb": peak_rss_mb(),
        **cpu_figures(wall, cpu),
    }


def child_serve(kind: str, workdir: Path) -> dict:
    """Load one vector file and answer the queries one at a time, as the bot does."""
    from index.vectors import VectorIndex

    baseline_mb = peak_rss_mb()
    asked = np.load(workdir / "queries.npy")
    wall, cpu = time.perf_counter(), time.process_time()
    started = time.perf_counter()
    index, problem = VectorIndex.load(workdir / f"{kind}.faiss", DIMENSION, approximate_above=0)
    if problem:
        raise SystemExit(problem)
    load_s = time.perf_counter() - started
    latencies, results = timed_queries(lambda query: index.search(query, K), asked)
    top10 = np.array([[chunk_id for chunk_id, _ in found[:10]] for found in results])
    figures = {"load_s": load_s, **latency_figures(latencies), "layout": index.describe()}
    if kind == "flat":
        np.save(workdir / "flat_top10.npy", top10)
    else:
        exact = np.load(workdir / "flat_top10.npy")
        hits = sum(len(np.intersect1d(a, b)) for a, b in zip(top10, exact, strict=True))
        figures["recall_at_10"] = hits / exact.size
    probe = [int(i) for i in top10[0]]
    started = time.perf_counter()
    for query in asked[:100]:
        index.similarities(query, probe)  # hybrid: cosines of chunks only BM25 found
    figures["similarities_10_ms"] = (time.perf_counter() - started) * 10
    figures |= {"peak_rss_mb": peak_rss_mb(), "baseline_rss_mb": baseline_mb}
    return figures | cpu_figures(wall, cpu)


# --- children: lexical -------------------------------------------------------------------------
def corpus_sentences(corpus: Path) -> tuple[list[str], list[str]]:
    """The corpus's titles and its sentences of 6+ words."""
    from index.text import split_sentences

    titles, sentences = [], []
    for path in sorted(corpus.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").strip().partition("\n")
        titles.append(title.strip())
        sentences += [s for s in split_sentences(body) if len(s.split()) >= 6]
    return titles, sentences


def synthetic_articles(size: int, corpus: Path, seed: int = 2):
    """Yield (title, chunk texts) until `size` chunks: real sentences recombined."""
    titles, sentences = corpus_sentences(corpus)
    counts = [len(s.split()) for s in sentences]
    rng = random.Random(seed)
    made = 0
    while made < size:
        chunks = []
        for _ in range(min(5, size - made)):
            picked, words = [], 0
            while words < 110:
                choice = rng.randrange(len(sentences))
                picked.append(sentences[choice])
                words += counts[choice]
            chunks.append(" ".join(picked))
        made += len(chunks)
        yield f"{rng.choice(titles)} ({made})", chunks


def lexical_questions(corpus: Path, count: int, seed: int = 3) -> list[str]:
    """The bench_engine questions, then questions of 3-6 words from corpus sentences."""
    from bench_engine import QUESTIONS

    from index.text import query_terms

    _, sentences = corpus_sentences(corpus)
    rng = random.Random(seed)
    questions = list(QUESTIONS)
    while len(questions) < count:
        terms = query_terms(rng.choice(sentences))
        if len(terms) >= 3:
            questions.append(" ".join(rng.sample(terms, min(len(terms), rng.randint(3, 6)))))
    return questions[:count]


def child_lexical_build(size: int, workdir: Path, corpus: Path) -> dict:
    """Write `size` chunks as a reindex does: each batch committed to SQLite (whose FTS5 table
    still serves the `about` filter), then to the lexical index; the writer's merges awaited."""
    from index.lexical import LexicalIndex, folder_size
    from index.library import IndexSettings
    from index.models import Article
    from index.store import ArticleWrite, Store

    wall, cpu = time.perf_counter(), time.process_time()
    store = Store(workdir / "lexical.db")
    lexical, _ = LexicalIndex.open(workdir / "lexical")
    source = store.add_source("jsonl", str(workdir / "bench.jsonl"), "bench")
    batch_chunks = IndexSettings().embed_batch_chunks  # a reindex commits one embedding batch
    sqlite_s = lexical_s = 0.0
    batch: list[ArticleWrite] = []

    def write() -> None:
        nonlocal sqlite_s, lexical_s
        started = time.perf_counter()
        replaced, created = store.write_articles(source.id, batch)
        written = time.perf_counter()
        lexical.replace(replaced, store.chunk_texts(created))
        sqlite_s += written - started
        lexical_s += time.perf_counter() - written
        batch.clear()

    for number, (title, chunks) in enumerate(synthetic_articles(size, corpus)):
        article = Article(f"bench:{number}", title, "\n\n".join(chunks))
        batch.append(ArticleWrite(article, None, chunks))
        if sum(len(pending.chunks) for pending in batch) >= batch_chunks:
            write()
    write()
    started = time.perf_counter()
    lexical.finish_writing()
    finish_s = time.perf_counter() - started
    store.close()  # the last connection to close checkpoints the WAL into the file
    return {
        "sqlite_write_s": sqlite_s,
        "lexical_write_s": lexical_s,
        "lexical_finish_s": finish_s,
        "batch_chunks": batch_chunks,
        "db_bytes": (workdir / "lexical.db").stat().st_size,
        "lexical_bytes": folder_size(workdir / "lexical"),
        "build_peak_rss_mb": peak_rss_mb(),
        **cpu_figures(wall, cpu),
    }


def child_lexical_serve(
    size: int, queries: int, workdir: Path, corpus: Path, fts5_up_to: int
) -> dict:
    """Open the store and the lexical index as a reader would, check that they agree (as an
    open does), and time the searches as retrieval makes them."""
    from index.lexical import LexicalIndex, differences
    from index.store import Store
    from index.text import query_terms

    baseline_mb = peak_rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    store = Store(workdir / "lexical.db")
    started = time.perf_counter()
    lexical, problem = LexicalIndex.open(workdir / "lexical", create=False)
    if problem:
        raise SystemExit(problem)
    figures = {"open_s": time.perf_counter() - started}
    started = time.perf_counter()
    assert lexical.fingerprint() == store.chunk_fingerprint()
    figures["fingerprint_ms"] = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    held = lexical.chunk_ids()
    figures["diff_lexical_ids_s"] = time.perf_counter() - started
    started = time.perf_counter()
    stored = store.chunk_ids()
    figures["diff_sqlite_ids_s"] = time.perf_counter() - started
    started = time.perf_counter()
    removed, added = differences(held, stored)
    assert len(removed) == len(added) == 0
    figures["diff_compare_s"] = time.perf_counter() - started
    figures["segments"] = lexical.segment_count()
    questions = lexical_questions(corpus, queries)
    latencies, results = timed_queries(
        lambda question: lexical.search(query_terms(question), K), questions
    )
    figures |= latency_figures(latencies)
    figures["empty_results"] = sum(1 for found in results if not found)
    figures["peak_rss_mb"] = peak_rss_mb()
    figures["baseline_rss_mb"] = baseline_mb
    if size <= fts5_up_to:
        fts5 = fts5_search(workdir / "lexical.db")
        fts5_latencies, fts5_results = timed_queries(lambda q: fts5(query_terms(q)), questions)
        figures["fts5"] = latency_figures(fts5_latencies)
        figures["fts5_overlap_at_10"] = overlap_at_10(fts5_results, results)
    store.close()
    return figures | cpu_figures(wall, cpu)


def fts5_search(path: Path):
    """BM25 over SQLite's FTS5 table, as `Store.lexical_search` did before the lexical index.
    FTS5 scores every row that matches any term, so common words dominate the cost."""
    import sqlite3

    from index.store import _fts_phrase

    conn = sqlite3.connect(path)

    def search(terms: list[str]) -> list[tuple[int, float]]:
        phrases = [phrase for term in terms if (phrase := _fts_phrase(term))]
        if not phrases:
            return []
        return conn.execute(
            "SELECT rowid, -bm25(chunks_fts) AS score FROM chunks_fts WHERE chunks_fts MATCH ? "
            "ORDER BY score DESC LIMIT ?",
            (" OR ".join(phrases), K),
        ).fetchall()

    return search


def overlap_at_10(first: list, second: list) -> float:
    """Share of each first search's top 10 that the second search also ranks in its top 10."""
    shared = total = 0
    for one, other in zip(first, second, strict=True):
        wanted = {row[0] for row in one[:10]}
        shared += len(wanted & {row[0] for row in other[:10]})
        total += len(wanted)
    return shared / total if total else 1.0


# --- parent ------------------------------------------------------------------------------------
def run_child(*args: str) -> dict:
    command = [sys.executable, __file__, "--child", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(size: int, args: argparse.Namespace) -> dict:
    figures: dict = {"size": size, "load_avg_1m_start": os.getloadavg()[0]}
    workdir = Path(tempfile.mkdtemp(prefix=f"scale-{label(size)}-", dir=args.workdir))
    try:
        common = ["--size", str(size), "--queries", str(args.queries), "--dir", str(workdir)]
        if "vectors" in args.parts:
            print(f"[{label(size)}] building vector files ...", flush=True)
            figures["build"] = run_child("build", *common)
            for kind in ("flat", "ivf"):
                print(f"[{label(size)}] serving {kind} ...", flush=True)
                figures[kind] = run_child(f"serve-{kind}", *common)
        if "lexical" in args.parts:
            corpus = ["--corpus", str(args.corpus)]
            print(f"[{label(size)}] writing chunks and the lexical index ...", flush=True)
            figures["lexical_build"] = run_child("lexical-build", *common, *corpus)
            print(f"[{label(size)}] searching the lexical index ...", flush=True)
            fts5 = ["--fts5-up-to", str(args.fts5_up_to)]
            figures["lexical"] = run_child("lexical-serve", *common, *corpus, *fts5)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    figures["load_avg_1m_end"] = os.getloadavg()[0]
    return figures


def verdict(size: int, p95: float, recall: float | None = None) -> str:
    if size < TARGET_SIZE:
        return ""
    ok = p95 < TARGET_P95_MS and (recall is None or recall >= TARGET_RECALL)
    return "meets floor" if ok else "MISSES floor"


def print_table(results: list[dict]) -> None:
    mb = 1024 * 1024
    print()
    print(
        f"{'size':>5} {'index':<32} {'build s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'recall@10':>9} {'peak RSS MB':>11} {'disk MB':>8}  vs floor"
    )
    for r in results:
        size = label(r["size"])
        if "build" in r:
            b, flat, ivf = r["build"], r["flat"], r["ivf"]
            print(
                f"{size:>5} {'faiss flat':<32} {b['flat_build_s']:>8.1f} {flat['p50_ms']:>7.2f} "
                f"{flat['p95_ms']:>7.2f} {'1 (exact)':>9} {flat['peak_rss_mb']:>11.0f} "
                f"{b['flat_bytes'] / mb:>8.0f}  {verdict(r['size'], flat['p95_ms'])}"
            )
            print(
                f"{size:>5} {'faiss ' + ivf['layout']:<32} {b['ivf_build_s']:>8.1f} "
                f"{ivf['p50_ms']:>7.2f} {ivf['p95_ms']:>7.2f} {ivf['recall_at_10']:>9.3f} "
                f"{ivf['peak_rss_mb']:>11.0f} {b['ivf_bytes'] / mb:>8.0f}  "
                f"{verdict(r['size'], ivf['p95_ms'], ivf['recall_at_10'])}"
            )
        if "lexical" in r:
            build, lex = r["lexical_build"], r["lexical"]
            lexical_build_s = build["lexical_write_s"] + build["lexical_finish_s"]
            print(
                f"{size:>5} {'tantivy bm25 (lexical index)':<32} {lexical_build_s:>8.1f} "
                f"{lex['p50_ms']:>7.2f} {lex['p95_ms']:>7.2f} {'-':>9} "
                f"{lex['peak_rss_mb']:>11.0f} {build['lexical_bytes'] / mb:>8.0f}  "
                f"{verdict(r['size'], lex['p95_ms'])}"
            )
            fts5 = lex.get("fts5")
            p50 = f"{fts5['p50_ms']:.2f}" if fts5 else "-"
            p95 = f"{fts5['p95_ms']:.2f}" if fts5 else "-"
            print(
                f"{size:>5} {'sqlite + fts5 (store writes)':<32} {build['sqlite_write_s']:>8.1f} "
                f"{p50:>7} {p95:>7} {'-':>9} {'':>11} {build['db_bytes'] / mb:>8.0f}"
            )
    print()
    for r in results:
        notes = [f"load avg {r['load_avg_1m_start']:.1f} -> {r['load_avg_1m_end']:.1f}"]
        if "build" in r:
            b = r["build"]
            notes.append(
                f"ivf tuning-sample recall {b['ivf_tuning_recall']:.3f}, "
                f"build child peak RSS {b['build_peak_rss_mb']:.0f} MB, "
                f"cpu/wall {b['cpu_s']:.0f}/{b['wall_s']:.0f} s"
            )
            notes.append(
                f"save (write + fsync) flat {b['flat_save_s']:.1f} s, ivf {b['ivf_save_s']:.1f} s; "
                f"load flat {r['flat']['load_s']:.1f} s, ivf {r['ivf']['load_s']:.1f} s"
            )
            notes.append(
                f"similarities() of 10 ids: flat {r['flat']['similarities_10_ms']:.3f} ms, "
                f"ivf {r['ivf']['similarities_10_ms']:.3f} ms; "
                f"process baseline RSS {r['flat']['baseline_rss_mb']:.0f} MB"
            )
        if "lexical" in r:
            build, lex = r["lexical_build"], r["lexical"]
            notes.append(
                f"lexical build cpu/wall {build['cpu_s']:.0f}/{build['wall_s']:.0f} s "
                f"({build['batch_chunks']} chunks a commit, merges awaited "
                f"{build['lexical_finish_s']:.1f} s, build child peak RSS "
                f"{build['build_peak_rss_mb']:.0f} MB), {lex['segments']} segments"
            )
            notes.append(
                f"open {lex['open_s'] * 1000:.0f} ms, fingerprint {lex['fingerprint_ms']:.1f} ms, "
                f"full diff {lex['diff_lexical_ids_s']:.2f} s (lexical ids) + "
                f"{lex['diff_sqlite_ids_s']:.2f} s (sqlite ids) + {lex['diff_compare_s']:.2f} s"
            )
            found = f"{lex['empty_results']} queries found nothing"
            if "fts5" in lex:
                found += f"; tantivy keeps {lex['fts5_overlap_at_10']:.2f} of fts5's top 10"
            notes.append(found)
        print(f"{label(r['size'])}: " + "; ".join(notes))
    print(
        f"floor (issue 6): at {label(TARGET_SIZE)} chunks recall@10 >= {TARGET_RECALL} and "
        f"p95 < {TARGET_P95_MS:.0f} ms per query, question embedding excluded; k = {K}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated, e.g. 10k,1m")
    parser.add_argument("--parts", default="vectors,lexical", help="vectors, lexical or both")
    parser.add_argument("--queries", type=int, default=300, help="single-query searches timed")
    parser.add_argument(
        "--fts5-up-to",
        type=parse_size,
        default=100_000,
        help="also time the old FTS5 search up to this many chunks (~1 s a query at 1m)",
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workdir", type=Path, help="where the files are built (default: /tmp)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_as_child(args)
    args.parts = {part.strip() for part in args.parts.split(",")}
    if "lexical" in args.parts and not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}; measuring the vector side only")
        args.parts.discard("lexical")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    started = time.perf_counter()
    results = [measure(parse_size(size), args) for size in args.sizes.split(",")]
    print_table(results)
    print(f"bench took {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def run_as_child(args: argparse.Namespace) -> int:
    if args.child == "build":
        figures = child_build(args.size, args.queries, args.dir)
    elif args.child.startswith("serve-"):
        figures = child_serve(args.child.removeprefix("serve-"), args.dir)
    elif args.child == "lexical-build":
        figures = child_lexical_build(args.size, args.dir, args.corpus)
    else:
        figures = child_lexical_serve(
            args.size, args.queries, args.dir, args.corpus, args.fts5_up_to
        )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
