"""Typed mentions that pin an article to one occurrence of a recurring event.

Recurring news (a monthly price report, weekly jobless claims, the n-th guidance update) repeats
the same vocabulary every time; what differs is the figure and the date: "prices rose 3.1% in
March" vs "2.7% in October", "claims fell to 212,000" vs "236,000". Plain number tokens can't tell a
conflicting headline figure from an unrelated year or count, so mentions are typed, and two
articles *conflict* on a type when both state it and share no value.
"""

from __future__ import annotations

import re

# Kinds: "m" month, "w" weekday, "y" year, "%" percentage, "$" money, "c" large count.
# "May" is a verb (and a prime minister) and "March" a verb (in Title Case headlines too: "Crowds
# March To City Hall") far more often than months: they count only dated ("May 3") or after a
# preposition ("in May", "In March," at a sentence start). AP-style abbreviations ("Jan. 6",
# "Sept. 11", "Sep 3") count only with a day, since "Jan" and "Dec" are also names.
# Each pattern opens with a lookahead for its possible first characters: without one, the regex
# engine tries every alternative at every position of the text; with it, only where one could
# start (half the cost of the scan, which runs over every article's headline and lead).
_DATE_RE = re.compile(
    r"(?=[A-Z])(?:\b(January|February|April|June|July|August|September|October|November|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:May|March)(?= \d))\b"
    r"|\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.? ?(?=\d{1,2}\b))"
)
# Searched only in texts that contain the word at all: the prepositions make it a slow pattern.
_PREP_MONTH_RE = re.compile(
    r"(?<![\w-])(?i:in|of|since|until|by|from|through|last|next|early|late|mid-?) (May|March)\b"
)
ABBREV = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september", "oct": "october",
    "nov": "november", "dec": "december",
}  # fmt: skip
# A year is a date of the event only right after a month ("March 3, 2021") or "in" ("in 2021");
# elsewhere ("the most since 2008", "a 2015 law") it is background that two reports of one event
# often differ on, so it is not typed at all.
_YEAR_CUE_RE = re.compile(
    r"(?:\b(?i:in)|(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)(?: \d{1,2})?,?) $"
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# Month names and their abbreviations as words ("sept", "dec"), for readers of folded words.
MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
# Every figure in one pass (a few per text), typed afterwards: currency sign, digits, unit.
_FIG_RE = re.compile(
    r"(?=[$£€\d])([$£€]\s?)?(\d[\d,]*(?:\.\d+)?)(?:\s*(%)|\s*(percentage points?|percent|per cent"
    r"|thousand|million|billion|trillion|bn|m)\b)?",
    re.I,
)
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+")
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
_DIGIT_RE = re.compile(r"\d")


def _amount(digits: str, scale: str | None) -> str:
    value = float(digits.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)
    return f"{value:.3g}"  # "$1.2 billion" and "$1,200 million" meet; rounding noise doesn't split


def marks(text: str) -> dict[str, frozenset[str]]:
    """Kind -> the values `text` mentions of it (kinds not mentioned are absent)."""
    found: dict[str, set[str]] = {}
    for name, abbrev in _DATE_RE.findall(text):
        word = name.lower() or ABBREV[abbrev.lower()]
        found.setdefault("w" if word in WEEKDAYS else "m", set()).add(word)
    if "May" in text or "March" in text:
        for word in _PREP_MONTH_RE.findall(text):
            found.setdefault("m", set()).add(word.lower())
    if _DIGIT_RE.search(text) is None:  # most headlines and many leads: no figure to look for
        return {k: frozenset(v) for k, v in found.items()}
    for m in _FIG_RE.finditer(text):
        sign, digits, pct, unit = m.groups()
        digits = digits.rstrip(",")
        start = m.start(2)
        if start and (text[start - 1] in ".," or text[start - 1].isdigit()):
            continue  # the tail of "1.2.3" or "4,5": not a figure of its own
        unit = unit.lower() if unit else None
        if sign:
            kind, value = "$", _amount(digits, unit)
        elif pct or (unit is not None and unit.startswith("per")):
            kind, value = "%", f"{float(digits.replace(',', '')):g}"
        elif unit in ("thousand", "million", "billion", "trillion"):
            kind, value = "c", _amount(digits, unit)
        elif _THOUSANDS_RE.fullmatch(digits):
            kind, value = "c", _amount(digits, None)
        elif len(digits) == 4 and digits[:2] in ("19", "20"):
            if _YEAR_CUE_RE.search(text, max(0, start - 24), start) is None:
                continue
            kind, value = "y", digits
        elif len(digits) >= 4 and digits.isdigit():
            kind, value = "c", _amount(digits, None)  # "12000 jobs": a count without commas
        else:
            continue
        found.setdefault(kind, set()).add(value)
    return {k: frozenset(v) for k, v in found.items()}


def conflicts(
    a: dict[str, frozenset[str]], b: dict[str, frozenset[str]], kinds: str
) -> tuple[float, float]:
    """(agree, conflict) over `kinds`: some shared value; some kind both state with none shared."""
    agree = conflict = 0.0
    for k in kinds:
        va = a.get(k)
        if va is None:
            continue
        vb = b.get(k)
        if vb is None:
            continue
        if va & vb:
            agree = 1.0
        else:
            conflict = 1.0
    return agree, conflict
