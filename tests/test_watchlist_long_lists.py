"""/watchlist with many topics of long queries: the muted stories, each with the command that
undoes its mute, come before the topics, so a listing too long for one chat reply never drops
them; a long query is cut to QUERY_CHARS with "…" (25 topics of 990-character queries fit one
Slack message and Discord's three); the reply says where the whole queries are, and a listing
still cut says what it left out and where the rest is. A channel not signed up is told so
instead of being shown default settings as if they were live."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fakes.discord_api import APP_ID, FakeDiscord
from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_story
from test_discord_commands import CHANNEL, answer, make_bot, slash
from test_slack_app import Harness, ack_text, make_harness

from bot.app import NewsDigest
from bot.commands.hints import watchlist_hint
from bot.commands.overview import QUERY_CHARS
from bot.config import Config
from bot.store import channels as channel_store
from bot.store.database import open_database, utcnow

MUTED = ("story-m0", "story-m1", "story-m2")


def long_query(i: int) -> str:
    """A query of about 990 characters, as a pasted list of words would be."""
    return " OR ".join(f"word{i}x{j}" for j in range(75))[:990].rsplit(" OR ", 1)[0]


@pytest.fixture
def list_core(tmp_path: Path) -> Iterator[NewsDigest]:
    path = tmp_path / "nd.db"
    core = NewsDigest(Config(database=str(path)), db=open_database(path))
    for i in range(3):
        add_story(core.db, f"m{i}", ["Harbor Ledger", "Valley Times"], now=utcnow() - timedelta(1))
    yield core
    core.close()


def sign_up(core: NewsDigest, platform: str, channel_id: str, topics: int) -> None:
    channel = channel_store.ensure_channel(core.db, platform, channel_id)
    for i in range(topics):
        channel_store.upsert_topic(core.db, f"t{i:02d}", long_query(i), origin="chat")
        channel_store.follow(core.db, channel.id, f"t{i:02d}")
    for i in range(3):
        channel_store.mute_story(core.db, channel.id, f"m{i}")


@pytest.fixture
async def h(slack_api: FakeSlackAPI, list_core: NewsDigest) -> AsyncIterator[Harness]:
    async for harness in make_harness(slack_api, list_core):
        yield harness


def discord_text(api: FakeDiscord) -> str:
    """The whole answer: the interaction's response and its follow-up messages."""
    follow_ups = api.calls("POST", rf"/webhooks/{APP_ID}/[^/]+")
    return "\n".join([answer(api)["content"], *(f.body["content"] for f in follow_ups)])


def assert_all_listed(text: str, undo: str) -> None:
    for slug in MUTED:
        assert f"Muted: {slug}" in text and f"undo: {undo}{slug})" in text
    for i in range(25):
        # Each topic, its query cut with an ellipsis: not the whole of it.
        assert f"t{i:02d}: {long_query(i)[: QUERY_CHARS // 2]}" in text
        assert long_query(i) not in text
    assert "more lines" not in text
    assert f"Queries longer than {QUERY_CHARS} characters are cut here" in text
    assert "`newsdigest topics list` on the bot's host shows them whole." in text


async def test_slack_lists_every_mute_and_topic_of_a_long_watchlist(h: Harness) -> None:
    sign_up(h.core, "slack", "C1", 25)
    _, body = await h.slash("/watchlist")
    text = html.unescape(ack_text(body))
    assert_all_listed(text.replace("\\", ""), "/watchlist unmute ")
    # The mutes come first, before the topics.
    assert text.index("Muted: story-m2") < text.index("t00: ")


async def test_discord_lists_every_mute_and_topic_of_a_long_watchlist(
    discord_api: FakeDiscord, list_core: NewsDigest
) -> None:
    sign_up(list_core, "discord", str(CHANNEL), 25)
    bot = await make_bot(list_core)
    try:
        await slash(bot, "watchlist", "show")
        # Discord's escaping puts a backslash before markdown characters.
        text = discord_text(discord_api).replace("\\", "")
        assert_all_listed(text, "/watchlist unmute story:")
    finally:
        await bot.close()


async def test_a_listing_still_too_long_keeps_the_mutes_and_says_where_the_rest_is(
    h: Harness,
) -> None:
    sign_up(h.core, "slack", "C1", 120)
    _, body = await h.slash("/watchlist")
    text = html.unescape(ack_text(body)) + " ".join(
        e["text"] for b in body["blocks"] if b["type"] == "context" for e in b["elements"]
    )
    for slug in MUTED:
        assert f"Muted: {slug}" in text
    assert "more lines (the rest are topics this channel follows; `newsdigest topics list`" in text


async def test_slack_watchlist_in_a_channel_not_signed_up_says_it_gets_nothing(
    h: Harness,
) -> None:
    _, body = await h.slash("/watchlist")
    assert html.unescape(ack_text(body)) == (
        "This channel gets no posts from me yet. /follow <topic> or /digest signs it up: it "
        "then gets a digest daily at 09:00 UTC (/watchlist schedule changes when)."
    )
    assert "Following no topics" not in str(body) and "Mode:" not in str(body)
    assert channel_store.get_channel(h.core.db, "slack", "C1") is None


async def test_discord_watchlist_in_a_channel_not_signed_up_says_it_gets_nothing(
    discord_api: FakeDiscord, list_core: NewsDigest
) -> None:
    bot = await make_bot(list_core)
    try:
        await slash(bot, "watchlist", "show")
        assert answer(discord_api)["content"] == (
            "This channel gets no posts from me yet. /follow topic:<topic> or /digest signs it "
            "up: it then gets a digest daily at 09:00 UTC (/watchlist schedule "
            "when:<days and time> changes when).\n" + watchlist_hint("discord")
        )
        assert channel_store.get_channel(list_core.db, "discord", str(CHANNEL)) is None
    finally:
        await bot.close()
