""" "Half a billion" is one count of 500 million, but "one and a half billion" is not: the LLM
writer's figure check passed "500 million" against a source's "one and a half billion"."""

from __future__ import annotations

from decimal import Decimal

from bot.summarize.quantities import quantities


def _values(text: str) -> list[Decimal]:
    return [Decimal(str(q.value)) for q in quantities(text)]


def test_half_a_billion_is_five_hundred_million() -> None:
    assert _values("Officials sent half a billion doses.") == [Decimal(500_000_000)]


def test_one_and_a_half_billion_is_never_read_as_half_a_billion() -> None:
    assert Decimal(500_000_000) not in _values("The fund holds one and a half billion dollars.")
    assert Decimal(500_000) not in _values("Two and a half million people voted.")
