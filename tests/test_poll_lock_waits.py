"""The running bot's own poll passes beside another process's write lock (a cron `newsdigest
poll`, a prune): each feed's store, its crash record, the clustering commits and the poller's
start-up writes waited with the connection's busy timeout (30 s) on the event loop, so chat
heartbeats, commands and the other feeds' fetches stood still (the fetches then timed out).
They now wait with the loop free, and land once when the lock is let go.

Real SQLite file and loopback feed server; the lock is held by a second connection, as another
process would, and let go once the loop has ticked on (`_held_lock`): a loop frozen waiting for
the lock never ticks, and only the failsafe lets it go then."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from _held_lock import FAILSAFE_SECONDS, HeldLock
from _loop_ticks import LoopTicks

from bot.app import NewsDigest, PassReport
from bot.config import Config, FeedConfig, PollingConfig
from bot.feedserver import FeedServer
from bot.pipeline import clustering, feed_result, feed_state, poll
from bot.runner import polling
from bot.runner.polling import Poller
from bot.store import articles as article_store
from bot.store import feeds as feed_store
from bot.store.database import open_database, utcnow

FEEDS = ("harbour", "transit", "weather")
TICKS = 25  # the loop's ticks counted while the lock is held, before it is let go


def rss(name: str) -> bytes:
    items = "".join(
        f"<item><guid>{name}-{i}</guid><title>{name.title()} desk item {i}: crews at work"
        f"</title><link>https://{name}.example/{i}</link><description>The {name} desk says"
        f" crews worked through the night on item {i}.</description></item>"
        for i in range(2)
    )
    return f'<rss version="2.0"><channel><title>{name}</title>{items}</channel></rss>'.encode()


@pytest.fixture
def feeds_server() -> Iterator[FeedServer]:
    with FeedServer({f"/{name}": rss(name) for name in FEEDS}) as server:
        yield server


def core_over(tmp_path: Path, server: FeedServer) -> NewsDigest:
    config = Config(
        database=str(tmp_path / "nd.db"),
        polling=PollingConfig(allow_private_networks=True, timeout=5.0),
        feeds=[FeedConfig(url=server.url(f"/{name}")) for name in FEEDS],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    core.sync_config()
    # Longer than the lock's failsafe: a write waiting it out on the loop stalls it until then.
    core.db.execute(f"PRAGMA busy_timeout = {int(FAILSAFE_SECONDS * 2000)}")
    return core


def marking(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, ticks: LoopTicks) -> list[int]:
    """The loop's tick count each time `owner.name` is called: the lock is let go `TICKS` ticks
    after the first, so it is still held when the write after that call meets it."""
    marks: list[int] = []
    real = getattr(owner, name)

    def marked(*args: Any, **kwargs: Any) -> Any:
        marks.append(ticks.count)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, marked)
    return marks


def after_first(marks: list[int], ticks: LoopTicks) -> Callable[[], bool]:
    return lambda: bool(marks) and ticks.count >= marks[0] + TICKS


def make_due(core: NewsDigest, now: datetime) -> None:
    for feed in feed_store.list_feeds(core.db):
        feed_store.update_feed(core.db, feed.id, next_poll_at=now - timedelta(minutes=1))


async def run_pass(core: NewsDigest, now: datetime) -> list[PassReport]:
    reports: list[PassReport] = []

    async def on_pass(report: PassReport) -> None:
        reports.append(report)

    poller = Poller(core, on_pass, clock=lambda: now)
    assert await poller.tick() == len(FEEDS)
    await asyncio.gather(*poller.tasks)
    await poller.close(0)
    return reports


async def test_a_pass_beside_a_lock_stores_each_feed_once_the_loop_running_meanwhile(
    tmp_path: Path, feeds_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = core_over(tmp_path, feeds_server)
    now = utcnow()
    make_due(core, now)
    async with LoopTicks() as ticks:
        # The feeds' rows are made just before their store: the lock meets the first store.
        marks = marking(monkeypatch, poll, "poll_rows", ticks)
        lock = HeldLock(core.config.database, after_first(marks, ticks))
        reports = await run_pass(core, now)
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    # Let go because the loop ticked on while the stores waited, not by the failsafe.
    assert lock.released_when_told
    [report] = reports
    assert sorted(r.status for r in report.poll.feeds) == ["new"] * len(FEEDS)
    guids = [r[0] for r in core.db.execute("SELECT guid FROM articles ORDER BY guid")]
    assert guids == sorted(f"{name}-{i}" for name in FEEDS for i in range(2))  # each once
    for feed in feed_store.list_feeds(core.db):
        assert feed.last_polled_at is not None and feed.last_error is None
        assert feed.consecutive_failures == 0
    outcomes = core.db.execute("SELECT DISTINCT last_outcome FROM feeds").fetchall()
    assert outcomes == [("2 new",)]
    # The pass clustered them after the lock, each article once.
    assert report.clustered == 2 * len(FEEDS)
    assert not article_store.any_unclustered(core.db)
    core.close()


async def test_a_feeds_crash_record_beside_a_lock_is_kept_the_loop_running_meanwhile(
    tmp_path: Path, feeds_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = core_over(tmp_path, feeds_server)
    now = utcnow()
    make_due(core, now)

    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("a bug of ours")

    async with LoopTicks() as ticks:
        monkeypatch.setattr(poll, "poll_rows", broken)
        marks = marking(monkeypatch, poll, "internal_error", ticks)
        lock = HeldLock(core.config.database, after_first(marks, ticks))
        reports = await run_pass(core, now)
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert lock.released_when_told
    [report] = reports
    assert [r.status for r in report.poll.feeds] == ["failed"] * len(FEEDS)
    for feed in feed_store.list_feeds(core.db):
        # Recorded as our own failure, not counted against the feed, and the feed waits.
        assert feed.last_error is not None and "a bug of ours" in feed.last_error
        assert feed.consecutive_failures == 0
        assert feed.next_poll_at is not None and feed.next_poll_at > now
    assert core.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    core.close()


def _core_with_backlog(tmp_path: Path, server: FeedServer) -> NewsDigest:
    core = core_over(tmp_path, server)
    feed = feed_store.list_feeds(core.db)[0]
    at = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    rows = [
        {
            "feed_id": feed.id,
            "source": f"Outlet {i % 3}",
            "guid": f"g{i}",
            "url": f"https://x.example/{i}",
            "canonical_url": f"https://x.example/{i}",
            "title": f"Bridge repair update {i} from the {('north', 'south')[i % 2]} bank",
            "text": f"Engineers gave bridge repair update {i} on the river crossing.",
            "published": at + timedelta(minutes=i),
            "seen_at": at + timedelta(minutes=i),
        }
        for i in range(12)
    ]
    article_store.insert_new(core.db, rows)
    return core


async def test_clustering_commits_beside_a_lock_land_once_the_loop_running_meanwhile(
    tmp_path: Path, feeds_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clustering, "BACKLOG_BATCH", 5)
    core = _core_with_backlog(tmp_path, feeds_server)
    async with LoopTicks() as ticks:
        marks = marking(monkeypatch, clustering.StoryClusterer, "_commit", ticks)
        lock = HeldLock(core.config.database, after_first(marks, ticks))
        touched: set[str] = set()
        clustered = await core.cluster_backlog(touched)
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert lock.released_when_told
    assert clustered == 12
    assert not article_store.any_unclustered(core.db)
    # Every story's count is its articles': no batch stored twice or half.
    rows = core.db.execute(
        "SELECT s.id, s.article_count, (SELECT COUNT(*) FROM articles a WHERE a.story_id = s.id)"
        " FROM stories s"
    ).fetchall()
    assert all(stored == actual for _id, stored, actual in rows)
    assert sum(actual for _id, _stored, actual in rows) == 12
    assert touched == {story_id for story_id, _stored, actual in rows if actual}
    # The clusterer's memory agrees with what was stored: the next pass has nothing to add.
    assert await core.cluster_backlog(set()) == 0
    core.close()


async def test_the_pollers_start_beside_a_lock_leaves_the_loop_free_and_spreads_after(
    tmp_path: Path, feeds_server: FeedServer
) -> None:
    core = core_over(tmp_path, feeds_server)
    now = utcnow()

    async def on_pass(_report: PassReport) -> None:
        return None

    poller = Poller(core, on_pass, clock=lambda: now)
    async with LoopTicks() as ticks:
        target = ticks.count + TICKS
        lock = HeldLock(core.config.database, lambda: ticks.count >= target)
        await poller.open(spread=300)
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert lock.released_when_told
    # The never-polled feeds were given their spread start once the lock was free.
    for feed in feed_store.list_feeds(core.db):
        assert feed.next_poll_at is not None
        assert now <= feed.next_poll_at < now + timedelta(seconds=300)
    await poller.close(0)
    core.close()


async def test_a_pass_cancelled_while_its_commit_waits_for_a_lock_loses_and_doubles_nothing(
    tmp_path: Path, feeds_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shutdown while a batch, decided in memory, waits for the lock: the clusterer drops
    what it holds, and the next pass clusters every article once."""
    monkeypatch.setattr(clustering, "BACKLOG_BATCH", 5)
    core = _core_with_backlog(tmp_path, feeds_server)
    cancelled = False
    async with LoopTicks() as ticks:
        marks = marking(monkeypatch, clustering.StoryClusterer, "_commit", ticks)
        lock = HeldLock(core.config.database, lambda: cancelled)
        task = asyncio.create_task(core.cluster_backlog(set()))
        while not (marks and ticks.count >= marks[0] + 5):
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        cancelled = True
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert lock.released_when_told
    # Nothing of the pass was stored: its first batch waited for the lock when it was cancelled.
    assert article_store.any_unclustered(core.db)
    # The decisions it held for that batch are dropped with the rest of its memory: the next
    # pass takes up the database's view again, without them.
    assert not core.clusterer.warmed
    assert await core.cluster_backlog(set()) == 12
    # What the clusterer holds is what was stored: each article once (kept, the cancelled
    # batch's decisions were held again beside the next pass's for the same articles).
    held = [a for _story, members in core.clusterer.clusterer.open_stories() for a in members]
    assert len(held) == len(set(held)) == 12
    rows = core.db.execute(
        "SELECT s.article_count, (SELECT COUNT(*) FROM articles a WHERE a.story_id = s.id)"
        " FROM stories s"
    ).fetchall()
    assert all(stored == actual for stored, actual in rows)
    assert sum(actual for _stored, actual in rows) == 12
    core.close()


