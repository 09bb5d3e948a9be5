"""Whether two sentences telling one kind of act tell two occasions of it: on other dates ("voted
on Monday" / "voted on Thursday") or taking opposite sides of one thing ("voted for the quota" /
"voted against the quota", "ruled in favour of the crews" / "ruled against the crews"). Their
words are nearly the same ("for" and "against" are no content words), so the repeat checks
(`restated`, `candidates._repeats`, the angles') and the support check would count them once;
they are two facts. Verbs that name the act itself ("approved" / "rejected") are the decisive
verbs' business (`verb_groups`), not this module's.

Dates are read as `calendar_words` reads them, and only those of the act: in its own clause, not
in a relative, participle, coordinated or subordinate clause hung on it ("voted to close the
pier, which will shut on Friday", "hit the coast, cutting power ..., and crews expect to restore
it by Tuesday", "voted on Monday, before Thursday's final vote"), nor in one opening the
sentence, which sets the scene ("After talks on Tuesday, the union called off the strike": the
talks' day, as in "... called off the strike after talks on Tuesday"; the act's verb is read past
it too, `acts.verb_clause`), and not a bound ("from March 20", "by Tuesday", "until Friday"). A
time phrase opening it ("On Tuesday, ...", "During talks on Tuesday, ...") dates the act; with
no comma after a scene, where it ends is not read, and no date of the sentence is. Weekdays or
calendar days a day apart may be one event told from two time zones (a vote late on Monday in one
is Tuesday's in another), so only dates further apart tell two occasions; every date of one act
must be so far from every date of the other. A month alone ("in March") is no date of the act: "fell to 4.8% from 5.2% in August" and "... in
September" tell one report. Nor is a report's date ("The Sun reported on Monday that the club
sacked its manager", "..., police said on Monday": `reports`): outlets report one act on their
own days. Two reports days apart are two occasions only when one speaker made both ("Mayor Ola
Berg said on Monday that ..." / "... on Thursday that ..."), the remark being the fact.

Sides are opposite only on one thing: "ruled in favour of Quayline" and "ruled against the ferry
crews" tell one ruling from its two parties' sides. What a side is taken on runs from "for" or
"against" to the next clause break or preposition; a side taken on nothing named ("voted
against", "voted against it") is taken on whatever the other sentence names. Nor are two shares
of one vote opposite: "60% voted for it" and "40% voted against it" tell one result from its two
sides, their shares summing to about 100 (`_complementary`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.summarize.calendar_words import calendar_names
from bot.summarize.reports import BREAK_RE, report_split
from bot.summarize.sentences import content_stems, stem
from bot.summarize.shared_quotes import one_speaker
from bot.text_cache import SENTENCE_CHARS, text_cache

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
# The share of voters a side's clause gives before its verb: "60% voted for", "40 per cent of
# members voted against".
_SHARE_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s?cent\b|percent\b)", re.I)
# Two shares told from opposite sides are one result when they sum to 100 this nearly: each
# rounded, or a sliver of spoilt ballots left out.
_SHARES_SLACK = 3.0
# Where what a side is taken on ends: a clause break, or a preposition or conjunction leading on
# to the act's background ("ruled against the crews on Monday in their dispute with Quayline").
_OBJECT_END_RE = re.compile(
    r"[,;:.!?()\"“”]|\s[—–-]\s|\s(?:on|in|at|by|over|after|before|during|with|from|as|when|while"
    r"|which|who|that|and|but|or|since|until|amid|despite|following|because)\b",
    re.IGNORECASE,
)

# Words opening a clause other than the act's, after a break or at the sentence's start: a
# relative, a coordinated or a subordinate clause. A dated clause of these tells another event's
# date ("..., which will shut on Friday", "..., and crews expect to restore it by Tuesday").
_OTHER_CLAUSE_OPENERS = frozenset(
    """
    which who whom whose where when while whereas although though because since until till
    before after once and but or nor so yet as amid despite following including
    """.split()
)
# ... and inside a clause, with no break before them, the relatives and subordinators that
# cannot be anything else ("voted on Monday before Thursday's final vote").
_INNER_CUT_RE = re.compile(
    r"\s(?:which|who|whom|whose|while|whereas|although|though|because|until|till|since|before"
    r"|after)\s",
    re.IGNORECASE,
)
# Words before a date that make it a bound, not the act's day: "close the pier from March 20",
# "restore it by Tuesday".
_BOUNDS = frozenset("from by until till through starting effective since before after".split())


_Side = tuple[str, str, frozenset[str], float | None]


@dataclass(frozen=True, slots=True)
class _Dates:
    weekdays: frozenset[int]
    days: frozenset[int]  # a calendar day as month * 31 + day: near enough to measure gaps


@dataclass(frozen=True, slots=True)
class _Occasion:
    act: _Dates
    # The dates of its reports ("The Sun reported on Monday that ..."): the act's are not known
    # from them.
    reported: _Dates
    # (verb stem, "for" | "against", the stems of what the side is taken on: empty if unnamed,
    # the share of voters taking it: None if not given)
    sides: frozenset[_Side]


_DAY_AFTER_RE = r"\s+(\d{1,2})(?:st|nd|rd|th)?\b"
_DAY_BEFORE_RE = r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?$"


@text_cache(maxsize=1024, max_chars=SENTENCE_CHARS)
def _occasion(text: str) -> _Occasion:
    """The dates `text` gives its act and its reports (`reports.report_split`), each read in
    their own clauses (`_act_clauses`), and the sides its verbs take."""
    act, reports = report_split(text)
    sides: set[_Side] = set()
    verb = ""
    for m in _SIDE_RE.finditer(text):
        # "voted for the quota and against the fees": the side after "and" is the same verb's.
        word = m.group("verb").casefold()
        if word not in _CONJUNCTIONS or not verb:
            verb = stem(word)
        if verb in _SIDE_VERBS:
            side = "against" if m.group("side").casefold() == "against" else "for"
            sides.add((verb, side, _taken_on(text[m.end() :]), _share(text[: m.start()])))
    return _Occasion(_dates([act]), _dates(reports), frozenset(sides))


def _dates(texts: Iterable[str]) -> _Dates:
    weekdays: set[int] = set()
    days: set[int] = set()
    for clause in (clause for text in texts for clause in _act_clauses(text)):
        for written, key in calendar_names(clause):
            for m in re.finditer(rf"(?<!\w){re.escape(written)}(?!\w)", clause):
                _add_date(clause, m.start(), m.end(), key, weekdays, days)
    return _Dates(frozenset(weekdays), frozenset(days))


def _act_clauses(text: str) -> list[str]:
    """The parts of `text` that may date its act: its clauses but those a relative, a
    coordinator or a subordinator opens (see the module's docstring), each cut where such a
    word follows inside it."""
    kept = []
    for segment in BREAK_RE.split(text):
        words = segment.split()
        written = words[0].strip("\"“‘'(") if words else ""
        first = written.casefold()
        # A participle clause ("..., cutting power to 40,000 homes") tells what followed; a
        # name ("Beijing") opens none.
        participle = written[:1].islower() and first.endswith("ing") and first != "during"
        if first in _OTHER_CLAUSE_OPENERS or participle:
            continue
        kept.append(_INNER_CUT_RE.split(segment, maxsplit=1)[0])
    return kept


def _add_date(
    clause: str, start: int, end: int, key: str, weekdays: set[int], days: set[int]
) -> None:
    """Adds the weekday or calendar day written at `clause[start:end]` (its `calendar_names`
    key `key`), unless it is a bound ("from March 20", "by Tuesday") or a month with no day."""
    if key in _WEEKDAYS:
        if not _bound_before(clause[:start]):
            weekdays.add(_WEEKDAYS.index(key))
        return
    after = re.match(_DAY_AFTER_RE, clause[end:])
    before = re.search(_DAY_BEFORE_RE, clause[:start])
    day = after or before
    opens = before.start() if before and not after else start
    if day and 1 <= int(day.group(1)) <= 31 and not _bound_before(clause[:opens]):
        days.add(_MONTHS.index(key) * 31 + int(day.group(1)))


def _bound_before(head: str) -> bool:
    words = head.split()
    return bool(words) and words[-1].casefold() in _BOUNDS


def _taken_on(rest: str) -> frozenset[str]:
    """The stems of what a side is taken on, from the words after "for" or "against" (`rest`)
    to where it ends (`_OBJECT_END_RE`); dates and figures left out, and a pronoun names
    nothing."""
    head = _OBJECT_END_RE.split(rest, maxsplit=1)[0]
    dates = {written for written, _ in calendar_names(head)}
    words = [w for w in head.split() if w.strip(".,") not in dates]
    return frozenset(s for s in content_stems(" ".join(words)) if not s[:1].isdigit())


def other_occasion(a_text: str, b_text: str) -> bool:
    """Whether the two sentences date their act days apart or take opposite sides in it (see the
    module's docstring): two occasions, however alike their words. Reports days apart are two
    occasions only when one speaker made both: the remark is then the fact."""
    a, b = _occasion(a_text), _occasion(b_text)
    if _dated_apart(a.act, b.act) or _opposite_sides(a, b):
        return True
    return _dated_apart(a.reported, b.reported) and one_speaker(a_text, b_text) is True


def _dated_apart(a: _Dates, b: _Dates) -> bool:
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
    """Whether one sentence's verb takes a side on a thing the other's same verb takes the
    opposite side on ("voted for the quota" / "voted against the quota"), neither taking both,
    and the two do not give one vote's shares of each side ("60% voted for it" / "40% voted
    against it")."""

    def taking(o: _Occasion, verb: str, side: str, on: frozenset[str]) -> list[float | None]:
        """The shares of those in `o` whose `verb` takes `side` on `on`."""
        return [sh for v, s, t, sh in o.sides if v == verb and s == side and _same_thing(t, on)]

    for verb, side, on, share in a.sides:
        other = _OTHER_SIDE[side]
        # A sentence telling both sides ("voted for the bill and against the cuts") takes none.
        if taking(a, verb, other, on) or taking(b, verb, side, on):
            continue
        if any(not _complementary(share, theirs) for theirs in taking(b, verb, other, on)):
            return True
    return False


def _share(head: str) -> float | None:
    """The share of voters given in the clause `head` ends, before a side's verb: the last
    percentage after its last clause break, if any."""
    clause = BREAK_RE.split(head)[-1]
    shares = _SHARE_RE.findall(clause)
    return float(shares[-1]) if shares else None


def _complementary(a: float | None, b: float | None) -> bool:
    """Whether two sides' shares are one vote's two parts: both given, summing to about 100."""
    return a is not None and b is not None and abs(a + b - 100) <= _SHARES_SLACK


def _same_thing(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sides are taken on one thing: one's words all among the other's ("the
    budget bill" / "the bill"), or either names none."""
    return not a or not b or a <= b or b <= a


_OTHER_SIDE = {"for": "against", "against": "for"}
