"""The veto's rules, pair by pair: which specifics pin an article to one occurrence of a templated
item, and which differ between reports of one event (see bot/cluster/specifics.py).

All text is our own, written for these tests."""

from __future__ import annotations

from types import SimpleNamespace

from bot.cluster.bylines import byline
from bot.cluster.marks import marks
from bot.cluster.specifics import conflict, conflicts_any, identifiers, shape


def test_identifiers_are_labelled_numbers_not_quantities():
    assert identifiers("Lottery results for draw No. 4127") == {"draw": frozenset({"4127"})}
    assert identifiers("Recount ordered\nVoters in the 6th District and district 9") == {
        "district": frozenset({"6", "9"})
    }
    # Amounts, tolls and scales an event climbs identify nothing (a magnitude vetoes only days
    # apart: see test_days_apart_specifics).
    for text in (
        "Death toll rises to 15",
        "Storm upgraded to category 4",
        "Region moves to stage 3 restrictions",
        "Round 2.5 of talks",
    ):
        assert identifiers(text) == {}, text


def _p(title: str, lead: str = "") -> SimpleNamespace:
    # As `profile.py` reads an article: identifiers and shape from the headline, days from both.
    return SimpleNamespace(
        ids=identifiers(title),
        shape=shape(title),
        marks=marks(f"{title}\n{lead}"),
        byline=byline(title),
        ents={},
    )


def _one(a: SimpleNamespace, b: SimpleNamespace) -> bool:
    return conflict(a, b, same_outlet=True)


def _two(a: SimpleNamespace, b: SimpleNamespace) -> bool:
    return conflict(a, b, same_outlet=False)


def test_template_conflicts_need_a_near_identical_headline():
    assert _one(_p("Dow up 120 at the close"), _p("Dow down 80 at the close"))
    assert _one(_p("Rovers 3-1 Athletic in league"), _p("Rovers 0–2 Wanderers in league"))
    # The same figure moving on within one event, or a headline that only shares a few words.
    assert not _one(_p("Toll rises to 12 in floods"), _p("Toll rises to 15 in floods"))
    assert not _one(_p("Harris breaks 50-50 tie in Senate"), _p("Senate passes bill 51-50"))
    assert not _one(_p("Shares fall 3% on Monday"), _p("Shares rebound on Tuesday after fall"))


def test_scores_days_and_directions_veto_within_one_outlet_only():
    # Across outlets these differ for one event by timing: a live score against the final one, a
    # weekday in another time zone, a tally counted before or after a late vote.
    pairs = [
        ("Rovers 1-0 Athletic: league – live", "Rovers 2-1 Athletic: league – live"),
        (
            "Magnitude 6.8 quake strikes Kelvar on Monday",
            "Magnitude 6.8 quake strikes Kelvar on Tuesday",
        ),
        (
            "Senate passes funding bill 52-47, averting shutdown",
            "Senate passes funding bill 53-47, averting shutdown",
        ),
    ]
    for a, b in pairs:
        assert not _two(_p(a), _p(b)), (a, b)
    assert _one(_p(pairs[1][0]), _p(pairs[1][1]))


def test_a_live_or_half_time_score_is_the_same_match():
    half = _p("Rovers 2-0 Athletic: derby half-time")
    assert not _one(half, _p("Rovers 3-1 Athletic: derby full-time"))
    assert not _one(
        _p("Rovers lead Athletic 2-1 in cup final"), _p("Rovers beat Athletic 3-1 in cup final")
    )


def test_a_reversed_reading_is_another_day_unless_both_name_the_same_day():
    # One outlet's daily close, three words swapped: the figure, its direction, a verb.
    monday = _p("Markets close: Dow up 120, S&P 500 gains", "Stocks closed higher on Monday.")
    tuesday = _p("Markets close: Dow down 80, S&P 500 slips", "Stocks closed lower on Tuesday.")
    assert _one(monday, tuesday)
    # The morning's fall, then the close's rise, the same day: one story of that day.
    morning = _p("Stocks today: Dow down 300 as chip shares slide", "The Dow fell on Thursday.")
    close = _p(
        "Stocks today: Dow up 120 as chip shares rebound", "The Dow closed higher on Thursday."
    )
    assert not _one(morning, close)


def test_areas_veto_within_one_outlets_template_only():
    # One outlet's warning per district: the number is the only word swapped.
    four = _p("Storm warning issued for district 4")
    seven = _p("Storm warning issued for district 7")
    assert _one(four, seven)
    assert _one(
        _p("Boil-water notice for the 4th district"), _p("Boil-water notice for the 7th district")
    )
    assert _one(
        _p("Boil-water notice lifted for ward 3 on Friday"),
        _p("Boil-water notice lifted for ward 5 on Saturday"),
    )
    # However short: only "ward" and "results" are kept, but nothing else differs.
    assert _one(_p("Ward 3 results"), _p("Ward 5 results"))
    assert _one(_p("Zone 4 closed"), _p("Zone 9 closed"))
    # Across outlets, one fire reaches several zones; each names the ones it heard of.
    assert not _two(four, seven)
    assert not _two(_p("Ward 3 results"), _p("Ward 5 results"))
    # A short headline that also swaps a word is no template copy.
    assert not _one(_p("Zone 4 closed"), _p("Zone 9 reopens"))
    # One outlet's follow-up of one fire names the next zone in other words.
    first = _p("Ridge wildfire forces evacuations in zone 4")
    assert not _one(first, _p("Ridge wildfire: evacuations expand to zone 9"))
    assert not _one(
        _p("Evacuation ordered for zone 4 as Ridge fire spreads"),
        _p("Ridge fire: evacuation order expanded to zone 9"),
    )
    # An aggregator's feed is one outlet: its items name the outlet that wrote each report.
    assert not _one(
        _p("Ridge wildfire forces evacuations in zone 4 - Harbor Daily"),
        _p("Ridge wildfire forces evacuations in zone 9 - Northern Post"),
    )
    # A draw or a game is one of a series whoever reports it, however worded.
    assert _two(_p("Lottery results for draw 4127"), _p("Draw 4128: the winning numbers"))


