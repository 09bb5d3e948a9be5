"""Angle lines stay short, avoid restating the TL;DR, and may stand without a quote."""

from __future__ import annotations

import time

from bot.models import Angle, Article
from bot.render.text import render_card_text
from bot.summarize.angle_lines import LINE_MAX_WORDS
from bot.summarize.angles import build_angles
from bot.summarize.grounding import ELLIPSIS
from tests.test_render import make_card

_FRAMING_MAX_WORDS = 7  # "Adds a detail the others lack:" and similar.


def _lead_and_other(other_text: str) -> list[Article]:
    lead = Article(
        id="1",
        source="Valley Ledger",
        title="Town approves new library",
        text="The town board approved a new library on Monday. Construction starts in spring.",
    )
    other = Article(id="2", source="Ridge Courier", title="Library approved", text=other_text)
    return [lead, other]


def test_long_sentence_with_no_clean_cut_gives_way_to_a_shorter_detail() -> None:
    # Cut at its 24th word the sentence read "... a reading room in the former…": the line is
    # the outlet's next detail instead, whole.
    long_sentence = (
        "Trustee Odile Marchetti, who has sat on the board since the old mill closed and who led "
        "the long campaign for a reading room in the former fire station on Dock Street, abstained "
        "because she wanted the building to include a flood shelter for the lower valley."
    )
    shorter = "Ridge Hollow volunteers offered to staff the reading room on weekends."
    articles = _lead_and_other(f"The town board approved a new library. {long_sentence} {shorter}")
    angles, _ = build_angles(articles, [a.source for a in articles], "Valley Ledger")
    assert angles
    line = angles[0].line
    assert len(line.split()) <= LINE_MAX_WORDS + _FRAMING_MAX_WORDS
    assert "volunteers offered to staff the reading room on weekends." in line, line
    assert ELLIPSIS not in line, line


def test_sentence_restating_a_tldr_bullet_is_not_the_angle() -> None:
    restated = (
        "Mayor Ines Okafor said the Dock Street library will cost 4 million dollars and 30 jobs."
    )
    extra = "Local volunteers offered to carry donated books inside."
    articles = _lead_and_other(f"{restated} {extra}")
    outlets = [a.source for a in articles]
    free, _ = build_angles(articles, outlets, "Valley Ledger")
    assert free and "4 million" in free[0].line
    angles, _ = build_angles(articles, outlets, "Valley Ledger", tldr=[restated])
    assert angles and "4 million" not in angles[0].line and "volunteers" in angles[0].line


def test_angle_without_another_sentence_has_no_quote_and_renders() -> None:
    articles = _lead_and_other("Ridge Hollow volunteers will staff the library on 4 weekends.")
    angles, also = build_angles(articles, [a.source for a in articles], "Valley Ledger")
    # The line's own sentence is the only candidate: the angle stays, the repeat quote goes.
    assert [a.source for a in angles] == ["Ridge Courier"] and not also
    assert angles[0].quote == ""
    text = render_card_text(make_card(angles=[Angle("Ridge Courier", angles[0].line, "", None)]))
    assert angles[0].line.rstrip(".") in text and "“”" not in text


def test_summarize_keeps_angles_off_what_the_tldr_already_says() -> None:
    # End to end: the card's angles are told what the TL;DR says, so an outlet's line is the detail
    # it adds (the lifted flood warning), not its own wording of the shared lead.
    from bot.summarize import summarize
    from bot.textutil import words
    from tests.test_summarize_fixtures import art

    articles = [
        art(1, "Valley Post", "Storm floods Marrow valley",
            "A storm dropped 120 millimetres of rain on the Marrow valley on Sunday, flooding "
            "at least forty homes. Volunteers filled sandbags at the town hall."),
        art(2, "River Herald", "Marrow valley homes flooded",
            "At least forty homes were flooded when 120 millimetres of rain fell on the Marrow "
            "valley on Sunday. The county said a flood warning for the river had been lifted."),
        art(3, "Hill Times", "Rain swamps Marrow homes",
            "Forty homes flooded after 120 millimetres of rain hit the Marrow valley on Sunday. "
            "Buses were rerouted around the main bridge."),
    ]  # fmt: skip
    summary = summarize(articles)
    bullets = [set(words(b.text)) for b in summary.tldr]
    assert summary.angles
    for angle in summary.angles:
        line = set(words(angle.line))
        for bullet in bullets:
            assert len(line & bullet) / max(1, min(len(line), len(bullet))) < 0.6, angle.line


