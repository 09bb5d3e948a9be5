"""Edge cases of old digest GUIDs (`bot.store.old_guids`): entries the old parse gave one GUID,
and an article retention deleted before the upgrade. Real loopback server, real SQLite; the old
version's parse is the current one without `drop_controls`, which is all that changed in it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest import parsed_feed, parser
from bot.pipeline.poll import PollReport, poll_feeds
from bot.store import feeds as feed_store
from bot.store import retention

T0 = datetime(2030, 3, 2, 9, 0, tzinfo=UTC)
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)

# A templated notice, longer than the 500 characters of text an entry's digest reads: after the
# control character of the item before, the old parse garbled both notices into text that agrees
# in those 500 characters, so both had one old GUID. Only the day at the end tells them apart.
_BOILERPLATE = (
    "&lt;p&gt;We will perform &lt;a href=&quot;https://status.example/maintenance/window/"
    "details/long/path/segment&quot;&gt;scheduled maintenance&lt;/a&gt; on the database "
    "cluster. "
) * 4
_NOTICE = "<item><title>Notice{c}</title><description>hello</description></item>"


def _maintenance(day: str) -> str:
    return (
        "<item><title>Scheduled maintenance</title>"
        f"<description>{_BOILERPLATE} Window: {day}&lt;/p&gt;</description></item>"
    )


def _rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Status</title>'
        "<link>https://status.example/</link>" + "".join(items) + "</channel></rss>"
    ).encode()


async def _poll(db: sqlite_utils.Database, now: datetime) -> PollReport:
    return await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db), now=now)


@pytest.fixture
def old_parse(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr(parser, "drop_controls", lambda body: body)
    return monkeypatch


def test_entries_that_shared_an_old_guid_get_none() -> None:
    feed = parser.parse_feed(
        _rss(_NOTICE.format(c="\x01"), _maintenance("Friday"), _maintenance("Tuesday")),
        url="https://status.example/rss",
    )
    parser.add_old_guids(feed)
    _, friday, tuesday = feed.entries
    assert friday.guid != tuesday.guid
    assert friday.old_guid is None
    assert tuesday.old_guid is None


async def test_a_new_entry_sharing_an_old_guid_takes_no_stored_article(
    server: FeedServer, db: sqlite_utils.Database, old_parse: pytest.MonkeyPatch
) -> None:
    server.route("/s", Reply(body=_rss(_NOTICE.format(c="\x01"), _maintenance("Tuesday"))))
    feed_store.add_feed(db, server.url("/s"))
    assert len((await _poll(db, T0)).new_articles) == 2
    old_parse.undo()
    # A week on, the next notice is published above the first.
    server.route(
        "/s",
        Reply(body=_rss(_NOTICE.format(c="\x01"), _maintenance("Friday"), _maintenance("Tuesday"))),
    )

    upgraded = await _poll(db, T0 + timedelta(days=7))

    assert [a.text[-6:] for a in upgraded.new_articles] == ["Friday"]
    stored = db.execute("SELECT id, guid, text FROM articles ORDER BY id").fetchall()
    # Polled again: nothing new, and no stored article changes (its summary would be dropped).
    for hours in (1, 2):
        again = await _poll(db, T0 + timedelta(days=7, hours=hours))
        assert again.new_articles == []
        assert db.execute("SELECT id, guid, text FROM articles ORDER BY id").fetchall() == stored


async def test_an_article_pruned_before_the_upgrade_stays_gone_once_the_feed_is_cleaned(
    server: FeedServer, db: sqlite_utils.Database, old_parse: pytest.MonkeyPatch
) -> None:
    def rss(control: str) -> bytes:
        return _rss(
            "<item><title>Library hours extended</title><description>&lt;p&gt;Open late"
            f"{control} now.&lt;/p&gt;&lt;p&gt;Sundays too&lt;/p&gt;</description></item>"
        )

    server.route("/d", Reply(body=rss("\x02")))
    feed_store.add_feed(db, server.url("/d"))
    assert len((await _poll(db, T0)).new_articles) == 1
    # Retention deletes it while the old version still runs: a tombstone under its old id.
    later = T0 + timedelta(days=40)
    retention.prune(db, now=later, older_than=timedelta(days=30), window=timedelta(days=2))
    old_parse.undo()
    assert (await _poll(db, later + timedelta(days=1))).new_articles == []

    # The publisher drops the control character: no old GUID is worked out any more.
    server.route("/d", Reply(body=rss("")))
    cleaned = await _poll(db, later + timedelta(days=2))

    assert cleaned.new_articles == []


async def test_an_article_that_took_its_new_guid_is_not_taken_over_by_a_later_entry(
    server: FeedServer, db: sqlite_utils.Database, old_parse: pytest.MonkeyPatch
) -> None:
    server.route("/s", Reply(body=_rss(_NOTICE.format(c="\x01"), _maintenance("Tuesday"))))
    feed_store.add_feed(db, server.url("/s"))
    await _poll(db, T0)
    old_parse.undo()
    assert (await _poll(db, T0 + timedelta(days=1))).new_articles == []  # takes its new GUID
    # The feed replaces Tuesday's notice by Friday's, whose old GUID was Tuesday's.
    server.route("/s", Reply(body=_rss(_NOTICE.format(c="\x01"), _maintenance("Friday"))))

    replaced = await _poll(db, T0 + timedelta(days=7))

    assert [a.text[-6:] for a in replaced.new_articles] == ["Friday"]
    texts = sorted(t.split()[-1] for (t,) in db.execute("SELECT text FROM articles").fetchall())
    assert texts == ["Friday", "Tuesday", "hello"]  # Tuesday's article keeps its text


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    parses: list[bytes] = []
    real = parser._parse

    def counting(body: bytes, *args: Any, **kwargs: Any) -> parser.ParsedFeed:
        parses.append(body)
        return real(body, *args, **kwargs)

    monkeypatch.setattr(parser, "_parse", counting)
    return parses


async def test_a_feed_whose_entries_are_all_known_is_parsed_once(
    server: FeedServer,
    db: sqlite_utils.Database,
    old_parse: pytest.MonkeyPatch,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.route("/s", Reply(body=_rss(_NOTICE.format(c="\x01"), _maintenance("Tuesday"))))
    feed_store.add_feed(db, server.url("/s"))
    await _poll(db, T0)
    old_parse.undo()
    parses = _count_parses(monkeypatch)
    assert (await _poll(db, T0 + timedelta(days=1))).new_articles == []
    assert len(parses) == 2  # the upgrade: the articles are found by their old GUIDs
    parses.clear()

    # The articles now have the GUIDs of now, and the control character is still there.
    for hours in (1, 2):
        assert (await _poll(db, T0 + timedelta(days=1, hours=hours))).new_articles == []
    assert len(parses) == 2  # one each


async def test_an_unreadable_entry_is_logged_once_when_old_guids_are_worked_out(
    server: FeedServer,
    db: sqlite_utils.Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    real = parsed_feed.read_entry

    def read_entry(raw: Any, *args: Any) -> parser.ParsedEntry:
        if "Broken" in str(raw.get("title")):
            raise ValueError("unreadable")
        return real(raw, *args)

    monkeypatch.setattr(parsed_feed, "read_entry", read_entry)
    broken = "<item><title>Broken</title><description>x</description></item>"
    server.route("/s", Reply(body=_rss(_NOTICE.format(c="\x01"), broken, _maintenance("Tue"))))
    feed_store.add_feed(db, server.url("/s"))
    parses = _count_parses(monkeypatch)

    with caplog.at_level(logging.DEBUG, logger="bot.ingest.parsed_feed"):
        first = await _poll(db, T0)

    assert len(first.new_articles) == 2
    assert len(parses) == 2  # new digest entries: their old GUIDs were worked out
    skipped = [r for r in caplog.records if r.getMessage().startswith("skipped an entry")]
    assert [r.levelno for r in skipped] == [logging.ERROR, logging.DEBUG]


async def test_an_entry_with_a_form_feed_in_its_guid_keeps_its_stored_article(
    server: FeedServer, db: sqlite_utils.Database, old_parse: pytest.MonkeyPatch
) -> None:
    named = (
        "<item><title>Harbour plan approved</title><guid isPermaLink='false'>hp\x0c-42</guid>"
        "<link>https://town.example/hp\x0bplan</link><description>Council voted.</description>"
        "</item>"
    )
    server.route("/n", Reply(body=_rss(named)))
    feed_store.add_feed(db, server.url("/n"))
    assert len((await _poll(db, T0)).new_articles) == 1
    old_parse.undo()

    upgraded = await _poll(db, T0 + timedelta(days=10))

    assert upgraded.new_articles == []
    assert db.execute("SELECT guid, url FROM articles").fetchall() == [
        ("hp-42", "https://town.example/hpplan")
    ]
