from __future__ import annotations

from bot.cluster.features import FeatureWeights, TermStats
from bot.cluster.marks import conflicts, marks
from bot.cluster.pair import PAIR_NAMES, best_others, pair_features
from bot.cluster.profile import raw_profile, weigh_profile
from bot.cluster.settings import ClusterSettings


def test_marks_are_typed_and_normalised():
    m = marks(
        "Fares rose 3.1% in March 2024, the most since 1997; riders fell to 212,000 on Tuesday"
    )
    assert m["m"] == {"march"} and m["y"] == {"2024"} and m["w"] == {"tuesday"}
    assert m["%"] == {"3.1"} and m["c"] == {f"{212000.0:.3g}"}
    # One amount however it is written; "May" the verb (or the name) is no month.
    assert marks("a $1.2 billion deal")["$"] == marks("a $1,200 million deal")["$"]
    assert "m" not in marks("Councillor Ada May said fares may rise")
    assert marks("in May")["m"] == {"may"}


def test_abbreviated_months_with_a_day_are_months():
    assert marks("The ferry strike of Jan. 6 ended")["m"] == {"january"}
    assert marks("talks resume Sept. 11 in Oslo")["m"] == {"september"}
    assert marks("Sep 3 vote")["m"] == {"september"} and marks("on Aug. 3")["m"] == {"august"}
    assert marks("the Oct. 14 ruling")["m"] == marks("the October 14 ruling")["m"]
    # Without a day, an abbreviation is as likely a name: "Jan" the mayor, "Dec" the coach.
    assert "m" not in marks("Jan told the board")


def test_may_and_march_at_a_sentence_start_and_in_title_case():
    assert marks("In May, the orchard flooded")["m"] == {"may"}
    assert marks("In March the depot reopened")["m"] == {"march"}
    assert marks("Flooding hit the valley early March 4")["m"] == {"march"}
    # A Title Case headline's verb is no month.
    assert "m" not in marks("Nurses March To Parliament Over Pay")
    assert "m" not in marks("Farmers march on the ministry")


def test_percentage_points_plural():
    assert marks("rates fell 0.25 percentage points")["%"] == {"0.25"}
    assert marks("up 1 percentage point")["%"] == {"1"}


def test_background_years_are_not_dates():
    assert "y" not in marks("the wettest autumn since 2011, a 2015 drainage law")
    assert marks("the canal reopened in 2023")["y"] == {"2023"}
    assert marks("on June 2, 2022 the canal reopened")["y"] == {"2022"}
    # One event, one reporting a background year: no date conflict between them.
    a = marks("The canal reopened in 2023, its busiest season since 2009")
    b = marks("The canal reopened in 2023")
    assert conflicts(a, b, "my") == (1.0, 0.0)


def test_long_plain_numbers_are_counts():
    assert marks("crowds of 45000 filled the square")["c"] == marks("crowds of 45,000")["c"]
    assert marks("a 1200-seat hall")["c"] == {f"{1200.0:.3g}"}
    assert "c" not in marks("the 2019 budget") and "y" not in marks("the 2019 budget")


def test_conflict_needs_both_sides_to_state_the_kind():
    march, october = marks("rose 3.1% in March"), marks("rose 2.7% in October")
    assert conflicts(march, october, "my") == (0.0, 1.0)
    assert conflicts(march, october, "%$c") == (0.0, 1.0)
    assert conflicts(march, marks("rose 3.1 percent"), "%$c") == (1.0, 0.0)
    assert conflicts(march, marks("prices rose"), "my%$c") == (0.0, 0.0)


def _profile(title: str, text: str):
    w = FeatureWeights()
    raw = raw_profile(title, text, w)
    return weigh_profile(raw, TermStats(), w.max_terms, ClusterSettings().query_terms)


def test_recurring_reports_with_different_figures_conflict():
    a = _profile("Bus fares jump 3.1% in March", "Bus fares rose 3.1% in March.")
    b = _profile("Bus fares jump 2.7% in October", "Bus fares rose 2.7% in October.")
    c = _profile("Fares leap 3.1% in March", "The city transit fare index rose 3.1% in March.")
    names = dict(zip(PAIR_NAMES, pair_features(a, b), strict=True))
    assert names["date_conflict"] == 1.0 and names["fig_conflict"] == 1.0
    same = dict(zip(PAIR_NAMES, pair_features(a, c), strict=True))
    assert same["date_conflict"] == 0.0 and same["fig_conflict"] == 0.0
    assert same["fig_agree"] == 1.0


def test_rival_is_the_best_other_candidate():
    assert best_others([]) == []
    assert best_others([0.4]) == [0.0]
    assert best_others([0.2, 0.7, 0.5]) == [0.7, 0.5, 0.7]
