"""The bot: wires the engine, the cogs, the refresh schedule and command sync together."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.commands import Engine
from bot.config import Settings
from bot.discord_app.admin_cog import AdminCog
from bot.discord_app.ask_cog import AskCog
from bot.discord_app.checks import Cooldowns, NotAdmin
from bot.discord_app.pool import WorkerPool
from bot.discord_app.rumours_cog import RumoursCog
from bot.discord_app.state import BotState
from bot.discord_app.views import FeedbackView
from bot.discord_app.watch_cog import WatchCog, post_new_reports
from bot.refresh import RefreshScheduler
from index.errors import TransferDeskError
from index.models import ReindexReport

log = logging.getLogger(__name__)

MODEL_WARM_UP_DELAY_SECONDS = 30.0

SYNC_KEY = "command_sync"


class TransferDeskMixin:
    """Shared by the plain and the auto-sharded bot."""

    def _setup_transferdesk(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.state = BotState(engine.index.store.path)
        self.pool = WorkerPool(settings.discord.answer_workers, settings.discord.answer_queue)
        self.cooldowns = Cooldowns()
        self.scheduler: RefreshScheduler | None = None
        self.synced_commands = False
        self._model_warm_up: asyncio.Task | None = None

    async def setup_hook(self) -> None:
        for cog in (AskCog(self), RumoursCog(self), AdminCog(self), WatchCog(self)):
            await self.add_cog(cog)
        self.tree.on_error = self.on_app_command_error
        self.add_view(FeedbackView())  # votes on answers from before a restart still work
        self.synced_commands = await self.sync_commands_if_changed()
        # Ready without waiting for PyTorch: questions use the NumPy encoder until it is loaded,
        # a little later, so that loading it does not slow the first questions down.
        self._model_warm_up = asyncio.create_task(self.warm_up_model())
        minutes = self.settings.refresh.interval_minutes
        if minutes > 0:
            self.scheduler = RefreshScheduler(self.engine.reindex, minutes * 60, self.after_refresh)
            self.scheduler.start()

    async def warm_up_model(self) -> None:
        await asyncio.to_thread(lambda: self.engine.embedder.light)  # about a second
        await asyncio.sleep(MODEL_WARM_UP_DELAY_SECONDS)
        started = time.perf_counter()
        await asyncio.to_thread(self.engine.embedder.load)
        log.info("embedding model loaded in %.1f s", time.perf_counter() - started)

    async def close(self) -> None:
        if self._model_warm_up is not None:
            self._model_warm_up.cancel()
        if self.scheduler is not None:
            await self.scheduler.stop()
        await super().close()
        self.pool.shutdown()
        self.state.close()

    async def on_message(self, message: discord.Message) -> None:
        """Mentions are handled by AskCog; there are no prefix commands to process."""

    async def after_refresh(self, report: ReindexReport) -> None:
        posted = await post_new_reports(self)
        log.info("refresh done: %d added, %d watch posts", report.added, posted)

    def cooldown_for(self, guild_id: int | None) -> float:
        if guild_id is not None:
            chosen = self.state.guild_settings(guild_id).cooldown_seconds
            if chosen is not None:
                return chosen
        return self.settings.discord.cooldown_seconds

    async def sync_commands_if_changed(self) -> bool:
        """Sync slash commands only when they (or where they go) changed since the last sync."""
        guild_ids = self.settings.discord.guild_ids
        payload = {
            "application": self.application_id,
            "guilds": list(guild_ids),
            "commands": [command.to_dict(self.tree) for command in self.tree.get_commands()],
        }
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        if self.state.get_meta(SYNC_KEY) == digest:
            log.info("slash commands unchanged; not syncing")
            return False
        if guild_ids:
            for guild_id in guild_ids:
                guild = discord.Object(int(guild_id))
                self.tree.copy_global_to(guild=guild)
                await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()
        self.state.set_meta(SYNC_KEY, digest)
        log.info(
            "slash commands synced %s",
            f"to guilds {', '.join(guild_ids)}" if guild_ids else "globally",
        )
        return True

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if isinstance(error, NotAdmin):
            message = str(error)
        elif isinstance(error, app_commands.CommandInvokeError) and isinstance(
            error.original, TransferDeskError
        ):
            message = str(error.original)
        else:
            log.error("command failed", exc_info=error)
            message = "Something went wrong on my side; it has been logged."
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)


def _intents() -> discord.Intents:
    # Mentions and replies to the bot carry their content without the privileged
    # message-content intent; members and presences are not needed.
    intents = discord.Intents.default()
    intents.members = False
    intents.presences = False
    intents.message_content = False
    return intents


def _client_options() -> dict:
    return {
        "command_prefix": commands.when_mentioned,
        "intents": _intents(),
        "allowed_mentions": discord.AllowedMentions.none(),  # never ping from quoted text
        "help_command": None,
    }


class TransferDeskBot(TransferDeskMixin, commands.Bot):
    def __init__(self, engine: Engine, settings: Settings) -> None:
        super().__init__(**_client_options())
        self._setup_transferdesk(engine, settings)


class ShardedTransferDeskBot(TransferDeskMixin, commands.AutoShardedBot):
    def __init__(self, engine: Engine, settings: Settings) -> None:
        super().__init__(**_client_options())
        self._setup_transferdesk(engine, settings)


def create_bot(engine: Engine, settings: Settings) -> commands.Bot:
    kind = ShardedTransferDeskBot if settings.discord.sharded else TransferDeskBot
    return kind(engine, settings)
