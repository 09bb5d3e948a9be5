"""`newsdigest run`: the service that owns the asyncio loop and wires its parts together: an
APScheduler `AsyncIOScheduler`, the poller, the delivery outbox, the chat platforms and the
`/healthz` endpoint; it starts them, schedules and catches up digests, and stops them gracefully.

    service = Service(config)            # or Service(config, core=..., clock=...) in tests
    await service.run_until_stopped()    # start, wait for SIGTERM/SIGINT, stop gracefully

Chat platforms (Slack, Discord) are started from the environment, see `bot.runner.platforms`:
a platform's `start(service)` calls `service.register_adapter(adapter)` and sends slash commands
to `service.commands.dispatch(...)`, whose `/digest` goes through the outbox. The console adapter
is always registered; with no chat platform configured, a `console:terminal` channel (hourly
digest) is created so `newsdigest run` shows something on its own. A chat platform whose start
fails is retried in the background (`bot.runner.starter.PlatformStarter`); once it starts, its
channels get their digest jobs and any digest missed meanwhile.

Settings come from the environment, see `bot.runner.settings`; cards for the outbox come from
`bot.runner.cards`, the `/healthz` body from `bot.runner.status`, the daily prune from
`bot.runner.retention`, a digest job's run from `bot.runner.digest_job`, the graceful stop from
`bot.runner.shutdown`, the planning of stories another process's poll changed from
`bot.runner.elsewhere`, the fixed jobs from `bot.runner.jobs.add_fixed_jobs`, and the watch for
a wall clock stepped back under them from `bot.runner.clock_watch`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.adapters.console import ConsoleAdapter
from bot.cards import StoryCard
from bot.config import Config
from bot.delivery.adapter import ChatAdapter
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import feed_alerts, shutdown
from bot.runner.cards import CardSource
from bot.runner.catch_up import catch_up
from bot.runner.changes import (
    ScheduleChanges,
    channel_changed,
)
from bot.runner.clock_waits import undo_waits
from bot.runner.clock_watch import ClockWatch
from bot.runner.console import platform_given_up, settle_console, without_runner_console
from bot.runner.digest_job import post_digest, run_digest
from bot.runner.elsewhere import ChangesElsewhere, plan_changed, plan_elsewhere
from bot.runner.health import HealthServer, start_health
from bot.runner.job_sync import sync_jobs
from bot.runner.jobs import FIXED_JOBS, ChannelJobs, add_fixed_jobs, digest_channels, make_scheduler
from bot.runner.platform_state import PlatformState
from bot.runner.platforms import (
    Backoff,
    Platform,
    configured_platforms,
    started_without_token,
    warn_unserved_channels,
)
from bot.runner.polling import Poller
from bot.runner.retention import Pruner
from bot.runner.settings import RunnerSettings
from bot.runner.starter import PlatformStarter
from bot.runner.status import channel_counts, service_health
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.channels import ChannelRow
from bot.store.database import is_busy, utcnow
from bot.store.loop_waits import brief_steps, repeated, when_free
from bot.store.sync_report import sync_news, sync_notes
from bot.topics.saved import flagged_warning

if TYPE_CHECKING:
    from bot.app import NewsDigest, PassReport
    from bot.ingest.fetcher import FeedFetcher

log = logging.getLogger(__name__)


class Service:
    def __init__(
        self,
        config: Config,
        *,
        core: NewsDigest | None = None,
        settings: RunnerSettings | None = None,
        clock: Callable[[], datetime] = utcnow,
        env: Mapping[str, str] | None = None,
        fetcher: FeedFetcher | None = None,
        health_server: HealthServer | None = None,
    ) -> None:
        if core is None:
            from bot.app import NewsDigest

            core = NewsDigest(config)
        from bot.commands.core import Commands

        self.config = config
        self.core = core
        self.db = core.db
        self.settings = settings or RunnerSettings.from_env(env)
        self.clock = clock
        self.env: Mapping[str, str] = os.environ if env is None else env
        self.cards = CardSource(core, clock=clock)
        self.outbox = Outbox(
            self.db,
            self.card_for_async,
            settings=OutboxSettings(
                pace=self.settings.post_pace,
                stale_after=timedelta(hours=config.story_window_hours),
                update_interval=self.settings.update_interval,
            ),
            clock=clock,
        )
        self.commands = Commands(
            core,
            post_digest=self.post_digest,
            clock=self.clock,
            kick_outbox=self.kick,
            on_channel_change=self.channel_changed,
            update_interval=self.settings.update_interval,
        )
        self.scheduler = make_scheduler()
        self.jobs = ChannelJobs(
            self.scheduler, self.run_digest, catch_up=self.settings.catch_up_window
        )
        self.clock_watch = ClockWatch(self.scheduler, self.db, jobs=FIXED_JOBS)
        self.schedule_changes = ScheduleChanges()
        self.outbox.on_pause = self.schedule_changes.saw_paused
        self.poller = Poller(core, self.on_poll_pass, clock=clock, fetcher=fetcher)
        undo_waits(self.clock_watch, self.outbox, self.poller)
        self.elsewhere = ChangesElsewhere(self.db, origin=core.origin)
        self.pruner = Pruner(
            self.db,
            retention_days=config.storage.retention_days,
            window_hours=config.story_window_hours,
            config_missing=config.missing_path,
            clock=clock,
        )
        self.platforms: list[Platform] = []
        self.platform_errors: dict[str, str] = {}
        # Platforms with configured channels that get nothing this run, their token not set.
        self.unserved_channels: dict[str, str] = {}
        self.starter = PlatformStarter(
            self,
            backoff=Backoff(self.settings.platform_retry_initial, self.settings.platform_retry_max),
            on_late_start=self._platform_started_late,
            on_given_up=partial(platform_given_up, self),
        )
        self.outbox.outages.on_fatal = self.platform_lost
        # What `channels list` and `status` say of the platforms (`bot.runner.platform_state`).
        self.platform_state = PlatformState(self)
        # Set when a chat platform started, or failed to but is being retried: the terminal
        # channel is then neither created nor given digests (it is only the stand-in for "no chat
        # at all"). Not for one that will not start this run (its token refused, a setting to
        # change): nothing would be posted or printed anywhere.
        self.chat_configured = False
        # Bound already when `run` started it before loading (`bot.runner.launch`): it answers
        # for this service once `start` begins.
        self.health_server = health_server
        self.stopping = asyncio.Event()
        # One digest chosen at a time (each off the loop, `bot.runner.digest_build`): a job's
        # checks of what its channel was sent stay true until its digest is queued.
        self.digest_lock = asyncio.Lock()
        # Set while start's catch-up runs: /healthz answers, and says so (`bot.runner.status`).
        self.catching_up = False
        # Instant channels a /watchlist change let more stories through while starting: the
        # catch-up chooses theirs again after the change (`bot.runner.catch_up`).
        self.changed_while_starting: set[int] = set()
        # Resumed channels' catch-ups a job sync started, by channel pk (`changes.resume_soon`).
        self.resuming: dict[int, asyncio.Task[None]] = {}
        self.state = "created"
        self.started_at: datetime | None = None
        self.outbox_task: asyncio.Task[None] | None = None

    # --- the hook for chat platforms ------------------------------------------------------------

    def register_adapter(self, adapter: ChatAdapter) -> None:
        """Make the outbox post this platform's channels. Safe before or after `start`."""
        self.outbox.register(adapter)
        log.info("chat adapter registered: %s", adapter.platform)
        if self.state == "running":
            self.sync_jobs()

    def posts_with(self, adapter: ChatAdapter) -> bool:
        """Whether the outbox posts with this adapter: it still does after its platform was
        stopped mid-run for a refused token (`PlatformStarter.lost`), and the adapter's
        background work is then finished at shutdown (`finish_background`), not by that stop."""
        return self.outbox.adapters.get(adapter.platform) is adapter

    def kick(self) -> None:
        self.outbox.kick()

    def platform_lost(self, name: str, reason: str) -> None:
        """A running platform's token was refused (`bot.runner.starter.PlatformStarter.lost`)."""
        self.starter.lost(name, reason)

    def platform_dropped(self, name: str, reason: str, *, retry: bool = True) -> None:
        """A running platform's connection ended for another reason: restarted with backoff, or
        with `retry=False` only reported (`bot.runner.starter.PlatformStarter.dropped`)."""
        self.starter.dropped(name, reason, retry=retry)

    def platform_reconnected(self, name: str, *routes: str) -> None:
        """A running platform's connection is back after a drop (Slack's Socket Mode, Discord's
        gateway): posts waiting out a backoff on `routes` (default: `name`) are tried now, once."""
        self.outbox.retry_route(*(routes or (name,)))

    async def post_digest(self, channel: ChannelRow) -> int:
        """`/digest` in chat, see `bot.runner.digest_job.post_digest`."""
        return await post_digest(self, channel)

    async def channel_changed(self, before: ChannelRow, after: ChannelRow) -> None:
        """A setting changed in chat takes effect now, see `bot.runner.changes`."""
        await channel_changed(self, before, after)

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        self.state = "starting"
        self.started_at = self.clock()
        self.schedule_changes.snapshot(self.db)
        # Start's writes wait out another process's write lock with the loop free, each all or
        # nothing: during this sync, `run`'s health endpoint (bound before loading,
        # `bot.runner.launch`) answers "starting"; the writes after the platforms' start keep
        # their heartbeats going, and /healthz answers for the service by then.
        synced = await when_free(self.db, partial(self.core.sync_config, retry="restart"))
        config_file = str(self.core.config.path or "the config file")
        for news in sync_news(synced, config_file):
            log.info("%s", news)
        for note in sync_notes(synced, config_file):
            log.warning("%s", note)
        for warning in self.core.config.warnings:  # values chat refuses, kept as written
            log.warning("%s", warning, extra={"event": "config_warning"})
        # The file's own are among its warnings, just logged: not said twice.
        declared = {t.slug for t in self.core.config.topics}
        topics = [
            (t.slug, t.query) for t in channel_store.list_topics(self.db) if t.slug not in declared
        ]
        if flagged := flagged_warning(topics):
            log.warning("%s", flagged)
        if (llm := self.core.config.llm) is not None:
            _ = self.core.summarizer  # now, so a too-small token budget is warned of at start
            host = urlsplit(llm.base_url).hostname or llm.base_url
            log.info("LLM writer: model %s at %s (key from $%s)", llm.model, host, llm.api_key_env)
        if self.health_server is not None:
            self.health_server.status = self.health
        else:
            self.health_server = await start_health(self.settings, self.health)
        await self._start_platforms()
        self.register_adapter(ConsoleAdapter())
        await self.platform_state.record_when_free()
        await settle_console(self)
        await self.poller.open(spread=self.settings.start_spread)
        self.elsewhere.start()  # before the catch-up, which plans from everything stored
        add_fixed_jobs(self)
        self.sync_jobs()
        # The scheduler first: APScheduler 3 computes a job's first run at start(), so a slot
        # falling during a slow catch-up would be neither caught up (catch-up's `now` is before
        # it) nor scheduled (start() is after it). Jobs only run once catch-up yields the loop,
        # and run_digest skips a slot that catch-up has already covered.
        self.scheduler.start()
        self.clock_watch.start(self.stopping)
        self.catching_up = True
        try:
            await catch_up(self)
        finally:
            self.catching_up = False
        self.outbox_task = asyncio.create_task(self.outbox.run(self.stopping), name="outbox")
        self.state = "running"
        self.starter.retry_pending()
        log.info(
            "newsdigest running: %d feeds, %s, platforms: %s",
            len(feed_store.list_feeds(self.db)),
            channel_counts(self.db, not_posting=self.platform_state.not_posting()),
            ", ".join(sorted(self.outbox.adapters)),
            extra={"event": "started"},
        )

    async def stop(self) -> None:
        """Stop gracefully, see `bot.runner.shutdown.stop`."""
        await shutdown.stop(self)

    def request_stop(self) -> None:
        shutdown.request_stop(self)

    async def run_until_stopped(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.request_stop)
        try:
            await self.start()
            await self.stopping.wait()
        finally:
            await self.stop()
            self.core.close()

    async def _start_platforms(self) -> None:
        platforms, errors = configured_platforms(self.config, self.env)
        self.platform_errors.update(errors)
        served = {p.name for p in platforms} | set(self.outbox.adapters)
        tokenless = started_without_token(platforms, self.env) - set(self.outbox.adapters)
        self.unserved_channels = warn_unserved_channels(
            self.db, served, set(errors), tokenless=tokenless
        )
        await self.starter.start_all(platforms)
        self.chat_configured = bool(self.platforms or self.starter.pending)

    async def _platform_started_late(self, platform: Platform) -> None:
        """A platform came up after a retry: its channels get their jobs and a missed digest."""
        await self.platform_state.record_when_free()  # the running platforms' loop kept free
        if self.state != "running":
            return
        self.sync_jobs()
        await catch_up(self, platform=platform.name)

    async def kick_job(self) -> None:
        self.outbox.kick()

    async def sync_jobs_job(self) -> None:
        """The minute's job, each write waiting briefly (`brief_steps`), one the lock holds left
        to a later minute's; not waiting for the catch-ups it starts (tasks tried until done):
        a long lock held them, this job with them, and its later runs were skipped."""
        try:
            await brief_steps(self.db.conn, self._sync_jobs_minute())
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            log.info("the database is busy (another process's write lock): next minute's look")

    async def _sync_jobs_minute(self) -> None:
        self.platform_state.record()  # a platform lost or dropped since
        self.sync_jobs()
        # The same minute's look at what other processes did: a `newsdigest poll`'s stories.
        await plan_elsewhere(self)

    def digest_channels(self) -> list[ChannelRow]:
        channels = digest_channels(channel_store.list_channels(self.db), set(self.outbox.adapters))
        if self.chat_configured:
            channels = without_runner_console(self.db, channels)
        return channels

    def sync_jobs(self) -> set[int]:
        """Digest jobs as the database says (`job_sync.sync_jobs`); returns the channels (pks)
        seen resumed since the last look, whose catch-up this started."""
        return sync_jobs(self)

    # --- jobs -----------------------------------------------------------------------------------

    async def run_digest(
        self,
        channel_pk: int,
        scheduled_for: datetime | None = None,
        *,
        schedule: tuple[str, str] | None = None,
    ) -> None:
        """A digest job or catch-up (`digest_job.run_digest`), tried again while locked, once."""
        job = partial(run_digest, self, channel_pk, scheduled_for, schedule=schedule)
        await repeated(self.db, job, stop=self.stopping)

    def instant_channels(self) -> list[ChannelRow]:
        return [
            c
            for c in channel_store.list_channels(self.db)
            if c.mode == "instant" and c.platform in self.outbox.adapters and not c.paused_reason
        ]

    async def on_poll_pass(self, report: PassReport) -> None:
        now = self.clock()

        async def plan() -> None:
            await plan_changed(
                self, report.touched_stories, now=now, recounted=report.poll.recounted
            )
            if report.poll.failed:
                feed_alerts.alert_disabled_feeds(self.db, now=now)

        # Safe to repeat: tried again while another process's write lock lasts, the loop free.
        await repeated(self.db, plan, stop=self.stopping)
        self.outbox.kick()

    async def card_for_async(self, story_id: str, channel: ChannelRow) -> StoryCard | None:
        """The outbox's card source, see `bot.runner.cards.CardSource.card_for_async`."""
        return await self.cards.card_for_async(story_id, channel)

    # --- health ---------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return service_health(self)
