"""Feed URLs stored before their spelling was made one (`bot.feedurls.normalize_feed_url`),
rewritten in it: migration 12 (scheme and host case, default ports, fragments) and migration 26
(percent-escapes: `a%60b` and `a`b`, `%7e` and `~`).

A row left in an old spelling would no longer match the config's URL, read in the normal one: the
next sync would drop it and add it anew, losing its polling state; and a feed added in the normal
spelling would be a second row polling the same address.

Two rows may already hold two spellings of one URL, stored when they still counted as two feeds.
`feeds.url` is UNIQUE, so only one can hold the normal spelling: the row already in it, else the
oldest; the other keeps its own, with a warning naming both. They are not merged: each has its
articles (keyed by feed id and GUID, and the two feeds' GUIDs are the same entries), tombstones,
validators and origin, and combining them inside an upgrade could lose or double what was
posted. Both keep being polled as before the upgrade, until someone removes one by its id;
until then `feeds list` marks each "same feed as #N" (`same_feeds`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

import sqlite_utils

from bot.feedurls import normalize_feed_url

log = logging.getLogger(__name__)


def respell_feed_urls(db: sqlite_utils.Database) -> None:
    """Every feed's url and config_url in the normal spelling, but a url another row has."""
    rows = db.execute("SELECT id, url, config_url FROM feeds ORDER BY id").fetchall()
    holder = {url: feed_id for feed_id, url, _ in rows}
    for feed_id, url, config_url in rows:
        normal = normalize_feed_url(url)
        if normal != url:
            other = holder.get(normal)
            if other is None:
                db.execute("UPDATE feeds SET url = ? WHERE id = ?", [normal, feed_id])
                del holder[url]
                holder[normal] = feed_id
            else:
                log.warning(
                    "feed %d (%s) is feed %d (%s) spelt another way; both are kept and polled"
                    " as before: remove one with `newsdigest feeds remove <id>`",
                    feed_id, url, other, normal,
                )  # fmt: skip
        # config_url is matched, not unique: two rows naming one config entry are found alike.
        if config_url is not None and normalize_feed_url(config_url) != config_url:
            db.execute(
                "UPDATE feeds SET config_url = ? WHERE id = ?",
                [normalize_feed_url(config_url), feed_id],
            )


def same_feeds(feeds: Iterable[tuple[int, str]]) -> dict[int, list[int]]:
    """For each feed (id, url) that another one's URL spells otherwise (`respell_feed_urls` kept
    both), the ids of those others, in order."""
    by_spelling: dict[str, list[int]] = defaultdict(list)
    for feed_id, url in feeds:
        by_spelling[normalize_feed_url(url)].append(feed_id)
    return {
        feed_id: [other for other in ids if other != feed_id]
        for ids in by_spelling.values()
        if len(ids) > 1
        for feed_id in ids
    }
