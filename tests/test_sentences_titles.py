"""Sentence splitting around plural titles ("Sens.", "Reps.") and the number sign "No.": a
plural title holds its names in the sentence, and "no" ends one unless a number follows."""

from __future__ import annotations

import pytest

from bot.summarize.sentences import split_sentences


@pytest.mark.parametrize("title", ["Sens.", "Reps.", "Govs.", "Gens.", "Drs.", "Attys."])
def test_a_plural_title_holds_its_names(title: str) -> None:
    text = (
        f"The ferry bill was drafted by {title} Ada Holm and Piet Vos of the harbour caucus. "
        "It goes to a vote on Friday."
    )
    assert split_sentences(text) == [
        f"The ferry bill was drafted by {title} Ada Holm and Piet Vos of the harbour caucus.",
        "It goes to a vote on Friday.",
    ]


def test_the_word_no_ends_a_sentence() -> None:
    text = "The harbour master was asked to reopen the pier and said no. Fishers protested."
    assert split_sentences(text) == [
        "The harbour master was asked to reopen the pier and said no.",
        "Fishers protested.",
    ]


def test_no_before_a_number_is_still_an_abbreviation() -> None:
    text = "The ferry left from Pier No. 4 at dawn. Nos. 2 and 3 stayed shut."
    assert split_sentences(text) == [
        "The ferry left from Pier No. 4 at dawn.",
        "Nos. 2 and 3 stayed shut.",
    ]


def test_an_abbreviation_after_a_slash_holds_the_sentence() -> None:
    text = (
        "The Lundia/U.S. Joint Harbour Command said the drill would go ahead. It starts on Monday."
    )
    assert split_sentences(text) == [
        "The Lundia/U.S. Joint Harbour Command said the drill would go ahead.",
        "It starts on Monday.",
    ]