@pytest.mark.parametrize(
    ("owner", "name"),
    [
        (polling, "retry_internal_errors"),
        (feed_state, "spread_missed_retries"),
        (polling, "spread_overdue"),
    ],
)
async def test_each_of_the_pollers_start_up_writes_beside_a_lock_leaves_the_loop_free(
    tmp_path: Path,
    feeds_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    owner: Any,
    name: str,
) -> None:
    """The lock taken just as the write `owner.name` comes, after the start-up writes before
    it: it too waits with the loop free, and is written once the lock is let go."""
    core = core_over(tmp_path, feeds_server)
    now = utcnow()
    # A feed disabled for its failures whose daily try was missed days ago: one to move.
    dead, *_ = feed_store.list_feeds(core.db)
    feed_store.update_feed(
        core.db,
        dead.id,
        disabled_reason="failing since 2027-01-04 08:00 UTC (connection refused)",
        next_poll_at=now - timedelta(days=3),
    )

    async def on_pass(_report: PassReport) -> None:
        return None

    poller = Poller(core, on_pass, clock=lambda: now)
    locks: list[HeldLock] = []
    real = getattr(owner, name)
    async with LoopTicks() as ticks:

        def locked_then(*args: Any, **kwargs: Any) -> Any:
            if not locks:  # outside any transaction: the write itself meets the lock
                target = ticks.count + TICKS
                locks.append(HeldLock(core.config.database, lambda: ticks.count >= target))
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, locked_then)
        await poller.open(spread=300)
        [lock] = locks
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert lock.released_when_told
    for feed in feed_store.list_feeds(core.db):
        assert feed.next_poll_at is not None
        if feed.id == dead.id:  # its missed try spread over the next hour
            assert now <= feed.next_poll_at < now + feed_state.MISSED_RETRY_SPREAD
        else:  # the never-polled feeds given their spread start
            assert now <= feed.next_poll_at < now + timedelta(seconds=300)
    await poller.close(0)
    core.close()


