"""Identifiers that pin an article to one occurrence of a templated item: a veto on joining.

Outlets publish some items from a template, day after day: "Lottery results for draw 4127", "Storm
warning for district 4", "Markets close: Dow up 120", "Rovers 3-1 United". Two of them share nearly
every word, so the pair model (which weighs overlap) would join them, and one story would grow for
days. What tells them apart is a specific that says *which* occurrence it is: an identifier.

Numbers of one event may change between reports (a death toll rises from 12 to 15, a quake's
magnitude is revised from 6.1 to 6.2, a price moves), so differing *quantities* never veto. Only
these do, when both sides state one and they share no value:

- a labelled number, in the headline or lead: "draw 4127", "district 4", "game 3", "flight 370",
  "the 6th district". The labels name one of a series; scales that an event climbs ("stage",
  "level", "phase", "category") are quantities and are left out;
- in near-identical headlines (a template: all but a word or two the same), a date ("March 3",
  "Monday"), a match score ("3-1" / "0-2") and a reversed direction with another figure ("up
  120" / "down 80"): the same fixture or measurement on another day. Outside a template these
  say little: one report of a Senate vote gives the 50-50 split, another the 51-50 tie-break.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from typing import Protocol

from bot.textutil import words

# Labels that name one of a series (which draw, district, match), never an amount.
_LABELS = (
    "draw|district|ward|precinct|zone|game|round|week|matchday|gameweek|episode|season|flight|route"
)
# An ordinal before a label may count instead ("the strike enters its 4th week"): only these.
_ORDINAL_LABELS = "district|ward|precinct|round|game"
_ORDINAL_LABEL_SET = frozenset(_ORDINAL_LABELS.split("|"))
_NUMBER_RE = re.compile(r"[0-9]+")
_ORDINAL_SUFFIXES = frozenset(["st", "nd", "rd", "th"])
_WORD_RE = re.compile(r"[A-Za-z]+")
# What makes a figure an identifier: a label right before it ("draw 4127", "District No. 4",
# "game #3"), not after a time word ("this week 12 people were hurt": a count). Only the words
# just before each figure are read, far cheaper than scanning the whole text for labels.
_LABEL_SET = frozenset(_LABELS.split("|"))
_NUMBER_SIGNS = frozenset(["no.", "no", "number", "#"])
_TIME_WORDS = frozenset("this last next that each every per".split())
# A figure that goes on as an amount or a range: "round 2.5", "week 3-4", "zone 4%".
_AMOUNT_AFTER_RE = re.compile(r"[.,]\d|[-–/%]| ?per")
# A headline word that is a match score (or a vote's tally): "3-1", "51-49".
_SCORE_RE = re.compile(r"\d{1,3}-\d{1,3}")

_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_UP = frozenset("up rise rises rose gain gains higher climb climbs jump jumps advance".split())
_DOWN = frozenset("down fall falls fell drop drops lower slip slips sink sinks decline".split())
# Most headlines state no figure and no day: only those that do keep their words for the
# template comparison (the only kind a template conflict can involve).
_DATE_WORDS = _WEEKDAYS | {d + "'s" for d in _WEEKDAYS}


def identifiers(text: str) -> dict[str, frozenset[str]]:
    """Label -> the labelled numbers `text` (headline and lead) states ("draw" -> {"4127"})."""
    found: dict[str, set[str]] = {}
    if not _has_digit(text):  # half the articles: a C-level check, 8x cheaper than a regex scan
        return {}
    for m in _NUMBER_RE.finditer(text):
        start, end = m.span()
        digits = m.group()
        if end - start > 6 or (start and (text[start - 1].isalnum() or text[start - 1] in ".,")):
            continue  # a long figure, or the tail of "4,127", "1.5" or "COVID19"
        if text[end : end + 2] in _ORDINAL_SUFFIXES:
            after = _WORD_RE.match(text, end + 3) if text[end + 2 : end + 3] == " " else None
            label = after.group().lower() if after is not None else ""
            if label in _ORDINAL_LABEL_SET:
                found.setdefault(label, set()).add(str(int(digits)))
            continue
        if _AMOUNT_AFTER_RE.match(text, end):
            continue
        label = _label_before(text, start)
        if label:
            found.setdefault(label, set()).add(str(int(digits)))
    return {k: frozenset(v) for k, v in found.items()}


def _label_before(text: str, start: int) -> str:
    """The label of the figure at `start` ("" for none): the word before it, past "No."/"#"."""
    before = text[start - 1 : start]
    if before == " ":
        # Most figures follow some other word ("rose to 15", "in 2021"): told by that word alone.
        tail = text[max(0, start - 17) : start].split()
        word = tail[-1].lower() if tail else ""
        if word not in _LABEL_SET and word not in _NUMBER_SIGNS and word[:-1] not in _LABEL_SET:
            return ""
    elif before != "#":
        return ""
    cut = max(0, start - 24)
    words_before = text[cut:start].lower().replace("#", " # ").split()
    if cut and text[cut - 1].isalnum():
        words_before = words_before[1:]  # cut mid-word: not a word of its own
    if words_before and words_before[-1] in _NUMBER_SIGNS:
        words_before.pop()
    if not words_before:
        return ""
    label = words_before[-1]
    label = label if label in _LABEL_SET else label.removesuffix("s")
    if label not in _LABEL_SET or (len(words_before) > 1 and words_before[-2] in _TIME_WORDS):
        return ""
    return label


def shape(title: str) -> tuple[str, ...]:
    """The headline's folded words when it states a figure or a weekday, else () (see above)."""
    digits = _has_digit(title)
    if not digits and "day" not in title.lower():
        return ()
    tokens = words(title.replace("–", "-"))  # "3–1" is one token, as "3-1" is
    if not digits and _DATE_WORDS.isdisjoint(tokens):
        return ()
    return tuple(tokens)


