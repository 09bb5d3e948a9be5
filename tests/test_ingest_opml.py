"""OPML import/export."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.errors import OpmlError
from bot.ingest.opml import OpmlFeed, OpmlSkip, export_opml, parse_opml, read_opml

FIXTURE = Path(__file__).parent / "fixtures" / "feeds" / "subscriptions.opml"


def test_parse_nested_outlines() -> None:
    feeds = parse_opml(FIXTURE.read_bytes())
    assert feeds == [
        OpmlFeed(
            "https://courier.example.com/rss.xml",
            "Valley Courier",  # title wins over text
            "https://courier.example.com/",
            "News",
        ),
        OpmlFeed("https://orbit.example.io/atom.xml", "Orbit & Beyond", None, "Science"),
        OpmlFeed("https://kettle.example.dev/feed.json", "Kettle Notes", None, None),
    ]  # duplicate, non-feed link and file:// outline dropped


def test_round_trip() -> None:
    feeds = [
        OpmlFeed("https://a.example/feed", 'A <&> "quoted"', "https://a.example/", "Tech"),
        OpmlFeed("https://b.example/rss", None),
        OpmlFeed("https://c.example/atom", "C", None, "Tech"),
    ]
    data = export_opml(feeds, title="mine")
    assert data.startswith(b"<?xml") and b"<title>mine</title>" in data
    back = parse_opml(data)
    assert [f.url for f in back] == [f.url for f in feeds if f.category] + ["https://b.example/rss"]
    assert back[0] == feeds[0]
    assert back[-1].title == "https://b.example/rss"  # untitled feeds are named by URL


@pytest.mark.parametrize(
    "data",
    [b"", b"<opml><body>", b"<rss version='2.0'/>", b"<opml version='2.0'><head/></opml>"],
)
def test_bad_documents(data: bytes) -> None:
    with pytest.raises(OpmlError):
        parse_opml(data)


def test_entity_declarations_are_refused() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.example/feed"/></body></opml>"""
    with pytest.raises(OpmlError, match="DTD"):
        parse_opml(bomb)
    plain = b'<!DOCTYPE opml><opml version="2.0"><body><outline xmlUrl="https://x.example/"/></body></opml>'
    assert [f.url for f in parse_opml(plain)] == ["https://x.example/"]


def test_every_feed_outline_left_out_is_reported_with_its_reason() -> None:
    data = b"""<?xml version="1.0"?><opml version="2.0"><head/><body>
      <outline text="A" xmlUrl="https://a.example/rss"/>
      <outline text="A again" xmlUrl="https://a.example/rss"/>
      <outline text="FTP" xmlUrl="ftp://b.example/rss"/>
      <outline text="JS" xmlUrl="javascript:alert(1)"/>
      <outline text="Relative" xmlUrl="/feeds/c.xml"/>
      <outline text="a folder, not a feed"/>
      <outline type="rss" text="No address"/>
      <outline type="RSS"/>
    </body></opml>"""
    contents = read_opml(data)
    assert [f.url for f in contents.feeds] == ["https://a.example/rss"]
    assert contents.skipped == [
        OpmlSkip("https://a.example/rss", "listed twice in the file"),
        OpmlSkip("ftp://b.example/rss", "unsupported scheme ftp: (only http and https)"),
        OpmlSkip("javascript:alert(1)", "unsupported scheme javascript: (only http and https)"),
        OpmlSkip("/feeds/c.xml", "not an absolute URL (only http and https)"),
        OpmlSkip("outline 'No address'", "a feed outline without an xmlUrl"),
        OpmlSkip("an outline", "a feed outline without an xmlUrl"),
    ]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            b'<opml><body><outline xmlUrl="https://a.example/rss" text="A & B"/></body></opml>',
            "not well-formed XML at line 1, column 62: an & that starts no entity (write it as "
            "&amp;)",
        ),
        (
            b'<opml><body>\n<outline xmlUrl="https://a.example/rss">\n</body></opml>',
            "not well-formed XML at line 3, column 8: Opening and ending tag mismatch: outline "
            "line 2 and body",
        ),
    ],
)
def test_a_malformed_file_s_error_names_its_place_once(data: bytes, error: str) -> None:
    # lxml's own words said it three times over: "line 1, line 1, column 62 (<string>, line 1)".
    with pytest.raises(OpmlError) as info:
        read_opml(data)
    assert str(info.value) == error
