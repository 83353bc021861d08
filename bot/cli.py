"""`transferdesk`: the command line. Parses arguments, calls `bot.commands`, prints results."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from index.errors import TransferDeskError
from index.sources import KINDS

log = logging.getLogger("transferdesk")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="transferdesk",
        description="Answers football transfer questions from the news, with cited sources.",
    )
    parser.add_argument(
        "--config", metavar="FILE", help="TOML config (default: $TRANSFERDESK_CONFIG)"
    )
    parser.add_argument("--data-dir", metavar="DIR", help="where the index lives (default: ./data)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    sources = commands.add_parser("sources", help="add, list or remove sources of articles")
    source_commands = sources.add_subparsers(
        dest="sources_command", metavar="ACTION", required=True
    )
    add = source_commands.add_parser(
        "add", help="add a folder, a JSONL file, a feed URL or a page URL"
    )
    add.add_argument("location", metavar="PATH_OR_URL")
    add.add_argument("--kind", choices=KINDS, help="default: guessed from the path or response")
    add.add_argument("--name", help="default: the folder or file name, or the URL")
    add.add_argument("--outlet", help="outlet name for articles that do not give one")
    add.add_argument(
        "--tier",
        type=int,
        choices=range(1, 5),
        metavar="1-4",
        help="reliability, 1 = most reliable",
    )
    listing = source_commands.add_parser("list", help="list sources")
    listing.add_argument("--json", action="store_true")
    remove = source_commands.add_parser("remove", help="remove a source and its articles")
    remove.add_argument("source_id", metavar="ID", type=int)

    reindex = commands.add_parser("reindex", help="bring the index up to date with the sources")
    reindex.add_argument("--full", action="store_true", help="re-embed everything")
    reindex.add_argument("--source", type=int, metavar="ID", help="refresh only this source")
    reindex.add_argument(
        "--watch",
        action="store_true",
        help="keep running: refresh every refresh.interval_minutes until Ctrl-C",
    )

    ask = commands.add_parser("ask", help="answer a question with cited sources")
    ask.add_argument(
        "question", metavar="QUESTION", help="the question, or - to read one per line from stdin"
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("-k", type=int, metavar="N", help="passages to retrieve")

    rumours = commands.add_parser("rumours", help="the latest reports, newest first")
    rumours.add_argument("--about", metavar="TEXT", help="only reports mentioning TEXT")
    rumours.add_argument("--limit", type=int, default=10, metavar="N")
    rumours.add_argument("--json", action="store_true")

    timeline = commands.add_parser(
        "timeline", help="dated reports about a player or club with their status, newest first"
    )
    timeline.add_argument("subject", metavar="PLAYER_OR_CLUB")
    timeline.add_argument("--limit", type=int, default=20, metavar="N")
    timeline.add_argument("--json", action="store_true")

    commands.add_parser(
        "repair",
        help="check the database, the vector file and the lexical index and repair them "
        "(stop the bot first)",
        description="Checks the article database (SQLite integrity check), the vector file and "
        "the lexical index against the stored chunks: drops vectors and lexical entries of "
        "deleted chunks, embeds and indexes chunks that have none, rebuilds a damaged vector "
        "file or lexical index (whose files are read in full to check their checksums). A "
        "damaged database is moved aside (kept) and what can still be read is copied into a "
        "new one.",
    )
    stats = commands.add_parser("stats", help="what the index holds")
    stats.add_argument("--json", action="store_true")

    evaluation = commands.add_parser(
        "eval", help="retrieval and abstention quality on a question set, per retriever"
    )
    evaluation.add_argument("questions", metavar="QUESTIONS.jsonl", type=Path)
    evaluation.add_argument("--json", action="store_true")
    evaluation.add_argument(
        "--misses",
        action="store_true",
        help="also list the questions the hybrid retriever got wrong, and how",
    )

    commands.add_parser("chat", help="talk to the bot in the terminal (no Discord token needed)")
    commands.add_parser("run", help="run the Discord bot (token from $DISCORD_TOKEN)")
    feedback = commands.add_parser("feedback", help="answers members voted on, with their votes")
    feedback.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _configure_logging(args.verbose)
    from bot.commands import Engine  # after parsing, so --help answers at once
    from bot.config import load_settings

    try:
        settings = load_settings(args.config, args.data_dir)
        if args.command == "repair":  # opens the index itself: it must cope with a damaged one
            return _repair(settings)
        engine = Engine(settings)
    except TransferDeskError as error:
        return _fail(error)
    except KeyboardInterrupt:
        print("interrupted; everything committed so far is kept", file=sys.stderr)
        return 130
    try:
        return HANDLERS[args.command](engine, args)
    except TransferDeskError as error:
        return _fail(error)
    except KeyboardInterrupt:
        print("interrupted; everything committed so far is kept", file=sys.stderr)
        return 130
    finally:
        engine.close()


def _fail(error: TransferDeskError) -> int:
    log.debug("error", exc_info=error)
    print(f"transferdesk: {error}", file=sys.stderr)
    return 1


def _sources(engine, args) -> int:
    from bot import render

    if args.sources_command == "add":
        source = engine.add_source(args.location, args.kind, args.name, args.outlet, args.tier)
        print(f"added source #{source.id} {source.name} [{source.kind}] {source.location}")
        print("run `transferdesk reindex` to index it")
    elif args.sources_command == "list":
        sources = engine.list_sources()
        print(
            json.dumps(render.sources_json(sources)) if args.json else render.sources_text(sources)
        )
    else:
        source = engine.remove_source(args.source_id)
        print(f"removed source #{source.id} {source.name} and its {source.article_count} articles")
    return 0


def _reindex(engine, args) -> int:
    from bot import render
    from bot.progress_bar import TerminalProgress

    def run_once():
        return engine.reindex(full=args.full, source_id=args.source, progress=TerminalProgress())

    if not args.watch:
        print(render.report_text(run_once()))
        return 0
    return _watch(engine, run_once)


def _watch(engine, run_once) -> int:
    import asyncio
    from datetime import datetime

    from bot import render
    from bot.refresh import RefreshScheduler

    minutes = engine.settings.refresh.interval_minutes
    if minutes <= 0:
        raise TransferDeskError("refresh.interval_minutes is 0 (off); set it to use --watch")

    def show(report) -> None:
        print(f"[{datetime.now():%Y-%m-%d %H:%M:%S}] {render.report_text(report)}", flush=True)

    print(f"refreshing every {minutes:g} minutes; Ctrl-C to stop", flush=True)
    asyncio.run(RefreshScheduler(run_once, minutes * 60, on_report=show).run_forever())
    return 0


def _ask(engine, args) -> int:
    from bot import render

    questions = _stdin_questions(sys.stdin) if args.question == "-" else iter([args.question])
    failures = 0
    for question, result in engine.ask_many(questions, args.k):
        if isinstance(result, TransferDeskError):
            failures += 1
            print(f"transferdesk: {result}", file=sys.stderr)
            if args.json:
                print(json.dumps({"question": question, "error": str(result)}), flush=True)
        elif args.json:
            print(json.dumps(render.answer_json(result), ensure_ascii=False), flush=True)
        elif args.question == "-":  # several answers: head each with its question
            print(f"> {result.question}\n{render.answer_text(result)}\n", flush=True)
        else:
            print(render.answer_text(result), flush=True)
    return 1 if failures else 0


def _stdin_questions(stream: TextIO) -> Iterator[str]:
    for line in stream:
        if line.strip():
            yield line


def _rumours(engine, args) -> int:
    from bot import render

    reports = engine.rumours(args.about, args.limit)
    return _print_reports(reports, args.json, lambda: render.rumours_text(reports, args.about))


def _timeline(engine, args) -> int:
    from bot import render

    reports = engine.timeline(args.subject, args.limit)
    return _print_reports(reports, args.json, lambda: render.timeline_text(reports, args.subject))


def _print_reports(reports, as_json: bool, as_text: Callable[[], str]) -> int:
    from bot import render

    print(json.dumps(render.rumours_json(reports)) if as_json else as_text())
    return 0


def _stats(engine, args) -> int:
    from bot import render

    stats = engine.stats()
    print(json.dumps(render.stats_json(stats)) if args.json else render.stats_text(stats))
    return 0


def _repair(settings) -> int:
    from bot.progress_bar import TerminalProgress
    from index.embed import Embedder
    from index.repair import repair

    embedding = settings.embedding
    embedder = Embedder(embedding.model, embedding.batch_size, embedding.device)
    report = repair(settings.data_dir, embedder, settings.index_settings, TerminalProgress())
    print(_repair_text(report))
    return 0


def _repair_text(report) -> str:
    lines = []
    if report.database_problem:
        rescue = report.rescue
        copied = ", ".join(f"{count} {table}" for table, count in rescue.rows.items())
        lines.append(f"database: damaged ({report.database_problem})")
        lines.append(f"  rescued into a new database: {copied or 'nothing could be read'}")
        if rescue.damaged_tables:
            lost = ", ".join(rescue.damaged_tables)
            lines.append(
                f"  some rows of {lost} could not be read: run `transferdesk reindex` to fetch "
                "again what the sources still have"
            )
        lines.append(f"  the damaged file is kept as {rescue.damaged_copy}")
    else:
        lines.append("database: ok (integrity check passed)")
    if report.vector_file_problem:
        lines.append(f"vector file: {report.vector_file_problem}; rebuilt from the stored text")
    if report.half_written_removed:
        lines.append("removed a half-written vector file left by an interrupted save")
    if report.articles_rechunked:
        lines.append(f"articles without chunks, chunked again: {report.articles_rechunked}")
    if report.vectors_dropped:
        lines.append(f"vectors of deleted chunks, dropped: {report.vectors_dropped}")
    if report.vectors_embedded:
        lines.append(f"chunks without a vector, embedded: {report.vectors_embedded}")
    if report.lexical_problem:
        lines.append(f"lexical index: {report.lexical_problem}; rebuilt from the stored text")
    else:
        if report.lexical_removed:
            lines.append(f"lexical entries of deleted chunks, removed: {report.lexical_removed}")
        if report.lexical_added:
            lines.append(f"chunks missing from the lexical index, added: {report.lexical_added}")
    totals = report.totals
    state = "repaired" if report.changed else "nothing to repair"
    lines.append(
        f"{state}: {totals['articles']} articles, {totals['chunks']} chunks, "
        f"{totals['vectors']} vectors"
    )
    return "\n".join(lines)


def _chat(engine, args) -> int:
    from bot.chat import run_chat

    return run_chat(engine, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())


def _run(engine, args) -> int:
    from bot.discord_app.runner import run_bot

    return run_bot(engine, engine.settings)


def _feedback(engine, args) -> int:
    from dataclasses import asdict

    from bot.discord_app.state import BotState

    state = BotState(engine.index.store.path)
    try:
        records = state.feedback()
    finally:
        state.close()
    if args.json:
        print(json.dumps([asdict(r) for r in records], ensure_ascii=False))
        return 0
    if not records:
        print("No votes yet.")
    for r in records:
        print(f"+{r.up} -{r.down}  {r.question}\n    {r.answer}")
    return 0


def _eval(engine, args) -> int:
    from dataclasses import asdict

    from bot.evaluate import evaluate, load_questions, misses_text, scores_text

    misses: list = []
    scores = evaluate(engine, load_questions(args.questions), misses=misses)
    if args.json:
        figures = [asdict(s) for s in scores]
        wrong = [asdict(m) for m in misses]
        print(json.dumps({"scores": figures, "misses": wrong} if args.misses else figures))
    else:
        print(scores_text(scores))
        if args.misses:
            print(f"\n{misses_text(misses)}")
    return 0


HANDLERS: dict[str, Callable[..., int]] = {
    "eval": _eval,
    "chat": _chat,
    "run": _run,
    "feedback": _feedback,
    "sources": _sources,
    "reindex": _reindex,
    "ask": _ask,
    "rumours": _rumours,
    "timeline": _timeline,
    "stats": _stats,
}


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("transferdesk: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    for name in ("index", "bot", "transferdesk"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.WARNING)
