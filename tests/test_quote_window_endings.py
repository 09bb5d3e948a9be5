"""A quote windowed out of a long sentence ends on a word that finishes something: not an
article, a preposition, a conjunction, a possessive or an opened quotation, which read as if the
card lost the rest ("...than 'what the…", "...he learned of the…")."""

from __future__ import annotations

import pytest

from bot.summarize.grounding import ELLIPSIS
from bot.summarize.quotes import dangles as _dangles
from bot.summarize.quotes import verbatim_quote

SENTENCES = [
    # A quotation opened inside the window and closed after it.
    "The harbour warden told the packed meeting in the old ferry hall on Tuesday evening that "
    "the new mooring fees were worse than 'what the council had promised the boat owners last "
    "spring', and she asked for a vote.",
    # A window that ends on "of the".
    "Varnholt said the yard owners were furious and that he was shocked when he first heard "
    "of the plan to close the slipway at Tern Quay because he learned of the decision from a "
    "notice pinned to the gate.",
    # A window that ends on "and".
    "The trust said it would keep talking to the boatbuilders about the apprentices over the "
    "coming winter months and reviews contracts with Pell and Orrin and the two smaller yards "
    "at Gull Creek.",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_a_cut_quote_does_not_end_on_a_dangling_word(sentence: str) -> None:
    quote = verbatim_quote(sentence, sentence, sentence.split()[:1])
    assert quote.endswith(ELLIPSIS), quote
    body = quote.removesuffix(ELLIPSIS)
    last = body.split()[-1]
    assert not _dangles(last), quote
    assert body.count("'") % 2 == 0 and body.count("“") == body.count("”"), quote
    assert len(body.split()) >= 12, quote


def test_a_short_sentence_is_quoted_whole() -> None:
    sentence = "The warden said the fees were worse than 'what the council had promised'."
    assert verbatim_quote(sentence, sentence, ["warden"]) == sentence


def test_a_window_finds_its_word_in_a_possessive() -> None:

    sentence = (
        "The port authority met on Monday with shipping firms, unions, ferry operators, the"
        " coastguard, two insurers and the harbour police for six long hours in the old customs"
        " house, and in the end it agreed that Ilse Varnholt’s plan for night pilots would go"
        " ahead in March."
    )
    quote = verbatim_quote(sentence, sentence, ["Varnholt"])
    assert "Varnholt’s plan" in quote, quote
