"""Naming a feed in chat: the disabled-feed alert and /feeds list give its URL as well as its id
(an id from an old listing may name no feed now), the alert tells a config-declared feed to be removed
from the config file, and /feeds remove takes the id as listed or the URL in any spelling. The
real service and poller against loopback feeds, real SQLite, the fake chat adapter."""

from __future__ import annotations

import re
from pathlib import Path

from fakes.chat import FakeChatAdapter
from fakes.runner import stop

from bot.adapters.discord.messages import escape_notice
from bot.adapters.discord.packing import CONTENT_LIMIT, split_content
from bot.adapters.slack.escape import notice_line as slack_notice_line
from bot.app import NewsDigest
from bot.commands.base import CommandContext
from bot.config import ChannelConfig, Config, FeedConfig, PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.render.literal import unmarked
from bot.runner.feed_alerts import disabled_feed_text
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import feeds as feed_store
from bot.store.database import open_database, utcnow

GONE = "feed is gone (HTTP 410); remove it or re-enable it by hand"
ADMIN = CommandContext(platform="slack", channel_id="C1", user_id="U1", is_admin=True)


def rss(outlet: str, title: str) -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{outlet}</title>'
        f"<link>http://{outlet}.example/</link><description>x</description>"
        f"<item><title>{title}</title><link>http://{outlet}.example/1.html</link>"
        f"<guid>{outlet}-1</guid><description>{title}, officials said on Monday.</description>"
        "</item></channel></rss>"
    ).encode()


async def test_a_disabled_feed_is_named_by_url_and_removed_where_it_was_added(
    tmp_path: Path,
) -> None:
    now = utcnow()
    with FeedServer() as server:
        # Each feed serves one story, then answers 410 Gone, which disables it at once.
        server.script(
            "/config.xml", Reply(body=rss("alpha", "Harbour bridge reopens")), Reply(status=410)
        )
        server.script(
            "/chat.xml", Reply(body=rss("beta", "Glacier melt speeds up")), Reply(status=410)
        )
        config = Config(
            database=str(tmp_path / "nd.db"),
            polling=PollingConfig(allow_private_networks=True, timeout=5.0),
            feeds=[FeedConfig(url=server.url("/config.xml"))],
            channels=[ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=1)],
        )
        core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
        settings = RunnerSettings(health_port=None, post_pace=0, start_spread=3600)
        service = Service(config, core=core, settings=settings, clock=lambda: now, env={})
        chat = FakeChatAdapter("slack")
        service.register_adapter(chat)
        await service.start()
        commands = service.commands
        chat_url = server.url("/chat.xml")
        added = await commands.dispatch("feeds", f"add {chat_url}", ADMIN)
        assert added.text.startswith(f"Added feed `{chat_url}`.")
        for _ in range(2):  # the stories, posted; then 410 Gone
            report = await core.poll(feeds=feed_store.list_feeds(service.db), now=now)
            await service.on_poll_pass(report)
            await service.outbox.drain()
        listing = await commands.dispatch("feeds", "list", ADMIN)
        # The chat feed goes by a URL in another spelling; the config feed stays.
        refused = await commands.dispatch("feeds", "remove #1", ADMIN)
        removed = await commands.dispatch(
            "feeds", "remove " + chat_url.replace("http://", "HTTP://"), ADMIN
        )
        # A new feed gets an id of its own, never the removed feed's #2: an old alert or listing
        # naming #2 cannot reach it (and the alert's commands name the URL anyway).
        await commands.dispatch("feeds", f"add {server.url('/new.xml')}", ADMIN)
        relisted = await commands.dispatch("feeds", "list", ADMIN)
        await stop(service)

    config_url = server.url("/config.xml")
    assert len(chat.cards()) == 2
    assert sorted(unmarked(m.text) for m in chat.texts()) == [
        f"The feed alpha (`{config_url}`, feed #1) was disabled after 1 failed poll: {GONE}. "
        "Its stories will be missing until it is fixed.\n"
        f"An admin can re-enable it with newsdigest feeds enable `{config_url}`\n"
        "or remove it from the config file's [[feeds]].",
        f"The feed beta (`{chat_url}`, feed #2) was disabled after 1 failed poll: {GONE}. "
        "Its stories will be missing until it is fixed.\n"
        f"An admin can re-enable it with newsdigest feeds enable `{chat_url}`\n"
        f"or remove it with /feeds remove `{chat_url}`",
    ]
    assert list(map(str, listing.lines)) == [
        f"#1 alpha <{config_url}> (disabled: {GONE}; in the config file)",
        f"#2 beta <{chat_url}> (disabled: {GONE})",
    ]
    assert refused.text == f"`{config_url}` is declared in the config file; remove it there."
    assert removed.text == f"Removed feed `{chat_url}`."
    # Unnamed, it is named by its URL, shown once.
    assert str(relisted.lines[1]) == f"#3 <{server.url('/new.xml')}> (not polled yet)"


