"""A date on a reporting verb dates the report, not the act it reports: outlets telling one
sacking on their own days tell one fact, one bullet that each backs. The act's own date still
tells another occasion, and one speaker's remarks days apart are still two.

Every story here is invented."""

from __future__ import annotations

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize.grounding import supporting_outlets
from bot.summarize.occasions import other_occasion
from bot.summarize.reports import report_split
from tests.test_tldr_other_occasions import _two_bullets

HERALD = "The Quay Herald reported on Monday that Tolberg Rovers sacked their manager Ada Wren."
POST = "The Fjord Post reported on Thursday that Tolberg Rovers sacked their manager Ada Wren."


def test_outlets_reporting_one_act_on_other_days_tell_one_fact() -> None:
    for one, other in (
        (HERALD, POST),
        (HERALD, "Tolberg Rovers sacked their manager Ada Wren on Thursday."),
        (
            "On Monday, the Quay Herald reported that Tolberg Rovers sacked their manager Ada Wren.",
            POST,
        ),
        # A report after the act, past a comma.
        (
            "Tolberg Rovers sacked their manager Ada Wren, the Quay Herald reported on Monday.",
            "Tolberg Rovers sacked their manager Ada Wren, the Fjord Post reported on Thursday.",
        ),
        (
            "Harbour police said on Monday two fishermen were rescued off Tarn.",
            "Two fishermen were rescued off Tarn on Thursday, the coastguard said.",
        ),
    ):
        assert not other_occasion(one, other), other
    # Bullets keep a report with no "that" whole: one bullet of the two.
    assert not _two_bullets(
        "Harbour police said on Monday two fishermen were rescued off Tarn.",
        "The coastguard said on Thursday two fishermen were rescued off Tarn.",
    )


def test_an_outlet_reporting_the_act_on_its_own_day_backs_the_bullet() -> None:
    bullet = "Tolberg Rovers sacked their manager Ada Wren on Thursday."
    story = [
        Article(id="p", source="Fjord Post", title="Wren out at Rovers", text=bullet),
        Article(
            id="h",
            source="Quay Herald",
            title="Rovers sack Wren",
            text="The club said on Monday that Tolberg Rovers sacked their manager Ada Wren.",
        ),
    ]
    backers = supporting_outlets(bullet, "Fjord Post", story, outlet_names(story))
    assert backers == ["Fjord Post", "Quay Herald"]


def test_the_acts_own_date_still_tells_another_occasion() -> None:
    sacked_thursday = "Tolberg Rovers sacked their manager Ada Wren on Thursday."
    for one in (
        "The Quay Herald reported that Tolberg Rovers sacked their manager Ada Wren on Monday.",
        "Tolberg Rovers sacked their manager Ada Wren on Monday, the Fjord Post reported on"
        " Thursday.",
        # A verb with an object of its own is the act, not a report of it.
        "Tolberg Rovers announced on Monday the sacking of their manager Ada Wren.",
    ):
        assert other_occasion(one, sacked_thursday), one
    assert other_occasion(
        "The council announced on Monday a new ferry route to Holm.",
        "The council announced a new ferry route to Holm on Thursday.",
    )


def test_one_speakers_reports_days_apart_are_still_two() -> None:
    assert other_occasion(
        "Harbour police said on Monday that two fishermen were missing off Tarn.",
        "Harbour police said on Thursday that two fishermen were missing off Tarn.",
    )
    assert other_occasion(
        "Mayor Ola Berg told reporters on Monday that the pier would close.",
        "Mayor Ola Berg told reporters on Thursday that the pier would close.",
    )


def test_what_a_report_is_made_of() -> None:
    assert report_split(HERALD) == (
        " Tolberg Rovers sacked their manager Ada Wren.",
        ("The Quay Herald reported on Monday that",),
    )
    # A verb inside a quotation reports nothing of the sentence's.
    quoted = "“We said on Monday that the pier would close,” Mayor Ola Berg said."
    assert report_split(quoted) == (
        "“We said on Monday that the pier would close,” ",
        ("Mayor Ola Berg said.",),
    )
    # A sentence reporting nothing, or whose reporting verb has an object, is all act.
    for text in (
        "The council added a late ferry to Holm on Monday.",
        "The Quay Herald reported on Monday.",
        "Police said two fishermen were rescued on Monday.",
    ):
        assert report_split(text) == (text, ())
