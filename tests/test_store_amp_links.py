"""The same article linked by its AMP or mobile address (an aggregator's feed often does) is the
article its outlet's feed links by the canonical address: stored once, so a story does not count
the aggregator's copy as a second article. Links are compared that way only: each keeps its own
address for display, and addresses that merely contain "amp" or "m" stay apart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer
from bot.ingest.normalize import same_page_url
from bot.pipeline.poll import poll_feeds
from bot.store import articles, duplicates, tombstones
from bot.store import feeds as feed_store

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
T0 = datetime(2030, 1, 1, tzinfo=UTC)
PAGE = "https://news.example.com/world/2030/01/harbor-bridge-closes"


def _feed(title: str, guid: str, link: str) -> bytes:
    return f"""<rss version="2.0"><channel><title>{title}</title>
<item><guid>{guid}</guid><title>Millbrook closes its harbor bridge</title>
  <description>Cracks were found in the main span after the storm.</description>
  <link>{link}</link></item>
</channel></rss>""".encode()


@pytest.mark.parametrize(
    "amp",
    [
        "https://amp.news.example.com/world/2030/01/harbor-bridge-closes",
        "https://m.news.example.com/world/2030/01/harbor-bridge-closes",
        "https://news.example.com/amp/world/2030/01/harbor-bridge-closes",
        "https://news.example.com/world/2030/01/harbor-bridge-closes/amp",
        "https://news.example.com/world/2030/01/harbor-bridge-closes.amp",
        "https://news.example.com/world/2030/01/harbor-bridge-closes?outputType=amp",
        "https://news.example.com/world/2030/01/harbor-bridge-closes?amp=1",
    ],
)
async def test_an_amp_link_from_another_feed_is_the_same_article(
    server: FeedServer, db: sqlite_utils.Database, amp: str
) -> None:
    server.route("/outlet", _feed("Example News", "en-1", PAGE))
    server.route("/aggregator", _feed("Headlines", "agg-77", amp))
    feed_store.add_feed(db, server.url("/outlet"))
    feed_store.add_feed(db, server.url("/aggregator"))
    report = await poll_feeds(db, POLLING, now=T0)
    assert [a.url for a in report.new_articles] in ([PAGE], [amp])


@pytest.mark.parametrize(
    "url",
    [
        # Not AMP markers: a section, a slug, a one-label host, a query value.
        "https://news.example.com/reviews/amp",
        "https://news.example.com/amp",
        "https://news.example.com/world/amp-maker-expands",
        "https://news.example.com/world/story?amp=0",
        "https://news.example.com/world/story?output=pdf",
        "https://m.example/world/story",
        "https://mail.example.com/world/story",
        "https://news.example.com/m/world/story",
    ],
)
def test_an_address_that_only_looks_like_amp_is_left_alone(url: str) -> None:
    assert same_page_url(url) == url


AMP = "https://amp.news.example.com/world/2030/01/harbor-bridge-closes"


def _entry(feed_id: int, source: str, guid: str, text: str) -> dict[str, object]:
    return {
        "feed_id": feed_id,
        "source": source,
        "guid": guid,
        "url": AMP,
        "canonical_url": AMP,
        "title": "Millbrook closes its harbor bridge",
        "text": text,
        "author": None,
        "published": T0,
        "seen_at": T0,
    }


def _two_feeds(db: sqlite_utils.Database) -> tuple[int, int]:
    first = feed_store.add_feed(db, "https://one.example/feed")
    second = feed_store.add_feed(db, "https://two.example/feed")
    return first.id, second.id


def test_an_amp_link_stored_before_pages_were_compared_still_matches(
    db: sqlite_utils.Database,
) -> None:
    # An article stored by a version that kept the AMP address as its canonical URL.
    one, two = _two_feeds(db)
    [stored] = articles.insert_new(db, [_entry(one, "Headlines", "agg-1", "Cracks in the span.")])
    db.execute("UPDATE articles SET canonical_url = ? WHERE id = ?", [AMP, stored.id])
    again = _entry(two, "Roundup", "rnd-9", "Engineers shut the crossing overnight.")
    assert articles.insert_new(db, [again]) == []


def test_an_amp_link_pruned_before_pages_were_compared_stays_pruned(
    db: sqlite_utils.Database,
) -> None:
    # Its tombstone hashes the AMP address, as retention recorded it then.
    one, two = _two_feeds(db)
    entry = _entry(one, "Headlines", "agg-1", "Cracks in the span.")
    tombstones.record(
        db,
        [
            tombstones.Tombstone(
                duplicates.entry_id(entry), one, AMP, duplicates.title_key(str(entry["title"]))
            )
        ],
        now=T0,
    )
    again = _entry(two, "Roundup", "rnd-9", "Engineers shut the crossing overnight.")
    assert articles.insert_new(db, [again]) == []


@pytest.mark.parametrize(
    "stored",
    [AMP, "https://m.news.example.com/world/2030/01/harbor-bridge-closes"],
)
def test_the_same_outlet_and_title_on_an_amp_link_stored_before_is_the_same_page(
    db: sqlite_utils.Database, stored: str
) -> None:
    # One feed served the article by its AMP (or mobile) link, stored as served by an older
    # version; it now serves the canonical link under a new GUID, the text reworded. Outlet and
    # title match, and the two links name one page: one article, as URL dedupe would say.
    one, _ = _two_feeds(db)
    [first] = articles.insert_new(db, [_entry(one, "Headlines", "agg-1", "Cracks in the span.")])
    db.execute("UPDATE articles SET canonical_url = ? WHERE id = ?", [stored, first.id])
    again = {
        **_entry(one, "Headlines", "agg-2", "Engineers shut the crossing overnight."),
        "url": PAGE,
        "canonical_url": PAGE,
    }
    assert articles.insert_new(db, [again]) == []


def test_the_same_outlet_and_title_on_another_page_is_still_new(
    db: sqlite_utils.Database,
) -> None:
    # A recurring title on another page with other text stays a new article.
    one, _ = _two_feeds(db)
    articles.insert_new(db, [_entry(one, "Headlines", "agg-1", "Cracks in the span.")])
    other = "https://news.example.com/world/2030/01/harbor-bridge-reopens"
    again = {
        **_entry(one, "Headlines", "agg-2", "Engineers shut the crossing overnight."),
        "url": other,
        "canonical_url": other,
    }
    assert [a.url for a in articles.insert_new(db, [again])] == [other]
