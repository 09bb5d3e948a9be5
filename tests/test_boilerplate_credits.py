"""Photo credits ("(Image credit: AP)", "Photo: Jane Roe/Agency") are captions' furniture, not
reporting: they were kept as sentences and came back as quotes on the card."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_boilerplate, strip_boilerplate
from bot.summarize.sentences import split_sentences


@pytest.mark.parametrize(
    "credit",
    [
        "(Image credit: AP)",
        "(Photo: Getty Images)",
        "(Photo credit: Harbour Press)",
        "(Picture: Tide Agency)",
        "(Photograph: Jane Roe/Tide Agency)",
        "(Images: Harbour Press, Tide Agency)",
        "Photo: Jane Roe/Tide Agency",
        "Photo: Getty Images.",
        "Image credit: Harbour Press",
        "Photo by Jane Roe/Tide Agency",
        "Photograph: Jane Roe for the Island News",
        "Credit: Harbour Press",
        "Photo courtesy of the Port Ellis Council",
    ],
)
def test_a_photo_credit_is_boilerplate(credit: str) -> None:
    assert is_boilerplate(credit)


@pytest.mark.parametrize(
    "sentence",
    [
        "The photo, credited to AP, shows the ferry listing in the harbour.",
        "Photo: the council released a picture of the damaged pier on Monday.",
        "(Photo: the council said the picture was taken on Monday, before the storm hit.)",
        "Image credit ratings fell after the scandal.",
        "Credit: the bank raised its rates again on Tuesday.",
        "Photos by residents show water reaching the first floor of homes on the quay.",
    ],
)
def test_a_sentence_about_a_photo_stays(sentence: str) -> None:
    assert not is_boilerplate(sentence)


def test_a_credit_on_its_own_line_or_after_the_last_sentence_is_cut() -> None:
    text = "The ferry resumed service on Tuesday.\n(Image credit: AP)"
    assert strip_boilerplate(text) == "The ferry resumed service on Tuesday."
    glued = "The ferry resumed service on Tuesday. (Image credit: Harbour Press)"
    assert strip_boilerplate(glued) == "The ferry resumed service on Tuesday."
    assert split_sentences(text) == ["The ferry resumed service on Tuesday."]
    assert split_sentences(glued) == ["The ferry resumed service on Tuesday."]
    caption = "Photo: Jane Roe/Tide Agency\nCrews cleared the quay overnight. More rain is due."
    assert strip_boilerplate(caption) == "Crews cleared the quay overnight. More rain is due."


def test_a_credit_glued_to_a_caption_without_a_full_stop_is_cut_at_the_end() -> None:
    text = "Lights over a violet sea near Port Ellis (Image credit: Tide Agency / Harbour Press)"
    assert strip_boilerplate(text) == "Lights over a violet sea near Port Ellis"
    # Inside the text, or naming no one, it is prose.
    inside = "Crowds (Photo: Harbour Press) filled the quay. Rain fell later."
    assert strip_boilerplate(inside) == inside
    prose = "The council published it (photo: the damaged pier seen from the ferry)"
    assert strip_boilerplate(prose) == prose


@pytest.mark.parametrize(
    "line",
    [
        "Video: Protesters Storm Parliament in Tbilisi",
        "Photos: Queen Elizabeth II Lies in State at Westminster Hall",
        "Pictures: Flooding in York and Leeds",
        "Graphic: How the Fed Raised Rates in 2023",
    ],
)
def test_a_captions_headline_under_a_label_is_reporting(line: str) -> None:
    # A label heads a gallery's or a chart's own title too: outside brackets, after such a label
    # only a credit that shows itself one (a slash, an agency) is boilerplate. (A bare "Credit:"
    # also takes a name: tests/test_boilerplate_credit_label.py.)
    text = f"The minister resigned on Monday.\n{line}\nThe protests went on."
    assert strip_boilerplate(text) == text
