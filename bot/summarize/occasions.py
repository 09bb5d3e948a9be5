"""Whether two sentences telling one kind of act tell two occasions of it: on other dates ("voted
on Monday" / "voted on Thursday") or taking opposite sides ("voted for" / "voted against",
"ruled in favour of" / "ruled against"). Their words are nearly the same ("for" and "against"
are no content words), so the repeat checks (`restated`, `candidates._repeats`, the angles') and
the support check would count them once; they are two facts. Verbs that name the act itself
("approved" / "rejected") are the decisive verbs' business (`verb_groups`), not this module's.

Dates are read as `calendar_words` reads them. Weekdays or calendar days a day apart may be one
event told from two time zones (a vote late on Monday in one is Tuesday's in another), so only
dates further apart tell two occasions; every date one sentence gives must be so far from every
date the other gives ("voted on Monday, before Thursday's final vote" shares Thursday). A month
alone ("in March") is no date of the act: "fell to 4.8% from 5.2% in August" and "... in
September" tell one report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.summarize.calendar_words import calendar_names
from bot.summarize.sentences import stem

_WEEKDAYS = "mon tue wed thu fri sat sun".split()
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
# Dates this many days apart or more are two occasions: one day is a time zone's difference.
_MIN_DAYS_APART = 2

# "voted for", "voted overwhelmingly against", "ruled in favour of": the side a verb takes.
_SIDE_RE = re.compile(
    r"\b(?P<verb>[A-Za-z]+)\s+(?:[a-z]+ly\s+)?(?P<side>for|against|in\s+favou?r\b)",
    re.IGNORECASE,
)
# Verbs (stems) whose "for" and "against" are sides taken: "filed charges for fraud against
# her" or "asked for" take none.
_SIDE_VERBS = frozenset(
    stem(w) for w in "vote ruled ruling argue campaign lobbied testified spoke speak side".split()
)
_CONJUNCTIONS = frozenset("and but or not".split())


@dataclass(frozen=True, slots=True)
class _Occasion:
    weekdays: frozenset[int]
    days: frozenset[int]  # a calendar day as month * 31 + day: near enough to measure gaps
    sides: frozenset[tuple[str, str]]  # (verb stem, "for" | "against")


_DAY_AFTER_RE = r"\s+(\d{1,2})(?:st|nd|rd|th)?\b"
_DAY_BEFORE_RE = r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?$"


@lru_cache(maxsize=8192)
def _occasion(text: str) -> _Occasion:
    """The dates `text` gives and the sides its verbs take."""
    weekdays: set[int] = set()
    days: set[int] = set()
    for written, key in calendar_names(text):
        if key in _WEEKDAYS:
            weekdays.add(_WEEKDAYS.index(key))
            continue
        month = _MONTHS.index(key)
        for at in (m.end() for m in re.finditer(re.escape(written), text)):
            after = re.match(_DAY_AFTER_RE, text[at:])
            before = re.search(_DAY_BEFORE_RE, text[: at - len(written)])
            day = after or before
            if day and 1 <= int(day.group(1)) <= 31:
                days.add(month * 31 + int(day.group(1)))
    sides: set[tuple[str, str]] = set()
    verb = ""
    for m in _SIDE_RE.finditer(text):
        # "voted for the quota and against the fees": the side after "and" is the same verb's.
        word = m.group("verb").casefold()
        if word not in _CONJUNCTIONS or not verb:
            verb = stem(word)
        if verb in _SIDE_VERBS:
            sides.add((verb, "against" if m.group("side").casefold() == "against" else "for"))
    return _Occasion(frozenset(weekdays), frozenset(days), frozenset(sides))


def other_occasion(a_text: str, b_text: str) -> bool:
    """Whether the two sentences date their act days apart or take opposite sides in it (see the
    module's docstring): two occasions, however alike their words."""
    a, b = _occasion(a_text), _occasion(b_text)
    return _dated_apart(a, b) or _opposite_sides(a, b)


def _dated_apart(a: _Occasion, b: _Occasion) -> bool:
    if _all_apart(a.weekdays, b.weekdays, 7):
        return True
    if a.days and b.days:
        return _all_apart(a.days, b.days, 12 * 31)
    return False


def _all_apart(a: frozenset[int], b: frozenset[int], cycle: int) -> bool:
    """Whether both are given and every one of `a` lies `_MIN_DAYS_APART` or more from every
    one of `b`, counted round a cycle of `cycle` (a week, a year)."""
    if not (a and b):
        return False
    return all(min(abs(x - y), cycle - abs(x - y)) >= _MIN_DAYS_APART for x in a for y in b)


def _opposite_sides(a: _Occasion, b: _Occasion) -> bool:
    """Whether one sentence's verb takes a side the other's same verb takes the opposite of
    ("voted for" / "voted against"), neither taking both."""
    for verb, side in a.sides:
        opposite = (verb, _OTHER_SIDE[side])
        # A sentence telling both sides ("voted for the bill and against the cuts") takes none.
        if opposite in b.sides and opposite not in a.sides and (verb, side) not in b.sides:
            return True
    return False


_OTHER_SIDE = {"for": "against", "against": "for"}
