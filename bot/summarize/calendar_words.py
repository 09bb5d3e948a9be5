"""Weekdays and months named in a text, for checking the LLM writer's dates.

Months and weekdays are facts: "Friday" for the sources' "Tuesday" is a wrong one. The name check
treats their full names as common words, so they are read here instead, with every spelling of
one ("Tue.", "Tuesday", "TUESDAY") brought to one key. A number after a month's name is its day,
not a count (`month_before`, which the count checks of `llm_facts` ask).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Weekdays and months, for `calendar_names`. Unambiguous full names in any case ("TUESDAY");
# "May" and "March" only capitalised, as words they are a verb. Abbreviations only with their
# full stop ("Tue.", "Sept.") or, for a month, before a day ("Jan 12"): bare, "Sat", "Sun" and
# "Jan" are words or names; and "The Sun." is a newspaper.
_DAYS_FULL = "monday tuesday wednesday thursday friday saturday sunday".split()
_MONTHS_FULL = "january february april june july august september october november december".split()
_CALENDAR_FULL = _DAYS_FULL + _MONTHS_FULL
# The full names any text capitalises, whatever its case (a shouted title's "TUESDAY").
CAPITALISED_NAMES = frozenset(_CALENDAR_FULL)
_DAY_ABBREVIATIONS = "mon tue tues wed weds thu thur thurs fri sat sun".split()
_MONTH_ABBREVIATIONS = "jan feb mar apr jun jul aug sep sept oct nov dec".split()


def _capitalised(words: Iterable[str]) -> str:
    return "|".join(f"{w[0].upper()}(?i:{w[1:]})" for w in sorted(words, key=len, reverse=True))


_CALENDAR_RE = re.compile(
    r"(?<![\w'’-])(?:"
    rf"(?i:{'|'.join(_CALENDAR_FULL)})s?|{_capitalised(['may', 'march'])}"
    rf"|(?P<short>(?<!the )(?<!The )(?:{_capitalised(_DAY_ABBREVIATIONS)})\."
    rf"|(?:{_capitalised(_MONTH_ABBREVIATIONS)})(?:\.|(?=\s\d)))"
    r")(?!\w)"
)
# A month named just before a number, whose day it is: a whole name or abbreviation ("June 9",
# "Sept. 3", "Jun 4", "MAY 9", "june 9", "sept. 3"); not a word it begins ("Mayor 9", "Marching
# 3", "Junior 4", "declined 4"). A bare abbreviation only capitalised: "mar 3" is a verb. So are
# lowercase "may" and "march" ("they may 3", "to march 3 miles"), unless they date (`month_before`).
_MONTH_BEFORE_RE = re.compile(
    rf"\b(?:(?i:{'|'.join([*_MONTHS_FULL, 'may', 'march'])})"
    rf"|(?i:{'|'.join(_MONTH_ABBREVIATIONS)})\.|{_capitalised(_MONTH_ABBREVIATIONS)})\s*$"
)
# Lowercase "may" or "march" is a month after a word that dates ("on may 3", "by march 9") and
# before a day of one or two digits, not a bigger or decimal number ("may 30,000", "may 3.5").
_DATING_WORDS = frozenset("on by since until till from before after through of between".split())
_DAY_RE = re.compile(r"(?:0?[1-9]|[12]\d|3[01])(?![\d%]|[.,]\d)")
# How far back a month before a number is looked for: "September." and a few spaces.
_MONTH_REACH = 24
# The "PM" of "3 PM" ("A.M." of "3 A.M."): capitalised, but the time says it.
_MERIDIEM_CAPS_RE = re.compile(r"(?<=\d)\s?[AP]\.?M\b\.?")


def calendar_names(text: str) -> list[tuple[str, str]]:
    """Weekdays and months named in `text`, each as written and as a key that is the same for
    every spelling of it: "Tue.", "Tuesday" and "TUESDAY" are "tue", "Sept." is "sep". A day
    that is part of a name ("Black Friday", "Super Tuesday") dates nothing and is left out."""
    return [
        (m.group(0), m.group(0)[:3].lower())
        for m in _CALENDAR_RE.finditer(text)
        if _word_before(text, m.start()) not in _NAMED_DAY_WORDS
    ]


# Words that make a weekday part of a name: a sale, a primary, a feast or an anniversary.
_NAMED_DAY_WORDS = frozenset(
    "black cyber good super ash holy easter palm bloody giving maundy shrove".split()
)


def _word_before(text: str, at: int) -> str:
    words = text[max(0, at - 16) : at].split()
    return words[-1].lower() if words else ""


def month_before(text: str, end: int) -> bool:
    """Whether `text` names a month just before `end` (spaces between), so that a number at
    `end` is its day: "June 9", "Sept. 3", "Jun 4", "on may 3"; not "Mayor 9", "Junior 4" or
    "they may 3"."""
    found = _MONTH_BEFORE_RE.search(text, max(0, end - _MONTH_REACH), end)
    if found is None:
        return False
    month = found.group(0).rstrip()
    if month in ("may", "march"):
        return (
            _word_before(text, found.start()) in _DATING_WORDS
            and _DAY_RE.match(text, end) is not None
        )
    return True


def blank_date_words(text: str) -> str:
    """`text` with "Tue.", "Sept." and the "PM" of "3 PM" blanked out, its length kept: for the
    name check, which would take them for names the sources lack. They are checked as dates
    and times (`calendar_names`, `quantities`); full names are among the name check's common
    words already."""

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0))

    text = _CALENDAR_RE.sub(lambda m: blank(m) if m.group("short") else m.group(0), text)
    return _MERIDIEM_CAPS_RE.sub(blank, text)
