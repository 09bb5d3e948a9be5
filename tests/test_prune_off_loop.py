"""The service's prune off the event loop, and the -wal file it grows cut back.

On a database of months a prune batch took most of a second and `PRAGMA optimize` half of one,
all on the loop; a big prune beside another writer left a 3 GB -wal file that never shrank. Now
the prune runs in a worker thread on its own connection, pausing between batches so other writers
get the lock, and ends with a truncating checkpoint; every connection sets `journal_size_limit`.
Real SQLite files."""

from __future__ import annotations

import itertools
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from _loop_ticks import LoopTicks
from fakes.stories import add_channel, add_story

from bot.runner import digests
from bot.runner.retention import Pruner
from bot.store import channels as channel_store
from bot.store import retention
from bot.store.database import JOURNAL_SIZE_LIMIT, open_database, transaction, truncate_wal

T0 = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=200)


class Batches:
    """`retention.prune_batches` as the pruner calls it: each batch recorded with its thread and
    slowed to stand for a big database's; with `ticks` set, the loop's ticks at each batch's end."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.threads: list[int] = []
        self.ends: list[float] = []
        self.ticks: LoopTicks | None = None
        self.ticks_at: list[int] = []
        self.real = retention.prune_batches
        monkeypatch.setattr(retention, "prune_batches", self)

    def __call__(self, *args: Any, **kwargs: Any) -> Iterator[tuple[retention.PruneCounts, int]]:
        for batch in self.real(*args, **kwargs):
            self.threads.append(threading.get_ident())
            time.sleep(0.1)
            self.ends.append(time.monotonic())
            if self.ticks is not None:
                self.ticks_at.append(self.ticks.count)
            yield batch


async def test_the_daily_prune_runs_off_the_loop_and_pauses_between_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(tmp_path / "nd.db")
    for n in range(4):
        add_story(db, f"old{n}", ["A", "B"], now=T0)
    add_story(db, "fresh", ["A"], now=NOW - timedelta(days=1))
    monkeypatch.setattr(retention, "STORY_BATCH", 1)  # a batch a story
    batches = Batches(monkeypatch)
    pruner = Pruner(db, retention_days=180, window_hours=48, clock=lambda: NOW)
    async with LoopTicks() as ticks:
        batches.ticks = ticks
        counts = await pruner.run()
    stories = {r[0] for r in db.execute("SELECT id FROM stories")}
    db.conn.close()
    assert counts is not None and counts.stories == 4
    assert stories == {"fresh"}
    assert len(batches.threads) == 4 and threading.get_ident() not in batches.threads
    # The loop ticked (every 20 ms) through each batch of 0.1 s and the pause before it: a
    # batch on the loop would hold it, and no tick would come between two batches' ends.
    assert all(b > a for a, b in itertools.pairwise([0, *batches.ticks_at])), batches.ticks_at
    # After a batch of 0.1 s, about as long a pause before the next: the write lock is free
    # for the loop's writes and other processes' in between.
    gaps = [b - a for a, b in zip(batches.ends, batches.ends[1:], strict=False)]
    assert min(gaps) >= 0.18, gaps


async def test_a_stopping_service_ends_the_prune_after_its_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(tmp_path / "nd.db")
    for n in range(5):
        add_story(db, f"old{n}", ["A", "B"], now=T0)
    monkeypatch.setattr(retention, "STORY_BATCH", 1)
    batches = Batches(monkeypatch)
    pruner = Pruner(db, retention_days=180, window_hours=48, clock=lambda: NOW)

    def stop_after_first(*args: Any, **kwargs: Any) -> Iterator[tuple[Any, int]]:
        for batch in batches(*args, **kwargs):
            pruner.stop()
            yield batch

    monkeypatch.setattr(retention, "prune_batches", stop_after_first)
    counts = await pruner.run()
    left = db.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    db.conn.close()
    assert counts is None and len(batches.threads) == 1  # the one batch done stays done
    assert left == 4
    assert pruner.last_error is None  # stopped, not failed


def test_every_connection_limits_the_wal_file(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    limit = db.execute("PRAGMA journal_size_limit").fetchone()[0]
    db.conn.close()
    assert limit == JOURNAL_SIZE_LIMIT


def test_a_prune_leaves_the_wal_file_cut_back(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    db = open_database(path)
    for n in range(300):
        add_story(db, f"old{n}", ["Gazette", "Courier", "Ledger"], now=T0)
    # Another reader holds a snapshot through the deletes, as the running bot's reads do: no
    # checkpoint can start the -wal file over, so it grows with every batch.
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM stories").fetchone()
    with transaction(db):
        db.execute("UPDATE stories SET headline = headline || ' (checked)'")
    counts = retention.prune(
        db, now=NOW, older_than=timedelta(days=180), window=timedelta(hours=48)
    )
    grown = (tmp_path / "nd.db-wal").stat().st_size
    reader.execute("COMMIT")
    reader.close()
    # The next prune (nothing left to delete) finds no reader in the way.
    retention.prune(db, now=NOW, older_than=timedelta(days=180), window=timedelta(hours=48))
    after = (tmp_path / "nd.db-wal").stat().st_size
    db.conn.close()
    assert counts.stories == 300
    assert grown > 200_000, grown
    assert after == 0


async def test_the_daily_prune_gives_every_table_statistics_its_fresh_connection_never_read(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", min_sources=1)
    channel_store.update_channel(db, channel.id, digest_size=1)
    for n in range(3):
        add_story(db, f"new{n}", ["A", "B"], now=NOW - timedelta(hours=1 + n))
    add_story(db, "old", ["A"], now=T0)
    # A digest of one card lists the other two: listed_stories has rows.
    digests.enqueue_digest(db, channel_store.get_channel_by_pk(db, channel.id) or channel, now=NOW)
    db.conn.close()
    # The service's prune, on a connection of its own in the worker: it queried none of these.
    loop_db = open_database(tmp_path / "nd.db")
    counts = await Pruner(loop_db, retention_days=180, window_hours=48, clock=lambda: NOW).run()
    analysed = {r[0] for r in loop_db.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
    loop_db.conn.close()
    assert counts is not None and counts.stories == 1
    # The prune's own deletes read stories, deliveries and listed_stories (their foreign keys);
    # a digest reads channels and digest_runs too, which the prune's connection never queried.
    assert {"channels", "digest_runs", "listed_stories", "stories", "deliveries"} <= analysed


def test_a_wal_file_a_reader_keeps_is_said_once_and_not_waited_for_long(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "nd.db"
    db = open_database(path)
    for n in range(20):
        add_story(db, f"s{n}", ["A"], now=T0)
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM stories").fetchone()
    add_story(db, "after", ["A"], now=T0)  # a frame the reader's snapshot does not hold
    caplog.set_level(logging.INFO, logger="bot.store.database")
    timeout_before = db.execute("PRAGMA busy_timeout").fetchone()[0]
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    done = truncate_wal(db)
    db.conn.set_trace_callback(None)
    timeout_after = db.execute("PRAGMA busy_timeout").fetchone()[0]
    reader.execute("COMMIT")
    reader.close()
    db.conn.close()
    said = [r for r in caplog.records if "could not cut the -wal file back" in r.getMessage()]
    assert not done
    assert len(said) == 1 and said[0].levelno == logging.INFO
    assert getattr(said[0], "wal_bytes", 0) > 0
    # Writers queue behind the checkpoint's wait, which was a second. SQLite's busy timeout
    # bounds it: the one in force when the checkpoint ran is read, not the wall clock.
    checkpoint = next(i for i, sql in enumerate(statements) if "wal_checkpoint" in sql)
    waits = [sql for sql in statements[:checkpoint] if sql.startswith("PRAGMA busy_timeout =")]
    assert waits and int(waits[-1].partition("=")[2]) <= 500, statements
    assert timeout_after == timeout_before  # the connection's own wait back for the rest
