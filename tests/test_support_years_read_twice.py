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
