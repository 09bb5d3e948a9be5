"""The platform-neutral core that the CLI, the scheduler and the chat adapters all drive.

`NewsDigest` owns the database and the long-lived stages (the clusterer's active window, the
summariser) and offers the handful of operations everything else is built from.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

import sqlite_utils

from bot.cards import Digest, StoryCard
from bot.config import Config
from bot.models import Article, Summary
from bot.pipeline.cluster_passes import ClusterPasses, ClusterProgress
from bot.store import articles as article_store
from bot.store import stories as story_store
from bot.store import summaries as summary_store
from bot.store.channels import ChannelRow
from bot.store.database import (
    BUSY_TIMEOUT_SECONDS,
    connect_read_only,
    database_file,
    open_database,
    utcnow,
)
from bot.store.feeds import FeedRow
from bot.store.stories import StoryRow
from bot.store.sync import sync_config
from bot.store.sync_report import SyncReport
from bot.topics.lookup import (
    Lookup,
    StoryRef,
    article_url,
    exact_forms,
    find_story,
    query_text,
    slugify,
)

if TYPE_CHECKING:
    # The fetcher (httpx, the feed parsers), the clusterer, the summariser and the scheduler's
    # cron (apscheduler) take most of a second to import: each is imported where it is first
    # used, so a command that only lists what is stored (`newsdigest stories`) starts quickly.
    from bot.ingest.fetcher import FeedFetcher
    from bot.pipeline.clustering import StoryClusterer
    from bot.pipeline.feed_result import FeedResult
    from bot.pipeline.poll import PollReport, ProgressCallback
    from bot.summarize import Summarizer


@dataclass(slots=True)
class PassReport:
    poll: PollReport  # its `seconds` are the fetch's
    touched_stories: set[str]
    clustered: int = 0  # articles clustered after the fetch
    cluster_seconds: float = 0.0

    @property
    def seconds(self) -> float:
        """The whole pass: fetching, then clustering."""
        return self.poll.seconds + self.cluster_seconds


class NewsDigest:
    def __init__(
        self,
        config: Config,
        db: sqlite_utils.Database | None = None,
        *,
        stop_migrating: threading.Event | None = None,
    ) -> None:
        self.config = config
        if db is None:
            # `stop_migrating`: `run` interrupted while it loads begins no further migration.
            db = open_database(config.database_path(), stop=stop_migrating)
        self.db = db
        # Clustering passes one at a time, with what a failed pass left to report.
        self._cluster_passes = ClusterPasses(lambda: self.clusterer)
        # This process's token on the stories its commits change (`bot.store.story_changes`):
        # the running service plans its own passes' stories itself, and another process's from
        # there.
        self.origin = uuid.uuid4().hex

    # The clusterer and the summariser are made on first use: a command that only reads what is
    # stored needs neither, and importing them is most of the CLI's start-up time.

    @cached_property
    def clusterer(self) -> StoryClusterer:
        from bot.pipeline.clustering import StoryClusterer

        return StoryClusterer(
            self.db, window_hours=self.config.story_window_hours, origin=self.origin
        )

    @cached_property
    def summarizer(self) -> Summarizer:
        from bot.summarize import LLMSettings, Summarizer

        llm = None
        if self.config.llm is not None:
            llm = LLMSettings(
                base_url=self.config.llm.base_url,
                model=self.config.llm.model,
                api_key_env=self.config.llm.api_key_env,
                timeout=self.config.llm.timeout,
                daily_token_budget=self.config.llm.daily_token_budget,
                trust_env=self.config.llm.trust_env,
            )
        return Summarizer(llm=llm, db=self.db)

    def sync_config(self, *, retry: str = "restart") -> SyncReport:
        """The config synced in (`bot.store.sync.sync_config`); `retry` is the advice its notes
        give for a refused feed address, fit for the command that syncs."""
        return sync_config(self.db, self.config, retry=retry)

    # --- fetch -> parse -> store -> cluster ---------------------------------------------------

    async def poll(
        self,
        *,
        feeds: Sequence[FeedRow] | None = None,
        now: datetime | None = None,
        fetcher: FeedFetcher | None = None,
        on_feed_done: ProgressCallback | None = None,
        on_cluster_progress: ClusterProgress | None = None,
    ) -> PassReport:
        from bot.pipeline.poll import poll_feeds

        # The clusterer warms up (a process's first pass profiles the window's stories again:
        # 0.8 s of CPU for 3,000 articles) while the rest of the feeds are fetched, as soon as
        # one stored something to cluster; a poll that stores nothing needs no warm-up.
        warming: asyncio.Future[None] | None = None

        def feed_done(result: FeedResult) -> None:
            nonlocal warming
            if warming is None and result.new_articles:
                warming = asyncio.ensure_future(self._cluster_passes.take_up())
                warming.add_done_callback(lambda task: task.cancelled() or task.exception())
            if on_feed_done is not None:
                on_feed_done(result)

        try:
            report = await poll_feeds(
                self.db,
                self.config.polling,
                feeds=feeds,
                now=now,
                fetcher=fetcher,
                on_feed_done=feed_done,
                retention_days=self.config.storage.retention_days,
            )
        except BaseException:
            if warming is not None:
                warming.cancel()
            raise
        # Clustering's time, as the report says it, counts the wait for the warm-up's rest.
        started = time.monotonic()
        if warming is not None:
            with contextlib.suppress(Exception):
                await warming  # a failure here is the pass's too, which raises and reports it
        touched: set[str] = set()
        clustered = await self.cluster_backlog(touched, on_progress=on_cluster_progress)
        return PassReport(
            poll=report,
            touched_stories=touched,
            clustered=clustered,
            cluster_seconds=time.monotonic() - started,
        )

    async def cluster_backlog(
        self, touched: set[str], *, on_progress: ClusterProgress | None = None
    ) -> int:
        """Cluster whatever is stored without a story, read fresh from the database: this pass's
        new articles, those of an earlier interrupted pass, and never the same article twice when
        several passes overlap (another pass may already have clustered ours; one of another
        process, committing meanwhile, has this pass read the backlog again). Commits in batches
        and awaits between them, so a big backlog neither holds the event loop for its whole
        length nor ignores a cancellation (Ctrl-C): cancelled, the batches done stay done and
        the next pass clusters the rest. Returns how many articles were clustered; the stories
        that changed are added to `touched` once the pass has finished, with those of earlier
        passes whose batches committed before they failed or were cancelled."""
        return await self._cluster_passes.cluster_backlog(touched, on_progress=on_progress)

    def ingest(self, articles: Sequence[Article]) -> set[str]:
        """Cluster articles that were stored by other means (tests, imports)."""
        return self.clusterer.assign(articles)

    # --- summarise -> render ------------------------------------------------------------------

    def recent_stories(
        self, *, hours: int = 48, min_sources: int = 1, limit: int = 50, now: datetime | None = None
    ) -> list[StoryRow]:
        now = now or utcnow()
        return story_store.recent_stories(
            self.db, since=now - timedelta(hours=hours), min_sources=min_sources, limit=limit
        )

    def card(
        self,
        story: StoryRow,
        *,
        now: datetime | None = None,
        topics: Sequence[str] = (),
        llm: bool = True,
        save: bool = True,
    ) -> StoryCard:
        """`llm` False: the LLM writer is not called; `save` False: nothing is written
        (`build_card`)."""
        from bot.pipeline.cards import build_card

        return build_card(
            self.db,
            story,
            self.summarizer,
            now=now or utcnow(),
            topics=topics,
            llm=llm,
            save=save,
        )

    async def card_async(
        self, story: StoryRow, *, now: datetime | None = None, topics: Sequence[str] = ()
    ) -> StoryCard:
        """`card` for code on the event loop (chat commands): a summary not yet written is written
        off the loop, since an LLM call can take seconds and a big story's extractive pass about
        one, and chat, the scheduler and /healthz share the loop. SQLite stays on the loop."""
        from bot.pipeline.cards import build_card, save_if_writable

        members = self.story_members(story.id)
        cached = summary_store.cached_summary(self.db, story.id, len(members))
        unsaved: Summary | None = None
        if self.summarizer.wants_llm(cached, members):
            summary = await self.summarizer.asummarize(members, story=story.slug)
            cached = summary_store.cached_summary(self.db, story.id, len(members))
            better = cached is None or (cached.llm_fallback and not summary.llm_fallback)
            if better and not save_if_writable(self.db, story, summary, len(members)):
                # Not cached (the database busy): shown all the same, or a paid answer was
                # dropped for the extractive one the card would write instead.
                unsaved = summary
            story = self.story(story.id) or story
        return build_card(
            self.db,
            story,
            self.summarizer,
            now=now or utcnow(),
            topics=topics,
            members=members,
            llm=False,  # asked above, off the loop
            summary=unsaved,
        )

    async def find_story_async(self, query: str, *, limit: int = 5) -> Lookup:
        """`find_story` for code on the event loop (chat commands): reading up to 5,000 stories
        and their titles and matching words against them take a noticeable time, so both run in
        a worker thread, on a connection of its own (the loop's is never used from two
        threads). An in-memory database exists only on the loop's connection: looked up there."""
        path = database_file(self.db)
        if path is None:
            return self.find_story(query, limit=limit)
        return await asyncio.to_thread(_find_in_file, path, query, limit)

    def find_story(self, query: str, *, limit: int = 5) -> Lookup:
        return _find_story(self.db, query, limit)

    def story(self, story_id: str) -> StoryRow | None:
        return story_store.get_story(self.db, story_store.resolve_id(self.db, story_id))

    def story_members(self, story_id: str) -> list[Article]:
        return article_store.story_articles(self.db, story_id)

    def digest(
        self,
        channel: ChannelRow,
        *,
        now: datetime | None = None,
        include_delivered: bool = False,
        limit: int | None = None,
    ) -> Digest:
        """The digest the channel would get now (`bot.runner.digests.digest_selection`): its
        cards, and the messages after them as it would get them (`preview_notices`: the list,
        the backlog's message, the behind and dropped lines). `limit` overrides its size.

        A preview: the LLM writer is not called (no budget spent, no wait on the event loop for
        /digest), so a card shows its cached summary, else the extractive one."""
        from bot.pipeline.cards import build_card
        from bot.runner.digests import digest_selection, digest_size
        from bot.runner.preview import empty_reason, preview_notices

        now = now or utcnow()
        selection = digest_selection(
            self.db,
            channel,
            now=now,
            default_size=self.config.digest_size,
            include_delivered=include_delivered,
        )
        if limit is not None:
            selection = selection.resized(limit)
        cards = [
            build_card(
                self.db,
                c.story,
                self.summarizer,
                now=now,
                topics=c.topics,
                members=c.members,
                llm=False,
            )
            for c in selection.chosen
        ]
        return Digest(
            channel=channel.name or channel.key,
            cards=cards,
            generated_at=now,
            timezone=channel.timezone,
            more=selection.more,
            notices=preview_notices(
                self.db,
                channel,
                selection,
                now=now,
                cards=limit or digest_size(channel, self.config.digest_size),
            ),
            empty_reason=""
            if cards
            else empty_reason(self.db, channel, now=now, include_delivered=include_delivered),
        )

    def close(self) -> None:
        self.db.close()


