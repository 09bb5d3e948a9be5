"""A newsletter's signposts ("Why it matters:") and a transcript's speaker labels ("HOST:") are
page furniture: a TL;DR bullet drops them, and keeps a sentence's own "He added:"."""

from __future__ import annotations

import pytest

from bot.summarize.compress import compress
from bot.summarize.signposts import without_signpost


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Why it matters: The ferry strike has cut the island off for a week.",
            "The ferry strike has cut the island off for a week.",
        ),
        (
            "The big picture: Harbour fees have doubled since the new terminal opened.",
            "Harbour fees have doubled since the new terminal opened.",
        ),
        (
            "State of play: Both unions rejected the port's latest offer on Monday.",
            "Both unions rejected the port's latest offer on Monday.",
        ),
        (
            "INGRID HOLM: The council will vote on the new pier next month.",
            "The council will vote on the new pier next month.",
        ),
        (
            "HOST: Ferry crews walked off the job across the coast this morning.",
            "Ferry crews walked off the job across the coast this morning.",
        ),
    ],
)
def test_a_bullet_drops_the_label_before_its_sentence(text: str, expected: str) -> None:
    assert compress(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # A sentence's own colon introduces what was said or listed: it stays.
        "He added: The ferry will run again once the crews return.",
        "The statement said: Fares will rise by a tenth in spring.",
        # A page's furniture in capitals is no speaker: the boilerplate rules judge it whole.
        "RELATED: Ferry strike enters its second week.",
        "READ MORE: How the harbour tolls are set.",
    ],
)
def test_a_colon_that_is_no_label_stays(text: str) -> None:
    assert without_signpost(text) == text
