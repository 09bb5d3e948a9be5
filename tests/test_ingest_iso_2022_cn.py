"""ISO-2022 variants Python has no codec for (ISO-2022-CN, ISO-2022-CN-EXT, ISO-2022-JP-MS):
unlike ISO-2022-JP and KR, such a document cannot be read as UTF-8 first. Declared, libxml2
reads it itself, and it is left whole for it: every byte pass before it (the ampersand repair
above all) cut into its 7-bit characters, so a character whose second byte is "&" came out as
three others. Named only by the HTTP header it came out as the escapes' letters ("$)A8[?ZPBNE"
for a title), and was refused: it is now declared so and read whole as well. A label nothing
here reads, declared or in the header, fails the poll with an error naming the encoding. Real loopback server, real SQLite; the documents are written for these
tests."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pytest
from _iso_2022 import iso_2022_cn, iso_2022_jp_ms

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
# Other stories' titles, for the feeds polled together.
HEADER_ONLY = "港口夜间关闭"
STOCK = "码头工人罢工结束"
# 乏 is B7A6 in GB2312: its second 7-bit byte is "&".
TEXT = "<p>市政府宣布乏力的渡轮计划。</p>"


def _rss(declaration: str | None, story: str = "ferry", title: str = TITLE) -> bytes:
    head = f'<?xml version="1.0" encoding="{declaration}"?>' if declaration else ""
    return iso_2022_cn(
        f'{head}<rss version="2.0"><channel><title>港口新闻</title>'
        "<link>https://harbour.example/</link><item>"
        f"<title>{title}</title><link>https://harbour.example/{story}</link>"
        f"<description>{escape(TEXT)}</description></item></channel></rss>"
    )


def test_the_fixture_is_iso_2022_cn() -> None:
    # The escape, the shift out, "港口" as GB2312 with its high bits cleared, the shift in.
    assert iso_2022_cn("港口 news") == b"\x1b$)A\x0e8[?Z\x0f news"
    assert b"&" in iso_2022_cn(TEXT)


@pytest.mark.parametrize("label", ["ISO-2022-CN", "ISO-2022-CN-EXT", "iso-2022-cn"])
def test_a_document_declared_iso_2022_cn_is_read_whole_by_libxml2(label: str) -> None:
    (entry,) = parse_feed(_rss(label), url="https://harbour.example/rss").entries
    assert (entry.title, entry.text) == (TITLE, "市政府宣布乏力的渡轮计划。")


def test_a_document_declared_iso_2022_jp_ms_is_read_whole_by_libxml2() -> None:
    # Its NEC characters (①, ㈱) are no JIS X 0208, which Python's ISO-2022-JP codecs read;
    # "う" is 0x2426, its second byte "&".
    title = "①㈱港湾が運賃を上げる"
    text = "市は新しいフェリー計画を発表したという。ｶﾀｶﾅ"
    assert iso_2022_jp_ms("港 ①") == b"\x1b$B9A\x1b(B \x1b$B-!\x1b(B"
    assert b"&" in iso_2022_jp_ms(text)
    document = (
        '<?xml version="1.0" encoding="ISO-2022-JP-MS"?><rss version="2.0"><channel>'
        "<title>港湾ニュース</title><link>https://harbour.example/</link><item>"
        f"<title>{title}</title><link>https://harbour.example/ferry</link>"
        f"<description>{escape(text)}</description></item></channel></rss>"
    )
    (entry,) = parse_feed(iso_2022_jp_ms(document)).entries
    assert (entry.title, entry.text) == (title, text)


def test_a_declared_iso_2022_label_nothing_here_reads_is_refused_naming_it() -> None:
    with pytest.raises(UnreadableCharsetError) as info:
        parse_feed(_rss("x-iso-2022-cn"), url="https://harbour.example/rss")
    assert str(info.value) == (
        "written in x-iso-2022-cn (its XML declaration says so), a character set newsdigest"
        " cannot read: ask its publisher for UTF-8"
    )
    assert isinstance(info.value, FeedParseError)


@pytest.mark.parametrize("declaration", ["utf-8", None])
@pytest.mark.parametrize("label", ["ISO-2022-CN", "ISO-2022-CN-EXT", "iso-2022-cn"])
def test_one_named_so_only_by_its_http_header_is_read_whole_too(
    declaration: str | None, label: str
) -> None:
    # Refused before: read as UTF-8 its escapes' letters would be its text ("$)A8[?ZPBNE").
    feed = parse_feed(_rss(declaration), content_type=f"application/rss+xml; charset={label}")
    assert feed.title == "港口新闻"
    (entry,) = feed.entries
    assert (entry.title, entry.text) == (TITLE, "市政府宣布乏力的渡轮计划。")


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0"?>',
        b"<?xml version='1.0' standalone='yes'?>",
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>\n',
        b"\n",
    ],
)
def test_its_own_declaration_is_made_to_name_the_header_s_charset(head: bytes) -> None:
    body = head + _rss(None)
    for content_type in ("text/xml; charset=ISO-2022-CN", 'text/xml;charset="ISO-2022-CN"'):
        (entry,) = parse_feed(body, content_type=content_type).entries
        assert (entry.title, entry.text) == (TITLE, "市政府宣布乏力的渡轮计划。")


def test_one_named_so_by_its_header_in_a_set_nothing_here_reads_is_refused() -> None:
    with pytest.raises(UnreadableCharsetError) as info:
        parse_feed(_rss(None), content_type="application/rss+xml; charset=x-iso-2022-cn")
    assert str(info.value) == (
        "written in x-iso-2022-cn (its HTTP Content-Type says so), a character set newsdigest"
        " cannot read: ask its publisher for UTF-8"
    )


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


async def test_the_poll_stores_the_declared_one_and_the_one_its_header_names_whole(
    server: FeedServer, tmp_path: Path
) -> None:
    server.route(
        "/cn",
        Reply(
            body=_rss(None, "cn", HEADER_ONLY),
            headers={"Content-Type": "text/xml; charset=ISO-2022-CN"},
        ),
    )
    server.route(
        "/stock",
        Reply(
            body=_rss("utf-8", "stock", STOCK),
            headers={"Content-Type": "text/xml; charset=ISO-2022-CN"},
        ),
    )
    server.route("/declared", Reply(body=_rss("ISO-2022-CN-EXT")))
    server.route(
        "/unknown",
        Reply(body=_rss(None), headers={"Content-Type": "text/xml; charset=x-iso-2022-cn"}),
    )
    db = open_database(tmp_path / "nd.db")
    for path in ("/cn", "/stock", "/declared", "/unknown"):
        feed_store.add_feed(db, server.url(path))

    report = await poll_feeds(db, POLLING, now=NOW)

    feeds = {f.url.rsplit("/", 1)[1]: f for f in feed_store.list_feeds(db)}
    assert [name for name, f in feeds.items() if f.last_error is None] == [
        "cn",
        "stock",
        "declared",
    ]
    assert (feeds["unknown"].last_error or "").startswith(
        "written in x-iso-2022-cn (its HTTP Content-Type"
    )
    # Each its own story, so none is taken for another's republished copy.
    stored = {a.feed_id: (a.title, a.text) for a in report.new_articles}
    text = "市政府宣布乏力的渡轮计划。"
    assert stored == {
        feeds["cn"].id: (HEADER_ONLY, text),
        feeds["stock"].id: (STOCK, text),
        feeds["declared"].id: (TITLE, text),
    }
    db.close()
