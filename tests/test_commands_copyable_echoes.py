"""A feed URL or a cron schedule a reply quotes is one to copy back (into /feeds remove, into
/watchlist schedule): it is shown in a code span, as typed, on both platforms. Escaping it as
other typed text broke it (Discord's `https\u200b://…\\_`, Slack's look-alike `∗` and `ˍ`), and
the bot's own wording round an admin's URL showed its markup raw."""

from __future__ import annotations

import pytest

from bot.adapters.discord.interactions import render_reply
from bot.adapters.slack.replies import reply_messages
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.base import Reply
from bot.render.literal import code, literal, parts, unmarked
from bot.store import feeds as feed_store

SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)
DISCORD = CommandContext(platform="discord", channel_id="D1", user_id="U8", is_admin=True)
# Valid as a URL, full of markup: emphasis, strikethrough and a masked link. (A spoiler's `|` is
# not allowed raw in a URL: stored as %7C, it is no markup.)
MARKED_URL = "https://news.example/a_*b*_/~~x~~/[x](https://evil.example)"


def _drawn(reply: Reply, ctx: CommandContext) -> str:
    if ctx.platform == "discord":
        return "\n".join(m.content or "" for m in render_reply(reply))
    return "\n".join(m.text for m in reply_messages(reply))


def test_code_marks_a_span_every_reader_sees() -> None:
    text = f"Added {code('a_b*')} for {literal('x')}."
    assert parts(text) == [
        ("Added ", "bot"),
        ("a_b*", "code"),
        (" for ", "bot"),
        ("x", "typed"),
        (".", "bot"),
    ]
    assert unmarked(text) == "Added `a_b*` for x."


@pytest.mark.parametrize("ctx", [SLACK, DISCORD], ids=["slack", "discord"])
async def test_an_existing_feeds_url_comes_back_as_typed(
    core: NewsDigest, ctx: CommandContext
) -> None:
    commands = Commands(core)
    url = "https://news.example/feed_x_"
    await commands.dispatch("feeds", f"add {url}", ctx)
    again = await commands.dispatch("feeds", f"add {url}", ctx)
    assert f"`{url}`" in _drawn(again, ctx)
    removed = await commands.dispatch("feeds", f"remove {url}", ctx)
    assert _drawn(removed, ctx) == f"Removed feed `{url}`."


@pytest.mark.parametrize("ctx", [SLACK, DISCORD], ids=["slack", "discord"])
async def test_an_admins_url_shows_no_markup(core: NewsDigest, ctx: CommandContext) -> None:
    added = await Commands(core).dispatch("feeds", f"add {MARKED_URL}", ctx)
    drawn = _drawn(added, ctx)
    # All of it inside one code span, where neither platform formats or links anything.
    assert drawn.startswith(f"Added feed `{MARKED_URL}`."), drawn
    assert drawn.count("`") == 2


@pytest.mark.parametrize("ctx", [SLACK, DISCORD], ids=["slack", "discord"])
async def test_a_config_feeds_url_is_shown_as_code(core: NewsDigest, ctx: CommandContext) -> None:
    feed = next(f for f in feed_store.list_feeds(core.db) if f.origin == "config")
    reply = await Commands(core).dispatch("feeds", f"remove {feed.url}", ctx)
    assert _drawn(reply, ctx).startswith(f"`{feed.url}` is declared in the config file")


@pytest.mark.parametrize("ctx", [SLACK, DISCORD], ids=["slack", "discord"])
async def test_a_refused_cron_copies_back(core: NewsDigest, ctx: CommandContext) -> None:
    reply = await Commands(core).dispatch("watchlist", "schedule */15 * * * *", ctx)
    drawn = _drawn(reply, ctx)
    assert drawn.startswith("`*/15 * * * *` would post a digest more often"), drawn


async def test_a_pasted_paragraph_as_a_feed_is_not_echoed_in_full(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("feeds", "add " + "x" * 3000, SLACK)
    assert "http" in reply.text
    assert len(reply.text) < 400, len(reply.text)


@pytest.mark.parametrize("ctx", [SLACK, DISCORD], ids=["slack", "discord"])
async def test_a_very_long_feed_url_stays_in_one_message(
    core: NewsDigest, ctx: CommandContext
) -> None:
    # Split across Discord messages, a code span would end early and let the rest format.
    # (Longer than 2,048 characters, a URL is refused: tests/test_commands_long_echoes.py.)
    added = await Commands(core).dispatch("feeds", "add https://example.com/" + "a" * 2000, ctx)
    drawn = _drawn(added, ctx)
    assert "\n" not in drawn and len(drawn) < 700, len(drawn)
    assert drawn.count("`") == 2


@pytest.mark.parametrize("ctx", [SLACK, DISCORD], ids=["slack", "discord"])
async def test_a_feed_url_with_a_backtick_copies_back(
    core: NewsDigest, ctx: CommandContext
) -> None:
    # A backtick would end the span, and the look-alike (ˋ) the adapters show instead copied
    # back as another address: "No feed …". Percent-encoded, it is the same feed.
    commands = Commands(core)
    added = await commands.dispatch("feeds", "add https://news.example/feed?tag=a`b", ctx)
    shown = "https://news.example/feed?tag=a%60b"
    assert _drawn(added, ctx).startswith(f"Added feed `{shown}`."), _drawn(added, ctx)
    assert added.text.startswith(f"Added feed `{shown}`.")
    removed = await commands.dispatch("feeds", f"remove {shown}", ctx)
    assert _drawn(removed, ctx) == f"Removed feed `{shown}`."
    assert feed_store.get_feed_by_url(core.db, "https://news.example/feed?tag=a`b") is None


async def test_a_feed_stored_with_60_is_found_by_its_backtick(core: NewsDigest) -> None:
    # Discord's /feeds list links encode the backtick; a URL typed either way names the feed.
    feed_store.add_feed(core.db, "https://news.example/x%60y")
    removed = await Commands(core).dispatch("feeds", "remove https://news.example/x`y", DISCORD)
    assert removed.text == "Removed feed `https://news.example/x%60y`."


def test_a_backtick_in_other_code_is_a_look_alike_in_plain_text() -> None:
    # A cron holds no backtick; one typed anyway must not end the span of the plain text.
    assert unmarked(f"{code('a`b')} is no schedule") == "`aˋb` is no schedule"
