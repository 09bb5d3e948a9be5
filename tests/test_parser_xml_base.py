"""Relative entry links resolve against the xml:base in effect (the feed's or the entry's),
not only against the address the feed was fetched from."""

from __future__ import annotations

from bot.ingest.parser import parse_feed


def _urls(feed_base: str, entry_base: str, link: str) -> list[str | None]:
    doc = (
        f'<feed xmlns="http://www.w3.org/2005/Atom" {feed_base}><title>Orchard log</title>'
        f"<entry {entry_base}><title>Pruning the pears</title><id>tag:orchard.example.org,1</id>"
        f'<link href="{link}"/><updated>2026-01-05T09:00:00Z</updated></entry></feed>'
    )
    return [
        e.url for e in parse_feed(doc.encode(), url="https://feeds.example.net/orchard").entries
    ]


def test_the_feed_xml_base_resolves_a_relative_link() -> None:
    urls = _urls('xml:base="https://orchard.example.org/log/"', "", "pears.html")
    assert urls == ["https://orchard.example.org/log/pears.html"]


def test_an_entry_xml_base_builds_on_the_feed_one() -> None:
    urls = _urls('xml:base="https://orchard.example.org/log/"', 'xml:base="2026/"', "pears.html")
    assert urls == ["https://orchard.example.org/log/2026/pears.html"]


def test_without_xml_base_the_fetch_address_resolves() -> None:
    assert _urls("", "", "/log/pears.html") == ["https://feeds.example.net/log/pears.html"]


def test_an_absolute_link_ignores_xml_base() -> None:
    urls = _urls('xml:base="https://orchard.example.org/log/"', "", "https://elsewhere.example/p")
    assert urls == ["https://elsewhere.example/p"]
