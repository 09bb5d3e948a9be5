"""A reply's list lines (/feeds list, /watchlist) carry text the bot did not write: a feed's own
title, the reason phrase its server sent with an error, a typed query. On both platforms that
text is shown literally, neither formatting the reply nor turning into a link, while the feed's
own address stays whole and clickable, to copy into /feeds remove."""

from __future__ import annotations

import sqlite_utils

from bot.adapters.discord.interactions import render_reply
from bot.adapters.slack.replies import reply_messages
from bot.commands.base import ListLine, Reply
from bot.commands.feed_lines import feed_line
from bot.store import feeds as feed_store

FEED_URL = "https://desk.example/feed.xml"
HOSTILE = ListLine(
    "#3 `Daily ~Wire~ *Desk* https://evil.example/login",
    FEED_URL,
    "(2 failures: HTTP 500 see *https://evil.example/help* _now_)",
)


def _slack_bullet(line: ListLine) -> str:
    (message,) = reply_messages(Reply("1 feed:", lines=[line]))
    texts = [b["text"]["text"] for b in message.blocks if b.get("type") == "section"]
    return next(t for t in texts if t.startswith("• "))


def _discord_bullet(line: ListLine) -> str:
    (message,) = render_reply(Reply("1 feed:", lines=[line]))
    assert message.content is not None
    return message.content.split("\n", 1)[1]


def test_slack_shows_feed_text_literally_and_links_only_the_feed_address() -> None:
    bullet = _slack_bullet(HOSTILE)
    # The feed's address is the one link; the addresses in its title and error are text.
    assert f"<{FEED_URL}|{FEED_URL}>" in bullet
    assert bullet.count("<") == 1 and "evil.example/login" in bullet
    # No emphasis or code span can open or close: the markers at word edges are look-alikes.
    for marker in ("`Daily", "*Desk*", "~Wire~", "*https", "_now_"):
        assert marker not in bullet


def test_discord_escapes_feed_text_and_keeps_the_feed_address_whole() -> None:
    bullet = _discord_bullet(HOSTILE)
    assert f"<{FEED_URL}>" in bullet
    # Addresses in the feed's own text are broken, so Discord does not link them.
    assert "https://evil.example" not in bullet and "https\u200b://evil.example" in bullet
    assert "\\*Desk\\*" in bullet and "\\`Daily" in bullet and "\\_now\\_" in bullet


def test_an_address_that_cannot_be_a_link_is_still_shown_whole_on_discord() -> None:
    bullet = _discord_bullet(ListLine("#1 Intranet", "http://10.0.0.5/feed", "(ok)"))
    assert "http://10.0.0.5/feed" in bullet and "<http" not in bullet


def test_a_feed_line_keeps_the_feed_title_apart_from_its_address(
    db: sqlite_utils.Database,
) -> None:
    feed_store.add_feed(db, FEED_URL, name="*Desk* https://evil.example")
    (feed,) = feed_store.list_feeds(db)
    line = feed_line(feed, whole=True)
    assert line.url == FEED_URL and "evil.example" in line.text
    assert str(line) == f"#{feed.id} *Desk* https://evil.example <{FEED_URL}> (not polled yet)"
