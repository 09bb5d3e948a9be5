"""Video feeds (YouTube's Atom among them) put an entry's words only in media:description,
inside media:group or directly in the entry."""

from __future__ import annotations

from bot.ingest.parser import parse_feed


def _atom(entry_body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">'
        '<title>Glassworks channel</title><link href="https://video.example.com/c/glass"/>'
        "<entry><id>video:glass-17</id><title>Blowing a lamp shade</title>"
        '<link rel="alternate" href="https://video.example.com/watch/17"/>'
        f"<published>2026-03-01T10:00:00+00:00</published>{entry_body}</entry></feed>"
    ).encode()


def test_media_group_description_is_the_text() -> None:
    (entry,) = parse_feed(
        _atom(
            "<media:group><media:title>Blowing a lamp shade</media:title>"
            "<media:description>We shape a shade from one gather &amp; show the"
            " annealing oven.</media:description></media:group>"
        )
    ).entries
    assert entry.text == "We shape a shade from one gather & show the annealing oven."


def test_media_description_directly_in_the_entry() -> None:
    (entry,) = parse_feed(
        _atom("<media:description>Cooling takes a whole night.</media:description>")
    ).entries
    assert entry.text == "Cooling takes a whole night."


def test_plain_media_description_keeps_angle_brackets_as_text() -> None:
    (entry,) = parse_feed(
        _atom("<media:description>Heat &lt;b&gt;slowly&lt;/b&gt; or it cracks.</media:description>")
    ).entries
    assert entry.text == "Heat <b>slowly</b> or it cracks."


def test_a_real_summary_wins_over_media_description() -> None:
    (entry,) = parse_feed(
        _atom(
            "<summary>The summary says it.</summary>"
            "<media:group><media:description>Not this.</media:description></media:group>"
        )
    ).entries
    assert entry.text == "The summary says it."
