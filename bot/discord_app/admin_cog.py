"""Status for everyone; sources, reindexing and per-guild settings for admins."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.checks import admin_only
from bot.discord_app.render import clip, safe, sources_embed, status_embed
from bot.render import report_text
from index.errors import StoreBusyError, TransferDeskError

log = logging.getLogger(__name__)

BUSY_REINDEX = "A reindex is already running; try again when it ends."


class DiscordProgress:
    """Reindex progress from a worker thread, shown by editing a message every few seconds."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        edit: Callable[[str], Awaitable[object]],
        min_interval: float = 2.0,
    ) -> None:
        self._loop = loop
        self._edit = edit
        self._min_interval = min_interval
        self._last_push = 0.0
        self.total = 0
        self.done = 0
        self.description = ""

    def start(self, total: int, description: str) -> None:
        self.total, self.done, self.description = total, 0, description
        self._push(force=True)

    def advance(self, amount: int) -> None:
        self.done += amount
        self._push()

    def finish(self) -> None:
        self._push(force=True)

    def text(self) -> str:
        percent = 100 * self.done // self.total if self.total else 100
        return f"Reindexing… {self.description} {self.done}/{self.total} chunks ({percent}%)"

    def _push(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_push < self._min_interval:
            return
        self._last_push = now
        asyncio.run_coroutine_threadsafe(self._edit(self.text()), self._loop)


class AdminCog(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot

    # Discord applies default permissions to whole commands, not subcommands, so /sources stays
    # visible for `list`; `add` and `remove` are checked when they run.
    sources = app_commands.Group(
        name="sources", description="The news sources TransferDesk reads", guild_only=True
    )
    settings = app_commands.Group(
        name="settings",
        description="How TransferDesk behaves in this server (admins)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    @app_commands.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """What the index holds: articles, sources, last refresh, size and model."""
        stats = await asyncio.to_thread(self.bot.engine.stats)
        await interaction.response.send_message(embed=status_embed(stats))

    @sources.command(name="list")
    async def sources_list(self, interaction: discord.Interaction) -> None:
        """The sources and how they are doing."""
        sources = await asyncio.to_thread(self.bot.engine.list_sources)
        await interaction.response.send_message(embed=sources_embed(sources), ephemeral=True)

    @sources.command(name="add")
    @app_commands.describe(
        url="A feed (RSS/Atom) or article page URL",
        tier="Reliability, 1 (most reliable) to 4 (least)",
        name="A short name for the source",
    )
    @admin_only()
    async def sources_add(
        self,
        interaction: discord.Interaction,
        url: str,
        tier: app_commands.Range[int, 1, 4] | None = None,
        name: str | None = None,
    ) -> None:
        """Add a feed or web page (admins)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            source = await asyncio.to_thread(
                self.bot.engine.add_source, url, None, name, None, tier
            )
        except TransferDeskError as error:
            await interaction.followup.send(f"Not added: {error}", ephemeral=True)
            return
        await interaction.followup.send(
            f"Added source #{source.id} **{safe(source.name)}** ({source.kind}). It is read at the "
            "next refresh; /reindex reads it now.",
            ephemeral=True,
        )

    @sources.command(name="remove")
    @app_commands.describe(source="The source to remove")
    @admin_only()
    async def sources_remove(self, interaction: discord.Interaction, source: int) -> None:
        """Remove a source and its articles (admins)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            removed = await asyncio.to_thread(self.bot.engine.remove_source, source)
        except StoreBusyError:
            await interaction.followup.send(BUSY_REINDEX, ephemeral=True)
            return
        except TransferDeskError as error:
            await interaction.followup.send(str(error), ephemeral=True)
            return
        await interaction.followup.send(
            f"Removed source #{removed.id} **{safe(removed.name)}** and its "
            f"{removed.article_count} articles.",
            ephemeral=True,
        )

    @sources_remove.autocomplete("source")
    async def source_choices(self, interaction: discord.Interaction, current: str):
        sources = await asyncio.to_thread(self.bot.engine.list_sources)
        current = current.lower()
        return [
            app_commands.Choice(name=clip(f"#{s.id} {s.name} ({s.kind})", 100), value=s.id)
            for s in sources
            if current in f"#{s.id} {s.name} {s.location}".lower()
        ][:25]

    @app_commands.command(name="reindex")
    @app_commands.describe(source="Only this source (id from /sources list)")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @admin_only()
    async def reindex(self, interaction: discord.Interaction, source: int | None = None) -> None:
        """Read the sources now and index what is new (admins)."""
        await interaction.response.send_message("Reindexing… reading sources.")
        message = await interaction.original_response()
        progress = DiscordProgress(
            asyncio.get_running_loop(), lambda text: message.edit(content=text)
        )
        try:
            report = await asyncio.to_thread(self.bot.engine.reindex, False, source, progress)
        except StoreBusyError:
            await message.edit(content=BUSY_REINDEX)
            return
        except TransferDeskError as error:
            await message.edit(content=f"Reindex failed: {error}")
            return
        await message.edit(content=clip(f"Reindex done.\n{safe(report_text(report))}", 2000))
        await self.bot.after_refresh(report)

    @settings.command(name="show")
    @admin_only()
    async def settings_show(self, interaction: discord.Interaction) -> None:
        """Show this server's settings."""
        current = self.bot.state.guild_settings(interaction.guild_id)
        channels = ", ".join(f"<#{c}>" for c in current.answer_channel_ids) or "every channel"
        cooldown = current.cooldown_seconds
        lines = [
            f"Mentions answered in: {channels}",
            f"Private answers by default: {'yes' if current.private_by_default else 'no'}",
            f"Cooldown: {self.bot.cooldown_for(interaction.guild_id):g} s"
            + (" (server setting)" if cooldown is not None else " (default)"),
            f"Answers open a thread: {'yes' if current.answer_in_threads else 'no'}",
        ]
        await interaction.response.send_message("\n".join(lines), ephemeral=True)

    @settings.command(name="channel")
    @app_commands.describe(channel="A text channel", answer="Answer mentions there?")
    @admin_only()
    async def settings_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel, answer: bool
    ) -> None:
        """Choose the channels where mentions are answered (none chosen: everywhere)."""
        current = self.bot.state.guild_settings(interaction.guild_id)
        channels = [c for c in current.answer_channel_ids if c != channel.id]
        if answer:
            channels.append(channel.id)
        await self._save(interaction, replace(current, answer_channel_ids=tuple(channels)))

    @settings.command(name="private")
    @app_commands.describe(value="Answer /ask privately unless the member says otherwise")
    @admin_only()
    async def settings_private(self, interaction: discord.Interaction, value: bool) -> None:
        """Private /ask answers by default."""
        current = self.bot.state.guild_settings(interaction.guild_id)
        await self._save(interaction, replace(current, private_by_default=value))

    @settings.command(name="cooldown")
    @app_commands.describe(seconds="Seconds a member waits between questions")
    @admin_only()
    async def settings_cooldown(
        self, interaction: discord.Interaction, seconds: app_commands.Range[int, 0, 3600]
    ) -> None:
        """Seconds between a member's questions."""
        current = self.bot.state.guild_settings(interaction.guild_id)
        await self._save(interaction, replace(current, cooldown_seconds=float(seconds)))

    @settings.command(name="threads")
    @app_commands.describe(value="Open a thread on each answer to a mention")
    @admin_only()
    async def settings_threads(self, interaction: discord.Interaction, value: bool) -> None:
        """Answers to mentions open a thread for follow-ups."""
        current = self.bot.state.guild_settings(interaction.guild_id)
        await self._save(interaction, replace(current, answer_in_threads=value))

    async def _save(self, interaction: discord.Interaction, settings) -> None:
        await asyncio.to_thread(self.bot.state.save_guild_settings, settings)
        await interaction.response.send_message("Saved.", ephemeral=True)
