"""One feed cannot flood one poll: at most `polling.max_new_entries` new entries are stored per
feed per poll, the newest first, with one WARNING naming the feed and what was skipped. Skipped
entries are not marked seen: the old validators are kept, so later polls download the feed again
and take the next ones. And a document's parse reads at most `MAX_FEED_ENTRIES` entries, the newest.
Real loopback feed server, real SQLite file."""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import sqlite_utils

from bot.cli.poll import _ListedInReport
from bot.config import ConfigError, PollingConfig, load_config
from bot.feedserver import FeedServer, Reply
from bot.ingest.parser import MAX_FEED_ENTRIES, parse_feed
from bot.pipeline import poll
from bot.pipeline.entries import unstored
from bot.pipeline.poll import PollReport, poll_feeds
from bot.store import articles as article_store
from bot.store import feeds as feed_store
from bot.store import retention, tombstones

POLLING = PollingConfig(allow_private_networks=True, timeout=30.0)
START = datetime(2024, 7, 1, tzinfo=UTC)


def _rss(numbers: list[int], *, dated: bool = True) -> bytes:
    items = []
    for n in numbers:
        date = (
            f"<pubDate>{format_datetime(START + timedelta(minutes=n))}</pubDate>" if dated else ""
        )
        items.append(
            f"<item><title>Council report number {n}</title><guid>item-{n}</guid>"
            f"<link>https://m.example/{n}</link><description>Text {n}.</description>{date}</item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def _numbers(db: sqlite_utils.Database) -> set[int]:
    return {int(r[0].split("-")[1]) for r in db.execute("SELECT guid FROM articles")}


def test_the_default_cap_is_200() -> None:
    assert PollingConfig().max_new_entries == 200


async def test_a_huge_feed_adds_the_newest_200_per_poll_and_the_rest_later(
    server: FeedServer, db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    numbers = list(range(450))
    random.Random(7).shuffle(numbers)  # by date, not by place in the document
    server.route("/many", Reply(body=_rss(numbers), etag='"v1"'))
    feed_store.update_feed(db, feed_store.add_feed(db, server.url("/many")).id, etag='"v0"')
    now = START + timedelta(days=1)

    with caplog.at_level(logging.WARNING, logger="bot.pipeline.feed_result"):
        report = await poll_feeds(db, POLLING, now=now)

    (result,) = report.feeds
    assert result.status == "new" and result.new_articles == 200
    assert _numbers(db) == set(range(250, 450))  # the newest 200
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert server.url("/many") in warnings[0] and "skipped 250 older entries" in warnings[0]
    assert result.error is not None and "skipped 250 older entries" in result.error
    (feed,) = feed_store.list_feeds(db)
    assert feed.etag == '"v0"'  # kept, not v1: the next poll downloads the feed again, no 304

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bot.pipeline.feed_result"):
        second = await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db), now=now)
        third = await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db), now=now)
    assert second.feeds[0].new_articles == 200 and third.feeds[0].new_articles == 50
    assert _numbers(db) == set(range(450))
    assert third.feeds[0].error is None
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1  # second only
    (feed,) = feed_store.list_feeds(db)
    assert feed.etag == '"v1"'  # all taken: validators stored as usual
    assert server.requests[-1].header("If-None-Match") == '"v0"'  # the third poll's, not v1


