"""Retention: deleting stories whose newest article is older than the cutoff, with everything that
points at them, and articles that never joined a story, once they are that old.

What goes with a story: its articles (each tombstoned first, see bot.store.tombstones, so a feed
still serving one does not bring it back as new), the stories merged into it and the record of each
merge, its slug aliases, its cached summary (a column of the story row), its finished posts and
updates (deliveries `sent` or `failed`) and channels' mutes of it. Never deleted: a story with a
post or update still `pending` or `sending` (the outbox owns it; it goes on a later run, once
finished); a story (or one merged into it) updated or given an article since the cutoff; anything
inside the clustering window, which the cutoff must lie beyond. Plain notices (`alerts`) are not
the story's: finished ones (sent, or failed) go once older than the cutoff, long after their key
could matter (see bot.store.alerts); a notice still to be sent is never deleted.

The work is done in batches, each its own short write transaction (`BEGIN IMMEDIATE`, checked and
deleted under the one lock), so the running bot waits for one batch at most; a dry run only reads,
batch by batch, and counts what a real run would delete.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from time import monotonic
from typing import Any

import sqlite_utils

from bot.store import alerts, tombstones
from bot.store.database import iso, transaction, truncate_wal
from bot.store.duplicates import article_id

# Old stories examined per write transaction: with their articles, deliveries and aliases a few
# thousand rows, a fraction of a second on a small server.
STORY_BATCH = 200
ARTICLE_BATCH = 1000
TOMBSTONE_BATCH = 5000
ALERT_BATCH = 5000
# The fewest rows a batch sized to a time budget takes (`BatchSize`): a few stories with
# hundreds of articles each can take longer than the budget, but always make progress.
MIN_BATCH = 5
_IN = "IN (SELECT value FROM json_each(?))"


@dataclass(slots=True)
class PruneCounts:
    stories: int = 0
    articles: int = 0
    deliveries: int = 0
    aliases: int = 0
    mutes: int = 0
    alerts: int = 0  # finished notices
    tombstones_expired: int = 0
    # Old stories kept for now because the outbox still has a post of theirs to send.
    kept_pending: int = 0

    def add(self, other: PruneCounts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Backlog:
    """How much a prune has to look at: the progress bar's total."""

    stories: int
    articles: int
    tombstones: int
    alerts: int = 0

    @property
    def total(self) -> int:
        return self.stories + self.articles + self.tombstones + self.alerts


def cutoff(now: datetime, older_than: timedelta, window: timedelta) -> datetime:
    """The time before which stories go. Raises ValueError for a cutoff inside the clustering
    window: a story there may still gain articles, and pruning it would split the event."""
    if older_than <= window:
        raise ValueError(
            f"retention of {older_than.days} days is not longer than the clustering window"
        )
    return now - older_than


def backlog(db: sqlite_utils.Database, *, before: datetime, now: datetime) -> Backlog:
    # `+merged_into`: by `stories_last_updated`, the old ones, not `stories_merged_into`, all live.
    stories = db.execute(
        "SELECT COUNT(*) FROM stories WHERE +merged_into IS NULL AND last_updated < ?",
        [iso(before)],
    ).fetchone()[0]
    articles = db.execute(
        "SELECT COUNT(*) FROM articles WHERE story_id IS NULL AND seen_at < ?", [iso(before)]
    ).fetchone()[0]
    return Backlog(
        stories,
        articles,
        tombstones.expired_count(db, now=now),
        alerts.finished_count(db, before=before),
    )


def prune(
    db: sqlite_utils.Database,
    *,
    now: datetime,
    older_than: timedelta,
    window: timedelta,
    dry_run: bool = False,
    on_batch: Callable[[int], None] | None = None,
) -> PruneCounts:
    """Delete (with `dry_run`: count) what is older than `older_than`; see the module docstring.
    `on_batch(n)` is called after each batch with how many rows it examined."""
    total = PruneCounts()
    for counts, examined in prune_batches(
        db, now=now, older_than=older_than, window=window, dry_run=dry_run
    ):
        total.add(counts)
        if on_batch is not None:
            on_batch(examined)
    if not dry_run:
        tidy(db)
    return total


