"""Typed mentions that pin an article to one occurrence of a recurring event.

Recurring news (a monthly price report, weekly jobless claims, the n-th guidance update) repeats
the same vocabulary every time; what differs is the figure and the date: "prices rose 4.2% in
April" vs "5.4% in June", "claims fell to 498,000" vs "473,000". Plain number tokens can't tell a
conflicting headline figure from an unrelated year or count, so mentions are typed, and two
articles *conflict* on a type when both state it and share no value.
"""

from __future__ import annotations

import re

# Kinds: "m" month, "w" weekday, "y" year, "%" percentage, "$" money, "c" large count.
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
# "May" is a verb (and a prime minister) far more often than a month: only a dated "May 3" or
# "in May" counts. Other month names are capitalised words that mean nothing else in news.
_MONTH_RE = re.compile(
    r"\b(?:(January|February|March|April|June|July|August|September|October|November|December)"
    r"|(?<=\bin )(May)|(May)(?= \d))\b"
)
_WEEKDAY_RE = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_YEAR_RE = re.compile(r"(?<![\d$.,])((?:19|20)\d\d)(?![\d%])")
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
_PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b|percentage point)")
_MONEY_RE = re.compile(
    r"[$£€]\s?(\d[\d,]*(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion|bn|m)\b)?", re.I
)
# A count with thousands separators or a scale word: "498,000 claims", "5 million doses".
_COUNT_RE = re.compile(
    r"(?<![$£€\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?\s+(?:thousand|million|billion|trillion))"
    r"(?![\d%])",
    re.I,
)
_DIGIT_RE = re.compile(r"\d")
KINDS = ("m", "w", "y", "%", "$", "c")


def _amount(digits: str, scale: str | None) -> str:
    value = float(digits.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)
    return f"{value:.3g}"  # "$1.2 billion" and "$1,200 million" meet; rounding noise doesn't split


def marks(text: str) -> dict[str, frozenset[str]]:
    """Kind -> the values `text` mentions of it (kinds not mentioned are absent)."""
    found: dict[str, set[str]] = {}

    def add(kind: str, value: str) -> None:
        found.setdefault(kind, set()).add(value)

    for m in _MONTH_RE.finditer(text):
        add("m", next(g for g in m.groups() if g).lower())
    for m in _WEEKDAY_RE.finditer(text):
        add("w", m.group(1).lower())
    if _DIGIT_RE.search(text) is None:  # most headlines and many leads: no figure to look for
        return {k: frozenset(v) for k, v in found.items()}
    for m in _YEAR_RE.finditer(text):
        add("y", m.group(1))
    for m in _PERCENT_RE.finditer(text):
        add("%", f"{float(m.group(1)):g}")
    money_spans = []
    for m in _MONEY_RE.finditer(text):
        add("$", _amount(m.group(1), m.group(2)))
        money_spans.append(m.span())
    for m in _COUNT_RE.finditer(text):
        if any(a <= m.start() < b for a, b in money_spans):
            continue
        digits, *scale = m.group(1).split()
        add("c", _amount(digits, scale[0] if scale else None))
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
