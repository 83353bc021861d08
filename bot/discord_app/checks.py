"""Who may do what: admins, cooldowns."""

from __future__ import annotations

import time

import discord
from discord import app_commands

from bot.config import DiscordSettings


class NotAdmin(app_commands.CheckFailure):
    pass


def is_admin(user: discord.abc.User, settings: DiscordSettings) -> bool:
    """Manage Server permission, or a role or user listed in the config."""
    if str(user.id) in settings.admin_user_ids:
        return True
    if not isinstance(user, discord.Member):
        return False
    if user.guild_permissions.manage_guild:
        return True
    return any(str(role.id) in settings.admin_role_ids for role in user.roles)


def admin_only():
    """Checked when the command runs, whatever the client showed (hidden is not forbidden)."""

    async def predicate(interaction: discord.Interaction) -> bool:
        settings = interaction.client.settings.discord  # type: ignore[attr-defined]
        if interaction.guild is None or not is_admin(interaction.user, settings):
            raise NotAdmin(f"Only server admins can use /{interaction.command.qualified_name}.")
        return True

    return app_commands.check(predicate)


class Cooldowns:
    """Per-member spacing between questions."""

    def __init__(self) -> None:
        self._last: dict[tuple[int | None, int], float] = {}

    def remaining(self, guild_id: int | None, user_id: int, seconds: float) -> float:
        """Seconds left to wait; 0 means go ahead (and the clock restarts now)."""
        now = time.monotonic()
        last = self._last.get((guild_id, user_id))
        if last is not None and now - last < seconds:
            return seconds - (now - last)
        self._last[(guild_id, user_id)] = now
        return 0.0
