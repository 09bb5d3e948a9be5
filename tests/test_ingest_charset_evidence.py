"""Which charset bytes are read in when their label and their evidence disagree. Bytes that are
not UTF-8 where UTF-8 is declared or assumed: in the server's charset when the bytes bear it
out, else windows-1252 byte by byte only when the bad bytes look like windows-1252 text, and
otherwise U+FFFD as the parsers give it, not Latin mojibake that would be indexed as words. An
ISO-8859-1 XML declaration means windows-1252, as the same label over HTTP does. Fixtures
written for these tests."""

from __future__ import annotations

import pytest

from bot.ingest.parser import parse_feed

# Every character windows-1252 gives a high byte: what reading foreign bytes as it produces.
_CP1252_HIGH = set(bytes(range(0x80, 0x100)).decode("cp1252", "ignore"))


def _rss(title: bytes, declaration: bytes = b"") -> bytes:
    return (
        declaration + b'<rss version="2.0"><channel><title>Desk</title><item><title>' + title
        + b"</title><link>https://desk.example/1</link></item></channel></rss>"
    )  # fmt: skip


def _title(body: bytes, content_type: str | None = None) -> str:
    return parse_feed(body, content_type=content_type).entries[0].title


UTF8_DECL = b'<?xml version="1.0" encoding="utf-8"?>'


@pytest.mark.parametrize(
    ("charset", "title"),
    [
        ("windows-1251", "Курс рубля упал за неделю"),
        ("koi8-r", "Выборы в городской совет"),
        ("shift_jis", "大阪で新しい駅が開業"),
        ("euc-kr", "부산 항구 확장 공사 시작"),
    ],
)
def test_a_stock_utf8_declaration_yields_to_the_http_charset_the_bytes_bear_out(
    charset: str, title: str
) -> None:
    # The CMS template says utf-8 whatever the site writes; the server knows better.
    content_type = f"application/rss+xml; charset={charset}"
    assert _title(_rss(title.encode(charset), UTF8_DECL), content_type) == title
    # Bytes that are UTF-8 keep the declaration's word.
    assert _title(_rss(title.encode("utf-8"), UTF8_DECL), content_type) == title


@pytest.mark.parametrize("charset", ["utf-16", "utf-16-le", "cp037"])
def test_an_http_charset_that_is_not_ascii_compatible_is_no_evidence(charset: str) -> None:
    # These bytes would decode in it without error, into nonsense.
    title = "Zoë’s “naïve” résumé"
    body = _rss(title.encode("cp1252"), UTF8_DECL)
    assert _title(body, f"text/xml; charset={charset}") == title


@pytest.mark.parametrize(
    ("codec", "title"),
    [
        ("shift_jis", "東京の天気予報と交通情報"),
        ("euc-jp", "横浜港に大型客船が入港"),
        ("big5", "台北市政府今日發布新聞稿"),
        ("euc-kr", "서울 날씨 예보와 교통 정보"),
        ("koi8-r", "Погода в Москве на выходные"),
        ("cp1251", "Новости дня и недели"),
    ],
)
@pytest.mark.parametrize("declaration", [b"", UTF8_DECL])
def test_undeclared_non_latin_bytes_are_not_read_as_windows_1252(
    codec: str, title: str, declaration: bytes
) -> None:
    got = _title(_rss(title.encode(codec), declaration))
    assert "\ufffd" in got
    assert not set(got) & _CP1252_HIGH, got


def test_a_few_windows_1252_bytes_among_cjk_utf8_are_still_repaired() -> None:
    # Valid UTF-8 runs, however long, are no evidence against windows-1252 for the bad bytes.
    body = _rss("東京 — “café” ".encode() + "Zoë’s naïve résumé".encode("cp1252"))
    assert _title(body) == "東京 — “café” Zoë’s naïve résumé"


def test_an_iso_8859_1_xml_declaration_is_read_as_windows_1252() -> None:
    # 0x93/0x94/0x96 are C1 controls in true Latin-1 but quotes and a dash to every browser;
    # 0x81, which windows-1252 leaves undefined, stays Latin-1.
    body = _rss(
        b"\x93Sant\xe9\x94 2019\x962020 \x81", b'<?xml version="1.0" encoding="ISO-8859-1"?>'
    )
    assert _title(body) == "“Santé” 2019–2020 \x81"
