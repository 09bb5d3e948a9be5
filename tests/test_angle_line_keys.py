"""An angle line keeps the detail it was chosen for (the name or figure no other outlet has), is
not the card's headline in other words, and a two-word demonym ("Latin American") is no name."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.angle_lines import _detail
from bot.summarize.angles import build_angles

LEAD = "Kettle Valley News"
LEAD_TEXT = (
    "Crowds gathered along the river on Saturday as the regatta season opened with a parade "
    "of rowing boats. Organisers said more boats had entered than last year."
)


def _angles(other_text: str, headline: str = "") -> list[str]:
    lead = Article(id="1", source=LEAD, title="Regatta season opens", text=LEAD_TEXT)
    other = Article(id="2", source="Fenwick Tribune", title="Regatta opens", text=other_text)
    angles, _ = build_angles([lead, other], [LEAD, "Fenwick Tribune"], LEAD, headline=headline)
    return [a.line for a in angles]


def test_a_cut_line_keeps_its_key_name() -> None:
    sentence = (
        "Crews from Tern Quay and Gull Creek rowed the whole course in record time on the river, "
        "and organisers said the old fishing villages of Pellmouth and Orrin Bay would host the "
        "next regatta for the first time."
    )
    line = _detail(sentence, ["harbour", "Tern", "Quay", "Gull", "Creek"], "Tern Quay")
    assert line.startswith("Crews from Tern Quay") and line.endswith("on the river"), line


def test_a_long_line_with_no_clause_boundary_past_its_key_is_no_line() -> None:
    # Cut at a word, it read "... are celebrating the…": no thought of its own.
    sentence = (
        "Crowds in the harbour towns, from Tern Quay and Gull Creek to the old fishing villages "
        "of Pellmouth and Orrin Bay, are celebrating the start of the regatta season this weekend."
    )
    assert _detail(sentence, ["harbour", "Tern", "Quay", "Gull", "Creek"], "Tern Quay") == ""


def test_a_line_that_is_the_headline_again_is_not_shown() -> None:
    lines = _angles(
        "Riverside crowds cheered as the rowing regatta season opened on Saturday with a "
        "festive parade of boats down the Kettle.",
        headline="Rowing regatta season opens with parade of boats on the Kettle",
    )
    assert not any("festive parade" in line for line in lines), lines


@pytest.mark.parametrize("demonym", ["Latin American", "South African", "North Korean"])
def test_a_two_word_demonym_is_not_named(demonym: str) -> None:
    lines = _angles(
        f"Crowds gathered for the regatta. The winning crew was coached by a {demonym} "
        "rower who had trained them on the lake for eleven winters."
    )
    assert lines, demonym
    assert not lines[0].startswith(f"Names {demonym}"), lines