class Specific(Protocol):
    """What the veto reads of an article (a `Profile`)."""

    @property
    def ids(self) -> dict[str, frozenset[str]]: ...
    @property
    def shape(self) -> tuple[str, ...]: ...


def conflict(a: Specific, b: Specific) -> bool:
    """Are the two articles about different occurrences (see the module docstring)?"""
    ids_a, ids_b = a.ids, b.ids
    if ids_a and ids_b:
        for label, values in ids_a.items():
            other = ids_b.get(label)
            if other is not None and values.isdisjoint(other):
                return True
    shape_a, shape_b = a.shape, b.shape
    if shape_a and shape_b and shape_a != shape_b:
        return _template_conflict(shape_a, shape_b)
    return False


def conflicts_any(x: Specific, ys: Iterable[Specific]) -> bool:
    """Does `x` conflict with any of `ys` (a story's members)? Then it is another occurrence."""
    if not x.ids and not x.shape:  # most articles: nothing that could conflict
        return False
    return any(conflict(x, y) for y in ys)


def _template_conflict(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    ca, cb = Counter(a), Counter(b)
    only_a, only_b = ca - cb, cb - ca
    # A template: at most two words swapped on either side, at least three kept.
    if len(a) - only_a.total() < 3 or only_a.total() > 2 or only_b.total() > 2:
        return False
    if any(map(_disjoint, _dates(a), _dates(b))):
        return True
    # Another result of the same fixture, or another fixture of the same side.
    if any(map(_SCORE_RE.fullmatch, only_a)) and any(map(_SCORE_RE.fullmatch, only_b)):
        return True
    # The same measurement going the other way, with another figure: another day's reading.
    if any(map(_has_digit, only_a)) and any(map(_has_digit, only_b)):
        return bool(
            (_UP.intersection(only_a) and _DOWN.intersection(only_b))
            or (_DOWN.intersection(only_a) and _UP.intersection(only_b))
        )
    return False


def _dates(tokens: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """(weekdays, month days) the headline names: each kind conflicts only with its own."""
    days = {t.removesuffix("'s") for t in tokens if t.removesuffix("'s") in _WEEKDAYS}
    month_days = set()
    for word, nxt in pairwise(tokens):
        if word.rstrip(".") in _MONTHS and nxt.isdigit() and len(nxt) <= 2:
            month_days.add(f"{word.rstrip('.')[:3]} {int(nxt)}")
    return days, month_days


def _disjoint(a: set[str], b: set[str]) -> bool:
    return bool(a) and bool(b) and a.isdisjoint(b)


def _has_digit(text: str) -> bool:
    return any(map(text.__contains__, "0123456789"))
