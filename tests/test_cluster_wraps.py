"""Market wraps days apart are two sessions when what moved is anyone's market, whatever the cause
they name (the Fed, the ECB) and whichever way each went; a company's shares moving over days
are one saga (`bot/cluster/days.py`).

All text is our own, written for these tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from _cluster_fixtures import article, assert_one_story_each, stories_of

from bot.cluster import days
from bot.cluster.bylines import byline
from bot.cluster.specifics import conflicts_any, identifiers, shape
from bot.textutil import words

_WRAP = (
    "Shares on Wall Street closed higher, traders said, with the main indexes extending their "
    "gains as bond yields eased and the dollar held steady."
)
_CENTRAL_BANK = (
    "Stocks moved after the Federal Reserve left its benchmark rate unchanged and the European "
    "Central Bank kept its own on hold, with traders weighing what policymakers said next."
)


def test_wraps_that_name_a_central_bank_are_still_daily_items():
    # Two outlets' wraps of Monday keep "Fed holds rates": the day's cause, not an event running
    # over days. Wednesday's by one of them is another session, whichever way it went.
    cases = [
        (
            "Stocks rally as Fed holds rates",
            "Stocks climb as Fed holds rates",
            "Stocks rally as Fed signals patience",
        ),
        (
            "Stocks rise as ECB holds rates",
            "Stocks gain as ECB holds rates",
            "Stocks rise as ECB signals cut",
        ),
        (
            "Stocks rally as Fed holds rates",
            "Stocks climb as Fed holds rates",
            "Stocks slip as Fed signals patience",
        ),
    ]
    for k, (first, other, next_day) in enumerate(cases):
        items = [
            ("monday", article(f"f{k}-0", "Harbor Daily", first, _CENTRAL_BANK, 0.0)),
            ("monday", article(f"f{k}-1", "Northern Post", other, _CENTRAL_BANK, 0.5)),
            ("wednesday", article(f"f{k}-2", "Harbor Daily", next_day, _CENTRAL_BANK, 44.0)),
        ]
        assert_one_story_each(stories_of(items))


def test_a_market_going_the_other_way_a_day_later_is_another_session():
    # Not one template (too many words swapped), yet one market read on two days: from one
    # outlet or two.
    pairs = [
        ("Wall Street climbs as tech rallies", "Wall Street slips as tech sells off"),
        ("Stocks rally as Fed holds rates", "Stocks slip as Fed signals patience"),
        ("Dow climbs 300 points as banks gain", "Dow slides as oil prices jump"),
    ]
    for k, (first, second) in enumerate(pairs):
        for outlet in ("Harbor Daily", "Northern Post"):
            items = [
                ("monday", article(f"o{k}-0", "Harbor Daily", first, _WRAP, 0.0)),
                ("tuesday", article(f"o{k}-1", outlet, second, _WRAP, 24.0)),
            ]
            assert_one_story_each(stories_of(items))


def test_a_companys_shares_going_the_other_way_are_one_saga():
    grounding = (
        "Aviation regulators grounded the Skylark 900 jet after a second crash in five months, "
        "and shares in planemaker Aerovance swung sharply as airlines parked their fleets, "
        "officials and analysts said."
    )
    items = [
        (
            "saga",
            article(
                "a0",
                "Harbor Daily",
                "Aerovance shares fall as airlines ground Skylark 900 jets",
                grounding,
                0.0,
            ),
        ),
        (
            "saga",
            article(
                "a1", "Northern Post", "Airlines ground Aerovance Skylark 900 jets", grounding, 1.0
            ),
        ),
        (
            "saga",
            article(
                "a2",
                "Metro Wire",
                "Aerovance shares rise as regulators review Skylark 900 jets",
                grounding,
                24.0,
            ),
        ),
    ]
    stories = stories_of(items)
    assert len(stories["saga"]) == 1, stories


def test_what_moved_is_read_before_the_move():
    assert days.subject(tuple(words("Wall Street slips as tech sells off"))) == ("wall", "street")
    # The Fed is the cause, named by every wrap: the reading is still generic.
    wrap = tuple(words("Stocks rally as Fed holds rates"))
    assert days.generic_reading(wrap, {"p:fed": 5.0})
    # A company's shares are its own.
    shares = tuple(words("Aerovance shares rise as regulators review jets"))
    assert not days.generic_reading(shares, {"p:aerovance": 7.0})
    assert not days.other_session(
        tuple(words("Aerovance shares fall as airlines ground jets")),
        shares,
        {"p:aerovance": 7.0},
        {"p:aerovance": 7.0},
    )
    # Steady or mixed goes no way; both ways at once neither.
    assert not days.other_session(
        tuple(words("Stocks steady as Fed holds rates")),
        tuple(words("Stocks slip as Fed signals patience")),
        {},
        {},
    )


def _doc(source: str, title: str, hours: float, ents: dict[str, float]) -> SimpleNamespace:
    p = SimpleNamespace(
        ids=identifiers(title), shape=shape(title), marks={}, byline=byline(title), ents=ents
    )
    return SimpleNamespace(source=source, t=hours * 3600.0, dated=True, p=p)


def test_a_session_going_the_other_way_splits_only_a_story_of_wraps():
    rise = "Stocks rise as tariff fears ease"
    monday = _doc("Harbor Daily", "Stocks tumble as tariff fears grip traders", 0.0, {})
    tuesday = _doc("Northern Post", rise, 24.0, {})
    assert conflicts_any(tuesday, [monday])
    # Hours apart, the morning's fall and the close's rise are one day's.
    assert not conflicts_any(_doc("Northern Post", rise, 6.0, {}), [monday])
    # A story that also holds the event's own report is the event, which may move markets back.
    tariffs = _doc("Metro Wire", "Steel tariffs take effect, hitting exporters", 1.0, {})
    assert not conflicts_any(tuesday, [monday], [monday, tariffs])


# Each: two outlets within hours, then a third a day or more later going the other way, its cause
# named again. Our own text, one event per run.
_NAMED_CAUSES = {
    "strait": (
        "Crude prices whipsawed after Iran shut the Strait of Hormuz to tankers, with shipping "
        "lines rerouting vessels and officials in Tehran issuing statements through the week.",
        [
            ("Oil prices soar as Iran closes Strait of Hormuz", 0.0),
            ("Oil jumps as Iran shuts Hormuz to tankers", 1.0),
            ("Oil falls as Iran reopens Strait of Hormuz", 30.0),
        ],
    ),
    "grounding": (
        "Aviation regulators grounded the Skylark 900 after a second crash, and airline shares "
        "swung as carriers parked their fleets while inspectors examined the jets, analysts said.",
        [
            ("Airline shares tumble as regulators ground Skylark jets", 0.0),
            ("Airline shares fall as Skylark jets grounded", 2.0),
            ("Airline shares rise as regulators clear Skylark jets", 40.0),
        ],
    ),
    "milestone": (
        "Bitcoin went past the 100,000 dollar mark for the first time as crypto buyers piled in "
        "once regulators approved new exchange-traded funds, market data showed.",
        [
            ("Bitcoin surges past $100,000 for the first time", 0.0),
            ("Bitcoin soars above $100,000 after ETF approval", 1.0),
            ("Bitcoin falls back below $100,000 after ETF rally", 26.0),
        ],
    ),
    "announced": (
        "Shares swung after the White House announced broad steel tariffs on imports from Canada "
        "and Mexico, and both trading partners threatened to retaliate, traders said.",
        [
            ("Stocks tumble as Trump announces steel tariffs", 0.0),
            ("Stocks fall as Trump steel tariffs hit Canada and Mexico", 1.0),
            ("Stocks rise as Trump delays steel tariffs on Canada and Mexico", 20.0),
        ],
    ),
    "in_force": (
        "Markets moved as the new steel tariffs on goods from Canada and Mexico came into force, "
        "and importers warned of higher costs, analysts said.",
        [
            ("Markets slide as steel tariffs take effect", 0.0),
            ("Markets drop as steel tariffs hit Canada and Mexico", 1.0),
            ("Markets climb as steel tariffs delayed for Canada and Mexico", 20.0),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(_NAMED_CAUSES))
def test_a_named_cause_followed_over_days_is_one_story(name: str):
    # The cause (Iran and Hormuz, Skylark jets, $100,000 and the ETF, steel tariffs) is named
    # again the next day: the market going back is the event's follow-up, not another session.
    outlets = ("Harbor Daily", "Northern Post", "Metro Wire")
    body, reports = _NAMED_CAUSES[name]
    items = [
        (name, article(f"{name}-{k}", outlets[k], title, body, hours))
        for k, (title, hours) in enumerate(reports)
    ]
    stories = stories_of(items)
    assert len(stories[name]) == 1, stories


@pytest.mark.parametrize(
    ("first", "next_day"),
    [
        ("Wall Street climbs as tech rallies", "Wall Street slips as tech sells off"),
        ("Stocks rally as Fed holds rates", "Stocks slip as Fed signals patience"),
        ("Stocks rally as Fed's Powell hints at cuts", "Stocks slip as Fed's Powell warns"),
        ("Stocks rally as Bank of Japan holds rates", "Stocks slip as Bank of Japan signals hike"),
        ("Stocks tumble as tariff fears grip traders", "Stocks rise as tariff fears ease"),
        ("Stocks rally as rate cut hopes grow", "Stocks slip as rate cut hopes fade"),
    ],
)
def test_wraps_sharing_only_a_generic_cause_are_two_sessions(first: str, next_day: str):
    # Who acts (the Fed, its chair, the Bank of Japan, "tech") or the wraps' own words ("tariff
    # fears", "rate cut hopes") recur in every week's wraps: the next day's reading going the other
    # way is another session, from a third outlet too.
    items = [
        ("monday", article("g0", "Harbor Daily", first, _CENTRAL_BANK, 0.0)),
        ("monday", article("g1", "Northern Post", first, _CENTRAL_BANK, 0.5)),
        ("tuesday", article("g2", "Metro Wire", next_day, _CENTRAL_BANK, 24.0)),
    ]
    assert_one_story_each(stories_of(items))


def _reading(title: str, ents: tuple[str, ...] = ()) -> tuple[tuple[str, ...], set[str]]:
    return tuple(words(title)), {"p:" + e for e in ents}


def test_a_shared_cause_takes_two_distinctive_words_not_one_name():
    def shared(a: str, b: str, ents: tuple[str, ...] = ()) -> bool:
        (sa, ea), (sb, eb) = _reading(a, ents), _reading(b, ents)
        return days.shared_cause(sa, sb, ea, eb)

    assert shared(
        "Oil soars as Iran closes Strait of Hormuz",
        "Oil falls as Iran reopens Strait of Hormuz",
        ("iran", "strait", "hormuz"),
    )
    assert shared(
        "Markets slide as steel tariffs take effect", "Markets climb as steel tariffs delayed"
    )
    # A level crossed, named with its cause.
    assert shared(
        "Bitcoin soars above $100,000 after ETF approval",
        "Bitcoin falls back below $100,000 after ETF rally",
        ("etf",),
    )
    # One name, however many words it takes: who acts in every week's wraps.
    assert not shared(
        "Stocks rally as Fed's Powell hints at cuts",
        "Stocks slip as Fed's Powell warns on inflation",
        ("fed", "powell"),
    )
    assert not shared(
        "Stocks rally as Bank of Japan holds rates",
        "Stocks slip as Bank of Japan signals hike",
        ("bank", "japan"),
    )
    # A word of every day's news ("holds") is no cause of its own, nor a change's size.
    assert not shared("Stocks rally as Fed holds rates", "Stocks slip as Fed holds rates", ("fed",))
    assert not shared("Dow climbs 300 points as banks gain", "Dow falls 300 points as banks slide")
    # Only the words after the move are the cause.
    assert not shared("Steel tariffs hit as stocks fall", "Steel tariffs hit as stocks rise")


def test_a_cause_named_anywhere_in_the_story_keeps_the_next_days_reading():
    ents = {"p:etf": 7.0}
    first = _doc("Harbor Daily", "Bitcoin surges past $100,000 for the first time", 0.0, ents)
    second = _doc("Northern Post", "Bitcoin soars above $100,000 after ETF approval", 1.0, ents)
    later = _doc("Metro Wire", "Bitcoin falls back below $100,000 after ETF rally", 26.0, ents)
    # The first report names the level alone: read beside it only, another session.
    assert conflicts_any(later, [first])
    # The story also names the ETF with the level: the event's.
    assert not conflicts_any(later, [first], [first, second])