def _find_story(db: sqlite_utils.Database, query: str, limit: int) -> Lookup:
    url = article_url(query)
    if url is not None:
        # A link to one of its articles names a story as surely as its slug; a link the store
        # does not hold names none (its words are an address, not a headline).
        story_id = article_store.story_of_url(db, url)
        found = story_store.find_by_name(db, [story_id]) if story_id else None
        return Lookup(_ref(db, found[0]), [], "url") if found else Lookup(None, [], "none")
    # A slug or alias given in full resolves by an indexed lookup, so old or small stories
    # are found however many newer ones there are: letter for letter first, then folded
    # (the order `find_story` uses). Only prefixes, search words and "did you mean" go
    # through the capped candidate list below.
    for names in (exact_forms(query), [slugify(query_text(query))]):
        found = story_store.find_by_name(db, [n for n in names if n])
        if found is not None:
            story, reason = found
            return Lookup(_ref(db, story), [], reason)
    aliases = story_store.aliases(db)
    stories = story_store.recent_stories(db, since=None, min_sources=1, limit=5000)
    titles = article_store.member_titles(db, [s.id for s in stories])
    refs = [
        StoryRef(
            story_id=s.id,
            slug=s.slug,
            aliases=tuple(aliases.get(s.id, ())),
            headline=s.headline,
            last_seen=s.last_updated,
            titles=tuple(titles.get(s.id, ())),
        )
        for s in stories
    ]
    return find_story(query, refs, limit=limit)


def _ref(db: sqlite_utils.Database, story: StoryRow) -> StoryRef:
    return StoryRef(
        story_id=story.id,
        slug=story.slug,
        aliases=tuple(story_store.story_aliases(db, story.id)),
        headline=story.headline,
        last_seen=story.last_updated,
    )


def _find_in_file(path: str, query: str, limit: int) -> Lookup:
    """`_find_story` on a read-only connection of the calling thread's own. In WAL mode it
    reads the last committed state while the loop's connection goes on writing."""
    conn = connect_read_only(path, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        return _find_story(sqlite_utils.Database(conn), query, limit)
    finally:
        conn.close()
