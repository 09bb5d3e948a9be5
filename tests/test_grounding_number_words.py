"""Figures the LLM writer spells out are checked like figures in digits: "fourteen billion
dollars" is not the "$14 million" of the sources, nor "eighteen months" their "eight months"."""

from __future__ import annotations

import pytest
from test_summarize_fixtures import harbor_bridge_story

from bot.outlets import outlet_names
from bot.summarize import summarize
from bot.summarize.grounding import ungrounded
from bot.summarize.llm_check import LLMRejected, check_answer

CLOSED = "Millbrook closed its harbor bridge on Tuesday after a storm left cracks in the main span."
SOURCES = [
    "The repair bill could reach $14 million and the work may take eight months. About 3,000 "
    "drivers use the bridge each day; twenty-five engineers and two hundred and fifty volunteers "
    "helped. One of the engineers said no one was hurt."
]


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("The bill could reach fourteen billion dollars.", ["fourteen billion"]),
        ("The bill could reach ninety million dollars.", ["ninety million"]),
        ("The work may take eighteen months.", ["eighteen"]),
        ("The work may take eight hundred months.", ["eight hundred"]),
        ("The work may take a hundred months.", ["a hundred"]),
        ("Twenty-six engineers helped.", ["Twenty-six"]),
        ("Tens of thousands of drivers use the bridge.", ["Tens of thousands"]),
        ("Millions of drivers use the bridge.", ["Millions"]),
        # Dollars and drivers are not counted alike: $14 million is no "billions of dollars".
        ("Billions of dollars went to the repair.", ["Billions"]),
    ],
)
def test_an_invented_figure_in_words_is_not_grounded(text: str, missing: list[str]) -> None:
    assert ungrounded(text, SOURCES) == missing


@pytest.mark.parametrize(
    "text",
    [
        # Either spelling grounds the other.
        "The bill could reach fourteen million dollars.",
        "The work may take 8 months.",
        "The work may take eight months.",
        "25 engineers and 250 volunteers helped.",
        "Twenty-five engineers and two hundred and fifty volunteers helped.",
        # A rough count is grounded by a source count in its range.
        "Thousands of drivers use the bridge each day.",
        # "one" as a pronoun is no count, and "a" no number of its own.
        "One of the engineers said no one was hurt.",
        "The work may take eight months, a source said.",
    ],
)
def test_a_figure_in_words_that_the_sources_give_is_grounded(text: str) -> None:
    assert ungrounded(text, SOURCES) == []


def test_a_rough_count_is_grounded_by_a_rougher_source_word_inside_it() -> None:
    assert ungrounded("Thousands marched.", ["Tens of thousands marched."]) == []
    assert ungrounded("Hundreds of thousands marched.", ["Thousands marched."]) == [
        "Hundreds of thousands"
    ]


def _check(answer: dict[str, object]) -> list[str]:
    articles = harbor_bridge_story()
    summary = check_answer(answer, articles, outlet_names(articles), summarize(articles))
    return [b.text for b in summary.tldr]


def test_the_llm_answer_with_an_invented_figure_in_words_is_rejected() -> None:
    with pytest.raises(LLMRejected, match="fourteen billion"):
        _check({"tldr": [CLOSED, "The repair bill could reach fourteen billion dollars."]})
    with pytest.raises(LLMRejected, match="thousands"):
        _check({"tldr": [CLOSED, "Traffic for thousands of drivers was diverted."]})
    angle = {
        "source": "Coastline Times",
        "line": "Adds that the work may take eighteen months.",
        "quote": "the work may take eight months",
    }
    bill = "The repair bill could reach $14 million and the work may take eight months."
    with pytest.raises(LLMRejected, match="eighteen"):
        _check({"tldr": [CLOSED, bill], "angles": [angle]})
    # The same figure in the other spelling passes.
    spelled = "The repair bill could reach fourteen million dollars and the work may take 8 months."
    assert _check({"tldr": [CLOSED, spelled]}) == [CLOSED, spelled]


def test_a_figure_opening_a_line_after_a_headline_is_a_count() -> None:
    # "$" also matches before a line break: the headline's last letter made "Two" a label.
    sources = [
        "Senators call for renewal of Voting Rights Act\nTwo senators asked Congress on Monday."
    ]
    assert ungrounded("Two senators asked Congress.", sources) == []
    assert ungrounded("2 senators asked Congress.", sources) == []


@pytest.mark.parametrize(
    ("text", "source"),
    [
        # A lone small number word counts what the sources name or give in other units.
        ("Between two and three thousand people came.", "Between 2,000 and 3,000 people came."),
        ("It was the first time in four decades.", "It was the first time in 40 years."),
        ("The two leaders met on Monday.", "Biden and Xi met on Monday."),
    ],
)
def test_a_small_number_word_in_a_claim_is_not_held_to_a_figure(text: str, source: str) -> None:
    assert ungrounded(text, [source]) == []


def test_a_number_word_from_eleven_up_is_still_checked() -> None:
    assert ungrounded("The work may take eighteen months.", ["It may take 8 months."]) == [
        "eighteen"
    ]
