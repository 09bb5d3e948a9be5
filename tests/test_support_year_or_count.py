"""A number in a year's range is one figure read as a year or as a count only while the words
around it leave it open. When a noun of things counted follows it ("2000 people") and a dating
word precedes the other ("since 2000", "in 2000"), both readings are settled: a march of 2000
people is not backed by an outlet saying people have marched there since 2000."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.support import supporting_outlets

OUTLETS = ["Harbor Times", "Daily Ledger"]


def _backers(bullet: str, text: str) -> list[str]:
    articles = [
        Article(id=str(i), source=o, title="Harbor news", text=text) for i, o in enumerate(OUTLETS)
    ]
    return supporting_outlets(bullet, None, articles, OUTLETS)


@pytest.mark.parametrize(
    ("bullet", "text"),
    [
        (
            "2000 people marched through Harbor Square",
            "People have marched through Harbor Square every spring since 2000.",
        ),
        (
            "Floods destroyed 2000 homes in the valley",
            "Floods destroyed homes in the valley, as they last did in 2000.",
        ),
        (
            "2000 people marched through Harbor Square",
            "People first marched through Harbor Square in 2000, the organisers said.",
        ),
    ],
)
def test_a_counted_number_and_a_dated_year_are_two_figures(bullet: str, text: str) -> None:
    assert _backers(bullet, text) == []


@pytest.mark.parametrize(
    ("bullet", "text"),
    [
        # A year qualifies the noun: the words leave either reading open.
        (
            "2022 profits at Brightmill doubled to $4 billion",
            "Profits at Brightmill doubled to $4 billion in 2022, the company said.",
        ),
        # The same count told twice is backed, whatever dates it.
        (
            "2000 people marched through Harbor Square",
            "Police said 2000 people marched through Harbor Square in 2019.",
        ),
    ],
)
def test_one_figure_read_either_way_is_still_backed(bullet: str, text: str) -> None:
    assert _backers(bullet, text) == OUTLETS