class BatchSize:
    """How many rows the next batch takes. Fixed without a `budget`; with one (seconds), sized
    after each batch so the next holds the write lock about that long: the service's other
    writers, the event loop's among them, wait for one batch at most, and a batch's time varies
    tenfold with how many articles and posts its stories have."""

    def __init__(self, rows: int, budget: float | None) -> None:
        self.budget, self.most, self.least = budget, rows, min(MIN_BATCH, rows)
        # Sized to a budget, the first batch is a tenth of the fixed one and grows from there:
        # a fixed batch of old stories took 0.5 to 0.7 s on a database of six months.
        self.rows = rows if budget is None else max(self.least, rows // 10)

    def took(self, seconds: float) -> None:
        if self.budget is None:
            return
        # Growing at most twofold a batch: one quick batch of small stories says little of
        # the next.
        scale = min(self.budget / max(seconds, 1e-3), 2.0)
        self.rows = max(self.least, min(int(self.rows * scale), self.most))


def prune_batches(
    db: sqlite_utils.Database,
    *,
    now: datetime,
    older_than: timedelta,
    window: timedelta,
    dry_run: bool = False,
    budget: float | None = None,
) -> Iterator[tuple[PruneCounts, int]]:
    """`prune` one batch at a time, each committed before it is yielded as (its counts, rows it
    examined): the service yields its event loop between batches. With `budget` (seconds), each
    batch is sized to hold the write lock about that long (`BatchSize`)."""
    before = cutoff(now, older_than, window)
    after = ("", "")
    size = BatchSize(STORY_BATCH, budget)
    while roots := _old_roots(db, before, after, size.rows):
        after = roots[-1]
        started = monotonic()
        with _batch(db, dry_run):
            counts = _prune_stories(db, [r[1] for r in roots], before, now, dry_run)
        size.took(monotonic() - started)
        yield counts, len(roots)
    last_id = ""
    size = BatchSize(ARTICLE_BATCH, budget)
    while rows := _old_loose_articles(db, before, last_id, size.rows):
        last_id = rows[-1][0]
        started = monotonic()
        with _batch(db, dry_run):
            counts = PruneCounts(articles=_delete_articles(db, rows, now, dry_run))
        size.took(monotonic() - started)
        yield counts, len(rows)
    yield from _in_batches(
        db,
        dry_run,
        BatchSize(ALERT_BATCH, budget),
        count=lambda: alerts.finished_count(db, before=before),
        delete=lambda n: alerts.delete_finished(db, before=before, limit=n),
        counts=lambda n: PruneCounts(alerts=n),
    )
    yield from _in_batches(
        db,
        dry_run,
        BatchSize(TOMBSTONE_BATCH, budget),
        count=lambda: tombstones.expired_count(db, now=now),
        delete=lambda n: tombstones.expire(db, now=now, limit=n),
        counts=lambda n: PruneCounts(tombstones_expired=n),
    )


def _in_batches(
    db: sqlite_utils.Database,
    dry_run: bool,
    size: BatchSize,
    *,
    count: Callable[[], int],
    delete: Callable[[int], int],
    counts: Callable[[int], PruneCounts],
) -> Iterator[tuple[PruneCounts, int]]:
    """Rows that need no story to go with them, deleted `size.rows` at a time, each batch its
    own short write transaction; a dry run only counts them."""
    if dry_run:
        if found := count():
            yield counts(found), found
        return
    while True:
        started = monotonic()
        with transaction(db):
            deleted = delete(size.rows)
        size.took(monotonic() - started)
        if not deleted:
            return
        yield counts(deleted), deleted


def tidy(db: sqlite_utils.Database) -> None:
    """After a prune: refresh the query planner's statistics of every table
    (`refresh_statistics`), and give freed pages back to the file system only where the database
    was set up for it (auto_vacuum = INCREMENTAL). Otherwise SQLite reuses the freed pages for new rows, so the file stops growing without a VACUUM, which
    would rewrite the whole file under the write lock; the mode is the operator's choice. Then
    the -wal file the deletes grew is cut back (`truncate_wal`): left to itself it keeps its
    size, gigabytes after a big backlog."""
    refresh_statistics(db)
    if db.execute("PRAGMA auto_vacuum").fetchone()[0] == 2:
        db.execute("PRAGMA incremental_vacuum")
    truncate_wal(db)


def refresh_statistics(db: sqlite_utils.Database) -> None:
    """The query planner's statistics (sqlite_stat1) for every table. A plain `PRAGMA optimize`
    looks only at the tables this connection queried, and the prune's connection is fresh (its
    worker's own) and queried none of a digest's: they never got statistics. SQLite 3.46 and
    later are told to look at all (0x10000); before, a bounded ANALYZE of everything does what
    that does (analysis_limit 400: tens of milliseconds on a database of six months)."""
    if sqlite3.sqlite_version_info >= (3, 46, 0):
        db.execute("PRAGMA optimize=0x10002")
        return
    limit = int(db.execute("PRAGMA analysis_limit").fetchone()[0])
    db.execute("PRAGMA analysis_limit = 400")
    try:
        db.execute("ANALYZE")
    finally:
        db.execute(f"PRAGMA analysis_limit = {limit}")


class _batch:
    """A real batch is one write transaction; a dry run's reads need none."""

    def __init__(self, db: sqlite_utils.Database, dry_run: bool) -> None:
        self.tx = None if dry_run else transaction(db)

    def __enter__(self) -> None:
        if self.tx is not None:
            self.tx.__enter__()

    def __exit__(self, *exc: Any) -> None:
        if self.tx is not None:
            self.tx.__exit__(*exc)


def _old_roots(
    db: sqlite_utils.Database, before: datetime, after: tuple[str, str], limit: int
) -> list[tuple[str, str]]:
    """The next batch of surviving (not merged-away) stories last updated before the cutoff, in
    (last_updated, id) order after `after`: a story kept this run is not looked at twice."""
    rows = db.execute(
        "SELECT last_updated, id FROM stories WHERE +merged_into IS NULL AND last_updated < ?"
        " AND (last_updated, id) > (?, ?) ORDER BY last_updated, id LIMIT ?",
        [iso(before), after[0], after[1], limit],
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def _prune_stories(
    db: sqlite_utils.Database, roots: list[str], before: datetime, now: datetime, dry_run: bool
) -> PruneCounts:
    groups = _groups(db, roots)
    every = [sid for members in groups.values() for sid in members]
    pending = _ids(
        db,
        f"SELECT DISTINCT story_id FROM deliveries WHERE state IN ('pending', 'sending')"
        f" AND story_id {_IN}",
        [json.dumps(every)],
    )
    recent = _ids(
        db,
        f"SELECT DISTINCT story_id FROM articles WHERE seen_at >= ? AND story_id {_IN}"
        f" UNION SELECT id FROM stories WHERE last_updated >= ? AND id {_IN}",
        [iso(before), json.dumps(every), iso(before), json.dumps(every)],
    )
    counts = PruneCounts()
    doomed: list[str] = []
    for members in groups.values():
        if pending & set(members):
            counts.kept_pending += 1
        elif not recent & set(members):
            doomed.extend(members)
    if not doomed:
        return counts
    ids = [json.dumps(doomed)]
    counts.stories = len(doomed)  # story rows, those merged into another included
    counts.deliveries = _delete(db, "deliveries", f"story_id {_IN}", ids, dry_run)
    counts.mutes = _delete(db, "muted_stories", f"story_id {_IN}", ids, dry_run)
    counts.aliases = _delete(db, "story_aliases", f"story_id {_IN}", ids, dry_run)
    articles = db.execute(
        f"SELECT id, feed_id, canonical_url, title_key, guid FROM articles WHERE story_id {_IN}",
        ids,
    ).fetchall()
    counts.articles = _delete_articles(db, articles, now, dry_run)
    # Stories merged away first: they point at their survivor, as their merges' rows do.
    _delete(db, "story_merges", f"absorbed_id {_IN}", ids, dry_run)
    _delete(db, "stories", f"merged_into IS NOT NULL AND id {_IN}", ids, dry_run)
    _delete(db, "stories", f"id {_IN}", ids, dry_run)
    return counts


def _groups(db: sqlite_utils.Database, roots: list[str]) -> dict[str, list[str]]:
    """Each root story with the stories merged into it (a merge repoints earlier merges at the
    survivor, but an older database may hold chains, so they are followed)."""
    rows = db.execute(
        "WITH RECURSIVE g(root, id) AS (SELECT value, value FROM json_each(?)"
        " UNION SELECT g.root, s.id FROM stories s JOIN g ON s.merged_into = g.id)"
        " SELECT root, id FROM g",
        [json.dumps(roots)],
    ).fetchall()
    groups: dict[str, list[str]] = {root: [] for root in roots}
    for root, sid in rows:
        groups[root].append(sid)
    return groups


def _ids(db: sqlite_utils.Database, sql: str, params: list[Any]) -> set[str]:
    return {r[0] for r in db.execute(sql, params)}


def _old_loose_articles(
    db: sqlite_utils.Database, before: datetime, after_id: str, limit: int
) -> list[tuple[Any, ...]]:
    rows = db.execute(
        "SELECT id, feed_id, canonical_url, title_key, guid FROM articles WHERE story_id IS NULL"
        " AND seen_at < ? AND id > ? ORDER BY id LIMIT ?",
        [iso(before), after_id, limit],
    ).fetchall()
    return [tuple(r) for r in rows]


def _delete_articles(
    db: sqlite_utils.Database, rows: list[tuple[Any, ...]], now: datetime, dry_run: bool
) -> int:
    """Tombstone and delete articles given as (id, feed_id, canonical_url, title_key, guid)
    rows. An article that took a new digest GUID (`bot.store.old_guids`) keeps the id of its
    old one: it is tombstoned under the id of each, as an entry may come with either."""
    if dry_run or not rows:
        return len(rows)
    stones = [tombstones.Tombstone(r[0], r[1], r[2], r[3]) for r in rows]
    for key, feed_id, url, title, guid in rows:
        if guid and feed_id is not None and (now_key := article_id(str(feed_id), guid)) != key:
            stones.append(tombstones.Tombstone(now_key, feed_id, url, title))
    tombstones.record(db, stones, now=now)
    return _delete(db, "articles", f"id {_IN}", [json.dumps([r[0] for r in rows])], False)


def _delete(
    db: sqlite_utils.Database, table: str, where: str, params: list[Any], dry_run: bool
) -> int:
    # `table` and `where` are this module's constants, never input.
    if dry_run:
        return db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0]
    return db.execute(f"DELETE FROM {table} WHERE {where}", params).rowcount
