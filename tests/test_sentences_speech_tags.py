"""A quoted question or exclamation keeps its speech tag: '“Is it legal?” Holm asked.' is one
sentence, and the tag alone ("Holm asked, looking at the pier.") never becomes a bullet. A plain
reporting verb that goes on to its own report still opens a sentence of its own."""

from __future__ import annotations

import pytest

from bot.summarize.sentences import split_sentences
from bot.summarize.speech_tags import tags_quotation


@pytest.mark.parametrize(
    "sentence",
    [
        "“Is the ferry ban legal?” Holm asked reporters at the harbour on Monday.",
        "“Can we reopen the pier?” Mayor Ada Holm asked, looking over to the council.",
        '"Stop the boats!" she shouted as the ferry left.',
        '"What comes next?" he told reporters.',
        '"Is it over?" Piet Vos said on Tuesday.',
        "‘Who pays for the dredging?’ Vos later wondered aloud.",
    ],
)
def test_a_quoted_question_keeps_its_tag(sentence: str) -> None:
    text = f"{sentence} The council meets again in May."
    assert split_sentences(text) == [sentence, "The council meets again in May."]


@pytest.mark.parametrize(
    "text",
    [
        '"Why now?" Holm said the timing was chosen by the port.',
        '"Why now?" Holm said nothing more.',
        '"Stop!" The ferry left anyway.',
        'The sign read "Closed!" She walked on.',
    ],
)
def test_a_new_sentence_after_a_quotation_still_splits(text: str) -> None:
    assert len(split_sentences(text)) == 2


def test_a_bracket_is_no_quotation() -> None:
    text = "The pier shut (why?) Holm asked."
    assert not tags_quotation(text, text.index("?"), text.index(")") + 2)
