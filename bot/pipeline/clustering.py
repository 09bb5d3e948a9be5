"""The cluster stage: assign new articles to stories and keep the stories table in step.

The online clusterer holds only the active window in memory. Each commit stores what it needs to
go on exactly after a restart: every article's IDF as it was weighed (`article_weights`), what
the open stories' articles' text yielded (`article_profiles`, so a restart reads no text), and the
clusterer's own state (`store/clusterer_state`: the IDF statistics' counts, the open stories with
their members in order, the stream's clock; a commit writes only its articles' terms and the
stories it changed). A restart rebuilds the open stories from those, so it
neither forgets live stories nor reloads everything ever seen, and decides on what comes next as a
process that never stopped would. Without a usable saved state (an older database, a crash amid a
batch analysed ahead, when the statistics were the worker's, a state that can't be read, or one
that misses what another process clustered) the stories updated within the window are re-weighed
with their own articles' statistics instead: nearly the same decisions (10 of 6,840 later ones
differed on the labelled dev stream, 106 of 5,496 on 5,000 undated articles), not exactly.

Two processes may cluster into one database (`newsdigest poll` while `newsdigest run` is up).
Every save carries a new token, and a clusterer saves only over the state it last read or saved:
so a saved state accounts for every commit since, and one that finds another token withdraws the
state instead (a start then restores from the database). Before a pass, a clusterer that finds
another token takes up the database's view again (the other's state, or the database's stories),
so it sees the other's stories too, and only then reads the articles to cluster (`backlog`; a
batch keeps only those still unfiled), so none it counts already. One that finds another token at
a commit (the two passes overlapped), or an article of the batch filed meanwhile (a commit files
only articles without a story), stores nothing of the batch, whose decisions missed the other's
stories, and raises `ClusteredElsewhere`: its caller clusters again what is left unclustered
(`NewsDigest.cluster_backlog`). A batch is decided before its write transaction is begun, so the
lock is held for the stores alone (another process's writes wait for those, not the decisions).

Each commit keeps the rows of the stories it changed in step (`bot.pipeline.story_upkeep`: their
counts and headline, a slug settled at the second independent source).
"""

from __future__ import annotations

import logging
import sqlite3
import time
import uuid
from collections.abc import Callable, Generator, Iterable, Sequence
from contextlib import closing
from datetime import datetime, timedelta
from functools import partial
from itertools import islice
from typing import TypeVar

import sqlite_utils

from bot.cluster.online import Assignment, OnlineClusterer
from bot.cluster.settings import ClusterSettings
from bot.cluster.slugs import make_slug
from bot.models import Article
from bot.pipeline.story_upkeep import refresh_counts, settle_at_second_source
from bot.pipeline.warm_up import Warmed, warm_window
from bot.store import article_profiles, clusterer_state, story_changes
from bot.store import articles as article_store
from bot.store import stories as story_store
from bot.store.database import is_busy, transaction, utcnow
from bot.store.loop_waits import brief_lock_wait

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_WINDOW_HOURS = 48  # how long a story stays open to new articles (`StoryClusterer`)
DEFAULT_WINDOW = timedelta(hours=DEFAULT_WINDOW_HOURS)
# Articles per transaction when a backlog is clustered (`assign_in_batches`): a few tenths of a
# second each, so a big first poll shows progress, an interrupt is honoured promptly and keeps
# what was done, and the service's event loop gets a turn between batches.
BACKLOG_BATCH = 100
# `StoryClusterer._token` when the saved state misses what this clusterer holds: no save's token,
# so the next pass takes up the database's view again.
_OUT_OF_STEP = ""


# What `assign_in_batches(wait_briefly=True)` yields while a commit waits for another
# connection's write lock: no count of articles.
LOCKED = -1


class ClusteredElsewhere(Exception):
    """Another process committed clustering since this clusterer last read or saved the state
    (`newsdigest poll` beside `newsdigest run`, their passes overlapping): this batch's decisions
    were made without that process's stories, and may file articles it has just filed. The batch
    is not stored; the caller clusters again what is still unclustered (`NewsDigest.cluster_backlog`)."""


def new_story_id() -> str:
    return uuid.uuid4().hex[:12]


