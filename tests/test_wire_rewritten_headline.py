"""Wire copy is judged on its text: an outlet that republishes an agency's lead word for word
under a headline of its own has shared copy, however short the lead its feed carries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from _newsroom import Newsroom

from bot.cluster.wire import independent_sources
from bot.models import Article

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
# 19 words: against a rewritten headline of 12, the headline's shingles outnumbered the shared.
LEAD = (
    "Airlines grounded hundreds of flights across northern Europe on Monday after the Kelvar"
    " volcano sent ash eight kilometres high."
)
ALPHA_TITLE = "Kelvar volcano: ash cloud grounds hundreds of flights in northern Europe"
BETA_TITLE = "Travel chaos as Icelandic-style eruption shuts European airspace for second day"
GAMMA_TEXT = (
    "Civil defence teams evacuated four villages on the slopes of the Kelvar volcano overnight as"
    " ash fell across Tessaly and flights were grounded."
)


def _article(id_: str, source: str, title: str, text: str) -> Article:
    return Article(id=id_, source=source, title=title, text=text)


def test_a_short_lead_republished_under_another_headline_is_one_source() -> None:
    copies = [_article("a", "Alpha", ALPHA_TITLE, LEAD), _article("b", "Beta", BETA_TITLE, LEAD)]
    assert independent_sources(copies) == (1, [["Alpha", "Beta"]])


def test_a_trimmed_short_lead_is_still_a_copy() -> None:
    trimmed = LEAD.removesuffix(" eight kilometres high.") + "."
    copies = [_article("a", "Alpha", ALPHA_TITLE, LEAD), _article("b", "Beta", BETA_TITLE, trimmed)]
    assert independent_sources(copies) == (1, [["Alpha", "Beta"]])


def test_one_shared_sentence_among_reporting_of_its_own_is_not_copy() -> None:
    shared = "Flights were grounded across northern Europe on Monday, the airlines said."
    alpha = _article(
        "a",
        "Alpha",
        ALPHA_TITLE,
        f"{shared} Seismologists recorded more than two hundred tremors under the mountain in the"
        " hours before the eruption, and the national observatory raised its alert to red.",
    )
    beta = _article(
        "b",
        "Beta",
        BETA_TITLE,
        f"{shared} Stranded passengers slept on terminal floors in Oslo and Copenhagen while"
        " hotels near the airports filled up within hours of the first cancellations.",
    )
    assert independent_sources([alpha, beta]) == (2, [])


def test_a_text_too_short_to_judge_alone_is_judged_with_its_headline() -> None:
    # Two outlets' one-line teasers alike in a stock phrase, under headlines of their own.
    teaser = "Flights cancelled across the region on Monday, officials say."
    alpha = _article("a", "Alpha", ALPHA_TITLE, teaser)
    beta = _article("b", "Beta", BETA_TITLE, teaser)
    assert independent_sources([alpha, beta]) == (2, [])
    # Title-only feeds: the same agency headline is all there is to go by, as before.
    same = [_article("a", "Alpha", ALPHA_TITLE, ""), _article("b", "Beta", ALPHA_TITLE, "")]
    assert independent_sources(same) == (1, [["Alpha", "Beta"]])


async def test_a_republished_lead_triggers_no_thread_update(tmp_path: Path) -> None:
    feeds = {
        "alpha": ("Alpha", "https://alpha.example"),
        "beta": ("Beta", "https://beta.example"),
        "gamma": ("Gamma", "https://gamma.example"),
    }
    async with Newsroom(tmp_path, feeds, T0) as room:
        room.publish("alpha", "a1", ALPHA_TITLE, LEAD)
        room.publish("gamma", "g1", "Kelvar eruption: villages evacuated as ash falls", GAMMA_TEXT)
        await room.poll()
        assert [m.source_count for m in room.chat.cards()] == [2]

        room.now += timedelta(hours=2)
        room.publish("beta", "b1", BETA_TITLE, LEAD)
        await room.poll()

        assert room.chat.updates() == []
        card = room.card()
        assert card.source_count == 2
        assert card.wire_groups == [["Alpha", "Beta"]]
        assert card.sources_label == (
            "2 sources tracking this story (3 outlets; shared wire copy counted once)"
        )
