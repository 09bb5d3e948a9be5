"""A weekly or monthly report states its period in many word orders: after a place ("rose to
498,000 in the U.S. last week"), at the head of its sentence ("Last week, claims fell ...",
"In March, employers added ...") or set off by a comma ("fell last week, to 498,000"). Each is
a report of that period, so two weeks' reports phrased so stay two stories
(`bot/cluster/periods.py`), while a period on something else still makes no report.

All text is our own, written for these tests."""

from __future__ import annotations

from _cluster_fixtures import article, numbered_clusterer

from bot.cluster.periods import periods
from bot.models import Article


def _fig(title: str, lead: str) -> bool:
    return "fig" in periods(title, f"{title}\n{lead}", True, frozenset({"1.2e+03"}))


def test_a_place_between_the_figure_and_its_period_keeps_them_one_clause():
    assert _fig("Claims rise to 1,200", "Claims rose by 100 to 1,200 in the U.S. last week.")
    assert _fig("Claims rise to 1,200", "Claims rose to 1,200 in the U.K. last week.")
    assert _fig("Claims rise to 1,200", "Claims rose to 1,200 in Norland last month.")


def test_a_period_heading_its_sentence_is_the_period_of_the_figure_in_it():
    assert _fig("Claims fall to 1,200", "Last week, initial claims fell by 50 to 1,200.")
    assert _fig("Payrolls grow by 1,200", "In March, employers added 1,200 jobs, it said.")
    assert _fig("Payrolls grow by 1,200", "Last month, U.S. employers added 1,200 jobs.")
    assert _fig("Claims fall to 1,200", "Officials spoke. Last week, claims fell to 1,200.")


def test_a_comma_between_the_period_and_the_figure_after_it_is_no_break():
    assert _fig("Claims fall to 1,200", "Claims fell last week, to 1,200, the ministry said.")


def test_a_period_on_something_else_still_makes_no_report():
    assert not _fig("Toll rises to 1,200", "Some 1,200 died in the Norland quake last week.")
    assert not _fig("Toll rises to 1,200", "Last week, a quake struck Norland. It killed 1,200.")
    assert not _fig("Toll rises to 1,200", "Last week, a quake hit the port that killed 1,200.")
    assert not _fig("Toll rises to 1,200", "Last week's quake in Norland killed 1,200.")


def _partition(items: list[Article]) -> list[list[str]]:
    c = numbered_clusterer()
    groups: dict[str, list[str]] = {}
    for a in items:
        groups.setdefault(c.resolve(c.add(a).story_id), []).append(a.id)
    return sorted(groups.values())


LEADS = (
    "Last week, the number of people in Norland filing new claims for unemployment benefits fell "
    "by 12,000 to {n}, the labour ministry said on Thursday, a fresh pandemic low as employers "
    "kept their workers and the reopening gathered pace.",
    "New claims for unemployment benefits rose by 3,000 to {n} in the U.S. last week, the labour "
    "department said on Thursday, as employers kept their workers and the reopening went on.",
)


def _week(prefix: str, n: str, start: float) -> list[Article]:
    titles = (f"Jobless claims drop to {n}", f"Claims for jobless benefits: {n}, a pandemic low")
    return [
        article(f"{prefix}{i}", source, title, lead.format(n=n), start + i)
        for i, (source, title, lead) in enumerate(
            zip(("Harbor Daily", "Metro Wire"), titles, LEADS, strict=True)
        )
    ]


def test_two_weeks_of_claims_led_by_their_period_are_two_stories():
    first = _week("a", "498,000", 0.0)
    second = _week("b", "473,000", 3.0)
    assert _partition(first + second) == [["a0", "a1"], ["b0", "b1"]]
