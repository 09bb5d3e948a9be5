"""Where quotations open and close: one reading of the marks for every rule that asks.

A headline, a bullet, an angle's line or its quote cut from a longer sentence may end inside a
quotation ("Minister says 'we will not…") or start inside one ("…safe,” the mayor said"): a
quotation opened and never closed, or closed and never opened, reads as broken. `open_quotes`,
`stray_closings` and `quotation_bounds` (`has_open_quote`, `quoted_ranges`) read the marks in
one pass, so every rule pairs them alike (the headline's `balanced_cut` closes what a cut
leaves open).

Single marks are also apostrophes: "don’t" (between letters), "the ’90s" (before a digit),
"the protesters' demands" (a plural's possessive), a word's clipped start ("give 'em a fight",
"'til the storm passes", "the 'Ol Miss game"). Only a mark at a word's start opens a quotation,
and only one at a word's end closes it. A whole sentence (`has_open_quote(..., whole=True)`)
leaves no single quotation open that no single mark after it could close: nothing says it
quoted, so it is an apostrophe of a clipped word the list lacks ("'Bama fans"). Inside an open
single quotation, a mark after "s" is a possessive only when a word a possessive can lead to
follows ("'the owners' offer ..."); before a little word ("a ‘total mess’ as ...", "‘no respect
for workers’ while ...") it closes the quotation: a possessive never runs on into "as" or
"while".

A double quotation may open with one kind of mark and close with another (a straight " and a
curly ” or “ mixed by a feed or a hand): any closing double mark ends any double quotation.
Pointed marks pair either way round: «…» (French) and »…« (German, Danish). Inside a German „…“
the English “…” may quote again: a "“" at a word's start opens, one at a word's end closes „,
or any double quotation open: it is a closing mark typed the wrong way round ("the end.“ Then").
A closing mark that closes nothing is a stray: a curly ” or a 」, or a straight " that opens
nothing either, but for one right after a figure (an inch mark: 'the new 6.1" model').
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.text_cache import SENTENCE_CHARS, text_cache
from bot.textutil import APOSTROPHE_MARKS, QUOTATION_PAIRS, STOPWORDS

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
# For each mark, the opening marks it closes ("“" closes „, "»" closes «).
_OPENERS_OF: dict[str, str] = {
    mark: "".join(opener for opener, closers in QUOTATION_PAIRS.items() if mark in closers)
    for mark in _MARK_CHARS
}
_NEXT_WORD_RE = re.compile(r"\s*(\S+)")
_SINGLE_CLOSER_RE = re.compile(r"['’](?!\w)")
# Words written with their start clipped: the mark before them is an apostrophe, not an opening
# quotation ("give 'em a fight", "rock 'n' roll", "'til dawn", "'Tis the season", "'Ol Miss").
_CLIPPED_WORDS = frozenset(
    """
    em til n cause cos cuz tis twas twere twill twould ol bout nuff neath gainst tween
    """.split()
)
_CLIPPED_RE = re.compile(r"([A-Za-z]+)(?![A-Za-z])")


def _clipped(text: str, i: int) -> bool:
    """Whether the single mark at `text[i]` stands for the clipped start of its word."""
    found = _CLIPPED_RE.match(text, i + 1)
    return found is not None and found.group(1).casefold() in _CLIPPED_WORDS


def open_quotes(text: str) -> list[int]:
    """Where the quotations still open at the end of `text` start, outermost first: read as
    `quotation_bounds` reads them, so a mark one pairs the other does too."""
    return list(_reading(text)[1])


def has_open_quote(text: str, *, whole: bool = False) -> bool:
    """Whether `text` leaves a quotation open (`open_quotes`): „…“, »…« and «…» are closed.

    `whole`: `text` is a whole sentence, so a single mark inside it that no single mark after it
    could close opened no quotation ("Dogs or 'Cats?"): a cut of it, which stops before its words
    end, may. Not one where quotations open, at the sentence's start or after a comma or colon
    ("'Most umbrellas do not last." / "He said, 'It is dirt."): outlets quoting in single marks
    close a long quotation in a later sentence, and the splitter hands over its first half alone."""
    opened: Sequence[int] = _reading(text)[1]
    if whole:
        # Where the last mark that could close a single quotation stands (at a word's end).
        last = max((m.start() for m in _SINGLE_CLOSER_RE.finditer(text)), default=-1)
        opened = [
            i for i in opened if text[i] not in "'‘" or i < last or _quotation_opens_at(text, i)
        ]
    return bool(opened)


def _quotation_opens_at(text: str, i: int) -> bool:
    """Whether a quotation would open at `text[i]`: at the start, or after a comma or colon."""
    before = text[:i].rstrip()
    return not before.strip(_OPENS_AFTER) or before.endswith((",", ":", ";", "—", "("))


def stray_closings(text: str) -> list[int]:
    """Where `text` closes a quotation it never opened ("…objective,” said ..."): it starts
    inside someone's words. Read as `open_quotes` reads the marks: "»" opens a German »…«,
    "“" closes a German „…“, and a straight mark after a figure is an inch mark."""
    return list(_reading(text)[2])


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """The stretches of `text` inside a quotation, merged and in order: a closed one from the
    first character after its opening mark up to its closing mark, one left open to the end,
    and one whose opening came before `text` (a stray closing mark) from the start. A position
    `p` is inside a quotation when `start <= p < end` for one of them."""
    spans, opened, strays = _reading(text)
    ranges = sorted(
        [*spans, *((start + 1, len(text)) for start in opened), *((0, end) for end in strays)]
    )
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _closes_curly(before: str, after: str, open_count: _OpenCount) -> bool:
    """Whether a straight " ends a quotation a curly mark opened (“safe," he said): one is open
    and the mark does not stand as an opener would, at a word's start."""
    if not open_count.any("“„«"):
        return False
    return not (before in _OPENS_AFTER and after.isalnum())


