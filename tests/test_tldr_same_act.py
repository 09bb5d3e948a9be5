"""One act told by two outlets in other words is one bullet.

Every story here is invented. On the real cards two outlets' "<president> signed an executive
order" stood as two bullets, as did "<senator> is declaring 'case closed' on ..." beside "<senator>
pointedly declared 'case closed' on ...", and "<official> encouraged <president> to listen to ..."
beside "<official> urged <president> to listen to ...": each outlet hangs its own background on
the act, so the two share too few words for the word-share checks.
"""

from __future__ import annotations

from bot.summarize.candidates import TldrParams, _repeats
from bot.summarize.same_act import same_act
from tests.test_tldr_repeats import _option

ORDER = (
    "President Vane on Monday signed an executive order meant to tighten port security after "
    "a break-in at the Tarn ferry terminal disrupted freight across the north."
)
ORDER_AGAIN = (
    "President Vane signed an executive order Monday aimed at shoring up the harbours' "
    "defences as her government deals with a string of thefts."
)
URGED = "Governor Lind on Sunday urged Mayor Holm to listen to the dockers before the vote."
ENCOURAGED = (
    "Former minister Ada Lind encouraged Mayor Holm on Sunday to listen to the dock unions "
    "and rethink the harbour fees that worry small traders."
)


def test_one_act_told_in_other_words_is_one_bullet() -> None:
    assert same_act(ORDER, ORDER_AGAIN)
    assert _repeats(_option(ORDER), _option(ORDER_AGAIN, 1), TldrParams())
    # "urged" and "encouraged" say one plea; "told ... to" says it too.
    assert same_act(URGED, ENCOURAGED)
    assert same_act(
        "Harbour chiefs have told the council to scale back its plan to dredge the bay.",
        "The heads of the two harbour boards are urging the council to rethink its dredging plan.",
    )
    # A bill is a measure: "passed" and "approved" tell one vote of one chamber.
    assert same_act(
        "The Tarn assembly passed a stopgap bill to keep the ferries running on Friday.",
        "The Tarn assembly on Friday approved a measure funding the ferries until March.",
    )


def test_a_body_acting_through_a_part_is_one_subject() -> None:
    # The assembly's vote is its lower house's: one act, told of the whole or of the part.
    assert same_act(
        "The House passed a stopgap resolution to keep the ferries running on Friday.",
        "Congress on Friday approved a measure funding the ferries until March.",
    )
    # Two parts are two subjects.
    assert not same_act(
        "The House passed a stopgap resolution to keep the ferries running on Friday.",
        "The Senate on Friday approved a measure funding the ferries until March.",
    )


def test_other_acts_or_other_actors_stay_two_bullets() -> None:
    # The same actor, another act.
    assert not same_act(ORDER, "President Vane on Monday vetoed a bill raising harbour fees.")
    # The same act, another actor: no word of the subjects in common but a title.
    assert not same_act(
        "President Vane signed an executive order on port security.",
        "President Ostrova signed an executive order on port security.",
    )
    # The same actor and act, another object.
    assert not same_act(
        "Governor Lind urged Mayor Holm to listen to the dockers.",
        "Governor Lind urged the unions to end the strike.",
    )
    # "told reporters" is a remark, not a plea.
    assert not same_act(
        "Governor Lind told reporters the fees were too high.",
        "Governor Lind urged reporters to ask about the fees.",
    )


def test_two_facts_are_never_one_act() -> None:
    # Two occasions of one act.
    assert not same_act(
        "The Tarn assembly passed the harbour bill on Monday.",
        "The Tarn assembly passed the harbour bill again on Thursday after the court ruling.",
    )
    # Two counts of one thing.
    assert not same_act(
        "Governor Lind signed 12 harbour bills into law.",
        "Governor Lind signed 3 harbour bills into law.",
    )
