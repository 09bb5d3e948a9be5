"""A document left in ISO-2022 for libxml2 (ISO-2022-CN, ISO-2022-JP-MS) gets its stray
ampersands and HTML entities repaired as a UTF-8 one does, in its ASCII text alone: skipped
whole, since "&" may be half of a two-byte character there, a link "?x=1&y=2" was stored as
"?x=1=2", "AT&T" as "AT" and "渡轮&nbsp;票价" as "渡轮". The documents are hand-encoded
(`_iso_2022`, checked against iconv's bytes here) and written for these tests; the poll's is
served by a real loopback server into a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from pathlib import Path

from _iso_2022 import iso_2022_cn, iso_2022_jp_ms

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.entities import repair_entities
from bot.ingest.iso_2022 import BLANK, ascii_view
from bot.ingest.parser import parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store
from bot.store.database import open_database

NOW = datetime(2031, 6, 2, 8, 0, tzinfo=UTC)
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
LINK = "https://harbour.example/a?x=1&y=2"
# 乏 is B7A6 in GB2312, "7&" in ISO-2022-CN; う is "$&" in JIS X 0208; ｦ is "&" after ESC ( I.
FARES = "AT&T 渡轮票价上涨"


def _cn_rss(title: str, link: str, description: str) -> bytes:
    return iso_2022_cn(
        '<?xml version="1.0" encoding="ISO-2022-CN"?><rss version="2.0"><channel>'
        "<title>港口新闻</title><link>https://harbour.example/</link><item>"
        f"<title>{title}</title><link>{link}</link>"
        f"<description>{description}</description></item></channel></rss>"
    )


def test_the_fixtures_are_iconvs_bytes() -> None:
    # `printf 'AT&T 渡轮乏 a&b' | iconv -f utf-8 -t ISO-2022-CN`, but for the SI glibc's iconv
    # ends with, in ASCII already.
    assert iso_2022_cn("AT&T 渡轮乏 a&b") + b"\x0f" == b"AT&T \x1b$)A\x0e6IBV7&\x0f a&b\x0f"
    # `printf 'う&ab' | iconv -f utf-8 -t ISO-2022-JP`: JIS X 0208 is ISO-2022-JP-MS's too.
    assert iso_2022_jp_ms("う&ab") == b"\x1b$B$&\x1b(B&ab"


def test_the_ascii_view_blanks_every_byte_of_a_two_byte_character() -> None:
    blank = bytes([BLANK])
    cn = iso_2022_cn("a&b 乏 c&d")
    assert ascii_view(cn) == b"a&b " + blank * 8 + b" c&d"
    jp = iso_2022_jp_ms("う&ｦ&")
    assert ascii_view(jp) == blank * 8 + b"&" + blank * 7 + b"&"
    # JIS X 0201 Roman is ASCII but for "\" and "~"; a single shift takes the next character.
    assert ascii_view(b"\x1b$B$&\x1b(Jx&y") == blank * 8 + b"x&y"
    assert ascii_view(b"\x1b$+I\x1bO!&z&") == blank * 8 + b"z&"
    # A single shift inside a shifted run (ISO-2022-CN-EXT's plane 2) leaves it shifted.
    assert ascii_view(b"a\x0e8[\x1bN!&8[\x0f&") == b"a" + blank * 10 + b"&"
    # A run left open at the end is blanked to the end.
    assert ascii_view(b"a&\x1b$B$&&") == b"a&" + blank * 6


def test_links_titles_and_entities_are_repaired_in_iso_2022_cn() -> None:
    text = "<p>市政府宣布乏力的渡轮计划。</p>"
    body = _cn_rss(FARES, LINK, escape(text) + "渡轮&nbsp;票价 &hellip;")
    (entry,) = parse_feed(body, url="https://harbour.example/rss").entries
    assert (entry.title, entry.url) == (FARES, LINK)
    assert entry.text == "市政府宣布乏力的渡轮计划。\n渡轮 票价 …"


def test_the_two_byte_characters_are_left_whole() -> None:
    body = _cn_rss("乏力 & 乏味", "https://harbour.example/f", "乏")
    repaired = repair_entities(body, view=ascii_view(body))
    # The "&" of each 乏 is kept, the one in the ASCII between them rewritten.
    assert repaired.count(b"7&") == 3
    assert repaired.count(b"&amp;") == 1
    (entry,) = parse_feed(body).entries
    assert (entry.title, entry.text) == ("乏力 & 乏味", "乏")


def test_a_cdata_end_inside_a_character_ends_no_cdata_section() -> None:
    # 葺 and 菥 are "]]" and "]>" in ISO-2022-CN: "]]>" between them, read as ASCII, would end
    # the section early, and the "&" after it, in the section still, would become "&amp;".
    link = "https://harbour.example/葺菥?x=1&y=2"
    assert b"]]>" in iso_2022_cn("葺菥")
    (entry,) = parse_feed(_cn_rss("Ferry", f"<![CDATA[{link}]]>", "Q&A")).entries
    assert entry.url == link
    assert entry.text == "Q&A"


def test_iso_2022_jp_ms_has_its_ascii_repaired_and_its_kana_kept() -> None:
    title = "①㈱港湾&ｦ う AT&T"
    document = (
        '<?xml version="1.0" encoding="ISO-2022-JP-MS"?><rss version="2.0"><channel>'
        "<title>港湾ニュース</title><link>https://harbour.example/</link><item>"
        f"<title>{escape(title).replace('&amp;T', '&T')}</title><link>{LINK}</link>"
        "<description>運賃&nbsp;改定&hellip;</description></item></channel></rss>"
    )
    (entry,) = parse_feed(iso_2022_jp_ms(document)).entries
    assert (entry.title, entry.url, entry.text) == (title, LINK, "運賃 改定…")


async def test_the_poll_stores_them_as_written(server: FeedServer, tmp_path: Path) -> None:
    server.route("/cn", Reply(body=_cn_rss(FARES, LINK, "渡轮&nbsp;票价")))
    db = open_database(tmp_path / "nd.db")
    feed_store.add_feed(db, server.url("/cn"))

    report = await poll_feeds(db, POLLING, now=NOW)

    assert [(a.title, a.url, a.text) for a in report.new_articles] == [(FARES, LINK, "渡轮 票价")]
    (feed,) = feed_store.list_feeds(db)
    assert feed.last_error is None
    db.close()
