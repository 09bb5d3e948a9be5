"""ISO-2022-CN and ISO-2022-CN-EXT, which Python has no codec for: unlike ISO-2022-JP and KR,
such a document cannot be read as UTF-8 first. Named only by the HTTP header it came out as
the escapes' letters ("$)A8[?ZPBNE" for a title); declared, libxml2 read it itself, but every
byte pass before it (the ampersand repair above all) cut into its 7-bit characters, so a
character whose second byte is "&" came out as three others. Either way its text was stored
garbled. Now the feed's poll fails with an error naming the encoding. Real loopback server,
real SQLite; the documents are written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pytest

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.errors import FeedParseError, UnreadableCharsetError
from bot.ingest.parser import parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store
from bot.store.database import open_database

NOW = datetime(2031, 6, 2, 8, 0, tzinfo=UTC)
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
TITLE = "渡轮票价上涨"
# 乏 is B7A6 in GB2312: its second 7-bit byte is "&".
TEXT = "<p>市政府宣布乏力的渡轮计划。</p>"


def iso_2022_cn(text: str) -> bytes:
    """`text` in ISO-2022-CN, its Chinese in GB2312 (ESC $ ) A, then SO ... SI): the bytes
    iconv writes for it. Python has no codec to write it with."""
    out = bytearray()
    designated = False
    shifted = False
    for char in text:
        if char.isascii():
            if shifted:
                out += b"\x0f"
                shifted = False
            out += char.encode("ascii")
            continue
        if not designated:
            out += b"\x1b$)A"
            designated = True
        if not shifted:
            out += b"\x0e"
            shifted = True
        out += bytes(b & 0x7F for b in char.encode("gb2312"))
    if shifted:
        out += b"\x0f"
    return bytes(out)


def _rss(declaration: str | None) -> bytes:
    head = f'<?xml version="1.0" encoding="{declaration}"?>' if declaration else ""
    return iso_2022_cn(
        f'{head}<rss version="2.0"><channel><title>港口新闻</title>'
        "<link>https://harbour.example/</link><item>"
        f"<title>{TITLE}</title><link>https://harbour.example/ferry</link>"
        f"<description>{escape(TEXT)}</description></item></channel></rss>"
    )


def test_the_fixture_is_iso_2022_cn() -> None:
    # The escape, the shift out, "港口" as GB2312 with its high bits cleared, the shift in.
    assert iso_2022_cn("港口 news") == b"\x1b$)A\x0e8[?Z\x0f news"
    assert b"&" in iso_2022_cn(TEXT)


@pytest.mark.parametrize("label", ["ISO-2022-CN", "ISO-2022-CN-EXT", "iso-2022-cn"])
def test_a_document_declared_iso_2022_cn_is_refused_naming_it(label: str) -> None:
    with pytest.raises(UnreadableCharsetError) as info:
        parse_feed(_rss(label), url="https://harbour.example/rss")
    message = str(info.value)
    assert f"written in {label} (its XML declaration says so)" in message
    assert "ask its publisher for UTF-8" in message
    assert isinstance(info.value, FeedParseError)


@pytest.mark.parametrize("declaration", ["utf-8", None])
@pytest.mark.parametrize("label", ["ISO-2022-CN", "ISO-2022-CN-EXT"])
def test_one_named_so_only_by_its_http_header_is_refused_too(
    declaration: str | None, label: str
) -> None:
    with pytest.raises(UnreadableCharsetError, match=f"written in {label} \\(its HTTP"):
        parse_feed(_rss(declaration), content_type=f"application/rss+xml; charset={label}")


def test_without_its_escapes_the_document_is_ascii_and_read() -> None:
    # A template's label over a feed with no Chinese in it: nothing in it is ISO-2022-CN.
    plain = (
        b'<?xml version="1.0" encoding="ISO-2022-CN"?><rss version="2.0"><channel>'
        b"<title>Harbour</title><item><title>Ferry fares rise</title>"
        b"<link>https://harbour.example/f</link></item></channel></rss>"
    )
    assert parse_feed(plain).entries[0].title == "Ferry fares rise"
    feed = parse_feed(
        plain.replace(b"ISO-2022-CN", b"utf-8"), content_type="text/xml; charset=ISO-2022-CN"
    )
    assert feed.entries[0].title == "Ferry fares rise"


async def test_the_poll_fails_that_feed_with_the_encoding_named_and_stores_nothing_garbled(
    server: FeedServer, tmp_path: Path
) -> None:
    server.route(
        "/cn", Reply(body=_rss("utf-8"), headers={"Content-Type": "text/xml; charset=ISO-2022-CN"})
    )
    server.route("/declared", Reply(body=_rss("ISO-2022-CN-EXT")))
    server.route(
        "/utf8",
        Reply(
            body=(
                '<rss version="2.0"><channel><title>港口新闻</title><item>'
                f"<title>{TITLE}</title><link>https://harbour.example/ferry</link>"
                f"<description>{escape(TEXT)}</description></item></channel></rss>"
            ).encode()
        ),
    )
    db = open_database(tmp_path / "nd.db")
    for path in ("/cn", "/declared", "/utf8"):
        feed_store.add_feed(db, server.url(path))

    report = await poll_feeds(db, POLLING, now=NOW)

    feeds = {f.url.rsplit("/", 1)[1]: f for f in feed_store.list_feeds(db)}
    assert feeds["cn"].last_error is not None
    assert feeds["cn"].last_error.startswith("written in ISO-2022-CN (its HTTP Content-Type")
    assert feeds["declared"].last_error is not None
    assert "written in ISO-2022-CN-EXT (its XML declaration" in feeds["declared"].last_error
    assert feeds["utf8"].last_error is None
    stored = [(a.title, a.text) for a in report.new_articles]
    assert stored == [(TITLE, "市政府宣布乏力的渡轮计划。")]
    db.close()
