"""The feeds table: what to poll, and the polite-polling state of each feed. Which outlet a feed
belongs to, and the name its articles appear under, is `bot.store.feed_outlets`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.feedurls import normalize_feed_url
from bot.ingest.errors import retried_daily
from bot.redact import hidden_in_text
from bot.store.database import iso, parse_iso, transaction, utcnow
from bot.store.feed_outlets import outlet_key


class FeedExistsError(ValueError):
    """The feed is stored already, as `feed_id`: the id to give `feeds remove` or `/feeds
    remove`, or to find it in `feeds list`."""

    def __init__(self, message: str, feed_id: int) -> None:
        super().__init__(message)
        self.feed_id = feed_id


@dataclass(slots=True)
class FeedRow:
    id: int
    url: str
    name: str | None
    title: str | None
    poll_interval: int
    origin: str
    etag: str | None
    last_modified: str | None
    consecutive_failures: int
    next_poll_at: datetime | None
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    disabled_reason: str | None
    ttl_minutes: int | None
    site_url: str | None = None
    folder: str | None = None  # the OPML folder it was imported from, None: none
    first_read_at: datetime | None = None  # None: no poll has read its entries yet
    # What the last poll came to ("3 new", "nothing new", "not modified", "failed", "disabled";
    # "re-enabled" by `feeds enable`) and what it noted beside an error (`record_poll`).
    last_outcome: str | None = None
    last_note: str | None = None
    # When its current run of failures began (None: its last poll worked), and when it last
    # answered in full (a 200 read, not a 304): see `bot.ingest.policy`, `bot.pipeline.poll`.
    failing_since: datetime | None = None
    last_full_at: datetime | None = None
    # The site all its items linked to at its last poll, and the outlet it goes by for it when
    # its site link is a placeholder or shared (`bot.store.item_sites`); None: none.
    item_site: str | None = None
    outlet_site: str | None = None

    @property
    def display_name(self) -> str:
        """The feed as `feeds list` shows it: its configured name, else its whole title."""
        return self.name or self.title or self.url

    @property
    def outlet_key(self) -> str | None:
        return self.outlet_site or outlet_key(self.url, self.site_url)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> FeedRow:
        return cls(
            id=row["id"],
            url=row["url"],
            name=row["name"],
            title=row["title"],
            poll_interval=row["poll_interval"],
            origin=row["origin"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            consecutive_failures=row["consecutive_failures"],
            next_poll_at=parse_iso(row["next_poll_at"]),
            last_polled_at=parse_iso(row["last_polled_at"]),
            last_success_at=parse_iso(row["last_success_at"]),
            last_error=row["last_error"],
            disabled_reason=row["disabled_reason"],
            ttl_minutes=row["ttl_minutes"],
            site_url=row.get("site_url"),
            folder=row.get("folder"),
            first_read_at=parse_iso(row.get("first_read_at")),
            last_outcome=row.get("last_outcome"),
            last_note=row.get("last_note"),
            failing_since=parse_iso(row.get("failing_since")),
            last_full_at=parse_iso(row.get("last_full_at")),
            item_site=row.get("item_site"),
            outlet_site=row.get("outlet_site"),
        )


def add_feed(
    db: sqlite_utils.Database,
    url: str,
    *,
    name: str | None = None,
    interval: int = 900,
    origin: str = "cli",
    config_hash: str | None = None,
    folder: str | None = None,
) -> FeedRow:
    url = normalize_feed_url(url)  # one spelling per feed, so the check below finds duplicates
    # One transaction: the check and the insert see the same table, and a command line waiting
    # for another process's lock says so (`bot.store.database.notice_waits`).
    with transaction(db):
        if found := db.execute("SELECT id FROM feeds WHERE url = ?", [url]).fetchone():
            raise FeedExistsError(f"feed already added, as feed {found[0]}: {url}", found[0])
        db.table("feeds").insert(
            {
                "url": url,
                "name": name,
                "folder": folder,
                "poll_interval": interval,
                "origin": origin,
                "config_hash": config_hash,
                "created_at": iso(utcnow()),
            }
        )
        return get_feed(db, url)  # type: ignore[return-value]


# SQLite's largest integer: a bigger id names no feed (binding it would raise OverflowError).
_MAX_ID = 2**63 - 1


def feed_id(ref: str) -> int | None:
    """The feed id `ref` spells, or None when it is not one. Only ASCII digits: str.isdigit()
    also accepts "²" and "١", which int() then refuses or reads as an id nobody typed."""
    return int(ref) if ref.isascii() and ref.isdigit() else None


def get_feed(db: sqlite_utils.Database, ref: str | int) -> FeedRow | None:
    """A feed by id or URL."""
    number = ref if isinstance(ref, int) else feed_id(ref)
    if number is not None:
        if not 0 <= number <= _MAX_ID:
            return None
        rows = list(db["feeds"].rows_where("id = ?", [number]))
    else:
        rows = list(db["feeds"].rows_where("url = ?", [ref]))
    return FeedRow.from_row(rows[0]) if rows else None


def get_feed_by_url(db: sqlite_utils.Database, url: str) -> FeedRow | None:
    """The feed at `url` as typed or in its stored spelling (`HTTPS://`, `:443`), a backtick and
    `%60` read alike: replies show a feed's backtick percent-encoded (in a code span it would end
    the span), and so do Discord's links, so a copied URL must find the feed stored with one."""
    url = url.strip()
    found = get_feed(db, url) or get_feed(db, normalize_feed_url(url))
    if found is not None or feed_id(url) is not None:
        return found
    if "`" not in url and "%60" not in url:
        return None
    loose = normalize_feed_url(url).replace("%60", "`")
    # Oldest first, should both spellings be stored: the same order as /feeds list.
    rows = list(
        db["feeds"].rows_where("replace(url, '%60', '`') = ?", [loose], order_by="id", limit=1)
    )
    return FeedRow.from_row(rows[0]) if rows else None


