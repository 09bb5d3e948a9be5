"""A site suffix naming a hyphenated outlet (The Times-Picayune, Al-Monitor, Post-Gazette) is cut
like any other; a dash with spaces around it still ends the site name, and a title's own tail
after a dash stays."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize import summarize
from bot.summarize.headline import clean_title


def test_hyphenated_outlet_suffixes_are_stripped() -> None:
    story = "Storm floods New Orleans streets"
    assert clean_title(f"{story} - The Times-Picayune", ["The Times-Picayune"]) == story
    assert clean_title(f"{story} - Al-Monitor", ["Al-Monitor"]) == story
    assert clean_title(f"{story} | Pittsburgh Post-Gazette", ["Pittsburgh Post-Gazette"]) == story
    # Shaped like a site name, though not one of the story's outlets.
    assert clean_title("Steel plant fire kills 12 workers - Pittsburgh Post-Gazette") == (
        "Steel plant fire kills 12 workers"
    )
    assert clean_title(f"{story} - Metro - The Times-Picayune", ["The Times-Picayune"]) == story


def test_hyphenated_outlet_prefix_is_stripped() -> None:
    assert clean_title("Al-Monitor: Talks resume in Doha", ["Al-Monitor"]) == "Talks resume in Doha"


def test_a_titles_own_tail_after_a_dash_stays() -> None:
    for title in (
        "Fed raises rates - again",
        "Fed raises rates - a three-peat",
        "Court blocks merger - for now",
        "Storm floods streets - follow-up inspections ordered",
    ):
        assert clean_title(title, ["The Times-Picayune"]) == title


def test_card_headline_credits_no_hyphenated_outlet() -> None:
    articles = [
        Article(
            id="a1",
            source="The Times-Picayune",
            title="Flash flooding swamps New Orleans streets after record rainfall - "
            "The Times-Picayune",
            text="Flash flooding swamped New Orleans streets on Monday after record rainfall "
            "overwhelmed drainage pumps, city officials said.",
            url="https://nola.example/a",
        ),
        Article(
            id="a2",
            source="Pittsburgh Post-Gazette",
            title="Flash flooding swamps New Orleans streets - Pittsburgh Post-Gazette",
            text="Record rainfall flooded streets in New Orleans on Monday as drainage pumps "
            "failed.",
            url="https://pg.example/b",
        ),
    ]
    headline = summarize(articles).headline
    assert "Picayune" not in headline and "Gazette" not in headline
    assert headline.startswith("Flash flooding swamps New Orleans streets")


@pytest.mark.parametrize(
    "title",
    [
        "Apple Unveils Its Foldable iPhone - Hands-On",
        "Trump Unveils Tariff Plan - Twenty-Five Percent",
        "Israel and Hamas Agree to a Four-Day Truce - Follow-Up",
    ],
)
def test_a_hyphenated_tail_that_only_looks_like_a_name_stays(title: str) -> None:
    assert clean_title(title) == title
