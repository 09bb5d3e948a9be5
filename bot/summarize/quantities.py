"""Numbers read with their scale, unit and role, for checking the LLM writer's figures.

A bare digit string is weak evidence: "$6.16 billion" in a source must not ground "$6.16 million",
and the day of "March 12" must not ground "killed 12 people". Each number is read as a value
(times its scale), a unit (a currency or per cent) and a role (a count, a date, a time, a label
such as "F-35"), and a written number is grounded only by a source number agreeing on all three.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Capitalised, as dates are written: "12 may have died" is no date.
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_NUMBER_RE = re.compile(r"\d[\d,.]*\d|\d")
# Numbers in links are path segments and ids, not facts about the story. A match starts only at
# a token's start: from every position inside a long token without spaces, the scan for "://"
# would rerun to the token's end (quadratic: 20 s on 20,000 characters of feed text).
_URL_RE = re.compile(r"(?<!\S)\S*?(?:://|www\.)\S*", re.IGNORECASE)
# What sits before a number: a currency sign, or the month of a date ("March 12", "Mar. 12,
# 2024"), or a letter it is glued to ("G7", "F-35", "Covid-19").
_CURRENCY_BEFORE_RE = re.compile(r"(?:[A-Z]{1,2})?([$€£¥])\s?$")
_MONTH_BEFORE_RE = re.compile(rf"\b{_MONTHS}\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?$")
_LABEL_BEFORE_RE = re.compile(r"[^\W\d_]-?$")
# "12/03/2024", "2024-03-12"; a hyphen alone is as often a range or a score ("10-12", "2-1").
_NUMERIC_DATE_BEFORE_RE = re.compile(r"\d/$|\b\d{4}-(?:\d{1,2}-)?$")
# ... and after it: a time, an ordinal or the month of a date, a scale, a unit.
_TIME_AFTER_RE = re.compile(r"^(?::\d|\s?[ap]\.?m\b\.?)", re.IGNORECASE)
_TIME_BEFORE_RE = re.compile(r"\d:$")
_DATE_AFTER_RE = re.compile(rf"^(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTHS}\b")
_NUMERIC_DATE_AFTER_RE = re.compile(r"^/\d|^-\d{1,2}-\d{1,2}\b")
_ORDINAL_AFTER_RE = re.compile(r"^(?:st|nd|rd|th)\b", re.IGNORECASE)
_SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mln": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
# One-letter scales only when glued to the number ("$3m", "5bn"): "5 m" is as likely metres.
_SCALE_AFTER_RE = re.compile(
    r"^(?:\s?(thousand|million|mln|mn|billion|bn|trillion|tn)|(k|m|b))\b", re.IGNORECASE
)
_UNIT_AFTER_RE = re.compile(
    r"^\s?(%|percent\b|per\s?cent\b|percentage points?\b"
    r"|(?:us\s)?dollars?\b|euros?\b|pounds?\b|yen\b|usd\b|eur\b|gbp\b|jpy\b)",
    re.IGNORECASE,
)
_UNIT_WORDS = {"dollar": "$", "usd": "$", "euro": "€", "eur": "€", "pound": "£", "gbp": "£"}
_UNIT_WORDS |= {"yen": "¥", "jpy": "¥"}
# A date, a year or an ordinal may ground one another ("the 12th" and "March 12"), never a count.
_DAYLIKE = frozenset({"date", "year", "ordinal"})


@dataclass(frozen=True, slots=True)
class Quantity:
    raw: str
    value: Decimal
    unit: str
    role: str


def _unit(word: str) -> str:
    word = word.lower().replace(" ", "")
    if word == "%" or word.startswith("per"):
        return "%"
    if word in _UNIT_WORDS:
        return _UNIT_WORDS[word]
    return _UNIT_WORDS.get(word.removeprefix("us").removesuffix("s"), "")


def _role(before: str, after: str, value: Decimal, unit: str, scaled: bool) -> str:
    if _TIME_AFTER_RE.match(after) or _TIME_BEFORE_RE.search(before):
        return "time"
    if (
        _MONTH_BEFORE_RE.search(before)
        or _DATE_AFTER_RE.match(after)
        or _NUMERIC_DATE_BEFORE_RE.search(before)
        or _NUMERIC_DATE_AFTER_RE.match(after)
    ):
        return "date"
    if _LABEL_BEFORE_RE.search(before):
        return "label"
    if _ORDINAL_AFTER_RE.match(after):
        return "ordinal"
    if not unit and not scaled and value == value.to_integral_value() and 1800 <= value <= 2199:
        return "year"
    return "count"


def quantities(text: str) -> list[Quantity]:
    """Every digit-written number in `text` (outside links) as a value, unit and role."""
    text = _URL_RE.sub(" ", text)
    found: list[Quantity] = []
    for match in _NUMBER_RE.finditer(text):
        raw = match.group(0).rstrip(".,")
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            continue
        before = text[max(0, match.start() - 24) : match.start()]
        after = text[match.start() + len(raw) : match.start() + len(raw) + 24]
        scale = _SCALE_AFTER_RE.match(after)
        if scale:
            value *= _SCALES[(scale.group(1) or scale.group(2)).lower()]
            rest = after[scale.end() :]
        else:
            rest = after
        currency = _CURRENCY_BEFORE_RE.search(before)
        unit_word = _UNIT_AFTER_RE.match(rest)
        unit = currency.group(1) if currency else _unit(unit_word.group(1)) if unit_word else ""
        found.append(Quantity(raw, value, unit, _role(before, after, value, unit, bool(scale))))
    return found


class SourceQuantities:
    """The numbers of a set of source texts, for `grounds`.

    `word_counts` are the values of figures the sources write as words ("twelve workers"), which
    ground the same figure in digits as a plain count.
    """

    def __init__(self, corpus: str, word_counts: Iterable[str] = ()) -> None:
        self._roles: dict[tuple[Decimal, str], set[str]] = {}
        for q in quantities(corpus):
            self._roles.setdefault((q.value, q.unit), set()).add(q.role)
        for value in word_counts:
            self._roles.setdefault((Decimal(value), ""), set()).add("count")

    def grounds(self, q: Quantity) -> bool:
        """Whether a source number has `q`'s value and unit in a compatible role."""
        roles = self._roles.get((q.value, q.unit), set())
        return q.role in roles or (q.role in _DAYLIKE and bool(roles & _DAYLIKE))