def list_feeds(db: sqlite_utils.Database) -> list[FeedRow]:
    return [FeedRow.from_row(r) for r in db["feeds"].rows_where(order_by="id")]


def known_outlets(db: sqlite_utils.Database) -> list[str]:
    """Every name and site a query's `source:` may match (`bot.topics.outlets`): the names
    articles came under, and each feed's name, title and site, for a feed no poll has read yet."""
    # The unique (source, title_key) index answers this without reading the articles.
    names = [r["source"] for r in db.query("SELECT DISTINCT source FROM articles")]
    for feed in list_feeds(db):
        names += [feed.name or "", feed.title or "", feed.outlet_key or ""]
    return [hidden_in_text(n) for n in names if n]


def remove_feed(db: sqlite_utils.Database, ref: str | int) -> FeedRow | None:
    """Remove a feed; its articles stay (stories keep their sources), and so do the tombstones of
    its pruned articles (the foreign key sets their feed NULL), so the feed re-added or moved to
    another address does not serve them as new."""
    with transaction(db):  # both statements or neither
        feed = get_feed(db, ref)
        if feed is None:
            return None
        db.execute("UPDATE articles SET feed_id = NULL WHERE feed_id = ?", [feed.id])
        db.execute("DELETE FROM feeds WHERE id = ?", [feed.id])
        return feed


# The disabled reasons a poll may lift (`bot.ingest.errors.retried_daily`), for SQL: a feed
# disabled for its failures is still polled, once a day, and enabled again when it works.
RETRIED_DAILY_SQL = (
    "(disabled_reason LIKE 'failing since %'"
    " OR disabled_reason LIKE 'disabled after % consecutive failures; last error: %')"
)


def due_feeds(db: sqlite_utils.Database, now: datetime) -> list[FeedRow]:
    """The feeds to poll now: enabled ones whose time has come, and those disabled for their
    failures whose daily retry has (`bot.ingest.policy.RETRY_DISABLED`), last: a pass polls in
    this order within the fetcher's limits, and the retries, months overdue after an upgrade
    (hundreds of dead hosts for `newsdigest poll`), would otherwise come first and hold the
    live feeds up."""
    rows = db["feeds"].rows_where(
        f"(disabled_reason IS NULL OR {RETRIED_DAILY_SQL})"
        " AND (next_poll_at IS NULL OR next_poll_at <= ?)",
        [iso(now)],
        order_by="disabled_reason IS NOT NULL, next_poll_at",
    )
    # The SQL's LIKE is loose ("%" spans anything): `retried_daily` is the exact test.
    feeds = [FeedRow.from_row(r) for r in rows]
    return [f for f in feeds if f.disabled_reason is None or retried_daily(f.disabled_reason)]


def last_new_entries(db: sqlite_utils.Database) -> dict[int, datetime]:
    """When each feed last brought a new entry (its newest article's `seen_at`), by feed id;
    read through the index of articles by feed and time (migration 42), one probe a feed."""
    rows = db.execute(
        "SELECT f.id, (SELECT MAX(a.seen_at) FROM articles a WHERE a.feed_id = f.id) FROM feeds f"
    )
    found = {feed: parse_iso(seen) for feed, seen in rows}
    return {feed: seen for feed, seen in found.items() if seen is not None}


