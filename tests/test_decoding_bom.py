"""A UTF-8 byte-order mark beats the XML declaration, as XML and browsers have it: a template
that stamps `encoding="iso-8859-1"` over a file its editor saved as UTF-8 with a BOM showed
mojibake ("CafÃ© ZoÃ«"). UTF-16 and UTF-32 bodies are read as UTF-8, their declaration relabelled. Fixtures written for these tests."""

from __future__ import annotations

import codecs

import pytest

from bot.ingest.decoding import to_utf8
from bot.ingest.parser import parse_feed

TITLE = "Zoë’s café reopens — “finally”"


def _rss(title: str = TITLE) -> str:
    return (
        f'<rss version="2.0"><channel><title>Rue Neuve</title><item><title>{title}</title>'
        "<link>https://rueneuve.example/1</link></item></channel></rss>"
    )


def _decl(label: str) -> str:
    return f'<?xml version="1.0" encoding="{label}"?>'


@pytest.mark.parametrize("label", ["iso-8859-1", "windows-1252", "windows-1251", "Shift_JIS"])
@pytest.mark.parametrize("content_type", [None, "text/xml; charset=utf-8", "text/xml"])
def test_a_utf8_bom_beats_a_conflicting_declaration(label: str, content_type: str | None) -> None:
    body = codecs.BOM_UTF8 + (_decl(label) + _rss()).encode("utf-8")
    assert parse_feed(body, content_type=content_type).entries[0].title == TITLE


def test_a_utf8_bom_beats_the_declaration_and_the_http_charset() -> None:
    body = codecs.BOM_UTF8 + (_decl("iso-8859-1") + _rss()).encode("utf-8")
    parsed = parse_feed(body, content_type="text/xml; charset=windows-1251")
    assert parsed.entries[0].title == TITLE


def test_to_utf8_relabels_the_declaration_and_drops_the_mark() -> None:
    body = codecs.BOM_UTF8 + (_decl("iso-8859-1") + _rss()).encode("utf-8")
    assert to_utf8(body, None) == (_decl("utf-8") + _rss()).encode("utf-8")


@pytest.mark.parametrize("declaration", ["", _decl("utf-8"), _decl("UTF8")])
def test_a_utf8_bom_that_agrees_still_reads(declaration: str) -> None:
    body = codecs.BOM_UTF8 + (declaration + _rss()).encode("utf-8")
    assert parse_feed(body, content_type="text/xml; charset=iso-8859-1").entries[0].title == TITLE


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-16-le", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_bodies_are_read_as_utf8_relabelled(codec: str) -> None:
    # As UTF-8, what reads the bytes before the parsers (the attribute guard, the cut of a big
    # document's older entries) finds the markup; by mark, or with none by the first "<?".
    body = (_decl(codec) + _rss()).encode(codec)
    if codec == "utf-16-be":
        body = codecs.BOM_UTF16_BE + body
    assert to_utf8(body, "text/xml; charset=iso-8859-1") == (_decl("utf-8") + _rss()).encode()
    assert parse_feed(body).entries[0].title == TITLE


def test_a_bad_code_unit_in_utf16_becomes_its_escaped_bytes() -> None:
    # Left in UTF-16, the body would go past the byte-level guards unread (`wide_encodings`).
    body = codecs.BOM_UTF16_LE + (_decl("utf-16") + _rss()).encode("utf-16-le") + b"\x00\xdc"
    read = to_utf8(body, None)
    assert read.startswith(b'<?xml version="1.0" encoding="utf-8"')
    # Escaped, not U+FFFD: two GUIDs differing only there stay two (`test_ingest_wide_guids`).
    assert read.endswith(b"\\x00\\xdc")


def test_windows_1252_strays_after_a_utf8_bom_are_repaired() -> None:
    # The mark declares UTF-8, so the module's rule for a pasted windows-1252 title applies.
    body = codecs.BOM_UTF8 + (_decl("iso-8859-1") + _rss()).encode("utf-8")
    body = body.replace(TITLE.encode("utf-8"), TITLE.encode("cp1252"))
    assert parse_feed(body).entries[0].title == TITLE
