"""A TL;DR bullet must read as a finished sentence: not a feed's excerpt cut short with a full
stop added ("..., ending a rule that residents said."), not a cut that leaves its last conjoined
clause a subject alone ("..., but the head of the yard near Tolberg."), and not a sentence that
runs on past its own stop with a lowercase fragment ("... what she thinks. the truth.")."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize import summarize
from bot.summarize.candidates import TldrParams, _forms
from bot.summarize.clauses import weak_endings
from bot.summarize.compress import compress
from bot.summarize.finite_verbs import is_clause
from bot.summarize.sentences import before_run_on, make_sentence

# A feed's excerpt cut off mid-clause: its last word leads on to a report the feed lost.
CUT_SHORT = (
    "Harbour voters on Sunday approved a new charter for the old port district, ending a lease "
    "system that dock workers said"
)


def test_a_sentence_cut_short_by_its_feed_is_not_offered_whole() -> None:
    source = make_sentence(CUT_SHORT, "Harbour Times", 0, 0)
    assert not source.complete
    full = compress(source.text)
    # `compress` gives it the full stop it lacked: only `complete` still says it was cut.
    assert full.endswith("said.")
    forms = _forms(full, TldrParams(), complete=source.complete)
    assert not any(f.endswith("said.") for f in forms), forms
    # Its last whole clause that reads complete is still a bullet.
    assert "Harbour voters on Sunday approved a new charter for the old port district." in forms


@pytest.mark.parametrize("last", ["said", "told", "according to", "says"])
def test_a_cut_short_text_may_not_end_on_a_report_without_its_report(last: str) -> None:
    text = (
        f"The ferry line will close its night route in March, ending a service that sailors {last}."
    )
    ending = text.rstrip(".").split()[-1]
    assert ending in weak_endings(text, whole=True, complete=False)
    # With its own full stop, the writer ended it so ("..., sailors said.").
    if last != "according to":
        assert ending not in weak_endings(text, whole=True, complete=True)


def test_a_cut_short_text_that_reads_complete_may_stay_whole() -> None:
    # A standfirst without a full stop: nothing was cut, it just has none.
    text = "Harbour pilots say the new breakwater will need another year of dredging work"
    source = make_sentence(text, "Harbour Times", 0, 0)
    assert not source.complete
    assert compress(text) in _forms(compress(text), TldrParams(), complete=False)


def test_such_a_sentence_never_ships_as_a_bullet() -> None:
    # No comma: no clause to cut it back to, so it is left out.
    cut_short = (
        "Harbour voters on Sunday approved the new charter for the old port district that "
        "dock workers said"
    )
    articles = [
        Article(id="1", source="Harbour Times", title="Voters approve charter", text=cut_short),
        Article(
            id="2",
            source="Valley Post",
            title="Port charter approved",
            text="The lease system at the port dates from 1950. "
            "Dock workers had long opposed the lease system.",
        ),
        Article(
            id="3",
            source="Coast Daily",
            title="Voters back port charter",
            text="The new charter takes effect in May. "
            "Turnout in Harbour was the highest in a decade.",
        ),
    ]
    texts = [b.text for b in summarize(articles).tldr]
    assert len(texts) >= 2
    assert not any(t.endswith("workers said.") for t in texts), texts


CITY_STATE = (
    "A fire may seem an odd worry in the middle of a flood, but the head of the chemical yard "
    "near Tolberg, Vennmark has warned that the stored drums are all but certain to ignite."
)


def test_a_cut_at_a_places_comma_leaves_no_verbless_conjoined_clause() -> None:
    cut = (
        "A fire may seem an odd worry in the middle of a flood, but the head of the chemical "
        "yard near Tolberg."
    )
    assert is_clause(CITY_STATE)
    assert not is_clause(cut)
    assert cut not in _forms(CITY_STATE, TldrParams())


@pytest.mark.parametrize(
    "text",
    [
        "The drug worked in rats, but not in mice.",
        "The mayor thanked the pilots, the crews, and the volunteers.",
        "The ferry resumed on Friday, but the night route stays closed.",
        "The ferry resumed on Friday, and they were pleased.",
    ],
)
def test_conjoined_clauses_with_their_verbs_or_verbless_phrases_stay_clauses(text: str) -> None:
    assert is_clause(text)


@pytest.mark.parametrize(
    "text",
    [
        "The ferry resumed on Friday, and they.",
        "The ferry resumed on Friday, while the crew of the big harbour tug near Tolberg.",
    ],
)
def test_a_conjoined_subject_without_its_verb_is_no_clause(text: str) -> None:
    assert not is_clause(text)


RUN_ON = "For once, the harbour master told us what he really thinks. the plain truth."


def test_a_sentence_running_on_past_its_stop_is_not_a_bullet_whole() -> None:
    assert before_run_on(RUN_ON) == "For once, the harbour master told us what he really thinks."
    forms = _forms(RUN_ON, TldrParams())
    assert not any(before_run_on(f) for f in forms), forms
    # The sentence before the stop is a bullet of its own.
    assert "For once, the harbour master told us what he really thinks." in forms


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. officials met the harbour board on Friday.",
        "The tug moored off Grandview Blvd. on the south side of the port.",
        "After the captain lost 50 lbs. one crew member stopped teasing him.",
        "The vote was set for 3 p.m. on Sunday at the old ferry hall.",
        "The ferry fee, e.g. a port charge, rises in May.",
        'He asked the pilots "Why now?" and left the bridge.',
    ],
)
def test_abbreviations_and_units_are_no_run_on(text: str) -> None:
    assert before_run_on(text) is None


def test_a_cut_short_text_is_cut_back_before_an_accuser_inside_a_relative_clause() -> None:
    # The campaigners speak of the lease system, not of the vote the cut keeps.
    text = (
        "Harbour voters on Sunday approved a new charter for the old port district, ending a "
        "lease system that campaigners said"
    )
    forms = _forms(compress(text), TldrParams(), complete=False)
    assert forms == ["Harbour voters on Sunday approved a new charter for the old port district."]


@pytest.mark.parametrize(
    "sentence",
    [
        # The accusation bears on the words before the cut: they may not stand without it.
        "The pilot was on the bridge that night, an account that prosecutors say is false.",
        "The board shut the old dry dock, alleging fraud in a lease that campaigners said.",
        "The board shut the old dry dock, ending a lease, campaigners said on Friday.",
    ],
)
def test_an_accusation_about_the_kept_words_still_blocks_the_cut(sentence: str) -> None:
    assert _forms(sentence, TldrParams()) == [sentence]
