"""A headline cut from body text (a teaser its feed cut off, or a long first sentence) never
leaves a quotation open: it is closed after the ellipsis, or the cut goes before its opening
mark when the quotation would hold a single word. A plural's possessive ("the pilots' union")
and an apostrophe ("don’t", "the ’90s") open and close nothing, but a mark after "s" before a
little word ("a ‘total mess’ as ...") closes a quotation, and either double mark closes either
double opener ("safe," after “)."""

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


@pytest.mark.parametrize(
    "text",
    [
        # A quotation ending on "s" before a little word is closed, not a plural's possessive.
        "The harbour master called the levy a ‘needless costs’ as skippers queued at the office",
        "The pilots called the offer 'an insult to the crews' while the owners stayed silent",
        "She said the rota was ‘unfair to the deckhands’ and left the meeting",
        # A double quotation closed by the other kind of double mark.
        '"We will reopen the quay by spring.” — harbour chief Rosa Ferreira',
        '“The channel is clear now," the pilot told crews on Monday',
    ],
)
def test_a_quotation_closed_before_a_little_word_or_by_a_mixed_mark_is_closed(text: str) -> None:
    assert open_quotes(text) == [], text


def test_a_plural_possessive_inside_a_quotation_keeps_it_open() -> None:
    text = "The mayor said ‘the deckhands’ new rota is fair to"
    assert open_quotes(text) == [text.index("‘")]
    assert open_quotes("The harbour pilots' union said no") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The mayor called the ferry plan a ‘costly mess’ as councillors argued over the "
            "harbour budget late into the night and nobody agreed on any of it.",
            "The mayor called the ferry plan a ‘costly mess’ as councillors argued over the "
            f"harbour budget{ELLIPSIS}",
        ),
        (
            '“The crossing is safe," the harbour master told reporters on the quay.',
            '“The crossing is safe," the harbour master told reporters on the quay',
        ),
        (
            '"We will rebuild the slipway.” — ferry board chair Ines Moreau',
            '"We will rebuild the slipway.” — ferry board chair Ines Moreau',
        ),
    ],
)
def test_a_headline_gets_no_stray_closing_mark(text: str, expected: str) -> None:
    assert _headline(text) == expected
