"""Reports of a recurring release for two periods (a month's jobs report and the next month's,
jobless claims for two weeks) are two stories, however alike they read and however close
together they arrive; real stories whose headlines name two months still join
(`bot/cluster/periods.py`).

All text is our own, written for these tests."""

from __future__ import annotations

from _cluster_fixtures import article, numbered_clusterer

from bot.models import Article

# One fictional country's monthly jobs report, twice: the leads name the other month as context,
# as real leads do ("the biggest gain since ...", "after ...'s weak report").
MARCH = [
    (
        "Harbor Daily",
        "Norland employers added 612,000 jobs in March as hiring picks up",
        "Norland's employers added 612,000 jobs in March and the unemployment rate fell to 5.1%, "
        "the statistics office reported Friday, the biggest monthly gain since April of last "
        "year as factories and restaurants hired back workers.",
    ),
    (
        "Business Ledger",
        "Norland economy adds 612,000 jobs in March, beating forecasts",
        "Hiring in Norland beat economists' forecasts in March: payrolls rose by 612,000 and the "
        "jobless rate slid to 5.1%, the statistics office said on Friday, as the reopening "
        "lifted restaurants, factories and shops.",
    ),
    (
        "Metro Wire",
        "Norland payrolls jump 612,000 in March; jobless rate falls to 5.1%",
        "Norland's payrolls jumped by 612,000 in March, the statistics office reported on "
        "Friday, and the unemployment rate fell to 5.1% as employers in restaurants and "
        "factories hired at the fastest pace in a year.",
    ),
]
APRIL = [
    (
        "Northern Post",
        "Norland employers added just 184,000 jobs in April as hiring slows",
        "Norland's employers added just 184,000 jobs in April, far fewer than forecast after "
        "March's strong report, and the unemployment rate rose to 5.3%, the statistics office "
        "reported Friday as restaurants and factories hired more slowly.",
    ),
    (
        "Sports Today",
        "Norland hiring slowed sharply in April, statistics office says",
        "Hiring in Norland slowed sharply in April: payrolls rose by 184,000 after a gain of "
        "612,000 in March, and the jobless rate rose to 5.3%, the statistics office said on "
        "Friday, as restaurants and factories hired fewer workers.",
    ),
]


def _report(prefix: str, rows: list[tuple[str, str, str]], start: float) -> list[Article]:
    return [
        article(f"{prefix}{i}", source, title, text, start + i * 1.5)
        for i, (source, title, text) in enumerate(rows)
    ]


def _partition(items: list[Article]) -> list[list[str]]:
    c = numbered_clusterer()
    assigned = [(a.id, c.add(a).story_id) for a in items]
    groups: dict[str, list[str]] = {}
    for aid, sid in assigned:
        groups.setdefault(c.resolve(sid), []).append(aid)
    return sorted(groups.values())


def test_the_next_months_jobs_report_is_another_story():
    march = _report("mar", MARCH, 0.0)
    april = _report("apr", APRIL, 6.0)
    assert _partition(march + april) == [["apr0", "apr1"], ["mar0", "mar1", "mar2"]]


def test_two_open_reports_of_two_months_are_not_merged():
    # Each month's report is an open story (as after a restart). A round-up naming no period in
    # its headline joins one and is close to the other: the two are still not merged.
    c = numbered_clusterer()
    c.restore("march", _report("mar", MARCH, 0.0))
    c.restore("april", _report("apr", APRIL, 6.0))
    roundup = article(
        "x",
        "Coastal Times",
        "Norland employers keep hiring, statistics office says",
        "Norland's employers added jobs again, the statistics office reported on Friday, as "
        "restaurants and factories hired workers and the unemployment rate moved, with payrolls "
        "up by 612,000 in March and by 184,000 in April.",
        9.0,
    )
    assigned = c.add(roundup)
    assert assigned.merges == []
    assert c.members("march") == ["mar0", "mar1", "mar2"]
    assert c.members("april") == ["apr0", "apr1", "x"]


CLAIMS_LEAD = (
    "New claims for unemployment benefits in Norland fell to {n} in the week ended {week}, the "
    "labour ministry said on Thursday, a fresh low since the pandemic began as employers kept "
    "workers and the reopening gathered pace across the country."
)


def test_jobless_claims_for_two_weeks_are_two_stories():
    first = [
        article(
            f"w1-{i}",
            source,
            title,
            CLAIMS_LEAD.format(n="498,000", week=week),
            i * 1.0,
        )
        for i, (source, title, week) in enumerate(
            [
                ("Harbor Daily", "Norland jobless claims fall to a pandemic low", "May 1"),
                ("Metro Wire", "Norland unemployment claims fell to 498,000 last week", "May 1"),
            ]
        )
    ]
    second = [
        article(
            f"w2-{i}",
            source,
            title,
            CLAIMS_LEAD.format(n="473,000", week=week),
            3.0 + i * 1.0,
        )
        for i, (source, title, week) in enumerate(
            [
                ("Northern Post", "Norland jobless claims fall to another pandemic low", "May 8"),
                ("Business Ledger", "Norland claims fall to 473,000 as reopening goes on", "May 8"),
            ]
        )
    ]
    assert _partition(first + second) == [["w1-0", "w1-1"], ["w2-0", "w2-1"]]


