"""Plain-text and JSON renderings of the engine's records, for the CLI and the terminal chat."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from bot.answer import Answer, Citation
from bot.reports import Report
from bot.transfer_status import Status
from index.models import IndexStats, ReindexReport, SourceRecord


def citation_line(citation: Citation) -> str:
    """`[n] title — outlet (tier 2), date, status — url`, leaving out what is not known."""
    details = ", ".join(
        part
        for part in (
            outlet_label(citation.outlet, citation.tier),
            _date(citation.published),
            _status_unless_plain(citation),
        )
        if part
    )
    parts = [f"[{citation.n}] {citation.title}", details, citation.url or ""]
    return " — ".join(part for part in parts if part)


def outlet_label(outlet: str | None, tier: int | None) -> str | None:
    if outlet and tier:
        return f"{outlet} (tier {tier})"
    return outlet or (f"tier {tier}" if tier else None)


def answer_text(answer: Answer) -> str:
    if not answer.citations:
        return answer.text
    lines = [answer.text, "", answer.summary, "", "Sources:"]
    lines += [citation_line(c) for c in answer.citations]
    return "\n".join(lines)


def answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "summary": answer.summary,
        "citations": [
            {
                "n": c.n,
                "title": c.title,
                "url": c.url,
                "outlet": c.outlet,
                "published": _date(c.published),
                "tier": c.tier,
                "status": c.status.value,
                "status_cue": c.reading.cue,
                "quote": c.quote,
            }
            for c in answer.citations
        ],
    }


def rumours_text(items: list[Report], about: str | None) -> str:
    if not items:
        return (
            f"No reports about {about!r} in the index."
            if about
            else "The index has no articles yet."
        )
    blocks = []
    for item in items:
        heading = " — ".join(
            p
            for p in (
                _date(item.published) or "undated",
                outlet_label(item.outlet, item.tier),
                item.reading.status.value,
            )
            if p
        )
        lines = [f"{heading}: {item.title}", f"  {item.lead}"]
        if item.url:
            lines.append(f"  {item.url}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def timeline_text(items: list[Report], subject: str) -> str:
    """One line per dated report, newest first: date, status, outlet, the sentence naming it."""
    if not items:
        return f"No dated reports about {subject!r} in the index."
    width = max(len(item.reading.status.value) for item in items)
    lines = [f"Reports about {subject}, newest first:"]
    for item in items:
        outlet = outlet_label(item.outlet, item.tier) or "unknown outlet"
        lines.append(
            f"{_date(item.published)}  {item.reading.status.value:<{width}}  {outlet}: {item.lead}"
        )
    return "\n".join(lines)


def rumours_json(items: list[Report]) -> list[dict[str, Any]]:
    return [
        {
            "title": item.title,
            "url": item.url,
            "outlet": item.outlet,
            "tier": item.tier,
            "published": _date(item.published),
            "status": item.reading.status.value,
            "status_cue": item.reading.cue,
            "lead": item.lead,
        }
        for item in items
    ]


def sources_text(sources: list[SourceRecord]) -> str:
    if not sources:
        return "No sources yet. Add one with `transferdesk sources add PATH_OR_URL`."
    return "\n".join(_source_lines(s) for s in sources)


def _source_lines(s: SourceRecord) -> str:
    labels = [s.kind] + [f"tier {s.tier}"] * (s.tier is not None) + [s.outlet] * bool(s.outlet)
    status = f"last read {s.last_indexed}" if s.last_indexed else "not read yet"
    lines = [
        f"#{s.id} {s.name} [{', '.join(labels)}] {s.location}",
        f"    {s.article_count} articles, {status}",
    ]
    if s.last_error:
        failures = f"{s.failures} failure{'s' * (s.failures != 1)} in a row"
        lines.append(f"    last error ({failures}, {s.last_failure}): {s.last_error}")
    return "\n".join(lines)


def sources_json(sources: list[SourceRecord]) -> list[dict[str, Any]]:
    return [asdict(s) for s in sources]


def report_text(report: ReindexReport) -> str:
    lines = [f"warning: {problem}" for problem in report.problems]
    summary = (
        f"added {report.added}, updated {report.updated}, removed {report.removed}, "
        f"unchanged {report.unchanged}; embedded {report.chunks_embedded} chunks"
    )
    if report.vectors_repaired:
        summary += f", repaired {report.vectors_repaired} vectors"
    if report.lexical_repaired:
        summary += f", repaired {report.lexical_repaired} lexical index entries"
    lines.append(f"{summary} in {report.seconds:.1f} s")
    return "\n".join(lines)


def stats_json(stats: IndexStats) -> dict[str, Any]:
    values = asdict(stats)
    values["newest_article"] = _date(stats.newest_article)
    return values


def stats_text(stats: IndexStats) -> str:
    return "\n".join(
        [
            f"articles: {stats.articles}",
            f"chunks:   {stats.chunks} ({stats.vectors} vectors)",
            f"sources:  {stats.sources}"
            + (
                f" ({stats.failing_sources} failing: see `sources list`)"
                if stats.failing_sources
                else ""
            ),
            f"model:    {stats.model or 'none yet'}"
            + (f" ({stats.dimension} dimensions)" if stats.dimension else ""),
            f"newest:   {_date(stats.newest_article) or '-'}",
            f"reindexed: {stats.last_reindex or 'never'}",
            f"on disk:  {_megabytes(stats.db_bytes + stats.index_bytes)} in {stats.data_dir}",
        ]
    )


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _status_unless_plain(citation: Citation) -> str | None:
    """A citation names its status only when the report says more than a plain rumour."""
    return None if citation.status is Status.RUMOUR else citation.status.value
