"""Which entries are articles stored already, checked before `articles.insert_new` inserts one:
the same feed and GUID (its correction in place taken), an entry retention deleted (its tombstone,
`bot.store.tombstones`, or under an old GUID, `bot.store.old_guids`), then the same canonical URL
or the same (source, folded title) within a few days. Also the keys articles are stored and
compared under (`article_id`, `entry_id`, `title_key`), which retention and migrations use too.

A canonical URL shared with an item of the same feed counts only with more evidence (same title
or text): status pages and changelogs link every item to one index. A copy another feed stored
first counts, unless the new entry's feed is the page's own site's and that feed is not: then it
is the outlet's own article after an aggregator's link to it (or a feed claiming the outlet's
pages), and both are stored, so no feed can keep an outlet's article out by listing its address
first. The title check only catches
a republished article (new GUID, reworked URL): a title match counts when a URL cannot tell the
two apart, when both URLs name the same page, or when the texts agree. A recurring title
("Morning briefing", "...: live updates") on a new page with new text is new."""

from __future__ import annotations

import functools
import hashlib
from datetime import timedelta
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from bot.domains import registrable_domain
from bot.store import old_guids, tombstones
from bot.store.database import iso
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


def entry_id(row: dict[str, Any]) -> str:
    """The id an entry is stored under: its feed (or outlet) and its GUID, else its URL or title."""
    guid = row.get("guid") or row.get("canonical_url") or row["title"]
    return article_id(str(row.get("feed_id") or row["source"]), guid)


def _old_key(row: dict[str, Any]) -> str | None:
    """The id the entry was stored under with its old GUID (`ParsedEntry.old_guid`)."""
    old = row.get("old_guid")
    return entry_id({**row, "guid": old}) if old else None


def pruned(db: sqlite_utils.Database, row: dict[str, Any], urls: list[str]) -> bool:
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
            served=True,
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


def known_entry(db: sqlite_utils.Database, row: dict[str, Any]) -> bool:
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


def seen_before(
    db: sqlite_utils.Database, row: dict[str, Any], url: str | None, forms: list[str]
) -> bool:
    """The same article under another GUID: its canonical URL (`url`, or any of its `forms`) when
    `_same_page_repeat` says so, or its outlet and title within a few days when `_republished`
    says so (a recurring "Morning briefing" next week is a new article)."""
    from bot.ingest.normalize import is_homepage  # see `tombstones.url_key`

    pages = [u for u in forms if not is_homepage(u)]
    publishers = _Publishers(db, pages[0] if pages else None)
    if pages and _same_page_repeat(db, row, pages, publishers):
        return True
    when = row.get("published") or row["seen_at"]
    low, high = iso(when - TITLE_DEDUPE_WINDOW), iso(when + TITLE_DEDUPE_WINDOW)
    same_title = db.execute(
        "SELECT canonical_url, text, feed_id FROM articles WHERE source = ? AND title_key = ?"
        " AND COALESCE(published, seen_at) BETWEEN ? AND ?",
        [row["source"], title_key(row["title"]), low, high],
    ).fetchall()
    return any(
        _republished(url, row.get("text") or "", other_url, other_text or "")
        and not publishers.outranks(row.get("feed_id"), [feed_id])
        for other_url, other_text, feed_id in same_title
    )


class _Publishers:
    """Which feeds publish the page an entry links to: those whose own address or site link is
    on the page's site (its registrable domain). Looked up once a feed, and only when asked."""

    def __init__(self, db: sqlite_utils.Database, page: str | None) -> None:
        self._db = db
        self._page = page
        self._known: dict[Any, bool] = {}

    @functools.cached_property
    def _site(self) -> str | None:
        # A public-suffix lookup: most entries share no link with another feed's, and never ask.
        return _site_of(self._page)

    def publishes(self, feed_id: Any) -> bool:
        if feed_id is None or self._site is None:
            return False
        if feed_id not in self._known:
            links = self._db.execute(
                "SELECT url, site_url FROM feeds WHERE id = ?", [feed_id]
            ).fetchone()
            self._known[feed_id] = links is not None and self._site in map(_site_of, links)
        return self._known[feed_id]

    def outranks(self, feed_id: Any, others: list[Any]) -> bool:
        """Whether `feed_id` publishes the page and none of `others` does: its entry is the
        outlet's own article, not a repeat of theirs."""
        return self.publishes(feed_id) and not any(map(self.publishes, others))


def _site_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return registrable_domain(host, private=True)


def _same_page_repeat(
    db: sqlite_utils.Database, row: dict[str, Any], urls: list[str], publishers: _Publishers
) -> bool:
    """Whether a stored article with one of these canonical URLs is this entry again. A shared URL alone is
    no proof: a status page or changelog links every item to one index (/incidents), like the
    home page some feeds give every item. So it counts when the other copy came from another feed
    (a republish: the aggregator and the outlet) unless this entry's feed publishes the page and
    theirs does not (`_Publishers.outranks`), has the same folded title (a GUID that changes
    every poll), or the same text (a retitled republish)."""
    marks = ", ".join("?" * len(urls))
    feed_id, source = row.get("feed_id"), row["source"]
    # One read of the page's copies: whose they are, and whether this feed's has this title.
    copies = db.execute(
        "SELECT DISTINCT feed_id, feed_id IS ? AND source IS ?, IFNULL(title_key = ?, 0)"
        f" FROM articles WHERE canonical_url IN ({marks})",
        [feed_id, source, title_key(row["title"]), *urls],
    ).fetchall()
    if any(own and same_title for _, own, same_title in copies):
        return True
    # Bounded: a page linked by many feeds is one outlet's or a few aggregators'.
    other_feeds = list(dict.fromkeys(other for other, own, _ in copies if not own))[:20]
    if other_feeds and not publishers.outranks(feed_id, other_feeds):
        return True
    # Bounded: an index page shared by hundreds of incidents compares against the latest few.
    texts = db.execute(
        f"SELECT text FROM articles WHERE canonical_url IN ({marks})"
        " AND feed_id IS ? AND source IS ? ORDER BY seen_at DESC LIMIT ?",
        [*urls, feed_id, source, _SHARED_URL_TEXT_CHECKS],
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
