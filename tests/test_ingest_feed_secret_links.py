"""A private feed's key never becomes an article's address: an item link that resolves to the
feed's own address (`<link>#</link>`, an Atom `href="#i1"` with no site link, the address
written out) is no link, and one carrying the feed's key is not shown. Before, such an item's
URL was the feed's address with its `?apikey=…`, put on every card of the story where /feeds
list and alerts hide it (hostile review, session 24)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils

from bot.adapters.discord.embeds import card_embeds
from bot.adapters.slack.blocks import card_messages
from bot.cards import SourceLink, StoryCard
from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.parser import parse_feed
from bot.models import Angle
from bot.pipeline.poll import poll_feeds
from bot.redact import secret_parts
from bot.store import feeds as feed_store

KEY = "SECRETKEY123"
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
T0 = datetime(2030, 1, 1, tzinfo=UTC)


def _rss(feed_url: str) -> bytes:
    return f"""<rss version="2.0"><channel><title>Members</title><description>d</description>
<item><title>Quarry blast cracks windows</title><link>#</link>
<guid isPermaLink="false">a</guid><description>A blast cracked windows.</description></item>
<item><title>Council orders inspection</title><link>{feed_url.replace("&", "&amp;")}#b</link>
<guid isPermaLink="false">b</guid><description>The council ordered it.</description></item>
<item><title>Mill reopens</title><link>https://members.example/news/mill?apikey={KEY}</link>
<guid isPermaLink="false">c</guid><description>The mill reopened.</description></item>
<item><title>Bridge repaired</title><link>https://members.example/news/bridge</link>
<guid isPermaLink="false">d</guid><description>The bridge was repaired.</description></item>
</channel></rss>""".encode()


ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Members</title><id>urn:m</id>
<updated>2030-01-01T00:00:00Z</updated>
<entry><title>Quarry blast</title><id>urn:m:1</id><link href="#i1"/>
<updated>2030-01-01T00:00:00Z</updated><summary>A blast.</summary></entry></feed>"""


def _card(sources: list[SourceLink]) -> StoryCard:
    return StoryCard(
        story_id="a1b2c3d4e5f6",
        slug="quarry-blast",
        headline="Quarry blast cracks windows",
        source_count=len(sources),
        outlets=[s.source for s in sources],
        tldr=[],
        sources=sources,
        angles=[Angle(s.source, "Notes the cracked windows.", None, s.url) for s in sources],
        also_reporting=[],
        first_seen=T0,
        as_of=T0 + timedelta(hours=1),
    )


def _rendered(card: StoryCard) -> str:
    slack = json.dumps([[m.text, m.blocks] for m in card_messages(card, full=True)])
    discord = json.dumps([e.to_dict() for e in card_embeds(card)])
    return slack + discord


async def test_a_polled_private_feed_stores_no_link_carrying_its_key(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    feed_url = server.url(f"/rss?apikey={KEY}")
    server.route("/rss", Reply(body=_rss(feed_url)))
    feed = feed_store.add_feed(db, feed_url, interval=900)
    await poll_feeds(db, POLLING, now=T0)
    rows = list(db.query("SELECT title, url, source FROM articles WHERE feed_id = ?", [feed.id]))
    urls = {row["title"]: row["url"] for row in rows}
    assert urls == {
        "Quarry blast cracks windows": None,
        "Council orders inspection": None,
        "Mill reopens": None,
        "Bridge repaired": "https://members.example/news/bridge",
    }
    card = _card([SourceLink(row["source"], row["title"], row["url"]) for row in rows])
    assert KEY not in _rendered(card)


@pytest.mark.parametrize(
    ("body", "feed_url"),
    [
        (
            _rss(f"https://members.example/feed.xml?apikey={KEY}"),
            "https://members.example/feed.xml",
        ),
        (ATOM, "https://members.example/feed.atom"),
    ],
)
def test_a_card_of_a_public_host_private_feed_shows_no_key(body: bytes, feed_url: str) -> None:
    # On a public host the card would link the address (loopback ones are never linked).
    parsed = parse_feed(body, url=f"{feed_url}?apikey={KEY}")
    assert parsed.entries
    sources = [SourceLink("Members", e.title, e.url) for e in parsed.entries]
    assert all(KEY not in (e.url or "") for e in parsed.entries)
    rendered = _rendered(_card(sources))
    assert KEY not in rendered
    assert all(e.url is None or e.url.endswith("/news/bridge") for e in parsed.entries)


def test_entries_keep_their_identity_when_their_link_carries_the_key() -> None:
    # The GUID a link gave an entry stays, so an upgrade stores no entry twice.
    body = b"""<rss version="2.0"><channel><title>M</title><description>d</description>
<item><title>Mill reopens</title><link>https://members.example/news/mill?apikey=SECRETKEY123</link>
<description>The mill reopened.</description></item></channel></rss>"""
    (entry,) = parse_feed(body, url=f"https://members.example/feed.xml?apikey={KEY}").entries
    assert entry.url is None
    assert entry.guid == f"https://members.example/news/mill?apikey={KEY}"


def test_a_site_link_placeholder_is_still_the_site_not_the_feed() -> None:
    # With a site link, `#` resolves against the site, as before: the feed's key is not in it.
    body = b"""<rss version="2.0"><channel><title>M</title><link>https://members.example/</link>
<description>d</description><item><title>Mill reopens</title><link>./mill#x</link>
<guid isPermaLink="false">a</guid><description>The mill reopened.</description></item>
</channel></rss>"""
    (entry,) = parse_feed(body, url=f"https://members.example/feed.xml?apikey={KEY}").entries
    assert entry.url == "https://members.example/mill"


@pytest.mark.parametrize(
    ("url", "secrets"),
    [
        ("https://news.example/rss?hl=en-US&apikey=abcdef12", {"abcdef12"}),
        ("https://reader:pw12345678@news.example/rss", {"pw12345678"}),
        ("https://news.example/apikey/abcdef123/rss", {"abcdef123"}),
        ("https://news.example/rss;jsessionid=ABCDEF123", {"ABCDEF123"}),
        ("https://news.example/rss#token=zzzzzzzz", {"zzzzzzzz"}),
        # A query that only a search or a language names is no key; nor is a short value.
        ("https://news.google.example/rss/search?q=flood-warnings&hl=en-US", set()),
        ("https://news.example/rss?key=1", set()),
        ("https://news.example/articles/a1b2c3d4e5f6a7b8/rss", set()),
    ],
)
def test_secret_parts_are_what_names_or_shapes_a_key(url: str, secrets: set[str]) -> None:
    assert secret_parts(url) == secrets


def test_an_anchor_on_the_feeds_address_keeps_telling_entries_apart() -> None:
    # No link shown, but each entry keeps the GUID its anchor gave it, so none is stored twice.
    body = b"""<rss version="2.0"><channel><title>M</title><description>d</description>
<item><title>One</title><link>#item-1</link><description>First.</description></item>
<item><title>Two</title><link>#item-2</link><description>Second.</description></item>
</channel></rss>"""
    feed_url = f"https://members.example/feed.xml?apikey={KEY}"
    entries = parse_feed(body, url=feed_url).entries
    assert [e.url for e in entries] == [None, None]
    assert [e.guid for e in entries] == [f"{feed_url}#item-1", f"{feed_url}#item-2"]
