"""A whole sentence that ends with its own full stop is no cut: it may end on a stranded
preposition or a modal ("... as many as they can.", "... what the row was about."). Only a cut
form, or a sentence ending on a word that always leads on ("... said the."), is refused."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize import summarize
from bot.summarize.candidates import TldrParams, _forms


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials in Marrow said they would rebuild as many flooded homes as they can.",
        "Neighbours said nobody knew what the long row over the levee was about.",
        "The inspectors said the footbridge must close, and the council agreed that it must.",
        "The harbour board said the new ferry would enter service in May.",
    ],
)
def test_a_whole_sentence_may_end_on_a_stranded_word(sentence: str) -> None:
    assert sentence in _forms(sentence, TldrParams())


def test_a_sentence_cut_short_by_its_feed_is_still_refused() -> None:
    assert _forms("Officials in Marrow said the river would rise past the.", TldrParams()) == []


def test_a_cut_form_still_may_not_end_on_a_leading_word() -> None:
    sentence = (
        "The delivery van skidded on the black ice near the harbour and crashed into, as "
        "witnesses put it, the old sea wall."
    )
    forms = _forms(sentence, TldrParams())
    assert not any(f.rstrip(".").endswith(" into") for f in forms), forms


def test_such_a_sentence_can_be_a_bullet() -> None:
    articles = [
        Article(
            id="1",
            source="Harbour Times",
            title="Flooded town to rebuild",
            text="Officials in Marrow said they would rebuild as many flooded homes as they can. "
            "The river rose two metres overnight.",
        ),
        Article(
            id="2",
            source="Valley Post",
            title="Marrow floods",
            text="The river at Marrow rose two metres overnight, flooding 300 homes.",
        ),
    ]
    texts = [b.text for b in summarize(articles).tldr]
    assert any(t.endswith("as they can.") for t in texts), texts
