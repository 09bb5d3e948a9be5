"""One polling pass: fetch every due feed, parse, and store only the entries we have not seen.

Per-feed failures are recorded on the feed (with backoff) and never stop the other feeds.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlite_utils

from bot import user_agent
from bot.config import PollingConfig
from bot.ingest.errors import FeedParseError, NotAFeedError, internal_error
from bot.ingest.fetcher import FeedFetcher, FetchResult
from bot.ingest.parser import MAX_FEED_ENTRIES, ParsedFeed, parse_feed
from bot.ingest.policy import (
    REFUSED,
    PollOutcome,
    apply_fetch_result,
    record_failure,
    record_internal_error,
)
from bot.models import Article
from bot.pipeline.entries import (
    insert_newest,
    newest_first,
    old_entries_note,
    poll_rows,
    unstored,
)
from bot.pipeline.feed_state import poll_state, record_outcome, remember_poll
from bot.store import articles as article_store
from bot.store import feeds as feed_store
from bot.store import tombstones
from bot.store.database import transaction, utcnow
from bot.store.feeds import FeedRow
from bot.textutil import plural

log = logging.getLogger(__name__)

# The longest wait a feed's own RSS <ttl> or sy:updatePeriod can impose.
MAX_TTL = timedelta(hours=24)


@dataclass(slots=True)
class FeedResult:
    feed: FeedRow
    status: str  # "new", "unchanged", "not_modified", "failed", "disabled"
    new_articles: int = 0
    entries: int = 0
    error: str | None = None
    articles: list[Article] = field(default_factory=list, repr=False)
    too_old: int = 0  # entries dated before the retention cutoff, not stored
    notice: str | None = None  # why entries were left out, when worth saying (entries.py)


@dataclass(slots=True)
class PollReport:
    feeds: list[FeedResult] = field(default_factory=list)
    new_articles: list[Article] = field(default_factory=list)
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
                # A bug on our side: recorded, so its owner sees why and the feed waits its
                # interval instead of being fetched again on every tick, but not counted
                # against the feed (`policy.record_internal_error`).
                log.exception("polling %s crashed", feed.url)
                result = _record_crash(db, polling, feed, now, internal_error(exc, "polling"))
            notes = (result.error, result.notice)
            remember_poll(db, feed.id, result.status, result.new_articles, notes)
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
    report.seconds = time.perf_counter() - started
    return report


async def _poll_one(
    db: sqlite_utils.Database,
    polling: PollingConfig,
    fetcher: FeedFetcher,
    feed: FeedRow,
    now: datetime,
    started: float,
    retention_days: int = 0,
) -> FeedResult:
    result = await fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
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
        except NotAFeedError as exc:
            parse_error = str(exc)  # the OPML import's words: no parser's complaint about HTML
        except FeedParseError as exc:
            parse_error = f"malformed feed: {exc}"
        except Exception as exc:
            log.exception("parsing %s crashed", feed.url)
            parse_error, crashed = internal_error(exc, "reading the feed"), True
    if crashed:
        outcome = record_internal_error(poll_state(feed), parse_error or "", done)
    elif parse_error is not None:
        # From the state before the fetch: its old validators make the next poll download (and
        # re-parse) the body instead of getting a 304.
        outcome = record_failure(
            poll_state(feed), parse_error, done, max_failures=polling.max_failures
        )
    else:
        outcome = apply_fetch_result(
            poll_state(feed), result, done, max_failures=polling.max_failures
        )
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
    try:
        with transaction(db):
            new, left = insert_newest(db, rows, polling.max_new_entries)
            if left:
                # The next poll downloads the feed again (no 304) and takes the next of them.
                outcome = _old_validators(feed, outcome)
            outcome = record_outcome(db, feed, outcome, parsed, now)
            if result.status == 304 and outcome.last_error is None:
                # Unchanged, so still serving the entries its tombstones stand for.
                tombstones.refresh_feed(db, feed.id, now=now)
    except Exception as exc:
        log.exception("storing %s crashed", feed.url)
        stored = _store_one_by_one(db, polling, feed, outcome, result, parsed, rows, now, exc)
        return _note_old(stored, too_old, len(rows), retention_days)
    summary = _note_capped(_summarise(feed, outcome, result, parsed, new), parsed, left)
    summary = _note_old(summary, too_old, len(rows), retention_days)
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


def _note_old(summary: FeedResult, too_old: int, kept: int, retention_days: int) -> FeedResult:
    """`summary` with the entries left out as older than the retention counted, and said
    when worth it (`entries.old_entries_note`); a failed poll's error says enough."""
    if not too_old or summary.status in ("failed", "disabled"):
        return dataclasses.replace(summary, too_old=too_old)
    note = old_entries_note(summary.feed, too_old, kept, retention_days)
    return dataclasses.replace(summary, too_old=too_old, notice=note)


def _old_validators(feed: FeedRow, outcome: PollOutcome) -> PollOutcome:
    """`outcome` with the feed's validators from before this poll: entries it could not store
    (past the cap, or failing) are then downloaded again, not answered by a 304."""
    return dataclasses.replace(outcome, etag=feed.etag, last_modified=feed.last_modified)


