"""Naming a feed in chat: the disabled-feed alert gives its URL (without a key: see
test_feed_alerts_secrets) and its id, which the commands it suggests take (no other feed is ever
given it); /feeds list gives both; the alert tells a config-declared feed to be removed from the
config file, and /feeds remove takes the id as listed or the URL in any spelling. The real
service and poller against loopback feeds, real SQLite, the fake chat adapter."""

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
from bot.commands.core import Commands
from bot.config import ChannelConfig, Config, FeedConfig, PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.render.literal import unmarked
from bot.runner.feed_alerts import SHOWN_URL_CHARS, disabled_feed_text
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


async def test_a_disabled_feed_is_named_by_url_and_id_and_removed_where_it_was_added(
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
        # naming #2 cannot reach it.
        await commands.dispatch("feeds", f"add {server.url('/new.xml')}", ADMIN)
        relisted = await commands.dispatch("feeds", "list", ADMIN)
        await stop(service)

    config_url = server.url("/config.xml")
    assert len(chat.cards()) == 2
    assert sorted(unmarked(m.text) for m in chat.texts()) == [
        f"The feed alpha (`{config_url}`, feed #1) was disabled after 1 failed poll: {GONE}. "
        "Its stories will be missing until it is fixed.\n"
        "An admin can re-enable it with newsdigest feeds enable 1\n"
        "or remove it from the config file's [[feeds]].",
        f"The feed beta (`{chat_url}`, feed #2) was disabled after 1 failed poll: {GONE}. "
        "Its stories will be missing until it is fixed.\n"
        "An admin can re-enable it with newsdigest feeds enable 2\n"
        "or remove it with /feeds remove #2",
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


def test_the_alerts_commands_name_the_feed_by_its_id(tmp_path: Path) -> None:
    # A feed on an intranet address, "@everyone" and edge underscores in its path, as a feed
    # added with polling.allow_private_networks may be; and a title that tries to ping.
    db = open_database(tmp_path / "nd.db")
    feed_store.add_feed(db, "https://first.example/rss")
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
        # Each command names the feed's id, as the CLI and chat take it.
        assert f"newsdigest feeds enable {stored.id}\n" in shown
        assert shown.endswith(f"/feeds remove #{stored.id}")
        # The address, shown verbatim, not escaped into another.
        assert _code_after(shown, "(") == stored.url
        # The internal address is shown, never linked, and nothing in the notice pings.
        assert "<http" not in shown
        assert "Valley Post @everyone" not in shown
    assert "<!everyone>" not in slack
    assert "http\u200b://" not in discord
    assert feed_store.get_feed_by_url(db, str(stored.id)) == stored  # as `feeds enable` finds it


async def test_the_alerts_remove_command_removes_the_feed_it_names(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    core = NewsDigest(Config(database=str(path)), db=open_database(path))
    feed_store.add_feed(core.db, "https://first.example/rss", origin="chat")
    stored = feed_store.add_feed(core.db, "https://second.example/rss?key=K", origin="chat")
    feed = {**core.db["feeds"].get(stored.id), "disabled_reason": GONE}
    command = disabled_feed_text(feed).splitlines()[-1].removeprefix("or remove it with /")
    name, args = command.split(" ", 1)
    reply = await Commands(core).dispatch(name, args, ADMIN)
    assert reply.text == f"Removed feed `{stored.url}`."
    assert [f.url for f in feed_store.list_feeds(core.db)] == ["https://first.example/rss"]
    core.close()


def test_a_long_url_is_cut_in_the_alert_and_its_commands_kept_whole(tmp_path: Path) -> None:
    # A feed at an address of 1,000 characters: shown to recognise, not to copy (the commands
    # take the id), it is cut, and the notice fits one Discord message.
    url = "https://news.example.org/" + "p" * 1000
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
    (piece,) = split_content(escape_notice(disabled_feed_text(feed)))
    shown = _code_after(piece, "(")
    assert url.startswith(shown.removesuffix("…")) and len(shown) == SHOWN_URL_CHARS
    assert f"newsdigest feeds enable {stored.id}\n" in piece


def test_an_escaped_backtick_in_the_feeds_name_opens_no_code_span_on_discord(
    tmp_path: Path,
) -> None:
    # Escaped, the name's backtick is text: a split counting it as a span's would cut the
    # URL's span in two.
    url = "https://feeds.example/" + "p" * 1000
    db = open_database(tmp_path / "nd.db")
    stored = feed_store.add_feed(db, url, origin="chat")
    feed = {
        "id": stored.id,
        "url": stored.url,
        "name": "Bob`s " + "w" * 1900,
        "title": None,
        "origin": "chat",
        "disabled_reason": "HTTP 404 Not Found",
        "consecutive_failures": 5,
    }
    pieces = split_content(escape_notice(disabled_feed_text(feed)))
    assert len(pieces) > 1
    assert all(len(p) <= CONTENT_LIMIT for p in pieces)
    assert all((p.count("`") - p.count("\\`")) % 2 == 0 for p in pieces)
    # The address's span whole in one piece.
    (piece,) = [p for p in pieces if "https://feeds.example/" in p]
    assert re.search(r"`https://feeds\.example/p+…`", piece), piece


def test_a_feeds_title_and_error_are_one_line_each_in_the_alert(tmp_path: Path) -> None:
    # A feed that fails on purpose until it is disabled writes its own title and error body: a
    # line of its own would read as the bot's, and on Slack a leading "&gt;" is a quote.
    db = open_database(tmp_path / "nd.db")
    stored = feed_store.add_feed(db, "https://feeds.example/rss", origin="chat")
    feed = {
        "id": stored.id,
        "url": stored.url,
        "name": None,
        "title": "Daily Wire\n> SECURITY NOTICE: sign in again at sso.example\nAn admin can run x",
        "origin": "chat",
        "disabled_reason": "HTTP 500\r\n> Your workspace is locked",
        "consecutive_failures": 9,
    }
    text = disabled_feed_text(feed)
    lines = text.splitlines()
    assert lines[0].startswith("The feed Daily Wire > SECURITY NOTICE: sign in again at ")
    assert "HTTP 500 > Your workspace is locked" in lines[0]
    assert lines[1:] == [
        f"An admin can re-enable it with newsdigest feeds enable {stored.id}",
        f"or remove it with /feeds remove #{stored.id}",
    ]
    slack = [slack_notice_line(line) for line in lines]
    assert not any(line.startswith(("&gt;", ">")) for line in slack)
