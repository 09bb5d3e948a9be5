"""Reporting that merely holds a credit-like word is reporting: a poll by two firms joined with a
slash, two agencies' joint rule or an inline "(Photo: ...)" does not make a sentence a caption.
Only a line that is a caption as a whole (a "Photo:" or "Credit:" label, an agency's credit, an
archive photo's "FILE -") is passed over by the TL;DR and the angles; a "Story highlights" label
glued to a sentence is dropped and the sentence kept."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_caption, is_credit
from bot.models import Article
from bot.summarize import summarize
from bot.summarize.sentences import article_sentences

PROSE = [
    "A Tidewater/Crane Research survey shows the mayor ahead in four of five wards.",
    "A Bloomberg/Crane Research poll shows the mayor ahead in four of five wards.",
    "The EPA/DOT rule would halve soot from delivery vans by 2030.",
    "The AFP/Getty photographer was hurt when the crowd surged, the ministry said.",
    "Xinhua/Tass reports differed on the size of the crowd.",
]


@pytest.mark.parametrize("sentence", PROSE)
def test_a_slash_pair_inside_prose_is_no_caption(sentence: str) -> None:
    assert not is_caption(sentence)
    # Nor is it kept from a quote or a headline.
    assert not is_credit(sentence)


def test_an_inline_photo_credit_leaves_the_sentence_reporting() -> None:
    sentence = "The mayor cut the ribbon on Monday (Photo: Ana Lind) to loud cheers from the quay."
    assert not is_caption(sentence)
    assert is_credit(sentence)  # a quote or a headline would carry the credit


@pytest.mark.parametrize(
    "line",
    [
        "Photo: Ana Lind/Tide Agency",
        "Credit: Ana Lind. Crowds gathered at the quay.",
        "REUTERS/Ana Lind",
        "REUTERS/Ana Lind Rangers closed the north trail after a rockfall.",
        "Dockers cheer at the gate. REUTERS/Ana Lind",
        "FILE - In this 2019 file photo, the harbour master speaks on the quay.",
        "Credit Ana Lind/The Pell Courier",
    ],
)
def test_a_caption_line_is_still_passed_over(line: str) -> None:
    assert is_credit(line)
    if not line.startswith("Dockers"):
        assert is_caption(line)


def _poll_story() -> list[Article]:
    return [
        Article(
            id="1",
            source="Harbour Times",
            title="Mayor leads in four wards, survey finds",
            text="A new Bloomberg/Crane Research poll shows Mayor Ines Holt leading challenger "
            "Tor Weld in four of five city wards. The survey of 1,200 residents ran last week. "
            "Weld's team called the result a blip.",
        ),
        Article(
            id="2",
            source="Valley Post",
            title="Holt ahead of Weld in city wards",
            text="Mayor Ines Holt leads Tor Weld in four of five city wards, a Bloomberg/Crane "
            "Research poll shows. Holt is ahead by six points on average. Weld's team said polls "
            "move.",
        ),
        Article(
            id="3",
            source="Coast Herald",
            title="Holt leads Weld in most wards",
            text="Mayor Ines Holt leads Tor Weld in four city wards, according to the "
            "Bloomberg/Crane Research survey out on Tuesday. Housing was the top worry of those "
            "asked.",
        ),
    ]


def test_a_poll_named_with_a_slash_opens_the_tldr() -> None:
    card = summarize(_poll_story())
    first = card.tldr[0]
    assert "Bloomberg/Crane Research poll" in first.text, [b.text for b in card.tldr]
    assert len(first.sources) == 3


def test_a_highlights_label_is_dropped_and_its_sentence_kept() -> None:
    article = Article(
        id="1",
        source="Harbour Times",
        title="Bridge opens",
        text="Story highlights The Tarn bridge opened on Monday after six years of work. "
        "It cost 40 million crowns.",
    )
    sentences = article_sentences([article], ["Harbour Times"])
    assert [s.text for s in sentences] == [
        "The Tarn bridge opened on Monday after six years of work.",
        "It cost 40 million crowns.",
    ]