def _closes_single(text: str, i: int, open_count: _OpenCount) -> bool:
    """Whether the single mark at `text[i]` ends a quotation rather than standing for a letter."""
    if not open_count.any("‘'‚"):
        return False
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or after.isalnum():
        return False  # "’90s", "don’t"
    # "'the owners' offer": a plural's possessive runs on into a lower-case word, never into
    # "as" or "while", which follow a closed quotation.
    if before not in "sS" or after != " ":
        return True
    # Only the next word, not the rest of the text split: that copied the text at every mark.
    found = _NEXT_WORD_RE.match(text, i + 1)
    word = found.group(1).rstrip(",;:.!?…") if found else ""
    if not word[:1].islower():
        return True
    return word in STOPWORDS and word not in _AFTER_POSSESSIVE


class _OpenCount:
    """How many quotations each opening mark holds open: whether one of some kinds is open is
    then a few lookups, not a walk of the whole stack at every mark (quadratic in a run of
    unclosed marks)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, mark: str, n: int = 1) -> None:
        self.counts[mark] = self.counts.get(mark, 0) + n

    def any(self, marks: str) -> bool:
        return any(self.counts.get(mark, 0) > 0 for mark in marks)


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
    return list(_reading(text)[0])


_Reading = tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]
# Texts up to a sentence's length have their reading kept: the TL;DR's and the angles' checks ask
# it of the same sentences and their cuts again and again (three times in four, on the dev
# clusters). Longer ones, whole articles, are read afresh: kept, they would pin the articles in
# memory. Checked here as well as by the caches, so one is not read twice (`_kept_reading`'s
# None, then `_kept_big_reading`).
MAX_KEPT_CHARS = SENTENCE_CHARS


# A reading with more marks read than this (spans, open quotations and strays together) is not
# kept with the others: a sentence of a thousand nested quotations kept 113 KiB of spans, 1.8 GiB
# across the cache. Sentences of real news hold a few, so a kept one takes a few hundred bytes.
# The few bigger ones are kept apart, `MAX_KEPT_BIG` of them (under 4 MiB): read afresh each
# time, a hostile story's checks cost four times the CPU.
MAX_KEPT_MARKS = 64
MAX_KEPT_BIG = 32


def _reading(text: str) -> _Reading:
    if len(text) > MAX_KEPT_CHARS:
        return _tupled(_scan(text))
    kept = _kept_reading(text)
    return kept if kept is not None else _kept_big_reading(text)


@text_cache(maxsize=2048, max_chars=SENTENCE_CHARS)
def _kept_reading(text: str) -> _Reading | None:
    """The reading of `text`, or None (kept in its place, costing nothing) for one too big to
    keep, read afresh each time it is asked."""
    reading = _tupled(_scan(text))
    return reading if sum(map(len, reading)) <= MAX_KEPT_MARKS else None


@text_cache(maxsize=MAX_KEPT_BIG, max_chars=SENTENCE_CHARS)
def _kept_big_reading(text: str) -> _Reading:
    return _tupled(_scan(text))


def _tupled(found: tuple[list[tuple[int, int]], list[int], list[int]]) -> _Reading:
    spans, opened, strays = found
    return tuple(spans), tuple(opened), tuple(strays)


def nested_bounds(text: str, depth: int) -> list[tuple[int, int]]:
    """`quotation_bounds` less the quotations inside `depth` others or more: 1 gives only the
    outermost. Each quotation nested in another is read again by whoever reads the outer one,
    so a text of many nested marks (15,000 openings, then 15,000 closings) had every reader of
    its words pay with the square of the depth; this reads at most `depth` times the text."""
    bounds = quotation_bounds(text)
    kept: set[tuple[int, int]] = set()
    # The quotations nest (one closing passes over every one opened inside it), so the ends
    # still open when a quotation starts are those holding it.
    holding: list[int] = []
    for start, end in sorted(bounds, key=lambda span: (span[0], -span[1])):
        while holding and holding[-1] <= start:
            holding.pop()
        if len(holding) < depth:
            kept.add((start, end))
        holding.append(end)
    return [span for span in bounds if span in kept]


def _scan(text: str) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """The quotations of `text` that close (as `quotation_bounds`), where those left open start
    (as `open_quotes`) and where a mark closes none (as `stray_closings`): one reading of the
    marks for all three, in time linear in the marks."""
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    strays: list[int] = []
    open_count = _OpenCount()

    def push(i: int) -> None:
        stack.append(i)
        open_count.add(text[i])

    def close(i: int, marks: str) -> None:
        # Called only when one of `marks` is open: the walk stops at it, and every quotation it
        # passes is closed with it, so each opening mark is walked over once in all.
        for depth in range(len(stack) - 1, -1, -1):
            if text[stack[depth]] in marks:
                spans.append((stack[depth] + 1, i))
                for j in stack[depth:]:
                    open_count.add(text[j], -1)
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
                if not _clipped(text, i):
                    push(i)
            elif _closes_single(text, i, open_count):
                close(i, "‘'‚")
            continue
        if ch == '"':
            if open_count.any('"') or _closes_curly(before, after, open_count):
                close(i, _DOUBLE_OPENERS)
            elif before in _OPENS_AFTER:
                push(i)
            elif not before.isdigit():
                strays.append(i)  # 'safe," the mayor said' (not 'the 6.1" model')
            continue
        # The innermost open quotation this mark closes ("“" closes „…“ but opens “…”; "»"
        # closes «…» but opens »…«); any closing double mark ends any double quotation.
        openers = _OPENERS_OF.get(ch, "")
        # Inside „…“ an English quotation opens with "“" too ("„Er nannte es “Unsinn”.“"):
        # a "“" at a word's start opens one, and only one at a word's end closes the German.
        if ch == "“" and before in _OPENS_AFTER and after.isalnum():
            openers = ""
        # "the end.“ Then": a "“" typed where its closing twin belongs, at a word's end, ends
        # the double quotation open as a straight " would, or closes one begun before the text.
        misturned = ch == "“" and before not in _OPENS_AFTER and not after.isalnum()
        if (ch in _DOUBLE_CLOSING or misturned) and open_count.any(_DOUBLE_OPENERS):
            close(i, _DOUBLE_OPENERS)
        elif misturned:
            strays.append(i)
        elif open_count.any(openers):
            close(i, openers)
        elif ch in QUOTATION_PAIRS:
            push(i)
        else:
            strays.append(i)  # "”" or "」" with nothing open to close
    return spans, stack, strays