def _note_capped(summary: FeedResult, parsed: ParsedFeed | None, left: int) -> FeedResult:
    """Say what a poll left out of a large feed: past the new-entry cap, one WARNING line (and
    the note `newsdigest poll` prints); only entries past the parser's read limit, INFO (an
    archive-sized feed meets it on every download; nothing in it is new news)."""
    unread = parsed.unread_entries if parsed is not None else 0
    url = summary.feed.url
    if not left:
        if unread:
            log.info(
                "feed %s: read the newest %d entries, %d older ones not read",
                url, MAX_FEED_ENTRIES, unread,
            )  # fmt: skip
        return summary
    note = (
        f"stored the newest {summary.new_articles} new entries (polling.max_new_entries); "
        f"skipped {plural(left, 'older entry', 'older entries')}, left for later polls"
    )
    if unread:
        note += f", and {unread} past the newest {MAX_FEED_ENTRIES} in the feed, not read"
    log.warning("feed %s: %s", url, note)
    if summary.error:
        return summary
    return dataclasses.replace(summary, error=note)


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


def _store_one_by_one(
    db: sqlite_utils.Database,
    polling: PollingConfig,
    feed: FeedRow,
    outcome: PollOutcome,
    result: FetchResult,
    parsed: ParsedFeed | None,
    rows: list[dict[str, object]],
    now: datetime,
    exc: Exception,
) -> FeedResult:
    """After the poll's transaction crashed and rolled back: keep every entry that can be stored
    on its own. The feed itself is fine, so the poll is not its failure: counting it as one would
    back off, and in the end disable, a healthy feed for as long as one bad entry stays in it.
    But the old validators are kept while any entry is skipped, so the next poll downloads the
    feed again (no 304) and retries them: a passing cause, a locked database say, loses nothing."""
    new, skipped, left = _insert_each(db, feed, rows, polling.max_new_entries)
    if rows and skipped == len(rows):
        # Nothing could be stored: whatever broke is not one entry's fault.
        error = internal_error(exc, "storing entries")
        return dataclasses.replace(_record_crash(db, polling, feed, now, error), entries=len(rows))
    if skipped or left:
        outcome = _old_validators(feed, outcome)
    try:
        with transaction(db):
            outcome = record_outcome(db, feed, outcome, parsed, now)
    except Exception as again:
        log.exception("recording the poll of %s crashed", feed.url)
        error = internal_error(again, "recording the poll")
        crashed = _record_crash(db, polling, feed, now, error, new)
        return dataclasses.replace(crashed, entries=len(rows))
    summary = _summarise(feed, outcome, result, parsed, new)
    if skipped:
        note = f"skipped {plural(skipped, 'entry', 'entries')} that could not be stored"
        summary = dataclasses.replace(summary, error=f"{note} ({_brief(exc)})")
    return _note_capped(summary, parsed, left)


def _brief(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _insert_each(
    db: sqlite_utils.Database, feed: FeedRow, rows: list[dict[str, object]], cap: int
) -> tuple[list[Article], int, int]:
    """The entries stored one transaction each, at most `cap` new ones (the newest first, as
    `entries.insert_newest`); how many could not be stored; and how many were left past the cap."""
    new: list[Article] = []
    skipped = 0
    ordered = newest_first(rows) if len(rows) > cap else rows
    for done, row in enumerate(ordered, start=1):
        try:
            with transaction(db):
                new.extend(article_store.insert_new(db, [row]))
        except Exception:
            skipped += 1
            log.exception("feed %s: skipped entry %r", feed.url, row.get("guid"))
        if len(new) >= cap:
            return new, skipped, unstored(db, ordered[done:])
    return new, skipped, 0


def _record_crash(
    db: sqlite_utils.Database,
    polling: PollingConfig,
    feed: FeedRow,
    now: datetime,
    error: str,
    new: list[Article] | None = None,
) -> FeedResult:
    """Record an unexpected error (a bug of ours) as a failed poll (last_error, the next poll an
    interval away), without the feed's parsed title or new validators: either may be what
    crashed. Not counted against the feed: a bug must not disable it."""
    outcome = record_internal_error(poll_state(feed), error, now)
    with transaction(db):
        record_outcome(db, feed, outcome, None, now)
    status = "disabled" if outcome.disabled_reason else "failed"
    new = new or []
    return FeedResult(
        feed=feed,
        status=status,
        new_articles=len(new),
        error=outcome.last_error or outcome.disabled_reason,
        articles=new,
    )


def _summarise(
    feed: FeedRow,
    outcome: PollOutcome,
    result: FetchResult,
    parsed: ParsedFeed | None,
    new: list[Article],
) -> FeedResult:
    if outcome.disabled_reason:
        status = "disabled"
    elif outcome.last_error:
        status = "failed"
    elif result.status == 304:
        status = "not_modified"
    else:
        status = "new" if new else "unchanged"
    error = outcome.last_error or outcome.disabled_reason
    if outcome.disabled_reason and outcome.disabled_reason.startswith(REFUSED):
        # The reason names the address as the guard's error does, and says what to do.
        error = outcome.disabled_reason
    return FeedResult(
        feed=feed,
        status=status,
        new_articles=len(new),
        entries=len(parsed.entries) if parsed else 0,
        error=error,
        articles=new,
    )
