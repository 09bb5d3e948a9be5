"""An outlet backs a TL;DR bullet only if its sentence gives the bullet's figures, not others.

Every story here is invented. A reviewer found "raised the death toll to 1,941" credited to an
outlet saying 1,419: the bullet's figure had been read as a year, so nothing was compared.
"""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize.grounding import supporting_outlets


def _backers(bullet: str, other: str) -> list[str]:
    articles = [
        Article(id="a", source="Origin Times", title="", text=bullet),
        Article(id="b", source="Daily Ledger", title="", text=other),
    ]
    return supporting_outlets(bullet, "Origin Times", articles, outlet_names(articles))


@pytest.mark.parametrize(
    ("bullet", "other"),
    [
        (
            "Health officials in Marevia on Tuesday raised the death toll from the earthquake "
            "to 1,941.",
            "Health officials in Marevia on Tuesday raised the death toll from the earthquake "
            "to 1,419.",
        ),
        (
            "Harbor Freight Lines said on Monday it would cut 1,950 jobs at its Ohio depots by "
            "the end of the year.",
            "Harbor Freight Lines will cut 950 jobs at its Ohio depots by the end of the year, "
            "the company said Monday.",
        ),
        (
            "The storm destroyed 2,000 homes along the coast of Marevia, officials said on Sunday.",
            "Officials in Marevia said on Sunday that the storm destroyed 200 homes along the "
            "coast.",
        ),
        (
            "Health officials in Marevia on Tuesday raised the death toll from the earthquake "
            "to 1941.",
            "Health officials in Marevia on Tuesday raised the death toll from the earthquake "
            "to 1,419.",
        ),
        (
            "The Marevia port authority, founded in 1911, approved a new ferry terminal on "
            "Tuesday.",
            "The Marevia port authority, founded in 1921, approved a new ferry terminal on "
            "Tuesday.",
        ),
    ],
)
def test_another_figure_is_no_support(bullet: str, other: str) -> None:
    assert _backers(bullet, other) == ["Origin Times"]


@pytest.mark.parametrize(
    ("bullet", "other"),
    [
        (
            "The storm destroyed 2,000 homes along the coast of Marevia, officials said on Sunday.",
            "Officials in Marevia said on Sunday that the storm destroyed 2000 homes along the "
            "coast.",
        ),
        (
            "The storm destroyed 2,000 homes along the coast of Marevia, officials said on Sunday.",
            "Officials in Marevia said on Sunday that the storm destroyed two thousand homes "
            "along the coast.",
        ),
        (
            "The Marevia port authority, founded in 2019, approved a new ferry terminal on "
            "Tuesday.",
            "The Marevia port authority approved a new ferry terminal for 12 ships on Tuesday.",
        ),
        (
            "Harbor Freight Lines said on Monday it would cut 1,950 jobs at its Ohio depots, "
            "closing 12 of its 40 warehouses by the end of the year.",
            "Harbor Freight Lines will cut 1,950 jobs at its Ohio depots, the company said Monday.",
        ),
    ],
)
def test_the_same_figures_or_fewer_are_support(bullet: str, other: str) -> None:
    assert _backers(bullet, other) == ["Origin Times", "Daily Ledger"]
