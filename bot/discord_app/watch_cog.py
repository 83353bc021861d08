"""`/watch`: new reports about a player or club are posted where the watch was set, once each."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.render import clip, rumours_pages, safe

log = logging.getLogger(__name__)

MAX_WATCHES_PER_GUILD = 25
MAX_POSTS_PER_WATCH = 5


class WatchCog(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot

    @app_commands.command(name="watch")
    @app_commands.describe(about="A player or club, e.g. Haaland")
    @app_commands.guild_only()
    async def watch(
        self, interaction: discord.Interaction, about: app_commands.Range[str, 2, 80]
    ) -> None:
        """Post new reports about a player or club in this channel after each refresh."""
        about = " ".join(about.split())
        state = self.bot.state
        if len(state.watches(interaction.guild_id)) >= MAX_WATCHES_PER_GUILD:
            await interaction.response.send_message(
                f"This server already has {MAX_WATCHES_PER_GUILD} watches; /unwatch one first.",
                ephemeral=True,
            )
            return
        newest = await asyncio.to_thread(self.bot.engine.index.newest_article_id)
        added = await asyncio.to_thread(
            state.add_watch,
            interaction.guild_id,
            interaction.channel_id,
            about,
            interaction.user.id,
            newest,
        )
        text = (
            f"Watching **{safe(about)}** here: new reports are posted after each refresh."
            if added
            else f"**{safe(about)}** is already watched in this channel."
        )
        await interaction.response.send_message(text)

    @app_commands.command(name="unwatch")
    @app_commands.describe(about="A watched player or club")
    @app_commands.guild_only()
    async def unwatch(self, interaction: discord.Interaction, about: str) -> None:
        """Stop posting reports about a player or club in this channel."""
        removed = await asyncio.to_thread(
            self.bot.state.remove_watch, interaction.guild_id, interaction.channel_id, about.strip()
        )
        text = (
            f"Stopped watching **{safe(about)}** here."
            if removed
            else f"**{safe(about)}** is not watched in this channel."
        )
        await interaction.response.send_message(text, ephemeral=not removed)

    @unwatch.autocomplete("about")
    async def watched_names(self, interaction: discord.Interaction, current: str):
        watches = self.bot.state.watches(interaction.guild_id)
        return [
            app_commands.Choice(name=clip(w.about, 100), value=w.about)
            for w in watches
            if w.channel_id == interaction.channel_id and current.lower() in w.about.lower()
        ][:25]

    @app_commands.command(name="watches")
    @app_commands.guild_only()
    async def watches(self, interaction: discord.Interaction) -> None:
        """The players and clubs watched in this server."""
        watches = self.bot.state.watches(interaction.guild_id)
        if not watches:
            await interaction.response.send_message(
                "Nothing is watched yet: try /watch.", ephemeral=True
            )
            return
        lines = [f"**{safe(w.about)}** in <#{w.channel_id}>" for w in watches]
        await interaction.response.send_message("\n".join(lines), ephemeral=True)


async def post_new_reports(bot) -> int:
    """After a refresh: post each watch's new reports once; returns how many were posted."""
    posted = 0
    for watch in bot.state.watches():
        newest = await asyncio.to_thread(bot.engine.index.newest_article_id)
        found = await asyncio.to_thread(
            bot.engine.rumours, watch.about, MAX_POSTS_PER_WATCH, watch.last_article_id
        )
        items = [item for item in found if item.article_id <= newest]
        await asyncio.to_thread(bot.state.advance_watch, watch.id, newest)
        if not items:
            continue
        channel = bot.get_channel(watch.channel_id)
        if channel is None:
            log.info("watch %s: channel %s is gone; skipped", watch.id, watch.channel_id)
            continue
        [embed] = rumours_pages(items, watch.about)[:1]
        embed.title = clip(f"New reports about {watch.about}", 256)
        try:
            await channel.send(embed=embed)
            posted += len(items)
        except discord.HTTPException as error:
            log.warning(
                "watch %s: could not post in channel %s: %s", watch.id, watch.channel_id, error
            )
    return posted
