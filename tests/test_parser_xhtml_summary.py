"""An Atom entry whose only body is a `<summary type="xhtml">` keeps its words: the fast parser
reads such a summary as empty (a `type="xhtml"` content it reads)."""

from __future__ import annotations

from bot.ingest.parser import ParsedEntry, parse_feed

_XHTML = 'xmlns="http://www.w3.org/1999/xhtml"'


def _entries(*bodies: str) -> list[ParsedEntry]:
    entries = "".join(
        f"<entry><title>Ferry timetable {n}</title><id>urn:ferry:{n}</id>"
        f'<link href="https://ferry.example.net/notices/{n}"/>'
        f"<updated>2026-03-0{n}T07:30:00Z</updated>{body}</entry>"
        for n, body in enumerate(bodies, start=1)
    )
    doc = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>Harbour ferry notices</title><link href="https://ferry.example.net/"/>{entries}'
        "</feed>"
    )
    return parse_feed(doc.encode(), url="https://ferry.example.net/atom").entries


def test_an_xhtml_summary_is_the_text() -> None:
    (entry,) = _entries(
        f'<summary type="xhtml"><div {_XHTML}><p>The 07:10 sailing is <b>cancelled</b>'
        " on Friday.</p><p>Use the 07:40 instead.</p></div></summary>"
    )
    assert entry.text == "The 07:10 sailing is cancelled on Friday.\nUse the 07:40 instead."


def test_a_prefixed_xhtml_summary() -> None:
    (entry,) = _entries(
        '<summary type="xhtml"><x:div xmlns:x="http://www.w3.org/1999/xhtml">'
        "<x:p>Berths 2 and 3 close for dredging.</x:p><x:p>Use berth 4.</x:p></x:div></summary>"
    )
    assert entry.text == "Berths 2 and 3 close for dredging.\nUse berth 4."


def test_each_entry_keeps_its_own_summary() -> None:
    first, second, third = _entries(
        f'<summary type="xhtml"><div {_XHTML}>Night boats resume.</div></summary>',
        "<summary>Fares rise in April.</summary>",
        f'<summary type="xhtml"><div {_XHTML}>Pier lights <em>repaired</em>.</div></summary>',
    )
    assert first.text == "Night boats resume."
    assert second.text == "Fares rise in April."
    assert third.text == "Pier lights repaired."


def test_content_still_wins_over_an_xhtml_summary() -> None:
    (entry,) = _entries(
        f'<summary type="xhtml"><div {_XHTML}>Short note.</div></summary>'
        '<content type="html">&lt;p&gt;The full notice about the winter timetable.&lt;/p&gt;'
        "</content>"
    )
    assert entry.text == "The full notice about the winter timetable."
