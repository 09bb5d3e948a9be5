"""An untitled story's headline is a short complete clause of its lead, not a lead cut with "…",
and never a page's notice; a title in loaded words gives way to a neutral one. Text written for
the project."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.headline import choose_headline
from bot.summarize.headline_clauses import holds_main_clause
from bot.summarize.title_tone import badness


def _headline(*texts: str, titles: tuple[str, ...] = ()) -> str:
    articles = [
        Article(id=str(i), source=f"Outlet {i}", title=titles[i] if titles else "", text=t)
        for i, t in enumerate(texts)
    ]
    return choose_headline(articles)[0]


def test_a_long_lead_ends_on_its_main_clause_before_a_relative() -> None:
    headline = _headline(
        "A fundraiser will be held on Saturday at the Pellmouth boathouse for a young rowing "
        "coach who was badly hurt in a fall from the harbour wall last month."
    )
    assert headline == (
        "A fundraiser will be held on Saturday at the Pellmouth boathouse for a young rowing coach"
    )


def test_a_long_lead_ends_before_an_infinitive_phrase_with_no_ellipsis() -> None:
    headline = _headline(
        "Members of the harbour board are questioning the council's decision to sign a "
        "four million pound contract with a ferry firm that has never run a winter service."
    )
    assert not headline.endswith(ELLIPSIS), headline
    assert headline.startswith("Members of the harbour board are questioning the council"), headline


def test_a_teaser_cut_by_its_feed_ends_on_a_whole_clause_before_the_cut() -> None:
    headline = _headline(
        "Eight people have been arrested in the harbour police's inquiry into the sinking of "
        "the ferry Sea Lark off..."
    )
    assert headline == "Eight people have been arrested in the harbour police's inquiry"


@pytest.mark.parametrize(
    ("head", "tail", "whole"),
    [
        ("Eight people were arrested in the port inquiry", "into the sinking", True),
        ("A measure that would require crews to wear vests", "while at sea", False),
        ("Two former aides to a harbour delegate", "from the islands were indicted", False),
        ("The teacher is now", "in police custody", False),
        ("The ferry ran aground on Tuesday, but the harbour master", "said", False),
        ("Research suggests that the quay could be saved", "by new piles", True),
        # The tail's "is" is a coordinated verb's, not the sentence's main verb.
        (
            "The chapel is a timber building",
            "in Pellmouth, Norland, and is one of the oldest",
            True,
        ),
    ],
)
def test_a_cut_holds_the_main_clause(head: str, tail: str, whole: bool) -> None:
    assert holds_main_clause(head, tail.split()) is whole


@pytest.mark.parametrize(
    "notice",
    [
        "Please try again later.",
        "From Wikipedia, the free encyclopedia",
        "Correction 4 May 2019: This article has been amended to give the ferry's correct name.",
        "By Rosa Kettle",
    ],
)
def test_a_notice_never_heads_the_card(notice: str) -> None:
    headline = _headline(f"{notice}\nThe Pellmouth ferry Sea Lark ran aground on Tuesday.")
    assert headline == "The Pellmouth ferry Sea Lark ran aground on Tuesday"


@pytest.mark.parametrize(
    "loaded",
    [
        "Mayor forces harbour chief to admit the ferry contract was rushed",
        "Councillor's profane rant over ferry contract and harbour fares",
        "Harbour chief blasts mayor over rushed ferry contract",
    ],
)
def test_a_loaded_title_is_marked_down(loaded: str) -> None:
    assert badness(loaded) >= 0.4


def test_a_neutral_title_heads_the_card_over_a_loaded_one() -> None:
    text = "The harbour chief said the ferry contract was rushed, answering the mayor's questions."
    headline = _headline(
        text,
        text,
        titles=(
            "Mayor forces harbour chief to admit ferry contract was rushed by council",
            "Harbour chief tells mayor ferry contract was rushed",
        ),
    )
    assert headline == "Harbour chief tells mayor ferry contract was rushed"


def test_literal_blasting_off_is_no_loaded_verb() -> None:
    assert badness("Rocket blasts off from the Pellmouth range on its first flight") < 0.4


def test_loaded_wording_reads_verbs_not_explosions_or_surnames() -> None:
    from bot.summarize.title_tone import LOADED_RE

    for loaded in ("Obama torches Trump", "Host ripped guest", "Minister lambastes plan"):
        assert LOADED_RE.search(loaded), loaded
    for plain in ("Twin blasts kill 12 in market", "Jane Savage named coach", "Rocket blasts off"):
        assert not LOADED_RE.search(plain), plain
