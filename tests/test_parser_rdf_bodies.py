"""RSS 1.0 (RDF) items keep their content:encoded and dc:description, which the fast parser's
RDF path leaves out."""

from __future__ import annotations

from bot.ingest.parser import parse_feed

_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    ' xmlns="http://purl.org/rss/1.0/">'
    '<channel rdf:about="https://moss.example.net/"><title>Moss survey notes</title>'
    "<link>https://moss.example.net/</link><description>notes</description></channel>"
)


def _rdf(item_body: str) -> bytes:
    return (
        f'{_HEAD}<item rdf:about="https://moss.example.net/n/1"><title>Spring count</title>'
        f"<link>https://moss.example.net/n/1</link>{item_body}</item></rdf:RDF>"
    ).encode()


def test_content_encoded_beats_the_teaser() -> None:
    (entry,) = parse_feed(
        _rdf(
            "<description>Twelve new patches...</description>"
            "<content:encoded><![CDATA[<p>Twelve new patches were found on the north"
            " wall.</p><p>Two of them are a species not seen here since 1998.</p>]]>"
            "</content:encoded>"
        )
    ).entries
    assert entry.text == (
        "Twelve new patches were found on the north wall.\n"
        "Two of them are a species not seen here since 1998."
    )


def test_dc_description_is_the_text_when_there_is_nothing_else() -> None:
    (entry,) = parse_feed(
        _rdf("<dc:description>The survey resumes after the frost.</dc:description>")
    ).entries
    assert entry.text == "The survey resumes after the frost."


def test_an_rdf_item_without_bodies_still_parses() -> None:
    (entry,) = parse_feed(_rdf("")).entries
    assert entry.title == "Spring count" and entry.text == ""
