"""The articles table, and deduplication: by (feed, GUID) through a unique index, then by canonical
URL and by (source, folded title) within a few days, checked before inserting. Only articles that
pass all three come back as new. A canonical URL shared with an item of the same feed counts only
with more evidence (same title or text): status pages and changelogs link every item to one index.
An entry whose article retention deleted is recognised by its tombstone (bot.store.tombstones),
and is not new either.

The title check only catches a republished article (new GUID, reworked URL): a title match counts
when a URL cannot tell the two apart, when both URLs name the same page, or when the texts agree.
A recurring title ("Morning briefing", "...: live updates") on a new page with new text is new."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from bot.models import Article
from bot.redact import hidden_in_text
from bot.store import old_guids, tombstones
from bot.store.database import iso, parse_iso
from bot.store.feed_outlets import outlet_key
from bot.store.summaries import invalidate_summary
from bot.textutil import fold, squash_spaces, words

# The same outlet and title within this window is one article republished, not a new one.
TITLE_DEDUPE_WINDOW = timedelta(days=3)
# Texts this close (word-level, on their openings) are one article lightly edited on republishing;
# daily editions under one title share their boilerplate but not most of their words.
SAME_TEXT_RATIO = 0.9
_TEXT_COMPARE_WORDS = 300
# Same-URL, same-feed items whose texts are compared with a new entry's (the most recent ones).
_SHARED_URL_TEXT_CHECKS = 20


def title_key(title: str) -> str:
    return squash_spaces(fold(title))


def article_id(source_key: str, guid: str) -> str:
    return hashlib.sha1(f"{source_key}\x00{guid}".encode()).hexdigest()[:16]


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
        if _known_entry(db, row):
            continue
        # Compared, and stored for comparing, without the marks of an AMP or mobile copy: an
        # aggregator linking the AMP page carries the outlet's article, not a second one. The
        # entry's id keeps the link as served, as retention's tombstones know it. Rows and
        # tombstones stored before this rule hold the link as served, so both forms are looked up.
        served = row.get("canonical_url") or None
        page = same_page_url(served) if served else None
        forms = [u for u in dict.fromkeys([page, served]) if u]
        if _pruned(db, row, forms):
            continue
        if _seen_before(db, row, page, forms):
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
                feed = db.execute(
                    "SELECT url, site_url, first_read_at FROM feeds WHERE id = ?", [feed_id]
                ).fetchone()
                feed_outlets[feed_id] = (
                    (outlet_key(feed[0], feed[1]), parse_iso(feed[2])) if feed else (None, None)
                )
            article = _to_article(record)
            # A feed not read before is being read now: this poll's entries are its backlog.
            article.outlet, article.feed_read_since = feed_outlets[feed_id]
            if feed_id is not None and article.feed_read_since is None:
                article.feed_read_since = article.seen
            new.append(article)
    return new


def entry_id(row: dict[str, Any]) -> str:
    """The id an entry is stored under: its feed (or outlet) and its GUID, else its URL or title."""
    guid = row.get("guid") or row.get("canonical_url") or row["title"]
    return article_id(str(row.get("feed_id") or row["source"]), guid)


def _old_key(row: dict[str, Any]) -> str | None:
    """The id the entry was stored under with its old GUID (`ParsedEntry.old_guid`)."""
    old = row.get("old_guid")
    return entry_id({**row, "guid": old}) if old else None


def _pruned(db: sqlite_utils.Database, row: dict[str, Any], urls: list[str]) -> bool:
    """Whether retention deleted this entry: a feed serving it again gets no new article. An
    entry with an old GUID (`bot.store.old_guids`) may be tombstoned under that."""
    if old_guids.pruned(db, row, _old_key(row)):
        # Also under the id of now: once the feed drops its control characters no old GUID is
        # worked out, and only this tombstone still knows the entry.
        tombstones.record(
            db,
            [
                tombstones.Tombstone(
                    entry_id(row), row.get("feed_id"), None, title_key(row["title"])
                )
            ],
            now=row["seen_at"],
        )
        return True
    return tombstones.matches(
        db,
        entry_key=entry_id(row),
        feed_id=row.get("feed_id"),
        canonical_urls=urls,
        title_key=title_key(row["title"]),
        now=row["seen_at"],
    )


def _known_entry(db: sqlite_utils.Database, row: dict[str, Any]) -> bool:
    """Whether this feed's entry (same feed and GUID) is stored already. If the publisher has
    corrected its title or text in place, the stored row takes the correction, so cards stop
    showing the wrong headline; it is no new article (not announced or posted again), but its
    story's cached summary is dropped so the card is rebuilt from the corrected text. Compared
    after squashing whitespace: a feed that re-serialises every entry each poll causes no rebuild.
    """
    guid = row.get("guid")
    if not guid:
        return False  # keyed by URL or title: there is nothing to recognise a correction by
    stored = db.execute(
        "SELECT id, title, text, story_id FROM articles WHERE id = ?", [entry_id(row)]
    ).fetchone()
    if stored is None:
        stored = old_guids.stored_article(db, row, _old_key(row))
    if stored is None:
        return False
    key, old_title, old_text, story_id = stored
    title = squash_spaces(row["title"])
    # An entry that lost its text (a feed trimming old items to titles) is no correction of it.
    text = row.get("text") or old_text
    if title == squash_spaces(old_title) and squash_spaces(text) == squash_spaces(old_text):
        return True
    db.execute(
        "UPDATE articles SET title = ?, title_key = ?, text = ? WHERE id = ?",
        [row["title"], title_key(row["title"]), text, key],
    )
    if story_id is not None:
        invalidate_summary(db, story_id)
    return True


def _seen_before(
    db: sqlite_utils.Database, row: dict[str, Any], url: str | None, forms: list[str]
) -> bool:
    """The same article under another GUID: its canonical URL (`url`, or any of its `forms`) when
    `_same_page_repeat` says so, or its outlet and title within a few days when `_republished`
    says so (a recurring "Morning briefing" next week is a new article)."""
    from bot.ingest.normalize import is_homepage  # see `tombstones.url_key`

    pages = [u for u in forms if not is_homepage(u)]
    if pages and _same_page_repeat(db, row, pages):
        return True
    when = row.get("published") or row["seen_at"]
    low, high = iso(when - TITLE_DEDUPE_WINDOW), iso(when + TITLE_DEDUPE_WINDOW)
    same_title = db.execute(
        "SELECT canonical_url, text FROM articles WHERE source = ? AND title_key = ?"
        " AND COALESCE(published, seen_at) BETWEEN ? AND ?",
        [row["source"], title_key(row["title"]), low, high],
    ).fetchall()
    return any(
        _republished(url, row.get("text") or "", other_url, other_text or "")
        for other_url, other_text in same_title
    )


def _same_page_repeat(db: sqlite_utils.Database, row: dict[str, Any], urls: list[str]) -> bool:
    """Whether a stored article with one of these canonical URLs is this entry again. A shared URL alone is
    no proof: a status page or changelog links every item to one index (/incidents), like the
    home page some feeds give every item. So it counts when the other copy came from another feed
    (a republish: the aggregator and the outlet), has the same folded title (a GUID that changes
    every poll), or the same text (a retitled republish)."""
    marks = ", ".join("?" * len(urls))
    other_feed_or_title = db.execute(
        f"SELECT 1 FROM articles WHERE canonical_url IN ({marks})"
        " AND (feed_id IS NOT ? OR source IS NOT ? OR title_key = ?) LIMIT 1",
        [*urls, row.get("feed_id"), row["source"], title_key(row["title"])],
    ).fetchone()
    if other_feed_or_title:
        return True
    # Bounded: an index page shared by hundreds of incidents compares against the latest few.
    texts = db.execute(
        f"SELECT text FROM articles WHERE canonical_url IN ({marks}) ORDER BY seen_at DESC LIMIT ?",
        [*urls, _SHARED_URL_TEXT_CHECKS],
    ).fetchall()
    text = row.get("text") or ""
    return any(_same_text(text, other or "") for (other,) in texts)


def _republished(url: str | None, text: str, other_url: str | None, other_text: str) -> bool:
    """Whether two items with the same outlet and title, days apart at most, are one article."""
    from bot.ingest.normalize import is_homepage  # see `tombstones.url_key`

    if not url or not other_url or is_homepage(url) or is_homepage(other_url):
        return True  # nothing to tell them apart by but the title: the old, cautious rule
    if _page_key(url) == _page_key(other_url):
        return True  # a query (?output=amp, a session id) or scheme change, same page
    return _same_text(text, other_text)


def _page_key(url: str) -> tuple[str, str]:
    """The page a URL names, as URL dedupe compares them: without the marks of an AMP or mobile
    copy (`same_page_url`; a row stored before that rule keeps its AMP link), nor a www. label."""
    from bot.ingest.normalize import same_page_url  # see `tombstones.url_key`

    parts = urlsplit(same_page_url(url))
    host = (parts.hostname or "").removeprefix("www.")
    return host, parts.path.rstrip("/")


def _same_text(a: str, b: str) -> bool:
    # Empty text is no evidence: title-only feeds would otherwise merge every daily edition.
    # Sliced before tokenising: a book-length body must not be folded whole for an opening.
    wa = words(a[: _TEXT_COMPARE_WORDS * 20])[:_TEXT_COMPARE_WORDS]
    wb = words(b[: _TEXT_COMPARE_WORDS * 20])[:_TEXT_COMPARE_WORDS]
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    matcher = SequenceMatcher(None, wa, wb, autojunk=False)
    return (
        matcher.real_quick_ratio() >= SAME_TEXT_RATIO
        and matcher.quick_ratio() >= SAME_TEXT_RATIO
        and matcher.ratio() >= SAME_TEXT_RATIO
    )


# Articles with their feed's address and site link, which say which outlet published them.
_SELECT = (
    "SELECT a.*, f.url AS feed_url, f.site_url AS feed_site, f.first_read_at AS feed_first_read"
    " FROM articles a"
    " LEFT JOIN feeds f ON f.id = a.feed_id"
)
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
        outlet=outlet_key(row.get("feed_url"), row.get("feed_site")),
        feed_read_since=parse_iso(row.get("feed_first_read")),
    )


def set_story(db: sqlite_utils.Database, article_id_: str, story_id: str, idf: bytes = b"") -> bool:
    """File the article under its story, with the IDF it was clustered with (see `clustered`).
    Only an unfiled article: False, and nothing written, when it has a story already (another
    process filed it) or is gone."""
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
    return True


def clustered(db: sqlite_utils.Database, ids: Sequence[str]) -> dict[str, tuple[Article, bytes]]:
    """Articles by id, each with the IDF it was clustered with (b"" when none was kept), for the
    clusterer to take up its open stories again after a restart."""
    out: dict[str, tuple[Article, bytes]] = {}
    for start in range(0, len(ids), 500):  # under SQLite's limit on bound parameters
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" for _ in chunk)
        rows = db.execute_returning_dicts(
            f"SELECT a.*, f.url AS feed_url, f.site_url AS feed_site,"
            f" f.first_read_at AS feed_first_read, w.idf AS clustered_idf FROM articles a"
            f" LEFT JOIN feeds f ON f.id = a.feed_id"
            f" LEFT JOIN article_weights w ON w.article_id = a.id WHERE a.id IN ({marks})",
            chunk,
        )
        for row in rows:
            out[row["id"]] = (_to_article(row), row["clustered_idf"] or b"")
    return out


def story_articles(db: sqlite_utils.Database, story_id: str) -> list[Article]:
    rows = db.execute_returning_dicts(f"{_SELECT} WHERE a.story_id = ?{_ORDER}", [story_id])
    return [_to_article(r) for r in rows]


def articles_for_stories(
    db: sqlite_utils.Database, story_ids: Sequence[str]
) -> dict[str, list[Article]]:
    grouped: dict[str, list[Article]] = {sid: [] for sid in story_ids}
    if not story_ids:
        return grouped
    marks = ",".join("?" for _ in story_ids)
    rows = db.execute_returning_dicts(
        f"{_SELECT} WHERE a.story_id IN ({marks}){_ORDER}",
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


def unclustered(db: sqlite_utils.Database) -> list[Article]:
    rows = db.execute_returning_dicts(f"{_SELECT} WHERE a.story_id IS NULL{_ORDER}")
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
