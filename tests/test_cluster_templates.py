"""Templated items (a daily draw, per-district warnings, market closes, match results) stay one
story per occurrence, while follow-ups of one event whose figures change still join it.

All text is our own, written for these tests."""

from __future__ import annotations

from _cluster_fixtures import article, assert_one_story_each, numbered_clusterer, stories_of

from bot.cluster.settings import ClusterSettings

OUTLETS = ("Harbor Daily", "Northern Post", "Metro Wire", "Coastal Times")


def _daily(reports: list[tuple[str, str, str]], day_hours: float = 24.0) -> list:
    """(occurrence, title, lead) a day apart, each told by every outlet within the hour."""
    items = []
    for day, (name, title, lead) in enumerate(reports):
        for k, source in enumerate(OUTLETS):
            hours = day * day_hours + k * 0.25
            aid = f"{name}-{k}"
            items.append((name, article(aid, source, title, lead, hours)))
    return items


def test_a_daily_lottery_draw_is_one_story_per_draw():
    reports = [
        (
            f"draw-{n}",
            f"National lottery results for draw {n}",
            f"The winning numbers in national lottery draw {n} were {balls}, the operator said. "
            "No ticket matched all six numbers and the jackpot rolls over to the next draw.",
        )
        for n, balls in (
            (4127, "3, 11, 19, 24, 38 and 41"),
            (4128, "7, 12, 20, 29, 33 and 45"),
            (4129, "2, 9, 16, 27, 31 and 40"),
        )
    ]
    assert_one_story_each(stories_of(_daily(reports)))


def test_storm_warnings_for_different_districts_are_separate_stories():
    reports = [
        (
            f"district-{d}",
            f"Severe storm warning issued for district {d}",
            f"Forecasters issued a severe storm warning for district {d}, with gusts of up to "
            "110 km/h and heavy rain expected overnight. Residents were told to stay indoors.",
        )
        for d in (4, 7, 12)
    ]
    # The same day, hours apart: time can't separate them, only the district can.
    assert_one_story_each(stories_of(_daily(reports, day_hours=3.0)))


def test_market_closes_on_consecutive_days_are_one_story_per_day():
    reports = [
        (
            "monday",
            "Markets close: Dow up 120 points",
            "Stocks finished higher, with the Dow up 120 points as bank shares rallied and "
            "bond yields eased at the close of trading.",
        ),
        (
            "tuesday",
            "Markets close: Dow down 80 points",
            "Stocks finished lower, with the Dow down 80 points as bank shares slipped and "
            "bond yields climbed at the close of trading.",
        ),
    ]
    assert_one_story_each(stories_of(_daily(reports)))


def test_a_template_naming_another_weekday_is_another_day():
    reports = [
        (
            day,
            f"Pollen forecast for {day.title()}: levels high across the region",
            "Grass pollen levels will be high across the region, the weather service said, "
            "advising hay fever sufferers to keep windows closed.",
        )
        for day in ("monday", "tuesday", "wednesday")
    ]
    assert_one_story_each(stories_of(_daily(reports)))


def test_results_of_different_fixtures_are_separate_stories():
    reports = [
        (
            "first",
            "Harbour league: Rovers 3-1 Athletic",
            "Rovers beat Athletic 3-1 in the harbour league on Saturday, with two goals "
            "after half-time settling the match in front of a full stadium.",
        ),
        (
            "second",
            "Harbour league: Rovers 0-2 Wanderers",
            "Rovers lost 0-2 to Wanderers in the harbour league on Saturday, with two goals "
            "after half-time settling the match in front of a full stadium.",
        ),
    ]
    assert_one_story_each(stories_of(_daily(reports, day_hours=1.0)))


def test_follow_ups_whose_figures_change_still_join_the_event():
    # Tolls rise, magnitudes are revised, counts grow: one event, whatever the latest figure.
    events = {
        "floods": [
            (
                "Death toll from Tessaly floods rises to 12",
                "The death toll from floods in Tessaly rose to 12 on Monday as rescuers reached "
                "villages cut off by the swollen Arno river, officials said.",
            ),
            (
                "Death toll from Tessaly floods rises to 15",
                "The death toll from floods in Tessaly rose to 15 as rescuers reached more "
                "villages cut off by the swollen Arno river, officials said.",
            ),
            (
                "Tessaly floods: toll climbs to 19, thousands evacuated",
                "At least 19 people have died in the Tessaly floods and 6,000 were evacuated "
                "from villages along the swollen Arno river, officials said.",
            ),
        ],
        "quake": [
            (
                "Quake of magnitude 6.1 strikes off Kelvar coast",
                "An earthquake of magnitude 6.1 struck off the Kelvar coast early on Tuesday, "
                "shaking buildings in the port city of Marrow, the seismology institute said.",
            ),
            (
                "Quake of magnitude 6.2 strikes off Kelvar coast",
                "An earthquake of magnitude 6.2 struck off the Kelvar coast early on Tuesday, "
                "shaking buildings in the port city of Marrow, the seismology institute said.",
            ),
            (
                "Kelvar quake revised to magnitude 6.2; Marrow counts damage",
                "The seismology institute revised the earthquake off the Kelvar coast to "
                "magnitude 6.2 from 6.1 as the port city of Marrow counted damaged buildings.",
            ),
        ],
    }
    items = []
    for e, (name, reports) in enumerate(events.items()):
        for k, (title, lead) in enumerate(reports):
            hours = k * 5.0 + e * 0.5
            items.append((name, article(f"{name}-{k}", OUTLETS[k], title, lead, hours)))
    assert_one_story_each(stories_of(items))


