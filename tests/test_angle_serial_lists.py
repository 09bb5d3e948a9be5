"""A line cut where a clause ends never stops inside a list before its serial comma's "and"
("... for reopening workplaces, schools" of "workplaces, schools, and other venues"): it would
give part of the list as though it were all of it."""

from __future__ import annotations

from bot.summarize.angle_lines import _detail, _torn

LONG = (
    "The new timetable still asks crews to work split shifts on the winter crossings to the "
    "outer islands but it will help clear the way for reopening the harbour cafés, kiosks, and "
    "waiting rooms — even ending the hour-long queues for islanders who commute to the mainland "
    "every day of the working week through the dark winter months."
)


def test_a_cut_before_a_serial_comma_is_torn() -> None:
    head = LONG.split(", and")[0]
    assert head.endswith("cafés, kiosks")
    assert _torn(LONG, f"{head}.")
    # A clause after the comma is no list: "..., and the council met" ends one clause.
    assert not _torn(
        "On Monday, the mayor resigned, and the council met.", "On Monday, the mayor resigned."
    )


def test_the_last_resort_line_is_never_part_of_a_list() -> None:
    focus = ["timetable", "crews", "split", "shifts", "cafés", "kiosks", "queues", "commute"]
    line = _detail(LONG, focus, phrase_cut=True, last_resort=True)
    # No clause of it ends outside the list: no line from this sentence (the outlet's title
    # may still be its line, `angles._title_line`), rather than "... cafés, kiosks".
    assert not line.endswith(("kiosks", "cafés")), line
