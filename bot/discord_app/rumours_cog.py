"""`/rumours` and `/timeline`: reports newest first, each with its status, paged with buttons."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.render import rumours_pages, timeline_pages
from bot.discord_app.views import PagesView


class RumoursCog(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot

    @app_commands.command(name="rumours")
    @app_commands.describe(
        about="A club or player, e.g. Real Madrid", limit="How many reports (1-50)"
    )
    async def rumours(
        self,
        interaction: discord.Interaction,
        about: str | None = None,
        limit: app_commands.Range[int, 1, 50] = 15,
    ) -> None:
        """The latest transfer reports, newest first."""
        items = await asyncio.to_thread(self.bot.engine.rumours, about, limit)
        await _send_pages(interaction, rumours_pages(items, about))

    @app_commands.command(name="timeline")
    @app_commands.describe(
        subject="A player or club, e.g. Haaland", limit="How many reports (1-50)"
    )
    async def timeline(
        self,
        interaction: discord.Interaction,
        subject: app_commands.Range[str, 1, 100],
        limit: app_commands.Range[int, 1, 50] = 20,
    ) -> None:
        """Dated reports about a player or club with their status, newest first."""
        items = await asyncio.to_thread(self.bot.engine.timeline, subject, limit)
        await _send_pages(interaction, timeline_pages(items, subject))


async def _send_pages(interaction: discord.Interaction, pages: list[discord.Embed]) -> None:
    if len(pages) == 1:
        await interaction.response.send_message(embed=pages[0])
        return
    view = PagesView(pages)
    await interaction.response.send_message(embed=pages[0], view=view)
    view.message = await interaction.original_response()
