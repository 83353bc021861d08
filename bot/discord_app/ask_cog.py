"""Questions: `/ask`, mentions of the bot, and replies to its answers (follow-ups)."""

from __future__ import annotations

import asyncio
import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer import Answer
from bot.discord_app.render import answer_embed, clip
from bot.discord_app.views import FeedbackView
from bot.render import answer_json
from index.errors import TransferDeskError

log = logging.getLogger(__name__)

MENTION_HINT = "Mention me with a question, for example: Is Allegri leaving Milan?"


class AskCog(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="Your question, e.g. Is Allegri leaving Milan?",
        private="Only you see the answer",
    )
    async def ask(
        self, interaction: discord.Interaction, question: str, private: bool | None = None
    ) -> None:
        """Ask about a transfer; the answer cites its sources."""
        refusal = self._refusal(interaction.guild_id, interaction.user.id, question)
        if refusal:
            await interaction.response.send_message(refusal, ephemeral=True)
            return
        if private is None and interaction.guild_id:
            private = self.bot.state.guild_settings(interaction.guild_id).private_by_default
        # Discord drops interactions not acknowledged within 3 s; answering can take longer.
        await interaction.response.defer(ephemeral=bool(private), thinking=True)
        try:
            answer = await self.bot.pool.run(self.bot.engine.ask, question)
        except TransferDeskError as error:
            await interaction.followup.send(str(error), ephemeral=True)
            return
        message = await interaction.followup.send(**self._answer_message(answer), wait=True)
        await self._remember(message, interaction.guild_id, interaction.channel_id, answer)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.webhook_id is not None:
            return
        earlier = await self._replied_answer(message)
        if earlier is None and not self._mentions_me(message):
            return
        if not self._answers_in(message.channel, message.guild):
            return
        question = self._strip_mentions(message.content)
        refusal = self._refusal(
            message.guild.id if message.guild else None, message.author.id, question
        )
        if refusal:
            await message.reply(refusal, mention_author=False)
            return
        async with message.channel.typing():
            try:
                answer = await self.bot.pool.run(self.bot.engine.ask, question, None, earlier)
            except TransferDeskError as error:
                await message.reply(str(error), mention_author=False)
                return
            reply = await message.reply(**self._answer_message(answer), mention_author=False)
        await self._remember(
            reply, message.guild.id if message.guild else None, message.channel.id, answer
        )
        await self._open_thread(message, reply, answer)

    # --- helpers ----------------------------------------------------------------------------
    def _refusal(self, guild_id: int | None, user_id: int, question: str) -> str | None:
        try:
            self.bot.engine.check_question(question)
        except TransferDeskError as error:
            return MENTION_HINT if not question.strip() else str(error)
        seconds = self.bot.cooldown_for(guild_id)
        wait = self.bot.cooldowns.remaining(guild_id, user_id, seconds)
        if wait:
            return f"You're asking quickly! Try again in {wait:.0f} s."
        return None

    def _answer_message(self, answer: Answer) -> dict:
        message: dict = {"embed": answer_embed(answer)}
        if not answer.abstained:
            message["view"] = FeedbackView()
        return message

    async def _remember(self, message, guild_id, channel_id, answer: Answer) -> None:
        if message is None or answer.abstained:
            return
        record = answer_json(answer)
        await asyncio.to_thread(
            self.bot.state.record_answer,
            message.id,
            guild_id,
            channel_id,
            answer.question,
            answer.text,
            record["citations"],
        )

    def _mentions_me(self, message: discord.Message) -> bool:
        me = self.bot.user
        return me is not None and any(user.id == me.id for user in message.mentions)

    async def _replied_answer(self, message: discord.Message) -> str | None:
        """The question of the bot's answer this message replies to, if it does."""
        reference = message.reference
        if reference is None or reference.message_id is None:
            return None
        replied = reference.resolved
        if not isinstance(replied, discord.Message):
            try:
                replied = await message.channel.fetch_message(reference.message_id)
            except discord.HTTPException:
                return None
        if self.bot.user is None or replied.author.id != self.bot.user.id or not replied.embeds:
            return None
        return replied.embeds[0].title

    def _answers_in(self, channel, guild: discord.Guild | None) -> bool:
        if guild is None:
            return True
        allowed = self.bot.state.guild_settings(guild.id).answer_channel_ids
        if not allowed:
            return True
        channel_id = getattr(channel, "parent_id", None) or channel.id
        return channel.id in allowed or channel_id in allowed

    def _strip_mentions(self, content: str) -> str:
        if self.bot.user is None:
            return content.strip()
        return re.sub(rf"<@!?{self.bot.user.id}>", " ", content).strip()

    async def _open_thread(
        self, message: discord.Message, reply: discord.Message, answer: Answer
    ) -> None:
        if message.guild is None or not isinstance(message.channel, discord.TextChannel):
            return
        if not self.bot.state.guild_settings(message.guild.id).answer_in_threads:
            return
        try:
            await reply.create_thread(name=clip(answer.question, 100))
        except discord.HTTPException as error:
            log.warning("could not open a thread for an answer: %s", error)
