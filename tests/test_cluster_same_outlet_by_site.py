"""The clusterer's same-outlet evidence goes by the outlet's site and its feed's configured name:
two sites both called "Harbor Daily" are two outlets; a site's two feeds under one name, one; a
network's two newsrooms on one host (CBS News and CBS New York), two."""

from __future__ import annotations

from dataclasses import replace

from _cluster_fixtures import article

from bot.cluster.online import OnlineClusterer
from bot.cluster.settings import ClusterSettings


def _clusterer() -> OnlineClusterer:
    return OnlineClusterer(
        ClusterSettings(join_logit=-8.0, merge_logit=8.0, same_source_logit=30.0)
    )


def test_two_sites_under_one_name_are_two_outlets() -> None:
    c = _clusterer()
    x = article("x", "Harbor Daily", "Kelvar volcano erupts", "The Kelvar volcano erupted.")
    x = replace(x, outlet="harbordaily.example.au")
    y = replace(x, id="y", title="Kelvar volcano erupts again", outlet="harbordaily.example")
    first = c.add(x)
    assert c.add(y).story_id == first.story_id


def test_one_sites_feeds_under_one_name_are_one_outlet() -> None:
    c = _clusterer()
    x = article("x", "Harbor Daily", "Kelvar volcano erupts", "The Kelvar volcano erupted.")
    x = replace(x, outlet="harbordaily.example")
    y = replace(x, id="y", title="Kelvar volcano erupts again")
    first = c.add(x)
    assert c.add(y).story_id != first.story_id


def test_two_newsrooms_on_one_site_are_two_outlets() -> None:
    c = _clusterer()
    x = article("x", "Harbor Daily", "Kelvar volcano erupts", "The Kelvar volcano erupted.")
    x = replace(x, outlet="harbordaily.example")
    y = replace(x, id="y", source="Harbor Daily Kelvar", title="Kelvar volcano erupts again")
    first = c.add(x)
    assert c.add(y).story_id == first.story_id
