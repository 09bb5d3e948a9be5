"""A headline cut from body text (a teaser its feed cut off, or a long first sentence) never
leaves a quotation open: it is closed after the ellipsis, or the cut goes before its opening
mark when the quotation would hold a single word. A plural's possessive ("the pilots' union")
and an apostrophe ("don’t", "the ’90s") open and close nothing."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.headline import choose_headline
from bot.summarize.quote_marks import open_quotes


def _headline(*texts: str) -> str:
    articles = [
        Article(id=str(i), source=f"Outlet {i}", title="", text=t) for i, t in enumerate(texts)
    ]
    return choose_headline(articles)[0]


@pytest.mark.parametrize(
    ("teaser", "expected"),
    [
        (
            "Harbour minister says 'we will not sell the quay to anyone while I am in...",
            f"Harbour minister says 'we will not sell the quay to anyone while I am{ELLIPSIS}'",
        ),
        (
            "Harbour minister says “we will not sell the quay to anyone while I am in...",
            f"Harbour minister says “we will not sell the quay to anyone while I am{ELLIPSIS}”",
        ),
        (
            "Pilots' leader says 'the owners' offer is an insult to every crew that works...",
            f"Pilots' leader says 'the owners' offer is an insult to every crew{ELLIPSIS}'",
        ),
    ],
)
def test_a_quotation_a_teaser_cut_is_closed(teaser: str, expected: str) -> None:
    assert _headline(teaser) == expected


def test_a_one_word_quotation_is_cut_off_instead() -> None:
    headline = _headline("The harbour pilots turned down the new offer as “insulting...")
    assert headline == f"The harbour pilots turned down the new offer{ELLIPSIS}"


def test_a_long_sentence_cut_inside_a_quotation_closes_it() -> None:
    headline = _headline(
        "The ferry chief called the new levy “a blow to every crew member who has worked the "
        "night route for twenty years” and said he would fight it in court."
    )
    assert headline.endswith(f"{ELLIPSIS}”"), headline
    assert open_quotes(headline) == []


def test_a_sentence_whose_quotation_runs_on_is_closed() -> None:
    headline = _headline(
        'The mayor told the crowd: "We will rebuild this quay. We will do it well."'
    )
    assert headline == 'The mayor told the crowd: "We will rebuild this quay"'


@pytest.mark.parametrize(
    "text",
    [
        "The pilots' union said they don’t expect talks before the ’90s-era pier reopens",
        "Crews sang 'rock 'n' roll' songs on the quay",
        "He called it “a ‘final’ offer” and left",
    ],
)
def test_apostrophes_and_closed_quotations_leave_nothing_open(text: str) -> None:
    assert open_quotes(text) == []


def test_an_open_quotation_is_found_at_its_mark() -> None:
    text = "Pilots say 'the owners' offer is"
    assert open_quotes(text) == [text.index("'the")]