def test_the_veto_reads_the_outlet_of_each_member():
    def doc(source: str | None, title: str) -> SimpleNamespace:
        return SimpleNamespace(source=source, t=0.0, dated=True, p=_p(title))

    zone4 = doc("harbor daily", "Ridge fire: evacuation ordered for zone 4")
    zone9 = "Ridge fire: evacuation ordered for zone 9"
    assert conflicts_any(zone4, [doc("metro wire", zone9), doc("harbor daily", zone9)])
    assert not conflicts_any(zone4, [doc("metro wire", zone9)])
    # Two articles of unknown outlets are not known to share one.
    zone4_unknown = doc(None, "Ridge fire: evacuation ordered for zone 4")
    assert not conflicts_any(zone4_unknown, [doc(None, zone9)])


def test_a_count_after_a_label_word_is_no_identifier():
    assert identifiers("Strike enters its 4th week\nEarlier this week 12 people were hurt") == {}
    assert identifiers("Voters in the 3rd district") == {"district": frozenset({"3"})}
    assert identifiers("Game #3 tonight") == {"game": frozenset({"3"})}


def test_counts_of_one_event_progress_are_no_identifiers():
    # A strike's week, a round of talks: outlets number them differently, and the next day's
    # report of the same strike is a week on.
    for text in (
        "Doctors' strike enters week 4",
        "Envoys open round 3 of peace talks",
        "Week 3 thriller",
    ):
        assert identifiers(text) == {}, text


def test_a_code_is_not_its_leading_digit_and_a_list_is_read_whole():
    assert identifiers("Air Kelvar flight 7K2216 crashes on landing") == {}
    assert identifiers("Flight 2216 crashes on landing") == {"flight": frozenset({"2216"})}
    assert identifiers("Evacuation orders for zones 4 and 5") == {"zone": frozenset({"4", "5"})}
    assert identifiers("Boil-water notice for districts 3, 6 or 9") == {
        "district": frozenset({"3", "6", "9"})
    }
    # A singular label is followed by one figure only: "zone 4 and 5 people" is zone 4.
    assert identifiers("Zone 4 and 5 people hurt") == {"zone": frozenset({"4"})}


def _apart(a: SimpleNamespace, b: SimpleNamespace, *, same_outlet: bool = True) -> bool:
    return conflict(a, b, same_outlet=same_outlet, apart=True)


def test_days_apart_specifics():
    # One outlet's market wrap, the same way both days: another session only when days apart.
    monday, wednesday = (
        _p("Stocks rise as tech shares rally"),
        _p("Stocks rise as bank shares gain"),
    )
    assert _apart(monday, wednesday)
    assert not _one(monday, wednesday)
    assert not _apart(monday, wednesday, same_outlet=False)
    # A disaster's figure rising is no market's move.
    assert not _apart(
        _p("Death toll rises as floods spread"), _p("Death toll rises as rain returns")
    )
    # A page of the day opens with its name; a follow-up that says "today" further on is none.
    gold = _p("Gold price today: gold edges higher")
    assert _apart(gold, _p("Gold price today: gold climbs to $2,671 an ounce"))
    assert _apart(gold, _p("Gold price today: gold edges higher"))
    assert not _apart(
        _p("Storm Kelda: rain warning today for the coast"),
        _p("Storm Kelda: flood warning today for the coast"),
    )
    # A magnitude: read in its usual spellings, vetoing only days apart and beyond a revision.
    for text in ("Magnitude 5.4 quake", "5.4-magnitude quake", "M 5.4 - 20 km SW of Tessaly"):
        assert identifiers(text) == {"magnitude": frozenset({"5.4"})}, text
    first, second = _p("Magnitude 5.4 quake shakes Kelvar"), _p("Magnitude 4.8 quake shakes Kelvar")
    assert _apart(first, second, same_outlet=False)
    assert not _two(first, second)
    assert not _apart(first, _p("Magnitude 5.6 quake shakes Kelvar"), same_outlet=False)


def test_a_headline_tail_names_an_aggregators_outlet():
    assert byline("Easton wildfire forces evacuations - Reuters") == "reuters"
    assert byline("Easton wildfire forces evacuations | Harbor Daily") == "harbor daily"
    # Not an outlet: a figure, a day, a lowercase clause, no tail at all.
    for title in (
        "Markets close - Dow up 120",
        "Pollen forecast - Monday",
        "Rovers 1-0 Athletic: derby - live",
        "Easton wildfire - what we know",
        "Easton wildfire forces evacuations",
    ):
        assert byline(title) == "", title
