"""Checking a feed URL a person typed (the network guard runs again at fetch time)."""

from __future__ import annotations

import pytest

from bot.feedurls import FeedUrlError, check_feed_url


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example/rss",
        "http://[::1]:8080/feed",
        "https://bücher.example/feed",
        "<https://news.example/rss>",
    ],
)
def test_good_urls(url: str) -> None:
    assert check_feed_url(url).startswith("http")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("file:///etc/passwd", "only http"),
        ("javascript:alert(1)", "only http"),
        ("https:///nohost", "no host"),
        ("https://user:pw@news.example/rss", "user name or password"),
        ("http://<!channel>.example/", "not a valid host"),
        ("https://news.example/a b", "spaces"),
    ],
)
def test_bad_urls(url: str, problem: str) -> None:
    with pytest.raises(FeedUrlError, match=problem):
        check_feed_url(url)
