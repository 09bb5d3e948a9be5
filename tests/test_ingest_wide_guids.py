"""A UTF-16 document's bad code units keep entries apart: two GUIDs that differ only in a lone
surrogate once both became U+FFFD, one GUID, and the second story was taken for the first."""

from __future__ import annotations

import codecs

from bot.ingest.parser import parse_feed
from bot.ingest.wide_encodings import wide_to_utf8


def _utf16(items: str) -> bytes:
    doc = (
        '<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Tides</title>'
        f"{items}</channel></rss>"
    )
    return codecs.BOM_UTF16_LE + doc.encode("utf-16-le", "surrogatepass")


def test_guids_differing_only_in_a_bad_code_unit_stay_distinct() -> None:
    items = "".join(
        f"<item><title>Tide {n}</title><guid>tide-2{bad}</guid></item>"
        for n, bad in ((1, "\ud800"), (2, "\ud801"))
    )
    guids = [entry.guid for entry in parse_feed(_utf16(items)).entries]
    assert len(guids) == 2
    assert len(set(guids)) == 2


def test_a_bad_code_unit_still_transcodes_to_utf8() -> None:
    converted = wide_to_utf8(_utf16("<item><guid>tide\udc00</guid></item>"))
    assert converted is not None
    assert b'encoding="utf-8"' in converted
    assert b"<guid>tide\\x00\\xdc</guid>" in converted
