"""The stories table: one row per event, its members (articles.story_id), merges and slugs.

A merge never deletes a story: the absorbed row points at the survivor (`merged_into`) and its slug
becomes an alias, so a `/story old-slug` link posted yesterday still resolves. What happened to
each old name, merge by merge, is recorded apart (`story_names`).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlite_utils

from bot.store import story_names
from bot.store.database import iso, parse_iso, utcnow
from bot.topics.lookup import slugify

# A story's stored headline (what `newsdigest stories`, `/story` suggestions and topic tests list)
# is cut at a word boundary to this many characters; the card shows its own headline in full.
HEADLINE_CHARS = 120


def bounded_headline(text: str) -> str:
    """`text` on one line, cut at a word boundary to `HEADLINE_CHARS` with "…" when longer."""
    text = " ".join(text.split())
    if len(text) <= HEADLINE_CHARS:
        return text
    cut = text.rfind(" ", 0, HEADLINE_CHARS)
    head = text[: cut if cut > HEADLINE_CHARS // 2 else HEADLINE_CHARS - 1]
    return head.rstrip(" ,;:-–—") + "…"


@dataclass(slots=True)
class StoryRow:
    id: str
    slug: str
    headline: str
    first_seen: datetime
    last_updated: datetime
    article_count: int
    outlet_count: int
    source_count: int
    merged_into: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoryRow:
        return cls(
            id=row["id"],
            slug=row["slug"],
            headline=row["headline"],
            first_seen=parse_iso(row["first_seen"]),  # type: ignore[arg-type]
            last_updated=parse_iso(row["last_updated"]),  # type: ignore[arg-type]
            article_count=row["article_count"],
            outlet_count=row["outlet_count"],
            source_count=row["source_count"],
            merged_into=row["merged_into"],
        )


def slug_taken(db: sqlite_utils.Database, slug: str) -> bool:
    """Whether `slug` is in use, as a story's slug or alias, exactly or once folded.

    `/story` matches slugs case- and accent-folded, so "все-банке" next to "всё-банке" would be
    two stories under one name there: the folded form must be unique too. Every check is an
    index lookup (slug and the folded `slug_key`, on both tables).
    """
    key = slugify(slug)
    return bool(
        db.execute(
            "SELECT 1 FROM stories WHERE slug = ? OR slug_key = ?"
            " UNION ALL SELECT 1 FROM story_aliases WHERE slug = ? OR slug_key = ? LIMIT 1",
            [slug, key, slug, key],
        ).fetchone()
    )


def find_by_name(
    db: sqlite_utils.Database, names: list[str]
) -> tuple[StoryRow, Literal["exact", "alias"]] | None:
    """The live story with one of `names` (tried in order) as its slug or id, else as an alias,
    with "exact" or "alias"; None if no name is in use.

    One indexed lookup per name (stories.slug and story_aliases.slug are unique), so old and
    small stories resolve however many newer ones the database holds. An alias, or the slug of
    a story merged away, leads to the surviving story.
    """
    for name in names:
        row = db.execute(
            "SELECT id FROM stories WHERE slug = ? UNION ALL SELECT id FROM stories WHERE id = ?"
            " LIMIT 1",
            [name, name],
        ).fetchone()
        if row is not None:
            story = _live(db, row[0])
            if story is not None:
                return story, "exact" if story.id == row[0] else "alias"
    for name in names:
        row = db.execute("SELECT story_id FROM story_aliases WHERE slug = ?", [name]).fetchone()
        if row is not None:
            story = _live(db, row[0])
            if story is not None:
                return story, "alias"
    return None


def _live(db: sqlite_utils.Database, story_id: str) -> StoryRow | None:
    """The story a lookup lands on, if `/story` may show it (what `recent_stories` lists)."""
    story = get_story(db, resolve_id(db, story_id))
    if story is None or story.merged_into or story.article_count <= 0 or story.source_count < 1:
        return None
    return story


def slug_settled(db: sqlite_utils.Database, story_id: str) -> bool:
    """Whether the story's slug is final: it was posted (or queued) to a channel, or the story
    already has an alias (it was renamed once, or absorbed another story)."""
    return bool(
        db.execute(
            "SELECT 1 FROM deliveries WHERE story_id = ?"
            " UNION ALL SELECT 1 FROM story_aliases WHERE story_id = ? LIMIT 1",
            [story_id, story_id],
        ).fetchone()
    )


def rename(
    db: sqlite_utils.Database, story_id: str, slug: str, *, now: datetime | None = None
) -> None:
    """Give the story a new slug; the old one stays as an alias, so whatever it was typed into
    (a `/story` search, `newsdigest stories`) still finds the story."""
    row = get_story(db, story_id)
    if row is None or row.slug == slug:
        return
    db.execute(
        "INSERT OR IGNORE INTO story_aliases (slug, slug_key, story_id, created_at)"
        " VALUES (?, ?, ?, ?)",
        [row.slug, slugify(row.slug), story_id, iso(now or utcnow())],
    )
    story_names.record_rename(db, story_id, row.slug)
    db.execute(
        "UPDATE stories SET slug = ?, slug_key = ? WHERE id = ?", [slug, slugify(slug), story_id]
    )


def story_aliases(db: sqlite_utils.Database, story_id: str) -> list[str]:
    rows = db.execute("SELECT slug FROM story_aliases WHERE story_id = ?", [story_id])
    return [r[0] for r in rows]


def create_story(
    db: sqlite_utils.Database, story_id: str, slug: str, headline: str, first_seen: datetime
) -> None:
    db.table("stories").insert(
        {
            "id": story_id,
            "slug": slug,
            "slug_key": slugify(slug),
            "headline": bounded_headline(headline),
            "first_seen": iso(first_seen),
            "last_updated": iso(first_seen),
        }
    )


def get_story(db: sqlite_utils.Database, story_id: str) -> StoryRow | None:
    rows = list(db["stories"].rows_where("id = ?", [story_id]))
    return StoryRow.from_row(rows[0]) if rows else None


def resolve_id(db: sqlite_utils.Database, story_id: str) -> str:
    """Follow merges to the surviving story."""
    seen: set[str] = set()
    while story_id not in seen:
        seen.add(story_id)
        row = db.execute("SELECT merged_into FROM stories WHERE id = ?", [story_id]).fetchone()
        if not row or not row[0]:
            return story_id
        story_id = row[0]
    return story_id


def update_counts(
    db: sqlite_utils.Database,
    story_id: str,
    *,
    article_count: int,
    outlet_count: int,
    source_count: int,
    last_updated: datetime,
    first_seen: datetime | None = None,
    headline: str | None = None,
) -> None:
    fields: dict[str, Any] = {
        "article_count": article_count,
        "outlet_count": outlet_count,
        "source_count": source_count,
        "last_updated": iso(last_updated),
    }
    if first_seen is not None:
        fields["first_seen"] = iso(first_seen)
    if headline:
        fields["headline"] = bounded_headline(headline)
    db.table("stories").update(story_id, fields)


def set_outlet_counts(
    db: sqlite_utils.Database, story_id: str, *, outlet_count: int, source_count: int
) -> bool:
    """The story's outlets and independent sources counted again (its outlets were decided
    anew: `bot.pipeline.story_upkeep.recount_feed_stories`); whether they changed."""
    cursor = db.execute(
        "UPDATE stories SET outlet_count = ?, source_count = ?"
        " WHERE id = ? AND (outlet_count != ? OR source_count != ?)",
        [outlet_count, source_count, story_id, outlet_count, source_count],
    )
    return cursor.rowcount > 0


def set_source_count(db: sqlite_utils.Database, story_id: str, source_count: int) -> None:
    """Only the independent sources, ahead of `update_counts` (the story's other counts wait)."""
    db.execute("UPDATE stories SET source_count = ? WHERE id = ?", [source_count, story_id])


def merge(
    db: sqlite_utils.Database, absorbed: str, survivor: str, *, now: datetime | None = None
) -> None:
    """Move the absorbed story's articles to the survivor and keep its slug as an alias."""
    row = get_story(db, absorbed)
    if row is None or absorbed == survivor:
        return
    now = now or utcnow()
    db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", [survivor, absorbed])
    db.execute("UPDATE story_aliases SET story_id = ? WHERE story_id = ?", [survivor, absorbed])
    db.execute(
        "INSERT OR IGNORE INTO story_aliases (slug, slug_key, story_id, created_at)"
        " VALUES (?, ?, ?, ?)",
        [row.slug, slugify(row.slug), survivor, iso(now)],
    )
    db.execute(
        "UPDATE stories SET merged_into = ?, article_count = 0 WHERE id = ?", [survivor, absorbed]
    )
    db.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", [survivor, absorbed])
    story_names.record_merge(db, absorbed, survivor, now)
    _merge_deliveries(db, absorbed, survivor)
    # A mute of either half is a mute of the merged story.
    db.execute(
        "INSERT OR IGNORE INTO muted_stories (channel_pk, story_id, created_at)"
        " SELECT channel_pk, ?, created_at FROM muted_stories WHERE story_id = ?",
        [survivor, absorbed],
    )
    first = db.execute(
        "SELECT MIN(first_seen) FROM stories WHERE id IN (?, ?)", [absorbed, survivor]
    ).fetchone()[0]
    db.execute("UPDATE stories SET first_seen = ? WHERE id = ?", [first, survivor])


def _merge_deliveries(db: sqlite_utils.Database, absorbed: str, survivor: str) -> None:
    """Leave each channel with at most one top-level post of the merged story.

    A channel that got the absorbed story has, in effect, seen the survivor. Where a channel has
    rows for both halves, the one that may already be in the channel (sent or sending) wins and
    carries the survivor's id; a pending loser is dropped, since nothing of it was posted. When
    both were posted, the survivor's post keeps the updates and the absorbed one stays as it was.
    """
    rows = db.execute(
        "SELECT id, story_id, channel_pk, state FROM deliveries"
        " WHERE kind = 'story' AND story_id IN (?, ?)",
        [absorbed, survivor],
    ).fetchall()
    by_channel: dict[int, dict[str, tuple[int, str]]] = {}
    for row_id, story_id, channel_pk, state in rows:
        by_channel.setdefault(channel_pk, {})[story_id] = (row_id, state)
    for channel_pk, found in by_channel.items():
        old, new = found.get(absorbed), found.get(survivor)
        if old is None:
            continue
        if new is not None:
            old_posted, new_posted = old[1] in ("sent", "sending"), new[1] in ("sent", "sending")
            if new_posted or not old_posted:
                if not old_posted:
                    db.execute("DELETE FROM deliveries WHERE id = ?", [old[0]])
                # The survivor's thread takes the updates; pending ones for the other post go.
                db.execute(
                    "DELETE FROM deliveries WHERE kind = 'update' AND story_id = ?"
                    " AND channel_pk = ? AND state = 'pending'",
                    [absorbed, channel_pk],
                )
                continue
            db.execute("DELETE FROM deliveries WHERE id = ?", [new[0]])
        db.execute(
            "UPDATE deliveries SET story_id = ? WHERE story_id = ? AND channel_pk = ?",
            [survivor, absorbed, channel_pk],
        )
        # Both halves may have had an update waiting; one is enough (it shows the latest state).
        db.execute(
            "DELETE FROM deliveries WHERE kind = 'update' AND story_id = ? AND channel_pk = ?"
            " AND state = 'pending' AND id NOT IN (SELECT MIN(id) FROM deliveries"
            " WHERE kind = 'update' AND story_id = ? AND channel_pk = ? AND state = 'pending')",
            [survivor, channel_pk, survivor, channel_pk],
        )


def posted_as(db: sqlite_utils.Database, story_id: str, channel_pk: int) -> list[str]:
    """The story ids this story's card in the channel may carry: its own first, then those of
    stories merged into it. A merge moves the absorbed story's row onto the survivor
    (`_merge_deliveries`), but a card already posted, or maybe posted, keeps the absorbed id it
    went out with. A merged story that still has a row of its own in the channel is left out:
    a card carrying its id is that row's post, not this one."""
    absorbed = db.execute(
        "SELECT id FROM stories WHERE merged_into = ? AND id NOT IN"
        " (SELECT story_id FROM deliveries WHERE kind = 'story' AND channel_pk = ?) ORDER BY id",
        [story_id, channel_pk],
    ).fetchall()
    return [story_id, *(r[0] for r in absorbed)]


def aliases(db: sqlite_utils.Database) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for slug, story_id in db.execute("SELECT slug, story_id FROM story_aliases"):
        grouped.setdefault(story_id, []).append(slug)
    return grouped


# A story's newest report: its newest article's publication time (never later than it was seen),
# else when seen. Not `last_updated`, the ingest time: a first poll stores days of items at once.
_LAST_REPORTED = (
    "(SELECT MAX(MIN(COALESCE(a.published, a.seen_at), COALESCE(a.seen_at, a.published)))"
    " FROM articles a WHERE a.story_id = stories.id)"
)


def recent_stories(
    db: sqlite_utils.Database,
    *,
    since: datetime | None = None,
    min_sources: int = 1,
    limit: int | None = None,
    reported_since: datetime | None = None,
    or_ids: Collection[str] = (),
) -> list[StoryRow]:
    """Live stories with `min_sources` independent sources or more, updated since `since` (or among
    `or_ids`, whenever updated) and last reported (`_LAST_REPORTED`) since `reported_since`. Most
    sources first, then the newest news by its first report (a poll stores a feed's newest-first
    items in order, so by `last_updated` alone the oldest led), then the latest updated."""
    # `+merged_into`: nearly every story is live, so `stories_merged_into` finds them all, and
    # SQLite would take it over `stories_last_updated`, the few updated since `since`.
    where = "+merged_into IS NULL AND article_count > 0 AND source_count >= ?"
    params: list[Any] = [min_sources]
    if since is not None and or_ids:
        where += " AND (last_updated >= ? OR id IN (SELECT value FROM json_each(?)))"
        params += [iso(since), json.dumps(list(or_ids))]
    elif since is not None:
        where += " AND last_updated >= ?"
        params.append(iso(since))
    if reported_since is not None:
        where += f" AND {_LAST_REPORTED} >= ?"
        params.append(iso(reported_since))
    order = "source_count DESC, first_seen DESC, last_updated DESC, id"
    rows = db["stories"].rows_where(where, params, order_by=order, limit=limit)
    return [StoryRow.from_row(r) for r in rows]


# A story still open to new articles: not merged away, updated since the window began.
_ACTIVE = "+merged_into IS NULL AND article_count > 0 AND last_updated >= ?"  # see recent_stories


def active_stories(db: sqlite_utils.Database, since: datetime) -> list[StoryRow]:
    rows = db["stories"].rows_where(
        _ACTIVE,
        [iso(since)],
        # The clusterer restores stories in this order at start; ties on first_seen keep the
        # creation order they had when the read went by stories_merged_into (rowid within a key),
        # not whatever order stories_last_updated hands them over in.
        order_by="first_seen, rowid",
    )
    return [StoryRow.from_row(r) for r in rows]


def count_active(db: sqlite_utils.Database, since: datetime) -> int:
    """How many stories `active_stories` would return (`newsdigest status`'s open stories)."""
    return int(
        db.execute(f"SELECT COUNT(*) FROM stories WHERE {_ACTIVE}", [iso(since)]).fetchone()[0]
    )


def newest_story(db: sqlite_utils.Database) -> StoryRow | None:
    """The live story first seen last (`newsdigest status`)."""
    rows = db["stories"].rows_where(
        "merged_into IS NULL AND article_count > 0", order_by="first_seen DESC, rowid DESC", limit=1
    )
    found = next(iter(rows), None)
    return StoryRow.from_row(found) if found else None