def update_feed(db: sqlite_utils.Database, feed_id: int, **fields: Any) -> None:
    values = {k: iso(v) if isinstance(v, datetime) else v for k, v in fields.items()}
    db.table("feeds").update(feed_id, values)


def mark_first_read(db: sqlite_utils.Database, feed_id: int, now: datetime) -> None:
    """Record `now` as when the feed was first read, unless it was read before: what it held
    then was its backlog (`Article.in_backlog`)."""
    db.execute(
        "UPDATE feeds SET first_read_at = ? WHERE id = ? AND first_read_at IS NULL",
        [iso(now), feed_id],
    )


def enable_feed(db: sqlite_utils.Database, ref: str | int) -> FeedRow | None:
    with transaction(db):
        feed = get_feed(db, ref)
        if feed is None:
            return None
        update_feed(
            db,
            feed.id,
            disabled_reason=None,
            disabled_at=None,
            consecutive_failures=0,
            failing_since=None,
            next_poll_at=None,
            # A fresh start: validators the old failures may have been about are not sent again.
            etag=None,
            last_modified=None,
            # Not the failure that disabled it any more: `feeds list` says so until it is polled.
            last_outcome="re-enabled",
            last_note=None,
        )
        return get_feed(db, feed.id)


# Why a feed the operator parked is disabled (`newsdigest feeds disable`): never polled, not
# retried daily, no failure of the feed's. /healthz does not count it, no channel is alerted,
# the config sync leaves it so, and only `feeds enable` lifts it.
OPERATOR_DISABLED = "disabled by operator"


def disabled_by_operator(reason: str | None) -> bool:
    """Whether a feed disabled with `reason` was parked by the operator (`disable_feed`)."""
    return reason == OPERATOR_DISABLED


def disable_feed(db: sqlite_utils.Database, ref: str | int, now: datetime) -> FeedRow | None:
    """Park a feed on purpose: not polled, not retried, until `enable_feed`. Its failures and
    last error stay as they were (`feeds list` still says when it last worked); its next poll
    is cleared, so enabled again it is spread as a new feed is."""
    with transaction(db):
        feed = get_feed(db, ref)
        if feed is None:
            return None
        update_feed(
            db, feed.id, disabled_reason=OPERATOR_DISABLED, disabled_at=now, next_poll_at=None
        )
        return get_feed(db, feed.id)


def update_unless_parked(db: sqlite_utils.Database, feed_id: int, **fields: Any) -> bool:
    """`update_feed`, unless the row says the operator parked the feed now, whatever a poll that
    read it before thought (`bot.pipeline.feed_state.record_outcome`); whether it wrote. The
    check is the UPDATE's own WHERE: a check read first, then the write, let a `feeds disable`
    from another process commit between the two and be lifted by the write."""
    values = {k: iso(v) if isinstance(v, datetime) else v for k, v in fields.items()}
    sets = ", ".join(f"[{column}] = ?" for column in values)
    cursor = db.execute(
        f"UPDATE feeds SET {sets} WHERE id = ? AND COALESCE(disabled_reason, '') != ?",
        [*values.values(), feed_id, OPERATOR_DISABLED],
    )
    return cursor.rowcount > 0


def record_poll(db: sqlite_utils.Database, feed_id: int, outcome: str, note: str | None) -> None:
    """Keep what a poll of the feed came to and noted, for `feeds list`."""
    with transaction(db):
        db.execute(
            "UPDATE feeds SET last_outcome = ?, last_note = ? WHERE id = ?",
            [outcome, note, feed_id],
        )


def failing_feeds(db: sqlite_utils.Database) -> list[FeedRow]:
    """The feeds disabled or backing off, for /healthz; not those the operator parked, which
    are no failure (`parked_feeds`)."""
    rows = db["feeds"].rows_where(
        "(disabled_reason IS NOT NULL OR consecutive_failures > 0)"
        " AND COALESCE(disabled_reason, '') != ?",
        [OPERATOR_DISABLED],
        order_by="id",
    )
    return [FeedRow.from_row(r) for r in rows]


def parked_feeds(db: sqlite_utils.Database) -> list[FeedRow]:
    """The feeds the operator disabled (`disable_feed`), by id."""
    rows = db["feeds"].rows_where("disabled_reason = ?", [OPERATOR_DISABLED], order_by="id")
    return [FeedRow.from_row(r) for r in rows]
