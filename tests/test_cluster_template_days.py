"""An aggregator's items told apart by the outlet each names ("- Reuters" / "- AP" tails): two
outlets' reports are no one outlet's template.

All text is our own, written for these tests."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from _cluster_fixtures import article

from bot.cluster.online import OnlineClusterer
from bot.models import Article


def _stories(items: Sequence[tuple[str, Article]]) -> dict[str, set[str]]:
    """Occurrence name -> the set of story ids its articles ended in."""
    counter = itertools.count(1)
    c = OnlineClusterer(id_factory=lambda: f"s{next(counter)}")
    assigned = [(name, c.add(a).story_id) for name, a in items]
    out: dict[str, set[str]] = {}
    for name, sid in assigned:
        out.setdefault(name, set()).add(c.resolve(sid))
    return out


def _one_story_each(stories: dict[str, set[str]]) -> None:
    assert all(len(s) == 1 for s in stories.values()), stories
    assert len(set.union(*stories.values())) == len(stories), stories


def test_an_aggregators_one_word_outlets_are_not_one_template():
    # Two outlets' reports of one fire or match, carried by one aggregator's feed, each naming
    # its outlet in one word: one event, as with longer names.
    fire = (
        "A fast-moving wildfire north of Easton forced evacuations on Tuesday as winds picked "
        "up, fire officials said. Crews were battling the Easton blaze from the air and on the "
        "ground."
    )
    derby = (
        "Rovers and Athletic met at Tessaly Park in the Harbour derby, with Dana Brook's "
        "header the difference in front of a full stadium."
    )
    pairs = {
        "fire": [
            ("Easton wildfire forces evacuations in zone 4 - Reuters", fire, 0.0),
            ("Easton wildfire forces evacuations in zone 9 - AP", fire, 0.5),
        ],
        "derby": [
            ("Rovers 1-0 Athletic: Harbour derby – live - Reuters", derby, 0.0),
            ("Rovers 2-1 Athletic: Harbour derby – live - AP", derby, 1.0),
        ],
    }
    for name, reports in pairs.items():
        items = [
            (name, article(f"{name}-{k}", "Google News", title, lead, hours))
            for k, (title, lead, hours) in enumerate(reports)
        ]
        stories = _stories(items)
        assert len(stories[name]) == 1, (name, stories)


def test_an_aggregators_items_of_one_outlet_keep_its_template():
    lead = "Results for the ward were declared overnight, the election office said."
    items = [
        (f"ward-{n}", article(f"w{n}", "Google News", f"Ward {n} results - Reuters", lead, n / 10))
        for n in (3, 5)
    ]
    _one_story_each(_stories(items))
