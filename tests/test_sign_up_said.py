"""A command that signs a channel up for scheduled posts (an accepted /follow or /digest in a
channel with no row yet) says so in its reply, once: what the channel now gets and how to
change when (a /watchlist setting's "Saved." shows the schedule already). On Slack, a command typed in a direct message between other
people, where the bot cannot post, signs nothing up and says why."""

from __future__ import annotations

import html
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fakes.discord_api import FakeDiscord
from fakes.slack_api import FakeSlackAPI
from test_discord_commands import CHANNEL, answer, make_bot, slash
from test_slack_app import Harness, ack_text, make_harness

from bot.adapters.slack.direct_messages import NOT_IN_PRIVATE, NOT_OUR_DM
from bot.app import NewsDigest
from bot.commands.core import Commands
from bot.config import Config
from bot.store import channels as channel_store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

SIGNED_UP = "This channel now gets a digest daily at 09:00 UTC; /watchlist schedule changes when."
# Discord's /watchlist schedule runs only with its `when:` option filled: the note names it.
SIGNED_UP_DISCORD = (
    "This channel now gets a digest daily at 09:00 UTC; "
    "/watchlist schedule when:<days and time> changes when."
)


@pytest.fixture
def plain_core(tmp_path: Path) -> Iterator[NewsDigest]:
    path = tmp_path / "nd.db"
    core = NewsDigest(Config(database=str(path)), db=open_database(path))
    yield core
    core.close()


async def nothing_to_post(channel: ChannelRow) -> int:
    return 0


@pytest.fixture
async def h(slack_api: FakeSlackAPI, plain_core: NewsDigest) -> AsyncIterator[Harness]:
    commands = Commands(plain_core, post_digest=nothing_to_post)
    async for harness in make_harness(slack_api, plain_core, commands=commands):
        yield harness


async def slash_in(
    h: Harness, channel_id: str, command: str, text: str = "", name: str = "directmessage"
) -> dict[str, Any] | str:
    """A slash command typed in a direct message (Slack names every DM `directmessage`), or in
    the conversation `name` names."""
    h.triggers += 1
    body = urlencode(
        {
            "token": "x",
            "team_id": "T1",
            "channel_id": channel_id,
            "channel_name": name,
            "user_id": "U1",
            "command": command,
            "text": text,
            "response_url": h.slack_api.response_url(f"dm-{h.triggers}"),
            "trigger_id": f"dm-{h.triggers}",
        }
    )
    _, raw = await h.post(body, h.signed(body))
    return json.loads(raw) if raw.startswith("{") else raw


async def test_slack_follow_says_the_sign_up_once(h: Harness) -> None:
    await h.slash("/follow", "chips query: chip OR wafer")
    [post] = await h.slack_api.wait_for("chat.postMessage")
    assert post["text"] == f"This channel now follows chips (matching chip OR wafer).\n{SIGNED_UP}"
    await h.slash("/follow", "moon query: moon")
    posts = await h.slack_api.wait_for("chat.postMessage", 2)
    assert posts[1]["text"] == "This channel now follows moon (matching moon)."


async def test_slack_digest_says_the_sign_up_once(h: Harness) -> None:
    _, body = await h.slash("/digest")
    assert ack_text(body).endswith(f"/watchlist shows its settings.\n{SIGNED_UP}")
    _, body = await h.slash("/digest")
    assert "now gets a digest" not in ack_text(body)


async def test_a_first_setting_shows_the_schedule_it_signed_up_for(h: Harness) -> None:
    _, body = await h.slash("/watchlist", "quiet 22:00-07:00")
    assert ack_text(body).startswith("Saved. Mode: digest · schedule: daily 09:00 UTC")


async def test_a_refused_command_signs_nothing_up_and_says_nothing(h: Harness) -> None:
    _, body = await h.slash("/follow", "nosuch")
    assert "now gets" not in ack_text(body)
    assert channel_store.get_channel(h.core.db, "slack", "C1") is None


async def test_slack_dm_between_other_people_is_not_signed_up(h: Harness) -> None:
    for command, text in (
        ("/digest", ""),
        ("/follow", "chips query: chip"),
        ("/watchlist", "mode instant"),
    ):
        body = await slash_in(h, "DOTHERS", command, text)
        assert html.unescape(ack_text(body)) == NOT_OUR_DM
    assert channel_store.get_channel(h.core.db, "slack", "DOTHERS") is None
    assert channel_store.get_topic(h.core.db, "chips") is None
    assert h.slack_api.calls_to("conversations.open")[0] == {"users": "U1"}
    # Read-only commands that name no command to sign up are answered without asking Slack.
    asked = len(h.slack_api.calls_to("conversations.open"))
    body = await slash_in(h, "DOTHERS", "/watchlist", "resume")
    assert ack_text(body) == "Posting to this channel is not paused, so there is nothing to resume."
    assert len(h.slack_api.calls_to("conversations.open")) == asked


