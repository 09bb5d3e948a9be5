"""Two occurrences of one kind of event, told in the same words (each outlet its own template),
stay two stories when their parties and amounts differ; one event retold in other words, with a
figure only one outlet gives or an amount rounded, stays one story.

All text is our own, written for these tests."""

from __future__ import annotations

from _cluster_fixtures import article, assert_one_story_each, stories_of

from bot.cluster.features import FeatureWeights, TermStats
from bot.cluster.parties import other_parties
from bot.cluster.profile import Profile, raw_profile, weigh_profile

OUTLETS = ("Harbor Daily", "Northern Post", "Metro Wire")


def _templates(town: str, firm: str, amount: int, mayor: str) -> list[tuple[str, str]]:
    """(headline, lead) as each outlet words every such vote: the k-th outlet's k-th template."""
    return [
        (
            f"{town} council approves ferry terminal plan from {firm}",
            f"The {town} council approved the ${amount} million ferry terminal plan put forward "
            f"by {firm} late on Tuesday after a long public hearing. Mayor {mayor} said the "
            "terminal would serve the town for decades.",
        ),
        (
            f"{firm} ferry terminal plan: {town} council approves ${amount}m project",
            f"Councillors in {town} voted 6 to 3 for the {firm} proposal. Opponents had warned "
            "that the terminal would raise local taxes, while supporters pointed to hundreds of "
            "construction jobs.",
        ),
        (
            f"{town} approves ${amount}m ferry terminal deal with {firm}",
            f"A spokesperson for {firm} welcomed the ruling and said work could begin next "
            f"spring. The terminal has been debated in {town} for nearly three years.",
        ),
    ]


def _reported(name: str, day: int, reports: list[tuple[str, str]]) -> list:
    return [
        (name, article(f"{name}-{k}", OUTLETS[k], title, lead, day * 24.0 + k * 0.25))
        for k, (title, lead) in enumerate(reports)
    ]


def test_two_councils_approving_one_kind_of_plan_a_day_apart_are_two_stories():
    # Without the veto the second town's first report joined the first town's story (the
    # template's words outweighed the other amount), and the rest of its reports followed.
    first = _templates("Orlavin", "Marrowby Holdings", 412, "Ilse Varkov")
    second = _templates("Pesketh", "Quillon Partners", 836, "Tomas Brenn")
    items = _reported("orlavin", 0, first) + _reported("pesketh", 1, second)
    assert_one_story_each(stories_of(items))


def test_one_vote_retold_in_other_words_with_an_extra_figure_is_one_story():
    reports = [
        (
            "Orlavin council backs $412m ferry terminal",
            "Orlavin's council voted 6 to 3 on Tuesday to back a $412 million ferry terminal "
            "proposed by Marrowby Holdings, ending three years of debate.",
        ),
        (
            "Marrowby Holdings wins approval for Orlavin terminal",
            "Marrowby Holdings won approval from the Orlavin council for its ferry terminal, "
            "a $412 million project that includes $35 million in state grants.",
        ),
        (
            "Mayor Ilse Varkov hails ferry terminal vote",
            "Mayor Ilse Varkov said the Orlavin council's vote for the Marrowby Holdings ferry "
            "terminal, worth about $410 million, would bring hundreds of jobs to the harbour.",
        ),
    ]
    items = _reported("orlavin", 0, reports)
    assert len(stories_of(items)["orlavin"]) == 1


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
