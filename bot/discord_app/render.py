"""Engine records as Discord embeds, within Discord's limits, with article text made inert.

Article text is untrusted: markdown and mentions in it are escaped so a quote can neither break
the embed nor ping anyone (allowed_mentions is also none, globally).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import discord

from bot.answer import Answer, Citation
from bot.reports import Report
from bot.transfer_status import Status
from index.models import IndexStats, SourceRecord

EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
EMBED_TOTAL = 6000
MESSAGE_CONTENT = 2000
RUMOURS_PER_PAGE = 5
COLOUR = discord.Colour(0x1F8B4C)


def safe(text: str) -> str:
    """Text from an article, shown as plain text: no markdown, no mentions, no masked links."""
    text = discord.utils.escape_markdown(text)
    text = discord.utils.escape_mentions(text)
    return text.replace("](", "]\u200b(")


def clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.6 else cut) + "…"


def link(title: str, url: str | None) -> str:
    """A masked link for web URLs; other URLs (file://) are not clickable, so title only."""
    title = safe(title.replace("[", "(").replace("]", ")"))  # brackets would end the link text
    if url and url.startswith(("http://", "https://")):
        return f"[{title}]({quote(url, safe=':/?#[]@!$&*+,;=%-._~')})"
    return title


def citation_line(citation: Citation) -> str:
    details = ", ".join(
        p
        for p in (
            _outlet(citation.outlet, citation.tier),
            _date(citation.published),
            _status_unless_plain(citation),
        )
        if p
    )
    line = f"**[{citation.n}]** {link(clip(citation.title, 200), citation.url)}"
    return f"{line} — {details}" if details else line


def _outlet(outlet: str | None, tier: int | None) -> str | None:
    """Outlet name (escaped: it comes from the article) and tier: "Mirror (tier 3)"."""
    name = safe(outlet) if outlet else None
    if name and tier:
        return f"{name} (tier {tier})"
    return name or (f"tier {tier}" if tier else None)


def answer_embed(answer: Answer) -> discord.Embed:
    embed = discord.Embed(title=clip(answer.question, EMBED_TITLE), colour=COLOUR)
    sources = [citation_line(c) for c in answer.citations]
    sources_block = "\n\n**Sources**\n" + "\n".join(sources) if sources else ""
    while len(sources_block) > EMBED_DESCRIPTION // 2 and sources:
        sources.pop()  # keep the answer readable: fewer sources rather than a cut answer
        sources_block = "\n\n**Sources**\n" + "\n".join(sources)
    summary = f"\n\n*{safe(answer.summary)}*" if answer.summary else ""
    room = EMBED_DESCRIPTION - len(sources_block) - len(summary)
    embed.description = clip(safe(answer.text), room) + summary + sources_block
    footer = (
        "No matching reports."
        if answer.abstained
        else "Every sentence is quoted from the cited report."
    )
    embed.set_footer(text=footer)
    return fit(embed)


def fit(embed: discord.Embed) -> discord.Embed:
    """Trim an embed until it fits Discord's total limit: fields first, then the description."""
    while len(embed) > EMBED_TOTAL and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > EMBED_TOTAL and embed.description:
        over = len(embed) - EMBED_TOTAL
        embed.description = clip(embed.description, len(embed.description) - over - 1)
    return embed


def rumours_pages(items: list[Report], about: str | None) -> list[discord.Embed]:
    title = f"Latest reports about {clip(about, 200)}" if about else "Latest reports"
    if not items:
        text = (
            f"No reports about {safe(about)} in the index."
            if about
            else "The index has no articles yet."
        )
        return [discord.Embed(title=title, description=text, colour=COLOUR)]
    return _report_pages(items, title)


def timeline_pages(items: list[Report], subject: str) -> list[discord.Embed]:
    title = f"Timeline: {clip(subject, 200)}"
    if not items:
        text = f"No dated reports about {safe(subject)} in the index."
        return [discord.Embed(title=title, description=text, colour=COLOUR)]
    return _report_pages(items, title)


def _report_pages(items: list[Report], title: str) -> list[discord.Embed]:
    pages = []
    chunks = [items[i : i + RUMOURS_PER_PAGE] for i in range(0, len(items), RUMOURS_PER_PAGE)]
    for number, chunk in enumerate(chunks, start=1):
        embed = discord.Embed(title=title, colour=COLOUR)
        for item in chunk:
            parts = (
                _date(item.published) or "undated",
                _outlet(item.outlet, item.tier),
                item.reading.status.value,
            )
            heading = " · ".join(p for p in parts if p)
            value = f"{link(clip(item.title, 300), item.url)}\n{safe(clip(item.lead, 600))}"
            embed.add_field(
                name=clip(heading, FIELD_NAME), value=clip(value, FIELD_VALUE), inline=False
            )
        embed.set_footer(text=f"Page {number} of {len(chunks)} · newest first")
        pages.append(fit(embed))
    return pages


def status_embed(stats: IndexStats) -> discord.Embed:
    embed = discord.Embed(title="TransferDesk status", colour=COLOUR)
    embed.add_field(name="Articles", value=str(stats.articles))
    embed.add_field(name="Chunks", value=f"{stats.chunks} ({stats.vectors} vectors)")
    sources = str(stats.sources) + (
        f" ({stats.failing_sources} failing)" if stats.failing_sources else ""
    )
    embed.add_field(name="Sources", value=sources)
    embed.add_field(name="Last refresh", value=stats.last_reindex or "never")
    embed.add_field(name="Newest article", value=_date(stats.newest_article) or "-")
    embed.add_field(
        name="Index size", value=f"{(stats.db_bytes + stats.index_bytes) / 1_000_000:.1f} MB"
    )
    embed.add_field(name="Model", value=clip(stats.model or "none yet", FIELD_VALUE), inline=False)
    return embed


def sources_embed(sources: list[SourceRecord]) -> discord.Embed:
    embed = discord.Embed(title="Sources", colour=COLOUR)
    if not sources:
        embed.description = "No sources yet. Admins can add one with /sources add."
        return embed
    for source in sources[:EMBED_FIELDS]:
        labels = [source.kind] + ([f"tier {source.tier}"] if source.tier else [])
        status = f"{source.article_count} articles"
        status += f", last read {source.last_indexed}" if source.last_indexed else ", not read yet"
        if source.last_error:
            status += f"\n⚠️ {source.failures} failure(s): {safe(clip(source.last_error, 400))}"
        name = f"#{source.id} {safe(source.name)} ({', '.join(labels)})"
        embed.add_field(name=clip(name, FIELD_NAME), value=clip(status, FIELD_VALUE), inline=False)
    if len(sources) > EMBED_FIELDS:
        embed.set_footer(text=f"{len(sources) - EMBED_FIELDS} more not shown")
    return fit(embed)


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _status_unless_plain(citation: Citation) -> str | None:
    """A citation names its status only when the report says more than a plain rumour."""
    return None if citation.status is Status.RUMOUR else citation.status.value