@pytest.mark.parametrize("text", ["", "show"])
async def test_slack_watchlist_in_a_dm_between_other_people_names_no_refused_command(
    h: Harness, text: str
) -> None:
    """/watchlist in a channel not signed up says /follow or /digest would sign it up: in a DM
    the bot is not in, both are refused, so it says why nothing can be posted there instead."""
    body = await slash_in(h, "DOTHERS", "/watchlist", text)
    assert html.unescape(ack_text(body)) == NOT_OUR_DM
    assert channel_store.get_channel(h.core.db, "slack", "DOTHERS") is None
    # In the bot's own DM (the fake's D1 with U1) it still says what signs the channel up.
    body = await slash_in(h, "D1", "/watchlist", text)
    assert ack_text(body).startswith("This channel gets no posts from me yet.")


async def test_slack_dm_check_without_an_answer_goes_on_as_before(h: Harness) -> None:
    """conversations.open's connection dropping (no SlackApiError) failed the whole command;
    without an answer the command goes on as it did before the check was asked."""
    h.slack_api.api_drops.add("conversations.open")
    body = await slash_in(h, "D1", "/digest")
    assert ack_text(body).endswith(SIGNED_UP)
    assert h.slack_api.calls_to("conversations.open")


@pytest.mark.parametrize(
    ("channel_id", "name"),
    [("CSECRET", "privategroup"), ("GOLDPRIV", "privategroup"), ("CGROUP", "mpdm-ana--bo--cy-1")],
)
async def test_slack_private_channel_the_bot_is_not_in_is_not_signed_up(
    h: Harness, channel_id: str, name: str
) -> None:
    """A private channel or group DM the bot was not added to: only a DM between others was
    told apart, so a /follow there signed it up for digests that could only fail."""
    h.slack_api.private_channels[channel_id] = False
    for command, text in (("/follow", "chips query: chip"), ("/digest", ""), ("/watchlist", "")):
        body = await slash_in(h, channel_id, command, text, name=name)
        assert html.unescape(ack_text(body)) == NOT_IN_PRIVATE
    assert channel_store.get_channel(h.core.db, "slack", channel_id) is None
    assert channel_store.get_topic(h.core.db, "chips") is None
    assert h.slack_api.calls_to("conversations.info")[0] == {"channel": channel_id}
    # Once the bot is added, the same command signs the channel up.
    h.slack_api.private_channels[channel_id] = True
    body = await slash_in(h, channel_id, "/digest", name=name)
    assert ack_text(body).endswith(SIGNED_UP)
    row = channel_store.get_channel(h.core.db, "slack", channel_id)
    assert row is not None
    # "privategroup" is Slack's stand-in for the name, not the channel's name.
    assert row.name != "privategroup"


async def test_slack_private_channel_check_without_the_scope_goes_on_as_before(
    h: Harness,
) -> None:
    # An app installed before the manifest asked for mpim:read: Slack says so for a group DM.
    h.slack_api.script("conversations.info", body={"ok": False, "error": "missing_scope"})
    body = await slash_in(h, "CGROUP", "/digest", name="mpdm-ana--bo--cy-1")
    assert ack_text(body).endswith(SIGNED_UP)


async def test_slack_public_channel_is_not_asked_about(h: Harness) -> None:
    body = await slash_in(h, "CPUBLIC", "/digest", name="team-news")
    assert ack_text(body).endswith(SIGNED_UP)
    assert h.slack_api.calls_to("conversations.info") == []


async def test_slack_dm_with_the_bot_is_signed_up(h: Harness) -> None:
    # The fake's DM between the bot and U1 is D1.
    body = await slash_in(h, "D1", "/digest")
    assert ack_text(body).endswith(SIGNED_UP)
    assert channel_store.get_channel(h.core.db, "slack", "D1") is not None


def deferred_answer(api: FakeDiscord) -> str:
    """/digest defers first (it may build cards), then edits its answer in."""
    edit = api.calls("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")[-1]
    return str(edit.body["content"])


async def test_discord_says_the_sign_up_once(
    discord_api: FakeDiscord, plain_core: NewsDigest
) -> None:
    bot = await make_bot(plain_core, post_digest=nothing_to_post)
    try:
        await slash(bot, "follow", topic="harbor", query="harbor OR lighthouse")
        assert answer(discord_api)["content"].endswith(f").\n{SIGNED_UP_DISCORD}")
        await slash(bot, "digest")
        assert "now gets" not in deferred_answer(discord_api)
        assert channel_store.get_channel(plain_core.db, "discord", str(CHANNEL)) is not None
    finally:
        await bot.close()


async def test_discord_digest_says_the_sign_up(
    discord_api: FakeDiscord, plain_core: NewsDigest
) -> None:
    bot = await make_bot(plain_core, post_digest=nothing_to_post)
    try:
        await slash(bot, "digest")
        assert deferred_answer(discord_api).endswith(SIGNED_UP_DISCORD)
    finally:
        await bot.close()