class StoryClusterer:
    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        window_hours: int = DEFAULT_WINDOW_HOURS,
        origin: str | None = None,
    ) -> None:
        self.db = db
        # Who made the commits, for the running service to tell another process's stories from
        # its own (`bot.store.story_changes`).
        self.origin = origin or uuid.uuid4().hex
        self.window = timedelta(hours=window_hours)
        self.clusterer = self.new_clusterer()
        self._warmed = False
        self._unsaved = False  # the last commit could not save the clusterer's state
        # The token of the saved state this clusterer's memory is (None: there is none yet): it
        # saves only over that one, and takes up the database's view again when it changed.
        self._token: str | None = None
        self._log = clusterer_state.Log()  # the stored IDF counts' sizes

    def new_clusterer(self) -> OnlineClusterer:
        # The configured window is the clusterer's: how long a story stays open to new articles.
        hours = self.window / timedelta(hours=1)
        return OnlineClusterer(ClusterSettings(window_hours=hours), id_factory=new_story_id)

    @property
    def warmed(self) -> bool:
        """The clusterer holds the window's stories as of the saved state `_token` names."""
        return self._warmed

    def warm_up(self, now: datetime | None = None) -> int:
        """Reload the active window's stories into the clusterer. Returns how many.

        With the state the last commit saved, exactly as the clusterer had them (see `_save`);
        without it (an older database, a crash amid a big batch), the stories updated within the
        window, re-weighed with their own articles' statistics: a few decisions later on may then
        differ from those of a clusterer that never stopped. A state that can't be read (cut
        short, of another version) is dropped, with a warning, and restored without. The
        service warms up off its event loop instead (`warm_up.take_up_off_loop`)."""
        try:
            warmed = warm_window(self.db, self.clusterer, self.window, now)
        except Exception as exc:  # whatever it is, the old restore still works
            log.warning(
                "the clusterer's saved state could not be read (%s: %s); dropped it and restored"
                " the window's stories from the database instead",
                type(exc).__name__,
                exc,
            )
            self.clusterer.close()
            self.clusterer = self.new_clusterer()
            token = uuid.uuid4().hex
            with transaction(self.db):
                clusterer_state.withdraw(self.db, token=token, now=utcnow())
            warmed = warm_window(self.db, self.clusterer, self.window, now, use_saved=False)
            warmed.token = token
        return self.install(warmed)

    def install(self, warmed: Warmed) -> int:
        """Take up a clusterer `warm_window` filled (here or in a worker thread): how many open
        stories it holds."""
        if warmed.clusterer is not self.clusterer:
            self.clusterer.close()
            self.clusterer = warmed.clusterer
        self._token, self._log, self._warmed = warmed.token, warmed.log, True
        if warmed.unreadable:
            self._forget_unreadable(warmed.unreadable)
        return warmed.stories

    def _forget_unreadable(self, article_ids: list[str]) -> None:
        """Delete stored profiles the warm-up could not use (their articles were read from their
        text): damaged or forged, each would be met again at every restart."""
        log.warning(
            "%d stored article profiles were damaged (or forged); those articles were profiled from"
            " their text and the profiles deleted",
            len(article_ids),
            extra={"event": "profiles_unreadable", "articles": len(article_ids)},
        )
        try:
            with transaction(self.db):
                article_profiles.forget(self.db, article_ids)
        except sqlite3.Error as exc:  # a read-only or busy database: met again next time
            log.warning("the unreadable profiles were not deleted (%s)", exc)

    def assign(self, articles: Iterable[Article]) -> set[str]:
        """Cluster articles in arrival order, in one transaction; return the ids of the stories
        that changed."""
        ordered = list(articles)
        touched: set[str] = set()
        for _ in self.assign_in_batches(ordered, touched, batch_size=max(len(ordered), 1)):
            pass
        return touched

    def assign_in_batches(
        self,
        articles: Sequence[Article],
        touched: set[str],
        *,
        batch_size: int | None = None,
        wait_briefly: bool = False,
    ) -> Generator[int, None, None]:
        """`assign`, committing every `batch_size` articles: yields how many are clustered after
        each commit, and adds the ids of the stories that changed to `touched`. A caller may stop
        (close the iterator) at any yield: what was yielded is committed and the clusterer holds
        exactly that, the rest stays unclustered for `backlog` to return again. `batch_size` is
        BACKLOG_BATCH unless given.

        `wait_briefly` (the event loop's passes): a commit waits at most
        `loop_waits.STEP_WAIT_SECONDS` for another connection's write lock, and one that met it
        (nothing of it stored) yields `LOCKED` instead, for the caller to pause with the loop
        free, and is tried again on the next resume; past the connection's busy timeout the
        lock's error is raised, as the connection's own wait would have."""
        self.take_up()
        # Only those still unclustered as of the state just taken up: an article read as
        # unclustered before another process's commit that this clusterer has now taken up
        # (its token) is that process's, and filing it again would pass the commit's check.
        ordered = sorted(
            article_store.still_unclustered(self.db, articles),
            key=lambda a: (a.when or utcnow(), a.id),
        )
        size = batch_size or BACKLOG_BATCH
        done = 0
        pending = False  # a batch decided, its commit met the lock: the clusterer holds it
        try:
            # A big batch (a backlog) has its text analysed ahead in a worker process; the
            # decisions are those of one `add` after another, however the commits cut them.
            # Closed on the way out, even on an error: the worker must not outlive the batch.
            with closing(self.clusterer.add_many(ordered)) as decisions:
                pairs = zip(ordered, decisions, strict=True)
                while done < len(ordered):
                    # Decided before the write lock is taken: another process's writes (the
                    # service's outbox, its own commits) wait only for the stores, not for the
                    # decisions; the commit's token check still refuses a batch decided before
                    # another process's commit.
                    batch = list(islice(pairs, size))
                    pending = True
                    done += yield from self._stored(
                        partial(self._commit, batch, touched), wait_briefly
                    )
                    pending = False
                    if done == len(ordered):
                        # Run the analysis to its end, so it finishes as a whole batch (the
                        # worker's statistics taken over) rather than as one stopped early.
                        next(pairs, None)
                        if self._unsaved:
                            yield from self._stored(self._save_alone, wait_briefly)
                    yield done
        except GeneratorExit:
            if not pending:
                raise  # stopped between commits: the clusterer and the database agree
            self._forget_memory()  # stopped while a batch waited for the lock: it holds it
            raise
        except BaseException:
            # The transaction rolled back but the in-memory clusterer kept the articles: rebuild it
            # from the database so the two agree, and let the backlog pass retry these articles.
            self._forget_memory()
            raise

    def _forget_memory(self) -> None:
        self.clusterer.close()
        self.clusterer = self.new_clusterer()
        self._warmed = False

    def _save_alone(self) -> None:
        with transaction(self.db):
            self._save()

    def _stored(self, commit: Callable[[], T], wait_briefly: bool) -> Generator[int, None, T]:
        """`commit()`'s result; with `wait_briefly`, `LOCKED` yielded each time it met another
        connection's write lock (see `assign_in_batches`). A commit is one transaction, begun
        IMMEDIATE: one that met the lock stored nothing, and is run again whole."""
        if not wait_briefly:
            return commit()
        conn = self.db.conn
        patience = int(conn.execute("PRAGMA busy_timeout").fetchone()[0]) / 1000
        deadline = time.monotonic() + patience
        while True:
            try:
                with brief_lock_wait(conn):
                    return commit()
            except sqlite3.OperationalError as exc:
                if not is_busy(exc) or time.monotonic() > deadline:
                    raise
            yield LOCKED

    def take_up(self) -> None:
        """Be in step with the saved state before a pass: warmed up, and when another process
        clustered since this one last read or saved it, what this one holds (which misses that
        one's stories) dropped and the database's view taken up again. Read before the articles
        to cluster are: those are then as of this state or later (`backlog`)."""
        self.drop_if_elsewhere()
        if not self._warmed:
            self.warm_up()

    def drop_if_elsewhere(self) -> None:
        """When another process clustered since this one last read or saved the state, drop
        what this one holds (which misses that one's stories): the next warm-up takes up the
        database's view again."""
        if self._warmed and clusterer_state.writer(self.db) != self._token:
            log.info("another process clustered articles: taking up the database's stories again")
            self.clusterer.close()
            self.clusterer = self.new_clusterer()
            self._warmed = False

    def _commit(self, pairs: Iterable[tuple[Article, Assignment]], touched: set[str]) -> int:
        """Store one batch's decisions and refresh the stories they changed; how many articles."""
        changed: set[str] = set()
        absorbed: set[str] = set()
        count = 0
        with transaction(self.db):
            # Under the write lock, before any decision is made: the checked state holds until
            # the commit. Without this, a pass overlapping another process's filed the articles
            # both read as unclustered a second time, into a story of its own: the other's story
            # kept the counts of members it no longer had, and one event was split in two.
            if clusterer_state.writer(self.db) != self._token:
                raise ClusteredElsewhere
            for article, decision in pairs:
                count += 1
                for gone, survivor in decision.merges:
                    log.info("merging story %s into %s", gone, survivor)
                    story_store.merge(self.db, gone, survivor)
                    changed.discard(gone)
                    absorbed.add(gone)
                    changed.add(survivor)
                if story_store.get_story(self.db, decision.story_id) is None:
                    slug = make_slug([article], lambda s: story_store.slug_taken(self.db, s))
                    first = article.reported_at(self.window) or utcnow()
                    story_store.create_story(self.db, decision.story_id, slug, article.title, first)
                if not article_store.set_story(
                    self.db, article.id, decision.story_id, decision.idf, decision.raw
                ):
                    # Filed (or pruned) meanwhile by another process: storing the rest would
                    # count it twice. Rolled back whole, the caller reads the backlog again.
                    raise ClusteredElsewhere
                changed.add(decision.story_id)
                # Named as each article lands, not at the commit's end: a story's second source,
                # and the slugs other stories take around it, then come in article order, so the
                # same articles get the same slugs however a backlog is cut into commits.
                if not decision.created or decision.merges:  # else it has just the one source
                    settle_at_second_source(self.db, decision.story_id)
            for story_id in changed:
                refresh_counts(self.db, story_id, window=self.window)
            story_changes.record(self.db, changed, origin=self.origin)
            self._save()
        touched.difference_update(absorbed)
        touched.update(changed)
        return count

    def _save(self) -> None:
        """Store the clusterer's state with the commit it belongs to, so a restart resumes from
        exactly there (`warm_up`). Amid a batch analysed ahead there is none to store (the
        statistics are the worker's): the stale one is dropped, and the batch's end saves. Saved
        only over the state this clusterer last read or saved: over another process's, it would
        lose that one's stories, so the state is dropped instead (a start restores without)."""
        token = uuid.uuid4().hex  # every change to the saved value has a token of its own
        if clusterer_state.writer(self.db) != self._token:
            clusterer_state.withdraw(self.db, token=token, now=utcnow())
            self._token = _OUT_OF_STEP
            self._unsaved = False  # nothing to save until the next pass takes up the database's
            return
        state = self.clusterer.state()
        self._unsaved = state is None
        if state is None:
            clusterer_state.withdraw(self.db, token=token, now=utcnow())
        else:
            changed, counts = self.clusterer.idf_changes(), self.clusterer.idf_counts()
            stories, closed = self.clusterer.story_changes()
            # Only an open story's articles are read back (`warm_up`): the rest are not kept.
            if closed is None:
                article_profiles.forget_all_but(self.db, (a for _s, m in stories for a in m))
            else:
                article_profiles.forget_closed(self.db, closed)
            clusterer_state.write(
                self.db,
                state,
                changed,
                counts,
                stories,
                closed,
                self._log,
                token=token,
                now=utcnow(),
            )
        self._token = token

    def backlog(self) -> list[Article]:
        """Stored articles that have no story yet: a pass's new ones, and an interrupted pass's.
        Read after the clusterer took up the saved state (`take_up`), so none of them was filed
        by a commit this clusterer already counts."""
        self.take_up()
        return article_store.unclustered(self.db)

    def cluster_backlog(self) -> set[str]:
        """Cluster stored articles that have no story yet (e.g. after a crash mid-pass)."""
        return self.assign(self.backlog())
