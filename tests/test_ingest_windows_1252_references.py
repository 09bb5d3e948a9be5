"""Numeric character references written as windows-1252 byte values (`&#146;` for an apostrophe,
`&#150;` for a dash), as old CMSs and Word pastes write them. XML reads them as C1 control
characters; HTML5 reads them as the windows-1252 characters meant, and so do titles and text."""

from __future__ import annotations

from bot.ingest.normalize import html_to_text, title_to_text
from bot.ingest.parser import ParsedEntry, parse_feed


def _item(inner: str) -> ParsedEntry:
    doc = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Parish newsletter</title>'
        f"<link>https://parish.example.org/</link><item>{inner}"
        "<link>https://parish.example.org/news/fete</link></item></channel></rss>"
    )
    (entry,) = parse_feed(doc.encode(), url="https://parish.example.org/rss").entries
    return entry


def test_title_references_are_the_punctuation_meant() -> None:
    entry = _item("<title>Fete&#146;s on &#150; bring &#147;cakes&#148;</title>")
    assert entry.title == "Fete\u2019s on \u2013 bring \u201ccakes\u201d"


def test_description_references_are_the_punctuation_meant() -> None:
    entry = _item(
        "<title>Fete</title><description>Stalls open at ten &#150; raffle at noon&#133;"
        " &#128;2 a ticket.</description>"
    )
    assert entry.text == "Stalls open at ten \u2013 raffle at noon\u2026 \u20ac2 a ticket."


def test_escaped_html_body_with_references() -> None:
    # The reference inside escaped markup reaches the HTML parser, not XML's.
    entry = _item(
        "<title>Fete</title>"
        "<description>&lt;p&gt;We&amp;#146;ll need &lt;b&gt;volunteers&lt;/b&gt;&lt;/p&gt;"
        "</description>"
    )
    assert entry.text == "We\u2019ll need volunteers"


def test_c1_characters_in_plain_strings() -> None:
    assert title_to_text("Don\x92t stop") == "Don\u2019t stop"
    assert html_to_text("<p>Tea \x96 and \x93scones\x94</p>") == "Tea \u2013 and \u201cscones\u201d"


def test_c1_code_points_windows_1252_leaves_undefined_stay() -> None:
    # 0x81, 0x8D, 0x8F, 0x90 and 0x9D name no character in windows-1252; HTML5 keeps them.
    assert title_to_text("a\x81b") == "a\x81b"
