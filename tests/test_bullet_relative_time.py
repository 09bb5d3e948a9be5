"""A bullet is read hours or days after its sources were written: "this morning", "today" or
"yesterday" in it is then wrong. Such words go where the sentence reads as well without them;
a weekday, a quotation's words and a time the sentence needs stay."""

from __future__ import annotations

import time

import pytest

from bot.models import Article
from bot.summarize import summarize
from bot.summarize.compress import compress
from bot.summarize.relative_time import without_relative_time


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The Harbour Party claimed a clear victory this morning in the first vote since the strike.",
            "The Harbour Party claimed a clear victory in the first vote since the strike.",
        ),
        (
            "The port minister said this morning that the ferries would sail again next week.",
            "The port minister said that the ferries would sail again next week.",
        ),
        (
            "Earlier today, the council voted to close the old quay to cargo ships.",
            "The council voted to close the old quay to cargo ships.",
        ),
        (
            "Yesterday, inspectors found cracks in two hulls of the Port Ellis ferries.",
            "Inspectors found cracks in two hulls of the Port Ellis ferries.",
        ),
        (
            "The Harbour Party, today, said it would join the coalition in Port Ellis.",
            "The Harbour Party said it would join the coalition in Port Ellis.",
        ),
        (
            "The quay closure plan was defeated this morning by a wide margin in the council.",
            "The quay closure plan was defeated by a wide margin in the council.",
        ),
        (
            "Crews cleared the flooded coast road tonight after a week of storms.",
            "Crews cleared the flooded coast road after a week of storms.",
        ),
        (
            "The ferry union called off its strike this afternoon, ending a week of cancellations.",
            "The ferry union called off its strike, ending a week of cancellations.",
        ),
    ],
)
def test_a_relative_time_goes_where_the_sentence_reads_without_it(
    sentence: str, expected: str
) -> None:
    assert compress(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # An absolute day still names the day.
        "Talks on the ferry contract resumed on Tuesday in Port Ellis after a pause.",
        # The speaker's own words.
        '"We will reopen the quay today or tomorrow," the harbour master told reporters there.',
        # The sentence needs it: after a preposition or "is", or one of a pair.
        "Crews worked until late yesterday to clear the flooded coast road near Port Ellis.",
        "The deadline for bids on the ferry contract is today, according to the notice.",
        "Ministers met yesterday and today to discuss the closure of the old quay.",
        "New ferry timetables take effect in Port Ellis starting today.",
        # A programme's name, and a possessive.
        "The mayor went on the Today programme to defend the closure of the old quay.",
        "Today's vote on the ferry contract was postponed by the Port Ellis council.",
        # No comma: the phrase may be the sentence's subject.
        "Today marks a year since the ferry fleet of Port Ellis was grounded.",
    ],
)
def test_a_time_the_sentence_needs_or_quotes_stays(sentence: str) -> None:
    assert without_relative_time(sentence) == sentence


def test_no_bullet_keeps_this_morning() -> None:
    articles = [
        Article(
            id="0",
            source="Harbor Times",
            title="Harbour Party wins Port Ellis vote",
            text="The Harbour Party claimed a clear victory this morning in the first Port Ellis "
            "vote since the dock strike. Its leader Mara Quist will form a council within a week. "
            "Turnout was the highest in twenty years.",
        ),
        Article(
            id="1",
            source="Daily Ledger",
            title="Harbour Party takes Port Ellis council",
            text="The Harbour Party won the Port Ellis council vote, the first since the dock "
            "strike, this morning. Mara Quist is set to lead the new council.",
        ),
    ]
    bullets = [b.text for b in summarize(articles).tldr]
    assert any("Harbour Party" in b for b in bullets), bullets
    assert not any("morning" in b for b in bullets), bullets


def test_many_relative_times_stay_linear() -> None:
    # Each match once re-read the whole text before it: 8,000 of them took nearly a minute.
    text = "the ferry sailed today, " * 20_000
    start = time.perf_counter()
    out = without_relative_time(text)
    assert time.perf_counter() - start < 2.0
    assert "today" not in out
