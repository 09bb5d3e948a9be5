"""Market wraps days apart are two sessions when what moved is anyone's market, whatever the cause
they name (the Fed, the ECB) and whichever way each went; a company's shares moving over days
are one saga (`bot/cluster/days.py`).

All text is our own, written for these tests."""

from __future__ import annotations

from types import SimpleNamespace

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
