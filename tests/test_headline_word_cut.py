"""A text headline cut at its word limit never stops inside a noun phrase whose "of" or "to" was
cut off ("as the town's new meeting…"), nor on a bare preposition ("off…", "near…"): it backs
off to before the phrase."""

from __future__ import annotations

import pytest

from bot.summarize.text_headline import TEXT_HEADLINE_MAX_WORDS, _word_cut


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The old granary was chosen by the harbour council late on Tuesday as the meeting "
            "place of the clan elders and their guests",
            "The old granary was chosen by the harbour council late on Tuesday",
        ),
        (
            "Divers found the wreck of a Victorian steamer lying in forty metres of water off the "
            "coast of Tallow Sound on Sunday",
            "Divers found the wreck of a Victorian steamer lying in forty metres of water",
        ),
        (
            "Fishermen who work the grounds between the islands said the storm came near the end "
            "of the season when boats were moored",
            "Fishermen who work the grounds between the islands said the storm came",
        ),
    ],
)
def test_a_cut_leaves_out_the_whole_phrase(sentence: str, expected: str) -> None:
    assert len(sentence.split()) > TEXT_HEADLINE_MAX_WORDS
    assert _word_cut(sentence.split()) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # "to" before a bare verb: no noun phrase's complement, the verb is kept
            "The court ordered the ferry company on Wednesday to release documents showing the "
            "cost to islanders of the failed timetable",
            "The court ordered the ferry company on Wednesday to release documents showing",
        ),
        (  # a participle before "to" ends no noun phrase
            "Inspectors fined the ferry company 40 thousand pounds for failing to report broken "
            "lifeboats linked to a string of late crossings",
            "Inspectors fined the ferry company 40 thousand pounds for failing to report broken "
            "lifeboats",
        ),
        (  # a phrase longer than three words is not left out whole: the old one-word back-off
            "The granary was chosen by the harbour council on Tuesday as the town's new meeting "
            "place of the clan elders and their guests",
            "The granary was chosen by the harbour council on Tuesday as the town's new meeting",
        ),
        (
            "The council agreed on Monday evening after a long debate to sign a $50 million "
            "contract to rebuild the pier for the island ferry",
            "The council agreed on Monday evening after a long debate to sign a $50 million",
        ),
    ],
)
def test_a_cut_never_backs_off_across_a_verb_or_a_long_phrase(sentence: str, expected: str) -> None:
    assert len(sentence.split()) > TEXT_HEADLINE_MAX_WORDS
    assert _word_cut(sentence.split()) == expected
