"""What `bot/cluster/periods.py` reads as a report's period, and when two sides' periods veto.

All text is our own, written for these tests."""

from __future__ import annotations

from bot.cluster.features import FeatureWeights
from bot.cluster.periods import other_period, periods
from bot.cluster.profile import raw_profile

W = FeatureWeights()


def _months(title: str) -> frozenset[str]:
    return periods(title, title, True).get("m", frozenset())


def test_a_headline_month_is_a_period_after_in_for_during_or_as_a_possessive():
    assert _months("Jobs rose in March and April") == {"march", "april"}
    assert _months("Inflation in May, June and July tops 5%") == {"may", "june", "july"}
    assert _months("April's jobs report disappoints") == {"april"}
    assert _months("Payrolls rise 40,000 for September") == {"september"}
    assert _months("Prices in March 2025 rose 3%") == {"march"}


def test_a_reference_point_a_deadline_or_a_date_is_no_period():
    assert _months("Prices surge by most since August 2008") == set()
    assert _months("Minister to step down by February") == set()
    assert _months("Crowds gather in July 4 heat") == set()
    assert _months("Prices rose from May to July") == set()
    assert _months("Vote may come in weeks") == set()


def test_a_week_is_named_by_its_last_day_in_the_headline_or_lead():
    lead = "Claims fell to 473,000 in the week ended Sept. 8th, the ministry said."
    assert periods("Claims fall", "Claims fall\n" + lead, True) == {"wk": {"september 8"}}
    lead = "Claims rose to 12,500 for the week ending Saturday, June 3, the office said."
    assert periods("Claims rise", lead, True) == {"wk": {"june 3"}}


def test_only_a_report_of_a_measure_states_a_period():
    # No figure in headline or lead: a month is an event's, not a report's.
    festival = raw_profile(
        "Kessel harbour festival will not go ahead in June",
        "Organisers moved the festival to the autumn, citing storm damage to the quay.",
        FeatureWeights(),
    )
    assert festival.periods == {}
    report = raw_profile(
        "Kessel harbour traffic fell in June",
        "Ships calling at Kessel fell 12% from a year earlier, the port said.",
        FeatureWeights(),
    )
    assert report.periods == {"m": {"june"}}


def test_a_story_that_already_spans_periods_vetoes_nothing():
    july, august = {"m": frozenset({"july"})}, {"m": frozenset({"august"})}
    assert other_period([august], [july, {}, july])
    assert not other_period([august], [july, august])  # the story's members disagree already
    assert not other_period([{"m": frozenset({"july", "august"})}], [july])
    assert not other_period([{}], [july])
    # Two stories: each side agrees within itself, and the sides share no month.
    assert other_period([august, {}, august], [july, july])
    assert not other_period([august, july], [july])
    # Another kind of period does not count against a month.
    assert not other_period([{"wk": frozenset({"may 8"})}], [july])


def test_a_headline_count_is_read_in_a_report_of_a_period_only():
    week = raw_profile(
        "Claims fall to 473,000", "Claims fell to 473,000 last week, the ministry said.", W
    )
    assert week.periods == {"fig": {f"{473000.0:.3g}"}}
    toll = raw_profile("Toll rises to 1,500", "Rescuers found more survivors on Friday.", W)
    assert "fig" not in toll.periods


def test_counts_conflict_at_the_precision_of_the_rounder():
    def fig(*values: float) -> dict[str, frozenset[str]]:
        return {"fig": frozenset(f"{v:.3g}" for v in values)}

    assert other_period([fig(473000)], [fig(498000)])
    assert not other_period([fig(385000)], [fig(400000)])  # "below 400,000"
    assert not other_period([fig(1.434e6)], [fig(1.4e6)])
    # A story whose headlines already give other counts is no reading of one figure.
    assert not other_period([fig(1500)], [fig(1200), fig(1300)])
    # One stated week: two measures of it, not two weeks.
    may8 = {"wk": frozenset({"may 8"})}
    assert not other_period([{**fig(3.1e6), **may8}], [{**fig(2.1e7), **may8}])
