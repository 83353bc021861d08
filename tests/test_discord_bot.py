"""The Discord bot's behaviour, driven through the simcord simulator with the real command tree.

simcord runs discord.py's real machinery against an in-memory Discord; the engine underneath is
the real one (model, SQLite, FAISS) on the fixture articles.
"""

from dataclasses import replace
from pathlib import Path

import discord
import pytest

from bot.commands import Engine
from bot.config import DiscordSettings, RefreshSettings, load_settings
from bot.discord_app.client import create_bot
from bot.discord_app.views import VOTE_UP
from index.lock import exclusive_lock, is_locked

QUESTION = "Is Allegri leaving Milan?"


@pytest.fixture
def settings(data_dir: Path):
    return bot_settings(data_dir, cooldown_seconds=0)


def bot_settings(data_dir: Path, **discord_options):
    """Settings for a test bot: the indexed fixtures, no scheduled refresh."""
    return replace(
        load_settings(data_dir=str(data_dir)),
        refresh=RefreshSettings(interval_minutes=0),
        discord=DiscordSettings(**discord_options),
    )


@pytest.fixture
def simcord_bot(settings):
    return create_bot(Engine(settings), settings)


@pytest.fixture
def world(simcord_env):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("transfers")
    member = guild.add_member(simcord_env.create_user("alice"))
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(simcord_env.create_user("boss"), roles=[admins])
    return simcord_env, guild, channel, member, admin


def mention(env) -> str:
    return env.bot.user.mention


class TestAsk:
    async def test_ask_defers_then_answers_with_a_cited_embed(self, world):
        env, _, channel, member, _ = world
        result = await member.slash(channel, "ask", question=QUESTION)
        callbacks = [r for r in env.http_requests if r.path.endswith("/callback")]
        assert callbacks[0].json["type"] == 5, "deferred first"
        [embed] = result.response.embeds
        assert embed.title == QUESTION
        answer, sources = embed.description.split("\n\n**Sources**\n")
        points, summary = answer.split("\n\n")
        assert "Allegri" in points and points.endswith("[1]")
        assert summary == "*In short: Test Calcio Times reported a rumour on 2 Mar 2026.*"
        assert sources.splitlines()[0] == (
            "**[1]** [Allegri weighs Milan exit after difficult spring]"
            "(https://calcio-times.example/allegri-weighs-milan-exit)"
            " — Test Calcio Times, 2026-03-02"
        )
        assert not result.ephemeral
        buttons = [c for row in result.response.components for c in row["components"]]
        assert [b["emoji"]["name"] for b in buttons] == ["👍", "👎"]

    async def test_private_answers_are_ephemeral(self, world):
        _, _, channel, member, _ = world
        result = await member.slash(channel, "ask", question=QUESTION, private=True)
        assert result.ephemeral

    async def test_an_empty_question_gets_a_hint_not_an_error(self, world):
        _, _, channel, member, _ = world
        result = await member.slash(channel, "ask", question="   ")
        assert result.ephemeral and not result.deferred
        assert "Mention me with a question" in result.response.content

    async def test_a_too_long_question_is_refused_kindly(self, world):
        _, _, channel, member, _ = world
        result = await member.slash(channel, "ask", question="Allegri " * 100)
        assert result.ephemeral and "please keep it under 500" in result.response.content

    async def test_nothing_found_is_said_plainly_without_sources_or_votes(self, world):
        _, _, channel, member, _ = world
        result = await member.slash(channel, "ask", question="Is Mbappe joining Liverpool?")
        [embed] = result.response.embeds
        assert embed.description == "I couldn't find any reports about that in the indexed news."
        assert result.response.components == []

    async def test_no_mention_can_ping_anyone(self, world):
        env, _, channel, member, _ = world
        await member.slash(channel, "ask", question=QUESTION)
        bodies = [r.json for r in env.http_requests if r.json and "embeds" in r.json]
        assert bodies and all(b.get("allowed_mentions") == {"parse": []} for b in bodies)


class TestCooldown:
    @pytest.fixture
    def settings(self, data_dir: Path):
        return bot_settings(data_dir, cooldown_seconds=60)

    async def test_a_member_asking_again_at_once_is_asked_to_wait(self, world):
        _, _, channel, member, admin = world
        await member.slash(channel, "ask", question=QUESTION)
        again = await member.slash(channel, "ask", question=QUESTION)
        assert again.ephemeral and "Try again in 60 s" in again.response.content
        other = await admin.slash(channel, "ask", question=QUESTION)
        assert other.response.embeds, "the cooldown is per member"


