"""An Atom entry with no link is linked by its id when the id is an http(s) URL (as an RSS
item is by its permalink guid)."""

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


def test_an_http_id_is_the_url_of_an_entry_without_links() -> None:
    entry = _entry("<id>https://trams.example.org/diary/41</id>")
    assert entry.url == "https://trams.example.org/diary/41"
    assert entry.guid == "https://trams.example.org/diary/41"


def test_a_tag_id_gives_no_url() -> None:
    assert _entry("<id>tag:trams.example.org,2026:41</id>").url is None


def test_a_home_page_id_gives_no_url() -> None:
    assert _entry("<id>https://trams.example.org/</id>").url is None
