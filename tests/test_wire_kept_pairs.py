"""A story waiting to go out is counted again and again: each channel's digest ranks it by the
sources new to that channel (three counts of its parts), its card counts them, clustering counts
it as it grows. Each count shingled every article again, so on a six-month database choosing one
channel's digest spent half its seconds there, for every channel. A story's copy pairs are now
kept under a fingerprint of its titles and texts: counted again, it is not shingled again; grown
or corrected, it is judged afresh; the memory is bounded; and a part of a story counts from the
whole's pairs exactly as it counts alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import combinations

import pytest

from bot.cluster import wire
from bot.cluster.wire import KeptPairs, independent_count, independent_sources
from bot.models import Article
from bot.pipeline.digest_rank import new_sources

AT = datetime(2027, 5, 3, 9, 0, tzinfo=UTC)
# An agency's lead, long enough to judge as copy on its text alone.
AGENCY = (
    "Harbour pilots in Tessaly walked off the job at dawn on Monday, leaving eleven container"
    " ships anchored outside the port while talks over night shift pay broke down again."
)
OWN = (
    "Dock workers we spoke to on the quay said the pilots had warned for weeks that the rota"
    " left too few of them on duty after midnight, and that the port knew it."
)
OTHER = (
    "Shipping lines began diverting vessels to Corvin on Monday afternoon, and freight agents"
    " said perishable cargo would be the first to suffer if the stoppage lasted."
)


def article(id_: str, source: str, text: str, *, title: str = "Tessaly pilots strike") -> Article:
    return Article(id=id_, source=source, title=title, text=text, seen=AT, published=AT)


STORY = [
    article("1", "Alpha", AGENCY),
    article("2", "Beta", AGENCY),
    article("3", "Gamma", OWN),
    article("4", "Alpha", OTHER),
]


@pytest.fixture
def shingled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts shingled, one entry a text, with no copy pairs kept before."""
    monkeypatch.setattr(wire, "COPIES", KeptPairs())
    seen: list[str] = []
    shingles = wire.shingles

    def counted(text: str) -> set[int]:
        seen.append(text)
        return shingles(text)

    monkeypatch.setattr(wire, "shingles", counted)
    return seen


def test_a_story_counted_again_is_not_shingled_again(shingled: list[str]) -> None:
    assert independent_sources(STORY) == (2, [["Alpha", "Beta"]])
    once = len(shingled)
    assert once >= len(STORY)
    # Every channel's digest ranks it, from its own last digest: each counts three parts.
    for hours in (1, 6, 30):
        assert new_sources(list(STORY), AT - timedelta(hours=hours)) == 2
        assert new_sources(list(STORY), AT + timedelta(hours=hours)) == 0
    assert independent_sources(list(STORY)) == (2, [["Alpha", "Beta"]])
    assert len(shingled) == once


def test_a_story_that_grew_or_was_corrected_is_judged_afresh(shingled: list[str]) -> None:
    assert independent_sources(STORY) == (2, [["Alpha", "Beta"]])
    before = len(shingled)
    # A fourth outlet runs the agency's lead: one source more copying, none more independent.
    grown = [*STORY, article("5", "Delta", AGENCY)]
    assert independent_sources(grown) == (2, [["Alpha", "Beta", "Delta"]])
    assert len(shingled) > before
    # Beta replaces the agency's lead with reporting of its own, under the same article id.
    corrected = [STORY[0], replace(STORY[1], text=OTHER.replace("Corvin", "Marden")), *STORY[2:]]
    assert independent_sources(corrected) == (2, [["Alpha", "Beta"]])  # Beta's OTHER is Alpha's
    rewritten = [STORY[0], replace(STORY[1], text=OWN.replace("pilots", "crews")), *STORY[2:]]
    assert independent_sources(rewritten) == (2, [["Beta", "Gamma"]])
    own_words = "Beta's reporter counted nine tugs idle at the breakwater and no pilots aboard any."
    independent = [STORY[0], replace(STORY[1], text=own_words), *STORY[2:]]
    assert independent_sources(independent) == (3, [])


