"""The period a recurring report covers: two periods are two occurrences, however alike they read.

A monthly jobs report, a price index, weekly jobless claims: each occurrence repeats the last
one's words ("US employers added N jobs in <month>", "claims fell to N in the week ended <day>"),
so the pair model joins them, and the typed conflicts of `marks.py` rarely hold it back: they read
the lead too, and leads name neighbouring months for context ("the biggest gain since August",
"after April's disappointing report"), so July's report and August's "agree" on a month. What
tells the occurrences apart is the period each report states:

- a month the headline reads as its period: "in July", "for July", "during July", "July's".
  Not a month after "since", "by", "until", "from" or "to" (a reference point or a deadline:
  "prices surge by most since August 2008", "... to retire by February"), nor one with a day
  ("on July 4": a date, not a period). Only the headline: a lead names other months as context;
- a week named by the day it ended, in the headline or lead: "the week ended May 1";
- failing both, the headline's count, in a report of a period: its headline or lead gives a
  figure for "last week", "last month", "the week ended", "in <month>" (the figure a few words
  before the period in one clause, "fell to 498,000 last week", "rose to 498,000 in the U.S.
  last week", "added 612,000 jobs in March", right after it, "fell last week, to 473,000", or
  in the sentence the period opens, "Last week, claims fell by 12,000 to 498,000"): "Claims
  fell to 498,000 last week" and "Claims fall to 473,000 ..." are two weeks. A period on
  something else is no report of one: a possessive ("the toll from last week's quake rises to
  1,500"), or one in another clause ("the wildfire that began last week", "arrests since last
  week", "1,200 died in the quake last week"); follow-up coverage names
  the disaster's week that way while its toll climbs. Figures are compared at the precision of
  the rounder ("below 400,000" is 385,000; "1.4 million" is 1.434 million), and only where the
  two sides share no stated period: for one week's report, "3.1 million claims" and "21 million
  have now filed" are two measures, not two weeks. A death toll that climbs from 1,200 to 1,500
  is no report of a period, and is left alone.

Months and weeks only in a report of a measure: an article whose headline and lead state a figure (a count, a
percentage, an amount). One festival moved from June to September, reported by one outlet as
"... will not go ahead in June" and by another as "... to be held in September", is one story.

Settled against the whole story, as the rules of `days.py` are: a report is another occurrence
only when the story's members that state a period agree among themselves (they share one) and
the report shares none with them. A story that already states two periods is one across them
(a round-up "from May to July", a reader's "jobs in June and July"), and vetoes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bot.cluster.marks import ABBREV

_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
# A month as the period of what the headline reports, with the months listed after it ("in May
# and June", "in May through July"). Case-insensitive prepositions: headlines are Title Case.
_PERIOD_RE = re.compile(
    rf"(?:\b(?i:in|for|during|over) {_MONTH}\b(?!['’]s)|\b{_MONTH}['’]s\b)(?! \d{{1,2}}\b)"
    rf"((?:(?:,|,? (?:and|or|to|through|-|–)) {_MONTH}\b)*)"
)
_LISTED_RE = re.compile(_MONTH)
_WEEK_RE = re.compile(
    r"\bweek (?:that )?end(?:ed|ing|s)(?: on)?,? (?:[A-Z][a-z]+,? )?"
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.? (\d{1,2})(?!\d)"
)
# A period a report may be of, for its headline's count (see above), with the words that lead
# into it ("in the week ended", "for the previous week"). Not a possessive: "last week's quake"
# is the quake's week, not the figure's.
_REPORT_RE = re.compile(
    r"\b(?:(?i:in|for|during|over) )?(?:(?i:the|a) )?"
    r"(?:(?i:last|previous|prior) (?i:week|month)\b(?!['’]s)|week (?:end(?:ed|ing)|earlier)\b)"
    rf"|\b(?i:in|for|during) {_MONTH}\b(?!['’]s)(?! \d{{1,2}}\b)"
)
# A dot that ends no clause: a figure's ("3.1"), a dotted acronym's ("U.S.", "U.K.") or an
# abbreviation's ("Jan. 9", "Sen. Ford"). Lookbehinds are fixed-width: one per length.
_NO_STOP = (
    r"(?!\d)(?<!\b[A-Z]\.)(?<!\b[A-Z])"
    r"(?<!\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Sen|Rep|Gov|Gen|Mrs|Col))"
    r"(?<!\b(?:Mr|Ms|Dr|St|Lt|No))(?<!\bSept)"
)
# What ends the clause a figure and its period share: punctuation (not a figure's "498,000" or
# "3.1", nor "U.S."), a subordinate clause ("the wildfire that began last week", "since last
# week") or a preposition that hangs the period on something else ("1,200 in the quake last
# week"). Not a preposition whose place or name runs up to the period: "rose to 498,000 in the
# U.S. last week" is the figure's week.
_BREAK_RE = re.compile(
    rf"[;:!?()\n—–]|,(?!\d)|\.{_NO_STOP}|\b(?i:that|which|who|whose|when|where|after|since"
    r"|before|until|following|as|while|because|amid|despite|over|into|during|for)\b"
    r"|\b(?i:in|on|at|with|from)\b(?!(?: the)?(?: [A-Z][\w.&'’-]*)+\s*\Z)"
)
# What ends the sentence a leading period opens ("Last week, initial claims fell by 12,000 to
# 498,000."): its end, or a subordinate clause ("Last week, a quake struck the city that killed
# 1,200" is the quake's week, not the figure's).
_SENTENCE_END_RE = re.compile(
    rf"[;:!?\n]|\.{_NO_STOP}|\b(?i:that|which|who|whose|when|where|after|since|before|until"
    r"|following|while|because|amid|despite)\b"
)
_FIGURE_RE = re.compile(r"[$£€]?\d")
# A figure right after its period: "fell last week to 473,000", "rose last month by 12,000",
# "fell last week, to 473,000".
_AFTER_RE = re.compile(r",?\s+(?i:to|by|at)\s+(?:\S+\s+){0,3}?[$£€]?\d")
_NEAR = 5  # words between a figure and its period: "498,000 people filed claims last week"


def periods(
    title: str, head: str, measured: bool, counts: frozenset[str] = frozenset()
) -> dict[str, frozenset[str]]:
    """Kind -> the periods stated: "m" the months of `title`, "wk" the weeks `head` (headline and
    lead) names by their last day ("may 8"), "fig" the headline's `counts` (`marks` values) when
    `head` reads as a report of a period. Kinds not stated are absent. `measured`: does `head`
    state a figure (a count, a percentage, an amount)? Else the article reports no measure, and
    a month in its headline is an event's ("festival will not go ahead in June"), not a
    report's: no month or week is read."""
    found: dict[str, frozenset[str]] = {}
    if not measured:
        return found
    months = set()
    for m in _PERIOD_RE.finditer(title):
        months.add((m.group(1) or m.group(2)).lower())
        months.update(w.lower() for w in _LISTED_RE.findall(m.group(3)))
    if months:
        found["m"] = frozenset(months)
    if "week" in head:
        weeks = {f"{_month(mon)} {int(day)}" for mon, day in _WEEK_RE.findall(head)}
        if weeks:
            found["wk"] = frozenset(weeks)
    if counts and any(_measured(head, m) for m in _REPORT_RE.finditer(head)):
        found["fig"] = counts
    return found


