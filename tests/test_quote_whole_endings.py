"""A quote is not cut a few words short of its sentence's end: a sentence of up to
QUOTE_WHOLE_MAX_WORDS words is quoted whole, and a window stopping at most QUOTE_WHOLE_SLACK words
before the full stop runs to it."""

from __future__ import annotations

from bot.summarize.grounding import ELLIPSIS, is_verbatim
from bot.summarize.quotes import verbatim_quote


def test_a_sentence_a_few_words_past_the_window_is_quoted_whole() -> None:
    sentence = (
        "The harbour board said on Monday that the night ferry between Pellmouth and the "
        "island would run again from Friday, even as the strike by deckhands goes on into "
        "its third week."
    )
    assert 24 < len(sentence.split()) <= 32
    quote = verbatim_quote(sentence, f"Intro. {sentence} Outro.", ["deckhands"])
    assert quote == sentence
    assert ELLIPSIS not in quote


def test_a_window_stopping_few_words_short_of_a_long_sentences_end_runs_to_it() -> None:
    opening = (
        "After three weeks of talks in the harbour office at Pellmouth, with the mayor, the "
        "board, two mediators and the owners all present, "
    )
    rest = (
        "the deckhands' union agreed to end the strike on Friday and put the new pay offer "
        "to its members by the end of the month."
    )
    sentence = opening + rest
    assert len(sentence.split()) > 32
    quote = verbatim_quote(sentence, sentence, ["deckhands'", "union"])
    # Opened at the clause the novel words are in, and shown to its own full stop.
    assert quote == f"{ELLIPSIS}{rest}"
    assert is_verbatim(quote, sentence)


def test_a_very_long_sentence_is_still_cut_to_a_card_line() -> None:
    sentence = " ".join(
        [
            "The deckhands' union agreed on Friday, after three weeks of talks, to end the",
            "strike and put the pay offer to its members, who will vote by post over the next",
            "month on whether to accept it, reject it, or ask the board and the owners for a",
            "further round of talks in the harbour office at Pellmouth before the summer.",
        ]
    )
    quote = verbatim_quote(sentence, sentence, ["deckhands'", "union"])
    assert quote and quote.endswith(ELLIPSIS)
    assert len(quote.replace(ELLIPSIS, " ").split()) <= 24
