"""How command replies read: a value error gets its one line of usage (the whole usage is for a
command of the wrong shape), /digest names /watchlist as the platform spells it, a long /feeds
list is cut to one Slack message or a few Discord ones saying how much was left out, and a feed
without a name shows its URL once."""

from __future__ import annotations

import re

import pytest
from _sign_up import SIGNED_UP, SIGNED_UP_DISCORD

from bot.adapters.discord.escape import utf16_len
from bot.adapters.discord.interactions import MAX_LIST_MESSAGES, render_reply
from bot.adapters.slack.blocks import MAX_MESSAGE_CHARS, block_chars
from bot.adapters.slack.replies import reply_messages
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.base import Reply
from bot.commands.core import USAGE
from bot.store import feeds as feed_store

SLACK = CommandContext(platform="slack", channel_id="C1", user_id="U1")
DISCORD = CommandContext(platform="discord", channel_id="111", user_id="222")
SEE_ALL = "(run `newsdigest feeds list` on the bot's host for all)."


# `core`, and the `h` and `bot` over it, on an empty database (conftest).
pytestmark = pytest.mark.empty_core


@pytest.mark.parametrize(
    ("ctx", "usage"),
    [(SLACK, "/follow <topic> [query]"), (DISCORD, "/follow topic:<topic> [query:<query>]")],
    ids=["slack", "discord"],
)
async def test_a_bad_topic_name_gets_one_usage_line(
    core: NewsDigest, ctx: CommandContext, usage: str
) -> None:
    reply = await Commands(core).dispatch("follow", "café", ctx)
    assert reply.text == (
        "Topic names use only a-z, 0-9 and '-', at most 63 characters: 'café'. "
        f"Did you mean cafe?\nUsage: {usage}"
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        ("mode loud", "/watchlist mode digest|instant"),
        ("min-sources 0", "/watchlist min-sources N (1 to 50)"),
        ("quiet soon", "/watchlist quiet 22:00-07:00 | /watchlist quiet off"),
        ("timezone Mars/Base", "/watchlist timezone Europe/Berlin"),
    ],
)
async def test_a_bad_setting_value_gets_that_settings_usage(
    core: NewsDigest, args: str, line: str
) -> None:
    reply = await Commands(core).dispatch("watchlist", args, SLACK)
    _, usage = reply.text.split("\nUsage: ")
    assert usage == line
    assert len(reply.text) < 250


async def test_an_unknown_setting_gets_the_whole_usage(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "colour red", SLACK)
    assert reply.text == f"Unknown setting 'colour'.\nUsage: {USAGE['watchlist']}"


@pytest.mark.parametrize(
    ("ctx", "show", "signed_up"),
    [(SLACK, "/watchlist", SIGNED_UP), (DISCORD, "/watchlist show", SIGNED_UP_DISCORD)],
    ids=["slack", "discord"],
)
async def test_nothing_to_post_names_watchlist_as_the_platform_takes_it(
    core: NewsDigest, ctx: CommandContext, show: str, signed_up: str
) -> None:
    reply = await Commands(core).dispatch("digest", "", ctx)
    assert reply.text.startswith("Nothing to post to this channel yet")
    assert reply.text.endswith(f" {show} shows its settings.{signed_up}")


def _add_feeds(core: NewsDigest, count: int) -> None:
    for i in range(count):
        url = f"https://feeds{i}.example/very/long/path/" + "seg/" * 20 + f"rss{i}.xml"
        feed_store.add_feed(core.db, url, interval=900, origin="chat")


def _shown_and_dropped(lines: list[str], notice: str) -> tuple[int, int]:
    match = re.fullmatch(r"… and (\d+) more lines " + re.escape(SEE_ALL), notice)
    assert match, notice
    return sum(1 for line in lines if line.startswith("• ")), int(match.group(1))


async def test_a_long_feed_list_is_one_slack_message_within_its_cap(core: NewsDigest) -> None:
    _add_feeds(core, 129)
    reply = await Commands(core).dispatch("feeds", "list", SLACK)
    [message] = reply_messages(reply)
    assert sum(block_chars(b) for b in message.blocks) <= MAX_MESSAGE_CHARS
    *sections, notice = message.blocks
    lines = [line for s in sections for line in s["text"]["text"].splitlines()]
    shown, dropped = _shown_and_dropped(lines, notice["elements"][0]["text"])
    assert shown > 10 and shown + dropped == 129


async def test_a_long_feed_list_is_a_few_discord_messages(core: NewsDigest) -> None:
    _add_feeds(core, 129)
    reply = await Commands(core).dispatch("feeds", "list", DISCORD)
    messages = render_reply(reply)
    assert len(messages) == MAX_LIST_MESSAGES
    contents = [m.content or "" for m in messages]
    assert all(utf16_len(c) <= 2000 for c in contents)
    lines = "\n".join(contents).splitlines()
    shown, dropped = _shown_and_dropped(lines[:-1], lines[-1])
    assert shown + dropped == 129


async def test_a_short_list_is_not_cut(core: NewsDigest) -> None:
    _add_feeds(core, 5)
    reply = await Commands(core).dispatch("feeds", "list", DISCORD)
    [message] = render_reply(reply)
    assert "more lines" not in (message.content or "")
    [slack] = reply_messages(reply)
    assert all(b["type"] == "section" for b in slack.blocks)


def test_a_long_text_with_no_list_is_sent_whole_on_discord() -> None:
    # Nothing to leave out: every word goes, with no "… and 0 more lines" after it.
    text = " ".join(f"word{i}" for i in range(1700))
    messages = render_reply(Reply(text))
    contents = [m.content or "" for m in messages]
    assert len(contents) > MAX_LIST_MESSAGES
    assert all(utf16_len(c) <= 2000 for c in contents)
    assert "".join(contents) == text
    assert not any("more line" in c for c in contents)


async def test_an_unnamed_feed_shows_its_url_once(core: NewsDigest) -> None:
    feed = feed_store.add_feed(core.db, "https://plain.example/rss", interval=900, origin="chat")
    reply = await Commands(core).dispatch("feeds", "list", SLACK)
    assert [str(line) for line in reply.lines] == [
        f"#{feed.id} <https://plain.example/rss> (not polled yet)"
    ]
