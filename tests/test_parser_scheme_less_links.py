"""A link written without its scheme whose first segment is the feed's own host
(`<link>lamplight.example/winter-wicks/</link>`, as one real blog writes its channel link and
every item's) is that host's page, not a path under the feed's site: read as resolved
relative, it nested the host once per level (`/lamplight.example/lamplight.example/...`).
Relative links stay relative, and no other host is guessed at."""

from __future__ import annotations

from bot.ingest.parser import ParsedFeed, parse_feed


def _feed(channel_link: str, item_link: str, url: str) -> ParsedFeed:
    doc = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Lamplight notes</title>'
        f"<link>{channel_link}</link><item><title>Trimming wicks for winter</title>"
        f'<link>{item_link}</link><guid isPermaLink="false">wicks-1</guid></item>'
        "</channel></rss>"
    )
    return parse_feed(doc.encode(), url=url)


def test_channel_and_item_links_on_the_feeds_own_host() -> None:
    feed = _feed(
        "lamplight.example/winter-wicks/",
        "lamplight.example/winter-wicks/",
        "https://lamplight.example/feed.xml",
    )
    assert feed.link == "https://lamplight.example/winter-wicks/"
    assert feed.entries[0].url == "https://lamplight.example/winter-wicks/"


def test_the_feeds_scheme_is_kept() -> None:
    feed = _feed("lamplight.example/", "lamplight.example/wicks", "http://lamplight.example/rss")
    assert feed.link == "http://lamplight.example/"
    assert feed.entries[0].url == "http://lamplight.example/wicks"


def test_www_on_either_side_counts_as_the_same_host() -> None:
    feed = _feed("lamplight.example/", "www.lamplight.example/wicks", "https://lamplight.example/f")
    assert feed.entries[0].url == "https://www.lamplight.example/wicks"
    feed = _feed("lamplight.example/", "LampLight.example/wicks", "https://www.lamplight.example/f")
    assert feed.link == "https://lamplight.example/"
    assert feed.entries[0].url == "https://lamplight.example/wicks"


def test_the_channel_sites_host_counts_for_a_feed_served_elsewhere() -> None:
    feed = _feed(
        "https://lamplight.example/",
        "lamplight.example/wicks",
        "https://feeds.relay.example/lamplight",
    )
    assert feed.entries[0].url == "https://lamplight.example/wicks"


def test_a_host_with_its_port() -> None:
    feed = _feed(
        "lamplight.example:8443/",
        "lamplight.example:8443/wicks",
        "https://lamplight.example:8443/f",
    )
    assert feed.entries[0].url == "https://lamplight.example:8443/wicks"


def test_relative_links_resolve_as_before() -> None:
    url = "https://lamplight.example/feed.xml"
    assert _feed("/", "posts/wicks.html", url).entries[0].url == (
        "https://lamplight.example/posts/wicks.html"
    )
    assert _feed("/", "/wicks", url).entries[0].url == "https://lamplight.example/wicks"
    assert _feed("https://lamplight.example/blog/", "wicks", url).entries[0].url == (
        "https://lamplight.example/blog/wicks"
    )


def test_another_host_is_not_guessed() -> None:
    feed = _feed("/", "candles.example/wicks", "https://lamplight.example/feed.xml")
    assert feed.entries[0].url == "https://lamplight.example/candles.example/wicks"


def test_a_segment_that_only_starts_like_the_host_is_a_path() -> None:
    feed = _feed("/", "lamplight.example.notes/wicks", "https://lamplight.example/feed.xml")
    assert feed.entries[0].url == "https://lamplight.example/lamplight.example.notes/wicks"
