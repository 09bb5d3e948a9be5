"""Quotation marks a cut leaves open: a headline cut from a teaser or a long sentence may end
inside a quotation ("Minister says 'we will not…"), and a quote opened and never closed reads as
broken. `balanced_cut` closes it after the ellipsis, or cuts before it when the quotation has
too few words to be worth keeping.

Single marks are also apostrophes: "don’t" (between letters), "the ’90s" (before a digit),
"the protesters' demands" (a plural's possessive). Only a mark at a word's start opens a
quotation, and only one at a word's end closes it. Inside an open single quotation, a mark after
"s" is a possessive only when a word a possessive can lead to follows ("'the owners' offer ...");
before a little word ("a ‘total mess’ as ...", "‘no respect for workers’ while ...") it closes
the quotation: a possessive never runs on into "as" or "while".

A double quotation may open with one kind of mark and close with another (a straight " and a
curly ” or “ mixed by a feed or a hand): any closing double mark ends any double quotation.
Pointed marks pair either way round: «…» (French) and »…« (German, Danish). Inside a German „…“
the English “…” may quote again: a "“" at a word's start opens, one at a word's end closes „.
`open_quotes` and `quotation_bounds` read the marks in one pass, so the two always agree.
"""

from __future__ import annotations

import re

from bot.summarize.clauses import MID_CUT_ENDINGS
from bot.textutil import APOSTROPHE_MARKS, QUOTATION_PAIRS, STOPWORDS

# Opening mark -> the mark that closes it in a headline.
_CLOSERS = {opener: closers[0] for opener, closers in QUOTATION_PAIRS.items()}
_DOUBLE_CLOSING = "”»"
_DOUBLE_OPENERS = '“„«"'
# Little words a plural's possessive may still lead to ("the owners' own union", "the crews' new
# rota"); every other one of STOPWORDS follows a closed quotation, not a possessive.
_AFTER_POSSESSIVE = frozenset("own new other others many few only same most more every".split())
# What a mark opening a quotation follows: the start, a space, a bracket, a dash, another mark.
_OPENS_AFTER = " \t\n([{—–-/“„«‘\"'"
# Every character that may open or close a quotation (`quotation_bounds` reads no other).
_MARK_CHARS = "".join(
    sorted(
        set(APOSTROPHE_MARKS + '"' + _DOUBLE_CLOSING)
        | set("".join(QUOTATION_PAIRS))
        | set("".join(QUOTATION_PAIRS.values()))
    )
)
_MARK_RE = re.compile(f"[{re.escape(_MARK_CHARS)}]")
# A quotation left open holding fewer words than this is cut off rather than closed.
_MIN_QUOTED_WORDS = 2
# ... and only when this many words are left before it ("Harbour minister…" says too little).
_MIN_WORDS_BEFORE = 3


def open_quotes(text: str) -> list[int]:
    """Where the quotations still open at the end of `text` start, outermost first: read as
    `quotation_bounds` reads them, so a mark one pairs the other does too."""
    return _scan(text)[1]


def _closes_curly(before: str, after: str, text: str, stack: list[int]) -> bool:
    """Whether a straight " ends a quotation a curly mark opened (“safe," he said): one is open
    and the mark does not stand as an opener would, at a word's start."""
    if not any(text[j] in "“„«" for j in stack):
        return False
    return not (before in _OPENS_AFTER and after.isalnum())


def _closes_single(text: str, i: int, stack: list[int]) -> bool:
    """Whether the single mark at `text[i]` ends a quotation rather than standing for a letter."""
    if not any(text[j] in "‘'‚" for j in stack):
        return False
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or after.isalnum():
        return False  # "’90s", "don’t"
    # "'the owners' offer": a plural's possessive runs on into a lower-case word, never into
    # "as" or "while", which follow a closed quotation.
    if before not in "sS" or after != " ":
        return True
    following = text[i + 1 :].split(maxsplit=1)
    word = following[0].rstrip(",;:.!?…") if following else ""
    if not word[:1].islower():
        return True
    return word in STOPWORDS and word not in _AFTER_POSSESSIVE


