"""An angle's line carries a checkable fact: a figure or name of the outlet's own, a date, a claim
someone is said to make, or a main clause saying what one of the story's subjects did. Colour
("Time tends to warp ..."), a non-event ("did not immediately offer many details") and a list
of phrases with no verb gave 5 of 55 reviewed cards a line with nothing to check. Every
sentence here is invented."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angle_checkable import carries_fact
from bot.summarize.angles import build_angles


def test_colour_a_non_event_and_a_list_of_phrases_carry_no_fact() -> None:
    for line in (
        "Time tends to slow down in the vicinity of a harbour strike.",
        "Officials did not immediately give many details or a possible cause for the fire.",
        "On Tallow Sound — a strait known for its storms — the ferrymen were defiant.",
        "From his levy on ferries, to his tax on moorings, to his toll on the old bridge.",
    ):
        assert not carries_fact(line, [], [], frozenset()), line


def test_names_figures_dates_claims_and_subjects_are_facts() -> None:
    for line, names, numbers in (
        ("Night crossings resumed after warden Ilse Brandt signed the order.", ["Ilse Brandt"], []),
        ("In May crews moved 1,800 crates of salt fish.", [], ["1,800"]),
        ("The levy also bans new moorings in two creeks.", [], []),
        ("Crossings will resume on Jan. 7, 2027.", [], []),
        ("The ferry board alleges the crews sabotaged the ramps.", [], []),
        ("Harbour Judge Ada Hale ruled the levy unlawful because no vote was held.", [], []),
    ):
        assert carries_fact(line, names, numbers, frozenset()), line
    # A main clause about the story's own subject (`core`, its words two outlets use).
    line = "Time ran short for the crews on the quay as the ferry left."
    assert carries_fact(line, [], [], frozenset({"time"})), line
    assert not carries_fact(line, [], [], frozenset()), line


def _angles(third_text: str, third_title: str) -> tuple[dict[str, str], list[str]]:
    outlets = ["Tarn Observer", "Wick Gazette", "Holm Herald"]
    articles = [
        Article(
            id="1",
            source=outlets[0],
            title="Ferry strike closes Tallow Sound",
            text="Ferry crews walked out on Monday, closing the Tallow Sound crossing.",
        ),
        Article(
            id="2",
            source=outlets[1],
            title="Tallow Sound ferries stop",
            text="Ferry crews stopped work on Monday and the Tallow Sound crossing closed.",
        ),
        Article(id="3", source=outlets[2], title=third_title, text=third_text),
    ]
    angles, also = build_angles(articles, outlets, outlets[0])
    return {a.source: a.line for a in angles}, also


def test_colour_gives_way_to_the_outlets_next_detail() -> None:
    lines, _ = _angles(
        "Ferry crews walked out on Monday. Time tends to crawl on windswept jetties when "
        "winter gales keep everybody ashore for weeks. Skipper Oona Brask said the crews "
        "would sail again once the pay talks resumed.",
        "Ferry crews strike",
    )
    assert "Oona Brask" in lines.get("Holm Herald", ""), lines


def test_an_outlet_with_only_colour_is_also_reporting() -> None:
    lines, also = _angles(
        "Ferry crews walked out on Monday. Time tends to crawl on windswept jetties when "
        "winter gales keep everybody ashore for weeks.",
        "Ferry crews strike",
    )
    assert "Holm Herald" not in lines and "Holm Herald" in also, (lines, also)
