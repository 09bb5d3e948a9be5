"""Which charset bytes are read in when their label and their evidence disagree: an ISO-8859-1
XML declaration means windows-1252, as the same label over HTTP does. Fixtures written for
these tests."""

from __future__ import annotations

from bot.ingest.parser import parse_feed


def _rss(title: bytes, declaration: bytes = b"") -> bytes:
    return (
        declaration + b'<rss version="2.0"><channel><title>Desk</title><item><title>' + title
        + b"</title><link>https://desk.example/1</link></item></channel></rss>"
    )  # fmt: skip


def _title(body: bytes, content_type: str | None = None) -> str:
    return parse_feed(body, content_type=content_type).entries[0].title


def test_an_iso_8859_1_xml_declaration_is_read_as_windows_1252() -> None:
    # 0x93/0x94/0x96 are C1 controls in true Latin-1 but quotes and a dash to every browser;
    # 0x81, which windows-1252 leaves undefined, stays Latin-1.
    body = _rss(
        b"\x93Sant\xe9\x94 2019\x962020 \x81", b'<?xml version="1.0" encoding="ISO-8859-1"?>'
    )
    assert _title(body) == "“Santé” 2019–2020 \x81"