def test_a_story_whose_headlines_name_two_months_still_joins():
    # A round-up "from May to July" and the month it ends on are one story; so are reports
    # of one festival moved from June to September, each naming one of the months.
    lead = (
        "Consumer prices in Valdoria rose 4.2% in the year to July, the statistics bureau said on "
        "Tuesday, as fuel and food costs climbed for a third month running since May and the "
        "central bank weighed raising interest rates."
    )
    prices = [
        article("p0", "Harbor Daily", "Valdoria inflation climbs from May to July", lead, 0.0),
        article("p1", "Metro Wire", "Valdoria prices rise 4.2% in July, fuel leads", lead, 1.0),
        article(
            "p2", "Northern Post", "Valdoria inflation in June and July tops forecasts", lead, 2.0
        ),
    ]
    assert _partition(prices) == [["p0", "p1", "p2"]]
    fest = (
        "Organisers of the Kessel harbour festival moved this year's event from June to "
        "September on Monday, citing the storm damage to the quay, and said tickets already "
        "sold for the festival would stay valid for the new dates."
    )
    festival = [
        article("f0", "Harbor Daily", "Kessel harbour festival will not go ahead in June", fest),
        article("f1", "Metro Wire", "Kessel festival to be held in September instead", fest, 1.0),
        article("f2", "Coastal Times", "Kessel harbour festival moved to September", fest, 2.0),
    ]
    assert _partition(festival) == [["f0", "f1", "f2"]]


WEEKLY_LEAD = (
    "The number of people in Norland filing new claims for unemployment benefits fell to {n} "
    "last week, the labour ministry said on Thursday, a fresh pandemic low as employers kept "
    "their workers and the reopening gathered pace."
)


def _weekly(prefix: str, rows: list[tuple[str, str, str]], start: float) -> list[Article]:
    return [
        article(f"{prefix}{i}", source, title, WEEKLY_LEAD.format(n=n), start + i)
        for i, (source, title, n) in enumerate(rows)
    ]


def test_claims_of_two_weeks_with_another_headline_figure_are_two_stories():
    # No week named by its day: the headline figures of one measure, "last week", tell them apart.
    first = _weekly(
        "a",
        [
            ("Harbor Daily", "Norland jobless claims fell to 498,000 last week", "498,000"),
            ("Metro Wire", "Norland claims drop to 498,000, a pandemic low", "498,000"),
        ],
        0.0,
    )
    second = _weekly(
        "b",
        [
            ("Northern Post", "Norland jobless claims fall to 473,000 last week", "473,000"),
            ("Business Ledger", "Norland claims drop to 473,000, another low", "473,000"),
        ],
        3.0,
    )
    assert _partition(first + second) == [["a0", "a1"], ["b0", "b1"]]


def test_one_weeks_figures_rounded_or_of_two_measures_still_join():
    # "Below 400,000" is 385,000 at its precision; and a cumulative count beside the week's,
    # for the same week, is one report.
    rounded = _weekly(
        "r",
        [
            ("Harbor Daily", "Norland jobless claims dip below 400,000 last week", "385,000"),
            ("Metro Wire", "Norland jobless claims drop to 385,000 last week", "385,000"),
        ],
        0.0,
    )
    assert _partition(rounded) == [["r0", "r1"]]
    lead = (
        "New claims for unemployment benefits in Norland rose to 3.1 million in the week ended "
        "April 25, the labour ministry said on Thursday, as shutdowns spread and factories, "
        "shops and restaurants closed across the country."
    )
    measures = [
        article("m0", "Harbor Daily", "Norland jobless claims rise to 3.1 million", lead, 0.0),
        article("m1", "Metro Wire", "Norland jobless claims: 3.1 million more file", lead, 0.5),
        article("m2", "Northern Post", "21 million in Norland have now filed claims", lead, 1.0),
    ]
    assert _partition(measures) == [["m0", "m1", "m2"]]


def test_a_rising_toll_is_no_report_of_a_period():
    lead = (
        "Rescuers in the Kelvar valley pulled more survivors from collapsed buildings on "
        "Wednesday as the death toll from the earthquake rose past {n}, officials said, and "
        "aid convoys reached the worst-hit towns."
    )
    toll = [
        article(
            "t0", "Harbor Daily", "Kelvar quake death toll passes 1,200", lead.format(n="1,200")
        ),
        article(
            "t1",
            "Metro Wire",
            "Kelvar quake: death toll rises to 1,500",
            lead.format(n="1,500"),
            3.0,
        ),
    ]
    assert _partition(toll) == [["t0", "t1"]]
