"""A step back of the wall clock that the watch (`bot.runner.clock_watch`) cannot undo in one
look: a polling pass in flight at the step writes its feeds' next polls afterwards, from the
clock before it; another process holds the database's write lock when the step is seen. The
step stays pending until both are done, and the event loop is never held for the lock.

Real SQLite files, a real feed server on 127.0.0.1 with a slow feed, the real poller; the
clocks are fakes moved by hand."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fakes.clock import Clocks
from fakes.stories import make_card_source

from bot.app import PassReport
from bot.config import PollingConfig
from bot.delivery.outbox import Outbox
from bot.feedserver import FeedServer, Reply
from bot.pipeline.poll import poll_feeds
from bot.runner.clock_waits import undo_waits
from bot.runner.clock_watch import ClockWatch
from bot.runner.jobs import FIXED_JOBS, make_scheduler
from bot.runner.polling import Poller
from bot.store import feeds as feed_store
from bot.store.database import BUSY_TIMEOUT_SECONDS, iso, open_database, parse_iso

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0, per_host_limit=20)
RSS = b"""<rss version="2.0"><channel><title>Desk</title>
<item><guid>1</guid><title>A</title><link>https://d.example/1</link></item></channel></rss>"""
T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
INTERVAL = 900


class _Core:
    """What the poller needs of `NewsDigest`: a pass over the feeds it is given."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.config = SimpleNamespace(polling=POLLING)

    async def poll(self, *, feeds: Any, now: datetime, fetcher: Any) -> PassReport:
        report = await poll_feeds(self.db, POLLING, feeds=feeds, now=now, fetcher=fetcher)
        return PassReport(poll=report, touched_stories=set())


async def _nothing(_report: Any) -> None:
    return None


async def test_a_poll_in_flight_across_a_step_back_does_not_leave_its_feed_late(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "nd.db")
    clocks = Clocks(T0)
    scheduler = make_scheduler()
    scheduler.start(paused=True)
    with FeedServer() as server:
        server.route("/f", Reply(body=RSS, delay=1.0))  # slow: still in flight at the step
        feed_store.add_feed(db, server.url("/f"), interval=INTERVAL)
        poller = Poller(_Core(db), _nothing, clock=clocks.wall)  # type: ignore[arg-type]
        await poller.open(spread=0)
        watch = ClockWatch(
            scheduler, db, jobs=FIXED_JOBS, wall=clocks.wall, monotonic=clocks.monotonic
        )
        undo_waits(watch, Outbox(db, make_card_source(db, T0), clock=clocks.wall), poller)
        try:
            watch.check()
            assert await poller.tick() == 1
            await asyncio.sleep(0.2)
            clocks.run(5, wall_step=-3600)  # an hour back while the fetch is under way
            assert watch.check() == timedelta(seconds=3600)
            await asyncio.gather(*poller.tasks)
            # The pass wrote the feed's next poll from the clock it read before the step.
            clocks.run(5)
            assert watch.check() is None
            [feed] = feed_store.list_feeds(db)
            assert feed.next_poll_at is not None
            assert feed.next_poll_at - clocks.now <= timedelta(seconds=INTERVAL + 90)
            # Every pass of before the step is over: nothing is moved any more.
            polled_at = feed.next_poll_at
            clocks.run(5)
            watch.check()
            assert feed_store.list_feeds(db)[0].next_poll_at == polled_at
        finally:
            await poller.close(1)
            scheduler.shutdown(wait=False)
            db.close()


async def test_a_step_seen_while_another_process_writes_is_undone_once_it_is_done(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = open_database(tmp_path / "nd.db")
    row = feed_store.add_feed(db, "https://example.org/a.xml", interval=INTERVAL)
    db.table("feeds").update(row.id, {"next_poll_at": iso(T0 + timedelta(seconds=600))})
    clocks = Clocks(T0)
    scheduler = make_scheduler()
    scheduler.start(paused=True)
    scheduler.add_job(asyncio.sleep, "interval", args=[0], seconds=5, id="poll", next_run_time=T0)
    watch = ClockWatch(scheduler, db, jobs=FIXED_JOBS, wall=clocks.wall, monotonic=clocks.monotonic)
    other = sqlite3.connect(tmp_path / "nd.db", timeout=0)
    caplog.set_level(logging.WARNING)
    try:
        watch.check()
        other.execute("BEGIN IMMEDIATE")  # another process writing: a `newsdigest poll`
        clocks.run(5, wall_step=-7200)
        started = time.perf_counter()
        assert watch.check() == timedelta(seconds=7200)
        # The loop was held for a short lock wait (0.2 s), not the connection's 30 s. A hang
        # guard, far from both, not a speed budget: a busy machine's slow look stays under it.
        assert time.perf_counter() - started < BUSY_TIMEOUT_SECONDS / 3
        # Said at once, and the jobs (in memory) brought back at once.
        # The watch's own records (opening the database may have logged its migrations).
        watched = [r.getMessage()[:32] for r in caplog.records if r.levelno >= logging.WARNING]
        assert watched == ["the system clock went back 2.0 h"]
        assert scheduler.get_job("poll").next_run_time == clocks.now
        due = parse_iso(db.execute("SELECT next_poll_at FROM feeds").fetchone()[0])
        assert due == T0 + timedelta(seconds=600)  # not yet: the lock is another's
        other.rollback()
        clocks.run(5)
        assert watch.check() is None  # no new step: the pending one is done
        due = parse_iso(db.execute("SELECT next_poll_at FROM feeds").fetchone()[0])
        assert due is not None
        assert due - clocks.now <= timedelta(seconds=INTERVAL + 90)
    finally:
        other.close()
        scheduler.shutdown(wait=False)
        db.close()
