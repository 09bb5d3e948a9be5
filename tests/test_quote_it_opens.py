"""A quote opening on "It is unclear whether ..." or "It will take ..." says what it means on
its own; only "It was the ..." points back at a sentence the card does not show."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.quotes import Told, pick_quote

STANDING = [
    "It is difficult to see how the tribunal could overturn the levy without reopening the 2019 "
    "settlement.",
    "It was not immediately clear whether the fishermen would take the case to the high court.",
    "It will take at least three years to dredge the silted channel north of the breakwater.",
    "It's unclear how many of the 140 stallholders will move to the new covered market.",
    "It has become harder for small growers to find pickers since the visa rules changed.",
]
POINTING = [
    "It was the third closure of the quarry road this spring, after two rockfalls in April.",
    "It is a move that could cost the town its last remaining bank branch by the autumn.",
    "It was approved by a narrow margin after a long and heated debate in the chamber.",
]


def _quote(sentence: str) -> str:
    text = f"The council met on Thursday to discuss the harbour levy. {sentence}"
    article = Article(id="1", source="Quay Post", title="Harbour levy", text=text)
    focus = [w.strip(".,") for w in sentence.split() if len(w) > 5][:4]
    return pick_quote([(1.0, sentence, article, focus)], Told())


@pytest.mark.parametrize("sentence", STANDING)
def test_it_with_a_judgement_or_a_time_stands_alone(sentence: str) -> None:
    assert _quote(sentence) == sentence


@pytest.mark.parametrize("sentence", POINTING)
def test_it_pointing_back_is_dropped(sentence: str) -> None:
    assert _quote(sentence) == ""
