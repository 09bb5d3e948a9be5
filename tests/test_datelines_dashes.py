"""A dateline goes whatever dash a page sets after it: a long dash with no space before the
sentence ("OSLO—Crews ..."), a horizontal bar or a figure dash ("OSLO ―Crews ...", "OSLO ‒ ..."),
or none at all when the place in capitals stands right before an article or a preposition
("OSLO The ferry ..."). An acronym or a word run on into its text is still no dateline."""

from __future__ import annotations

import pytest

from bot.summarize.compress import compress
from bot.summarize.datelines import without_dateline


@pytest.mark.parametrize(
    ("sentence", "rest"),
    [
        ("OSLO—Crews cleared the harbour after the storm.", "Crews cleared"),
        ("OSLO ―Harbour master Ada Holm shut the pier on Sunday.", "Harbour master"),
        ("OSLO‒The ferry ran aground in fog on Sunday.", "The ferry"),
        ("OSLO ‒ The ferry ran aground in fog on Sunday.", "The ferry"),
        ("OSLO The ferry ran aground in fog on Sunday.", "The ferry"),
        ("NEW HAVEN A ferry ran aground in fog on Sunday.", "A ferry"),
        ("(Wire)—The ferry ran aground in fog on Sunday.", "The ferry"),
    ],
)
def test_a_dateline_goes_whatever_its_dash(sentence: str, rest: str) -> None:
    assert without_dateline(sentence).startswith(rest)
    assert compress(sentence).startswith(rest)


@pytest.mark.parametrize(
    "sentence",
    [
        "NASA The agency said the Vela probe will launch in May.",
        "FBI The agents searched a warehouse near the rail yard.",
        "TIDEWORKS Action, the harbour cooperative, laid off nine staff.",
        "KELVA Holm indicated support for the harbour plan.",
        "COVID-Related closures hit the harbour again in May.",
        "FILE In this photo, a ferry leaves the harbour.",
    ],
)
def test_no_dateline_is_read_into_real_text(sentence: str) -> None:
    assert without_dateline(sentence) == sentence
