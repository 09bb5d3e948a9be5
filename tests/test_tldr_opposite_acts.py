"""Two tellings whose decisive verbs (read as the model bullets' verb check reads them) tell
opposite acts ("approved" / "rejected", "convicted" / "acquitted", "began" / "ended") are two
facts for the extractive TL;DR too, however many words they share: two bullets, not one. The
same act in another of its group's words ("approved" / "passed"), a negated verb that may tell
the other's fact, or acts that do not exclude each other ("arrested" / "charged") decide nothing.

Every story here is invented."""

from __future__ import annotations

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize.acts import other_acts
from bot.summarize.angles import build_angles
from bot.summarize.candidates import TldrParams, _repeats
from bot.summarize.grounding import figures, supporting_outlets
from bot.summarize.sentences import content_stems
from bot.summarize.told import Told
from tests.test_tldr_repeats import _option


def _two_bullets(a: str, b: str) -> bool:
    params = TldrParams()
    one, other = _option(a), _option(b, 1)
    return not _repeats(one, other, params) and not _repeats(other, one, params)


def test_approved_and_rejected_are_two_bullets() -> None:
    approved = "The Tolberg council approved the tram line to the airport on Monday night."
    rejected = "The Tolberg council rejected the tram line to the airport on Monday night."
    assert other_acts(approved, rejected)
    assert _two_bullets(approved, rejected)
    # The verb check reads "voted to ..." as the act after it.
    assert _two_bullets(
        "The harbour board voted to approve the new fishing quota after a long hearing.",
        "The harbour board voted to reject the new fishing quota after a long hearing.",
    )


def test_a_verdict_and_its_opposite_are_two_bullets() -> None:
    assert _two_bullets(
        "A Tarn jury convicted the former harbour master Ada Wren of fraud on Tuesday.",
        "A Tarn jury acquitted the former harbour master Ada Wren of fraud on Tuesday.",
    )
    assert _two_bullets(
        "The fraud trial of Ada Wren began on Monday in the Tarn court after a long delay.",
        "The fraud trial of Ada Wren ended on Monday in the Tarn court after a long delay.",
    )


def test_one_act_in_other_words_is_still_one_bullet() -> None:
    approved = "The Tolberg council approved the tram line budget on Monday night."
    for other in (
        "The Tolberg council passed the tram line budget on Monday night.",
        "The Tolberg council formally approved the tram line budget on Monday night.",
    ):
        assert not other_acts(approved, other), other
        assert not _two_bullets(approved, other), other
    # Not approving may be rejecting: a negated verb decides nothing.
    negated = "The Tolberg council did not approve the tram line budget on Monday night."
    rejected = "The Tolberg council rejected the tram line budget on Monday night."
    assert not other_acts(negated, rejected)
    # Decisive acts of other groups that do not exclude each other may be one event told twice,
    # or a verb misread as the main one ("convicted" of "X, the officer convicted of ...").
    for one, other in (
        (
            "Police arrested the Tolberg harbour master on Monday over the missing funds.",
            "Police charged the Tolberg harbour master on Monday over the missing funds.",
        ),
        (
            "Ada Wren, the harbour master convicted of fraud, was sentenced to six years on Friday.",
            "Former harbour master Ada Wren was sentenced to six years in prison on Friday.",
        ),
        (
            "The Tarn court dismissed the challenge to the fishing quota on Thursday.",
            "The Tarn court on Thursday rejected another effort to undo the fishing quota.",
        ),
    ):
        assert not other_acts(one, other), other
    # "fired on protesters" is no firing: only verbs in their decisive sense are read.
    assert not other_acts(
        "Police fired on the crowd outside the Tolberg town hall on Monday.",
        "Police arrested the crowd outside the Tolberg town hall on Monday.",
    )


APPROVED = "The Tolberg council approved the tram line to the airport on Monday night."
REJECTED = "The Tolberg council rejected the tram line to the airport on Monday night, in a storm."


def _told(*bullets: str) -> Told:
    told = [(frozenset(content_stems(b)), figures(b)) for b in bullets]
    return Told(bullets=told, figures=frozenset().union(*(f for _, f in told)), texts=bullets)


def test_a_quote_telling_the_opposite_act_is_news_under_the_bullet() -> None:
    # The quotes and angles ask the TL;DR's check: "rejected" under "approved" retells nothing.
    assert not _told(APPROVED).retold_by(REJECTED)
    assert _told(APPROVED).retold_by(APPROVED.replace("approved", "passed"))


def test_an_outlet_telling_the_opposite_act_keeps_its_angle() -> None:
    articles = [
        Article(id="a1", source="Quay Herald", title="Council backs tram line", text=APPROVED),
        Article(id="a2", source="Fjord Post", title="Tram line voted down", text=REJECTED),
    ]
    angles, also = build_angles(articles, outlet_names(articles), "Quay Herald", tldr=[APPROVED])
    assert [a.source for a in angles] == ["Fjord Post"] and also == []


def test_an_outlet_telling_the_opposite_act_does_not_report_the_bullet() -> None:
    articles = [
        Article(id="a1", source="Quay Herald", title="Council backs tram line", text=APPROVED),
        Article(id="a2", source="Fjord Post", title="Tram line voted down", text=REJECTED),
        Article(
            id="a3",
            source="Metro Sound",
            title="Tram line",
            text="The Tolberg council formally approved the tram line to the airport on Monday.",
        ),
    ]
    backers = supporting_outlets(APPROVED, "Quay Herald", articles, outlet_names(articles))
    assert backers == ["Quay Herald", "Metro Sound"]
