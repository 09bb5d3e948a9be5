"""A parsed feed's entries as the article rows a poll stores.

Dates are made plausible here (a CMS's lost date, a scheduled post's future one); which of the
rows are new is the store's call (`bot.store.articles.insert_new`). One poll stores at most
`polling.max_new_entries` new ones per feed, the newest first (`insert_newest`). Entries dated
before the retention cutoff are left out, and said (`old_entries_note`): a feed whose items are
all older would otherwise poll "ok" with nothing in it, and no reason given.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import cast

import sqlite_utils

from bot.ingest.entries import DIGEST_GUID
from bot.ingest.normalize import canonical_url
from bot.ingest.parsed_feed import ParsedFeed
from bot.ingest.parser import add_old_guids
from bot.models import Article
from bot.store import articles as article_store
from bot.store.duplicates import entry_id
from bot.store.feed_outlets import outlet_name
from bot.store.feeds import FeedRow
from bot.textutil import plural

log = logging.getLogger(__name__)

# A feed item dated in the future is clock skew or a scheduled post: treat it as published now.
MAX_FUTURE_SKEW = timedelta(minutes=10)
# Before web feeds: the Unix epoch or 1900-01-01 a CMS writes for a lost date. Taken as old, a
# whole feed with that bug would go silent (older than retention) and join no open story.
OLDEST_PLAUSIBLE = datetime(1995, 1, 1, tzinfo=UTC)


def entry_rows(
    feed: FeedRow, parsed: ParsedFeed, url: str, now: datetime, oldest: datetime | None = None
) -> tuple[list[dict[str, object]], int]:
    """The rows `bot.store.articles.insert_new` takes for a parsed feed's entries, as seen at
    `now`: under the feed's outlet name (`bot.store.feed_outlets.outlet_name`), an entry with neither
    title nor text left out, and, with `oldest` (the retention cutoff), one dated before it;
    and how many were left out as dated before `oldest`.
    A date before web feeds is taken as none, and one in the future as `now`."""
    source = outlet_name(feed.name, parsed.title, url, parsed.link, parsed.other_names)
    rows: list[dict[str, object]] = []
    too_old = 0
    for entry in parsed.entries:
        if not entry.title and not entry.text:
            continue
        published = entry.published
        if published is not None and published < OLDEST_PLAUSIBLE:
            published = None  # a placeholder, not a date: taken as undated rather than as old
        if oldest is not None and published is not None and published < oldest:
            too_old += 1
            continue  # undated entries are kept: nothing says they are old
        if published is not None and published > now + MAX_FUTURE_SKEW:
            published = now
        link = entry.url
        rows.append(
            {
                "feed_id": feed.id,
                "source": source,
                "guid": entry.guid,
                "old_guid": entry.old_guid,
                "url": link,
                "canonical_url": canonical_url(link) if link else None,
                "title": entry.title or entry.text[:80],
                "text": entry.text,
                "author": entry.author,
                "published": published,
                "seen_at": now,
            }
        )
    return rows, too_old


async def poll_rows(
    db: sqlite_utils.Database,
    feed: FeedRow,
    parsed: ParsedFeed,
    url: str,
    now: datetime,
    oldest: datetime | None = None,
) -> tuple[list[dict[str, object]], int]:
    """`entry_rows`, with the entries' old GUIDs (`parser.add_old_guids`) when one may be
    stored under its old one: an entry known by a digest (or by any GUID, in a document whose
    GUIDs or links held a terminal code: `ParsedFeed.codes_in_names`) that is neither stored
    nor tombstoned under its GUID of now. Worked out in a thread, since it parses the document
    again; a feed with a control character in it would otherwise cost two parses every poll."""
    rows, too_old = entry_rows(feed, parsed, url, now, oldest)
    if parsed.pending_old_guids is not None and _unknown_entry(db, rows, parsed.codes_in_names):
        await asyncio.to_thread(add_old_guids, parsed)
        rows, too_old = entry_rows(feed, parsed, url, now, oldest)
    return rows, too_old


def _unknown_entry(
    db: sqlite_utils.Database, rows: list[dict[str, object]], any_guid: bool
) -> bool:
    """Whether an entry of `rows` known by a digest GUID (by any GUID, with `any_guid`) is not
    stored under that GUID (by its id, or by feed and GUID: an article that took it keeps its
    old id) nor tombstoned."""
    candidates = {
        entry_id(row): row
        for row in rows
        if row.get("guid") and (any_guid or str(row["guid"]).startswith(DIGEST_GUID))
    }
    known = _known_ids(db, list(candidates))
    rest = {str(row["guid"]): row for key, row in candidates.items() if key not in known}
    if not rest:
        return False
    guids = list(rest)
    feed_id = next(iter(rest.values()))["feed_id"]
    for start in range(0, len(guids), _ID_CHUNK):
        chunk = guids[start : start + _ID_CHUNK]
        marks = ",".join("?" * len(chunk))
        query = f"SELECT COUNT(*) FROM articles WHERE feed_id = ? AND guid IN ({marks})"
        if db.execute(query, [feed_id, *chunk]).fetchone()[0] < len(chunk):
            return True
    return False


def old_entries_note(feed: FeedRow, too_old: int, kept: int, retention_days: int) -> str | None:
    """What to say of the `too_old` entries a poll of `feed` left out as older than the
    retention, beside the `kept` rows it had otherwise; None when nothing is worth saying.

    Said on the feed's first read (why a new feed brought fewer articles than it lists), and
    whenever nothing else was left (why it brought none). Logged once, at that first read: a
    WARNING when none was left, else INFO; later polls only at DEBUG, since a feed keeps serving
    the same old items, poll after poll, and `run` would repeat itself all day."""
    if not too_old:
        return None
    cutoff = f"the {retention_days}-day retention (storage.retention_days)"
    if kept:
        note = f"skipped {plural(too_old, 'entry', 'entries')} older than {cutoff}"
    elif too_old == 1:
        note = f"skipped its only entry: it is older than {cutoff}"
    else:
        note = f"skipped all {too_old} entries: each is older than {cutoff}"
    first_read = feed.first_read_at is None
    level = logging.DEBUG
    if first_read:
        level = logging.INFO if kept else logging.WARNING
    log.log(level, "feed %s: %s", feed.url, note)
    return note if first_read or not kept else None


def newest_first(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """`rows` by date, the newest first; undated ones after, in the feed's order (feeds list
    their newest first, and nothing else says which of them is new)."""
    dated = [r for r in rows if isinstance(r["published"], datetime)]
    undated = [r for r in rows if not isinstance(r["published"], datetime)]
    dated.sort(key=lambda r: cast(datetime, r["published"]), reverse=True)
    return dated + undated


def insert_newest(
    db: sqlite_utils.Database, rows: list[dict[str, object]], cap: int
) -> tuple[list[Article], int]:
    """`rows` stored as `insert_new` does, but at most `cap` new articles, the newest first;
    and how many entries were left unstored once the cap was met (`unstored`). They are not
    marked seen in any way: a feed that still serves them has its next poll take the next `cap`
    of them."""
    if len(rows) <= cap:
        return article_store.insert_new(db, rows), 0  # the usual case: every row fits
    new: list[Article] = []
    ordered = newest_first(rows)
    for done, row in enumerate(ordered, start=1):
        new.extend(article_store.insert_new(db, [row]))
        if len(new) >= cap:
            return new, unstored(db, ordered[done:])
    return new, 0


# Entry ids per query: well under SQLite's bound variables limit (999 before 3.32).
_ID_CHUNK = 500


def unstored(db: sqlite_utils.Database, rows: list[dict[str, object]]) -> int:
    """How many of `rows`, the ones a capped poll did not examine, are not stored yet: neither
    an article with the entry's id (its feed and GUID, else URL or title: what `insert_new`
    keys and recognises an entry by) nor a pruned one's tombstone. A few queries for them all,
    none per row. An entry that `insert_new` would find republished under another GUID still
    counts: the next poll downloads the feed again and stores nothing, and then lets it go."""
    keys = {entry_id(row) for row in rows}  # one article per id, as stored
    return len(keys - _known_ids(db, sorted(keys)))


def _known_ids(db: sqlite_utils.Database, keys: list[str]) -> set[str]:
    """Which of these entry ids an article or a tombstone has."""
    known: set[str] = set()
    for start in range(0, len(keys), _ID_CHUNK):
        chunk = keys[start : start + _ID_CHUNK]
        marks = ",".join("?" * len(chunk))
        for table, column in (("articles", "id"), ("pruned_entries", "entry_key")):
            query = f"SELECT {column} FROM {table} WHERE {column} IN ({marks})"
            known.update(key for (key,) in db.execute(query, chunk))
    return known