def _code_after(text: str, before: str) -> str:
    """The code span right after `before` in a rendered notice."""
    found = re.search(re.escape(before) + r"`([^`]*)`", text)
    assert found is not None, text
    return found.group(1)


def test_the_alerts_commands_copy_back_the_feed_they_name(tmp_path: Path) -> None:
    # A feed on an intranet address, "@everyone" and edge underscores in its path, as a feed
    # added with polling.allow_private_networks may be; and a title that tries to ping.
    db = open_database(tmp_path / "nd.db")
    stored = feed_store.add_feed(db, "http://10.0.0.5/_news_/@everyone/rss_", origin="chat")
    feed = {
        "id": stored.id,
        "url": stored.url,
        "name": None,
        "title": "Valley Post @everyone",
        "origin": "chat",
        "disabled_reason": GONE,
        "consecutive_failures": 3,
    }
    text = disabled_feed_text(feed)
    discord = escape_notice(text)
    slack = "\n".join(slack_notice_line(line) for line in text.splitlines())
    for shown in (discord, slack):
        # Each command's URL is the stored one, verbatim: copied, it finds the feed.
        for command in ("newsdigest feeds enable ", "/feeds remove "):
            copied = _code_after(shown, command)
            assert copied == stored.url
            assert feed_store.get_feed_by_url(db, copied) == stored
        assert _code_after(shown, "(") == stored.url
        # The internal address is shown, never linked, and nothing in the notice pings.
        assert "<http" not in shown
        assert "Valley Post @everyone" not in shown
    assert "<!everyone>" not in slack
    assert "http\u200b://" not in discord


def test_a_long_url_in_the_alert_is_in_whole_code_spans_on_discord(tmp_path: Path) -> None:
    # A search feed's URL of 700 characters, named in the alert three times: over Discord's
    # 2,000, the message is split, and between lines, with each command whole in one piece.
    url = "https://news.example.org/rss/search?q=" + "harbour+OR+ferry+OR+bridge+" * 25
    db = open_database(tmp_path / "nd.db")
    stored = feed_store.add_feed(db, url, origin="chat")
    feed = {
        "id": stored.id,
        "url": stored.url,
        "name": "Search",
        "title": None,
        "origin": "chat",
        "disabled_reason": "HTTP 404",
        "consecutive_failures": 5,
    }
    pieces = split_content(escape_notice(disabled_feed_text(feed)))
    assert len(pieces) > 1
    assert all(len(p) <= CONTENT_LIMIT and p.count("`") % 2 == 0 for p in pieces)
    for command in ("newsdigest feeds enable ", "/feeds remove "):
        (piece,) = [p for p in pieces if command in p]
        assert _code_after(piece, command) == stored.url


def test_an_escaped_backtick_in_the_feeds_name_opens_no_code_span_on_discord(
    tmp_path: Path,
) -> None:
    # Escaped, the name's backtick is text: a split counting it as a span's would cut the
    # URL's span in two, and neither half copies back.
    url = "https://feeds.example/" + "p" * 1000
    db = open_database(tmp_path / "nd.db")
    stored = feed_store.add_feed(db, url, origin="chat")
    feed = {
        "id": stored.id,
        "url": stored.url,
        "name": "Bob`s " + "w" * 990,
        "title": None,
        "origin": "chat",
        "disabled_reason": "HTTP 404 Not Found",
        "consecutive_failures": 5,
    }
    pieces = split_content(escape_notice(disabled_feed_text(feed)))
    assert len(pieces) > 1
    assert all(len(p) <= CONTENT_LIMIT for p in pieces)
    assert all((p.count("`") - p.count("\\`")) % 2 == 0 for p in pieces)
    (piece,) = [p for p in pieces if "newsdigest feeds enable " in p]
    assert _code_after(piece, "newsdigest feeds enable ") == stored.url
