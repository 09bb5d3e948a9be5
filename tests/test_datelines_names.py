"""An opening word in capitals before a dash is a dateline only when it names a place: an
acronym there ("NASA — The agency said ...") is the sentence's subject, and words that run on in
lower case after the dash are an aside about it. The card keeps both; real datelines still go."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.compress import compress
from bot.summarize.headline import choose_headline


def _headline(text: str) -> str:
    return choose_headline([Article(id="0", source="Orbit Weekly", title="", text=text)])[0]


@pytest.mark.parametrize(
    "sentence",
    [
        "NASA — The agency said on Monday that the Vela probe will launch in May.",
        "FBI — Agents searched a warehouse near the rail yard on Thursday night.",
        "TIDEWORKS — the harbour cooperative that runs the cranes — laid off nine staff.",
    ],
)
def test_a_name_opening_the_sentence_is_kept(sentence: str) -> None:
    assert compress(sentence).startswith(sentence.split()[0])
    assert _headline(sentence).startswith(sentence.split()[0])


def test_a_headline_from_text_keeps_the_acronym() -> None:
    headline = _headline("NASA — The agency said the Vela probe will launch in May. It is late.")
    assert headline.startswith("NASA — The agency said"), headline


@pytest.mark.parametrize(
    ("sentence", "rest"),
    [
        ("BRISTOL — Crews cleared the harbour after the storm.", "Crews"),
        ("OSLO — The ferry ran aground in fog on Sunday.", "The ferry"),
        ("NEW HAVEN — The ferry ran aground in fog on Sunday.", "The ferry"),
        ("PORT ELLIS, Maine — A ferry ran aground in fog on Sunday.", "A ferry"),
        ("LIMA (Wire) — The ferry ran aground in fog on Sunday.", "The ferry"),
        ("LIMA, May 3 (Wire) — The ferry ran aground in fog on Sunday.", "The ferry"),
    ],
)
def test_a_place_dateline_still_goes(sentence: str, rest: str) -> None:
    assert compress(sentence).startswith(rest)
    assert _headline(sentence).startswith(rest)
