"""parse_feed on every format, plus the normalisation helpers it relies on."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.ingest.errors import FeedParseError
from bot.ingest.normalize import canonical_url, html_to_text, parse_date, to_utc
from bot.ingest.parser import ParsedFeed, parse_feed

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


def load(name: str, url: str | None = None) -> ParsedFeed:
    return parse_feed((FIXTURES / name).read_bytes(), url=url)


def test_rss092() -> None:
    feed = load("rss092.xml")
    assert feed.title == "Harbour Town Gazette" and feed.link == "https://gazette.example.org/"
    first, second = feed.entries
    assert first.url == "https://gazette.example.org/ferry-winter"  # utm_* gone
    assert first.text == "The morning ferry leaves at 07:15 from December."
    assert first.published is None
    # No title, link or guid: title from the text, guid a stable digest.
    assert second.title.startswith("Harbour lights repainted") and second.url is None
    assert second.guid.startswith("sha1:") and second.guid == load("rss092.xml").entries[1].guid


def test_rss10_rdf() -> None:
    feed = load("rss10.rdf")
    assert feed.title == "Soil Lab Preprints"
    assert [e.url for e in feed.entries] == [
        "https://lab.example.net/papers/41",
        "https://lab.example.net/papers/42",
    ]
    assert feed.entries[0].published == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert feed.entries[0].author == "R. Okafor"


def test_rss20_content_dates_and_urls() -> None:
    feed = load("rss20.xml", url="https://courier.example.com/rss.xml")
    assert feed.title == "The Valley & Coast Courier" and feed.ttl_minutes == 45
    bridge, solar, note = feed.entries
    assert bridge.guid == "courier-2024-0412-bridge"
    assert bridge.title == "Bridge reopens after “six long months”"
    assert bridge.url == "https://courier.example.com/news/bridge-reopens?a=1&b=2"
    # content:encoded wins over the teaser; script/style gone; <p>/<br> become line breaks.
    assert bridge.text == (
        "The river bridge reopened on Friday.\nTraffic was light & slow.\nCyclists cheered."
    )
    assert bridge.published == datetime(2024, 4, 12, 12, 30, tzinfo=UTC)
    assert bridge.author == "Mira Jansen"
    assert solar.url == "https://courier.example.com/news/solar-roof?id=7"  # relative, resolved
    assert solar.guid == solar.url  # no guid: the canonical link stands in
    assert solar.text == "Panels cover the whole roof."
    assert note.published == datetime(2024, 4, 10, 11, 0, tzinfo=UTC)
    assert note.guid.startswith("sha1:")


def test_atom() -> None:
    feed = load("atom.xml")
    assert feed.title == "Orbit & Beyond" and feed.link == "https://orbit.example.io/"
    sail, ground = feed.entries
    assert sail.guid == "tag:orbit.example.io,2024:posts/sail"
    assert sail.url == "https://orbit.example.io/posts/sail"
    assert sail.published == datetime(2024, 5, 20, 16, 15, tzinfo=UTC)  # published, not updated
    assert sail.text == "Deployment\nThe sail unfolded in 40 seconds."
    assert sail.author == "Lena Ortiz"
    assert ground.published == datetime(2024, 5, 18, 12, 0, tzinfo=UTC)  # falls back to updated
    assert ground.text == "New dish installed on the ridge."


def test_json_feed() -> None:
    feed = load("jsonfeed.json")
    assert feed.title == "Kettle Notes"
    first, second = feed.entries
    assert first.guid == "kn-101" and first.url == "https://kettle.example.dev/101?page=2"
    assert first.text == "We cached the wheel directory.\nBuilds now take 3 minutes."
    assert first.published == datetime(2024, 6, 1, 6, 0, tzinfo=UTC)
    assert first.author == "Sam Reyes"
    assert second.text == "A plain-text post about release notes." and second.url is None


def test_iso_8859_1() -> None:
    feed = load("latin1.xml")
    assert feed.title == "Café du Nord"
    (entry,) = feed.entries
    assert entry.title == "Crème brûlée au menu"
    assert entry.text == "Le gâteau du jour coûte quatre euros."


def test_feedparser_fallback(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.ingest.parser")
    feed = load("atom_no_namespace.xml", url="https://workshop.example.com/feed")
    assert feed.parser == "feedparser"
    # Said at DEBUG, with the fast parser's reason: a feed read so each poll costs much more CPU.
    (said,) = [r.getMessage() for r in caplog.records if "fallback" in r.getMessage()]
    assert said.startswith("feed https://workshop.example.com/feed read by feedparser")
    assert "(fastfeedparser: " in said
    (entry,) = feed.entries
    assert entry.guid == "workshop-chisels" and entry.url == "https://workshop.example.com/chisels"
    assert entry.published == datetime(2024, 7, 1, 7, 0, tzinfo=UTC)


def test_all_dates_are_utc_aware() -> None:
    for name in ("rss092.xml", "rss10.rdf", "rss20.xml", "atom.xml", "jsonfeed.json"):
        for entry in load(name).entries:
            assert entry.published is None or entry.published.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "body",
    [
        (FIXTURES / "malformed.xml").read_bytes(),
        b"",
        b"   \n",
        b"\x00\xff\xfe garbage",
        b'{"not": "a feed"}',
        b"<?xml version='1.0'?><catalog><book/></catalog>",
    ],
)
def test_malformed_raises_feed_parse_error_with_reason(body: bytes) -> None:
    with pytest.raises(FeedParseError) as info:
        parse_feed(body)
    assert str(info.value)


def test_only_bytes_are_accepted() -> None:
    # A string might be opened as a URL or file by the underlying libraries.
    with pytest.raises(TypeError):
        parse_feed("/etc/passwd")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        parse_feed("http://169.254.169.254/")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTPS://News.Example.COM:443/a/b?x=1#top", "https://news.example.com/a/b?x=1"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/p", "http://example.com:8080/p"),
        (
            "https://e.com/s?utm_source=tw&utm_medium=social&id=9&fbclid=1&gclid=2",
            "https://e.com/s?id=9",
        ),
        (
            "https://e.com/s?mc_cid=1&mc_eid=2&ref=home&cmpid=x&ocid=y&z=1&a=2",
            "https://e.com/s?a=2&z=1",
        ),
        ("https://e.com/s?UTM_Campaign=x&Q=a%20b", "https://e.com/s?Q=a%20b"),
        ("https://e.com/Case/Path?", "https://e.com/Case/Path"),
        ("  https://e.com/x  ", "https://e.com/x"),
        ("tag:example.com,2024:1", "tag:example.com,2024:1"),
        ("mailto:a@example.com", "mailto:a@example.com"),
    ],
)
def test_canonical_url(raw: str, canonical: str) -> None:
    assert canonical_url(raw) == canonical


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("Tom &amp; Jerry &#8212; &quot;live&quot;", 'Tom & Jerry — "live"'),
        ("<p>One</p><p>Two</p>", "One\nTwo"),
        ("a<br>b<br/>c", "a\nb\nc"),
        ("<div>x<script>alert(1)</script><style>.a{}</style>y</div>", "xy"),
        ("<ul><li>first</li><li>second</li></ul>", "first\nsecond"),
        ("  lots   of\n\n\n   space\t\there ", "lots of\nspace here"),
        ("<h2>Head</h2>body&nbsp;text", "Head\nbody text"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a b"),
        ("<!-- hidden --><p>seen</p>", "seen"),
        ("fees delayed <!channel> @everyone", "fees delayed <!channel> @everyone"),
        ("ping <@U123> if 2 < 3 > 1", "ping <@U123> if 2 < 3 > 1"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_dates_to_utc() -> None:
    assert to_utc(datetime(2024, 1, 1, 12)) == datetime(2024, 1, 1, 12, tzinfo=UTC)
    plus2 = timezone(timedelta(hours=2))
    assert to_utc(datetime(2024, 1, 1, 12, tzinfo=plus2)) == datetime(2024, 1, 1, 10, tzinfo=UTC)
    assert parse_date("Tue, 10 Jun 2003 04:00:00 -0400") == datetime(2003, 6, 10, 8, tzinfo=UTC)
    assert parse_date("2003-06-10T04:00:00Z") == datetime(2003, 6, 10, 4, tzinfo=UTC)
    assert parse_date("not a date") is None


def test_external_entities_are_not_loaded() -> None:
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>T</title>
<item><title>x&secret;</title><description>y&secret;</description></item></channel></rss>"""
    try:
        feed = parse_feed(xxe)
    except FeedParseError:
        return
    for entry in feed.entries:
        assert "root:" not in entry.title and "root:" not in entry.text


def test_a_body_that_looks_like_a_path_is_never_opened(tmp_path: Path) -> None:
    """feedparser opens its argument as a file if it can; the fallback must only see bytes."""
    local = tmp_path / "secret.xml"
    local.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>LOCAL FILE</title>'
        "<item><title>from disk</title></item></channel></rss>",
        encoding="utf-8",
    )
    with pytest.raises(FeedParseError):
        parse_feed(str(local).encode(), url="https://feeds.example/rss")
    with pytest.raises(FeedParseError):
        parse_feed(b"/dev/zero", url="https://feeds.example/rss")
