"""The service's first clustering pass warms the clusterer up in a worker thread: profiling the
whole window again took seconds on a 3,000-article window, and on the event loop it held
`/healthz`, chat and the outbox for as long. The work must run elsewhere, the loop keep ticking,
and the clusterer come out as a warm-up on the loop leaves it."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import NewsDigest
from bot.cluster.online import OnlineClusterer
from bot.config import Config
from bot.pipeline.clustering import StoryClusterer
from bot.store import articles as article_store
from bot.store.database import open_database, transaction
from tests._cluster_fixtures import event_articles

# Long enough that heartbeats fall inside it while the warm-up runs in a thread; a warm-up on
# the loop lets none through.
WARM_UP_SECONDS = 0.6
HEARTBEAT = 0.01


def _rows(suffix: str, base: datetime, tail: str = "") -> list[dict[str, Any]]:
    """Each event's reports from `base` on, their guids ending in `suffix` and their titles in
    `tail` (a title stored within days already is a duplicate)."""
    rows = []
    for name, a in event_articles():
        when = base + (a.published - event_articles()[0][1].published)  # type: ignore[operator]
        rows.append(
            {
                "source": a.source,
                "guid": f"{a.id}{suffix}",
                "url": f"https://news.example/{name}/{a.id}{suffix}",
                "canonical_url": f"https://news.example/{name}/{a.id}{suffix}",
                "title": f"{a.title}{tail}",
                "text": a.text,
                "published": when,
                "seen_at": when,
            }
        )
    return rows


def _database(path: Path, *, saved: bool) -> None:
    """A database whose window's stories a commit saved (or, not `saved`, one from before states
    were saved), and a new report of each event waiting to be clustered."""
    now = datetime.now(UTC)
    db = open_database(path)
    article_store.insert_new(db, _rows("", now - timedelta(hours=6)))
    StoryClusterer(db).cluster_backlog()
    if not saved:
        with transaction(db):
            db.execute("DELETE FROM service_state")
            db.execute("DELETE FROM article_weights")
    article_store.insert_new(
        db, _rows("-later", now - timedelta(hours=1), ", officials confirm")[:3]
    )
    db.conn.close()


@pytest.mark.parametrize("saved", [True, False], ids=["saved-state", "restored-from-stories"])
async def test_the_first_pass_warms_up_off_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: bool
) -> None:
    path = tmp_path / "nd.db"
    _database(path, saved=saved)
    loop_thread = threading.current_thread()
    ran_on: list[threading.Thread] = []
    warming: list[float] = []  # when the slow warm-up began and ended
    # A window of thousands of articles, stood in for by a slow warm-up of these few.
    slow = "resume" if saved else "restore"
    original = getattr(OnlineClusterer, slow)

    def slowed(self: OnlineClusterer, *args: Any, **kwargs: Any) -> None:
        if not ran_on:
            warming.append(time.monotonic())
            time.sleep(WARM_UP_SECONDS)
            warming.append(time.monotonic())
        ran_on.append(threading.current_thread())
        original(self, *args, **kwargs)

    monkeypatch.setattr(OnlineClusterer, slow, slowed)
    # Making the clusterer imports the clustering stage the first time (most of a second).
    made_on: list[threading.Thread] = []
    init = StoryClusterer.__init__

    def made(self: StoryClusterer, *args: Any, **kwargs: Any) -> None:
        made_on.append(threading.current_thread())
        init(self, *args, **kwargs)

    monkeypatch.setattr(StoryClusterer, "__init__", made)
    core = NewsDigest(Config(database=str(path)), db=open_database(path))
    beats: list[float] = []
    stop = asyncio.Event()

    async def heartbeat() -> None:
        while not stop.is_set():
            await asyncio.sleep(HEARTBEAT)
            beats.append(time.monotonic())

    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(HEARTBEAT * 3)
    touched: set[str] = set()
    clustered = await core.cluster_backlog(touched)
    stop.set()
    await beat

    assert clustered == 3 and touched
    assert ran_on and all(t is not loop_thread for t in ran_on)
    assert len(made_on) == 1 and made_on[0] is not loop_thread
    # The loop answered while the warm-up ran: an order of events, not a longest gap between
    # heartbeats, which a loaded machine's lateness stretches.
    began, ended = warming
    assert any(began < beat < ended for beat in beats)
    # The same clusterer as a warm-up on the loop makes, going on from there.
    monkeypatch.setattr(OnlineClusterer, slow, original)
    monkeypatch.setattr(StoryClusterer, "__init__", init)
    on_loop = StoryClusterer(open_database(path))
    on_loop.warm_up()
    assert on_loop.clusterer.open_stories() == core.clusterer.clusterer.open_stories()
    assert on_loop.clusterer.state() == core.clusterer.clusterer.state()
    core.close()
    on_loop.db.conn.close()


async def test_an_in_memory_database_still_warms_up(tmp_path: Path) -> None:
    """Only the loop's connection sees an in-memory database: its warm-up stays there."""
    db = open_database(":memory:")
    core = NewsDigest(Config(database=":memory:"), db=db)
    article_store.insert_new(db, _rows("", datetime.now(UTC) - timedelta(hours=2)))
    assert await core.cluster_backlog(set()) == 9
    assert core.clusterer.warmed
    core.close()


