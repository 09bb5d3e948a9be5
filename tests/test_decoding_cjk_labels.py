"""Legacy CJK labels read as browsers read them (the WHATWG encoding standard): a feed saying
gb2312, Shift_JIS, EUC-KR or Big5 is nearly always written in the wider set its site's tools
produce (GBK/GB18030, Windows-31J, Windows-949, Big5-HKSCS). libxml2 stops at the first character
outside the narrow set without an error, so titles and text were cut short or lost. Fixtures
written for these tests; each title has a character only the wider set holds."""

from __future__ import annotations

import pytest

from bot.ingest.decoding import to_utf8
from bot.ingest.parser import parse_feed

# (label as a site would write it, codec the bytes are really in, title using the wider set)
WIDE = [
    ("gb2312", "gbk", "堃城晚报 头条 续篇"),
    ("GB2312", "gb18030", "堃城晚报 头条 续篇"),
    ("gbk", "gb18030", "堃城晚报 头条 续篇"),
    ("x-gbk", "gbk", "堃城晚报 头条 续篇"),
    ("Shift_JIS", "cp932", "第②回 髙木町の祭り ～ 続報"),
    ("sjis", "cp932", "第②回 髙木町の祭り ～ 続報"),
    ("x-sjis", "cp932", "第②回 髙木町の祭り ～ 続報"),
    ("EUC-KR", "cp949", "뷁 마을 소식 계속"),
    ("ks_c_5601-1987", "cp949", "뷁 마을 소식 계속"),
    ("big5", "big5hkscs", "今日嘅新聞 咗啦"),
]


def _rss(title: str, declaration: str = "") -> str:
    return (
        f'{declaration}<rss version="2.0"><channel><title>Bulletin</title><item><title>{title}'
        f"</title><link>https://bulletin.example/1</link><description>{title}</description>"
        "</item></channel></rss>"
    )


def _decl(label: str) -> str:
    return f'<?xml version="1.0" encoding="{label}"?>'


@pytest.mark.parametrize(("label", "codec", "title"), WIDE)
def test_a_narrow_declaration_reads_the_wider_set(label: str, codec: str, title: str) -> None:
    body = _rss(title, _decl(label)).encode(codec)
    entry = parse_feed(body, url="https://bulletin.example/feed").entries[0]
    assert (entry.title, entry.text) == (title, title)


@pytest.mark.parametrize(("label", "codec", "title"), WIDE)
def test_a_narrow_http_charset_reads_the_wider_set(label: str, codec: str, title: str) -> None:
    body = _rss(title).encode(codec)
    entry = parse_feed(body, content_type=f"application/rss+xml; charset={label}").entries[0]
    assert (entry.title, entry.text) == (title, title)


@pytest.mark.parametrize(("label", "codec", "title"), WIDE[::3])
def test_a_stock_utf8_declaration_yields_to_a_narrow_http_charset(
    label: str, codec: str, title: str
) -> None:
    # The bytes are not UTF-8, so the server's charset is the better word; read widely too.
    body = _rss(title, _decl("utf-8")).encode(codec)
    entry = parse_feed(body, content_type=f"text/xml; charset={label}").entries[0]
    assert entry.title == title


@pytest.mark.parametrize(("label", "codec", "title"), WIDE)
def test_to_utf8_transcodes_and_relabels(label: str, codec: str, title: str) -> None:
    out = to_utf8(_rss(title, _decl(label)).encode(codec), None)
    assert out == _rss(title, _decl("utf-8")).encode("utf-8")


@pytest.mark.parametrize(
    ("label", "codec", "bad"),
    [("Shift_JIS", "cp932", b"\x81"), ("gb2312", "gbk", b"\xff"), ("euc-kr", "cp949", b"\xff")],
)
def test_undecodable_bytes_are_replaced_not_the_rest_lost(
    label: str, codec: str, bad: bytes
) -> None:
    title = WIDE[[c for _, c, _ in WIDE].index(codec)][2]
    good = title.encode(codec)
    body = (
        _rss("TITLE", _decl(label)).encode("ascii").replace(b"TITLE", good + bad + b" " + good, 1)
    )
    entry = parse_feed(body).entries[0]
    assert entry.title == f"{title}\ufffd {title}"


@pytest.mark.parametrize(("label", "title"), [("gb2312", "堃城晚报"), ("Shift_JIS", "第②回")])
def test_utf8_bytes_under_a_cjk_label_stay_utf8(label: str, title: str) -> None:
    # A server or template default: bytes valid as UTF-8 are almost never anything else.
    body = _rss(title).encode("utf-8")
    assert parse_feed(body, content_type=f"text/xml; charset={label}").entries[0].title == title
    body = _rss(title, _decl(label)).encode("utf-8")
    assert parse_feed(body).entries[0].title == title


def test_text_in_the_narrow_set_still_reads() -> None:
    title = "東京の天気と交通"
    body = _rss(title, _decl("Shift_JIS")).encode("shift_jis")
    assert parse_feed(body).entries[0].title == title
