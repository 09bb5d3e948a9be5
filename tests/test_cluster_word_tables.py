"""The clusterer's word tables (`features._TERMS`, `features._ENTITIES`, `profile._NOUNS`) are
memos a long-running bot fills with every new word, name and figure: each stays within its bound
however many distinct words arrive (docs/DEPLOY.md counts on it), and emptying one, whenever it
happens, changes no result."""

from __future__ import annotations

import pytest

from bot.cluster import features, profile
from bot.cluster.features import FeatureWeights, content_terms, entities
from bot.cluster.profile import raw_profile

# The bounds docs/DEPLOY.md's memory figure is measured with.
BOUNDS = {"terms": 65_536, "entities": 32_768, "nouns": 16_384}


def _letters(i: int) -> str:
    """A distinct lowercase letters-only word for each `i` (names must be letters to count)."""
    out = ""
    while True:
        i, d = divmod(i, 26)
        out += chr(ord("a") + d)
        if i == 0:
            return out + "q"


def _fill(feed: object, count: int, per_call: int, table: dict[str, str]) -> int:
    """Feed `count` distinct words, `per_call` at a time; the largest size the table reached
    between calls (a table emptied within a call is seen below its bound)."""
    largest = 0
    for start in range(0, count, per_call):
        feed(range(start, min(start + per_call, count)))  # type: ignore[operator]
        largest = max(largest, len(table))
    return largest


@pytest.fixture
def tables(monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, str], ...]:
    fresh: tuple[dict[str, str], ...] = ({}, {}, {})
    monkeypatch.setattr(features, "_TERMS", fresh[0])
    monkeypatch.setattr(features, "_ENTITIES", fresh[1])
    monkeypatch.setattr(profile, "_NOUNS", fresh[2])
    return fresh


def test_terms_never_hold_more_than_their_bound(tables: tuple[dict[str, str], ...]) -> None:
    bound = BOUNDS["terms"]
    largest = _fill(
        lambda ids: content_terms(" ".join(_letters(i) for i in ids)),
        bound + 5_000,
        200,
        tables[0],
    )
    assert bound - 200 < largest <= bound  # filled up to it, never past it
    assert content_terms("proposals for the harbour") == ["propos", "harbour"]


def test_entities_never_hold_more_than_their_bound(tables: tuple[dict[str, str], ...]) -> None:
    bound = BOUNDS["entities"]
    largest = _fill(
        lambda ids: entities(
            "we met " + " and ".join(f"X{_letters(i)} Y{_letters(i)}" for i in ids), titled=False
        ),
        bound + 5_000,
        100,
        tables[1],
    )
    assert bound - 100 < largest <= bound


def test_proper_nouns_never_hold_more_than_their_bound(
    tables: tuple[dict[str, str], ...],
) -> None:
    bound = BOUNDS["nouns"]
    largest = _fill(
        lambda ids: profile._proper_nouns(
            "we met " + " and ".join("Z" + _letters(i) for i in ids), False
        ),
        bound + 5_000,
        100,
        tables[2],
    )
    assert bound - 100 < largest <= bound


_ARTICLES = [
    (
        "Harbour board approves new ferry terminal after long dispute",
        "The Harbour Board of Port Elwin voted 7 to 2 on Tuesday to approve a $40 million ferry "
        "terminal, ending a dispute with the Fishers Union that began in 2019. Mayor Ada Brennan "
        "said the terminal would open in spring. The union's leader, Tomas Reyes, said members "
        "would accept the plan if night crossings kept their current crews.",
    ),
    (
        "Storm closes mountain pass for third day",
        "Snow and high winds kept the Carrow Pass closed for a third day on Thursday, the Regional "
        "Roads Office said, with 300 lorries waiting at Dunmere. Forecasters at the Northern "
        "Weather Service expect the storm to ease by Saturday.",
    ),
]


def _profiles() -> list[object]:
    w = FeatureWeights()
    return [raw_profile(title, text, w) for title, text in _ARTICLES]


def test_results_are_the_same_before_and_after_the_tables_are_emptied(
    tables: tuple[dict[str, str], ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _profiles()  # every word computed
    warm = _profiles()  # every word from the tables
    for table in tables:
        assert table
        table.clear()
    cleared = _profiles()
    # Bounds so small that the tables are emptied in the middle of every call.
    for table in tables:
        table.clear()
    monkeypatch.setattr(features, "_TERMS_CAP", 3)
    monkeypatch.setattr(features, "_ENTITIES_CAP", 1)
    monkeypatch.setattr(profile, "_NOUNS_CAP", 2)
    churned = _profiles()
    assert cold == warm == cleared == churned
    assert len(tables[0]) <= 3 and len(tables[1]) <= 1 and len(tables[2]) <= 2


def test_words_longer_than_a_word_are_worked_out_not_kept(
    tables: tuple[dict[str, str], ...],
) -> None:
    # Chinese without spaces, or letters a feed strings together, make one "word" of a whole
    # text: 65,536 of them would hold gigabytes in a table bounded by its number of entries.
    long_word = "和平协议" * 2_000
    long_name = "Zed" + "q" * 5_000
    long_run = " ".join(f"Alder{_letters(i)}" for i in range(200))
    text = f"we met {long_name} and {long_run} on {long_word} and the harbour"
    cold = raw_profile("Talks", text, FeatureWeights())
    assert all(len(key) <= 64 for key in tables[0]) and "harbour" in tables[0]
    assert all(len(key) <= 256 for key in tables[1])
    assert all(len(key) <= 64 for key in tables[2])
    assert raw_profile("Talks", text, FeatureWeights()) == cold  # the same, computed again
    assert content_terms(long_word) == content_terms(long_word) != []
