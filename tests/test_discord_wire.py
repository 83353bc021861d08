"""The real discord.py client (`bot.start`) against a fake Discord on 127.0.0.1.

These check what actually goes over the wire: the request bodies Discord would receive.
"""

import asyncio
import re
import time
from dataclasses import replace
from pathlib import Path

import discord
import pytest
import yarl
from discord_wire import BAD_TOKEN, FakeDiscord

from bot.commands import Engine
from bot.config import DiscordSettings, RefreshSettings, load_settings
from bot.discord_app.client import create_bot
from bot.discord_app.pool import BUSY_MESSAGE

QUESTION = "Is Allegri leaving Milan?"


@pytest.fixture(scope="module")
def fake():
    server = FakeDiscord()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pointed_at_fake(fake, monkeypatch):
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
    )
    fake.requests.clear()
    return fake


@pytest.fixture
async def running_bot(pointed_at_fake, data_dir: Path):
    settings = replace(
        load_settings(data_dir=str(data_dir)),
        refresh=RefreshSettings(interval_minutes=0),
        discord=DiscordSettings(cooldown_seconds=0),
    )
    bot = create_bot(Engine(settings), settings)
    task = asyncio.create_task(bot.start("fake-token"))
    await asyncio.wait_for(bot.wait_until_ready(), 20)
    yield bot
    await bot.close()
    await asyncio.wait_for(task, 20)


async def wait_for(condition, timeout: float = 20.0):
    """Poll until `condition()` returns something truthy (the fake records in its own thread)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := condition()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the bot")
        await asyncio.sleep(0.05)
    return result


async def test_slash_ask_is_deferred_then_answered_with_citations_and_no_pings(running_bot, fake):
    interaction = fake.send_slash_command("ask", {"question": QUESTION})
    [follow_up] = await wait_for(lambda: fake.requests_to("POST", r"^/webhooks/"))
    [callback] = fake.requests_to("POST", rf"^/interactions/{interaction}/.*/callback")
    assert callback.body["type"] == 5, "deferred within Discord's 3 seconds"
    [embed] = follow_up.body["embeds"]
    assert embed["title"] == QUESTION
    assert "[1]" in embed["description"]
    assert (
        "**[1]** [Allegri weighs Milan exit after difficult spring](https://calcio-times.example/"
        in embed["description"]
    )
    assert follow_up.body["allowed_mentions"] == {"parse": []}
    buttons = follow_up.body["components"][0]["components"]
    assert [b["custom_id"] for b in buttons] == ["transferdesk:vote:up", "transferdesk:vote:down"]


async def test_commands_are_synced_with_admin_commands_hidden(running_bot, fake):
    synced = {c["name"]: c for c in fake.commands}
    assert {"ask", "rumours", "status", "sources", "reindex", "settings", "watch"} <= set(synced)
    manage_guild = discord.Permissions(manage_guild=True).value
    assert int(synced["reindex"]["default_member_permissions"]) == manage_guild


async def test_a_mention_is_answered_in_a_reply_with_typing(running_bot, fake):
    asked = fake.send_message(f"<@{fake.bot_id}> {QUESTION}")
    [reply] = await wait_for(
        lambda: fake.requests_to("POST", rf"^/channels/{fake.channel_id}/messages$")
    )
    assert fake.requests_to("POST", rf"^/channels/{fake.channel_id}/typing$")
    assert int(reply.body["message_reference"]["message_id"]) == asked
    assert reply.body["embeds"][0]["title"] == QUESTION
    assert reply.body["allowed_mentions"]["parse"] == []
    assert reply.body["allowed_mentions"]["replied_user"] is False


@pytest.mark.parametrize("sender", ["bot itself", "another bot", "webhook"])
async def test_bots_webhooks_and_its_own_messages_are_ignored(running_bot, fake, sender):
    if sender == "bot itself":
        fake.send_message(f"<@{fake.bot_id}> {QUESTION}", author_id=fake.bot_id, bot=True)
    elif sender == "another bot":
        fake.send_message(f"<@{fake.bot_id}> {QUESTION}", author_id=fake.new_id(), bot=True)
    else:
        fake.send_message(f"<@{fake.bot_id}> {QUESTION}", webhook=True)
    fake.send_message("a message for nobody")  # a marker: once it is handled, the other was too
    await asyncio.sleep(1.0)
    assert fake.requests_to("POST", r"^/channels/\d+/(messages|typing)$") == []


async def test_a_429_is_waited_out_and_the_reply_still_arrives(running_bot, fake):
    fake.rate_limit_next("POST", rf"^/channels/{fake.channel_id}/messages$")
    fake.send_message(f"<@{fake.bot_id}> {QUESTION}")
    attempts = await wait_for(
        lambda: (
            len(found := fake.requests_to("POST", rf"^/channels/{fake.channel_id}/messages$")) == 2
            and found
        )
    )
    assert attempts[0].body == attempts[1].body, "the same reply, sent again after the 429"


def test_run_with_a_rejected_token_says_so(pointed_at_fake, tmp_path: Path, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("DISCORD_TOKEN", BAD_TOKEN)
    code = main(["--data-dir", str(tmp_path / "data"), "run"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Discord rejected the token in DISCORD_TOKEN" in err
    assert "Traceback" not in err


FLOOD = 200


class LoopLag:
    """Measures how late the event loop wakes a task that sleeps 10 ms at a time."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._task: asyncio.Task | None = None

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(0.01)
            self.lags.append(loop.time() - before - 0.01)

    def __enter__(self) -> "LoopLag":
        self._task = asyncio.get_running_loop().create_task(self._watch())
        return self

    def __exit__(self, *_exc) -> None:
        assert self._task is not None
        self._task.cancel()

    def percentile(self, share: float) -> float:
        ordered = sorted(self.lags)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@pytest.fixture
