"""An angle line cut short still says something: never a subject with its appositive and no
verb ("Ada Brill, a Dutch engineer."), never a cut inside a dash or bracket aside."""

from __future__ import annotations

from bot.summarize.angle_lines import _detail
from bot.summarize.finite_verbs import is_clause


def test_a_subject_and_its_appositive_is_no_line() -> None:
    sentence = (
        "Ada Brill, a Dutch engineer, and Piet Soll, a Belgian surveyor, wrote to the canal "
        "authority asking it to halt the dredging and to publish its full survey of the locks."
    )
    focus = ["Brill", "Dutch", "engineer", "Soll", "Belgian", "surveyor", "authority", "survey"]
    line = _detail(sentence, focus)
    # "" when no form reads as a sentence: the outlet's next detail gets the line.
    assert not line or is_clause(line), line


def test_a_line_never_ends_inside_a_dash_aside() -> None:
    sentence = (
        "Several councillors leaving a late session at the town hall said the committee — which "
        "included three harbour masters, two pilots and senior lock keepers — had agreed on the "
        "outline of a plan."
    )
    line = _detail(sentence, ["harbour", "pilots", "keepers", "outline"])
    assert line.count("—") % 2 == 0, line
