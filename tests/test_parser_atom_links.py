"""Which URL an Atom entry gets: its alternate link (rel="alternate" or no rel), not an earlier
edit or enclosure link."""

from __future__ import annotations

from bot.ingest.parser import ParsedEntry, parse_feed


def _entry(body: str) -> ParsedEntry:
    doc = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Tram works diary</title>'
        '<link href="https://trams.example.org/"/>'
        f"<entry><title>Rails laid on Mill Road</title>{body}"
        "<updated>2026-04-02T08:00:00Z</updated></entry></feed>"
    )
    (entry,) = parse_feed(doc.encode(), url="https://trams.example.org/atom").entries
    return entry


def test_a_link_without_rel_beats_an_earlier_edit_link() -> None:
    entry = _entry(
        "<id>tag:trams.example.org,2026:42</id>"
        '<link rel="edit" href="https://trams.example.org/api/posts/42"/>'
        '<link href="https://trams.example.org/diary/42"/>'
    )
    assert entry.url == "https://trams.example.org/diary/42"


def test_an_alternate_link_beats_an_earlier_enclosure() -> None:
    entry = _entry(
        "<id>tag:trams.example.org,2026:43</id>"
        '<link rel="enclosure" type="image/jpeg" href="https://trams.example.org/img/43.jpg"/>'
        '<link rel="alternate" type="text/html" href="https://trams.example.org/diary/43"/>'
    )
    assert entry.url == "https://trams.example.org/diary/43"


def test_a_lone_link_is_kept() -> None:
    entry = _entry(
        '<id>tag:trams.example.org,2026:44</id><link href="https://trams.example.org/diary/44"/>'
    )
    assert entry.url == "https://trams.example.org/diary/44"
