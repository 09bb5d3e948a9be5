"""A mark before a clipped word is an apostrophe, not an opening quotation: "give 'em a fight",
"'til the storm passes" and "the 'Ol Miss game" are bullets and angle lines, as they were before
single quotations were checked. A cut that leaves a real single quotation open is still refused.

Every sentence here is written for the tests."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.angle_lines import angle_line
from bot.summarize.candidates import TldrParams, sentence_options
from bot.summarize.quote_marks import has_open_quote
from bot.summarize.sentences import make_sentence

CLIPPED = (
    "The coach told his players to go out and give 'em a fight in the cup final on Sunday.",
    "Residents were told to stay indoors 'til the storm passes, the Tolberg mayor said on Monday.",
    "Fans packed the Tolberg hall for the ‘Ol Miss game on Saturday night after the storm.",
    "The band will rock 'n' roll at the Tolberg stadium on Friday night, organisers said.",
)


def _bullet_forms(text: str) -> list[str]:
    options = sentence_options([make_sentence(text, "X", 0, 0)], TldrParams())
    return [o.text for forms in options for o in forms]


@pytest.mark.parametrize("sentence", CLIPPED)
def test_a_clipped_word_opens_no_quotation(sentence: str) -> None:
    assert not has_open_quote(sentence)
    mark = next(ch for ch in sentence if ch in "'‘")
    forms = _bullet_forms(sentence)
    assert forms and all(mark in form for form in forms), forms
    article = Article(id="1", source="Tolberg Bote", title="Cup", text=sentence)
    line = angle_line(sentence, article, [], [], sentence.split())
    assert mark in line, line


def test_a_whole_sentence_leaves_no_single_quotation_open_that_nothing_closes() -> None:
    # "'Bama" is no word the list knows, but no mark after it could close a quotation.
    sentence = "Thousands of 'Bama fans drove to the Tolberg stadium for the game on Saturday."
    assert has_open_quote(sentence)
    assert not has_open_quote(sentence, whole=True)
    assert sentence in _bullet_forms(sentence)


def test_a_cut_leaving_a_single_quotation_open_is_still_refused() -> None:
    whole = "The mayor called the pier 'a disgrace to the town' and closed it on Monday."
    assert not has_open_quote(whole, whole=True)
    # A cut stops before the words end: a quotation it leaves open is one, whatever follows.
    assert has_open_quote("The mayor called the pier 'a disgrace to the town")
    assert has_open_quote("The mayor called the pier 'a disgrace")


@pytest.mark.parametrize(
    "sentence",
    [
        "'Most umbrellas sold on the Tolberg pier do not last a season.",
        "The harbour master said, 'Nobody should sail past the breakwater tonight.",
        "Asked about the ferry, she replied: 'It will run again once the storm has passed.",
    ],
)
def test_the_first_half_of_a_quotation_split_across_sentences_is_no_bullet(sentence: str) -> None:
    # Outlets quoting in single marks close a long quotation in a later sentence ("…,' she
    # said."), and the splitter hands over its first half alone: its words are someone's, with
    # nothing yet saying whose. A mark where quotations open opens one, closed or not.
    assert has_open_quote(sentence, whole=True)
    assert sentence not in _bullet_forms(sentence)
