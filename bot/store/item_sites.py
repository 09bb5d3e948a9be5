"""Feeds whose outlet is the site their items link to, not their site link's (migration 50).

A feed's outlet is its channel <link>'s site (`bot.store.feed_outlets.outlet_key`), which keeps a
paper's section feeds one outlet. Three feeds of three publishers that all carried one placeholder
link (`http://example.org/`, a generator's default), each with every item on its own site, were
then one outlet: their story read "1 source tracking this story" above three outlets on three
sites, and the digest held it back for too few sources. So each poll keeps the site its items
link to when they all link to one (`items_site`, the `item_site` column; at least `MIN_ITEMS`
of them: one link is no habit), and a feed goes by that site (the `outlet_site` column) when:

- its items' site is another domain than the site link's, and
- the site link is a placeholder (example.com, .net, .org: `PLACEHOLDER_DOMAINS`), or it is
  shared by feeds whose items link to at least two different domains, none of them the site
  link's own.

What stays as it was, in the real feeds checked (200 captured sites and the feed-rs and miniflux
captures, /work/shared/data/feeds): a paper's section feeds, their items on the site link's
domain or on one other (BBC World's link is bbc.co.uk, its items bbc.com: one domain, nothing
distinct); an aggregator (Planet Clojure, Google News) whose items link to many sites, which
have no one site; a podcast host's feeds (items on share.transistor.fm: one more outlet per
podcast, never merged under the host) and FeedBurner's (items on feedproxy.google.com), each
with a site link of its own, shared by no other feed. A site link some feed's items are on is a
site, and none of the feeds sharing it moves.

The decision depends on every feed sharing the link, so it is made when a poll changes a feed's
site link, address or items' site (`settle`), for all feeds at once, and stored: reading an
article's outlet (`bot.store.articles`) stays one joined column.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from bot.domains import registrable_domain
from bot.store.feed_outlets import outlet_key, site_key
from bot.store.schema_v2 import add_column

# Names reserved for documentation (RFC 2606): a site link to one names no site at all.
PLACEHOLDER_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
MIN_ITEMS = 2  # items with links a feed needs before its items' site counts


@dataclass(frozen=True, slots=True)
class FeedSites:
    """What decides one feed's outlet: its address, its site link and its items' site."""

    id: int
    url: str
    site_url: str | None
    item_site: str | None


def items_site(urls: Iterable[str | None]) -> str | None:
    """The site (as `outlet_key` writes one) every one of these item links is on; None when
    they are on several, or fewer than `MIN_ITEMS` name a site."""
    sites: set[str | None] = set()
    count = 0
    for url in urls:
        if url:
            sites.add(site_key(url))
            count += 1
            if len(sites) > 1:
                return None
    site = next(iter(sites), None)
    return site if count >= MIN_ITEMS else None


def _domain(key: str) -> str:
    host = key.split("/", 1)[0]
    return registrable_domain(host, private=True) or host


def item_outlets(feeds: Sequence[FeedSites]) -> dict[int, str]:
    """The feeds of `feeds` that go by their items' site (see the module doc), by id."""
    groups: dict[str, list[FeedSites]] = defaultdict(list)
    for feed in feeds:
        key = outlet_key(feed.url, feed.site_url)
        if key is not None:
            groups[key].append(feed)
    out: dict[int, str] = {}
    for key, members in groups.items():
        home = _domain(key)
        foreign = [f for f in members if f.item_site and _domain(f.item_site) != home]
        if len(foreign) != sum(1 for f in members if f.item_site):
            continue  # some feed's items are on the link's own site: the link is a site
        domains = {_domain(f.item_site) for f in foreign if f.item_site}
        if len(domains) >= 2 or (domains and home in PLACEHOLDER_DOMAINS):
            out.update((f.id, f.item_site) for f in foreign if f.item_site)
    return out


def feed_outlet(url: str | None, site_url: str | None, outlet_site: str | None) -> str | None:
    """The outlet a feed's articles count under: its items' site when `item_outlets` chose it,
    else its site link's (`outlet_key`)."""
    return outlet_site or outlet_key(url, site_url)


def settle(
    db: sqlite_utils.Database,
    feed_id: int,
    item_site: str | None,
    *,
    was: tuple[str | None, str | None, str | None, str | None],
) -> set[int]:
    """Store the feed's `item_site` after its poll wrote its address and site link, and decide
    again which feeds go by their items' site when its outlet may have changed. `was`: the
    feed's (url, site_url, item_site, outlet_site) before the poll. Returns the feeds whose
    outlet changed (their stories' counts are stale)."""
    url, site_url, old_item, old_outlet = was
    row = db.execute("SELECT url, site_url FROM feeds WHERE id = ?", [feed_id]).fetchone()
    if row is None:
        return set()
    moved = outlet_key(row[0], row[1]) != outlet_key(url, site_url)
    if item_site == old_item and not moved:
        return set()
    if item_site != old_item:
        db.execute("UPDATE feeds SET item_site = ? WHERE id = ?", [item_site, feed_id])
    # Only the feeds sharing its link before or after can have changed: a first poll pass of a
    # thousand new feeds, each moving off its feed URL's key, decides a thousand small groups.
    changed = _decide(db, {outlet_key(url, site_url), outlet_key(row[0], row[1])})
    new_outlet = changed.get(feed_id, old_outlet)
    own_changed = feed_outlet(row[0], row[1], new_outlet) != feed_outlet(url, site_url, old_outlet)
    return set(changed) | ({feed_id} if own_changed else set())


def _decide(db: sqlite_utils.Database, keys: set[str | None]) -> dict[int, str | None]:
    """Store `item_outlets` over the feeds whose site link's key is one of `keys`; returns the
    feeds whose choice changed, with it."""
    wanted = {key for key in keys if key}
    if not wanted:
        return {}
    # A key's host is in the site link or address of every feed it is the key of: SQLite
    # picks those few out, and Python keeps the ones whose key it is.
    hosts = sorted({key.split("/", 1)[0] for key in wanted})
    near = " OR ".join("instr(lower(COALESCE(site_url, '') || ' ' || url), ?)" for _ in hosts)
    rows = [
        r
        for r in db.execute(
            f"SELECT id, url, site_url, item_site, outlet_site FROM feeds WHERE {near}", hosts
        )
        if outlet_key(r[1], r[2]) in wanted
    ]
    chosen = item_outlets([FeedSites(r[0], r[1], r[2], r[3]) for r in rows])
    changed = {r[0]: chosen.get(r[0]) for r in rows if chosen.get(r[0]) != r[4]}
    db.conn.executemany(
        "UPDATE feeds SET outlet_site = ? WHERE id = ?",
        [(site, feed_id) for feed_id, site in changed.items()],
    )
    return changed


def m050_item_sites(db: sqlite_utils.Database) -> None:
    """Migration 50: the site a feed's items link to, and the outlet it goes by for it; both
    empty until each feed's next poll."""
    add_column(db, "feeds", "item_site", "TEXT")
    add_column(db, "feeds", "outlet_site", "TEXT")
