"""Which URL an Atom entry gets: its alternate link (rel="alternate" or no rel), not an earlier
edit or enclosure link; with no link at all, its id when that is an http(s) URL (as an RSS item
is linked by its permalink guid)."""

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


def test_an_http_id_is_the_url_of_an_entry_without_links() -> None:
    entry = _entry("<id>https://trams.example.org/diary/41</id>")
    assert entry.url == "https://trams.example.org/diary/41"
    assert entry.guid == "https://trams.example.org/diary/41"


def test_a_tag_id_gives_no_url() -> None:
    assert _entry("<id>tag:trams.example.org,2026:41</id>").url is None


def test_a_home_page_id_gives_no_url() -> None:
    assert _entry("<id>https://trams.example.org/</id>").url is None