class TestMentions:
    async def test_a_mention_with_a_question_is_answered_in_a_reply(self, world):
        env, _, channel, member, _ = world
        asked = await member.send(channel, f"{mention(env)} {QUESTION}")
        reply = channel.last_message
        assert reply.author.id == env.bot.user.id
        assert reply.reference.message_id == asked.id
        assert reply.embeds[0].title == QUESTION
        assert any(r.path.endswith("/typing") for r in env.http_requests), "typing shown"

    async def test_a_reply_to_an_answer_is_a_follow_up(self, world):
        env, _, channel, member, _ = world
        await member.send(channel, f"{mention(env)} Has Haaland signed a new contract?")
        answer = channel.last_message
        asked = await member.send(channel, "and did Real Madrid want him?", reply_to=answer)
        follow_up = channel.last_message
        assert follow_up.reference.message_id == asked.id
        assert follow_up.embeds[0].title == "and did Real Madrid want him?"
        assert "Haaland" in follow_up.embeds[0].description

    async def test_a_bare_mention_gets_a_hint(self, world):
        env, _, channel, member, _ = world
        await member.send(channel, mention(env))
        assert channel.last_message.content.startswith("Mention me with a question")

    async def test_messages_without_a_mention_are_left_alone(self, world):
        env, _, channel, member, _ = world
        await member.send(channel, QUESTION)
        assert channel.last_message.author.id == member.id

    async def test_other_bots_are_ignored(self, world):
        env, guild, channel, _, _ = world
        robot = guild.add_member(env.create_user("robot", bot=True))
        await robot.send(channel, f"{mention(env)} {QUESTION}")
        assert channel.last_message.author.id == robot.id

    async def test_mentions_are_answered_only_in_chosen_channels(self, world):
        env, guild, channel, member, admin = world
        other = guild.create_text_channel("chat")
        saved = await admin.slash(channel, "settings channel", channel=channel, answer=True)
        assert saved.response.content == "Saved."
        await member.send(other, f"{mention(env)} {QUESTION}")
        assert other.last_message.author.id == member.id
        await member.send(channel, f"{mention(env)} {QUESTION}")
        assert channel.last_message.author.id == env.bot.user.id


class TestRumours:
    async def test_latest_reports_are_paged_with_buttons(self, world):
        _, _, channel, member, _ = world
        result = await member.slash(channel, "rumours")
        first = result.response.embeds[0]
        assert first.footer.text == "Page 1 of 2 · newest first"
        assert first.fields[0].name == "2026-03-02 · Test Calcio Times · rumour"
        page_two = await member.click(result.response.message, label="▶")
        assert page_two.response.embeds[0].footer.text == "Page 2 of 2 · newest first"

    async def test_reports_about_a_club(self, world):
        _, _, channel, member, _ = world
        result = await member.slash(channel, "rumours", about="Real Madrid")
        [embed] = result.response.embeds
        assert embed.title == "Latest reports about Real Madrid"
        assert [f.name for f in embed.fields] == [
            "2026-02-01 · Test Madrid Daily · bid",
            "2026-01-17 · Test Premier Wire · contract extension",
        ]
        assert result.response.components == []


class TestTimeline:
    async def test_dated_reports_about_a_player_with_their_status(self, world):
        _, _, channel, member, _ = world
        result = await member.slash(channel, "timeline", subject="Haaland")
        [embed] = result.response.embeds
        assert embed.title == "Timeline: Haaland"
        assert [f.name for f in embed.fields] == [
            "2026-01-17 · Test Premier Wire · contract extension"
        ]
        assert "Haaland" in embed.fields[0].value

    async def test_nobody_in_the_news_gets_a_plain_reply(self, world):
        _, _, channel, member, _ = world
        result = await member.slash(channel, "timeline", subject="Zinedine Zidane")
        [embed] = result.response.embeds
        assert embed.description == "No dated reports about Zinedine Zidane in the index."


