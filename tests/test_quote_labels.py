"""A transcript speaker's label ("HOST:") or a list's marker ("• ", "- ") opening an outlet's
sentence is no one's words: a quote's window and a line start after it, and the quote is still
the outlet's text verbatim."""

from __future__ import annotations

import pytest

from bot.summarize.compress import compress
from bot.summarize.grounding import is_verbatim
from bot.summarize.quotes import verbatim_quote


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("ADA HOLM: ", "It is not just the ferry the board is watching, we heard from a pilot."),
        ("• ", "In Tolberg, they released about 400 eels from the harbour basin at night."),
        ("- ", "In Tolberg, they released about 400 eels from the harbour basin at night."),
        ("* ", "In Tolberg, they released about 400 eels from the harbour basin at night."),
    ],
)
def test_a_label_opens_no_quote_and_no_line(label: str, words: str) -> None:
    source = f"The harbour board met on Monday.\n{label}{words}"
    quote = verbatim_quote(label + words, source, [])
    assert quote == words
    assert is_verbatim(quote, source)
    assert compress(label + words) == words


@pytest.mark.parametrize(
    "sentence",
    [
        "-5% was the fall in the harbour fees this year, the board said in its report.",
        "*NSYNC played the harbour festival on Sunday night before a crowd of thousands.",
    ],
)
def test_a_sign_that_is_no_marker_stays(sentence: str) -> None:
    assert verbatim_quote(sentence, sentence, []) == sentence
