"""Numbers read with their scale, unit and role, for checking the LLM writer's figures.

A bare digit string is weak evidence: "$6.16 billion" in a source must not ground "$6.16 million",
and the day of "March 12" must not ground "killed 12 people". Each number is read as a value
(times its scale), a unit (a currency or per cent) and a role (a count, a date, a time, a label
such as "F-35"), and a written number is grounded only by a source number agreeing on all three.
Numbers written as words ("fourteen billion", "eight hundred", "thousands") are read the same way,
so a spelling cannot carry an invented figure past the check that stops it in digits, and so are
ordinals and fractions (`ordinal_words`: "third", "two-thirds"). A date keeps its month and a time
its a.m. or p.m. ("14:30" is 2:30 p.m.); weekdays and months named in the text are read in
`calendar_words`: "April 12" is not the sources' "March 12", nor "Friday" their "Tuesday".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.summarize.ordinal_words import TOKEN_RE as _ORDINAL_TOKEN_RE
from bot.summarize.ordinal_words import ordinal_words
from bot.textutil import opening_letters

# Capitalised, as dates are written: "12 may have died" is no date.
_MONTHS = (
    r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
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
# \Z, not $: "$" also matches before a final line break, which made the "Two" opening a line
# after a headline ending "... Act" a label.
_LABEL_BEFORE_RE = re.compile(r"[^\W\d_]-?\Z")
# "12/03/2024", "2024-03-12"; a hyphen alone is as often a range or a score ("10-12", "2-1").
_NUMERIC_DATE_BEFORE_RE = re.compile(r"\d/$|\b\d{4}-(?:\d{1,2}-)?$")
# ... and after it: a time, an ordinal or the month of a date, a scale, a unit.
_TIME_AFTER_RE = re.compile(r"^(?::\d|\s?[ap]\.?m\b\.?)", re.IGNORECASE)
_TIME_BEFORE_RE = re.compile(r"\d:$")
# "3 p.m." is not "3 a.m.": the half of the day, read past the minutes of "10:30 am".
_MERIDIEM_AFTER_RE = re.compile(r"^(?::\d\d)?\s?([ap])\.?m\b", re.IGNORECASE)
_CLOCK_AFTER_RE = re.compile(r"^:\d\d\b")
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
# What makes a number from 1800 to 2199 a year, not a count: a dating word ("in 2019", "since
# 2008") or a determiner ("the 2024 elections", "her 2020 campaign", "Tesla's 2024 sales").
YEAR_BEFORE_RE = re.compile(
    r"(?:\b(?:in|since|by|of|until|till|from|before|after|during|through|the|this|that|his|her"
    r"|its|their|our|whose)|['’]s)\s+$",
    re.IGNORECASE,
)
# ... and what makes it a count: a plural noun after it ("2000 homes", "1820 cars"), not a verb
# ("2019 was", "2024 marks").
COUNTED_AFTER_RE = re.compile(
    r"^\s+(?:more\s+|other\s+|new\s+)?"
    r"(?!(?:does|says|goes|gets|makes|marks|comes|takes|gives|shows|looks|seems|sees|saw)\b)"
    r"(?:[a-z]{2,}[^\Ws\d_]s|people|children|men|women|staff"
    r"|personnel|police|cattle|sheep)\b"
)
# A date, a year or an ordinal may ground one another ("the 12th" and "March 12"), never a count.
_DAYLIKE = frozenset({"date", "year", "ordinal"})

# Figures written as words. A lone "one" is left out: "one of the", "no one" are rarely a count;
# in "one hundred" or "twenty-one" it is read.
_SMALL_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
} | {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_MULTIPLIERS = {"dozen": 12, "hundred": 100, "thousand": 10**3, "million": 10**6}
_MULTIPLIERS |= {"billion": 10**9, "trillion": 10**12}
_NUMBER_WORD_RE = re.compile(
    rf"\b{opening_letters([*_SMALL_NUMBERS, *_MULTIPLIERS])}(?:"
    + "|".join([*_SMALL_NUMBERS, *_MULTIPLIERS])
    + r")\b",
    re.IGNORECASE,
)
# What may sit between the words of one number: "twenty-five", "two hundred and fifty".
_WORD_GAP_RE = re.compile(r"\s*-\s*|\s+|\s+and\s+", re.IGNORECASE)
# "14 million" is read with its digits; "a hundred" is a hundred.
_DIGIT_BEFORE_RE = re.compile(r"\d[\s-]*$")
_A_BEFORE_RE = re.compile(r"\ba\s+$", re.IGNORECASE)
# Rough counts: "thousands" claims 2,000 up to a million, so it needs a source count in that range
# (or a rougher source word inside it: "tens of thousands"), not any number at all.
_ROUGH_OF = "tens dozens hundreds".split()
_ROUGH_WORDS = "dozens hundreds thousands millions billions trillions".split()
_ROUGH_RE = re.compile(
    rf"\b{opening_letters([*_ROUGH_OF, *_ROUGH_WORDS])}"
    rf"(?:({'|'.join(_ROUGH_OF)})\s+of\s+)?({'|'.join(_ROUGH_WORDS)})\b",
    re.IGNORECASE,
)
_ROUGH_SCALES = {"tens": 10, "dozens": 12, "hundreds": 100, "thousands": 10**3}
_ROUGH_SCALES |= {"millions": 10**6, "billions": 10**9, "trillions": 10**12}
_NUMBER_TOKEN_RE = re.compile(
    rf"(?:{'|'.join([*_SMALL_NUMBERS, *_MULTIPLIERS, *_ROUGH_SCALES])})"
    rf"(?:-(?:{'|'.join(_SMALL_NUMBERS)}))?",
    re.IGNORECASE,
)
# "millions of dollars": the unit comes after an "of".
_OF_UNIT_RE = re.compile(r"^\s+of(?=\s+(?:us\s)?(?:dollars|euros|pounds|yen)\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as read. A rough count ("thousands") runs from `value` up to, not including,
    `upper`; a date may carry its month ("mar") and a time its half of the day ("a", "p")."""

    raw: str
    value: Decimal
    unit: str
    role: str
    upper: Decimal | None = None
    month: str | None = None
    meridiem: str | None = None


