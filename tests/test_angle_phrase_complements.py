"""A phrase cut with "…" never stops before what its last word takes: an "of" phrase, an
infinitive, or a "for" after a verb ("failed…", "the rest…", "accounting…")."""

from __future__ import annotations

from bot.summarize.angle_lines import _phrase_cut

FOCUS = {
    "pilot",
    "report",
    "broken",
    "radar",
    "ferri",
    "kestrel",
    "osprei",
    "northern",
    "estuari",
    "dredg",
    "silt",
    "eastern",
    "channel",
    "regatta",
    "crew",
    "rout",
    "account",
    "sail",
    "lost",
}


def _next_word(full: str, cut: str) -> str:
    head = cut.removesuffix("…")
    return full[len(head) :].split()[0] if cut else ""


def test_no_cut_before_an_infinitive_a_verb_takes() -> None:
    full = (
        "The pilots of the ferries Kestrel and Osprey on the northern estuary route in Pellmouth "
        "had for many weeks repeatedly failed to report the broken radar to the port authority "
        "before the winter storms."
    )
    assert _next_word(full, _phrase_cut(full, "", FOCUS)) != "to"


def test_no_cut_before_of() -> None:
    full = (
        "The harbour board in Pellmouth voted on Tuesday night to spend the larger share of its "
        "reserve fund on dredging the silted eastern channel of the estuary before the regatta."
    )
    assert _next_word(full, _phrase_cut(full, "", FOCUS)) != "of"


def test_no_cut_before_for_after_a_verb_form() -> None:
    full = (
        "The harbour board met the crews of the ferries Kestrel and Osprey in Pellmouth on "
        "Monday while the northern route was accounting for more than half of the sailings "
        "lost in the port this year."
    )
    assert _next_word(full, _phrase_cut(full, "", FOCUS)) != "for"