async def flooded_bot(pointed_at_fake, data_dir: Path, tmp_path: Path):
    """A bot whose pool can hold the whole flood, and a second source waiting to be indexed."""
    settings = replace(
        load_settings(data_dir=str(data_dir)),
        refresh=RefreshSettings(interval_minutes=0),
        discord=DiscordSettings(cooldown_seconds=0, answer_workers=2, answer_queue=FLOOD),
    )
    more = tmp_path / "more-news"
    more.mkdir()
    for n in range(120):
        (more / f"story-{n}.txt").write_text(
            f"Transfer round-up {n}\n\nClub {n} are weighing a bid for a midfielder after talks "
            f"with his agent stalled. The fee could reach {n} million euros, sources say. "
            "Several other clubs are monitoring the situation before the window closes."
        )
    engine = Engine(settings)
    engine.add_source(str(more))
    bot = create_bot(engine, settings)
    task = asyncio.create_task(bot.start("fake-token"))
    await asyncio.wait_for(bot.wait_until_ready(), 20)
    yield bot
    await bot.close()
    await asyncio.wait_for(task, 60)


async def test_a_flood_of_asks_during_a_reindex_is_all_answered_and_the_loop_stays_live(
    flooded_bot, fake
):
    sent: dict[int, float] = {}
    with LoopLag() as lag:
        reindexing = asyncio.create_task(asyncio.to_thread(flooded_bot.engine.reindex))
        for n in range(FLOOD):
            interaction = fake.send_slash_command("ask", {"question": f"{QUESTION} ({n})"})
            sent[interaction] = time.monotonic()
        answered = await wait_for(
            lambda: len(found := fake.requests_to("POST", r"^/webhooks/")) >= FLOOD and found,
            timeout=600,
        )
        report = await reindexing
    acks = {
        int(re.search(r"/interactions/(\d+)/", r.path).group(1)): r.at
        for r in fake.requests_to("POST", r"^/interactions/\d+/.*/callback")
    }
    assert set(acks) == set(sent), "every interaction acknowledged"
    ack_seconds = sorted(acks[i] - sent[i] for i in sent)
    assert ack_seconds[-1] < 3.0, f"slowest acknowledgement {ack_seconds[-1]:.2f} s"
    assert all("[1]" in a.body["embeds"][0]["description"] for a in answered[:FLOOD])
    assert report.added == 120
    assert lag.percentile(0.99) < 0.1, f"loop lag p99 {lag.percentile(0.99) * 1000:.0f} ms"
    print(
        f"\n{FLOOD} asks during a reindex of 120 articles: acknowledgement p50 "
        f"{ack_seconds[FLOOD // 2] * 1000:.0f} ms, max {ack_seconds[-1] * 1000:.0f} ms; "
        f"event loop lag p50 {lag.percentile(0.5) * 1000:.1f} ms, p99 "
        f"{lag.percentile(0.99) * 1000:.1f} ms, max {max(lag.lags) * 1000:.1f} ms"
    )


async def test_when_the_queue_is_full_members_are_told_to_try_again(pointed_at_fake, data_dir):
    settings = replace(
        load_settings(data_dir=str(data_dir)),
        refresh=RefreshSettings(interval_minutes=0),
        discord=DiscordSettings(cooldown_seconds=0, answer_workers=1, answer_queue=2),
    )
    bot = create_bot(Engine(settings), settings)
    task = asyncio.create_task(bot.start("fake-token"))
    await asyncio.wait_for(bot.wait_until_ready(), 20)
    try:
        for n in range(12):
            pointed_at_fake.send_slash_command("ask", {"question": f"{QUESTION} ({n})"})
        replies = await wait_for(
            lambda: (
                len(found := pointed_at_fake.requests_to("POST", r"^/webhooks/")) >= 12 and found
            ),
            timeout=120,
        )
    finally:
        await bot.close()
        await asyncio.wait_for(task, 20)
    busy = [r for r in replies if r.body.get("content") == BUSY_MESSAGE]
    answered = [r for r in replies if r.body.get("embeds")]
    assert busy and answered and len(busy) + len(answered) == 12
    assert all(r.body["flags"] & 64 for r in busy), "the busy reply is only for the asker"
