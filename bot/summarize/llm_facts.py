"""Facts the LLM writer can get wrong with every word grounded, checked against the sources.

`grounding.ungrounded` asks whether each name and number occurs in a source; a model can still
put them together wrongly. These checks catch the cheap, common cases, each by a rule that
needs the sources to say something else, so an honest paraphrase is rarely refused:

- what a number counts or measures: "900 kilometres" when the sources give 900 metres, "five
  years" when they give two years. A number before a unit of measure (length, weight, area,
  volume, time, votes, seats) must come with that unit in a source; one before another noun must
  not contradict a source that counts that noun with another number, unless a source also
  counts it in words not read for certain ("dozens of years"). Number words up to ten
  count here too ("nine votes", "forty-two years"), decades and centuries as years ("four
  decades" is "forty years"); "one" and a number word before no noun ("one of the", "no
  one") are left alone.
- a count of a noun: a number before a plural noun ("three ministers", "3 senior Labour
  ministers") must count that noun in a source, in digits or words, in any inflection, with the
  words between dropped or others kept ("three of the ministers"): "three ministers resigned" is
  refused when the sources say ministers resigned and, elsewhere, "three days". A noun a source
  counts only roughly ("dozens of homes") is let pass.
- an ordered tally: "2 votes to 7", "by nine to two", "7-2", "seven of the nine" must appear in
  that order in a source, with the same numbers.
- a modifier of kind before a noun ("federal grant", "old slipway"): refused when the sources
  give that noun only another modifier of the kind ("state grant"), of its own family (levels
  of government, new or old, ...); "local", "city", "municipal" and "town" are one level.
- who did an act, and what it was done to (`llm_acts`): "the mayor voted against" when only
  Councillor Dale did; "voted to close the base" when the sources' vote was to keep it open.

What is not checked: a count of a noun in the singular or before no noun ("a 6.1 magnitude
quake"), a count told with another noun of the same meaning (refused: "two suspects" for "two
men"; the real dev set's human summaries had 46 of 4,982 sentences refused by this rule alone,
mostly so), and a person tied to an act through a pronoun in the next sentence (refused: the
extractive summary is used).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from bot.summarize.calendar_words import month_before
from bot.summarize.llm_acts import wrong_actor, wrong_object
from bot.summarize.sentences import stem
from bot.textutil import STOPWORDS, number_forms_as_digits

__all__ = ["misstated"]

_WORD_VALUES = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
        " fifteen sixteen seventeen eighteen nineteen".split()
    )
}
# Tens, alone or with a unit ("forty", "forty-two"): stopping at "twenty" left "in forty years"
# unread, and "40 years" was refused as counting years the sources count otherwise.
_TENS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_WORD_NUM = (
    # Atomic: "forty-two" is one number, never the tally "forty" to "two".
    rf"(?:(?>(?:{'|'.join(_TENS)})(?:[-\s](?:{_UNITS})(?!\w))?)|"
    + "|".join(sorted(_WORD_VALUES, key=len, reverse=True))
    + ")"
)
_NUM = rf"(?:\d[\d,]*(?:\.\d+)?|{_WORD_NUM})"
_NUM_RE = re.compile(rf"(?<![\w$£€¥.,-]){_NUM}(?![\w%]|[.,]\d)", re.IGNORECASE)
# Units of measure and the like: a number before one is a measurement, which must be the
# sources' in both value and unit ("900 metres" is not "900 kilometres").
_MEASURES = frozenset(
    stem(w)
    for w in """
    metre meter kilometre kilometer km mile foot feet yard inch centimetre centimeter millimetre
    millimeter cm mm kilogram kg gram tonne ton litre liter gallon hectare acre second minute
    hour day week month year decade century vote seat storey story floor lane
    """.split()
)
# Words after a number that say its scale or currency, not what it counts: `quantities` reads
# those ("14 million dollars").
_NOT_NOUNS = frozenset(
    """
    million billion trillion thousand hundred m bn k percent per cent dollar dollars euro euros
    pound pounds yen p.m a.m am pm times
    """.split()
)
_YEAR = stem("year")
_IN_YEARS = {stem("decade"): Decimal(10), stem("century"): Decimal(100)}
_UNSURE_RE = re.compile(
    r"\b(?:dozens?|several|scores|hundreds|thousands|millions|few|many|couple|"
    r"(?:hundred|thousand|million|billion)(?:\s+and\s+[a-z-]+)?)\s+(?:of\s+)?([a-z]+)\b",
    re.IGNORECASE,
)
_NOUN_AFTER_RE = re.compile(r"[\s-]+([a-z]+)\b")
# "7 to 2", "nine votes to two", "7-2", "seven of the nine".
_PAIR_RE = re.compile(
    rf"(?<![\w.,-])(?P<a>{_NUM})(?:\s+(?P<noun>votes?|seats?|goals?|points?))?"
    rf"(?:\s+to\s+|\s*[-–]\s*|\s+of\s+(?:the\s+)?)(?P<b>{_NUM})(?![\w%]|[.,]\d)",
    re.IGNORECASE,
)
_TALLY_BEFORE_RE = re.compile(r"\b(?:by|voted|vote\s+of|won|lost|beat|margin\s+of)\s+$", re.I)
# Modifiers that tell one thing of a kind from another, in families whose members exclude one
# another; words of one class inside a family are one kind ("local", "city", "municipal" and
# "town" council are one level of government: "local council" for "city council" was refused).
_FAMILIES: tuple[tuple[frozenset[str], ...], ...] = tuple(
    tuple(frozenset(cls.split()) for cls in family.split("/"))
    for family in (
        "federal national/state provincial regional/county/local city municipal town",
        "private/public",
        "foreign/domestic",
        "former/interim acting/new",
        "deputy/senior/junior",
        "civilian/military",
        "new/old",
        "upper/lower",
        "northern/southern/eastern/western",
    )
)
_KINDS = frozenset(w for family in _FAMILIES for cls in family for w in cls) | {"international"}
_KIND_RE = re.compile(rf"\b({'|'.join(sorted(_KINDS))})\s+([a-z]+)\b", re.IGNORECASE)


def _value(token: str) -> Decimal | None:
    word = token.lower()
    if word in _WORD_VALUES:
        return Decimal(_WORD_VALUES[word])
    tens, _, unit = re.sub(r"[-\s]+", " ", word).partition(" ")
    if tens in _TENS and (not unit or unit in _WORD_VALUES):
        return Decimal(_TENS[tens] + (_WORD_VALUES[unit] if unit else 0))
    try:
        return Decimal(word.replace(",", ""))
    except InvalidOperation:
        return None


def _counted(text: str) -> list[tuple[Decimal, str, str, int]]:
    """Each number before the noun it counts or the unit it measures: (value, noun stem, raw,
    where it starts)."""
    found: list[tuple[Decimal, str, str, int]] = []
    for match in _NUM_RE.finditer(text):
        raw = match.group(0)
        value = _value(raw)
        if value is None or raw.lower() == "one":
            continue
        if re.fullmatch(r"1[89]\d\d|2[01]\d\d", raw) or month_before(text, match.start()):
            continue  # a year, or a day of a month
        noun = _NOUN_AFTER_RE.match(text, match.end())
        if noun is None:
            continue
        word = noun.group(1).lower()
        if word in STOPWORDS or word in _NOT_NOUNS or word in _WORD_VALUES:
            continue
        noun_stem = stem(word)
        # "four decades" is "forty years": one measure, read in one unit.
        if noun_stem in _IN_YEARS:
            value, noun_stem = value * _IN_YEARS[noun_stem], _YEAR
        found.append((value, noun_stem, f"{raw}{noun.group(0)}", match.start()))
    return found


# A count's noun: the first plural among the few words after its number, past its adjectives
# and proper names ("three senior Labour ministers"); a source's count reaches as far, past an
# "of the" ("three of the ministers"), so the answer may drop or keep the words between.
_COUNT_REACH = 4
_PHRASE_RE = re.compile(r"(?:[\s\"“”‘-]+[A-Za-z][\w'’]*)+")
_OF_WORDS = frozenset("the its their his her our those these".split())
# Stopwords a count may have before its noun ("31 new cases", "three more ministers").
_BEFORE_NOUNS = frozenset("new more other".split())
_SINGULARS = {"men": "man", "women": "woman", "children": "child", "feet": "foot", "teeth": "tooth"}
_IRREGULAR_PLURALS = frozenset(["people", "mice", "geese", *_SINGULARS])


def _plural(word: str) -> bool:
    """Whether a lowercase `word` is a plural noun by its form ("ministers", "people")."""
    word = word.rstrip("'’")
    if word in _IRREGULAR_PLURALS:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _noun_stem(word: str) -> str:
    word = word.lower()
    return stem(_SINGULARS.get(word, word))


def _phrase(text: str, end: int, *, of: bool = False) -> list[str]:
    """The words after a number that may name what it counts, up to a stopword or punctuation;
    `of`: past an "of the" first ("three of the ministers")."""
    run = _PHRASE_RE.match(text, end)
    if run is None:
        return []
    words = re.sub(r"[\"“”‘-]", " ", run.group(0)).split()
    if of and words and words[0].lower() == "of":
        words = words[2:] if len(words) > 1 and words[1].lower() in _OF_WORDS else words[1:]
    phrase: list[str] = []
    for word in words[:_COUNT_REACH]:
        lower = word.lower()
        if (lower in STOPWORDS and lower not in _BEFORE_NOUNS) or lower in _NOT_NOUNS:
            break
        phrase.append(word)
    return phrase


def _numbers(text: str) -> Iterable[tuple[Decimal, re.Match[str]]]:
    """Each number of `text` that may count something: not "one", a year or a day of a month,
    nor a number ending a clause ("White, 49, faces") or after a slash ("9/11")."""
    for match in _NUM_RE.finditer(text):
        raw = match.group(0)
        value = _value(raw)
        if value is None or raw.lower() == "one" or raw.endswith(","):
            continue
        if text[max(0, match.start() - 1) : match.start()] == "/":
            continue
        if re.fullmatch(r"1[89]\d\d|2[01]\d\d", raw) or month_before(text, match.start()):
            continue
        yield value, match


def _in_years(value: Decimal, noun: str) -> tuple[Decimal, str]:
    """ "four decades" is "forty years": one measure, read in one unit."""
    if noun in _IN_YEARS:
        return value * _IN_YEARS[noun], _YEAR
    return value, noun


def _counts_given(source: str) -> set[tuple[Decimal, str]]:
    """Each number with every word its count may reach: (value, word stem)."""
    return {
        _in_years(value, _noun_stem(word))
        for value, match in _numbers(source)
        for word in _phrase(source, match.end(), of=True)
    }


def _uncounted(text: str, sources: Sequence[str]) -> str | None:
    """A count of a noun no source counts with that number: "three ministers resigned" when
    the sources say ministers resigned and, elsewhere, "three days". Each number word in it is
    grounded, so only the pair tells the invented count."""
    in_pairs = [range(m.start(), m.end()) for m in _PAIR_RE.finditer(text)]
    given: set[tuple[Decimal, str]] | None = None
    unsure: set[str] = set()
    for value, match in _numbers(text):
        if any(match.start() in span for span in in_pairs):
            continue  # a tally's numbers are `_wrong_pair`'s
        if text.startswith("-", match.end()):
            continue  # "a two-dose vaccine", "a 20-year-old": a measure, `_wrong_count`'s
        phrase = _phrase(text, match.end())
        noun = next((w for w in phrase if w.islower() and _plural(w)), None)
        if noun is None:
            continue  # no plural noun after it ("a 6.1 magnitude quake", "hit 40"): no count
        if given is None:  # read the sources only for a text that counts something
            given = {pair for source in sources for pair in _counts_given(source)}
            unsure = {n for source in sources for n in _unsure(source)}
        key = _noun_stem(noun)
        if key in unsure or _in_years(value, key) in given:
            continue
        end = phrase.index(noun)
        return " ".join([match.group(0), *phrase[: end + 1]])
    return None


def _unsure(source: str) -> set[str]:
    """Nouns a source counts in words this module does not read as one number ("dozens of
    years", "two hundred years", "a few votes"): no count of them can be called contradicted."""
    return {
        stem(m.group(1).lower())
        for m in _UNSURE_RE.finditer(source)
        if m.group(1).lower() not in STOPWORDS
    }


def _pairs(text: str) -> list[tuple[Decimal, Decimal, bool, str]]:
    """Ordered pairs of numbers: (first, second, whether a tally, raw)."""
    found: list[tuple[Decimal, Decimal, bool, str]] = []
    for match in _PAIR_RE.finditer(text):
        a, b = _value(match.group("a")), _value(match.group("b"))
        if a is None or b is None:
            continue
        joiner = text[match.end("a") : match.start("b")].lower()
        tally = (
            match.group("noun") is not None
            or " of " in f" {joiner} "
            or _TALLY_BEFORE_RE.search(text[: match.start()]) is not None
        )
        found.append((a, b, tally, match.group(0)))
    return found


def _wrong_count(text: str, sources: Sequence[str]) -> str | None:
    claimed = _counted(text)
    if not claimed:
        return None
    given = {(v, n) for s in sources for v, n, _, _ in _counted(s)}
    counted_nouns = {n for _, n in given}
    unsure = {n for s in sources for n in _unsure(s)}
    # A tally's numbers ("nine votes to two") are checked as a pair, in order.
    in_pairs = [range(m.start(), m.end()) for m in _PAIR_RE.finditer(text)]
    for value, noun, raw, start in claimed:
        if (value, noun) in given or any(start in span for span in in_pairs):
            continue
        if noun in unsure:
            continue  # a source's count of it not read for certain: no contradiction to call
        if noun in _MEASURES or noun in counted_nouns:
            return raw
    return None


def _wrong_pair(text: str, sources: Sequence[str]) -> str | None:
    given = {(a, b) for s in sources for a, b, _, _ in _pairs(s)}
    for a, b, tally, raw in _pairs(text):
        if (a, b) in given:
            continue
        if tally or (b, a) in given or any(a in p or b in p for p in given):
            return raw
    return None


def _kind_of(source: str) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for match in re.finditer(
        rf"\b({'|'.join(sorted(_KINDS))})(?:['’]s)?\s+(?:[a-z]+\s+)?([a-z]+)\b",
        source,
        re.IGNORECASE,
    ):
        kinds.setdefault(stem(match.group(2).lower()), set()).add(match.group(1).lower())
    # "a state resilience grant": the kind word reaches over one word to the noun, and the word
    # between is a noun of its own too.
    for match in _KIND_RE.finditer(source):
        kinds.setdefault(stem(match.group(2).lower()), set()).add(match.group(1).lower())
    return kinds


def _wrong_kind(text: str, sources: Sequence[str]) -> str | None:
    matches = list(_KIND_RE.finditer(text))
    if not matches:
        return None
    kinds: dict[str, set[str]] = {}
    for source in sources:
        for noun, words in _kind_of(source).items():
            kinds.setdefault(noun, set()).update(words)
    for match in matches:
        kind, noun = match.group(1).lower(), stem(match.group(2).lower())
        if noun in kinds and _contradicts(kind, kinds[noun]):
            return match.group(0)
    return None


def _contradicts(kind: str, given: set[str]) -> bool:
    """Whether the sources give a noun only other kinds of `kind`'s family, none of its class:
    "federal" against "state", not "local" against "city", nor "new" against "state"."""
    for family in _FAMILIES:
        mine = [cls for cls in family if kind in cls]
        if not mine:
            continue
        if any(given & cls for cls in mine):
            return False
        if any(given & cls for cls in family):
            return True
    return False


def misstated(text: str, sources: Iterable[str]) -> str | None:
    """The first part of `text` the sources state otherwise (see the module docstring), or None."""
    # "Ⅶ ministers" counts ministers as "7 ministers" does (`grounding.ungrounded` reads so too).
    text = number_forms_as_digits(text)
    texts = [number_forms_as_digits(source) for source in sources]
    for check in (_wrong_pair, _wrong_count, _uncounted, _wrong_kind, wrong_actor, wrong_object):
        found = check(text, texts)
        if found is not None:
            return found
    return None