def balanced_cut(head: str, ellipsis: str) -> str:
    """`head`, a headline cut short, with `ellipsis` after it and no quotation left open: closed
    after the ellipsis ("says 'we will not…'"), or cut before its mark when it would hold too few
    words and enough is left before it ("welcomed “the…" → "welcomed…"); "" when nothing is.
    A whole sentence (no `ellipsis`) whose quotation runs on into the next one keeps its words
    and has the quotation closed."""
    opens = open_quotes(head)
    if not opens:
        return f"{head}{ellipsis}" if head else ""
    first = opens[0]
    before = head[:first].split()
    # "said the 'final…" cut before its quotation would end on "the", which leads on.
    while before and before[-1].casefold() in MID_CUT_ENDINGS:
        before.pop()
    few = len(head[first + 1 :].split()) < _MIN_QUOTED_WORDS
    if ellipsis and few and len(before) >= _MIN_WORDS_BEFORE:
        return " ".join(before).rstrip(" ,;:—–-([{") + ellipsis
    closers = "".join(_CLOSERS[head[i]] for i in reversed(opens))
    return f"{head}{ellipsis}{closers}"


def quoted_spans(text: str) -> list[str]:
    """The words inside every closed quotation of `text`, in any marks of `QUOTATION_PAIRS`.

    A single mark is read as in `open_quotes`: 'would begin next week' after "said" is a
    quotation, the apostrophes of "don't", "the ’90s" and "the pilots' union" are not. A
    quotation left open is no span (nothing says where its words end).
    """
    return [text[start:end] for start, end in quotation_bounds(text)]


def quotation_bounds(text: str) -> list[tuple[int, int]]:
    """Where the words of each quotation `quoted_spans` finds start and end in `text` (the marks
    are just outside), in the order the quotations close."""
    return _scan(text)[0]


def _scan(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """The quotations of `text` that close (as `quotation_bounds`) and where those left open
    start (as `open_quotes`): one reading of the marks for both."""
    spans: list[tuple[int, int]] = []
    stack: list[int] = []

    def close(i: int, marks: str) -> None:
        for depth in range(len(stack) - 1, -1, -1):
            if text[stack[depth]] in marks:
                spans.append((stack[depth] + 1, i))
                del stack[depth:]
                return

    # Only the marks can open or close a quotation: a loop over every character of a long
    # article took a quarter of a second.
    for found in _MARK_RE.finditer(text):
        i, ch = found.start(), found.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch in APOSTROPHE_MARKS:
            if ch != "’" and before in _OPENS_AFTER and after.isalpha():
                stack.append(i)
            elif _closes_single(text, i, stack):
                close(i, "‘'‚")
            continue
        if ch == '"':
            if any(text[j] == '"' for j in stack) or _closes_curly(before, after, text, stack):
                close(i, _DOUBLE_OPENERS)
            elif before in _OPENS_AFTER:
                stack.append(i)
            continue
        # The innermost open quotation this mark closes ("“" closes „…“ but opens “…”; "»"
        # closes «…» but opens »…«); any closing double mark ends any double quotation.
        closing = [j for j in stack if ch in QUOTATION_PAIRS[text[j]]]
        # Inside „…“ an English quotation opens with "“" too ("„Er nannte es “Unsinn”.“"):
        # a "“" at a word's start opens one, and only one at a word's end closes the German.
        if ch == "“" and before in _OPENS_AFTER and after.isalnum():
            closing = []
        if ch in _DOUBLE_CLOSING and any(text[j] in _DOUBLE_OPENERS for j in stack):
            close(i, _DOUBLE_OPENERS)
        elif closing:
            close(i, text[closing[-1]])
        elif ch in QUOTATION_PAIRS:
            stack.append(i)
    return spans, stack
