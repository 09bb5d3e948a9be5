from __future__ import annotations

from bot.cluster.features import FeatureWeights, TermStats
from bot.cluster.marks import conflicts, marks
from bot.cluster.pair import PAIR_NAMES, best_others, pair_features
from bot.cluster.profile import raw_profile, weigh_profile


def test_marks_are_typed_and_normalised():
    m = marks("Prices rose 4.2% in April, the most since 2008; claims fell to 498,000 on Thursday")
    assert m["m"] == {"april"} and m["y"] == {"2008"} and m["w"] == {"thursday"}
    assert m["%"] == {"4.2"} and m["c"] == {f"{498000.0:.3g}"}
    # One amount however it is written; "May" the verb (or the name) is no month.
    assert marks("a $1.2 billion deal")["$"] == marks("a $1,200 million deal")["$"]
    assert "m" not in marks("Theresa May said prices may rise")
    assert marks("in May")["m"] == {"may"}


def test_conflict_needs_both_sides_to_state_the_kind():
    april, june = marks("rose 4.2% in April"), marks("rose 5.4% in June")
    assert conflicts(april, june, "my") == (0.0, 1.0)
    assert conflicts(april, june, "%$c") == (0.0, 1.0)
    assert conflicts(april, marks("rose 4.2 percent"), "%$c") == (1.0, 0.0)
    assert conflicts(april, marks("prices rose"), "my%$c") == (0.0, 0.0)


def _profile(title: str, text: str):
    w = FeatureWeights()
    raw = raw_profile(title, text, w)
    return weigh_profile(raw, TermStats(), w.max_terms)


def test_recurring_reports_with_different_figures_conflict():
    a = _profile("Consumer prices jump 4.2% in April", "Consumer prices rose 4.2% in April.")
    b = _profile("Consumer prices jump 5.4% in June", "Consumer prices rose 5.4% in June.")
    c = _profile("Prices leap 4.2% in April", "The consumer price index rose 4.2% in April.")
    names = dict(zip(PAIR_NAMES, pair_features(a, b), strict=True))
    assert names["date_conflict"] == 1.0 and names["fig_conflict"] == 1.0
    same = dict(zip(PAIR_NAMES, pair_features(a, c), strict=True))
    assert same["date_conflict"] == 0.0 and same["fig_conflict"] == 0.0
    assert same["fig_agree"] == 1.0


def test_rival_is_the_best_other_candidate():
    assert best_others([]) == []
    assert best_others([0.4]) == [0.0]
    assert best_others([0.2, 0.7, 0.5]) == [0.7, 0.5, 0.7]
