"""A story's row kept in step with its articles as the cluster stage files them: its counts,
headline and first report (`refresh_counts`), and its slug, re-made from all its headlines once
a second independent source has joined it (`settle_at_second_source`, `settle_slug`); and its
counts again when a poll changed which outlet a feed of its articles is (`recount_feed_stories`,
`recount_stories`), each posted card whose count that changes edited, with no thread reply
(`bot.runner.update_planner.edit_recounted_cards`); after an upgrade, a batch at each feed's
poll of the open stories migration 51 listed (`bot.store.stale_counts`).

`bot.pipeline.clustering` calls these inside each commit, under its write transaction; split out
of it when it reached the 400-line limit (the clusterer's decisions and saved state there, the
stories' rows here).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlite_utils

from bot.cluster.slugs import make_slug
from bot.cluster.wire import independent_sources
from bot.outlets import outlet_id, story_outlets
from bot.pipeline.cards import story_headline
from bot.pipeline.digest import MAX_LOOKBACK
from bot.store import articles as article_store
from bot.store import stale_counts
from bot.store import stories as story_store
from bot.store.database import iso, utcnow
from bot.topics.lookup import slugify

log = logging.getLogger(__name__)

# Independent sources at which a story's slug is re-made from all its headlines (see settle_slug).
SETTLE_SOURCES = 2


def settle_at_second_source(db: sqlite_utils.Database, story_id: str) -> None:
    """`settle_slug` the moment the story's second independent source has joined it, from
    the headlines it has then (as a commit of one article would)."""
    story = story_store.get_story(db, story_id)
    if story is None or story.source_count >= SETTLE_SOURCES:
        return  # named already, or the counts of an earlier commit say it had two before
    members = article_store.story_articles(db, story_id)
    # Outlets bound the independent sources, and cost nothing to count against copy_pairs.
    if len({outlet_id(a) for a in members}) < SETTLE_SOURCES:
        return
    sources, _groups = independent_sources(members)
    if sources < SETTLE_SOURCES:
        return
    # The count stored first (the commit's end refreshes the rest): `settle_slug` reads it,
    # and the story's next article sees the story named.
    story_store.set_source_count(db, story_id, sources)
    settle_slug(db, story_id)


def settle_slug(db: sqlite_utils.Database, story_id: str) -> None:
    """Name the story after all its headlines once a second source has it.

    A new story is named after its one article; with a second independent source there are
    headlines to vote, and the story is about to appear in digests (two sources is the default
    bar). It is renamed once, and only before any channel was sent it: a posted slug never
    changes, and the first name stays as an alias, so anything that found the story still does.
    """
    story = story_store.get_story(db, story_id)
    if story is None or story.source_count < SETTLE_SOURCES:
        return
    if story_store.slug_settled(db, story_id):
        return
    own = slugify(story.slug)
    members = article_store.story_articles(db, story_id)
    # Its own slug is free to keep: the vote may well pick it again.
    slug = make_slug(members, lambda s: slugify(s) != own and story_store.slug_taken(db, s))
    if slugify(slug) != own:
        log.info("story %s named %s (was %s)", story_id, slug, story.slug)
        story_store.rename(db, story_id, slug)


def refresh_counts(db: sqlite_utils.Database, story_id: str, *, window: timedelta) -> None:
    """Recount the story's articles, outlets and independent sources, and take up its newest
    article's time, its headline and (when an article that joined late predates it) its first
    report, dated within the clusterer's `window` (`Article.reported_at`)."""
    members = article_store.story_articles(db, story_id)
    if not members:
        return
    independent, _groups = independent_sources(members)
    last = max((a.seen or a.when or utcnow()) for a in members)
    story = story_store.get_story(db, story_id)
    # The story was first reported when its earliest article was (`Article.reported_at`): one that joins
    # late may predate the article that opened the story.
    first = min(filter(None, (a.reported_at(window) for a in members)), default=None)
    if story is not None and (first is None or story.first_seen <= first):
        first = None  # already right; leave it
    story_store.update_counts(
        db,
        story_id,
        article_count=len(members),
        outlet_count=len(story_outlets(members)),
        source_count=independent,
        last_updated=last,
        first_seen=first,
        headline=story_headline(db, story_id, members),
    )


def recount_feed_stories(
    db: sqlite_utils.Database, feed_ids: Collection[int], *, now: datetime
) -> set[str]:
    """Count again the outlets and independent sources of the live stories holding articles of
    `feed_ids`, whose outlet a poll just changed (a new site link, or their items' site:
    `bot.store.item_sites`), and a batch of those an upgrade listed (`bot.store.stale_counts`);
    returns the stories whose counts changed. The card counts its members' outlets as they are
    now, so without this `stories`, `topics test` and a digest's `min_sources` read the count
    of the outlets the articles had when they were filed. Called after every poll of a feed,
    within its write transaction.

    Only stories updated within a digest's longest look back (`MAX_LOOKBACK`): a story costs
    about 3 ms, under the poll's write lock, and a feed's whole retention may hold thousands.
    An older one's card still counts its outlets as they are; its stored count follows when it
    next grows.

    Each story is counted within a savepoint of its own (`_aside`): one that fails (a bug, in
    its articles or in the card edits it queues) is undone alone and logged, and the others,
    the poll's entries and the feed's own recount stand."""
    return _recount_feeds(db, feed_ids, now=now) | _recount_listed(db, now=now)


