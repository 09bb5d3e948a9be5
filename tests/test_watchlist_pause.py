"""`/watchlist pause` stops posting to a channel until `/watchlist resume`, as the usage offers
both; a pause the bot set keeps its reason. A channel the operator took out of the config file is
resumed only by an admin (the gate `/feeds add` uses): its pause reason invites a resume, but
keeping it is the operator's call. Real dispatch through Slack's app and Discord's, real SQLite."""

from __future__ import annotations

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import CHANNEL, MANAGE_GUILD, answer, slash
from test_slack_app import Harness, ack_text

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.core import usage
from bot.store import channels as channel_store
from bot.store.channels import PAUSED_IN_CHAT
from bot.store.sync import REMOVED_FROM_CONFIG

pytestmark = pytest.mark.empty_core

PAUSED = "Posting is paused: paused in chat (/watchlist resume to resume)."
ADMINS_ONLY = (
    "Posting to this channel is paused because the bot's operator took it out of the config "
    "file. Only admins can resume it ({}, or the admin users and group the bot's config names)."
)
# Each platform names its own admins only.
SLACK_ADMINS_ONLY = ADMINS_ONLY.format("workspace admins")
DISCORD_ADMINS_ONLY = ADMINS_ONLY.format("members with Manage Server")


def _reason(core: NewsDigest, platform: str, channel_id: str) -> str | None:
    channel = channel_store.get_channel(core.db, platform, channel_id)
    assert channel is not None
    return channel.paused_reason


def _removed_from_config(core: NewsDigest, platform: str, channel_id: str) -> None:
    channel = channel_store.ensure_channel(core.db, platform, channel_id, name="news")
    channel_store.update_channel(core.db, channel.id, paused_reason=REMOVED_FROM_CONFIG)


async def test_slack_pause_and_resume(h: Harness, core: NewsDigest) -> None:
    _, body = await h.slash("/watchlist", "pause")
    # Nothing to pause in a channel that gets nothing, and no sign-up for it.
    assert ack_text(body) == "This channel gets no posts from me, so there is nothing to pause."
    assert channel_store.get_channel(core.db, "slack", "C1") is None
    await h.slash("/watchlist", "mode digest")
    _, body = await h.slash("/watchlist", "pause")
    assert ack_text(body).startswith("Saved. Mode: digest")
    assert f"\n{PAUSED}" in ack_text(body)
    assert _reason(core, "slack", "C1") == PAUSED_IN_CHAT
    _, body = await h.slash("/digest")
    assert ack_text(body) == f"Posting to this channel is paused: {PAUSED_IN_CHAT}."
    _, body = await h.slash("/watchlist", "resume")
    assert ack_text(body).startswith("Saved. Mode: digest")
    assert _reason(core, "slack", "C1") is None


async def test_discord_pause_and_resume(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "watchlist", "mode", mode="digest")
    await slash(bot, "watchlist", "pause")
    assert f"\n{PAUSED}\n" in answer(discord_api)["content"]
    assert _reason(core, "discord", str(CHANNEL)) == PAUSED_IN_CHAT
    await slash(bot, "watchlist", "resume")
    assert answer(discord_api)["content"].startswith("Saved. Mode: digest")
    assert _reason(core, "discord", str(CHANNEL)) is None


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_a_pause_the_bot_set_keeps_its_reason(core: NewsDigest, platform: str) -> None:
    channel = channel_store.ensure_channel(core.db, platform, "C7", name="news")
    channel_store.update_channel(core.db, channel.id, paused_reason="channel archived")
    ctx = CommandContext(platform=platform, channel_id="C7", user_id="U1")
    reply = await Commands(core).dispatch("watchlist", "pause", ctx)
    assert reply.text == "Posting to this channel is already paused: channel archived."
    assert _reason(core, platform, "C7") == "channel archived"


@pytest.mark.parametrize("platform", ["slack", "discord"])
def test_the_usage_offers_pause_beside_resume(platform: str) -> None:
    assert "/watchlist pause | /watchlist resume" in usage("watchlist", platform)


# "Resume.": the sentence's full stop is no part of the setting: read as resume, and gated as one.
@pytest.mark.parametrize("typed", ["resume", "Resume."])
async def test_slack_resume_of_a_channel_out_of_the_config_is_for_admins(
    h: Harness, core: NewsDigest, typed: str
) -> None:
    _removed_from_config(core, "slack", "C1")
    _, body = await h.slash("/watchlist", typed)
    assert ack_text(body) == SLACK_ADMINS_ONLY
    assert _reason(core, "slack", "C1") == REMOVED_FROM_CONFIG
    h.slack_api.users["UADMIN"] = {"id": "UADMIN", "is_admin": True}
    _, body = await h.slash("/watchlist", typed, user="UADMIN")
    assert ack_text(body).startswith("Saved. Mode: digest")
    assert _reason(core, "slack", "C1") is None