def _unit(word: str) -> str:
    word = word.lower().replace(" ", "")
    if word == "%" or word.startswith("per"):
        return "%"
    if word in _UNIT_WORDS:
        return _UNIT_WORDS[word]
    return _UNIT_WORDS.get(word.removeprefix("us").removesuffix("s"), "")


def _role(raw: str, before: str, after: str, value: Decimal, unit: str, scaled: bool) -> str:
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
    if not unit and not scaled and _year(raw, before, after, value):
        return "year"
    return "count"


def _year(raw: str, before: str, after: str, value: Decimal) -> bool:
    """Whether a whole number in a year's range reads as one: never with a thousands separator
    ("1,941"), and before a counted noun ("2000 homes") only when a dating word precedes it."""
    if "," in raw or value != value.to_integral_value() or not 1800 <= value <= 2199:
        return False
    return YEAR_BEFORE_RE.search(before) is not None or not COUNTED_AFTER_RE.match(after)


def _quantity(
    raw: str, value: Decimal, before: str, after: str, rest: str, scaled: bool
) -> Quantity:
    """`raw` read in its context: `rest` is what follows it past any scale word."""
    currency = _CURRENCY_BEFORE_RE.search(before)
    unit_word = _UNIT_AFTER_RE.match(rest)
    unit = currency.group(1) if currency else _unit(unit_word.group(1)) if unit_word else ""
    role = _role(raw, before, after, value, unit, scaled)
    month = meridiem = None
    if role == "date":
        named = _MONTH_BEFORE_RE.search(before) or _DATE_AFTER_RE.match(after)
        month = named.group(1)[:3].lower() if named else None
    elif role == "time":
        half = _MERIDIEM_AFTER_RE.match(after)
        meridiem = half.group(1).lower() if half else None
        if meridiem is None and _CLOCK_AFTER_RE.match(after) and (value == 0 or 12 < value < 24):
            # "14:30" is "2:30 p.m." and "00:15" is "12:15 a.m.": one time, two clocks.
            value, meridiem = (value - 12, "p") if value else (Decimal(12), "a")
    return Quantity(raw, value, unit, role, month=month, meridiem=meridiem)


