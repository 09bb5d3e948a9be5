"""The figures a claim gives, counts and years, and when two claims give one figure.

A count carries the word after it ("300 passengers"), a weak hint of what it counts; a year the
words that date it ("founded in"). Two claims give one figure when the values agree, one maybe
rounded, in one role. A number in a year's range may be read as a year in one outlet's words
and as a count in another's ("2022 profits" and "profits ... in 2022"), and then is one figure,
unless the words around it settle both readings: "2,000 people" or "2000 people" counts, and
"since 2000" dates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from bot.summarize.quantities import COUNTED_AFTER_RE, YEAR_BEFORE_RE, quantities
from bot.summarize.sentences import stem
from bot.text_cache import SENTENCE_CHARS, text_cache


@dataclass(frozen=True, slots=True)
class Count:
    """A figure that counts something: its unit ("€", "%", else empty) and the word after it
    ("passeng" of "300 passengers", "kill" of "14 killed"), a weak hint of what it counts.
    `role` "year" for a dated year ("in 2019"), which is never a claim's main figure."""

    value: Decimal
    upper: Decimal | None
    unit: str
    noun: str
    role: str = "count"
    # The two words before a year ("founded in"): what dates it, as the noun hints what a count is.
    lead: str = ""
    grouped: bool = False  # written with a thousands separator ("2,000"): a count, never a year
    # Before a noun of things counted ("2000 people", "2000 homes"), not one a year qualifies
    # ("2022 profits"): a count, unless the other reading is only a year by its determiner.
    counted: bool = False
    # A year after a word that dates it ("since 2000", "in 2000"), not a determiner ("the 2000").
    dated: bool = False


# Nouns a year qualifies as the period or the event it names ("2022 profits", "the 2024
# elections"): a number in a year's range before one may be either reading. Stemmed below.
_YEAR_NOUNS = """
    profits sales earnings revenues results returns figures accounts budgets forecasts estimates
    targets levels prices rates taxes emissions elections primaries midterms polls games olympics
    finals playoffs championships awards graduates models editions campaigns season seasons
    """.split()
# Words that date the year after them (`YEAR_BEFORE_RE` less its determiners).
_DATING_WORDS = frozenset("in since by of until till from before after during through".split())
# What may sit between a figure and what it counts.
_SCALE_WORDS = frozenset("thousand million billion trillion of more than about some".split())
_KIND_RE = re.compile(r"[^\W\d_][\w'’-]*")


# What may follow a figure that ends its phrase: punctuation, the text's end, a preposition.
_CLAUSE_GOES_ON_RE = re.compile(
    r"\s*(?:[^\w\s]|$|(?:on|in|at|from|by|as|after|and|or|to|since|for|with)\b)", re.IGNORECASE
)


@lru_cache(maxsize=1)
def _year_noun_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in _YEAR_NOUNS)


def claim_counts(text: str) -> tuple[Count, ...]:
    found: list[Count] = []
    cursor = 0
    for q in quantities(text):
        at = text.find(q.raw, cursor)
        cursor = at + len(q.raw) if at >= 0 else cursor
        role = q.role
        # A year standing alone ("raised the toll to 1941 on Tuesday") may as well be a count,
        # and read as a year it would be compared with nothing: an outlet's 1,419 would back it.
        # One that qualifies a word ("joins 2020 race") is a year.
        if (
            role == "year"
            and at >= 0
            and not YEAR_BEFORE_RE.search(text[max(0, at - 24) : at])
            and _CLAUSE_GOES_ON_RE.match(text, cursor)
        ):
            role = "count"
        if role not in ("count", "year"):
            continue
        noun = lead = ""
        if role == "year":
            lead = " ".join(text[max(0, at - 40) : at].casefold().split()[-2:])
        if at >= 0:
            after = (w.casefold() for w in _KIND_RE.findall(text[cursor : cursor + 40]))
            noun = next((stem(w) for w in after if w not in _SCALE_WORDS), "")
        counted = (
            role == "count"
            and at >= 0
            and COUNTED_AFTER_RE.match(text[cursor : cursor + 40]) is not None
            and noun not in _year_noun_stems()
        )
        dated = role == "year" and lead.rpartition(" ")[2].lstrip("(\"“‘'") in _DATING_WORDS
        found.append(
            Count(q.value, q.upper, q.unit, noun, role, lead, "," in q.raw, counted, dated)
        )
    return tuple(found)


