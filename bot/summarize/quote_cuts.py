"""A quote's phrase cut: where a window of an outlet's sentence may stop with an ellipsis.

When no clause boundary ends a quote's window as a whole thought (`quotes._clause_end`), it is
cut where a phrase ends, before a preposition, a conjunction or a relative: never on a function
word or inside a name or a quotation, and only where what is left is a main clause that says
something. With no such end the sentence gives no quote, and the outlet's next one is tried.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.summarize.clause_ends import lacks_main_clause, lone_subordinate, needs_next
from bot.summarize.clauses import MID_CUT_ENDINGS
from bot.summarize.finite_verbs import is_clause
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


def phrase_end(window: list[str], first: int, rest: Sequence[str]) -> list[str]:
    """`window` ended where a phrase ends (before a preposition, conjunction or relative), when
    no clause boundary serves: not on a function word, not inside a name or a quotation, and
    only if what is left is a main clause that says something; [] when no such end exists."""
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
