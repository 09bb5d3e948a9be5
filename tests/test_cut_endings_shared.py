"""Every cut the card makes (a bullet's clause, a headline from body text, a quote's window) is
checked against one list of words no phrase ends on, so a word one of them learned to avoid
("whose", "into", "our") is avoided by all; a cut inside a sentence adds a few ("this", "said"),
and a quote's window a few more (a subject pronoun, a subordinator)."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.clauses import clean_cut
from bot.summarize.grounding import ELLIPSIS
from bot.summarize.headline import choose_headline
from bot.summarize.quotes import verbatim_quote


def _headline(text: str) -> str:
    return choose_headline([Article(id="0", source="Pell Courier", title="", text=text)])[0]


@pytest.mark.parametrize(
    ("opening", "bad_end"),
    [
        (
            "Harbour officials on Tuesday named the retired ferry captain Ola Berg as the new warden whose",
            "whose",
        ),
        (
            "Harbour officials on Tuesday said the retired ferry captain Ola Berg will soon take over your",
            "your",
        ),
    ],
)
def test_a_headline_cut_does_not_end_on_a_leading_word(opening: str, bad_end: str) -> None:
    assert len(opening.split()) == 16
    headline = _headline(f"{opening} first task in decades of work on the quay. It starts soon.")
    # Cut short of the sentence: with "…", or with none where the cut holds a whole clause.
    assert len(headline.removesuffix(ELLIPSIS).split()) < 16, headline
    assert headline.removesuffix(ELLIPSIS).split()[-1] != bad_end, headline


@pytest.mark.parametrize(
    "head",
    [
        "The delivery van skidded on the ice and crashed into",
        "The warden said the new fees would be paid by our",
        "Crews worked through the night to haul the stranded boats onto",
    ],
)
def test_a_clause_cut_does_not_end_on_a_leading_word(head: str) -> None:
    assert not clean_cut(head, "the harbour wall, police said.")


def test_a_whole_sentence_may_end_on_what_a_mid_sentence_cut_may_not() -> None:
    assert clean_cut("The mayor said the council had never approved this", "officials said.")


def test_a_quote_window_avoids_the_same_words() -> None:
    sentence = (
        "The trust said it would keep talking to the boatbuilders about the apprentices over the "
        "coming winter months and would then hand the yard whose slipway was closed to our "
        "members, who voted for it."
    )
    quote = verbatim_quote(sentence, sentence, ["boatbuilders"])
    assert quote.endswith(ELLIPSIS), quote
    assert quote.removesuffix(ELLIPSIS).split()[-1] not in {"whose", "our", "to"}, quote
