"""A tail after " - " or " | " is cut from a headline only when it names a site. Measured on
real feeds (bench notes in the commit): no site suffix was left, but parts of a series and who a
claim comes from were cut as if they were outlets, which made two parts of a series read alike
and turned "... – CDC" into a bare claim. Those tails stay; site names still go."""

from __future__ import annotations

import pytest

from bot.summarize.headline import clean_title


@pytest.mark.parametrize(
    "title",
    [
        "Tuning the harbour crane scheduler in practice - Part II",
        "Writing a ferry timetable parser from scratch - Post 2",
        "A field guide to concrete barges and hulks – Part Two",
        "Building the quay inventory app step by step - Second Edition",
        "The Keep on Marrow Hill – Session 151",
        "Vaccinated sailors may skip masks on deck – CDC",
        "Ferry chief resigned over the levy dispute - PM",
        "Port operator inflated its cargo figures for years – report",
        "Tanker seized in the strait on Sunday - Veldorian defence ministry",
    ],
)
def test_a_tail_that_is_the_titles_own_stays(title: str) -> None:
    assert clean_title(title) == title


@pytest.mark.parametrize(
    ("title", "sites"),
    [
        ("Storm closes the harbour bridge for a week | Gullport Gazette", ()),
        ("Storm closes the harbour bridge for a week - Tidewater Daily News", ()),
        ("Storm closes the harbour bridge for a week – Coastline Courier", ()),
        ("Storm closes the harbour bridge for a week - Coastline Courier", ("Coastline Courier",)),
        ("Storm closes the harbour bridge for a week - gullport.example.com", ()),
        ("Storm closes the harbour bridge for a week - Marlow Report", ()),
    ],
)
def test_a_site_name_still_goes(title: str, sites: tuple[str, ...]) -> None:
    assert clean_title(title, sites) == "Storm closes the harbour bridge for a week"
