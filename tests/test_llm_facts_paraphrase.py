"""Honest paraphrases `llm_facts` refused: a count in tens written in words ("in forty years"),
decades for years, a council's members as its actors, and "local" for "city" council. What
still contradicts the sources is still refused."""

from __future__ import annotations

import pytest

from bot.summarize.grounding import ungrounded
from bot.summarize.llm_facts import misstated

SOURCES = [
    "The Marrow Point city council voted 8 to 3 on Monday for a new ferry pier. The pier is the "
    "town's largest harbour project in forty years, the mayor said. Councillor Ida Venn voted "
    "against it. A state transport grant covers most of the cost, and building will take two "
    "years.",
]


@pytest.mark.parametrize(
    "claim",
    [
        "It is the largest harbour project in 40 years.",
        "It is the largest harbour project in four decades.",
        "Councillors voted 8 to 3 for a new ferry pier.",
        "The local council voted 8 to 3 for the pier.",
        "The municipal council backed the pier.",
    ],
)
def test_an_honest_paraphrase_is_taken(claim: str) -> None:
    assert misstated(claim, SOURCES) is None


@pytest.mark.parametrize(
    ("claim", "wrong"),
    [
        ("It is the largest harbour project in fifty years.", "fifty years"),
        ("It is the largest harbour project in forty-two years.", "forty-two years"),
        ("It is the largest harbour project in five decades.", "five decades"),
        ("A federal transport grant covers the cost.", "federal transport"),
        ("The county council voted for the pier.", "county council"),
        ("The mayor voted against it.", "The mayor voted"),
        ("Councillors voted 3 to 8 for the pier.", "3 to 8"),
    ],
)
def test_what_the_sources_state_otherwise_is_still_refused(claim: str, wrong: str) -> None:
    assert misstated(claim, SOURCES) == wrong


def test_a_count_the_sources_give_only_roughly_is_not_contradicted() -> None:
    sources = ["The pier took dozens of years to win approval, and two years to plan."]
    assert misstated("The pier took 30 years to win approval.", sources) is None


def test_a_sentence_may_open_on_a_thing_the_sources_write_in_lower_case() -> None:
    # "Debate lasted" was read as a person named Debate, whom no source names.
    sources = ["The council approved the pier after a five hour debate on Monday."]
    assert ungrounded("Debate lasted five hours before the council approved it.", sources) == []
    assert ungrounded("Debates ran late.", sources) == []
    # One the sources never write at all is still a name to ground.
    assert ungrounded("Hobbs lasted five hours before the council approved it.", sources) == [
        "Hobbs"
    ]
