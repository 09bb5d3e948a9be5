"""Cuts that drop a part the words kept still owe, and so change what they say.

A cut at a comma reads as a whole sentence and still may not be one:

- An aside between a verb's two arguments: "will allow the port's owner, a Tolberg firm, | extra
  time to sell" or "compared the mayor, a former pilot, | to a smuggler". Cut at either comma of
  the aside, the verb keeps one argument of two ("will allow the port's owner.", "compared the
  mayor.") and says something else. The sign is the clause resuming after the aside with a
  word of the same clause: a noun phrase, or a preposition a verb asks for ("to", "with",
  "of", ...). A coordinator, a relative, a participle or a scene's preposition ("in", "on")
  after the aside opens something the head can do without.
- A list announced before its items: "has three main pillars — A; B; and C" cut after B says the
  pillars are two. After a dash or a colon, a semicolon separates the list's items; a comma does
  when a count ("three", "4", "several") announced them.

`cut_owes` is what every clause cut asks (with `clause_ends.inside_list`, a list's comma).
"""

from __future__ import annotations

import re

from bot.summarize.clause_ends import inside_list
from bot.summarize.finite_verbs import COMMA_RE, PUNCT, SUBORDINATORS, VERB_WORDS, has_verb

# An aside is this short: "a fellow councillor", "Chinese technology firm Vennmark".
_ASIDE_MAX_WORDS = 8
# Words after an aside that open something of their own: the head stands without it.
_NOT_RESUMING = SUBORDINATORS | frozenset(
    """
    and or but nor yet so who whom whose which where when that according including citing
    in on at after before during since by near outside inside across around amid among
    though although while whereas because unless if then
    """.split()
)
# A count announcing a list, in the last words before its dash or colon: "three main pillars",
# "4 demands", "several steps".
_COUNT_RE = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|several|\d{1,2}|a few|the following)"
    r"(?:\s+\S+){0,3}\s*$",
    re.IGNORECASE,
)
# A report's verbs: ", the harbour board said on Monday" after an aside is a clause of its own.
_REPORT_RE = re.compile(r"\b(?:said|says|told|tells|added|adds|reported|reports|announced|wrote)\b")
_DASH_RE = re.compile(r"\s[—–]\s")
# A mark that announces what follows it: a dash or a colon with a space after it.
_ANNOUNCING_RE = re.compile(r"\s[—–]\s|:\s")


def cut_owes(mark: str, head: str, tail: str) -> bool:
    """Whether a cut at `mark` (the boundary matched: ", ", "; ", " — ") between `head` and
    `tail` leaves a part owed: inside a list (`inside_list`), between a verb's two arguments
    with an aside between them, or inside a list a count or a dash announced."""
    return (
        inside_list(mark, head, tail)
        or mid_argument(mark, head, tail)
        or mid_list(mark, head)
        or inside_dashes(mark, head, tail)
    )


def inside_dashes(mark: str, head: str, tail: str) -> bool:
    """Whether a cut falls at or inside a dash pair's aside that the tail still closes ("the
    city's forces | — pilots and crews — joined ..."): as a cut inside brackets, the head's
    subject is left without the verb the sentence gives it after the closing dash."""
    opened = _dashes(head) + (1 if mark.strip() in ("—", "–") else 0)
    if opened % 2 == 0:
        return False
    closing = _DASH_RE.search(tail)
    return closing is not None and tail[closing.end() :][:1].islower()


def mid_argument(mark: str, head: str, tail: str) -> bool:
    """Whether a comma cut falls at either end of an aside after which the clause resumes:
    "allow the owner, | a Tolberg firm, | extra time" (the module's docstring)."""
    if not mark.startswith(","):
        return False
    segments = COMMA_RE.split(head)
    # The cut closes an aside the head opened: what follows resumes the head's clause.
    if len(segments) >= 2 and _aside(segments[-1]) and _opens_argument(segments[-2]):
        return _resumes(tail)
    # The cut opens an aside: the tail's first segment is one, and the clause resumes after it.
    rest = COMMA_RE.split(tail, maxsplit=1)
    return len(rest) == 2 and _aside(rest[0]) and _opens_argument(head) and _resumes(rest[1])


def _aside(segment: str) -> bool:
    """Whether `segment` is a short verbless noun phrase: a name's aside."""
    words = segment.split()
    if not 0 < len(words) <= _ASIDE_MAX_WORDS or has_verb([segment]):
        return False
    return words[0].casefold().strip(PUNCT) not in _NOT_RESUMING


def _opens_argument(before: str) -> bool:
    """Whether `before`, the words before an aside, hold a verb whose argument the aside follows:
    a clause of their own, not a name's list or a date ("On June 3")."""
    return has_verb([before]) and not before.rstrip().endswith(("'s", "’s"))


def _resumes(rest: str) -> bool:
    """Whether `rest`, what follows an aside, goes on with the clause before it: a lowercase word
    that opens nothing of its own and is no verb (a verb after an aside is its subject's, which
    `clauses.clean_cut` already reads), in a segment that reports nothing (", the board said" is
    a clause of its own; the cue-based `has_verb` takes "time" in "extra time to win" for a
    verb, so only a report's verbs tell), and no next item of a series of noun phrases ("the first clerk, the second
    clerk, the third clerk")."""
    words = rest.lstrip('"“‘').split(maxsplit=1)
    if not words:
        return False
    first = words[0].strip(PUNCT)
    if not first.isalpha() or not first.islower() or first in _NOT_RESUMING:
        return False
    if first in VERB_WORDS or first.endswith(("ing", "ed")):
        return False
    segments = COMMA_RE.split(rest, maxsplit=2)
    if _REPORT_RE.search(segments[0]):
        return False
    return not (len(segments) >= 2 and _aside(segments[0]) and _aside(segments[1]))


def mid_list(mark: str, head: str) -> bool:
    """Whether a cut at `mark` falls after an item of a list announced in `head`: a semicolon
    after a dash or a colon, or a comma after a count ("three pillars — A, | B and C")."""
    if not mark.startswith((",", ";")):
        return False
    announced = list(_ANNOUNCING_RE.finditer(head))
    # A dash closing a pair ("The mayor — elected in May — said X; ...") announces nothing.
    if not announced or (announced[-1].group().strip() != ":" and _dashes(head) % 2 == 0):
        return False
    return mark.startswith(";") or _COUNT_RE.search(head[: announced[-1].start()]) is not None


def _dashes(text: str) -> int:
    return sum(1 for m in _ANNOUNCING_RE.finditer(text) if m.group().strip() != ":")
