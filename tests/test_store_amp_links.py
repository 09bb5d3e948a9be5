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
