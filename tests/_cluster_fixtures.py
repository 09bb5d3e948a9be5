"""Synthetic articles for the clustering tests (our own text; never the evaluation data), and
the clusterer runs that the template tests read them through."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.cluster.online import OnlineClusterer
from bot.cluster.settings import ClusterSettings
from bot.models import Article

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

# Three unrelated events, each reported by three outlets in their own words.
EVENTS: dict[str, list[tuple[str, str, str]]] = {
    "volcano": [
        (
            "Harbor Daily",
            "Volcano on Mount Kelvar erupts, forcing evacuation of Tessaly villages",
            "Mount Kelvar erupted early Tuesday, sending ash 12 kilometres into the sky and forcing "
            "the evacuation of 4,000 residents from villages around Tessaly, officials said.",
        ),
        (
            "Northern Post",
            "Thousands flee as Mount Kelvar eruption blankets Tessaly in ash",
            "About 4,000 people fled villages near Tessaly after Mount Kelvar erupted on Tuesday, "
            "with ash columns reaching 12 kilometres, according to the regional civil defence.",
        ),
        (
            "Metro Wire",
            "Kelvar volcano eruption: Tessaly evacuated, flights grounded",
            "Civil defence officials evacuated Tessaly villages as Mount Kelvar erupted, grounding "
            "flights across the region while ash rose 12 kilometres above the volcano.",
        ),
    ],
    "chipmaker": [
        (
            "Harbor Daily",
            "Quantrix agrees to buy chipmaker Veloxa for $9.4 billion",
            "Quantrix said on Monday it will acquire semiconductor designer Veloxa in a $9.4 billion "
            "cash deal, the largest chip acquisition this year, pending regulatory approval.",
        ),
        (
            "Business Ledger",
            "Veloxa shares soar on $9.4 billion Quantrix takeover",
            "Shares of Veloxa jumped 31% after Quantrix agreed to buy the chip designer for $9.4 "
            "billion in cash; regulators in Brussels are expected to review the acquisition.",
        ),
        (
            "Metro Wire",
            "Quantrix to acquire Veloxa in $9.4bn semiconductor deal",
            "Semiconductor group Quantrix will buy Veloxa for $9.4 billion, the companies said, "
            "combining two chip designers pending approval from regulators.",
        ),
    ],
    "marathon": [
        (
            "Northern Post",
            "Amara Osei breaks Lisbon marathon record in 2:03:11",
            "Kenyan runner Amara Osei won the Lisbon marathon on Sunday in 2 hours 3 minutes 11 "
            "seconds, breaking the course record by almost a minute.",
        ),
        (
            "Sports Today",
            "Osei smashes Lisbon course record to win marathon",
            "Amara Osei shattered the Lisbon marathon course record on Sunday, finishing in 2:03:11 "
            "ahead of a field of 30,000 runners.",
        ),
        (
            "Harbor Daily",
            "Record run in Lisbon: Amara Osei wins marathon in 2:03:11",
            "Amara Osei set a Lisbon marathon record with a time of 2:03:11 on Sunday, the "
            "organisers said, finishing almost a minute inside the previous best.",
        ),
    ],
}


def article(
    aid: str, source: str, title: str, text: str, hours: float = 0.0, dated: bool = True
) -> Article:
    return Article(
        id=aid,
        source=source,
        title=title,
        text=text,
        published=T0 + timedelta(hours=hours) if dated else None,
    )


def event_articles(dated: bool = True) -> list[tuple[str, Article]]:
    """(event name, article) for every synthetic report, interleaved as they'd arrive."""
    out = []
    for k in range(3):
        for e, (name, reports) in enumerate(EVENTS.items()):
            source, title, text = reports[k]
            out.append(
                (name, article(f"{name}-{k}", source, title, text, k * 2.0 + e * 0.5, dated))
            )
    return out


def numbered_clusterer(settings: ClusterSettings | None = None) -> OnlineClusterer:
    """A clusterer whose story ids are s1, s2, ... in the order it opens them."""
    counter = itertools.count(1)
    return OnlineClusterer(settings, id_factory=lambda: f"s{next(counter)}")


def stories_of(
    items: Sequence[tuple[str, Article]], clusterer: OnlineClusterer | None = None
) -> dict[str, set[str]]:
    """Occurrence name -> the set of story ids its articles ended in (merges followed)."""
    c = clusterer or numbered_clusterer()
    assigned = [(name, c.add(a).story_id) for name, a in items]
    out: dict[str, set[str]] = {}
    for name, sid in assigned:
        out.setdefault(name, set()).add(c.resolve(sid))
    return out


def assert_one_story_each(stories: dict[str, set[str]]) -> None:
    """Each occurrence is one story, and no two occurrences share one."""
    assert all(len(s) == 1 for s in stories.values()), stories
    assert len(set.union(*stories.values())) == len(stories), stories
