"""The articles table: new entries stored, their stories filed, and articles read back with the
outlet their feed names. Only entries that are no duplicate (`bot.store.duplicates`: the same feed
and GUID, also the table's unique index, the same canonical URL, or the same source and folded
title within a few days) are stored and come back as new; an entry whose article retention
deleted is recognised by its tombstone (bot.store.tombstones), and is not new either."""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from bot.models import Article
from bot.redact import hidden_in_text
from bot.store import article_profiles
from bot.store.database import iso, parse_iso
from bot.store.duplicates import entry_id, known_entry, pruned, seen_before, title_key
from bot.store.item_sites import feed_outlet


def insert_new(
    db: sqlite_utils.Database,
    rows: Iterable[dict[str, Any]],
) -> list[Article]:
    """Insert articles, skipping duplicates; return only the ones that were new.

    Each row: feed_id, source, guid, url, canonical_url, title, text, author, published, seen_at;
    and optionally old_guid (`ParsedEntry.old_guid`), under which it may be stored already.
    """
    from bot.ingest.normalize import same_page_url  # see `tombstones.url_key`

    new: list[Article] = []
    feed_outlets: dict[Any, tuple[str | None, datetime | None]] = {}
    for row in rows:
        if known_entry(db, row):
            continue
        # Compared, and stored for comparing, without the marks of an AMP or mobile copy: an
        # aggregator linking the AMP page carries the outlet's article, not a second one. The
        # entry's id keeps the link as served, as retention's tombstones know it. Rows and
        # tombstones stored before this rule hold the link as served, so both forms are looked up.
        served = row.get("canonical_url") or None
        page = same_page_url(served) if served else None
        forms = [u for u in dict.fromkeys([page, served]) if u]
        if pruned(db, row, forms):
            continue
        if seen_before(db, row, page, forms):
            continue
        record = {
            "id": entry_id(row),
            "feed_id": row.get("feed_id"),
            "source": row["source"],
            "guid": row.get("guid"),
            "url": row.get("url"),
            "canonical_url": page,
            "title": row["title"],
            "title_key": title_key(row["title"]),
            "text": row.get("text") or "",
            "author": row.get("author"),
            "published": iso(row.get("published")),
            "seen_at": iso(row["seen_at"]),
        }
        cursor = db.execute(
            "INSERT OR IGNORE INTO articles (id, feed_id, source, guid, url, canonical_url, title,"
            " title_key, text, author, published, seen_at) VALUES (:id, :feed_id, :source, :guid,"
            " :url, :canonical_url, :title, :title_key, :text, :author, :published, :seen_at)",
            record,
        )
        if cursor.rowcount:
            feed_id = record["feed_id"]
            if feed_id not in feed_outlets:
                found = list(
                    db.query(
                        "SELECT url, site_url, first_read_at,"
                        f" {_outlet_site(db).removeprefix('f.')} AS outlet_site"
                        " FROM feeds WHERE id = ?",
                        [feed_id],
                    )
                )
                feed = found[0] if found else None
                feed_outlets[feed_id] = (
                    (
                        feed_outlet(feed["url"], feed["site_url"], feed["outlet_site"]),
                        parse_iso(feed["first_read_at"]),
                    )
                    if feed
                    else (None, None)
                )
            article = _to_article(record)
            # A feed not read before is being read now: this poll's entries are its backlog.
            article.outlet, article.feed_read_since = feed_outlets[feed_id]
            if feed_id is not None and article.feed_read_since is None:
                article.feed_read_since = article.seen
            new.append(article)
    return new


# Articles with their feed's address, site link and the site its items link to when that
# decides its outlet (`bot.store.item_sites`), which say which outlet published them.
_SELECT = (
    "SELECT a.*, f.url AS feed_url, f.site_url AS feed_site, f.first_read_at AS feed_first_read,"
    " {outlet_site} AS feed_outlet_site FROM articles a"
    " LEFT JOIN feeds f ON f.id = a.feed_id"
)
# Databases known to have migration 50's column. Reading one the migrations have not reached
# yet (an upgrade's tests build such files with today's code) reads none: its feeds go by
# their site links, as they did.
_MIGRATED: weakref.WeakSet[sqlite_utils.Database] = weakref.WeakSet()


def _outlet_site(db: sqlite_utils.Database) -> str:
    """The SQL for a joined feed's `outlet_site`: NULL before migration 50."""
    if db not in _MIGRATED:
        if "outlet_site" not in db["feeds"].columns_dict:
            return "NULL"
        _MIGRATED.add(db)
    return "f.outlet_site"


def _select(db: sqlite_utils.Database) -> str:
    return _SELECT.format(outlet_site=_outlet_site(db))


_ORDER = " ORDER BY COALESCE(a.published, a.seen_at), a.id"


def _to_article(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"],
        # Stored before `outlet_name` hid addresses in names: hidden as it is now.
        source=hidden_in_text(row["source"]) if row["source"] else row["source"],
        title=row["title"],
        text=row["text"],
        url=row["url"],
        published=parse_iso(row["published"]),
        feed_id=row["feed_id"],
        seen=parse_iso(row["seen_at"]),
        outlet=feed_outlet(row.get("feed_url"), row.get("feed_site"), row.get("feed_outlet_site")),
        feed_read_since=parse_iso(row.get("feed_first_read")),
    )


def set_story(
    db: sqlite_utils.Database,
    article_id_: str,
    story_id: str,
    idf: bytes = b"",
    raw: bytes = b"",
) -> bool:
    """File the article under its story, with the IDF it was clustered with and what its text
    yielded the clusterer (see `clustered`). Only an unfiled article: False, and nothing written,
    when it has a story already (another process filed it) or is gone."""
    cursor = db.execute(
        "UPDATE articles SET story_id = ? WHERE id = ? AND story_id IS NULL",
        [story_id, article_id_],
    )
    if cursor.rowcount != 1:
        return False
    if idf:
        db.execute(
            "INSERT OR REPLACE INTO article_weights (article_id, idf) VALUES (?, ?)",
            [article_id_, idf],
        )
    if raw:
        article_profiles.keep(db, article_id_, raw)
    return True