class TestAdmin:
    async def test_admin_commands_are_hidden_from_members(self, world):
        env = world[0]
        synced = next(r for r in env.http_requests if r.method == "PUT" and "/commands" in r.path)
        by_name = {c["name"]: c for c in synced.json}
        manage_guild = discord.Permissions(manage_guild=True).value
        assert int(by_name["reindex"]["default_member_permissions"]) == manage_guild
        assert int(by_name["settings"]["default_member_permissions"]) == manage_guild
        assert by_name["ask"]["default_member_permissions"] is None

    async def test_a_member_calling_reindex_directly_is_refused(self, world):
        env, guild, channel, member, _ = world
        # A server admin may let anyone see the command; running it is still checked.
        reindex = env.backend.find_command("reindex", guild.id)
        guild.set_command_permissions(int(reindex["id"]), {member: True})
        result = await member.slash(channel, "reindex")
        assert result.ephemeral
        assert result.response.content == "Only server admins can use /reindex."

    async def test_an_admin_reindex_reports_progress_and_a_summary(self, world):
        _, _, channel, _, admin = world
        result = await admin.slash(channel, "reindex")
        final = channel.last_message.content
        assert final.startswith("Reindex done.")
        assert "unchanged 7" in final
        assert not result.ephemeral

    async def test_reindex_progress_is_shown_by_editing_the_message(self, world, tmp_path):
        env, _, channel, _, admin = world
        folder = tmp_path / "new"
        folder.mkdir()
        (folder / "a.txt").write_text("Spurs sack manager\n\nTottenham have sacked their manager.")
        env.bot.engine.add_source(str(folder))
        await admin.slash(channel, "reindex")
        edits = [r.json.get("content", "") for r in env.http_requests if r.method == "PATCH"]
        assert any(text.startswith("Reindexing… embedding 0/") for text in edits)
        assert any(text.startswith("Reindexing… embedding 1/1 chunks (100%)") for text in edits)
        assert edits[-1].startswith("Reindex done.\n")
        assert "added 1, updated 0, removed 0, unchanged 7" in edits[-1]

    async def test_a_reindex_while_another_runs_says_so(self, world, settings):
        _, _, channel, _, admin = world
        with exclusive_lock(settings.data_dir / "reindex.lock", "a reindex"):
            await admin.slash(channel, "reindex")
        assert (
            channel.last_message.content == "A reindex is already running; try again when it ends."
        )

    async def test_status_shows_what_the_index_holds(self, world):
        _, _, channel, member, _ = world
        result = await member.slash(channel, "status")
        fields = {f.name: f.value for f in result.response.embeds[0].fields}
        assert fields["Articles"] == "7"
        assert fields["Sources"] == "2"
        assert fields["Model"] == "all-MiniLM-L6-v2"

    async def test_sources_are_listed_and_removed_with_autocomplete(self, world):
        _, _, channel, member, admin = world
        listed = await member.slash(channel, "sources list")
        assert [f.name for f in listed.response.embeds[0].fields][1] == "#2 bulk.jsonl (jsonl)"
        choices = await admin.autocomplete(channel, "sources remove", "source", "bulk")
        assert [c["name"] for c in choices] == ["#2 bulk.jsonl (jsonl)"]
        refused = await member.slash(channel, "sources remove", source=2)
        assert refused.response.content == "Only server admins can use /sources remove."
        removed = await admin.slash(channel, "sources remove", source=2)
        assert removed.ephemeral
        assert removed.response.content == "Removed source #2 **bulk.jsonl** and its 3 articles."
        status = await member.slash(channel, "status")
        assert {f.name: f.value for f in status.response.embeds[0].fields}["Articles"] == "4"

    async def test_settings_survive_a_restart(self, world, simcord_bot, settings):
        env, guild, channel, _, admin = world
        await admin.slash(channel, "settings private", value=True)
        await env.restart_bot(create_bot(Engine(settings), settings))
        shown = await admin.slash(channel, "settings show")
        assert "Private answers by default: yes" in shown.response.content


class TestFeedback:
    async def test_a_vote_is_stored_with_the_question_and_its_citations(self, world, settings):
        env, _, channel, member, _ = world
        result = await member.slash(channel, "ask", question=QUESTION)
        voted = await member.click(result.response.message, custom_id=VOTE_UP)
        assert voted.ephemeral and voted.response.content == "Thanks for the feedback!"
        [record] = env.bot.state.feedback()
        assert (record.question, record.up, record.down) == (QUESTION, 1, 0)
        assert (
            record.citations[0]["url"] == "https://calcio-times.example/allegri-weighs-milan-exit"
        )


