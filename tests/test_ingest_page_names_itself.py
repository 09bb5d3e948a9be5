"""A web page whose `<link rel="alternate">` names the very address that was polled (a
maintenance or login page served where the feed lives) names no feed worth adding: saying "the
page names its feed: <the same address>" would send a person round in a circle."""

from __future__ import annotations

import pytest

from bot.ingest.errors import FeedParseError, NotAFeedError
from bot.ingest.parser import parse_feed
from bot.ingest.shape import web_page_problem
from tests._cost import assert_grows_linearly

NONE_NAMED = "a web page, not a feed: add the feed's address (the page names none)"


def _page(*hrefs: str) -> bytes:
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="{href}">' for href in hrefs
    )
    return (
        f"<!doctype html><html><head><title>Back soon</title>{links}</head>"
        "<body>The harbour site is down for maintenance.</body></html>"
    ).encode()


@pytest.mark.parametrize(
    "href",
    [
        "https://harbour.example/feed/",
        "/feed/",  # relative, resolved against where the page came from
        "HTTPS://Harbour.Example:443/feed/#top",  # another spelling of the same address
        "https://harbour.example/feed",  # the same but for the trailing slash
        "http://harbour.example/feed/",  # the same, which would redirect to https
    ],
)
def test_a_page_naming_the_polled_address_names_none(href: str) -> None:
    body = _page(href)
    assert web_page_problem(body, "https://harbour.example/feed/") == NONE_NAMED
    with pytest.raises(NotAFeedError) as caught:
        parse_feed(body, url="https://harbour.example/feed/")
    assert str(caught.value) == NONE_NAMED


def test_the_polled_address_is_left_out_but_another_feed_is_named() -> None:
    body = _page("/feed/", "/news/rss.xml")
    assert web_page_problem(body, "https://harbour.example/feed/") == (
        "a web page, not a feed: add the feed's address; "
        "the page names its feed: https://harbour.example/news/rss.xml"
    )


def test_a_page_redirected_to_naming_the_address_asked_for_names_none() -> None:
    body = _page("https://harbour.example/feed/")
    with pytest.raises(NotAFeedError) as caught:
        parse_feed(
            body,
            url="https://harbour.example/maintenance.html",
            polled_url="https://harbour.example/feed/",
        )
    assert str(caught.value) == NONE_NAMED


@pytest.mark.parametrize(
    "href",
    ["https://harbour.example/feed/?format=atom", "https://harbour.example/feed/atom/"],
)
def test_another_query_or_path_is_another_address(href: str) -> None:
    # Only the same address is left out: these may well be the feed that works.
    assert web_page_problem(_page(href), "https://harbour.example/feed/") == (
        f"a web page, not a feed: add the feed's address; the page names its feed: {href}"
    )


def _refused(body: bytes) -> None:
    with pytest.raises(FeedParseError):
        parse_feed(body)


def test_a_run_of_comments_before_no_feed_is_read_in_linear_time() -> None:
    # Empty comments and then text: the old pattern tried every grouping of the comments (0.4 s
    # at 22, doubling with each more), so forty were one GIL-holding call that froze the bot.
    bodies = {n: b"<!---->" * n + b"not a feed" for n in (5_000, 40_000)}
    assert_grows_linearly(lambda n: _refused(bodies[n]), 40_000)


def test_a_page_behind_comments_is_still_a_page() -> None:
    body = b"<!-- build 7 -->\n<!-- cache -->\n<!DOCTYPE html><html><head></head><body>Hi</body></html>"
    with pytest.raises(NotAFeedError, match="a web page, not a feed"):
        parse_feed(body)