@pytest.mark.parametrize("typed", ['"resume"', "“resume”", "resume:", "Resume", "Resume."])
async def test_slack_admins_resume_by_any_spelling_the_command_reads(
    h: Harness, core: NewsDigest, typed: str
) -> None:
    # Slack asks users.info only for the commands the core's rule names: a spelling /watchlist
    # reads as resume that the rule did not left the admin refused as anyone.
    _removed_from_config(core, "slack", "C1")
    h.slack_api.users["UADMIN"] = {"id": "UADMIN", "is_admin": True}
    _, body = await h.slash("/watchlist", typed, user="UADMIN")
    assert ack_text(body).startswith("Saved. Mode: digest")
    assert _reason(core, "slack", "C1") is None


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_pause_and_resume_typed_as_a_sentence_are_read(
    core: NewsDigest, platform: str
) -> None:
    channel_store.ensure_channel(core.db, platform, "C7", name="news")
    ctx = CommandContext(platform=platform, channel_id="C7", user_id="U1")
    commands = Commands(core)
    reply = await commands.dispatch("watchlist", "Pause.", ctx)
    assert reply.text.startswith("Saved.")
    assert _reason(core, platform, "C7") == PAUSED_IN_CHAT
    reply = await commands.dispatch("watchlist", "resume.", ctx)
    assert reply.text.startswith("Saved.")
    assert _reason(core, platform, "C7") is None


async def test_discord_resume_of_a_channel_out_of_the_config_is_for_admins(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    _removed_from_config(core, "discord", str(CHANNEL))
    await slash(bot, "watchlist", "resume")
    assert answer(discord_api)["content"] == DISCORD_ADMINS_ONLY
    assert _reason(core, "discord", str(CHANNEL)) == REMOVED_FROM_CONFIG
    await slash(bot, "watchlist", "resume", permissions=MANAGE_GUILD)
    assert answer(discord_api)["content"].startswith("Saved. Mode: digest")
    assert _reason(core, "discord", str(CHANNEL)) is None


async def test_a_resume_when_slack_cannot_say_who_is_admin_says_so(core: NewsDigest) -> None:
    _removed_from_config(core, "slack", "C7")
    ctx = CommandContext(platform="slack", channel_id="C7", user_id="U1", admin_unknown=True)
    reply = await Commands(core).dispatch("watchlist", "resume", ctx)
    assert reply.text == (
        "I could not check whether you are an admin just now: Slack did not answer. Posting was "
        "not resumed; please try again in a minute."
    )


def test_pause_signs_no_channel_up() -> None:
    # So Slack is not asked whether the bot can post in the channel for it.
    assert not Commands.may_sign_up("watchlist", "pause")


@pytest.mark.parametrize("platform", ["slack", "discord"])
@pytest.mark.parametrize(
    ("typed", "setting"),
    [("pause for 2 hours", "pause"), ("pause help", "pause"), ("resume please", "resume")],
)
async def test_words_after_pause_or_resume_are_refused_not_ignored(
    core: NewsDigest, platform: str, typed: str, setting: str
) -> None:
    # No duration is read: `pause for 2 hours` must not pause for good while seeming understood.
    channel = channel_store.ensure_channel(core.db, platform, "C7", name="news")
    if setting == "resume":
        channel_store.update_channel(core.db, channel.id, paused_reason=PAUSED_IN_CHAT)
    before = _reason(core, platform, "C7")
    ctx = CommandContext(platform=platform, channel_id="C7", user_id="U1", is_admin=True)
    reply = await Commands(core).dispatch("watchlist", typed, ctx)
    extra = typed.partition(" ")[2]
    assert reply.text.startswith(f"/watchlist {setting} takes nothing after it")
    assert f"'{extra}' was not read" in reply.text
    assert reply.text.endswith(f"Usage: /watchlist {setting}")
    assert _reason(core, platform, "C7") == before


async def test_slack_pause_for_two_hours_is_refused(h: Harness, core: NewsDigest) -> None:
    await h.slash("/watchlist", "mode digest")
    _, body = await h.slash("/watchlist", "pause for 2 hours")
    assert ack_text(body).startswith("/watchlist pause takes nothing after it")
    assert _reason(core, "slack", "C1") is None


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_a_member_pausing_a_channel_out_of_the_config_is_told_an_admin_can_resume(
    core: NewsDigest, platform: str
) -> None:
    _removed_from_config(core, platform, "C7")
    ctx = CommandContext(platform=platform, channel_id="C7", user_id="U1")
    reply = await Commands(core).dispatch("watchlist", "pause", ctx)
    assert reply.text == (
        "Posting to this channel is already paused: removed from the config file (an admin can "
        "/watchlist resume it to keep it)."
    )
    # What is stored, which the sync matches exactly, is unchanged.
    assert _reason(core, platform, "C7") == REMOVED_FROM_CONFIG
