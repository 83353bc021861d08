"""Buttons: 👍/👎 on every answer (persistent across restarts) and paging for long lists."""

from __future__ import annotations

import asyncio
import contextlib

import discord

VOTE_UP = "transferdesk:vote:up"
VOTE_DOWN = "transferdesk:vote:down"


class FeedbackView(discord.ui.View):
    """Votes are stored with the answer's question and citations; a re-vote replaces the first."""

    def __init__(self) -> None:
        super().__init__(timeout=None)  # persistent: fixed custom ids, re-attached on start

    @discord.ui.button(emoji="👍", style=discord.ButtonStyle.secondary, custom_id=VOTE_UP)
    async def vote_up(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._vote(interaction, +1)

    @discord.ui.button(emoji="👎", style=discord.ButtonStyle.secondary, custom_id=VOTE_DOWN)
    async def vote_down(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._vote(interaction, -1)

    async def _vote(self, interaction: discord.Interaction, vote: int) -> None:
        state = interaction.client.state  # type: ignore[attr-defined]
        stored = await asyncio.to_thread(
            state.record_vote, interaction.message.id, interaction.user.id, vote
        )
        text = "Thanks for the feedback!" if stored else "That answer is too old to vote on."
        await interaction.response.send_message(text, ephemeral=True)


class PagesView(discord.ui.View):
    """◀ ▶ through a list of embeds; the buttons switch off when the view times out."""

    def __init__(self, pages: list[discord.Embed], timeout: float = 300) -> None:
        super().__init__(timeout=timeout)
        self.pages = pages
        self.index = 0
        self.message: discord.Message | None = None
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index == len(self.pages) - 1

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.index + 1)

    async def _show(self, interaction: discord.Interaction, index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._refresh_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    async def on_timeout(self) -> None:
        for item in self.children:
            item.disabled = True  # type: ignore[attr-defined]
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):  # the message may be gone
                await self.message.edit(view=self)