class TestWatch:
    async def test_new_reports_about_a_watched_name_are_posted_once(
        self, world, settings, tmp_path
    ):
        env, _, channel, member, admin = world
        watched = await member.slash(channel, "watch", about="Newcastle")
        assert "Watching **Newcastle** here" in watched.response.content
        folder = tmp_path / "late"
        folder.mkdir()
        (folder / "keeper.txt").write_text(
            "Newcastle close in on keeper\n\nNewcastle have agreed a fee."
        )
        env.bot.engine.add_source(str(folder))
        await admin.slash(channel, "reindex")
        posts = [
            m
            for m in channel.history()
            if m.embeds and m.embeds[0].title == "New reports about Newcastle"
        ]
        assert len(posts) == 1
        assert posts[0].embeds[0].fields[0].value.startswith("Newcastle close in on keeper")
        await admin.slash(channel, "reindex")
        again = [
            m
            for m in channel.history()
            if m.embeds and m.embeds[0].title == "New reports about Newcastle"
        ]
        assert len(again) == 1, "posted once"
        listed = await member.slash(channel, "watches")
        assert "**Newcastle** in" in listed.response.content
        await member.slash(channel, "unwatch", about="Newcastle")
        assert env.bot.state.watches() == []


async def test_commands_are_synced_only_when_they_change(world, settings):
    env = world[0]
    puts = lambda: [r for r in env.http_requests if r.method == "PUT" and "/commands" in r.path]  # noqa: E731
    assert len(puts()) == 1
    await env.restart_bot(create_bot(Engine(settings), settings))
    assert len(puts()) == 1


async def test_questions_are_answered_while_a_reindex_runs(world, tmp_path):
    import threading
    import time

    env, _, channel, member, _ = world
    engine = env.bot.engine
    folder = tmp_path / "bulk"
    folder.mkdir()
    for n in range(60):
        (folder / f"{n}.txt").write_text(
            f"Story {n}\n\n"
            + " ".join(f"Club {n} weighs a move for player {i}." for i in range(40))
        )
    engine.add_source(str(folder))
    reindexing = threading.Thread(target=engine.reindex)
    reindexing.start()
    while not is_locked(engine.index.lock_path):
        time.sleep(0.01)
    result = await member.slash(channel, "ask", question=QUESTION)
    still_running = reindexing.is_alive()
    reindexing.join()
    assert still_running, "the question was answered during the reindex"
    assert result.response.embeds[0].title == QUESTION
    assert "[1]" in result.response.embeds[0].description


async def test_answers_open_a_thread_when_the_guild_wants_it(world):
    env, _, channel, member, admin = world
    await admin.slash(channel, "settings threads", value=True)
    await member.send(channel, f"{mention(env)} {QUESTION}")
    [thread] = channel.threads
    assert thread.name == QUESTION


class TestConfiguredAdmins:
    @pytest.fixture
    def settings(self, data_dir: Path):
        return bot_settings(data_dir)

    @pytest.fixture
    def simcord_bot(self, settings):
        return create_bot(Engine(settings), settings)

    async def test_a_role_listed_in_the_config_makes_an_admin(self, simcord_env, settings):
        guild = simcord_env.create_guild()
        channel = guild.create_text_channel("transfers")
        editors = guild.create_role("Editors")
        editor = guild.add_member(simcord_env.create_user("ed"), roles=[editors])
        simcord_env.bot.settings = replace(
            settings, discord=DiscordSettings(admin_role_ids=(str(editors.id),))
        )
        reindex = simcord_env.backend.find_command("reindex", guild.id)
        guild.set_command_permissions(int(reindex["id"]), {editors: True})
        await editor.slash(channel, "reindex")
        assert channel.last_message.content.startswith("Reindex done.")


class TestDevelopmentGuildSync:
    @pytest.fixture
    def settings(self, data_dir: Path):
        return bot_settings(data_dir, guild_ids=("123456789012345678",))

    async def test_commands_go_to_the_configured_guilds(self, simcord_env):
        puts = [r.path for r in simcord_env.http_requests if r.method == "PUT"]
        assert puts == [
            f"/applications/{simcord_env.bot.application_id}/guilds/123456789012345678/commands"
        ]


class TestShardedBot:
    @pytest.fixture
    def settings(self, data_dir: Path):
        return bot_settings(data_dir, sharded=True, cooldown_seconds=0)

    @pytest.mark.simcord(shard_count=2)
    async def test_a_sharded_bot_answers_like_the_plain_one(self, simcord_env):
        assert isinstance(simcord_env.bot, discord.AutoShardedClient)
        guild = simcord_env.create_guild(shard_id=1)
        channel = guild.create_text_channel("transfers")
        member = guild.add_member(simcord_env.create_user("alice"))
        result = await member.slash(channel, "ask", question=QUESTION)
        assert result.response.embeds[0].title == QUESTION
