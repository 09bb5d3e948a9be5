"""One polling pass: fetch every due feed, parse, and store only the entries we have not seen.

Per-feed failures are recorded on the feed (with backoff) and never stop the other feeds. Here:
the pass (`poll_feeds`, its `PollReport`), one feed's fetch, parse and store (`_poll_one`), and
the wait a feed's <ttl> asks for. What one feed's poll came to, its notes, and the recovery when
storing crashes are `feed_result.py` (`FeedResult` is importable from here too).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

import sqlite_utils

from bot import user_agent
from bot.config import PollingConfig
from bot.ingest.errors import (
    FeedParseError,
    NotAFeedError,
    UnreadableCharsetError,
    internal_error,
    log_internal,
)
from bot.ingest.fetcher import FeedFetcher, FetchResult
from bot.ingest.parsed_feed import ParsedFeed
from bot.ingest.parser import parse_feed
from bot.ingest.policy import (
    PollOutcome,
    apply_fetch_result,
    record_failure,
    record_internal_error,
)
from bot.models import Article
from bot.pipeline.entries import insert_newest, poll_rows
from bot.pipeline.feed_result import (
    FeedResult,
    left_to_next_poll,
    lock_outlasted,
    note_capped,
    note_old,
    old_validators,
    record_crash,
    store_one_by_one,
    summarise,
    write_refused,
)
from bot.pipeline.feed_state import poll_state, record_outcome, remember_poll
from bot.store import feeds as feed_store
from bot.store import tombstones
from bot.store.database import transaction, utcnow
from bot.store.feeds import FeedRow
from bot.store.loop_waits import when_free
from bot.store.storage_problems import write_refusal
from bot.textutil import plural

log = logging.getLogger(__name__)

# The longest wait a feed's own RSS <ttl> or sy:updatePeriod can impose.
MAX_TTL = timedelta(hours=24)
# How long a feed may answer only 304 before a poll asks without its validators.
FULL_FETCH_AFTER = timedelta(hours=24)


@dataclass(slots=True)
class PollReport:
    feeds: list[FeedResult] = field(default_factory=list)
    new_articles: list[Article] = field(default_factory=list)
    # Stories whose counts the feeds' polls counted again (`FeedResult.recounted`): none is
    # among a pass's touched stories, yet one may now qualify for an instant channel.
    recounted: set[str] = field(default_factory=set)
    seconds: float = 0.0

    @property
    def failed(self) -> list[FeedResult]:
        return [r for r in self.feeds if r.status in ("failed", "disabled")]

    @property
    def warned(self) -> list[FeedResult]:
        """Polls that worked but left something out (an entry that could not be stored, or
        older than the retention) and say so in their `error` or `notice`."""
        return [
            r
            for r in self.feeds
            if (r.error or r.notice) and r.status not in ("failed", "disabled")
        ]


ProgressCallback = Callable[[FeedResult], None]


def make_fetcher(polling: PollingConfig) -> FeedFetcher:
    """A fetcher with the configured limits and User-Agent contact."""
    return FeedFetcher(
        allow_private_networks=polling.allow_private_networks,
        per_host_limit=polling.per_host_limit,
        total_limit=polling.total_limit,
        timeout=polling.timeout,
        max_bytes=polling.max_bytes,
        user_agent=user_agent(polling.contact),
    )


async def poll_feeds(
    db: sqlite_utils.Database,
    polling: PollingConfig,
    *,
    feeds: Sequence[FeedRow] | None = None,
    now: datetime | None = None,
    fetcher: FeedFetcher | None = None,
    on_feed_done: ProgressCallback | None = None,
    retention_days: int = 0,
) -> PollReport:
    """Poll `feeds` (default: every feed that is due) concurrently, within the fetcher's limits.

    With `retention_days` (the config's storage.retention_days; 0 keeps everything), an entry
    dated before the retention cutoff is not stored: retention would delete it anyway, and it is
    most likely one whose tombstone expired (a feed disabled or answering 304 for over a year)."""
    started = time.perf_counter()
    now = now or utcnow()
    targets = list(feeds) if feeds is not None else feed_store.due_feeds(db, now)
    report = PollReport()
    own_fetcher = fetcher is None
    if fetcher is None:
        fetcher = make_fetcher(polling)
    try:
        if own_fetcher:
            await fetcher.__aenter__()

        async def one(feed: FeedRow) -> None:
            try:
                result = await _poll_one(db, polling, fetcher, feed, now, started, retention_days)
            except Exception as exc:
                result = await _crashed(db, polling, feed, now, exc)
            # Not when the database takes no writes, nor past a lock that outlasted the busy
            # timeout: the outcome would wait it out again, for a note.
            if result.hold_until is None and not result.busy:
                notes = (result.error, result.notice)
                await remember_poll(db, feed.id, result.status, result.new_articles, notes)
            report.feeds.append(result)
            if on_feed_done is not None:
                on_feed_done(result)

        fetched = await asyncio.gather(*(one(f) for f in targets), return_exceptions=True)
        for feed, outcome in zip(targets, fetched, strict=True):
            if isinstance(outcome, BaseException):
                # A bug in one feed's handling must not lose the others' articles.
                log.exception("polling %s crashed", feed.url, exc_info=outcome)
    finally:
        if own_fetcher:
            await fetcher.__aexit__(None, None, None)
    for result in report.feeds:
        report.new_articles.extend(result.articles)
        report.recounted |= result.recounted
    report.seconds = time.perf_counter() - started
    return report


async def _crashed(
    db: sqlite_utils.Database, polling: PollingConfig, feed: FeedRow, now: datetime, exc: Exception
) -> FeedResult:
    """A feed's poll that raised. A bug on our side is recorded, so its owner sees why and the
    feed waits its interval instead of being fetched again on every tick, but not counted
    against the feed (`policy.record_internal_error`). The database refusing writes (a full
    disk) is no bug: no traceback, and the wait is the caller's to keep (`write_refused`)."""
    refusal = write_refusal(exc)
    if refusal is None:
        error = internal_error(exc, "polling")
        log_internal(log, error, "polling %s crashed", feed.url)
        try:
            return await when_free(db, partial(record_crash, db, polling, feed, now, error))
        except Exception as again:
            if lock_outlasted(again):  # the crash is said above; the next poll tries again
                return left_to_next_poll(feed, 0)
            if (refusal := write_refusal(again)) is None:
                raise
    wait = record_internal_error(poll_state(feed), refusal, now)
    return write_refused(feed, refusal, wait.next_poll_at, 0)


async def _poll_one(
    db: sqlite_utils.Database,
    polling: PollingConfig,
    fetcher: FeedFetcher,
    feed: FeedRow,
    now: datetime,
    started: float,
    retention_days: int = 0,
) -> FeedResult:
    etag, last_modified = feed.etag, feed.last_modified
    if feed.last_full_at is not None and now - feed.last_full_at >= FULL_FETCH_AFTER:
        # A server stuck on one ETag answers 304 while new items appear: a day without a full
        # answer and the validators are left out, so the feed is read whole at least daily.
        etag = last_modified = None
    result = await fetcher.fetch(feed.url, etag=etag, last_modified=last_modified)
    # The next poll counts from when this one finished, not from the pass's `now`: a feed that
    # waited minutes in its host's queue would otherwise lose that much of its interval, backoff
    # or <ttl>. On the pass's clock (`now` plus the time elapsed) so a given `now` still rules.
    done = now + timedelta(seconds=time.perf_counter() - started)
    parsed: ParsedFeed | None = None
    parse_error: str | None = None
    crashed = False  # the parser failed: our bug, not the feed's failure
    if result.body is not None:
        try:
            # Relative links resolve against where the feed actually came from, after redirects;
            # the Content-Type charset decodes a document that does not declare its own.
            parsed = await asyncio.to_thread(
                parse_feed,
                result.body,
                url=result.final_url or result.url,
                content_type=result.content_type,
                polled_url=feed.url,
            )
        except (NotAFeedError, UnreadableCharsetError) as exc:
            # Its own words: the OPML import's for a web page, the charset's name; the document
            # is no malformed one.
            parse_error = str(exc)
        except FeedParseError as exc:
            parse_error = f"malformed feed: {exc}"
        except Exception as exc:
            parse_error, crashed = internal_error(exc, "reading the feed"), True
            log_internal(log, parse_error, "parsing %s crashed", feed.url)
    if crashed:
        outcome = record_internal_error(poll_state(feed), parse_error or "", done)
    elif parse_error is not None:
        # From the state before the fetch: its old validators make the next poll download (and
        # re-parse) the body instead of getting a 304.
        outcome = record_failure(
            poll_state(feed), parse_error, done, max_failures=polling.max_failures,
            disable_after=timedelta(seconds=polling.disable_after),
        )  # fmt: skip
    else:
        outcome = apply_fetch_result(
            poll_state(feed), result, done, max_failures=polling.max_failures,
            disable_after=timedelta(seconds=polling.disable_after),
        )  # fmt: skip
    ttl_minutes = _ttl_minutes(feed, result, parsed, outcome)
    if ttl_minutes:
        # RSS <ttl> and sy:updatePeriod ask us not to poll more often than that; honour it when
        # it is longer. Capped: a hostile or mistaken <ttl>999999</ttl> (or sy:updatePeriod
        # yearly) must not silence a feed for years.
        ttl = min(timedelta(minutes=ttl_minutes), MAX_TTL)
        earliest = done + max(ttl, timedelta(0))
        if outcome.next_poll_at < earliest:
            outcome = dataclasses.replace(outcome, next_poll_at=earliest)
    oldest = now - timedelta(days=retention_days) if retention_days > 0 else None
    rows: list[dict[str, object]] = []
    too_old = 0
    if parsed is not None:
        rows, too_old = await poll_rows(db, feed, parsed, result.url, now, oldest)
    fetched = outcome
    recounted: set[str] = set()

    def store() -> tuple[list[Article], int, PollOutcome]:
        recounted.clear()  # a try the lock refused, made again: its recount was undone
        with transaction(db):
            new, left = insert_newest(db, rows, polling.max_new_entries)
            # The next poll downloads the feed again (no 304) and takes the next of them.
            kept = old_validators(feed, fetched) if left else fetched
            kept = record_outcome(db, feed, kept, parsed, now, recounted)
            if result.status == 304 and kept.last_error is None and feed.last_full_at:
                # Unchanged, so still serving the entries its last full answer did: only their
                # tombstones, not those of entries it stopped serving long ago.
                tombstones.refresh_feed(db, feed.id, now=now, full_at=feed.last_full_at)
        return new, left, kept

    try:
        # Another process's write lock (a cron `newsdigest poll`, a prune) is waited out with
        # the loop free: on it, the other feeds' fetches timed out and chat stood still.
        new, left, outcome = await when_free(db, store)
    except Exception as exc:
        entries = len(parsed.entries) if parsed else 0
        if (refusal := write_refusal(exc)) is not None:
            # Storing them one by one would fail alike, each with a traceback.
            return write_refused(feed, refusal, outcome.next_poll_at, entries)
        if lock_outlasted(exc):  # no crash of ours: left to the feed's next poll
            return left_to_next_poll(feed, entries)
        log.exception("storing %s crashed", feed.url)
        try:
            stored = await store_one_by_one(
                db, polling, feed, outcome, result, parsed, rows, now, exc
            )
        except Exception as again:
            if lock_outlasted(again):
                return left_to_next_poll(feed, entries)
            if (refusal := write_refusal(again)) is None:
                raise
            return write_refused(feed, refusal, outcome.next_poll_at, entries)
        return note_old(stored, too_old, len(rows), retention_days)
    summary = note_capped(summarise(feed, outcome, result, parsed, new), parsed, left)
    summary = note_old(summary, too_old, len(rows), retention_days)
    summary.recounted = recounted
    if parsed is not None and parsed.missing_end and not summary.error:
        # Kept, since what came before the cut is as good as ever; said, since the rest of the
        # feed (and an ok with 0 items) would otherwise pass for all there is.
        note = (
            f"the feed looks cut off (no closing {parsed.missing_end}): kept the "
            f"{plural(len(parsed.entries), 'entry', 'entries')} before the cut"
        )
        log.warning("feed %s: %s", feed.url, note)
        summary = dataclasses.replace(summary, error=note)
    return summary


def _ttl_minutes(
    feed: FeedRow, result: FetchResult, parsed: ParsedFeed | None, outcome: PollOutcome
) -> int | None:
    """The interval the publisher asks for (<ttl> or sy:updatePeriod, the longer) that applies
    to this poll: the document's own after a 200; after a 304 (no body to read it from) the one
    stored from the last download, which still holds since the document is unchanged. Otherwise
    a ttl-honouring feed would be polled every interval."""
    if parsed is not None:
        return parsed.asked_minutes
    if result.status == 304 and outcome.last_error is None:
        return feed.ttl_minutes
    return None