async def test_a_poll_warms_up_while_its_feeds_are_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newsdigest poll` from cron is a new process every time: its warm-up starts once a feed
    stored something to cluster, and overlaps the rest of the fetch rather than following it."""
    from bot.pipeline import poll as poll_stage
    from bot.pipeline.feed_result import FeedResult

    path = tmp_path / "nd.db"
    _database(path, saved=True)
    core = NewsDigest(Config(database=str(path)), db=open_database(path))
    real = poll_stage.poll_feeds
    warm_while_fetching: list[bool] = []

    def warmed() -> bool:
        stage = core.__dict__.get("clusterer")  # not made here: that would be on the loop
        return stage is not None and stage.warmed

    async def fetching(db: Any, polling: Any, **kwargs: Any) -> Any:
        feed = kwargs["on_feed_done"]
        feed(FeedResult(feed=None, status="unchanged"))  # type: ignore[arg-type]
        await asyncio.sleep(0.2)
        warm_while_fetching.append(warmed())  # nothing to cluster yet: no warm-up
        feed(FeedResult(feed=None, status="new", new_articles=3))  # type: ignore[arg-type]
        for _ in range(200):  # the rest of a slow fetch: up to 2 s
            if warmed():
                break
            await asyncio.sleep(0.01)
        warm_while_fetching.append(warmed())
        return await real(db, polling, **{**kwargs, "feeds": []})

    monkeypatch.setattr(poll_stage, "poll_feeds", fetching)
    report = await core.poll()
    assert warm_while_fetching == [False, True]
    assert report.clustered == 3
    # Clustering's time, as reported, counts the wait for a warm-up that outlasts the fetch.
    monkeypatch.setattr(poll_stage, "poll_feeds", real)
    slow = OnlineClusterer.restore
    slept: list[float] = []

    def slowed(self: OnlineClusterer, *args: Any, **kwargs: Any) -> None:
        if not slept:  # once a warm-up, not once a story
            slept.append(WARM_UP_SECONDS)
            time.sleep(WARM_UP_SECONDS)
        slow(self, *args, **kwargs)

    monkeypatch.setattr(OnlineClusterer, "restore", slowed)
    again = NewsDigest(Config(database=str(path)), db=open_database(path))
    article_store.insert_new(again.db, _rows("-latest", datetime.now(UTC), ", the latest")[:1])
    with transaction(again.db):
        again.db.execute("DELETE FROM service_state")  # restored from the stories: `restore`

    async def one_new(db: Any, polling: Any, **kwargs: Any) -> Any:
        kwargs["on_feed_done"](FeedResult(feed=None, status="new", new_articles=1))  # type: ignore[arg-type]
        return await real(db, polling, **{**kwargs, "feeds": []})

    monkeypatch.setattr(poll_stage, "poll_feeds", one_new)
    report = await again.poll()
    assert report.clustered == 1
    assert report.cluster_seconds >= WARM_UP_SECONDS
    again.close()
    core.close()


async def test_a_pass_with_nothing_to_cluster_does_not_warm_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A poll that found nothing new spends no second profiling the window for nothing."""
    path = tmp_path / "nd.db"
    _database(path, saved=True)
    db = open_database(path)
    StoryClusterer(db).cluster_backlog()  # the new reports too: nothing left
    warm_ups: list[int] = []
    original = OnlineClusterer.resume

    def counted(self: OnlineClusterer, *args: Any, **kwargs: Any) -> None:
        warm_ups.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(OnlineClusterer, "resume", counted)
    core = NewsDigest(Config(database=str(path)), db=db)
    assert await core.cluster_backlog(set()) == 0
    assert warm_ups == []
    article_store.insert_new(db, _rows("-latest", datetime.now(UTC), ", the latest")[:1])
    assert await core.cluster_backlog(set()) == 1
    assert warm_ups == [1]
    core.close()
