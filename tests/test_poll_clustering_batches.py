"""A poll's clustering of a big backlog: in committed batches, with progress, cancellable
between batches (Ctrl-C in `newsdigest poll`), and counted in the time the pass reports."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from bot.app import NewsDigest, PassReport
from bot.cli.poll import poll_with_progress, print_poll_report
from bot.config import Config
from bot.pipeline import clustering
from bot.pipeline.poll import PollReport
from bot.runner.polling import Poller
from bot.store import articles as article_store
from bot.store import feeds as feed_store
from bot.store.database import open_database

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
SUBJECTS = [
    "harbour crane strike", "orbital telescope launch", "river flood warning",
    "chess final upset", "grain price surge", "subway signal outage",
]  # fmt: skip
BACKLOG = 30


def _core_with_backlog(tmp_path: Path) -> NewsDigest:
    """A core whose database holds BACKLOG stored articles no pass has clustered yet."""
    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    feed = feed_store.add_feed(core.db, "https://x.example/rss")
    rows = [
        {
            "feed_id": feed.id,
            "source": f"Outlet {i % 4}",
            "guid": f"g{i}",
            "url": f"https://x.example/{i}",
            "canonical_url": f"https://x.example/{i}",
            "title": f"Update {i} on the {SUBJECTS[i % len(SUBJECTS)]}",
            "text": f"Officials gave update number {i} on the {SUBJECTS[i % len(SUBJECTS)]}.",
            "published": NOW + timedelta(minutes=i),
            "seen_at": NOW + timedelta(minutes=i),
        }
        for i in range(BACKLOG)
    ]
    article_store.insert_new(core.db, rows)
    return core


def _clustered(core: NewsDigest) -> int:
    return core.db.execute("SELECT COUNT(*) FROM articles WHERE story_id IS NOT NULL").fetchone()[0]


def _counts_agree(core: NewsDigest) -> bool:
    """Every story's stored article count is its articles' number: no half-committed batch."""
    rows = core.db.execute(
        "SELECT s.article_count, (SELECT COUNT(*) FROM articles a WHERE a.story_id = s.id) "
        "FROM stories s"
    ).fetchall()
    return all(stored == actual for stored, actual in rows)


def test_a_cancelled_pass_keeps_the_batches_done_and_the_next_clusters_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clustering, "BACKLOG_BATCH", 5)
    core = _core_with_backlog(tmp_path)

    async def interrupt_midway() -> None:
        # Ctrl-C in `newsdigest poll` cancels the pass's task the same way. The loop must get a
        # turn while the backlog is clustered, or the cancel lands once all of it is done.
        task = asyncio.create_task(core.poll(feeds=[]))
        while not task.done() and _clustered(core) == 0:
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupt_midway())
    done = _clustered(core)
    assert 0 < done < BACKLOG and done % 5 == 0  # whole batches, committed
    assert _counts_agree(core)

    report = asyncio.run(core.poll(feeds=[]))
    assert report.clustered == BACKLOG - done
    assert _clustered(core) == BACKLOG and _counts_agree(core)
    # Each article is in the clusterer's open stories once: none was added twice.
    clusterer = core.clusterer.clusterer
    members = [m for sid in clusterer.active_story_ids() for m in clusterer.members(sid)]
    assert sorted(members) == sorted(r[0] for r in core.db.execute("SELECT id FROM articles"))
    core.close()


def test_progress_is_told_batch_by_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clustering, "BACKLOG_BATCH", 8)
    core = _core_with_backlog(tmp_path)
    seen: list[tuple[int, int]] = []
    report = asyncio.run(
        core.poll(feeds=[], on_cluster_progress=lambda n, of: seen.append((n, of)))
    )
    assert seen == [(0, 30), (8, 30), (16, 30), (24, 30), (30, 30)]
    assert report.clustered == BACKLOG and report.touched_stories
    core.close()


def test_the_terminal_shows_a_clustering_bar_and_a_pipe_no_bar(tmp_path: Path) -> None:
    core = _core_with_backlog(tmp_path)
    terminal = StringIO()
    console = Console(file=terminal, width=120, force_terminal=True, color_system=None)
    asyncio.run(poll_with_progress(core, console, all_feeds=True))
    assert "clustering" in terminal.getvalue() and f"{BACKLOG}/{BACKLOG}" in terminal.getvalue()
    # Off a terminal the bars stay away (the report alone goes to stderr), as `progress_bar`'s.
    piped = StringIO()
    console = Console(file=piped, width=120, force_terminal=False, color_system=None)
    asyncio.run(poll_with_progress(core, console, all_feeds=True))
    assert piped.getvalue() == ""
    core.close()


def test_the_terminal_shows_no_clustering_bar_with_nothing_to_cluster(tmp_path: Path) -> None:
    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    terminal = StringIO()
    console = Console(file=terminal, width=120, force_terminal=True, color_system=None)
    asyncio.run(poll_with_progress(core, console, all_feeds=True))
    assert "polling feeds" in terminal.getvalue()
    assert "clustering" not in terminal.getvalue()
    core.close()


def test_the_reported_time_is_the_whole_pass() -> None:
    out = StringIO()
    console = Console(file=out, width=300, force_terminal=False, color_system=None)
    report = PassReport(
        poll=PollReport(seconds=3.1), touched_stories={"a"}, clustered=0, cluster_seconds=28.0
    )
    print_poll_report(report, console)
    assert "in 31.1s (fetching 3.1s, clustering 28.0s)" in out.getvalue()


# Three batches of four about three unrelated subjects, so no later batch touches an earlier
# batch's stories again.
TOPICS = [
    ("Glacier", "glacier meltwater lake bursts its moraine dam above the valley"),
    ("Stadium", "stadium roof panels torn loose by gale before the cup final"),
    ("Vaccine", "vaccine trial enrols volunteers across northern provinces"),
]


def _core_with_three_topics(tmp_path: Path) -> NewsDigest:
    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    feed = feed_store.add_feed(core.db, "https://y.example/rss")
    rows = [
        {
            "feed_id": feed.id,
            "source": f"Outlet {i % 4}",
            "guid": f"t{i}",
            "url": f"https://y.example/{i}",
            "canonical_url": f"https://y.example/{i}",
            "title": f"{TOPICS[i // 4][0]}: {TOPICS[i // 4][1]}",
            "text": f"Report {i}: the {TOPICS[i // 4][1]}, officials said.",
            "published": NOW + timedelta(minutes=i),
            "seen_at": NOW + timedelta(minutes=i),
        }
        for i in range(12)
    ]
    article_store.insert_new(core.db, rows)
    return core


def test_stories_of_a_failed_pass_s_committed_batches_reach_the_next_pass_s_planner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service's planner (instant posts, thread updates) hears of a pass's stories from its
    report: a pass that fails after some batches committed has none, so the next pass must
    report those stories, or they are not planned until they change again."""
    monkeypatch.setattr(clustering, "BACKLOG_BATCH", 4)
    core = _core_with_three_topics(tmp_path)
    real = clustering.refresh_counts
    failed: list[bool] = []

    def fails_once_in_the_third_batch(*args: Any, **kwargs: Any) -> None:
        # The batch's own uncommitted writes are visible on the same connection.
        if not failed and _clustered(core) > 8:
            failed.append(True)
            raise OSError("disk full")
        real(*args, **kwargs)

    monkeypatch.setattr(clustering, "refresh_counts", fails_once_in_the_third_batch)
    reported: list[set[str]] = []

    async def on_pass(report: PassReport) -> None:
        reported.append(set(report.touched_stories))

    async def two_passes() -> None:
        poller = Poller(core, on_pass, clock=lambda: NOW)
        await poller._run([], NOW)  # logs the failure, as the service does
        assert failed and not reported and _clustered(core) == 8
        await poller._run([], NOW)

    asyncio.run(two_passes())
    live = {r[0] for r in core.db.execute("SELECT id FROM stories WHERE merged_into IS NULL")}
    assert _clustered(core) == 12 and len(live) >= 3
    assert reported[0] == live
    # Reported once: a third pass with nothing new has nothing to tell.
    assert asyncio.run(core.poll(feeds=[])).touched_stories == set()
    core.close()