def _measured(head: str, period: re.Match[str]) -> bool:
    """Is `period` the period of a figure: one in its clause a few words before it ("claims fell
    to 498,000 last week", "added 612,000 jobs in March"), right after it ("fell last week to
    473,000") or, for a period that opens a sentence ("Last week, claims fell by 12,000 to
    498,000", "In March, employers added 498,000 jobs"), anywhere in the sentence it opens? A
    period on another part of the sentence ("the wildfire that began last week", "arrests since
    last week") makes no report of a period of the headline's count."""
    before = head[max(0, period.start() - 120) : period.start()]
    clause = max((cut.end() for cut in _BREAK_RE.finditer(before)), default=0)
    words = before[clause:].split()[-_NEAR:]
    if any(_FIGURE_RE.match(w) for w in words):
        return True
    if _AFTER_RE.match(head, period.end()) is not None:
        return True
    if not head.startswith(",", period.end()) or not _opens_sentence(before):
        return False
    end = _SENTENCE_END_RE.search(head, period.end())
    rest = head[period.end() + 1 : end.start() if end else len(head)]
    return _FIGURE_RE.search(rest) is not None


def _opens_sentence(before: str) -> bool:
    """Does the text `before` a phrase end where a sentence starts (nothing, a line break, or a
    sentence's closing stop)?"""
    text = before.rstrip(" ")
    if not text or text.endswith("\n"):
        return True
    return text[-1] in ".!?" and _SENTENCE_END_RE.match(text, len(text) - 1) is not None


def _month(word: str) -> str:
    low = word.lower()
    return ABBREV.get(low[:4] if low.startswith("sept") else low[:3], low)


def other_period(
    ours: Iterable[Mapping[str, frozenset[str]]], theirs: Iterable[Mapping[str, frozenset[str]]]
) -> bool:
    """Are the reports `ours` (their `periods`) another occurrence than a story's `theirs`? For
    some kind of period, each side's statements agree among themselves and the sides share none
    (see the module docstring); for the headline's count, only where the sides share no stated
    period."""
    mine = [p for p in ours if p]
    if not mine:
        return False
    others = [p for p in theirs if p]
    shared = False  # a period both sides state: their figures are then two measures of it
    for kind in ("m", "wk"):
        a = [p[kind] for p in mine if kind in p]
        b = [p[kind] for p in others if kind in p]
        if not (a and b):
            continue
        if frozenset().union(*a).isdisjoint(frozenset().union(*b)):
            if _agree(a) and _agree(b):
                return True
        else:
            shared = True
    if shared:
        return False
    a = [p["fig"] for p in mine if "fig" in p]
    b = [p["fig"] for p in others if "fig" in p]
    if not (a and b):
        return False
    ua, ub = frozenset().union(*a), frozenset().union(*b)
    return not any(_same(x, y) for x in ua for y in ub) and _figures_agree(a) and _figures_agree(b)


def _sig(value: str) -> int:
    """Significant digits of a `marks` count ("4.98e+05": 3; "4e+05", a round 400,000: 1)."""
    mantissa = value.split("e")[0]
    return len(mantissa.replace(".", "").lstrip("0")) or 1


def _same(a: str, b: str) -> bool:
    """One figure at the precision of the rounder ("400,000" and "385,000"; "1.4 million" and
    "1.434 million")?"""
    n = min(_sig(a), _sig(b))
    return float(f"{float(a):.{n}g}") == float(f"{float(b):.{n}g}")


def _figures_agree(stated: list[frozenset[str]]) -> bool:
    """Does every two statements' counts share one (`_same`)? A story whose headlines already
    give other counts (a toll as it rises, or two measures) is not one reading of one figure."""
    return all(
        any(_same(x, y) for x in s for y in t)
        for i, s in enumerate(stated)
        for t in stated[i + 1 :]
    )


def _agree(stated: list[frozenset[str]]) -> bool:
    """Do the statements share a period (one common to all)?"""
    return bool(frozenset.intersection(*stated))
