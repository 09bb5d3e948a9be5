"""Real stories that run over two days are not split by the rules of days (`bot/cluster/days.py`):
a quake's revised magnitude, one outlet's near-identical headlines on a story other outlets
report too, a page of the day that is a storm's. One outlet's daily items alone still split,
including two-word page names and Wall Street's wraps.

All text is our own, written for these tests."""

from __future__ import annotations

import itertools

from _cluster_fixtures import article

from bot.cluster import days
from bot.cluster.online import OnlineClusterer
from bot.models import Article
from bot.textutil import words


def _partition(items: list[Article]) -> list[list[str]]:
    counter = itertools.count(1)
    c = OnlineClusterer(id_factory=lambda: f"s{next(counter)}")
    assigned = [(a.id, c.add(a).story_id) for a in items]
    groups: dict[str, list[str]] = {}
    for aid, sid in assigned:
        groups.setdefault(c.resolve(sid), []).append(aid)
    return sorted(groups.values())


def _one_story(items: list[Article]) -> None:
    assert _partition(items) == [[a.id for a in items]]


def test_a_quake_revised_within_the_hour_and_reported_by_its_new_magnitude_next_day():
    lead = (
        "A powerful undersea earthquake struck off the Kelvar peninsula early on Tuesday, "
        "setting off tsunami warnings along the Marrow Sea and sending coastal towns to higher "
        "ground, the seismology institute and civil defence officials said."
    )
    _one_story(
        [
            article("q0", "Harbor Daily", "Magnitude 8.0 earthquake strikes off Kelvar", lead, 0.0),
            article(
                "q1",
                "Northern Post",
                "Tsunami alert after 8.0-magnitude quake off Kelvar",
                lead,
                0.4,
            ),
            article(
                "q2",
                "Metro Wire",
                "Kelvar quake upgraded to magnitude 8.8, one of the strongest",
                lead,
                1.5,
            ),
            article(
                "q3",
                "Coastal Times",
                "Magnitude 8.8 Kelvar quake: waves reach Marrow coast",
                lead,
                18.0,
            ),
        ]
    )


def test_one_outlets_like_headlines_a_day_apart_join_a_story_other_outlets_report():
    grounding = (
        "Aviation regulators grounded the Skylark 900 jet after a second crash in five months, "
        "and shares in planemaker Aerovance fell sharply as airlines parked their fleets, "
        "officials and analysts said."
    )
    bank = (
        "The central bank is widely expected to leave its main interest rate unchanged at its "
        "two-day meeting, with policymakers divided over how fast inflation is easing, "
        "economists said."
    )
    _one_story(
        [
            article(
                "g0",
                "Harbor Daily",
                "Aerovance shares fall as airlines ground Skylark 900 jets",
                grounding,
                0.0,
            ),
            article(
                "g1",
                "Northern Post",
                "Airlines ground Aerovance Skylark 900 after second crash",
                grounding,
                1.0,
            ),
            article(
                "g2",
                "Harbor Daily",
                "Aerovance shares fall as regulators ground Skylark 900 jets",
                grounding,
                20.0,
            ),
        ]
    )
    _one_story(
        [
            article(
                "c0",
                "Harbor Daily",
                "Central bank set to hold rates steady as inflation eases",
                bank,
                0.0,
            ),
            article(
                "c1",
                "Northern Post",
                "Central bank meeting: policymakers weigh a pause on hikes",
                bank,
                2.0,
            ),
            article(
                "c2",
                "Harbor Daily",
                "Central bank holds rates steady as inflation eases",
                bank,
                20.0,
            ),
        ]
    )


def test_a_storms_page_of_the_day_joins_the_storm_other_outlets_report():
    lead = (
        "Storm Kelda battered the Easton coast with gales and heavy rain, flooding seafront "
        "homes and cutting power to thousands, the coastguard and the weather service said."
    )
    _one_story(
        [
            article(
                "s0",
                "Harbor Daily",
                "Storm Kelda today: red warning for the Easton coast",
                lead,
                0.0,
            ),
            article(
                "s1",
                "Northern Post",
                "Storm Kelda brings gales and heavy rain to Easton",
                lead,
                1.0,
            ),
            article(
                "s2",
                "Harbor Daily",
                "Storm Kelda today: clean-up begins on the Easton coast",
                lead,
                22.0,
            ),
        ]
    )


def test_one_outlets_daily_items_alone_still_split():
    wrap = (
        "Shares on Wall Street closed higher, traders said, with the main indexes extending "
        "their gains as bond yields eased and the dollar held steady."
    )
    forecast = (
        "Here is the forecast for the Easton region, with temperatures, rain and wind for the "
        "day ahead from the weather service."
    )
    pairs = [
        ("Wall Street climbs as tech rallies", "Wall Street climbs as banks gain", wrap, 44.0),
        (
            "Weather today: sunny spells for Easton",
            "Weather today: heavy rain for Easton",
            forecast,
            24.0,
        ),
    ]
    for k, (first, second, lead, hours) in enumerate(pairs):
        items = [
            article(f"d{k}-0", "Harbor Daily", first, lead, 0.0),
            article(f"d{k}-1", "Harbor Daily", second, lead, hours),
        ]
        assert _partition(items) == [[f"d{k}-0"], [f"d{k}-1"]], first