async def test_a_lock_past_the_busy_timeout_leaves_each_feed_to_its_next_poll_no_crash(
    tmp_path: Path, feeds_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A long prune or VACUUM: each feed's store gives up after the connection's busy timeout
    with the loop free, says why without a traceback, and writes nothing; the feed stays due,
    and its next poll stores every entry once. Before, the store was logged as a crash of ours
    and then tried one entry at a time, each waiting the busy timeout on the loop."""
    core = core_over(tmp_path, feeds_server)
    core.db.execute("PRAGMA busy_timeout = 300")
    now = utcnow()
    make_due(core, now)
    polling = core.config.polling
    done = False
    lock = HeldLock(core.config.database, lambda: done)
    try:
        with caplog.at_level(logging.WARNING):
            report = await poll.poll_feeds(core.db, polling, now=now)
    finally:
        done = True
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert lock.released_when_told
    assert [(r.status, r.busy) for r in report.feeds] == [("failed", True)] * len(FEEDS)
    assert {r.error for r in report.feeds} == {feed_result.BUSY}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert core.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    for feed in feed_store.list_feeds(core.db):  # nothing against the feed, still due
        assert feed.last_error is None and feed.consecutive_failures == 0
        assert feed.next_poll_at is not None and feed.next_poll_at <= now
    # The lock gone, the next poll stores what this one could not, each entry once.
    again = await poll.poll_feeds(core.db, polling, now=now)
    assert [r.status for r in again.feeds] == ["new"] * len(FEEDS)
    assert core.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2 * len(FEEDS)
    core.close()


async def test_storing_one_by_one_after_a_crash_waits_for_a_lock_with_the_loop_free(
    tmp_path: Path, feeds_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug of ours fails a feed's store, and another process takes the lock as its entries
    are then stored one at a time: each waits with the loop free, and all are kept."""
    core = core_over(tmp_path, feeds_server)
    now = utcnow()
    first, *_ = feed_store.list_feeds(core.db)

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(poll, "insert_newest", broken)
    locks: list[HeldLock] = []
    real = poll.store_one_by_one
    async with LoopTicks() as ticks:

        def locked_then(*args: Any, **kwargs: Any) -> Any:
            target = ticks.count + TICKS
            locks.append(HeldLock(core.config.database, lambda: ticks.count >= target))
            return real(*args, **kwargs)

        monkeypatch.setattr(poll, "store_one_by_one", locked_then)
        report = await poll.poll_feeds(core.db, core.config.polling, feeds=[first], now=now)
        [lock] = locks
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert lock.released_when_told
    [result] = report.feeds
    assert (result.status, result.new_articles) == ("new", 2)
    assert core.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2
    core.close()