def test_the_kept_pairs_are_bounded(shingled: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = KeptPairs(size=2)
    pairs.put(b"a", ((0, 1),))
    pairs.put(b"b", ())
    assert pairs.get(b"a") == ((0, 1),)  # used: kept over b
    pairs.put(b"c", ((1, 2),))
    assert len(pairs) == 2
    assert pairs.get(b"b") is None
    assert pairs.get(b"a") == ((0, 1),)
    assert pairs.get(b"c") == ((1, 2),)
    # Two stories taking turns in a cache of one: each judged afresh, and judged right.
    monkeypatch.setattr(wire, "COPIES", KeptPairs(size=1))
    other = [article("6", "Epsilon", OWN), article("7", "Zeta", OWN)]
    for _ in range(2):
        assert independent_sources(STORY) == (2, [["Alpha", "Beta"]])
        assert independent_sources(other) == (1, [["Epsilon", "Zeta"]])
    assert len(wire.COPIES) == 1
    assert len(shingled) == 2 * (len(STORY) + len(other))


def test_a_part_counts_from_the_whole_as_it_counts_alone() -> None:
    # Two one-line teasers that share a stock sentence (judged with their headlines: not copy),
    # two that share a headline too (copy), an outlet with two articles, and an agency's lead.
    stock = "Flights were cancelled across the region on Monday."
    story = [
        *STORY,
        article("5", "Delta", stock, title="Ash cloud closes Kelvar airport"),
        article("6", "Epsilon", stock, title="Travel chaos as volcano erupts"),
        article("7", "Zeta", stock, title="Ash cloud closes Kelvar airport"),
        article("8", "Gamma", AGENCY),
        Article(id="9", source="unknown", title="Pilots strike", text=OTHER),
    ]
    # An unknown outlet is one of its own ("article 9"), here running Alpha's second article.
    groups = [["Alpha", "Beta", "Gamma", "article 9"], ["Delta", "Zeta"]]
    assert independent_sources(story) == (3, groups)
    for size in range(len(story) + 1):
        for part in combinations(range(len(story)), size):
            alone = independent_sources([story[i] for i in part])[0]
            assert independent_count(story, part) == alone, part
    # In any order, however often an index is named.
    assert independent_count(story, [3, 0, 1, 1]) == 1


def test_a_growing_story_keeps_one_entry(shingled: list[str]) -> None:
    # Every size a story passed through was kept: a 200-article wire story left 200 entries.
    grown = list(STORY)
    for k in range(30):
        grown.append(article(f"g{k}", f"Outlet {k}", AGENCY))
        independent_sources(grown)
    assert len(wire.COPIES) == 1
    whole = len(grown) * (len(grown) - 1) // 2
    assert wire.COPIES.pairs <= whole
    # The newest version answers from memory; another story is an entry of its own.
    before = len(shingled)
    assert independent_sources(list(grown))[0] == 2
    assert len(shingled) == before
    independent_sources([article("6", "Epsilon", OWN), article("7", "Zeta", OWN)])
    assert len(wire.COPIES) == 2


def test_the_kept_pairs_are_bounded_by_their_number(shingled: list[str]) -> None:
    pairs = KeptPairs(size=100, max_pairs=5)
    pairs.put(b"a", ((0, 1), (0, 2), (1, 2)))
    pairs.put(b"b", ((0, 1),))
    assert pairs.pairs == 4
    pairs.put(b"c", ((0, 1), (1, 2)))  # 6 pairs: the oldest story goes
    assert pairs.get(b"a") is None
    assert pairs.get(b"b") == ((0, 1),)
    assert pairs.get(b"c") == ((0, 1), (1, 2))
    assert pairs.pairs == 3
    # One story with more pairs than the budget is not kept at all, nor drops the others.
    pairs.put(b"d", tuple((0, i) for i in range(1, 8)))
    assert pairs.get(b"d") is None
    assert len(pairs) == 2
    assert wire.MAX_KEPT_PAIRS <= 2_000_000
