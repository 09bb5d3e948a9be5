"""A quote's window opens at the word it is for, also when the sentence writes that word as a
plural's possessive with a curly apostrophe ("the moorings’ repair"): the word is matched as
grounding reads names, its possessive dropped and its plural "s" kept."""

from __future__ import annotations

import pytest

from bot.summarize.quotes import verbatim_quote

SENTENCE = (
    "The harbour board met on Tuesday evening in the old customs house to hear from fishermen, "
    "ferry crews and residents about the storm, and after three hours it agreed to pay for the "
    "{word} repair before the winter season opens in the bay."
)


@pytest.mark.parametrize(
    ("word", "focus"),
    [
        ("moorings’", "moorings"),
        ("moorings'", "moorings"),
        ("Varnholt’s", "Varnholt"),
        ("moorings’", "moorings’"),
    ],
)
def test_the_window_holds_the_word_it_is_for(word: str, focus: str) -> None:
    sentence = SENTENCE.format(word=word)
    quote = verbatim_quote(sentence, sentence, [focus])
    assert word in quote, quote


def test_a_plural_possessive_is_not_taken_for_its_singular() -> None:
    sentence = SENTENCE.format(word="moorings’")
    quote = verbatim_quote(sentence, sentence, ["mooring"])
    assert "moorings’" not in quote, quote