def test_a_market_needs_a_markets_name_not_any_price_or_medal():
    assert days.reads_market(words("Stocks edge higher as banks gain"))
    assert days.reads_market(words("Wall Street slips as tech sells off"))
    assert not days.reads_market(words("Cucumber prices soar as heat hits farms"))
    assert not days.reads_market(words("Brook and Ivo edge out rivals for ice-dance gold"))


def test_an_outlets_next_daily_item_splits_though_another_outlet_ran_its_own():
    # Two outlets' wraps (or pages of the day) of one day are one story; the next day's by one
    # of them is another, though the story it would join has two outlets.
    wrap = (
        "Shares on Wall Street closed higher, traders said, with the main indexes extending "
        "their gains as bond yields eased and the dollar held steady."
    )
    cases = [
        (
            "Stocks rally as tech shares gain",
            "Stocks rally as tech shares climb",
            "Stocks rally as bank shares gain",
        ),
        (
            "Gold price today: gold rises to record on rate bets",
            "Gold price today: gold hits record on rate bets",
            "Gold price today: gold slips from record high",
        ),
        (
            "Wall Street climbs as tech rallies",
            "Wall Street climbs as tech stocks rally",
            "Wall Street climbs as banks gain",
        ),
    ]
    for k, (first, other, next_day) in enumerate(cases):
        items = [
            article(f"w{k}-0", "Harbor Daily", first, wrap, 0.0),
            article(f"w{k}-1", "Northern Post", other, wrap, 0.5),
            article(f"w{k}-2", "Harbor Daily", next_day, wrap, 24.0),
        ]
        assert _partition(items) == [[f"w{k}-0", f"w{k}-1"], [f"w{k}-2"]], next_day


def test_outlets_headlines_that_keep_a_name_are_an_event_running_over_days():
    # Other outlets' near-copies with a market word and a move, or a page of the day, are still
    # that event's reports when the words they keep name a company, a storm or a place: the next
    # day's by one of them joins (only generic wraps and pages split, as the test above).
    grounding = (
        "Aviation regulators grounded the Skylark 900 jet after a second crash in five months, "
        "and shares in planemaker Aerovance fell sharply as airlines parked their fleets, "
        "officials and analysts said."
    )
    recall = (
        "Carmaker Voltera recalled 400,000 electric cars over a battery fault that can cause "
        "fires, and its shares slid as analysts warned of heavy costs, the company said."
    )
    storm = (
        "Storm Kelda battered the Easton coast with gales and heavy rain, flooding seafront "
        "homes and cutting power to thousands, the coastguard and the weather service said."
    )
    election = (
        "Vote counting in the Marrowland general election continued through the night, with "
        "the Centre Alliance ahead in most districts and turnout at a record high, officials said."
    )
    cases = [
        (
            grounding,
            "Aerovance shares fall as airlines ground Skylark 900 jets",
            "Aerovance shares tumble as airlines ground Skylark 900 jets",
            "Aerovance shares fall as regulators ground Skylark 900 jets",
        ),
        (
            recall,
            "Voltera shares slide after battery fire recall",
            "Voltera shares drop after battery fire recall",
            "Voltera shares slide again after battery fire recall widens",
        ),
        (
            storm,
            "Storm Kelda today: red warning for the Easton coast",
            "Storm Kelda today: gales and heavy rain hit Easton",
            "Storm Kelda today: clean-up begins on the Easton coast",
        ),
        (
            election,
            "Marrowland election today: Centre Alliance leads early count",
            "Marrowland election today: record turnout as count goes on",
            "Marrowland election today: Centre Alliance wins majority",
        ),
    ]
    for k, (lead, first, other, next_day) in enumerate(cases):
        _one_story(
            [
                article(f"n{k}-0", "Harbor Daily", first, lead, 0.0),
                article(f"n{k}-1", "Northern Post", other, lead, 1.0),
                article(f"n{k}-2", "Harbor Daily", next_day, lead, 22.0),
            ]
        )
    # A third outlet's like headline changes nothing.
    _one_story(
        [
            article("n9-0", "Harbor Daily", cases[0][1], grounding, 0.0),
            article("n9-1", "Northern Post", cases[0][2], grounding, 1.0),
            article("n9-2", "Metro Wire", cases[0][2].replace("tumble", "slide"), grounding, 2.0),
            article("n9-3", "Harbor Daily", cases[0][3], grounding, 20.0),
        ]
    )


def test_two_outlets_weather_pages_split_from_the_next_days():
    forecast = (
        "Showers will clear from the west by the afternoon, with sunny spells and a light breeze "
        "and highs a little above the seasonal average, forecasters said."
    )
    items = [
        article(
            "wx-0", "Harbor Daily", "Weather today: showers clearing, sunny later", forecast, 0.0
        ),
        article("wx-1", "Northern Post", "Weather today: showers then sunshine", forecast, 0.5),
        article(
            "wx-2", "Harbor Daily", "Weather today: cloudy with rain by evening", forecast, 24.0
        ),
    ]
    assert _partition(items) == [["wx-0", "wx-1"], ["wx-2"]]
