"""Follow-up coverage of a disaster names the week or month it happened in ("last week's quake",
"last month's floods", "the wildfire that began last week") while its figure climbs: that is no
report of a period, and the coverage stays one story (`bot/cluster/periods.py`). Weekly claims
and monthly jobs reports, whose figure is the period's measure, still split by period.

All text is our own, written for these tests."""

from __future__ import annotations

from _cluster_fixtures import article, numbered_clusterer

from bot.cluster.periods import periods
from bot.models import Article

Rows = list[tuple[str, str, str]]


def _partition(rows: Rows) -> list[list[str]]:
    c = numbered_clusterer()
    items: list[Article] = [
        article(f"a{i}", source, title, text, i * 1.5)
        for i, (source, title, text) in enumerate(rows)
    ]
    groups: dict[str, list[str]] = {}
    for a in items:
        groups.setdefault(c.resolve(c.add(a).story_id), []).append(a.id)
    return sorted(groups.values())


def _toll(n: str) -> str:
    return (
        f"The death toll from last week's earthquake in Norland rose to {n} on Monday as "
        "rescuers pulled more bodies from collapsed buildings in the port city, officials said."
    )


def test_a_toll_rising_after_last_weeks_quake_is_one_story():
    rows = [
        (
            "Harbor Daily",
            "Death toll from last week's Norland earthquake rises to 1,200",
            _toll("1,200"),
        ),
        (
            "Business Ledger",
            "Norland quake: death toll from last week's earthquake climbs to 1,200",
            "Rescuers in Norland said the death toll from last week's earthquake climbed to "
            "1,200 on Monday as crews searched collapsed buildings in the port city.",
        ),
        (
            "Metro Wire",
            "Death toll from last week's Norland earthquake rises to 1,500",
            _toll("1,500"),
        ),
    ]
    assert _partition(rows) == [["a0", "a1", "a2"]]


def test_flood_claims_rising_after_last_months_floods_are_one_story():
    lead = (
        "Insurers in the Ostra valley have received {n} damage claims from last month's floods, "
        "the insurance association said on Tuesday, and put the damage estimate at $2.4 billion "
        "as homeowners and farmers counted their losses."
    )
    rows = [
        (
            "Harbor Daily",
            "Damage claims from last month's Ostra floods reach 48,000",
            lead.format(n="48,000"),
        ),
        (
            "Metro Wire",
            "Ostra floods: insurers count 48,000 claims from last month's deluge",
            lead.format(n="48,000"),
        ),
        (
            "Northern Post",
            "Damage claims from last month's Ostra floods climb to 61,000",
            lead.format(n="61,000"),
        ),
    ]
    assert _partition(rows) == [["a0", "a1", "a2"]]


def test_arrests_after_last_weeks_riots_and_a_fire_that_began_last_week_are_one_story_each():
    lead = (
        "Police in Kessel said on Sunday they had now arrested {n} people since last week's riots "
        "in the harbour district, and that more arrests would follow as officers studied footage "
        "from the night of unrest."
    )
    riots = [
        (
            "Harbor Daily",
            "Arrests after last week's Kessel riots rise to 1,100",
            lead.format(n="1,100"),
        ),
        (
            "Metro Wire",
            "Kessel riots: police have arrested 1,100 since last week",
            lead.format(n="1,100"),
        ),
        (
            "Northern Post",
            "Arrests after last week's Kessel riots rise to 1,400",
            lead.format(n="1,400"),
        ),
    ]
    assert _partition(riots) == [["a0", "a1", "a2"]]
    fire = (
        "The wildfire that began last week in the hills above Tessaly has burned {n} acres, fire "
        "officials said on Friday, as crews from three provinces fought to keep it from the town."
    )
    fires = [
        (
            "Harbor Daily",
            "Tessaly wildfire that began last week burns 12,000 acres",
            fire.format(n="12,000"),
        ),
        ("Metro Wire", "Tessaly fire has now burned 12,000 acres", fire.format(n="12,000")),
        (
            "Coastal Times",
            "Tessaly wildfire that began last week grows to 18,000 acres",
            fire.format(n="18,000"),
        ),
    ]
    assert _partition(fires) == [["a0", "a1", "a2"]]


def _fig(title: str, lead: str) -> bool:
    return "fig" in periods(title, f"{title}\n{lead}", True, frozenset({"1.2e+03"}))


def test_a_period_on_something_other_than_the_figure_makes_no_report():
    assert not _fig("Toll from last week's quake rises to 1,200", "Rescuers dug on.")
    assert not _fig("Toll rises to 1,200", "The toll from last month's floods rose again.")
    assert not _fig("Arrests rise to 1,200", "Police have made arrests since last week.")
    assert not _fig("Fire burns 1,200 acres", "The wildfire that began last week spread.")
    assert not _fig("Toll rises to 1,200", "Some 1,200 died in the quake last week.")


def test_a_period_of_the_figure_makes_a_report():
    assert _fig("Claims fall to 1,200", "Claims fell to 1,200 last week, the ministry said.")
    assert _fig("Claims fall to 1,200", "Some 1,200 people filed claims last week.")
    assert _fig("Claims fall", "Claims fell last week to a seasonally adjusted 1,200.")
    assert _fig("Claims fall", "Claims fell to 1,150 from 1,200 a week earlier.")
    assert _fig("Claims rise", "Claims rose to 1,200 in the week ended May 1.")
    assert _fig("Employers add 1,200 jobs in August", "Hiring picked up.")
