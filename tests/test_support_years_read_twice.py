"""A number in a year's range may read as a year in one outlet's words and as a count in
another's ("2022 profits" beside "profits ... in 2022"; "built 1932" beside "built in 1932"): one
figure, so a bullet written either way is backed by the outlets that give it. Different values
still never back each other (tests/test_support_figures.py)."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.support import supporting_outlets

OUTLETS = ["Harbor Times", "Daily Ledger"]
TEXTS = [
    "Brightmill said on Tuesday that its profits doubled to $4 billion in 2022, helped by strong"
    " demand. The ferry bridge, built in 1932, will close for repairs.",
    "Profits at Brightmill doubled to $4 billion in 2022, the company said. The ferry bridge was"
    " built in 1932 and closes in May.",
]


@pytest.mark.parametrize(
    "bullet",
    [
        "2022 profits at Brightmill doubled to $4 billion",
        "Brightmill's profits doubled to $4 billion in 2022",
        "The ferry bridge, built 1932, will close for repairs",
    ],
)
def test_a_year_read_as_either_is_one_figure(bullet: str) -> None:
    articles = [
        Article(id=str(i), source=o, title="Brightmill results", text=t)
        for i, (o, t) in enumerate(zip(OUTLETS, TEXTS, strict=True))
    ]
    assert supporting_outlets(bullet, None, articles, OUTLETS) == OUTLETS


@pytest.mark.parametrize(
    ("bullet", "text"),
    [
        # A count at a sentence's start is still a count: 200 is not 2000.
        (
            "2000 people marched through Harbor Square",
            "Police said 200 people marched through Harbor Square on Saturday.",
        ),
        # The separator settles "2,000" a count: "in 2000" is a date, not the same figure.
        (
            "Floods destroyed 2,000 homes in the valley",
            "Floods destroyed homes in the valley, as they last did in 2000.",
        ),
    ],
)
def test_a_count_and_another_figure_are_not_one(bullet: str, text: str) -> None:
    articles = [
        Article(id="0", source=OUTLETS[0], title="Harbor news", text=text),
        Article(id="1", source=OUTLETS[1], title="Harbor news", text=text),
    ]
    assert supporting_outlets(bullet, None, articles, OUTLETS) == []
