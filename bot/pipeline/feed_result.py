"""One feed's poll summed up (`FeedResult`), and the bookkeeping of its outcome.

What a poll came to (`summarise`) and the notes it carries (`note_old`, `note_capped`: entries left
out as older than the retention or past the new-entry cap), the validators kept while entries wait
for a later poll (`old_validators`), and the paths for a bug of ours: storing each entry on its own
after the poll's transaction crashed (`store_one_by_one`), and recording an internal error on the
feed without counting it against the feed (`record_crash`); a poll the database refused to
store, a full disk say (`write_refused`); and one whose store met another process's write lock
past the busy timeout (`lock_outlasted`, `left_to_next_poll`). The pass itself is `poll.py`.

A lock held that long (a long prune, a VACUUM) was taken for a crash of ours: a traceback, then
the entries stored one by one, each waiting the busy timeout again with the event loop
standing still. Nothing of such a poll is written, and the feed stays due: its next poll
fetches it again (its validators not stored, so whole, no 304) and stores what this one could
not. The fallback's own writes wait with the loop free (`when_free`), as the poll's store does.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

import sqlite_utils

from bot.config import PollingConfig
from bot.ingest.errors import internal_error
from bot.ingest.fetcher import FetchResult
from bot.ingest.parsed_feed import ParsedFeed
from bot.ingest.parser import MAX_FEED_ENTRIES
from bot.ingest.policy import REFUSED, UNUSABLE, PollOutcome, record_internal_error
from bot.models import Article
from bot.pipeline.entries import newest_first, old_entries_note, unstored
from bot.pipeline.feed_state import poll_state, record_outcome
from bot.store import articles as article_store
from bot.store.database import is_busy, transaction
from bot.store.feeds import FeedRow
from bot.store.loop_waits import when_free
from bot.store.storage_problems import write_refusal
from bot.textutil import plural

log = logging.getLogger(__name__)


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
    # The next poll's time, when the database refused to store it (a full disk): the running
    # poller keeps it in memory, so the feed still waits its interval (`write_refused`).
    hold_until: datetime | None = None
    # Stories whose counts the poll's recount changed (`feed_state.record_outcome`), for the
    # pass's instant planning: a recount is recorded as no story change.
    recounted: set[str] = field(default_factory=set, repr=False)
    # Its store met another process's write lock past the busy timeout: nothing of it written,
    # the feed left due for its next poll (`left_to_next_poll`).
    busy: bool = False


def write_refused(feed: FeedRow, refusal: str, next_poll_at: datetime, entries: int) -> FeedResult:
    """A poll the database refused to store (`storage_problems.write_refusal`): failed, but no
    bug of ours and nothing against the feed; nothing of it is written, its next poll time held
    by the caller instead."""
    return FeedResult(
        feed=feed, status="failed", entries=entries, error=refusal, hold_until=next_poll_at
    )


# What a poll whose store met a lock past the busy timeout says (`feeds list`, `newsdigest poll`).
BUSY = (
    "the database was busy (another process held its write lock past the busy timeout):"
    " nothing of this poll was stored, the feed's next poll stores it"
)


def lock_outlasted(exc: BaseException) -> bool:
    """Whether `exc` is another connection's write lock outlasting the busy timeout."""
    return isinstance(exc, sqlite3.Error) and is_busy(exc)


def left_to_next_poll(feed: FeedRow, entries: int) -> FeedResult:
    """A poll whose store met another process's write lock past the busy timeout: failed, but
    no bug of ours and nothing against the feed; nothing written, the feed still due. Logged
    without a traceback."""
    log.warning("feed %s: %s", feed.url, BUSY)
    return FeedResult(feed=feed, status="failed", entries=entries, error=BUSY, busy=True)


def note_old(summary: FeedResult, too_old: int, kept: int, retention_days: int) -> FeedResult:
    """`summary` with the entries left out as older than the retention counted, and said
    when worth it (`entries.old_entries_note`); a failed poll's error says enough."""
    if not too_old or summary.status in ("failed", "disabled"):
        return dataclasses.replace(summary, too_old=too_old)
    note = old_entries_note(summary.feed, too_old, kept, retention_days)
    return dataclasses.replace(summary, too_old=too_old, notice=note)


def old_validators(feed: FeedRow, outcome: PollOutcome) -> PollOutcome:
    """`outcome` with the feed's validators from before this poll: entries it could not store
    (past the cap, or failing) are then downloaded again, not answered by a 304."""
    return dataclasses.replace(outcome, etag=feed.etag, last_modified=feed.last_modified)


def note_capped(summary: FeedResult, parsed: ParsedFeed | None, left: int) -> FeedResult:
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


async def store_one_by_one(
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
    feed again (no 304) and retries them. Each write waits for another process's write lock with
    the loop free (`when_free`); one that outlasts the busy timeout, like the database refusing
    writes, is raised: no entry's fault, and the next poll stores what was not."""
    new, skipped, left = await _insert_each(db, feed, rows, polling.max_new_entries)
    if rows and skipped == len(rows):
        # Nothing could be stored: whatever broke is not one entry's fault.
        error = internal_error(exc, "storing entries")
        crashed = await when_free(db, partial(record_crash, db, polling, feed, now, error))
        return dataclasses.replace(crashed, entries=len(rows))
    if skipped or left:
        outcome = old_validators(feed, outcome)
    try:
        record = partial(record_outcome, db, feed, outcome, parsed, now)
        outcome = await when_free(db, record, whole=True)
    except Exception as again:
        if write_refusal(again) or lock_outlasted(again):
            raise
        log.exception("recording the poll of %s crashed", feed.url)
        error = internal_error(again, "recording the poll")
        crashed = await when_free(db, partial(record_crash, db, polling, feed, now, error, new))
        return dataclasses.replace(crashed, entries=len(rows))
    summary = summarise(feed, outcome, result, parsed, new)
    if skipped:
        note = f"skipped {plural(skipped, 'entry', 'entries')} that could not be stored"
        summary = dataclasses.replace(summary, error=f"{note} ({_brief(exc)})")
    return note_capped(summary, parsed, left)


def _brief(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


async def _insert_each(
    db: sqlite_utils.Database, feed: FeedRow, rows: list[dict[str, object]], cap: int
) -> tuple[list[Article], int, int]:
    """The entries stored one transaction each, at most `cap` new ones (the newest first, as
    `entries.insert_newest`); how many could not be stored; and how many were left past the cap."""
    new: list[Article] = []
    skipped = 0
    ordered = newest_first(rows) if len(rows) > cap else rows
    for done, row in enumerate(ordered, start=1):
        try:
            new.extend(
                await when_free(db, partial(article_store.insert_new, db, [row]), whole=True)
            )
        except Exception as exc:
            if write_refusal(exc) or lock_outlasted(exc):
                raise  # no entry's fault, and the next would fail alike
            skipped += 1
            log.exception("feed %s: skipped entry %r", feed.url, row.get("guid"))
        if len(new) >= cap:
            return new, skipped, unstored(db, ordered[done:])
    return new, skipped, 0


def record_crash(
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


def summarise(
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
    reason = outcome.disabled_reason
    if reason and reason.startswith(REFUSED):
        # The reason names the address as the guard's error does, and says what to do.
        error = reason
    elif reason and reason.startswith(UNUSABLE):
        # The same, but its words alone do not say that the feed polls no more.
        error = f"disabled: {reason}"
    return FeedResult(
        feed=feed,
        status=status,
        new_articles=len(new),
        entries=len(parsed.entries) if parsed else 0,
        error=error,
        articles=new,
    )