def _recount_feeds(
    db: sqlite_utils.Database, feed_ids: Collection[int], *, now: datetime
) -> set[str]:
    if not feed_ids:
        return set()
    marks = ",".join("?" for _ in feed_ids)
    rows = db.execute(
        f"SELECT DISTINCT a.story_id FROM articles a JOIN stories s ON s.id = a.story_id"
        f" WHERE a.feed_id IN ({marks}) AND s.merged_into IS NULL AND s.last_updated >= ?",
        [*sorted(feed_ids), iso(now - MAX_LOOKBACK)],
    ).fetchall()
    moved: set[str] = set()
    for (story_id,) in rows:
        moved |= _recount_aside(db, story_id, now=now)
    if moved:
        log.info(
            "%d stories counted again: the outlet of feed(s) %s changed",
            len(moved), ", ".join(map(str, sorted(feed_ids))),
        )  # fmt: skip
    return moved


def _recount_aside(db: sqlite_utils.Database, story_id: str, *, now: datetime) -> set[str]:
    """`recount_stories` of the one story, undone alone if it fails; the changed (or none)."""
    with _aside(db, story_id):
        return recount_stories(db, [story_id], now=now)
    return set()


@contextmanager
def _aside(db: sqlite_utils.Database, story_id: str) -> Iterator[None]:
    """The block's writes undone, and the failure logged, when it raises: a recount is an aside
    of the poll whose transaction it runs in, and a bug in it (or in the card edits it queues)
    must not roll back the feed's new entries, again at each of its polls. A database error is
    the poll's own (a full disk, a read-only file), raised on as itself: one that undid the
    whole transaction (SQLITE_IOERR, SQLITE_NOMEM) took the savepoint with it, and a `ROLLBACK
    TO` would raise "no such savepoint" in its place, hiding what `write_refusal` looks for."""
    db.execute("SAVEPOINT recount")
    try:
        yield
    except Exception as exc:
        if not db.conn.in_transaction:
            raise  # SQLite undid the whole transaction, the savepoint with it: the poll's error
        try:
            db.execute("ROLLBACK TO recount")
            db.execute("RELEASE recount")
        except sqlite3.Error:
            log.warning("undoing story %s's recount failed too", story_id, exc_info=True)
            raise exc from None
        if isinstance(exc, sqlite3.OperationalError):
            raise
        log.exception(
            "counting story %s's sources again failed: left as it was; the poll goes on", story_id
        )
    else:
        db.execute("RELEASE recount")


# Stories an upgrade listed that one feed's poll counts again (`bot.store.stale_counts`), under
# its write lock and on the event loop: at most `LISTED_BATCH`, and no more once `LISTED_WORK`
# has gone on them. The recount alone is 16 ms of CPU for 50 stories of 3 articles, 124 ms for
# 50 of 30 (the dev stream's gold stories, alone and ten to a story); planning the edits of
# their posted cards made it 200-316 ms with 3 channels (review1's bench), so the work, not the
# stories, bounds the batch. A pass of K due feeds so puts right some 50K stories at most:
# after a big upgrade, it takes the next passes too.
LISTED_BATCH = 50
LISTED_WORK = 0.05  # seconds
PROGRESS_EVERY = 500
# The batch's clock (a test's to set).
_clock = time.perf_counter


def _recount_listed(db: sqlite_utils.Database, *, now: datetime) -> set[str]:
    """A batch of the stories migration 51 listed, counted again, each taken off the list in
    the poll's transaction whether its recount worked or failed (logged once, set aside: it
    would fail at every poll, and hold the list up behind it); the changed ones."""
    listed = stale_counts.listed(db, LISTED_BATCH)
    if not listed:
        return set()
    changed: set[str] = set()
    taken: list[str] = []
    started = _clock()
    for story_id, live in listed:
        if taken and _clock() - started >= LISTED_WORK:
            break  # the rest wait for the next feed's poll
        taken.append(story_id)
        if live:  # a merged one's survivor was counted when the merge was
            changed |= _recount_aside(db, story_id, now=now)
    left = stale_counts.take_off(db, taken)
    # Said every `PROGRESS_EVERY` stories and at the end, not every batch: hundreds of lines.
    if left == 0 or left // PROGRESS_EVERY != (left + len(taken)) // PROGRESS_EVERY:
        log.info(
            "after the upgrade, open stories' sources counted again: %d to go", left,
            extra={"event": "upgrade_recount", "left": left},
        )  # fmt: skip
    return changed


def recount_stories(
    db: sqlite_utils.Database, story_ids: Collection[str], *, now: datetime
) -> set[str]:
    """Count again the outlets and independent sources of these stories (their articles' outlets
    as they are now), and have each posted card whose count that changes edited
    (`bot.runner.update_planner.edit_recounted_cards`: an edit, no thread reply, as nothing
    joined); returns the stories whose stored counts changed. Within the caller's
    transaction."""
    before: dict[str, int] = {}
    for story_id in story_ids:
        story = story_store.get_story(db, story_id)
        members = article_store.story_articles(db, story_id)
        if story is None or not members:
            continue
        independent, _groups = independent_sources(members)
        if story_store.set_outlet_counts(
            db, story_id, outlet_count=len(story_outlets(members)), source_count=independent
        ):
            before[story_id] = story.source_count
    if before:
        # Here, not at import: the planner is the running service's, and a recount is rare.
        from bot.runner.update_planner import edit_recounted_cards

        edit_recounted_cards(db, before, now=now)
    return set(before)
