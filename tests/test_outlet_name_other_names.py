"""A feed whose title names no one ("Top Stories") appears under the name its editor or its
description gives the site ("... (Harbourcast News)", "Tidewater.com") before its bare host, and a
name written as a domain with an acronym run into a word ("HBTNews.com") goes by its words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.ingest.parser import parse_feed
from bot.pipeline.entries import entry_rows
from bot.store.feed_outlets import outlet_name
from bot.store.feeds import FeedRow

FETCHED = "http://127.0.0.1:8080/feed.xml"  # the site is known from the channel's link only


def _rss(title: str, link: str, extra: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>{title}</title><link>{link}</link>{extra}
<item><title>Harbour ferry fares frozen for a year</title>
<link>{link}/ferry-fares</link><guid>{link}/ferry-fares</guid>
<description>The council froze ferry fares for twelve months on Monday.</description></item>
</channel></rss>""".encode()


def _source(body: bytes) -> str:
    parsed = parse_feed(body, url=FETCHED)
    feed = FeedRow(
        id=1, url=FETCHED, name=None, title=parsed.title, poll_interval=15, origin="config",
        etag=None, last_modified=None, consecutive_failures=0, next_poll_at=None,
        last_polled_at=None, last_success_at=None, last_error=None, disabled_reason=None,
        ttl_minutes=None,
    )  # fmt: skip
    rows, _ = entry_rows(feed, parsed, FETCHED, datetime(2026, 11, 30, tzinfo=UTC))
    return str(rows[0]["source"])


def test_a_generic_title_takes_the_managing_editors_name() -> None:
    body = _rss(
        "Top Stories",
        "https://www.harbourcast.example.au/news",
        "<managingEditor>desk@harbourcast.example.au (Harbourcast News)</managingEditor>",
    )
    assert _source(body) == "Harbourcast News"


def test_a_generic_title_takes_a_description_that_names_the_site() -> None:
    body = _rss(
        "World News: Breaking news, politics, crime, tech, and more",
        "https://www.tidewater.com/tag/world-news",
        "<description>Tidewater.com</description>",
    )
    assert _source(body) == "Tidewater.com"


@pytest.mark.parametrize(
    "extra",
    [
        # A person's name, a blurb, or a description naming another site names no outlet.
        "<managingEditor>jo@harbourcast.example.au (Jo Marsh)</managingEditor>",
        "<description>The day's stories from around the harbour and beyond it</description>",
        "<description>Syndicated from Omega Wire</description>",
    ],
)
def test_other_names_that_do_not_name_the_site_leave_the_host(extra: str) -> None:
    body = _rss("Top Stories", "https://www.harbourcast.example.au/news", extra)
    assert _source(body) == "harbourcast.example.au"


def test_a_title_that_names_the_site_still_wins() -> None:
    body = _rss(
        "Harbourcast Daily: World",
        "https://www.harbourcast.example.au/news",
        "<managingEditor>desk@harbourcast.example.au (Harbourcast News)</managingEditor>",
    )
    assert _source(body) == "Harbourcast Daily"


@pytest.mark.parametrize(
    ("title", "site", "shown"),
    [
        # The site's capitals part an acronym from a word: the name is those words.
        ("World - HBTNews.com", "https://www.hbtnews.com/", "HBT News"),
        ("KWTimes.com: World", "https://kwtimes.com/", "KW Times"),
        # No capitals part anything: the domain is the name the site writes.
        ("OTJ.com: World News", "https://online.otj.com/world", "OTJ.com"),
        ("Tidewater.com - World", "https://www.tidewater.com/", "Tidewater.com"),
        ("HarbourPost.com - World", "https://harbourpost.com/", "HarbourPost.com"),
    ],
)
def test_a_domain_written_with_an_acronym_goes_by_its_words(
    title: str, site: str, shown: str
) -> None:
    assert outlet_name(None, title, FETCHED, site) == shown


@pytest.mark.parametrize(
    ("link", "extra"),
    [
        # A word that is only part of the site's name, and generic at that.
        ("https://www.harbourcastnews.example", "<description>News</description>"),
        # An editor written without an address is a person, whatever letters they share.
        ("https://www.harbourcast.example", "<managingEditor>Harbourcaster Jones</managingEditor>"),
        # A blogging platform's blurb names the platform, not the blog on it.
        (
            "https://tidewater.wordpress.com",
            "<description>Just another WordPress site</description>",
        ),
    ],
)
def test_a_description_or_editor_that_is_not_the_sites_name_leaves_the_host(
    link: str, extra: str
) -> None:
    assert _source(_rss("Top Stories", link, extra)) == link.split("//")[1].removeprefix("www.")
