"""The veto on another occurrence of one kind of event: other parties named both ways, and an
amount near none of the other's.

All text is our own, written for these tests."""

from __future__ import annotations

from bot.cluster.features import FeatureWeights, TermStats
from bot.cluster.parties import other_parties
from bot.cluster.profile import Profile, raw_profile, weigh_profile


def _profile(title: str, lead: str) -> Profile:
    weights = FeatureWeights()
    return weigh_profile(raw_profile(title, lead, weights), TermStats(), 80, 12)


def test_the_veto_needs_other_parties_both_ways_and_an_amount_near_none():
    orlavin = _profile(
        "Orlavin approves $412m ferry terminal deal with Marrowby Holdings",
        "The Orlavin council approved the $412 million terminal put forward by Marrowby Holdings.",
    )
    pesketh = _profile(
        "Pesketh approves $836m ferry terminal deal with Quillon Partners",
        "The Pesketh council approved the $836 million terminal put forward by Quillon Partners.",
    )
    assert other_parties(pesketh, [orlavin])
    # An amount rounded by another outlet is the same amount.
    rounded = _profile(
        "Pesketh approves $400m ferry terminal deal with Quillon Partners",
        "The Pesketh council approved the $400 million terminal put forward by Quillon Partners.",
    )
    assert not other_parties(rounded, [orlavin])
    # A headline naming someone else, whose text names the story's parties too, is the same
    # event from another angle, whatever figure it gives.
    angle = _profile(
        "Mayor Ilse Varkov hails $35m state grant for ferry terminal",
        "Mayor Ilse Varkov said the $35 million state grant would help Orlavin and Marrowby "
        "Holdings start work on the terminal next spring.",
    )
    assert not other_parties(angle, [orlavin])
    # No amount on one side: nothing to compare, the pair model decides.
    plain = _profile(
        "Pesketh council approves ferry terminal plan from Quillon Partners",
        "The Pesketh council approved the ferry terminal plan put forward by Quillon Partners.",
    )
    assert not other_parties(plain, [orlavin])
