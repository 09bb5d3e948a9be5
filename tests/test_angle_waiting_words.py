"""An angle line cut with "…" never ends on a word waiting for what the cut leaves out: a
phrasal verb's particle ("lined…"), the preposition a verb governs ("could detract…"), a verb's
infinitive ("seemed…"), what a reporting verb reports ("the mayor claimed…"), a passive's agent
("developed…"), an adjective's noun ("a sleepy…"), the verb of a clause already opened ("when
voters…"). The cut stops at a better boundary, or keeps the words needed within the line's
length; an outlet keeps its line. Text written for the project."""

from __future__ import annotations

import pytest

from bot.summarize.angle_lines import (
    ELLIPSIS,
    LONG_LINE_MAX_WORDS,
    WHOLE_LINE_MAX_WORDS,
    _phrase_cut,
)
from bot.summarize.phrase_ends import leaves_waiting
from bot.summarize.sentences import content_stems


def _cut(full: str, key: str = "", complements: bool = False) -> str:
    return _phrase_cut(full, key, set(content_stems(full)), complements=complements)


def _last_word(line: str) -> str:
    return line.removesuffix(ELLIPSIS).split()[-1]


@pytest.mark.parametrize(
    ("head", "nxt", "tail"),
    [
        ("the guilds and the port police of Pellmouth on Monday lined", "up", "to condemn it"),
        ("the dredging programme underscores the board's ramped", "up", "efforts to clear silt"),
        ("traders warned that the work could detract", "from", "the regatta"),
        ("a ban that will cause chaos by infringing", "on", "a right the port gave"),
        ("the new ferry line is headquartered", "in", "Pellmouth"),
        ("the fishermen's guild tore", "into", "the harbour master"),
        ("the budget will be voted", "on", "Thursday"),
        ("she posted a map that seemed", "to", "move the border"),
        ("the harbour master on Tuesday continued", "to", "insist on the ban"),
        ("While defending the ban, the mayor claimed", "on", "the radio that it worked"),
        ("the survey was run by students and attended", "by", "forty skippers"),
        ("crews to receive the new radio developed", "by", "a firm in Oslo"),
        ("the regatta was once a sleepy", "and", "uninspired affair on the quay"),
        ("the dispute is turning into the most bitter", "and", "costly fight in years"),
        ("the ban was dealt a blow when voters", "in", "Pellmouth rejected it"),
        ("the tide turned at noon — as crews", "on", "both quays watched"),
        ("the rule passed as some skippers", "in", "the guild start to object"),
        ("ferries to carry children as young", "as", "twelve alone"),
        ("the report found the board overlooked", "or", "ignored the warnings"),
    ],
)
def test_a_word_waiting_for_what_follows_ends_no_cut(head: str, nxt: str, tail: str) -> None:
    assert leaves_waiting(head.split(), nxt, tail.split()), head


@pytest.mark.parametrize(
    ("head", "nxt", "tail"),
    [
        # Complete without what follows: an intransitive verb, a place, a noun, an attribution.
        ("the harbour board said its cash will run out unless councillors vote", "to", "pay"),
        ("officials did not know how many sailors remain", "in", "the port"),
        ("the ferry sank within minutes, the coastguard claimed", "on", "Monday"),
        ("the council approved a new ferry line for Pellmouth", "and", "a bus route"),
        ("the guild's boats were sold to a firm", "in", "Oslo"),
        ("the board gave the harbour master the power", "to", "close the quay"),
    ],
)
def test_a_complete_last_word_may_end_a_cut(head: str, nxt: str, tail: str) -> None:
    assert not leaves_waiting(head.split(), nxt, tail.split()), head


def test_a_particle_is_kept_within_the_line() -> None:
    full = (
        "In a rare show of unity, the harbour board, the ferry crews, the fishermen's guild "
        "and the port police of Pellmouth on Monday lined up to condemn the plan to close the "
        "northern channel."
    )
    cut = _cut(full, key="Pellmouth")
    assert cut and _last_word(cut) != "lined", cut
    assert "lined up to condemn" in cut
    assert len(cut.split()) <= LONG_LINE_MAX_WORDS


def test_a_verb_keeps_the_preposition_it_governs() -> None:
    full = (
        "Harbour traders in Pellmouth told the council on Monday that the noise of the dredgers "
        "working through the summer nights could detract from the regatta on the estuary in "
        "August."
    )
    cut = _cut(full)
    assert cut and _last_word(cut) != "detract", cut
    assert "could detract from the regatta" in cut
    assert len(cut.split()) <= WHOLE_LINE_MAX_WORDS


def test_a_last_resort_cut_keeps_a_verbs_infinitive() -> None:
    full = (
        "The chart that the harbour master Ola Berg published for the regatta crews of the three "
        "northern villages last week seemed to move the border between the fishing grounds of "
        "the two ports."
    )
    cut = _cut(full, complements=True)
    assert cut and _last_word(cut) != "seemed", cut
    assert "seemed to move the border" in cut


def test_a_clause_opened_keeps_its_verb_or_the_cut_stops_before_it() -> None:
    full = (
        "The harbour board's plan to sell the northern quay to a hotel group was dealt a blow on "
        "Tuesday when voters in Pellmouth rejected a measure that would have let the board sell "
        "public land without a vote."
    )
    cut = _cut(full, key="board")
    assert cut and _last_word(cut) not in ("voters", "when"), cut


def test_with_no_cut_past_the_waiting_word_the_whole_sentence_is_the_line() -> None:
    # The outlet keeps its line: past "sell | off" no phrase ends before the sentence does.
    full = (
        "The regulator's new suit, which comes weeks after a federal judge dismissed an earlier "
        "version, seeks to force Quayline to restructure or sell off assets including the "
        "Pellmouth and Tolberg terminals, which together handle most of the island's freight."
    )
    cut = _cut(full)
    assert cut == full.removesuffix("."), cut
    assert len(cut.split()) <= LONG_LINE_MAX_WORDS


def test_an_adjective_keeps_its_noun_or_the_cut_stops_earlier() -> None:
    full = (
        "The ferry crews' long dispute with the harbour board over night shifts in Pellmouth is "
        "turning into the most bitter and costly fight the port has seen since the strike of 1978."
    )
    cut = _cut(full, key="Pellmouth")
    assert not cut or _last_word(cut) != "bitter", cut
