"""Reads of the stories updated since a time go through `stories_last_updated`, not
`stories_merged_into`: nearly every story is live (`merged_into IS NULL`), so that index finds them
all, and a six-month database's digest pool, `stories` and `topics test` read every live story
(20-30 ms a call, against 0.4 ms)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils
from _plans import plan_lines
from fakes.stories import add_story

from bot.store import retention
from bot.store import stories as story_store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BY_TIME = "SEARCH stories USING INDEX stories_last_updated"


def _stories(db: sqlite_utils.Database) -> None:
    add_story(db, "old", ["A", "B"], now=NOW - timedelta(days=200))
    add_story(db, "new", ["A", "B"], now=NOW)
    add_story(db, "gone", ["A", "B"], now=NOW)
    db.execute("UPDATE stories SET merged_into = 'new' WHERE id = 'gone'")


def test_recent_stories_are_read_by_when_they_changed(db: sqlite_utils.Database) -> None:
    _stories(db)
    since = NOW - timedelta(days=2)
    calls = [
        lambda: story_store.recent_stories(db, since=since, min_sources=2),
        lambda: story_store.recent_stories(db, since=since, or_ids=["old"]),
        lambda: story_store.recent_stories(db, since=since, reported_since=since),
        lambda: story_store.active_stories(db, since),
    ]
    assert [[s.id for s in call()] for call in calls] == [["new"], ["new", "old"], ["new"], ["new"]]
    for call in calls:
        plan = plan_lines(db, call, 'from "stories" where')
        assert plan[0].startswith(BY_TIME) or plan[:2] == ["MULTI-INDEX OR", "INDEX 1"], plan
        assert BY_TIME in " ".join(plan) and "stories_merged_into" not in " ".join(plan)


def test_prune_reads_the_old_stories_by_when_they_changed(db: sqlite_utils.Database) -> None:
    _stories(db)
    before = NOW - timedelta(days=180)
    assert retention.backlog(db, before=before, now=NOW).stories == 1
    for call in (
        lambda: retention.backlog(db, before=before, now=NOW),
        lambda: retention._old_roots(db, before, ("", ""), retention.STORY_BATCH),
    ):
        plan = plan_lines(db, call, "FROM stories WHERE")
        assert plan[0].startswith(BY_TIME), plan
