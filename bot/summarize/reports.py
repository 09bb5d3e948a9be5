"""Where a sentence reports what someone said and where the act it reports is told: "The Sun
reported on Monday that the club sacked its manager" dates the report, not the sacking.

Two outlets telling one sacking give it their own report dates, and a date read as the act's
would make them two occasions of it (`occasions`). So the words of a report, its speaker, its
verb and the words before what it reports, are set apart from the act:

- a report leading the sentence: a short subject without a verb of its own, perhaps after a
  scene ("On Monday, the Sun reported"), a reporting verb, then "that" ("reported on Monday
  that ...") or, with no "that", a date right after the verb and a clause after it ("said on
  Monday the club had ...");
- a report after the act, past a clause break: "The club sacked its manager, the Sun reported
  on Monday."

A reporting verb with an object of its own ("The council announced on Monday a new route") or
with nothing reported ("The Sun reported on Monday.") tells the act itself: no report is set
apart. Neither is a verb inside a quotation.
"""

from __future__ import annotations

import re

from bot.summarize.calendar_words import calendar_names
from bot.summarize.finite_verbs import has_verb
from bot.summarize.quote_marks import quoted_ranges

# Verbs that say who spoke, not what happened: the claim is in what follows them.
REPORTING_VERBS = frozenset(
    """
    say says said tell tells told announce announces announced confirm confirms confirmed report
    reports reported state states stated add adds added warn warns warned
    """.split()
)
_REPORTING_RE = re.compile(rf"\b(?:{'|'.join(sorted(REPORTING_VERBS))})\b")
# Where a sentence's clauses part: a comma, semicolon, colon or dash and the space after it.
BREAK_RE = re.compile(r"(?:,|;|:|\s[—–]|\s-)\s")
# ... and, for where a report's clause starts, a comma closing a quotation ("“...,” the mayor
# said on Monday").
_REPORT_START_RE = re.compile(r"(?:[,;:][\"”’']?|\s[—–]|\s-)\s")
_CLOSING_MARKS = "\"”’'"
_THAT_RE = re.compile(r"\bthat\b")
# A report's speaker is a few words ("Premier Eva Lind", "a source close to the club").
_SUBJECT_WORDS = 8
# ... and what stands between its verb and "that" or its date, a few more ("told reporters at a
# briefing in Tolberg on Monday that").
_BETWEEN_WORDS = 8
# What may follow a report's date before what it reports: "on Monday night".
_DATE_TAIL_RE = re.compile(
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?\b)?(?:\s+(?:night|morning|afternoon|evening))?"
)


def report_split(text: str) -> tuple[str, tuple[str, ...]]:
    """`text` without the words of its reports, and those words, each report's in one piece
    (see the module's docstring). A text reporting nothing is given back whole, with none."""
    spans: list[tuple[int, int]] = []
    quoted = quoted_ranges(text)
    for verb in _REPORTING_RE.finditer(text):
        at = verb.start()
        if (spans and at < spans[-1][1]) or any(start <= at < end for start, end in quoted):
            continue
        span = _report_at(text, at, verb.end())
        if span is not None:
            spans.append(span)
    if not spans:
        return text, ()
    act: list[str] = []
    last = 0
    for start, end in spans:
        act.append(text[last:start])
        last = end
    act.append(text[last:])
    return " ".join(part for part in act if part.strip()), tuple(text[s:e] for s, e in spans)


def _report_at(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the report whose verb stands at `text[start:end]`, or None when the verb
    tells the act itself or is no report's."""
    breaks = [m.end() for m in _REPORT_START_RE.finditer(text, 0, start)]
    clause_start = breaks[-1] if breaks else 0
    subject = text[clause_start:start]
    if len(subject.split()) > _SUBJECT_WORDS or has_verb([subject]):
        return None
    following = BREAK_RE.search(text, end)
    segment_end = following.start() if following else len(text)
    after = text[end:segment_end]
    # A report after the act ("..., the Sun reported on Monday.") starts at its own clause; one
    # leading the sentence takes the scene before its subject too ("On Monday, the Sun ...").
    before = text[:clause_start].rstrip()
    leads = not (before and (has_verb([before]) or before.endswith(tuple(_CLOSING_MARKS))))
    begin = 0 if leads else clause_start
    that = _THAT_RE.search(after)
    if that is not None:
        between = after[: that.start()]
        if len(between.split()) <= _BETWEEN_WORDS and not has_verb([between]):
            return begin, end + that.end()
        return None
    if has_verb([after]):
        return _zero_that(end, after) if leads else None
    # Nothing reported after the verb in its clause: a report after the act, or one leading a
    # quotation ("said on Monday: “...”").
    opens_quotation = following is not None and (
        following.group().startswith(":") or text[following.end() :][:1] in _OPENING_MARKS
    )
    return (begin, segment_end) if not leads or opens_quotation else None


_OPENING_MARKS = "\"“‘'„«"


def _zero_that(end: int, after: str) -> tuple[int, int] | None:
    """A leading report with no "that": "said on Monday the club had ...", its date right
    after the verb and a clause after the date. None when the verb takes an object instead
    ("announced on Monday a new route") or no date follows it."""
    names = calendar_names(after)
    if not names:
        return None
    at = after.find(names[0][0])
    between = after[:at]
    if len(between.split()) > _BETWEEN_WORDS or has_verb([between]):
        return None
    date_end = at + len(names[0][0])
    tail = _DATE_TAIL_RE.match(after, date_end)
    date_end = tail.end() if tail else date_end
    if not has_verb([after[date_end:]]):
        return None
    return 0, end + date_end