def _digit_quantities(text: str) -> Iterator[tuple[int, Quantity]]:
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
        rest = after[scale.end() :] if scale else after
        yield match.start(), _quantity(raw, value, before, after, rest, bool(scale))


def _joins(text: str, prev: re.Match[str], word: re.Match[str]) -> bool:
    """Whether `word` continues the number `prev` ends: "twenty-five", "eight hundred", "two
    hundred and fifty", but not "two or three", "five, six", "between two and three"."""
    gap = text[prev.end() : word.start()]
    if not _WORD_GAP_RE.fullmatch(gap):
        return False
    before, this = prev.group(0).lower(), word.group(0).lower()
    with_and = "and" in gap.lower()
    if this in _MULTIPLIERS:
        return not with_and and _MULTIPLIERS.get(before, 0) < _MULTIPLIERS[this]
    if before in _MULTIPLIERS:
        return True
    return not with_and and _SMALL_NUMBERS[before] >= 20 and 0 < _SMALL_NUMBERS[this] < 10


def _word_value(run: list[re.Match[str]]) -> int:
    total = current = 0
    for match in run:
        word = match.group(0).lower()
        if word in _SMALL_NUMBERS:
            current += _SMALL_NUMBERS[word]
        elif _MULTIPLIERS[word] < 1000:
            current = (current or 1) * _MULTIPLIERS[word]
        else:
            total += (current or 1) * _MULTIPLIERS[word]
            current = 0
    return total + current


def _word_runs(text: str) -> Iterator[list[re.Match[str]]]:
    run: list[re.Match[str]] = []
    for match in _NUMBER_WORD_RE.finditer(text):
        if run and _joins(text, run[-1], match):
            run.append(match)
            continue
        if run:
            yield run
        run = [match]
    if run:
        yield run


def _word_quantities(text: str, small_words: bool) -> Iterator[tuple[int, Quantity]]:
    for run in _word_runs(text):
        start, end = run[0].start(), run[-1].end()
        small = len(run) == 1 and _SMALL_NUMBERS.get(run[0].group(0).lower(), 11) <= 10
        if small and run[0].group(0).lower() == "one":
            continue
        if run[0].group(0).lower() in _MULTIPLIERS:
            if _DIGIT_BEFORE_RE.search(text[max(0, start - 8) : start]):
                continue
            article = _A_BEFORE_RE.search(text[max(0, start - 8) : start])
            start -= len(article.group(0)) if article else 0
        # Read by what follows only: a month before a word is the end of a sentence ("the end
        # of May. Six Republicans ..."), not a date, and a word is never glued to a label.
        after = text[end : end + 24]
        value = Decimal(_word_value(run))
        quantity = _quantity(text[start:end], value, "", after, after, False)
        if small and not small_words and quantity.meridiem is None:
            continue  # a count in passing, but a time ("three a.m.") is checked
        yield start, quantity
    for match in _ROUGH_RE.finditer(text):
        scale = _ROUGH_SCALES[match.group(2).lower()]
        scale *= _ROUGH_SCALES[match.group(1).lower()] if match.group(1) else 1
        low, high = 2 * scale, (1000 if scale >= 1000 and not match.group(1) else 10) * scale
        after = text[match.end() : match.end() + 24]
        of = _OF_UNIT_RE.match(after)
        rest = after[of.end() :] if of else after
        unit_word = _UNIT_AFTER_RE.match(rest)
        unit = _unit(unit_word.group(1)) if unit_word else ""
        yield match.start(), Quantity(match.group(0), Decimal(low), unit, "count", Decimal(high))


