"""Ordinals and fractions written as words, for checking the LLM writer's figures.

"third" is 3rd, "a third of" and "one-third" are 1/3, "two-thirds" 2/3 and "half of" 1/2: the
model restates a source's figure in either spelling, and a faithful check must credit the
restatement and still catch "two-thirds" written for the sources' "half". One word serves as
both ("the third delay", "a third of the crew"), so the words around it decide which it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from bot.textutil import opening_letters

_ORDINALS = {
    w: i
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split(),
        1,
    )
} | {
    w: 10 * i
    for i, w in enumerate(
        "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split(), 2
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_NUMERATORS = {"a": 1, "an": 1, "one": 1} | {
    w: i for i, w in enumerate("two three four five six seven eight nine ten".split(), 2)
}
# Denominators that are no ordinal: "the second half" and "the third quarter" are periods.
_PARTS = {"half": 2, "halves": 2, "quarter": 4, "quarters": 4}
_DENOMINATORS = _PARTS | {f"{w}s": i for w, i in _ORDINALS.items() if 3 <= i <= 10}
_WORD_RE = re.compile(
    r"(?<![\w'’-])"
    + opening_letters([*_NUMERATORS, *_TENS, *_ORDINALS, *_DENOMINATORS])
    + rf"(?:(?P<num>{'|'.join(_NUMERATORS)})[\s-]+)?"
    rf"(?:(?P<tens>{'|'.join(_TENS)})-)?"
    rf"(?P<word>{'|'.join(sorted([*_ORDINALS, *_DENOMINATORS], key=len, reverse=True))})"
    r"(?![\w'’])",
    re.IGNORECASE,
)
# A fraction is a share of something ("one third of", "cut by one third."); "a third term" and
# "a third-term mayor" count. After "a" or "an" only "of" names a share: "a third, larger blast"
# and "asked for a second." count; and "second" or "first" is never a share ("half" is).
_SHARE_AFTER_RE = re.compile(r"^(?:\s+of\b|\s*(?:(?!-\w)[^\w\s]|$)|\s+(?:more|less|fewer)\b)")
_SHARE_OF_RE = re.compile(r"^\s+of\b")
# After an ordinal, "half" is a period ("the second half"); "and a half" ends a mixed number
# ("two and a half years"), not read; and "half-hour" is one word.
_PERIOD_BEFORE_RE = re.compile(rf"\b(?:other|last|{'|'.join(_ORDINALS)})\s+$", re.IGNORECASE)
_MIXED_BEFORE_RE = re.compile(r"\band\s+$", re.IGNORECASE)
# Every token this module reads, for the name check: a capitalised "Third" or "Two-thirds"
# opening a sentence is a figure, not a name.
TOKEN_RE = re.compile(
    rf"(?:(?:{'|'.join(_NUMERATORS)}|{'|'.join(_TENS)})-)?"
    rf"(?:{'|'.join([*_ORDINALS, *_DENOMINATORS])})",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class OrdinalWord:
    """An ordinal or a fraction as read: `role` is "ordinal" or "fraction"."""

    start: int
    end: int
    value: Decimal
    role: str


def _read(text: str, match: re.Match[str]) -> OrdinalWord | None:
    word = match.group("word").lower()
    num = match.group("num")
    numerator = _NUMERATORS[num.lower()] if num else None
    word_start = match.start("tens") if match.group("tens") else match.start("word")
    before = text[max(0, match.start() - 16) : match.start()]
    after = text[match.end() : match.end() + 8]
    if match.group("tens"):
        value = _TENS[match.group("tens").lower()] + _ORDINALS.get(word, 0)
        return OrdinalWord(word_start, match.end(), Decimal(value), "ordinal")
    if word in _PARTS:
        mixed = num is not None and _MIXED_BEFORE_RE.search(before)
        if mixed or _PERIOD_BEFORE_RE.search(before) or after[:1] == "-":
            return None
        if numerator is None and word != "half":
            return None  # "quarters", "the third quarter": no share named
        share = Decimal(numerator or 1) / Decimal(_PARTS[word])
        return OrdinalWord(match.start(), match.end(), share, "fraction")
    if word in _DENOMINATORS and word not in _ORDINALS:
        if numerator is None:
            return None  # "thirds" alone names no share
        return OrdinalWord(
            match.start(), match.end(), Decimal(numerator) / _DENOMINATORS[word], "fraction"
        )
    share_re = _SHARE_OF_RE if num and num.lower() in ("a", "an") else _SHARE_AFTER_RE
    if numerator is not None and _ORDINALS[word] >= 3 and (numerator > 1 or share_re.match(after)):
        return OrdinalWord(
            match.start(), match.end(), Decimal(numerator) / _ORDINALS[word], "fraction"
        )
    return OrdinalWord(match.start("word"), match.end(), Decimal(_ORDINALS[word]), "ordinal")


def ordinal_words(text: str) -> Iterator[OrdinalWord]:
    """Ordinals ("third", "twenty-first") and fractions ("a third of", "two-thirds", "half of")
    written as words in `text`, each with its span, value and role."""
    for match in _WORD_RE.finditer(text):
        found = _read(text, match)
        if found is not None:
            yield found
