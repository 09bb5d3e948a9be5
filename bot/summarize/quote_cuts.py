"""A quote's phrase cut: where a window of an outlet's sentence may stop with an ellipsis.

When no clause boundary ends a quote's window as a whole thought (`quotes._clause_end`), it is
cut where a phrase ends, before a preposition, a conjunction or a relative: never on a function
word or inside a name or a quotation, never before what a report says ("... announced on Monday
evening | that ..."), and never where its last word waits for what the cut leaves out
(`phrase_ends`: "... lined | up", "... cutters stationed | at", "... was forced | to"). With no
such end the sentence gives no quote, and the outlet's next sentence is tried.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.summarize.clause_ends import lacks_main_clause, lone_subordinate, needs_next
from bot.summarize.clauses import MID_CUT_ENDINGS
from bot.summarize.finite_verbs import has_verb, is_clause
from bot.summarize.phrase_ends import leaves_waiting
from bot.summarize.quote_marks import open_quotes

# Words that open a phrase of their own: a cut just before one ends the phrase before it ("...
# confirms what we knew | from the very start"), where a cut anywhere else may end inside one.
PHRASE_OPENERS = frozenset(
    """
    of in on at for with by from to into onto over under after before during since until about
    against between among through across near amid despite without within and or but that which
    who whom whose where when while as than because although though if whether down up past
    above below along beside toward towards off behind beyond around throughout
    """.split()
)
# A phrase-cut quote shorter than this says too little to be worth its ellipses.
_PHRASE_QUOTE_MIN_WORDS = 10
# "... told the paper that he learned…": a report cut this few words after its verb says nothing.
_REPORT_MIN_WORDS = 5
_REPORTING = frozenset("said says told tells that".split())
# Verbs whose "that" opens what they report: a cut before it leaves the report unsaid.
_REPORTS_THAT = frozenset(
    """
    said says told tells wrote writes added adds noted announced announces confirmed
    confirms warned warns revealed reveals claimed argued argues insisted insists acknowledged
    acknowledges declared declares stated reported admitted admits
    """.split()
)
# A reporting verb this many words before a "that" opens what it reports with that "that".
_REPORT_REACH = 6
_WHAT_RE = re.compile(r"[\"“‘']?what(?:ever)?\b", re.IGNORECASE)
# "What the index does aim to do is ...": the subject clause's verb already given.
_COPULA_RE = re.compile(r"\b(?:is|was|are|were)\b")


def _report_unsaid(head: Sequence[str], nxt: str) -> bool:
    """Whether a cut after `head` before `nxt` leaves a report unsaid: right before its "that"
    ("... announced on Monday evening | that ..."), or with no verb after it yet ("... said on
    Tuesday that after weeks of talks the skippers | on Monday lined up ...")."""
    if nxt.casefold() == "that":
        return _reports(head[-_REPORT_REACH:])
    for i in range(len(head) - 1, 0, -1):
        if head[i].casefold() == "that":
            return _reports(head[max(0, i - _REPORT_REACH) : i]) and not has_verb(
                [" ".join(head[i + 1 :])]
            )
    return False


def _reports(words: Sequence[str]) -> bool:
    """Whether one of `words` is a verb reporting what follows it ("announced", "wrote")."""
    return any(w.casefold().strip(",;:") in _REPORTS_THAT for w in words)


def phrase_end(window: list[str], first: int, rest: Sequence[str]) -> list[str]:
    """`window` ended where a phrase ends (before a preposition, conjunction or relative), when
    no clause boundary serves: not on a function word, not inside a name or a quotation, not
    before or inside what a report says, not on a word waiting for what follows
    (`leaves_waiting`), and only if what is left is a main clause that says something; [] when
    no such end exists."""
    after = [*window, *rest[:2]]
    low = max(first + 1, _PHRASE_QUOTE_MIN_WORDS)
    for end in range(len(window), low - 1, -1):
        last, nxt = window[end - 1], after[end] if end < len(after) else ""
        if nxt.casefold() not in PHRASE_OPENERS or dangles(last) or last[-1:] in ",;:":
            continue
        if last[:1].isupper() and after[end + 1 : end + 2] and after[end + 1][:1].isupper():
            continue  # "the University | of Pell": inside a name
        if needs_next(window[:end], nxt):
            continue  # "... has been hosted | by 21 cities", "... much larger | than ..."
        head = " ".join(window[:end])
        if len(head.rsplit(", ", 1)[-1].split()) <= 2:
            continue  # "..., poured | in from Lyon": a comma's clause cut before it says anything
        if inner_open(head) or not is_clause(head) or lacks_main_clause(head):
            continue
        if lone_subordinate(head):
            continue  # "In the century since the fair was first held | in Tolberg ..."
        reported = [i for i, w in enumerate(window[:end]) if w.casefold() in _REPORTING]
        if reported and end - reported[-1] - 1 < _REPORT_MIN_WORDS:
            continue
        if _report_unsaid(window[:end], nxt):
            continue
        segment = head.rsplit(", ", 1)[-1]
        if _WHAT_RE.match(segment) and not _COPULA_RE.search(segment):
            continue  # "what at first looks like a port | on ... is": a subject, its verb cut
        if leaves_waiting(window[:end], nxt, [*window, *rest][end + 1 :]):
            continue  # "... the crews set | off", "... the cutters stationed | at ..."
        return window[:end]
    return []


def inner_open(text: str) -> list[int]:
    """Where quotations still open at the end of `text` start, but for one opening the text."""
    return [i for i in open_quotes(text) if i > 0]


def dangles(word: str) -> bool:
    """Whether a phrase cannot end on `word`: a function word, or a possessive ("Holt's",
    "the moorings'") whose noun the cut took."""
    if word.endswith(("'s", "’s", "s'", "s’")):
        return True
    return word.casefold().strip(",;:—–-\"“”'‘’(") in _DANGLING


# A quote's window is cut to a few words around what its outlet adds, and shown as that
# outlet's words: besides `MID_CUT_ENDINGS` it may not end on a subject pronoun, a subordinator,
# a quantifier or an adverb that leads on ("... the council said it", "... because", "... more
# than some", "... and then"): a longer phrase may end on them, a quoted fragment rarely does.
_QUOTE_ENDINGS = frozenset(
    """
    no over under after before between against during including such very more most less least
    some any each every he she it they we i you due because while when where if whether although
    though so then also just only
    """.split()
)
_DANGLING = MID_CUT_ENDINGS | _QUOTE_ENDINGS
