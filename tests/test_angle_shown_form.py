"""The line as shown must stand alone: the compressor drops an opening "Still," and leaves a
pronoun first, and a contracted one ("He's", "That's") leans on what came before as much."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angle_lines import angle_line

ARTICLE = Article(id="1", source="Grell Observer", title="Ferry inquiry", text="x")
FOCUS = ["committee", "sailed", "broken", "radar", "weeks"]


def test_a_pronoun_left_first_by_the_compressor_gives_no_line() -> None:
    sentence = (
        "Still, he told the committee that the ferry had sailed with a broken radar for weeks."
    )
    assert angle_line(sentence, ARTICLE, [], [], FOCUS) == ""


def test_a_contracted_pronoun_leans_on_context() -> None:
    sentence = "He's told the committee that the ferry had sailed with a broken radar for weeks."
    assert angle_line(sentence, ARTICLE, [], [], FOCUS) == ""


def test_a_sentence_naming_its_subject_keeps_its_line() -> None:
    sentence = (
        "The pilot told the committee that the ferry had sailed with a broken radar for weeks."
    )
    assert angle_line(sentence, ARTICLE, [], [], FOCUS)
