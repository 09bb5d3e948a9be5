"""An RSS item's own `<link>` is its URL when an Atom link of another rel comes first (related,
replies, self, enclosure, edit; `atom:` or .NET's `a10:` prefix): the fast parser matches
elements by local name, first wins, and so read the item as having no link at all (its GUID a
digest of its words)."""

from __future__ import annotations

import pytest

from bot.ingest.own_elements import has_foreign_first
from bot.ingest.parser import ParsedEntry, parse_feed
from tests._cost import assert_grows_linearly

_NAMESPACES = (
    'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:a10="http://www.w3.org/2005/Atom" '
    'xmlns:x="http://vendor.example/ns"'
)


def _items(*items: str) -> list[ParsedEntry]:
    doc = (
        f'<?xml version="1.0"?><rss version="2.0" {_NAMESPACES}><channel>'
        "<title>Allotment society</title><link>https://allotments.example.org/</link>"
        '<atom:link rel="self" href="https://allotments.example.org/rss"/>'
        + "".join(f"<item>{item}</item>" for item in items)
        + "</channel></rss>"
    )
    return parse_feed(doc.encode(), url="https://allotments.example.org/rss").entries


@pytest.mark.parametrize("rel", ["related", "replies", "self", "enclosure", "edit"])
def test_own_link_after_an_atom_link_of_another_rel(rel: str) -> None:
    (entry,) = _items(
        f'<atom:link rel="{rel}" href="https://elsewhere.example/plot-7"/>'
        "<title>Plot 7 is free again</title>"
        "<link>https://allotments.example.org/news/plot-7</link>"
    )
    assert entry.url == "https://allotments.example.org/news/plot-7"
    assert entry.guid == "https://allotments.example.org/news/plot-7"


def test_own_link_after_a_dotnet_a10_link() -> None:
    (entry,) = _items(
        '<a10:link rel="related" href="https://elsewhere.example/compost"/>'
        "<title>Compost bins delivered</title>"
        "<link>https://allotments.example.org/news/compost</link>"
        '<guid isPermaLink="false">allot-118</guid>'
    )
    assert entry.url == "https://allotments.example.org/news/compost"
    assert entry.guid == "allot-118"


def test_own_link_after_a_foreign_text_link() -> None:
    (entry,) = _items(
        "<x:link>https://elsewhere.example/tracking/9</x:link><title>Seed swap on Sunday</title>"
        "<link>https://allotments.example.org/news/seed-swap</link>"
    )
    assert entry.url == "https://allotments.example.org/news/seed-swap"
    assert entry.guid == "https://allotments.example.org/news/seed-swap"


def test_only_the_item_with_the_atom_link_first_is_repaired() -> None:
    plain, repaired = _items(
        "<title>Water trough fixed</title><link>https://allotments.example.org/news/trough</link>",
        '<atom:link rel="replies" href="https://allotments.example.org/news/shed#comments"/>'
        "<title>New shed roof</title><link>https://allotments.example.org/news/shed</link>",
    )
    assert plain.url == "https://allotments.example.org/news/trough"
    assert repaired.url == "https://allotments.example.org/news/shed"


def test_an_alternate_atom_link_still_counts() -> None:
    (entry,) = _items(
        '<atom:link rel="alternate" href="https://allotments.example.org/news/bees"/>'
        "<title>Bees are back</title>"
    )
    assert entry.url == "https://allotments.example.org/news/bees"


def test_an_atom_link_alone_of_another_rel_is_still_no_link() -> None:
    (entry,) = _items(
        '<atom:link rel="related" href="https://elsewhere.example/frost"/>'
        "<title>Frost warning</title><description>Cover the seedlings.</description>"
    )
    assert entry.url is None
    assert entry.guid.startswith("sha1:")


def test_the_document_is_read_again_only_for_a_foreign_element_first() -> None:
    after = (
        b'<rss version="2.0"><channel><atom:link rel="self" href="https://a.example/rss"/>'
        b"<item><title>t</title><link>https://a.example/1</link>"
        b'<atom:link rel="related" href="https://b.example/"/></item></channel></rss>'
    )
    before = after.replace(
        b"<item><title>t</title>", b'<item><a10:link rel="edit" href="https://a.example/e"/>'
    )
    assert not has_foreign_first(after)
    assert has_foreign_first(before)
    # Another item's own link after this one's foreign link is not this one's.
    two = (
        b'<rss><channel><item><atom:link rel="related" href="https://b.example/"/></item>'
        b"<item><link>https://a.example/2</link></item></channel></rss>"
    )
    assert not has_foreign_first(two)


def test_the_scan_is_linear_in_foreign_links_of_one_item() -> None:
    def run(count: int) -> None:
        links = b'<atom:link rel="related" href="https://b.example/"/>' * count
        assert not has_foreign_first(b"<rss><channel><item>" + links + b"</item></channel></rss>")

    assert_grows_linearly(run, 80_000)
