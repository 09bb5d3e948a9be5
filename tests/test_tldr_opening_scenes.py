"""A sentence opening on a scene ("After talks on Tuesday, ...", "When the vote came on Friday,
...") tells its act in the clause after it: the act's verb is read there, not in the scene, and
the scene's date is another event's (the talks', the vote's), as it is when the same clause
follows the act. A time phrase ("On Tuesday, ...", "During talks on Tuesday, ...") dates the act.

Every story here is invented."""

from __future__ import annotations

from bot.summarize.acts import main_verbs, other_acts, two_facts
from bot.summarize.occasions import other_occasion
from tests.test_tldr_other_occasions import _two_bullets

APPROVED = "When the vote came on Friday, the Tarn harbour board approved the ferry levy."
REJECTED = "When the vote came on Friday, the Tarn harbour board rejected the ferry levy."


def test_the_act_is_read_past_an_opening_scene() -> None:
    assert main_verbs(APPROVED) == ["approved"]
    assert main_verbs("After talks, the Holm dock union called off the strike on Friday.") == [
        "called"
    ]
    assert main_verbs("Speaking in Tolberg, Mayor Ola Berg said the pier would close.") == ["close"]
    assert main_verbs("On Monday, after talks, the Holm dock union called off the strike.") == [
        "called"
    ]


def test_opposite_acts_after_one_scene_are_two_facts() -> None:
    assert other_acts(APPROVED, REJECTED)
    assert two_facts(APPROVED, REJECTED)
    assert _two_bullets(APPROVED, REJECTED)
    # The same act after the same scene is still one.
    assert not two_facts(APPROVED, APPROVED.replace("approved", "backed"))


def test_an_opening_scenes_date_is_not_the_acts() -> None:
    called_off = "The Holm dock union called off the strike on Thursday."
    for scene in (
        "After talks on Tuesday, the Holm dock union called off the strike.",
        "When the vote came on Tuesday, the Holm dock union called off the strike.",
        # As the same clause after the act.
        "The Holm dock union called off the strike after talks on Tuesday.",
    ):
        assert not other_occasion(scene, called_off), scene
        assert not _two_bullets(scene, called_off), scene
    # The main clause's own date still counts past the scene, and a time phrase dates the act.
    for dated in (
        "After talks on Thursday, the Holm dock union called off the strike on Monday.",
        "On Monday, the Holm dock union called off the strike.",
        "During talks on Monday, the Holm dock union called off the strike.",
    ):
        assert other_occasion(dated, called_off), dated
