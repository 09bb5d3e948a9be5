"""Templated items told apart by the day they are on, and an aggregator's items by the outlet each
names: one outlet's market wraps and pages of the day, two quakes days apart, "- Reuters" / "- AP"
tails. Stories that legitimately span days (a storm's follow-ups, a trial) still grow.

All text is our own, written for these tests."""

from __future__ import annotations

from _cluster_fixtures import article, assert_one_story_each, stories_of


def _one_outlet(source: str, reports: list[tuple[str, str, str, float]]) -> list:
    return [
        (name, article(f"{name}-{k}", source, title, lead, hours))
        for k, (name, title, lead, hours) in enumerate(reports)
    ]


def test_one_outlets_market_wraps_on_two_days_are_two_stories():
    # The same direction both days and no date in the headline: only the day tells them apart.
    lead = (
        "Shares on the Harbor exchange closed higher, traders said, with the main index "
        "extending its gains as bond yields eased and the currency held steady."
    )
    items = _one_outlet(
        "Harbor Daily",
        [
            ("monday", "Stocks rise as tech shares rally", lead, 0.0),
            ("wednesday", "Stocks rise as bank shares gain", lead, 44.0),
        ],
    )
    assert_one_story_each(stories_of(items))


def test_a_page_of_the_day_is_one_story_a_day():
    gold = (
        "The price of gold moved this morning from yesterday's close as investors looked for "
        "safety. Here is where the metal stands today and what analysts expect."
    )
    rates = (
        "The average 30-year fixed mortgage rate is 6.1% today, according to lender data. Here "
        "are today's rates for buyers and for homeowners thinking of refinancing."
    )
    items = [
        *_one_outlet(
            "Metal Money",
            [
                ("gold-1", "Gold price today: gold climbs to $2,650 an ounce", gold, 0.0),
                ("gold-2", "Gold price today: gold climbs to $2,671 an ounce", gold, 24.0),
                ("gold-3", "Gold price today: gold edges higher", gold, 47.0),
            ],
        ),
        *_one_outlet(
            "Home Ledger",
            [
                ("rates-1", "Mortgage rates today, November 28, 2026: rates hold", rates, 0.5),
                ("rates-2", "Mortgage rates today, 11/29/2026: rates hold", rates, 24.5),
                ("rates-3", "Mortgage rates today, 11/30/2026: rates hold", rates, 48.5),
            ],
        ),
    ]
    assert_one_story_each(stories_of(items))


def test_two_quakes_in_one_region_days_apart_are_two_stories():
    def lead(day: str, magnitude: str) -> str:
        return (
            f"A magnitude {magnitude} earthquake shook the Kelvar region on {day}, rattling "
            "windows in the port city of Marrow, the seismology institute said. No damage was "
            "reported."
        )

    items = [
        (
            "first",
            article(
                "q1",
                "Harbor Daily",
                "Magnitude 5.4 earthquake shakes Kelvar region",
                lead("Monday", "5.4"),
                0.0,
            ),
        ),
        (
            "first",
            article(
                "q2",
                "Northern Post",
                "Earthquake of magnitude 5.4 rattles Marrow",
                lead("Monday", "5.4"),
                3.0,
            ),
        ),
        (
            "second",
            article(
                "q3",
                "Metro Wire",
                "Magnitude 4.8 earthquake shakes Kelvar region",
                lead("Wednesday", "4.8"),
                40.0,
            ),
        ),
        # A USGS-style feed: one item per quake, the same words each time.
        (
            "usgs-1",
            article("u1", "Quake Feed", "M 4.6 - 20 km SW of Tessaly", "Origin time: Monday.", 1.0),
        ),
        (
            "usgs-2",
            article("u2", "Quake Feed", "M 3.9 - 20 km SW of Tessaly", "Origin time: Tuesday.", 30),
        ),
    ]
    assert_one_story_each(stories_of(items))


