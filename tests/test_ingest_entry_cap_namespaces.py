"""Date elements are read by their namespace, not the prefix a feed spells it with, as the
parser reads them: an RSS 2.0 item's by local name in any namespace; an Atom entry's in the
Atom namespace only; an RSS 1.0 (RDF) item's by Dublin Core's <date>, else Dublin Core terms'
<modified>, Atom's <issued> and <modified>, and an unprefixed <guid>. Ranked otherwise, the cut
kept other entries than the parser would have; counted by prefix, a mostly dated feed under
another prefix was read by expat (which costs it more than its parse) instead of left whole."""

from __future__ import annotations

import random

import pytest
from _entry_cap_feeds import at, choices, rfc822

from bot.ingest.parser import MAX_FEED_ENTRIES

COUNT = MAX_FEED_ENTRIES + 300
ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
RDF_HEAD = (
    '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    ' xmlns="http://purl.org/rss/1.0/" {declarations}>'
    '<channel rdf:about="https://q.example/"><title>Q</title></channel>'
)


def _shuffled(seed: int = 3) -> list[int]:
    numbers = list(range(COUNT))
    random.Random(seed).shuffle(numbers)
    return numbers


def _rdf(children: str, declarations: str) -> bytes:
    """An RSS 1.0 document of COUNT items, shuffled, each with `children` formatted with n and
    its date."""
    items = "".join(
        f'<item rdf:about="https://q.example/{n}"><title>N {n}</title>'
        f"<link>https://q.example/{n}</link>"
        + children.format(n=n, iso=at(n).isoformat(), rfc=rfc822(n))
        + "</item>"
        for n in _shuffled()
    )
    return (RDF_HEAD.format(declarations=declarations) + items + "</rdf:RDF>").encode()


@pytest.mark.usefixtures("dated_documents_cut")
@pytest.mark.parametrize(
    ("children", "declarations"),
    [
        # Dublin Core terms' <issued> and Atom's <updated>: no date to the parser's RDF reading.
        ("<t:issued>{iso}</t:issued>", f'xmlns:t="{DCTERMS}"'),
        ("<a:updated>{iso}</a:updated>", f'xmlns:a="{ATOM}"'),
        ("<pubDate>{rfc}</pubDate>", ""),
        # Dublin Core's <date> under another prefix, and another namespace's <date>.
        ("<d:date>{iso}</d:date>", f'xmlns:d="{DC}"'),
        ("<x:date>{iso}</x:date><d:date>2024-01-01</d:date>", f'xmlns:x="urn:x" xmlns:d="{DC}"'),
        # Its fallbacks: Dublin Core terms' <modified>, Atom's <issued>, an unprefixed <guid>.
        ("<t:modified>{iso}</t:modified>", f'xmlns:t="{DCTERMS}"'),
        ("<a:issued>{iso}</a:issued>", f'xmlns:a="{ATOM}"'),
        ("<d:date> </d:date><a:issued>{iso}</a:issued>", f'xmlns:a="{ATOM}" xmlns:d="{DC}"'),
        (
            "<d:date>soon</d:date><t:modified>{iso}</t:modified>",
            f'xmlns:t="{DCTERMS}" xmlns:d="{DC}"',
        ),
        ("<guid>{iso}</guid>", ""),
    ],
)
def test_rss_1_items_rank_by_the_dates_the_parser_reads_there(
    children: str, declarations: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_cut, whole = choices(_rdf(children, declarations), monkeypatch)
    assert with_cut == whole


def _rss(children: str, declarations: str) -> bytes:
    items = "".join(
        f"<item><title>N {n}</title><guid>https://q.example/{n}</guid>"
        + children.format(iso=at(n).isoformat(), rfc=rfc822(n))
        + "</item>"
        for n in _shuffled()
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0" {declarations}><channel><title>Q</title>'
        f"{items}</channel></rss>"
    ).encode()


def _atom(prefix: str, children: str, declarations: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    entries = "".join(
        f"<{p}entry><{p}id>urn:n:{n}</{p}id><{p}title>N {n}</{p}title>"
        + children.format(p=p, iso=at(n).isoformat())
        + f"</{p}entry>"
        for n in _shuffled()
    )
    return (
        f'<?xml version="1.0"?><{p}feed {xmlns}="{ATOM}" {declarations}><{p}title>Q</{p}title>'
        f"{entries}</{p}feed>"
    ).encode()


@pytest.mark.parametrize(
    "body",
    [
        _rss("<a:updated>{rfc}</a:updated>", f'xmlns:a="{ATOM}"'),
        _rss("<d:date>{iso}</d:date>", f'xmlns:d="{DC}"'),
        _rss("<t:modified>{iso}</t:modified>", f'xmlns:t="{DCTERMS}"'),
        _atom("a", "<{p}updated>{iso}</{p}updated>"),
        _atom("", "<at:published>{iso}</at:published>", f'xmlns:at="{ATOM}"'),
        _rdf("<d:date>{iso}</d:date>", f'xmlns:d="{DC}"'),
    ],
    ids=["rss-atom-updated", "rss-dc-date", "rss-dcterms", "atom-prefixed", "atom-at", "rdf-d"],
)
def test_a_mostly_dated_feed_under_any_prefix_is_parsed_whole(
    body: bytes, monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole
    assert parsed_sizes[0] == len(body)  # not read by expat first: the parser dates them fast


def test_an_atom_feed_dated_only_by_dublin_core_is_undated_to_the_parser_and_cut(
    monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    body = _atom("", "<dc:date>{iso}</dc:date>", f'xmlns:dc="{DC}"')
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole
    assert with_cut[0] == "urn:n:" + str(_shuffled()[0])  # undated: in document order
    assert parsed_sizes[0] < len(body)
