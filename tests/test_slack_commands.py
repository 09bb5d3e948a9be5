"""The Slack app's slash commands end to end in HTTP mode: real signed requests in, exact Web
API payloads out (the harness is test_slack_app's)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from _sign_up import SIGNED_UP
from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_story
from test_slack_app import Harness, ack_text, make_harness, public_text

from bot.adapters.slack.blocks import card_messages
from bot.adapters.slack.command_text import command_text
from bot.app import NewsDigest
from bot.commands.core import Commands
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.database import utcnow
from bot.topics.query import StoryDoc, TopicQuery


@pytest.fixture
async def h(slack_api: FakeSlackAPI, slack_core: NewsDigest) -> AsyncIterator[Harness]:
    async for harness in make_harness(slack_api, slack_core):
        yield harness


# --- commands ----------------------------------------------------------------------------------------


async def test_every_command_has_help(h: Harness) -> None:
    for command in ("/story", "/follow", "/unfollow", "/watchlist", "/digest", "/feeds"):
        status, body = await h.slash(command, "help")
        assert status == 200
        assert ack_text(body).startswith(command)
    assert "chat.postMessage" not in h.slack_api.methods()


async def test_story_breakdown_is_public(h: Harness) -> None:
    now = utcnow() - timedelta(hours=2)
    add_story(h.core.db, "s1", ["Reuters", "AP", "BBC"], now=now)
    status, body = await h.slash("/story", "story-s1")
    assert (status, body) == (200, "")
    [call] = await h.slack_api.wait_for("chat.postMessage")
    card = h.core.card(h.core.story("s1"))  # type: ignore[arg-type]
    [message] = card_messages(card, full=True)
    assert call == {
        "channel": "C1",
        "text": message.text,
        "blocks": message.blocks,
        "unfurl_links": False,
        "unfurl_media": False,
    }
    # A read-only command does not sign the channel up for digests.
    assert channel_store.get_channel(h.core.db, "slack", "C1") is None


async def test_story_did_you_mean_and_injection(h: Harness) -> None:
    now = utcnow()
    add_story(h.core.db, "s1", ["Reuters"], now=now)
    add_story(h.core.db, "s2", ["AP"], now=now)
    _, body = await h.slash("/story", "story-s")
    assert "Did you mean" in ack_text(body)
    _, body = await h.slash("/story", "<!channel> <@U999> <!subteam^S1>")
    text = json.dumps(body)
    assert "<!channel>" not in text and "<@U999>" not in text and "<!subteam" not in text
    # The markup is read back as the words it stands for, and the echo cannot ping.
    assert "'@\u200bchannel @U999 @subteam'" in ack_text(body)
    _, body = await h.slash("/story")
    assert "Usage: /story" in ack_text(body)


async def test_follow_and_unfollow(h: Harness) -> None:
    _, body = await h.slash("/follow", 'chips "chip export" OR semiconductor')
    assert body == ""
    [call] = await h.slack_api.wait_for("chat.postMessage")
    described = TopicQuery.parse('"chip export" OR semiconductor').describe()
    assert call == public_text(f"This channel now follows chips (matching {described}).{SIGNED_UP}")
    channel = channel_store.get_channel(h.core.db, "slack", "C1")
    assert channel is not None
    assert [t.slug for t in channel_store.channel_topics(h.core.db, channel.id)] == ["chips"]

    _, body = await h.slash("/unfollow", "chips")
    calls = await h.slack_api.wait_for("chat.postMessage", 2)
    assert calls[1] == public_text(
        "This channel no longer follows chips. It follows no topics now, so every story with "
        "at least 2 independent sources will be posted; /follow a topic to narrow it."
    )
    _, body = await h.slash("/follow", "nosuch")
    assert "There is no topic 'nosuch'" in ack_text(body)
    _, body = await h.slash("/follow", "Bad_Slug!")
    assert "Usage: /follow" in ack_text(body)


async def test_admin_can_change_a_topics_query_with_follow(h: Harness) -> None:
    h.slack_api.users["UADMIN"] = {"id": "UADMIN", "is_admin": True}
    h.slack_api.users["UNOBODY"] = {"id": "UNOBODY"}
    channel_store.upsert_topic(h.core.db, "chips", "chip", origin="config")

    _, body = await h.slash("/follow", "chips semiconductor", user="UNOBODY")
    assert ack_text(body).startswith("The topic 'chips' already exists (chip); only admins")
    assert channel_store.get_topic(h.core.db, "chips").query == "chip"  # type: ignore[union-attr]

    _, body = await h.slash("/follow", "chips query: semiconductor", user="UADMIN")
    assert body == ""
    [call] = await h.slack_api.wait_for("chat.postMessage")
    assert call == public_text(
        "This channel now follows chips (matching semiconductor, changed from chip for every "
        "channel that follows it)." + SIGNED_UP
    )
    assert channel_store.get_topic(h.core.db, "chips").query == "semiconductor"  # type: ignore[union-attr]
    assert {"user": "UADMIN"} in h.slack_api.calls_to("users.info")


async def test_follow_without_a_query_asks_no_admin_lookup(h: Harness) -> None:
    channel_store.upsert_topic(h.core.db, "chips", "chip", origin="config")
    _, body = await h.slash("/follow", "chips", user="UNOBODY")
    assert body == ""
    [call] = await h.slack_api.wait_for("chat.postMessage")
    assert call == public_text("This channel now follows chips." + SIGNED_UP)
    assert h.slack_api.calls_to("users.info") == []


async def test_escaped_ampersand_in_a_query_is_stored_as_typed(h: Harness) -> None:
    # Slack sends `/follow att "AT&T"` with the ampersand escaped.
    _, body = await h.slash("/follow", 'att "AT&amp;T"')
    assert body == ""
    [call] = await h.slack_api.wait_for("chat.postMessage")
    # As typed, then as read: the & is no word a search can find.
    assert call == public_text(
        'This channel now follows att (matching "AT&T", read as "at t").' + SIGNED_UP
    )
    stored = channel_store.get_topic(h.core.db, "att")
    assert stored is not None and stored.query == '"AT&T"'
    assert TopicQuery.parse(stored.query).matches(StoryDoc(text="AT&T beats estimates"))


@pytest.mark.parametrize(
    "sent",
    [
        "add <https://feeds.example/rss?a=1&amp;b=2>",
        "add <https://feeds.example/rss?a=1&amp;b=2|feeds.example/rss?a=1&amp;b=2>",
        "add https://feeds.example/rss?a=1&amp;b=2",
    ],
)
async def test_feed_url_from_slack_markup_is_stored_unescaped(h: Harness, sent: str) -> None:
    _, body = await h.slash("/feeds", sent, user="UCONFIG")
    assert ack_text(body).startswith("Added feed `https://feeds.example/rss?a=1&amp;b=2`.")
    assert [f.url for f in feed_store.list_feeds(h.core.db)] == [
        "https://feeds.example/rss?a=1&b=2"
    ]


def test_command_text_undoes_slack_escaping_and_markup() -> None:
    assert command_text("&lt;b&gt; &amp;amp; x") == "<b> &amp; x"
    assert (
        command_text("<https://a.example/?q=1&amp;r=2|a.example>") == "https://a.example/?q=1&r=2"
    )
    # A channel link stays one, as Discord's `<#id>` arrives: /follow refuses it in a query.
    assert (
        command_text("<#C123|news> <#C9> <@U1|bob> <@U2> <!here>")
        == "<#C123|news> <#C9> @bob @U2 @here"
    )
    assert command_text("<mailto:me@a.example|me@a.example>") == "me@a.example"
    assert (
        command_text('chips "chip export" OR semiconductor')
        == 'chips "chip export" OR semiconductor'
    )


async def test_watchlist_show_and_change(h: Harness) -> None:
    _, body = await h.slash("/watchlist")
    assert ack_text(body).startswith("This channel gets no posts from me yet.")
    hint = body["blocks"][-1]  # type: ignore[index]
    assert hint["type"] == "context" and "/watchlist schedule" in hint["elements"][0]["text"]

    _, body = await h.slash("/watchlist", "schedule weekdays 09:00 Europe/Berlin")
    assert ack_text(body).startswith("Saved.")
    _, body = await h.slash("/watchlist")
    text = ack_text(body)
    assert "Mode: digest" in text and "min-sources: 2" in text
    _, body = await h.slash("/watchlist", "mode instant")
    _, body = await h.slash("/watchlist", "min-sources 3")
    channel = channel_store.get_channel(h.core.db, "slack", "C1")
    assert channel is not None
    assert (channel.schedule, channel.timezone) == ("0 9 * * mon-fri", "Europe/Berlin")
    assert (channel.mode, channel.min_sources) == ("instant", 3)

    for bad in ("min-sources lots", "mode sometimes", "schedule someday", "colour blue"):
        _, body = await h.slash("/watchlist", bad)
        text = ack_text(body)
        assert "Traceback" not in text and ("Usage" in text or "schedule" in text)
    assert "chat.postMessage" not in h.slack_api.methods()


async def test_digest_posts_now(h: Harness) -> None:
    add_story(h.core.db, "s1", ["Reuters", "AP", "BBC"], now=utcnow())
    _, body = await h.slash("/digest")
    assert body == ""
    [call] = await h.slack_api.wait_for("chat.postMessage")
    assert call["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "News digest", "emoji": False},
    }
    assert call["unfurl_links"] is False and call["unfurl_media"] is False
    assert "newsdigest_mute:s1" in json.dumps(call["blocks"])


async def test_digest_through_runner_hook(slack_api: FakeSlackAPI, slack_core: NewsDigest) -> None:
    asked: list[str] = []

    async def post_digest(channel: channel_store.ChannelRow) -> int:
        asked.append(channel.channel_id)
        return 2

    kicks: list[int] = []
    commands = Commands(slack_core, post_digest=post_digest)
    async for h in make_harness(
        slack_api, slack_core, commands=commands, on_change=lambda: kicks.append(1)
    ):
        _, body = await h.slash("/digest")
        assert ack_text(body) == "Posting 2 stories to this channel." + SIGNED_UP
    assert asked == ["C1"] and kicks == [1]


async def test_feeds_admin_rules(h: Harness) -> None:
    h.slack_api.users["UADMIN"] = {"id": "UADMIN", "is_admin": True}
    h.slack_api.usergroups = [{"id": "S1", "handle": "news-admins", "name": "News admins"}]
    h.slack_api.group_members["S1"] = ["UGROUP"]

    _, body = await h.slash("/feeds", "add https://feeds.example/rss", user="UNOBODY")
    # Slack's own admins only, not Discord's Manage Server.
    assert ack_text(body) == (
        "Only admins can add or remove feeds (workspace admins, or the admin users and group "
        "the bot's config names)."
    )
    _, body = await h.slash("/feeds", "add https://feeds.example/a", user="UADMIN")
    assert "Added feed `https://feeds.example/a`" in ack_text(body)
    _, body = await h.slash("/feeds", "add https://feeds.example/b", user="UGROUP")
    assert "Added feed `https://feeds.example/b`" in ack_text(body)
    calls_before = len(h.slack_api.calls)
    _, body = await h.slash("/feeds", "remove https://feeds.example/b", user="UCONFIG")
    assert "Removed feed" in ack_text(body)
    assert len(h.slack_api.calls) == calls_before  # admin_users from the config need no API call
    _, body = await h.slash("/feeds", "list", user="UNOBODY")
    assert "1 feed:" in ack_text(body)
    assert h.slack_api.calls_to("users.info")[0] == {"user": "UNOBODY"}
    assert h.slack_api.calls_to("usergroups.users.list")[0]["usergroup"] == "S1"


async def test_slow_command_acks_first(slack_api: FakeSlackAPI, slack_core: NewsDigest) -> None:
    commands = Commands(slack_core)
    dispatch = commands.dispatch

    async def slow_dispatch(*args: Any) -> Any:
        await asyncio.sleep(0.2)
        return await dispatch(*args)

    commands.dispatch = slow_dispatch  # type: ignore[method-assign]
    async for h in make_harness(slack_api, slack_core, commands=commands, ack_budget=0.05):
        _, body = await h.slash("/watchlist", "help", trigger="slow")
        assert body == "Working on it…"  # a plain-text ack shows as an ephemeral note
        [reply] = await slack_api.wait_for("response_url:slow")
        assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
        assert reply["text"].startswith("/watchlist")


async def test_redelivered_command_runs_once(h: Harness) -> None:
    await h.slash("/follow", "chips query: chip", trigger="same")
    await h.slash("/follow", "chips query: chip", trigger="same")
    await h.slack_api.wait_for("chat.postMessage")
    await h.slash("/watchlist")  # a later command still runs
    assert len(h.slack_api.calls_to("chat.postMessage")) == 1