async def test_newsdigest_poll_shows_the_cap_warning_in_its_report_only(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    # `newsdigest poll` lists each feed's warning in its report after the pass, so its progress
    # display hides the WARNING logged for it, whichever pipeline module logs it.
    class Shown(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.WARNING)
            self.addFilter(_ListedInReport())
            self.lines: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.lines.append(record.getMessage())

    polling = PollingConfig(allow_private_networks=True, timeout=30.0, max_new_entries=10)
    server.route("/f", Reply(body=_rss(list(range(30)))))
    feed_store.add_feed(db, server.url("/f"))
    shown = Shown()
    logging.getLogger().addHandler(shown)
    try:
        report = await poll_feeds(db, polling, now=START + timedelta(days=1))
    finally:
        logging.getLogger().removeHandler(shown)

    (warned,) = report.warned
    assert warned.error is not None and "skipped 20 older entries" in warned.error
    assert shown.lines == []


async def test_the_cap_counts_new_entries_not_items_in_the_feed(
    server: FeedServer, db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    polling = PollingConfig(allow_private_networks=True, timeout=30.0, max_new_entries=10)
    server.script("/f", Reply(body=_rss(list(range(100)))), Reply(body=_rss(list(range(103)))))
    feed_store.add_feed(db, server.url("/f"))
    now = START + timedelta(days=1)
    for _ in range(10):  # ten polls take the 100 items of the first document, 10 at a time
        await poll_feeds(db, polling, feeds=feed_store.list_feeds(db), now=now)
    assert len(_numbers(db)) == 100

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bot.pipeline.feed_result"):
        report = await poll_feeds(db, polling, feeds=feed_store.list_feeds(db), now=now)
    # 103 items, 3 new: no cap met, no warning, although the feed has ten times the cap.
    assert report.feeds[0].new_articles == 3 and report.feeds[0].error is None
    assert not [r for r in caplog.records if r.levelno == logging.WARNING]


async def _300_stored_then(server: FeedServer, db: sqlite_utils.Database, total: int) -> datetime:
    """A feed whose first 300 entries are stored (ETag "a"), serving `total` next (ETag "b");
    the time the polls run at."""
    server.script(
        "/f",
        Reply(body=_rss(list(range(300))), etag='"a"'),
        Reply(body=_rss(list(range(total))), etag='"b"'),
    )
    feed_store.add_feed(db, server.url("/f"))
    now = START + timedelta(days=1)
    wide = PollingConfig(allow_private_networks=True, timeout=30.0, max_new_entries=300)
    await poll_feeds(db, wide, now=now)
    assert len(_numbers(db)) == 300 and feed_store.list_feeds(db)[0].etag == '"a"'
    return now


async def _poll_capped_at_10(
    db: sqlite_utils.Database, now: datetime, caplog: pytest.LogCaptureFixture
) -> tuple[PollingConfig, PollReport]:
    """The next poll, storing at most 10 new entries, with its warnings captured."""
    polling = PollingConfig(allow_private_networks=True, timeout=30.0, max_new_entries=10)
    with caplog.at_level(logging.WARNING, logger="bot.pipeline.feed_result"):
        report = await poll_feeds(db, polling, feeds=feed_store.list_feeds(db), now=now)
    return polling, report


async def test_a_feed_meeting_the_cap_exactly_leaves_nothing_and_advances_its_validators(
    server: FeedServer, db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    # 300 entries stored, then exactly 10 new ones arrive with a cap of 10: the 300 older rows
    # the capped insert never looked at are all stored already, so nothing is left for later.
    now = await _300_stored_then(server, db, 310)

    polling, report = await _poll_capped_at_10(db, now, caplog)

    (result,) = report.feeds
    assert result.new_articles == 10 and result.error is None
    assert _numbers(db) == set(range(310))
    assert not [r for r in caplog.records if r.levelno == logging.WARNING]
    assert feed_store.list_feeds(db)[0].etag == '"b"'  # validators advance: nothing left
    again = await poll_feeds(db, polling, feeds=feed_store.list_feeds(db), now=now)
    assert server.requests[-1].header("If-None-Match") == '"b"'
    assert again.feeds[0].status != "new" and again.feeds[0].new_articles == 0


async def test_the_warning_counts_only_entries_really_left(
    server: FeedServer, db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    # 300 stored, 15 new with a cap of 10: 5 are left, not the 305 rows past the cap.
    now = await _300_stored_then(server, db, 315)

    polling, report = await _poll_capped_at_10(db, now, caplog)

    (result,) = report.feeds
    assert result.new_articles == 10  # the newest: 305-314; 300-304 are left
    assert _numbers(db) == set(range(300)) | set(range(305, 315))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "skipped 5 older entries, left for later" in warnings[0]
    assert result.error is not None and "skipped 5 older entries" in result.error
    assert feed_store.list_feeds(db)[0].etag == '"a"'  # kept while entries remain

    last = await poll_feeds(db, polling, feeds=feed_store.list_feeds(db), now=now)
    assert server.requests[-1].header("If-None-Match") == '"a"'
    assert last.feeds[0].new_articles == 5 and last.feeds[0].error is None
    assert _numbers(db) == set(range(315))
    assert feed_store.list_feeds(db)[0].etag == '"b"'


async def test_one_by_one_after_a_crash_also_counts_only_what_is_left(
    server: FeedServer,
    db: sqlite_utils.Database,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.script(
        "/f",
        Reply(body=_rss(list(range(300))), etag='"a"'),
        Reply(body=_rss(list(range(310))), etag='"b"'),
    )
    feed_store.add_feed(db, server.url("/f"))
    now = START + timedelta(days=1)
    wide = PollingConfig(allow_private_networks=True, timeout=30.0, max_new_entries=300)
    await poll_feeds(db, wide, now=now)

    def crash(*_args: object) -> None:
        raise RuntimeError("the batch insert crashed")

    monkeypatch.setattr(poll, "insert_newest", crash)  # the poll stores entries one by one
    _, report = await _poll_capped_at_10(db, now, caplog)

    (result,) = report.feeds
    assert result.new_articles == 10 and result.error is None
    assert _numbers(db) == set(range(310))
    assert not [r for r in caplog.records if r.levelno == logging.WARNING]
    assert feed_store.list_feeds(db)[0].etag == '"b"'


def test_unstored_counts_entries_neither_stored_nor_pruned(db: sqlite_utils.Database) -> None:
    def row(n: int) -> dict[str, object]:
        return {"source": "A", "guid": f"g{n}", "title": f"Item {n}", "seen_at": START}

    article_store.insert_new(db, [row(1), row(2)])
    retention.prune(
        db, now=START + timedelta(days=200), older_than=timedelta(days=180),
        window=timedelta(hours=48),
    )  # fmt: skip
    assert tombstones.count(db) == 2  # g1 and g2 are pruned now, no longer articles
    article_store.insert_new(db, [row(3)])
    # g1, g2 pruned, g3 stored: only g4 and g5 (g5 twice in the feed: one entry) are left.
    assert unstored(db, [row(n) for n in (1, 2, 3, 4, 5, 5)]) == 2
    assert unstored(db, []) == 0


async def test_undated_entries_are_taken_in_document_order(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    polling = PollingConfig(allow_private_networks=True, timeout=30.0, max_new_entries=5)
    server.route("/f", Reply(body=_rss([9, 3, 7, 1, 5, 8, 2], dated=False)))
    feed_store.add_feed(db, server.url("/f"))

    await poll_feeds(db, polling)

    assert _numbers(db) == {9, 3, 7, 1, 5}


def test_a_document_is_read_up_to_its_newest_max_feed_entries() -> None:
    count = MAX_FEED_ENTRIES + 500
    numbers = list(range(count))
    random.Random(3).shuffle(numbers)
    parsed = parse_feed(_rss(numbers))
    assert len(parsed.entries) == MAX_FEED_ENTRIES and parsed.unread_entries == 500
    assert {int(e.guid.split("-")[1]) for e in parsed.entries} == set(range(500, count))
    # The ones kept stay in document order.
    order = [n for n in numbers if n >= 500]
    assert [int(e.guid.split("-")[1]) for e in parsed.entries] == order


def test_max_new_entries_is_set_under_polling(tmp_path: Path) -> None:
    path = tmp_path / "newsdigest.toml"
    path.write_text("[polling]\nmax_new_entries = 50\n", encoding="utf-8")
    assert load_config(path).polling.max_new_entries == 50
    path.write_text("[polling]\nmax_new_entries = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.key == "polling.max_new_entries"
