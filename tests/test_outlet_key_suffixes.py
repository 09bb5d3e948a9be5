"""Which outlet a feed belongs to, where the host's public suffix matters: a feed-server label
("www.", "rss.", "m.") is cut only down to the site's registrable domain, read by the public
suffix list with its private section, so "rss.github.io" (someone's blog) is not GitHub and
"m.uk.com" is not every site under uk.com. The key stays the host: subdomains of platforms the
list does not name (Substack) are each a publisher of their own."""

from __future__ import annotations

import pytest

from bot.store.feed_outlets import outlet_key


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.news.example.co.uk/rss", "news.example.co.uk"),
        ("https://feeds.a.b.example.com.au/world.xml", "a.b.example.com.au"),
        ("https://www.example.co.uk/feed", "example.co.uk"),
        ("https://www.alice.github.io/feed.xml", "alice.github.io"),
        ("https://rss.github.io/feed.xml", "rss.github.io"),
        ("https://m.uk.com/feed", "m.uk.com"),
        ("https://www.sat.gob.mx/rss", "sat.gob.mx"),
        ("https://alice.substack.com/feed", "alice.substack.com"),
        ("http://192.0.2.10/feed", None),
        ("http://[2001:db8::1]/feed", None),
        ("http://localhost./feed", None),
        ("http://intranet/feed", None),
    ],
)
def test_outlet_key_by_public_suffix(url: str, key: str | None) -> None:
    assert outlet_key(url) == key


def test_blogs_on_one_platform_are_different_outlets() -> None:
    assert outlet_key("https://rss.github.io/feed.xml") != outlet_key("https://feeds.github.io/")
    assert outlet_key("https://alice.substack.com/feed") != outlet_key("https://bob.substack.com/")