def clustered(
    db: sqlite_utils.Database, ids: Sequence[str]
) -> dict[str, tuple[Article, bytes, bytes]]:
    """Articles by id, each with the IDF it was clustered with and what its text yielded the
    clusterer (b"" when none was kept), for the clusterer to take up its open stories again
    after a restart."""
    out: dict[str, tuple[Article, bytes, bytes]] = {}
    for start in range(0, len(ids), 500):  # under SQLite's limit on bound parameters
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" for _ in chunk)
        rows = db.execute_returning_dicts(
            f"SELECT a.*, f.url AS feed_url, f.site_url AS feed_site,"
            f" {_outlet_site(db)} AS feed_outlet_site,"
            f" f.first_read_at AS feed_first_read, w.idf AS clustered_idf,"
            f" p.profile AS clustered_raw FROM articles a"
            f" LEFT JOIN feeds f ON f.id = a.feed_id"
            f" LEFT JOIN article_weights w ON w.article_id = a.id"
            f" LEFT JOIN article_profiles p ON p.article_id = a.id WHERE a.id IN ({marks})",
            chunk,
        )
        for row in rows:
            kept = (row["clustered_idf"] or b"", row["clustered_raw"] or b"")
            out[row["id"]] = (_to_article(row), *kept)
    return out


def story_articles(db: sqlite_utils.Database, story_id: str) -> list[Article]:
    rows = db.execute_returning_dicts(f"{_select(db)} WHERE a.story_id = ?{_ORDER}", [story_id])
    return [_to_article(r) for r in rows]


def articles_for_stories(
    db: sqlite_utils.Database, story_ids: Sequence[str]
) -> dict[str, list[Article]]:
    grouped: dict[str, list[Article]] = {sid: [] for sid in story_ids}
    if not story_ids:
        return grouped
    marks = ",".join("?" for _ in story_ids)
    rows = db.execute_returning_dicts(
        f"{_select(db)} WHERE a.story_id IN ({marks}){_ORDER}",
        list(story_ids),
    )
    for row in rows:
        grouped[row["story_id"]].append(_to_article(row))
    return grouped


def member_titles(db: sqlite_utils.Database, story_ids: list[str]) -> dict[str, list[str]]:
    """Each story's article titles in first-report order (what `/story` words also search)."""
    grouped: dict[str, list[str]] = {}
    rows = db.execute(
        "SELECT story_id, title FROM articles WHERE story_id IN (SELECT value FROM json_each(?))"
        " ORDER BY COALESCE(published, seen_at), id",
        [json.dumps(story_ids)],
    )
    for story_id, title in rows:
        grouped.setdefault(story_id, []).append(title)
    return grouped


def still_unclustered(db: sqlite_utils.Database, articles: Sequence[Article]) -> list[Article]:
    """Those of `articles` stored and without a story now, in their order."""
    ids = json.dumps([a.id for a in articles])
    query = (
        "SELECT id FROM articles WHERE story_id IS NULL AND id IN (SELECT value FROM json_each(?))"
    )
    free = {row[0] for row in db.execute(query, [ids])}
    return [a for a in articles if a.id in free]


def any_unclustered(db: sqlite_utils.Database) -> bool:
    """Whether some stored article has no story yet (one index probe)."""
    return (
        db.execute("SELECT 1 FROM articles WHERE story_id IS NULL LIMIT 1").fetchone() is not None
    )


def unclustered(db: sqlite_utils.Database) -> list[Article]:
    rows = db.execute_returning_dicts(f"{_select(db)} WHERE a.story_id IS NULL{_ORDER}")
    return [_to_article(r) for r in rows]


def count(db: sqlite_utils.Database, since: datetime | None = None) -> int:
    if since is None:
        return db["articles"].count
    return db.execute("SELECT COUNT(*) FROM articles WHERE seen_at >= ?", [iso(since)]).fetchone()[
        0
    ]


def story_of_url(db: sqlite_utils.Database, url: str) -> str | None:
    """The story holding the article at `url` (as a reader pastes it: with tracking
    parameters, the AMP or mobile copy, http for https, with or without www. or a trailing
    `/`), newest first;
    None when no clustered article has it. The story may since have been merged away: the
    caller resolves that."""
    from bot.ingest.normalize import canonical_url, same_page_url  # see `tombstones.url_key`

    page = canonical_url(url)
    forms = [page, same_page_url(page)]
    for form in list(forms):
        parts = urlsplit(form)
        host = parts.netloc
        other_host = host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"
        # `/news/x/` and `/news/x` are one page on nearly every site; a feed and a reader's
        # address bar often disagree on the slash. The site's root keeps its one `/`.
        path = parts.path
        other_path = path.rstrip("/") if path.endswith("/") else f"{path}/"
        paths = (path, other_path) if other_path.strip("/") else (path,)
        for scheme in ("https", "http"):
            for netloc in (host, other_host):
                for each in paths:
                    forms.append(parts._replace(scheme=scheme, netloc=netloc, path=each).geturl())
    wanted = list(dict.fromkeys(forms))
    marks = ", ".join("?" * len(wanted))
    row = db.execute(
        f"SELECT story_id FROM articles WHERE canonical_url IN ({marks})"
        " AND story_id IS NOT NULL ORDER BY seen_at DESC LIMIT 1",
        wanted,
    ).fetchone()
    return row[0] if row else None
