from __future__ import annotations

from bot.cluster.features import FeatureWeights, TermStats
from bot.cluster.marks import conflicts, marks
from bot.cluster.pair import PAIR_NAMES, best_others, pair_features
from bot.cluster.profile import raw_profile, weigh_profile


def test_marks_are_typed_and_normalised():
    m = marks("Fares rose 3.1% in March, the most since 1997; riders fell to 212,000 on Tuesday")
    assert m["m"] == {"march"} and m["y"] == {"1997"} and m["w"] == {"tuesday"}
    assert m["%"] == {"3.1"} and m["c"] == {f"{212000.0:.3g}"}
    # One amount however it is written; "May" the verb (or the name) is no month.
    assert marks("a $1.2 billion deal")["$"] == marks("a $1,200 million deal")["$"]
    assert "m" not in marks("Councillor Ada May said fares may rise")
    assert marks("in May")["m"] == {"may"}


def test_conflict_needs_both_sides_to_state_the_kind():
    march, october = marks("rose 3.1% in March"), marks("rose 2.7% in October")
    assert conflicts(march, october, "my") == (0.0, 1.0)
    assert conflicts(march, october, "%$c") == (0.0, 1.0)
    assert conflicts(march, marks("rose 3.1 percent"), "%$c") == (1.0, 0.0)
    assert conflicts(march, marks("prices rose"), "my%$c") == (0.0, 0.0)


def _profile(title: str, text: str):
    w = FeatureWeights()
    raw = raw_profile(title, text, w)
    return weigh_profile(raw, TermStats(), w.max_terms)


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
