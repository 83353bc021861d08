"""`transferdesk run`: start the bot with the token from the environment."""

from __future__ import annotations

import asyncio
import logging
import os

import aiohttp
import discord

from bot.commands import Engine
from bot.config import Settings
from bot.discord_app.client import create_bot
from index.errors import TransferDeskError

log = logging.getLogger(__name__)

TOKEN_ENV = "DISCORD_TOKEN"


def run_bot(engine: Engine, settings: Settings) -> int:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise TransferDeskError(
            f"{TOKEN_ENV} is not set: create a bot in the Discord developer portal, invite it "
            f"with the applications.commands and bot scopes, then `export {TOKEN_ENV}=...` "
            "(to try TransferDesk without Discord, run `transferdesk chat`)"
        )
    try:
        asyncio.run(_serve(engine, settings, token))
    except discord.LoginFailure:
        raise TransferDeskError(
            f"Discord rejected the token in {TOKEN_ENV}; copy it again from the developer "
            "portal (Bot → Reset Token)"
        ) from None
    except discord.PrivilegedIntentsRequired:
        raise TransferDeskError(
            "Discord refused the bot's intents; check them in the developer portal"
        ) from None
    except (aiohttp.ClientError, OSError) as error:
        raise TransferDeskError(f"cannot reach Discord ({error})") from None
    return 0


class _NoVoiceNotice(logging.Filter):
    """TransferDesk has no voice features; discord.py's notice about voice libraries is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


async def _serve(engine: Engine, settings: Settings, token: str) -> None:
    logging.getLogger("discord.client").addFilter(_NoVoiceNotice())
    async with create_bot(engine, settings) as bot:
        log.info("connecting to Discord")
        await bot.start(token)