def test_a_quakes_follow_ups_days_later_still_join_it():
    # Days later, a report names the same magnitude, or another agency's a tenth off: one quake.
    lead = (
        "The earthquake off the Kelvar coast destroyed hundreds of homes in the port city of "
        "Marrow, and rescuers are still searching collapsed buildings, officials said."
    )
    items = [
        (
            "quake",
            article("k0", "Harbor Daily", "Magnitude 7.8 earthquake devastates Kelvar coast", lead),
        ),
        (
            "quake",
            article(
                "k1", "Northern Post", "Kelvar quake: rescuers search rubble in Marrow", lead, 20.0
            ),
        ),
        (
            "quake",
            article(
                "k2",
                "Metro Wire",
                "After magnitude 7.7 earthquake, Marrow searches its rubble",
                lead,
                30.0,
            ),
        ),
        (
            "quake",
            article(
                "k3",
                "Coastal Times",
                "Kelvar coast mourns as magnitude 7.8 quake toll climbs",
                lead,
                50.0,
            ),
        ),
    ]
    stories = stories_of(items)
    assert len(stories["quake"]) == 1, stories


def test_an_aggregators_one_word_outlets_are_not_one_template():
    # Two outlets' reports of one fire or match, carried by one aggregator's feed, each naming
    # its outlet in one word: one event, as with longer names.
    fire = (
        "A fast-moving wildfire north of Easton forced evacuations on Tuesday as winds picked "
        "up, fire officials said. Crews were battling the Easton blaze from the air and on the "
        "ground."
    )
    derby = (
        "Rovers and Athletic met at Tessaly Park in the Harbour derby, with Dana Brook's "
        "header the difference in front of a full stadium."
    )
    pairs = {
        "fire": [
            ("Easton wildfire forces evacuations in zone 4 - Reuters", fire, 0.0),
            ("Easton wildfire forces evacuations in zone 9 - AP", fire, 0.5),
        ],
        "derby": [
            ("Rovers 1-0 Athletic: Harbour derby – live - Reuters", derby, 0.0),
            ("Rovers 2-1 Athletic: Harbour derby – live - AP", derby, 1.0),
        ],
    }
    for name, reports in pairs.items():
        items = [
            (name, article(f"{name}-{k}", "Google News", title, lead, hours))
            for k, (title, lead, hours) in enumerate(reports)
        ]
        stories = stories_of(items)
        assert len(stories[name]) == 1, (name, stories)


def test_an_aggregators_items_of_one_outlet_keep_its_template():
    lead = "Results for the ward were declared overnight, the election office said."
    items = [
        (f"ward-{n}", article(f"w{n}", "Google News", f"Ward {n} results - Reuters", lead, n / 10))
        for n in (3, 5)
    ]
    assert_one_story_each(stories_of(items))


def test_a_storm_reported_over_three_days_stays_one_story():
    # Every outlet files daily, one of them with near-identical headlines and "today" further on.
    days = [
        [
            ("Harbor Daily", "Storm Kelda: rain warning today for the Easton coast"),
            ("Northern Post", "Storm Kelda brings gales and heavy rain to Easton coast"),
            ("Metro Wire", "Easton coast braces as Storm Kelda arrives"),
        ],
        [
            ("Harbor Daily", "Storm Kelda: flood warning today for the Easton coast"),
            ("Northern Post", "Storm Kelda floods Easton seafront homes"),
            ("Metro Wire", "Easton counts flood damage as Storm Kelda lingers"),
        ],
        [
            ("Harbor Daily", "Storm Kelda: clean-up begins on the Easton coast"),
            ("Northern Post", "Storm Kelda moves away as Easton starts clean-up"),
            ("Metro Wire", "Easton coast clears up after Storm Kelda"),
        ],
    ]
    lead = (
        "Storm Kelda battered the Easton coast with gales and heavy rain, flooding seafront "
        "homes and cutting power to thousands, the coastguard and the weather service said."
    )
    items = [
        ("storm", article(f"d{d}-{k}", source, title, lead, d * 22.0 + k))
        for d, reports in enumerate(days)
        for k, (source, title) in enumerate(reports)
    ]
    stories = stories_of(items)
    assert len(stories["storm"]) == 1, stories