def is_number_word(token: str) -> bool:
    """Whether `token` is a figure written as one word ("Twenty-six", "Thousands"), which is
    checked as a number: capitalised to open a sentence, it is no name."""
    return (
        _NUMBER_TOKEN_RE.fullmatch(token) is not None
        or _ORDINAL_TOKEN_RE.fullmatch(token) is not None
    )


# "half a billion" is 500 million, not a half and a billion: one count, as "500 million" is.
# Not the end of "two and a half million" (2.5 million), which the other readings take whole.
_HALF_SCALE_RE = re.compile(
    r"(?<!and )(?<!and a )\b(?:a\s+)?half(?:\s+an?)?\s+(million|billion|trillion)\b", re.I
)


def _half_scales(text: str) -> tuple[list[tuple[int, Quantity]], str]:
    """The "half a million" counts of `text`, and `text` with them blanked out."""
    found: list[tuple[int, Quantity]] = []
    for match in _HALF_SCALE_RE.finditer(text):
        value = Decimal(_MULTIPLIERS[match.group(1).lower()]) / 2
        before, after = text[max(0, match.start() - 24) : match.start()], text[match.end() :][:24]
        found.append((match.start(), _quantity(match.group(0), value, before, after, after, True)))
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
    return found, text


def quantities(text: str, *, small_words: bool = True) -> list[Quantity]:
    """Every number in `text` (outside links), in digits or words, as a value, unit and role.

    `small_words=False` leaves out a lone number word up to ten: how prose counts what the
    sources name or give in other units ("the two leaders", "four decades" for 40 years,
    "between two and three thousand"), so a claim is not held to it; a source's "eight months"
    still grounds a claim's "8 months". ("one" is left out always: a pronoun as often.)"""
    text = _URL_RE.sub(" ", text)
    found, text = _half_scales(text)
    found += _digit_quantities(text)
    for word in ordinal_words(text):
        # "first" and "second" are as often "at first" and a unit of time: like a small count,
        # a claim is not held to them.
        if small_words or word.role == "fraction" or word.value > 2:
            raw = text[word.start : word.end]
            found.append((word.start, Quantity(raw, word.value, "", word.role)))
        # "two" of "two-thirds" and "twenty" of "twenty-first" are no count of their own.
        text = text[: word.start] + " " * (word.end - word.start) + text[word.end :]
    found += _word_quantities(text, small_words)
    return [q for _, q in sorted(found, key=lambda pair: pair[0])]


def _agree(q: Quantity, source: Quantity) -> bool:
    """Same role (a date, year or ordinal for one another), and the same month and half of the
    day where both say one: "April 12" is not the "March 12" of a source, nor "3 a.m." its "3 p.m."."""
    if q.role != source.role and not (q.role in _DAYLIKE and source.role in _DAYLIKE):
        return False
    return all(
        mine is None or theirs is None or mine == theirs
        for mine, theirs in ((q.month, source.month), (q.meridiem, source.meridiem))
    )


class SourceQuantities:
    """The numbers of a set of source texts, for `grounds`."""

    def __init__(self, corpus: str) -> None:
        self._exact: dict[tuple[Decimal, str], list[Quantity]] = {}
        self._counts: list[Quantity] = []
        for q in quantities(corpus):
            if q.upper is None:
                self._exact.setdefault((q.value, q.unit), []).append(q)
            if q.role == "count":
                self._counts.append(q)

    def grounds(self, q: Quantity) -> bool:
        """Whether a source number has `q`'s value and unit in a compatible role; for a rough
        count, whether a source count with its unit lies within its range."""
        if q.upper is None:
            return any(_agree(q, s) for s in self._exact.get((q.value, q.unit), ()))
        return any(
            s.unit == q.unit
            and q.value <= s.value
            and (s.value < q.upper if s.upper is None else s.upper <= q.upper)
            for s in self._counts
        )
