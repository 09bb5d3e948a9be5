"""Chat's /feeds list says what each feed's last poll came to, as `newsdigest feeds list` does:
"ok: 2 new", "ok: nothing new; skipped its only entry: …", "1 failure: HTTP 503 …", "not polled
yet". It said "(ok)" for every feed that was not failing, polled or not, its note unseen. The
note is the feed's (or its server's) text: cut for a chat line and escaped by each platform."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_cli_feeds_list_last_poll import OLD_NOTE, ROUTES

from bot.adapters.discord.interactions import render_reply
from bot.adapters.slack.replies import reply_messages
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.config import Config, PollingConfig, StorageConfig
from bot.feed_status import cut
from bot.feedserver import FeedServer
from bot.store import feeds as feed_store
from bot.store.database import open_database, utcnow

ADMIN = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    config = Config(
        database=str(tmp_path / "nd.db"),
        polling=PollingConfig(allow_private_networks=True, timeout=5.0),
        storage=StorageConfig(retention_days=30),
    )
    app = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    yield app
    app.close()


def _states(lines: list[object]) -> list[str]:
    # "#1 <url> (state)" -> "state"
    return [str(line).split("> (", 1)[1].removesuffix(")") for line in lines]


async def test_feeds_list_in_chat_shows_each_feeds_last_poll(core: NewsDigest) -> None:
    commands = Commands(core)
    with FeedServer(ROUTES) as server:
        urls = [server.url(path) for path in ROUTES]
        for url in urls:
            added = await commands.dispatch("feeds", f"add {url}", ADMIN)
            assert added.text.startswith("Added feed"), added.text
        before = await commands.dispatch("feeds", "list", ADMIN)
        await core.poll()
        first = await commands.dispatch("feeds", "list", ADMIN)
        await core.poll(feeds=feed_store.list_feeds(core.db))
        second = await commands.dispatch("feeds", "list", ADMIN)
    assert _states(before.lines) == ["not polled yet"] * 3
    states = _states(first.lines)
    assert states[:2] == ["ok: 2 new", f"ok: nothing new; {OLD_NOTE}"]
    # A failing feed says when it is tried next (its backoff).
    assert re.fullmatch(
        r"1 failure: HTTP 503 Service Unavailable \(next try \d{4}-\d\d-\d\d \d\d:\d\d UTC\)",
        states[2],
    )
    assert _states(second.lines)[0] == "ok: not modified"
    assert _states(second.lines)[2].startswith("2 failures: HTTP 503 Service Unavailable")


HOSTILE = (
    "see *https://evil.example/help* _now_ <!everyone> @everyone [click](https://evil.example) "
    + "and then a long tail of words the server went on sending " * 8
)


async def test_a_long_untrusted_note_is_cut_and_escaped_on_both_platforms(
    core: NewsDigest,
) -> None:
    feed = feed_store.add_feed(core.db, "https://desk.example/feed.xml", origin="chat")
    feed_store.update_feed(core.db, feed.id, last_polled_at=utcnow())
    # As a poll stores them (bot.pipeline.feed_state.remember_poll).
    feed_store.record_poll(core.db, feed.id, "1 new", HOSTILE)
    reply = await Commands(core).dispatch("feeds", "list", ADMIN)
    (line,) = reply.lines
    assert line.note.startswith("(ok: 1 new; see *https://evil.example/help* _now_")
    assert line.note.endswith("…)") and len(line.note) < 320
    assert "the server went on sending and then" in line.note  # cut at a word's end
    (slack,) = reply_messages(reply)
    bullet = next(
        b["text"]["text"]
        for b in slack.blocks
        if b.get("type") == "section" and b["text"]["text"].startswith("• ")
    )
    assert "<!everyone>" not in bullet and "*https" not in bullet and "_now_" not in bullet
    assert bullet.count("<") == 1  # the feed's own address, the one link
    (discord,) = render_reply(reply)
    content = discord.content or ""
    assert "[click](https://evil.example)" not in content and "\\*https" in content
    assert "\\_now\\_" in content


async def test_a_long_error_is_cut_before_its_last_success(core: NewsDigest) -> None:
    # The error was cut after "(last success …)" was appended, so a long one lost the time, and
    # `cut` backed up to the last space however far: before a long URL, most of the line went.
    url = "https://desk.example/" + "archive/" * 60 + "feed.xml"
    errors = [
        f"Client error '404 Not Found' for url '{url}'",
        "HTTP 503: " + "the upstream server said it was not available " * 10,
    ]
    polled = datetime(2026, 3, 2, 9, 45, tzinfo=UTC)
    for i, error in enumerate(errors):
        feed = feed_store.add_feed(core.db, f"https://desk{i}.example/feed.xml", origin="chat")
        feed_store.update_feed(
            core.db,
            feed.id,
            consecutive_failures=3,
            last_error=error,
            last_polled_at=polled,
            last_success_at=polled - timedelta(days=1, hours=1, minutes=15),
        )
    reply = await Commands(core).dispatch("feeds", "list", ADMIN)
    long_url, wordy = _states(reply.lines)
    for state in (long_url, wordy):
        assert state.endswith("… (last success 2026-03-01 08:30 UTC)"), state
        assert len(state) - len("3 failures: ") <= 300
    assert long_url.startswith("3 failures: Client error '404 Not Found' for url 'https://desk")
    assert long_url.count("archive/") > 20  # cut mid-URL, not back at the space before it
    assert wordy.startswith("3 failures: HTTP 503: the upstream server")
    assert wordy.removesuffix("… (last success 2026-03-01 08:30 UTC)").endswith(
        ("the", "upstream", "server", "said", "it", "was", "not", "available")
    )


def test_cut_backs_up_to_a_word_break_only_nearby() -> None:
    words = "the server went on sending words " * 20
    at_word = cut(words, 100)
    assert len(at_word) <= 100 and at_word.endswith("…") and words.startswith(at_word[:-1])
    assert at_word[:-1].split()[-1] in words.split()  # a whole word last
    assert len(at_word) > 100 - 40
    long_word = "a " + "b" * 400
    assert cut(long_word, 300) == "a " + "b" * 297 + "…"
    assert cut("short", 300) == "short" and cut(words, None) == words
