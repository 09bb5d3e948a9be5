"""A feed with one paragraph per sentence (ingest turns every block tag into a newline) is still
one article on one story: its own details are its angle, not text on another subject."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angles import build_angles

OUTLETS = ["Lakeside Wire", "Dockland Herald", "Ferry Gazette"]
HEADLINE = "Orwin ferry service suspended for the winter"


def _articles(third: str) -> list[Article]:
    return [
        Article(
            id="0",
            source=OUTLETS[0],
            title=HEADLINE,
            text="The Orwin ferry service will be suspended for the winter from November, the "
            "harbour board said on Tuesday. The board said the crossing lost money last year.",
        ),
        Article(
            id="1",
            source=OUTLETS[1],
            title="Harbour board suspends Orwin ferry",
            text="The harbour board will suspend the Orwin ferry for the winter starting in "
            "November, officials said Tuesday. Officials said the decision was final.",
        ),
        Article(id="2", source=OUTLETS[2], title="Orwin ferry halts in November", text=third),
    ]


def test_one_sentence_paragraphs_keep_their_angle() -> None:
    third = (
        "The Orwin ferry will stop for the winter in November, the harbour board announced.\n"
        "Divers found cracked welds on the hull of the older vessel during a survey in August.\n"
        "Islanders will rely on a weekly supply barge and a helicopter for medical emergencies.\n"
        '"We cannot risk a crossing in that state," said the skipper, Ilse Marr.'
    )
    angles, also = build_angles(_articles(third), OUTLETS, OUTLETS[0], headline=HEADLINE)
    assert OUTLETS[2] not in also, (angles, also)
    own = [a for a in angles if a.source == OUTLETS[2]]
    shown = f"{own[0].line} {own[0].quote}" if own else ""
    assert "welds" in shown or "barge" in shown, angles


def test_an_off_topic_paragraph_among_one_sentence_paragraphs_still_goes() -> None:
    third = (
        "The Orwin ferry will stop for the winter in November, the harbour board announced. "
        "The crossing will reopen in March if the budget allows.\n"
        "Elsewhere, the national football league fined two clubs for breaching spending caps "
        "and suspended a referee over betting allegations."
    )
    angles, _ = build_angles(_articles(third), OUTLETS, OUTLETS[0], headline=HEADLINE)
    for angle in angles:
        assert "football" not in angle.line and "referee" not in angle.quote, angle