def test_stories_of_two_draws_are_never_merged():
    # Every article opens a story of its own (joins are off) and any two stories that read alike
    # merge: the draws still end apart, while the stories of one draw merge as before.
    never_join = ClusterSettings(join_logit=50.0, merge_probe=-50.0, merge_logit=-50.0)
    items = []
    for day, n in enumerate((4127, 4128)):
        for k, source in enumerate(OUTLETS[:2]):
            title = f"National lottery results for draw {n}"
            lead = f"The winning numbers in national lottery draw {n} were drawn tonight."
            items.append((f"draw-{n}", article(f"{n}-{k}", source, title, lead, day + k * 0.1)))
    # A report naming no draw reads like both: joined (merged) to one, it must not bridge them.
    general = article(
        "general",
        "Metro Wire",
        "National lottery results",
        "The winning numbers in the national lottery were drawn tonight.",
        1.2,
    )
    c = numbered_clusterer(never_join)
    stories = stories_of(items, c)
    c.add(general)
    stories = {name: {c.resolve(s) for s in sids} for name, sids in stories.items()}
    assert_one_story_each(stories)


def test_a_recap_naming_the_next_game_in_its_lead_joins_the_game():
    # Identifiers are read from headlines: leads name the last or next game of the series.
    items = [
        (
            "game",
            article(
                "g0",
                "Harbor Daily",
                "Rovers beat Athletic to take 3-2 series lead",
                "Dana Brook scored 38 as the Rovers beat Athletic in Game 5 on Wednesday night to "
                "move within one win of the conference finals at Tessaly Arena.",
                0.0,
            ),
        ),
        (
            "game",
            article(
                "g1",
                "Northern Post",
                "Brook scores 38 as Rovers top Athletic, lead series 3-2",
                "Dana Brook had 38 points as the Rovers beat Athletic on Wednesday night at "
                "Tessaly Arena; Game 6 is Friday.",
                1.0,
            ),
        ),
    ]
    stories = stories_of(items)
    assert len(stories["game"]) == 1, stories


def test_another_outlets_later_score_or_local_weekday_joins_the_event():
    # Across outlets a score or a weekday differs by timing: the live score and the final one,
    # a quake dated in UTC and in local time.
    events = {
        "derby": [
            (
                "Harbor Daily",
                "Rovers 1-0 Athletic: Harbour derby – live",
                "Dana Brook put Rovers ahead against Athletic at Tessaly Park with a first-half "
                "header; Athletic have barely had the ball in the Harbour derby.",
            ),
            (
                "Northern Post",
                "Rovers 2-1 Athletic: Harbour derby – live",
                "Rovers held on to beat Athletic at Tessaly Park after Brook's header and a late "
                "goal from Sam Vale; Athletic had pulled one back in the Harbour derby.",
            ),
        ],
        "quake": [
            (
                "Metro Wire",
                "Magnitude 6.9 earthquake hits Kelvar coast on Monday",
                "A strong earthquake struck off the Kelvar coast, prompting tsunami warnings along "
                "the southern shore, the national seismology institute said.",
            ),
            (
                "Coastal Times",
                "Magnitude 6.9 earthquake hits Kelvar coast on Tuesday",
                "A powerful earthquake struck off the Kelvar coast early Tuesday, triggering "
                "tsunami warnings on the southern shore, the national seismology institute said.",
            ),
        ],
    }
    items = []
    for e, (name, reports) in enumerate(events.items()):
        for k, (source, title, lead) in enumerate(reports):
            items.append((name, article(f"{name}-{k}", source, title, lead, e * 0.3 + k * 1.0)))
    assert_one_story_each(stories_of(items))


def test_an_outlets_follow_up_naming_the_next_zone_joins_the_fire():
    # Areas veto only in a template (the number the one swap): a reworded follow-up of one
    # fire is the same event, from one outlet or from an aggregator's feed of several.
    lead = (
        "A fast-moving wildfire north of Easton forced evacuations on Tuesday as winds picked "
        "up, fire officials said. Crews were battling the Easton blaze from the air and on the "
        "ground."
    )
    pairs = {
        "outlet": [
            ("Harbor Daily", "Easton wildfire forces evacuations in zone 4", 0.0),
            ("Harbor Daily", "Easton wildfire: evacuations expand to zone 9", 2.0),
        ],
        "aggregator": [
            ("Google News", "Easton wildfire forces evacuations in zone 4 - Harbor Daily", 0.0),
            ("Google News", "Easton wildfire forces evacuations in zone 9 - Northern Post", 0.5),
        ],
    }
    for name, reports in pairs.items():
        items = [
            (name, article(f"{name}-{k}", source, title, lead, hours))
            for k, (source, title, hours) in enumerate(reports)
        ]
        stories = stories_of(items)
        assert len(stories[name]) == 1, (name, stories)
