"""A quote windowed out of a long sentence and cut with "…" never ends on a word waiting for what
the cut leaves out: a phrasal verb's particle ("lined…"), a verb's infinitive ("was forced…"),
the preposition a verb or a participle needs ("called…", "stationed…"), a report's content
("announced on Monday evening…"), or a clause's verb ("while the skippers…", "but the harbour
master…", "what at first looks like a quiet port…"). It stops at an earlier boundary, or the
sentence gives no quote and the outlet's next one is quoted. Text written for the project."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.grounding import ELLIPSIS, is_verbatim
from bot.summarize.phrase_ends import leaves_waiting
from bot.summarize.quotes import (
    QUOTE_WHOLE_MAX_WORDS,
    pick_quote,
    teaser_quote,
    verbatim_quote,
)
from bot.summarize.told import Told


def _quote(sentence: str) -> str:
    return verbatim_quote(sentence, sentence, sentence.split()[:1])


def _waits(sentence: str, quote: str) -> bool:
    """Whether `quote`, cut from `sentence`, ends on a word waiting for the next one."""
    head = quote.removesuffix(ELLIPSIS).split()
    rest = sentence.split()[len(head) :]
    return bool(rest) and leaves_waiting(head, rest[0], rest[1:])


WAITING = [
    # "... lined | up to condemn": a particle.
    "The harbour board said on Tuesday that after weeks of bitter argument the skippers of the "
    "guild and the port police on Monday lined up to condemn the new mooring charges at the quay.",
    # "... had continued | to frustrate": an infinitive.
    "Varnholt told reporters at the quay on Thursday that the ferry timetable drawn up over the "
    "winter by the port's planners had continued to frustrate skippers who wanted earlier sailings, the harbour board "
    "said in a statement issued late on Friday evening.",
    # "... a new radio beacon developed | by": a participle's agent.
    "The guild said on Monday that its members would from next spring test on their boats a new "
    "radio beacon developed by a small firm in Oslo for the northern banks, the harbour board "
    "said in a statement issued late on Friday evening.",
    # "... officials called | for calm": a governed preposition.
    "Skippers at the quay said the port police had in the last month seized boats belonging to "
    "four members and harbour officials called for calm at the quay, the harbour board "
    "said in a statement issued late on Friday evening.",
    # "... the harbour master of the port was forced | to concede": a passive's infinitive.
    "In the harbour town the ferry crews had been hoping that the board would relent but the "
    "harbour master of the port was forced to concede defeat in the row after a long night of "
    "talks with the owners and the unions at the quay.",
]


@pytest.mark.parametrize("sentence", WAITING)
def test_a_cut_quote_does_not_end_on_a_waiting_word(sentence: str) -> None:
    # Longer than a sentence quoted whole, so the quote is a window cut with "…".
    assert len(sentence.split()) > QUOTE_WHOLE_MAX_WORDS
    quote = _quote(sentence)
    assert not quote or not _waits(sentence, quote), quote
    assert not quote or is_verbatim(quote, sentence), quote


def test_the_cut_stops_at_an_earlier_boundary_that_reads_whole() -> None:
    # "... while the skippers | of the guild set up": a clause with its subject, no verb.
    sentence = (
        "The ferry company moved its oldest boat to the Tern Bay crossing in the spring after "
        "months of repairs while the skippers of the guild set up a fund for the crews who "
        "had lost their pay over the long and bitter winter."
    )
    assert _quote(sentence) == (
        "The ferry company moved its oldest boat to the Tern Bay crossing in the spring after "
        f"months of repairs{ELLIPSIS}"
    )


def test_a_clause_opened_by_but_keeps_its_verb_or_the_cut_stops_before_it() -> None:
    sentence = WAITING[-1]
    quote = _quote(sentence)
    assert quote == f"In the harbour town the ferry crews had been hoping{ELLIPSIS}", quote


def test_a_report_is_not_cut_before_what_it_reports() -> None:
    sentence = (
        "The harbour master of the small fishing port of Tern Bay on the far north coast announced "
        "on Monday evening that the last of the old grey cutters of the fleet would sail."
    )
    quote = _quote(sentence)
    assert not quote.removesuffix(ELLIPSIS).endswith("evening"), quote


def test_a_subject_clause_is_not_cut_before_its_verb() -> None:
    sentence = (
        "Amid the noise of the winches and the gulls, what at first looks like a quiet fishing "
        "port on the coast is revealed to be a busy hub for smugglers, the police told the court "
        "at the end of the trial."
    )
    assert _quote(sentence) == ""


def test_a_sentence_with_only_a_waiting_cut_gives_way_to_the_next() -> None:
    waiting = WAITING[0]
    second = "The guild will vote on the charges at its meeting in March."
    article = Article(
        id="a1",
        source="Pell Gazette",
        title="Skippers and port police condemn mooring charges",
        url="https://example.test/a",
        text=f"{waiting} {second}",
    )
    pool = [(2.0, waiting, article, waiting.split()[:1]), (1.0, second, article, ["vote"])]
    assert pick_quote(pool, Told()) == second


@pytest.mark.parametrize(
    ("head", "nxt", "tail"),
    [
        ("the last of the grey cutters stationed", "at", "the north quay"),
        ("a small firm based", "in", "Oslo"),
        ("harbour officials called", "for", "calm"),
        ("the harbour master was forced", "to", "concede"),
        ("the skippers were allowed", "to", "sail"),
        ("the crews had hoped but the harbour master", "of", "the port was forced to concede"),
    ],
)
def test_a_word_waiting_for_what_follows_ends_no_cut(head: str, nxt: str, tail: str) -> None:
    assert leaves_waiting(head.split(), nxt, tail.split()), head


@pytest.mark.parametrize(
    ("head", "nxt", "tail"),
    [
        # A noun after a possessive or a determiner, not the verb it may also be.
        ("the parade underlined the harbour master's promise", "to", "defend the quay"),
        ("the board dropped its plan", "to", "sell the quay"),
        ("the guild backed the need", "to", "dredge the channel"),
    ],
)
def test_a_complete_last_word_may_end_a_cut(head: str, nxt: str, tail: str) -> None:
    assert not leaves_waiting(head.split(), nxt, tail.split()), head


def test_a_teaser_whose_only_verb_is_a_relative_clauses_gives_no_quote() -> None:
    # "Pending cases, or the number of skippers": a subject; "who are waiting" is its aside.
    teaser = "Pending cases, or the number of skippers who are still waiting for their permits..."
    assert teaser_quote(teaser) == ""
    whole = (
        "The harbour master said the skippers who are still waiting for permits would be paid..."
    )
    assert teaser_quote(whole).endswith(ELLIPSIS)