def same_amount(a: Decimal, b: Decimal) -> bool:
    """Whether two values are one quantity, one of them maybe rounded: "212,000" and "212,672",
    "$2.4 billion" and "$2.43 billion". The round one must be round to a place the other lies
    within, and close in relative terms: "200 workers" is not "250 workers"."""
    if a == b:
        return True
    low, high = sorted((abs(a), abs(b)))
    if high == 0 or (high - low) / high >= Decimal("0.05"):
        return False
    for value in (a, b):
        if value != value.to_integral_value():
            continue
        digits = str(abs(int(value)))
        zeros = len(digits) - len(digits.rstrip("0"))
        if zeros >= 2 and high - low < 10**zeros:
            return True
    return False


def _same(a: Count, b: Count) -> bool:
    """One figure in two sentences: the word after it is left out, as "14 killed" and "killed
    14 workers" give one toll."""
    if {a.role, b.role} == {"year", "count"}:
        # "2022 profits" and "profits … in 2022", "built 1932" and "built in 1932": one number
        # read two ways where the words around it are all that tell. Not "2,000 homes" and "in
        # 2000": the separator settles it a count; nor "2000 people" and "since 2000", each
        # settled by its words, a counted noun and a dating word.
        count, year = (a, b) if a.role == "count" else (b, a)
        if count.grouped or (count.counted and year.dated):
            return False
        return a.value == b.value and 1800 <= a.value <= 2199
    if a.role != b.role or (a.unit and b.unit and a.unit != b.unit):
        return False
    if a.upper is not None or b.upper is not None:
        return a.value == b.value and a.upper == b.upper
    return same_amount(a.value, b.value)


def _rival(a: Count, b: Count) -> bool:
    """Whether two different figures may be two statements of one quantity: nothing shows they
    count different things (another unit, or another word after them). Two years rival when
    the same words date them: "founded in 1911" is not "founded in 1921", but "by 2030" and
    "from 2005 levels" are two dates of one pledge."""
    if a.role != b.role or (a.unit and b.unit and a.unit != b.unit):
        return False
    if a.role == "year":
        return a.lead == b.lead
    return a.noun == b.noun or not a.noun or not b.noun


def main_figure(counts: Sequence[Count]) -> Count | None:
    """A claim's main figure: its first count (a year is never one)."""
    return next((c for c in counts if c.role == "count"), None)


def figures_agree(
    mine: Sequence[Count], theirs: Sequence[Count], *, adds_none: bool = False
) -> bool:
    """Whether `sentence` gives the bullet's main figure and states none of its others
    differently. A figure it simply leaves out ("300 passengers") is no contradiction; one of
    what may be the same quantity with another value is (see `_rival`).
    `adds_none`: the sentence may give no figure the bullet lacks (a shorter report of it)."""
    main = main_figure(mine)
    if main and not any(_same(main, t) for t in theirs):
        return False
    missing = [m for m in mine if not any(_same(m, t) for t in theirs)]
    extra = [t for t in theirs if not any(_same(m, t) for m in mine)]
    # A headline's year ("joins 2020 race") adds no claim the bullet lacks.
    if adds_none and any(t.role == "count" for t in extra):
        return False
    return not any(_rival(m, t) for m in missing for t in extra)


# A sentence's counts asked again for each sentence it is compared with (`one_count`, in the
# TL;DR search's repeat check: 46,000 pairs on the dev stories; `support`'s claims): one
# story's working set.
story_counts = text_cache(maxsize=2048, max_chars=SENTENCE_CHARS)(claim_counts)

# A count this large is rarely two facts' by chance ("500 million doses"); a smaller one ("two
# people") needs a unit to say the same of two sentences.
ONE_COUNT_MIN = Decimal(100)


def one_count(a_text: str, b_text: str, a_stems: frozenset[str], b_stems: frozenset[str]) -> bool:
    """Whether the two sentences (with their content stems) give one count of one thing and
    share a word besides it and its noun: "would donate another half billion doses" and "is to
    donate 500 million more doses", in digits or in words (`quantities`: "half a billion" is
    500 million), one of them maybe rounded. Another count of that thing is no such pair."""
    shared = a_stems & b_stems
    for a in story_counts(a_text):
        if a.role != "count" or not a.noun or a.upper is not None:
            continue
        if a.value < ONE_COUNT_MIN and not a.unit:
            continue
        for b in story_counts(b_text):
            if b.noun == a.noun and _same(a, b) and _words_besides(shared, a.noun):
                return True
    return False


def _words_besides(shared: frozenset[str], noun: str) -> bool:
    """Whether `shared` holds a word besides the count's noun, its scale and figures."""
    return any(s != noun and s not in _scale_stems() and not s[:1].isdigit() for s in shared)


@lru_cache(maxsize=1)
def _scale_stems() -> frozenset[str]:
    return frozenset(map(stem, [*_SCALE_WORDS, "hundred", "dozen"]))