def test_long_sentence_carrying_a_whole_bullet_is_neither_line_nor_quote() -> None:
    # The bullet is 6 content words; the sentence around it has 15, so measured over the
    # sentence's own words the overlap was 0.4 and the sentence became the quote, bullet and all.
    bullet = "Library trustees hired architect Pilar Oyelaran for the Dock Street site."
    carrier = (
        "After a long search that stretched across three winters and several heated meetings, "
        "library trustees hired architect Pilar Oyelaran for the Dock Street site, the clerk noted."
    )
    own = "Ridge Hollow volunteers will staff the reading room on 4 weekends."
    articles = _lead_and_other(f"{own} {carrier}")
    angles, _ = build_angles(articles, [a.source for a in articles], "Valley Ledger", tldr=[bullet])
    assert angles and "volunteers" in angles[0].line
    for angle in angles:
        assert "Pilar Oyelaran" not in angle.quote and "Pilar Oyelaran" not in angle.line


def test_thousands_of_names_glued_into_one_word_are_weighed_quickly() -> None:
    # "Qaaaa/Qaaab/..." is one word of thousands of capitalised names; each was looked for in
    # the outlet's whole text, about 25 s of CPU for one angle of a 60,000-character entry.
    names = "/".join(f"Q{a}{b}{c}" for a in "abcdefghij" for b in "abcdefghij" for c in "abcdefgh")
    articles = _lead_and_other(f"The town board approved a new library. {names * 7}")
    # CPU time, not wall time: other processes on a loaded machine do not count.
    started = time.process_time()
    angles, _ = build_angles(articles, [a.source for a in articles], "Valley Ledger")
    assert time.process_time() - started < 5
    assert all(len(a.line.split()) <= LINE_MAX_WORDS + _FRAMING_MAX_WORDS for a in angles)


def test_capitals_glued_with_no_separator_are_read_in_linear_time() -> None:
    # A publication's name ("The Pellmouth Post said") was looked for from every capital of a
    # word: in "AbAbAb..." or "A-A-A-..." each start re-read the word to its end, about a minute
    # of CPU for one story with a 59,000-character word.
    for unit in ("A", "Ab", "A-", "A."):
        glued = unit * (24_000 // len(unit))
        articles = _lead_and_other(
            f"The town board approved a new library. Ridge Hollow volunteers offered help. "
            f"{glued} said the board. {glued}"
        )
        started = time.process_time()
        build_angles(articles, [a.source for a in articles], "Valley Ledger")
        assert time.process_time() - started < 3, unit


def test_an_outlets_one_long_detail_with_no_cut_is_its_line_whole() -> None:
    # Over WHOLE_LINE_MAX_WORDS and with no phrase end keeping its names, the outlet was listed
    # as adding nothing, though no other outlet names the clinic or the rents.
    long_sentence = (
        "The mayor said she raised some of the thorniest questions facing the valley during a "
        "long and often tense meeting with the governor, including flood defences along the "
        "Marrow, rising rents in Dock Street and the closed Ridge Hollow clinic."
    )
    articles = _lead_and_other(long_sentence)
    angles, also = build_angles(articles, [a.source for a in articles], "Valley Ledger")
    assert [a.source for a in angles] == ["Ridge Courier"] and not also, (angles, also)
    assert "Ridge Hollow clinic" in angles[0].line, angles
    assert ELLIPSIS not in angles[0].line, angles
