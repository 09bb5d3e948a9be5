"""The wall clock set back while the bot was stopped (`bot.runner.clock_downtime`): at start, the
feeds' next polls and the outbox's waits written on the clock before it come back by the step the
database's own readings show, and no further; a legitimately long wait (a feed's backoff, a
disabled feed's daily retry, quiet hours) and a wait written since keep theirs. A real SQLite
file; the clocks are fakes."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from fakes.clock import Clocks
from fakes.stories import add_channel, queue_story

from bot.runner.clock_polls import poll_allowance
from bot.runner.clock_watch import ClockWatch
from bot.runner.jobs import FIXED_JOBS, make_scheduler
from bot.store import alerts as alert_store
from bot.store import deliveries as store
from bot.store import feeds as feed_store
from bot.store.database import iso, open_database, parse_iso

STOPPED = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)  # the clock when the bot last wrote
DAY = timedelta(days=1)


def _feed(db: sqlite_utils.Database, name: str, due: datetime, **state: object) -> int:
    row = feed_store.add_feed(db, f"https://example.org/{name}.xml", interval=900)
    db.table("feeds").update(
        row.id, {"next_poll_at": iso(due), "last_polled_at": iso(STOPPED), **state}
    )
    return row.id


def _due(db: sqlite_utils.Database, table: str, row_id: int) -> datetime | None:
    column = "next_poll_at" if table == "feeds" else "next_attempt_at"
    return parse_iso(
        db.execute(f"SELECT {column} FROM {table} WHERE id = ?", [row_id]).fetchone()[0]
    )


async def _start(db: sqlite_utils.Database, now: datetime) -> None:
    """The watch's start, as the service's, on a clock reading `now`."""
    clocks = Clocks(now)
    scheduler = make_scheduler()
    scheduler.start(paused=True)
    watch = ClockWatch(scheduler, db, jobs=FIXED_JOBS, wall=clocks.wall, monotonic=clocks.monotonic)
    stopping = asyncio.Event()
    try:
        watch.start(stopping)
    finally:
        stopping.set()
        if watch.task is not None:
            await watch.task
        scheduler.shutdown(wait=False)


async def test_a_clock_set_back_a_day_while_stopped_is_undone_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = open_database(tmp_path / "nd.db")
    now = STOPPED - DAY + timedelta(minutes=5)  # a VM restored with yesterday's clock, 5 min on
    polled = _feed(db, "polled", STOPPED + timedelta(seconds=900))
    # Failing eight times: a backoff of 20 hours is within its allowance, and keeps all of it.
    backoff = _feed(
        db,
        "backoff",
        STOPPED + timedelta(hours=20),
        consecutive_failures=8,
        last_error="HTTP 500",
    )
    disabled = _feed(
        db, "disabled", STOPPED + DAY, disabled_reason="failing; tried once a day", last_error="x"
    )
    plain = add_channel(db, "C1", mode="instant")
    quiet = add_channel(db, "C9", mode="instant", quiet_hours="08:00-12:00")
    retried = queue_story(db, plain, "s1", now=STOPPED)
    store.release(db, retried, now=STOPPED, next_attempt_at=STOPPED + timedelta(minutes=2))
    held = queue_story(db, quiet, "q1", now=STOPPED)
    noon = STOPPED.replace(hour=12)
    store.hold(db, held, now=STOPPED, until=noon)
    notice = alert_store.queue_alert(db, plain.id, "k1", "a notice", now=STOPPED)
    assert notice is not None
    alert_store.set_alert_state(
        db, notice, "pending", now=STOPPED, next_attempt_at=STOPPED + timedelta(minutes=5)
    )
    # Written since on today's clock (a `newsdigest` command while the bot was stopped).
    since = queue_story(db, plain, "s2", now=now - timedelta(minutes=1))
    store.release(db, since, now=now, next_attempt_at=now + timedelta(minutes=3))
    caplog.set_level(logging.WARNING)
    try:
        await _start(db, now)
        # The database's latest reading is a day less five minutes ahead: the step's lower
        # bound, by which each wait comes back, to as long from now as it was given then.
        step = STOPPED - now
        assert _due(db, "feeds", polled) == STOPPED + timedelta(seconds=900) - step
        assert _due(db, "feeds", backoff) == STOPPED + timedelta(hours=20) - step
        assert _due(db, "feeds", disabled) == STOPPED + DAY
        assert _due(db, "deliveries", retried) == now + timedelta(minutes=2)
        assert _due(db, "alerts", notice) == now + timedelta(minutes=5)
        assert _due(db, "deliveries", held) == noon
        assert _due(db, "deliveries", since) == now + timedelta(minutes=3)
        lines = [r.getMessage() for r in caplog.records if r.name.startswith("bot.runner.clock")]
        assert len(lines) == 1, lines
        assert "at least 23.9 h behind" in lines[0]
        assert "2 feed(s)' next poll and 2 of the outbox's waits" in lines[0]
    finally:
        db.close()


async def test_a_restart_on_a_right_clock_moves_nothing_but_a_next_poll_past_any_rule(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = open_database(tmp_path / "nd.db")
    now = STOPPED + timedelta(minutes=2)
    waiting = _feed(db, "waiting", STOPPED + timedelta(seconds=900))
    # A Retry-After of three days is within the week a server may ask for.
    asked = _feed(
        db, "asked", STOPPED + timedelta(days=3), consecutive_failures=1, last_error="HTTP 429"
    )
    # Nine days ahead for a 15-minute feed: no rule puts it there (a clock once far ahead).
    beyond = _feed(db, "beyond", STOPPED + timedelta(days=9))
    plain = add_channel(db, "C1", mode="instant")
    retried = queue_story(db, plain, "s1", now=STOPPED)
    store.release(db, retried, now=STOPPED, next_attempt_at=STOPPED + timedelta(hours=6))
    caplog.set_level(logging.WARNING)
    try:
        await _start(db, now)
        assert _due(db, "feeds", waiting) == STOPPED + timedelta(seconds=900)
        assert _due(db, "feeds", asked) == STOPPED + timedelta(days=3)
        assert _due(db, "feeds", beyond) == now + poll_allowance(900, 0, None, None)
        assert _due(db, "deliveries", retried) == STOPPED + timedelta(hours=6)
        lines = [r.getMessage() for r in caplog.records if r.name.startswith("bot.runner.clock")]
        assert len(lines) == 1, lines
        assert "1 feed(s)' next poll and 0 of the outbox's waits" in lines[0]
    finally:
        db.close()
