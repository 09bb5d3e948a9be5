"""Identifiers that pin an article to one occurrence of a templated item: a veto on joining.

Outlets publish some items from a template, day after day: "Lottery results for draw 4127", "Storm
warning for district 4", "Markets close: Dow up 120", "Rovers 3-1 United". Two of them share nearly
every word, so the pair model (which weighs overlap) would join them, and one story would grow for
days. What tells them apart is a specific that says *which* occurrence it is: an identifier.

Numbers of one event may change between reports (a death toll rises from 12 to 15, a quake's
magnitude is revised from 6.1 to 6.2, a price moves), so differing *quantities* never veto (a
magnitude only days apart: `days.py`). Only these do, when both sides state one and share no
value:

- a labelled number in the headline: "draw 4127", "district 4", "game 3", "flight 370", "the 6th
  district". Not in the lead: a recap names the next game ("Game 6 is Friday"), a match report
  next week's fixture. The labels name one of a series; counts of one event's progress ("stage",
  "phase", "week" of a strike, "round" of talks, which outlets also number differently) are left
  out. Areas ("zone 9", "district 4") are read as below instead;
- within one outlet, in near-identical headlines (its template: all but a few words the same), a
  date ("March 3", "Monday"), a match score ("3-1" / "0-2"), a reversed direction with another
  figure ("up 120" / "down 80"): the same fixture or measurement on another day; and an area
  when its number is one of at most two words swapped ("Storm warning for district 4" / "... 7"),
  or the only word swapped however short the headline ("Ward 3 results" / "Ward 5 results").
  Across outlets these differ for one event by timing alone (a live score against the final one,
  a weekday in another time zone, the zones a fire had reached when each wrote), and outside a
  template they say little: one report of a Senate vote gives the 50-50 split, another the 51-50
  tie-break, and an outlet's follow-up of one fire names the next zone in other words
  ("... forces evacuations in zone 4", then "... evacuations expand to zone 9").

Some occurrences differ by the day alone (one outlet's market wraps, its page of the day, a
region's quakes): `days.py` holds those rules, which veto only between reports days apart.

An aggregator's feed is one source, but its items name the outlet that wrote each ("... -
Reuters"): two naming different outlets share no template (`bylines.py`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Protocol

from bot.cluster import days
from bot.cluster.bylines import same_byline
from bot.cluster.days import DOWN, UP
from bot.cluster.marks import MONTHS, WEEKDAYS
from bot.textutil import has_digit, words

# Labels that name one of a series (which draw, district, match), never an amount.
_LABELS = "draw|district|ward|precinct|zone|game|matchday|gameweek|episode|season|flight|route"
# Areas: one event (a fire, a flood, a storm) reaches several, so they veto in a template only.
_AREA_LABELS = frozenset("district ward precinct zone".split())
# An ordinal before a label may count instead ("the strike enters its 4th week"): only these.
_ORDINAL_LABELS = "district|ward|precinct|game"
_ORDINAL_LABEL_SET = frozenset(_ORDINAL_LABELS.split("|"))
_NUMBER_RE = re.compile(r"[0-9]+")
_ORDINAL_SUFFIXES = frozenset(["st", "nd", "rd", "th"])
_WORD_RE = re.compile(r"[A-Za-z]+")
# What makes a figure an identifier: a label right before it ("draw 4127", "District No. 4",
# "game #3"), not after a time word ("this week 12 people were hurt": a count). Only the words
# just before each figure are read, far cheaper than scanning the whole text for labels.
_LABEL_SET = frozenset(_LABELS.split("|"))
_NUMBER_SIGNS = frozenset(["no.", "no", "number", "#"])
_TIME_WORDS = frozenset("this last next that each every per".split())
# A figure that goes on as an amount, a range or a code: "game 2.5", "zone 3-4", "zone 4%",
# "flight 7C2216" (a carrier's code, the same flight as "flight 2216": not flight 7).
_AMOUNT_AFTER_RE = re.compile(r"[.,]\d|[-–/%A-Za-z]| ?per")
# The rest of a list after a plural label: "zones 4 and 5", "districts 3, 6 or 9".
_LIST_RE = re.compile(r"(?:,? (?:and|or|&)|,) ?([0-9]{1,6})\b(?![.,]\d|[-–/%])")
# A headline word that is a match score (or a vote's tally): "3-1", "51-49".
_SCORE_RE = re.compile(r"\d{1,3}-\d{1,3}")
# A score of a match still being played: the next one of the same match is no other fixture.
_LIVE = frozenset("live half-time halftime leads lead".split())

# Most headlines state no figure, no day and no market's move: only those that do keep their
# words for the template comparison (the only kind a template conflict can involve).
_DATE_WORDS = WEEKDAYS | {d + "'s" for d in WEEKDAYS}


def identifiers(text: str) -> dict[str, frozenset[str]]:
    """Label -> the labelled numbers `text` (a headline) states ("draw" -> {"4127"})."""
    found: dict[str, set[str]] = {}
    if not has_digit(text):  # half the articles: a C-level check, 8x cheaper than a regex scan
        return {}
    quakes = days.magnitudes(text)  # a label of its own: it vetoes only days apart
    if quakes:
        found["magnitude"] = quakes
    for m in _NUMBER_RE.finditer(text):
        start, end = m.span()
        digits = m.group()
        if end - start > 6 or (start and (text[start - 1].isalnum() or text[start - 1] in ".,")):
            continue  # a long figure, or the tail of "4,127", "1.5" or "COVID19"
        if text[end : end + 2] in _ORDINAL_SUFFIXES:
            after = _WORD_RE.match(text, end + 3) if text[end + 2 : end + 3] == " " else None
            label = after.group().lower() if after is not None else ""
            if label in _ORDINAL_LABEL_SET:
                found.setdefault(label, set()).add(str(int(digits)))
            continue
        if _AMOUNT_AFTER_RE.match(text, end):
            continue
        label = _label_before(text, start)
        if label:
            values = found.setdefault(label, set())
            values.add(str(int(digits)))
            if text[start - 2 : start - 1] in ("s", "S"):  # a plural label: "zones 4 and 5" is both
                while (more := _LIST_RE.match(text, end)) is not None:
                    values.add(str(int(more.group(1))))
                    end = more.end()
    return {k: frozenset(v) for k, v in found.items()}


def _label_before(text: str, start: int) -> str:
    """The label of the figure at `start` ("" for none): the word before it, past "No."/"#"."""
    before = text[start - 1 : start]
    if before == " ":
        # Most figures follow some other word ("rose to 15", "in 2021"): told by that word alone.
        tail = text[max(0, start - 17) : start].split()
        word = tail[-1].lower() if tail else ""
        if word not in _LABEL_SET and word not in _NUMBER_SIGNS and word[:-1] not in _LABEL_SET:
            return ""
    elif before != "#":
        return ""
    cut = max(0, start - 24)
    words_before = text[cut:start].lower().replace("#", " # ").split()
    if cut and text[cut - 1].isalnum():
        words_before = words_before[1:]  # cut mid-word: not a word of its own
    if words_before and words_before[-1] in _NUMBER_SIGNS:
        words_before.pop()
    if not words_before:
        return ""
    label = words_before[-1]
    label = label if label in _LABEL_SET else label.removesuffix("s")
    if label not in _LABEL_SET or (len(words_before) > 1 and words_before[-2] in _TIME_WORDS):
        return ""
    return label


def shape(title: str) -> tuple[str, ...]:
    """The headline's folded words when it states a figure, a day or a market's move, else ()."""
    digits = has_digit(title)
    low = title.lower()
    market = days.may_name_market(low)
    if not digits and not market and "day" not in low and "tonight" not in low:
        return ()
    tokens = words(title.replace("–", "-"))  # "3–1" is one token, as "3-1" is
    if digits or not (_DATE_WORDS.isdisjoint(tokens) and days.TODAY.isdisjoint(tokens)):
        return tuple(tokens)
    if market and days.reads_market(tokens):
        return tuple(tokens)
    return ()


class Specific(Protocol):
    """What the veto reads of an article (a `Profile`)."""

    @property
    def ids(self) -> dict[str, frozenset[str]]: ...
    @property
    def shape(self) -> tuple[str, ...]: ...
    @property
    def marks(self) -> dict[str, frozenset[str]]: ...
    @property
    def byline(self) -> str: ...
    @property
    def ents(self) -> Mapping[str, float]: ...


class Sourced(Protocol):
    """An article with its outlet and time (a `Doc`): some specifics veto only within one
    outlet, some only between reports on two days."""

    @property
    def source(self) -> str | None: ...
    @property
    def t(self) -> float: ...
    @property
    def dated(self) -> bool: ...
    @property
    def p(self) -> Specific: ...


# Why two articles are other occurrences (`_why`): a bit each. A rule of days (`days.py`) is
# settled against the whole story (`conflicts_any`), the others by the pair alone.
_HARD = 1  # an identifier or the outlet's template says so
_QUAKE = 2  # magnitudes a few tenths apart, days apart
_OUTLET_DAYS = 4  # one outlet's market wraps or page of the day, days apart
_SESSION = 8  # a generic market going the other way, days apart, from any outlet


def conflict(a: Specific, b: Specific, *, same_outlet: bool, apart: bool = False) -> bool:
    """Are the two articles about different occurrences (see the module docstring), read as a
    pair? `apart`: both are dated, at least `APART_HOURS` apart."""
    return _why(a, b, same_outlet=same_outlet, apart=apart) != 0


def _why(a: Specific, b: Specific, *, same_outlet: bool, apart: bool) -> int:
    ids_a, ids_b = a.ids, b.ids
    areas: list[tuple[frozenset[str], frozenset[str]]] = []
    why = 0
    if ids_a and ids_b:
        for label, values in ids_a.items():
            other = ids_b.get(label)
            if other is not None and values.isdisjoint(other):
                if label == "magnitude":
                    if apart and days.other_quake(values, other):
                        why = _QUAKE
                elif label not in _AREA_LABELS:
                    return _HARD
                else:
                    areas.append((values, other))
    shape_a, shape_b = a.shape, b.shape
    if not (shape_a and shape_b):
        return why
    if apart and days.other_session(shape_a, shape_b, a.ents, b.ents):
        why |= _SESSION
    if same_outlet:
        if shape_a != shape_b:
            return why | _template_conflict(a, b, areas, apart)
        # The same page of the day, word for word, on another day.
        if apart and days.page(shape_a) is not None:
            return why | _OUTLET_DAYS
    return why


def conflicts_any(
    x: Sourced,
    ys: Iterable[Sourced],
    story: Sequence[Sourced] = (),
    joining: Sequence[Sourced] = (),
) -> bool:
    """Does `x` conflict with any of `ys` (a story's members)? Then it is another occurrence.

    A rule of days is settled against the whole `story` (all its members; `ys` when empty), and
    what a merge brings along with `x` (`joining`, the other story's members): a magnitude vetoes
    only when it is a revision away from every magnitude the story states (a quake revised from
    8.0 to 8.8 within the hour, then reported as 8.8 the next day, is one quake), and one outlet's
    market wrap or page of the day only when the story is that outlet's alone or other outlets'
    like generic daily items (other outlets reporting it otherwise, or in headlines that keep a
    name, make it an event that runs over days, not a daily item)."""
    p = x.p
    if not p.ids and not p.shape:  # most articles: nothing that could conflict
        return False
    # An unknown outlet is no outlet in common: the same-outlet rules need to know it is one.
    src, t, dated = x.source, x.t, x.dated
    members = list(ys)
    whole = story or members
    for y in members:
        why = _why(
            p,
            y.p,
            same_outlet=src is not None and src == y.source and same_byline(p.byline, y.p.byline),
            apart=dated and y.dated and abs(t - y.t) >= days.APART_S,
        )
        if why & _HARD:
            return True
        if why & _QUAKE and _another_quake([x, *joining], whole):
            return True
        if why & _OUTLET_DAYS and _daily_only(x, [*whole, *joining]):
            return True
        if why & _SESSION and _sessions_only([x, *joining], whole):
            return True
    return False


def _sessions_only(ours: Sequence[Sourced], story: Sequence[Sourced]) -> bool:
    """Are all reports, `ours` and the `story`'s, generic market readings ("Stocks slip as ...",
    not "Aerovance shares fall as ..."), none of ours naming a cause one of the story's names
    ("... as Iran reopens Strait of Hormuz" beside "... as Iran closes Strait of Hormuz")? Then a
    reading going the other way days later is another session; a story with other reports, or
    with its cause named again, is an event that moved markets, and may move them back."""
    if not all(days.generic_reading(y.p.shape, y.p.ents) for y in (*ours, *story)):
        return False
    return not any(
        days.shared_cause(a.p.shape, b.p.shape, a.p.ents, b.p.ents) for a in ours for b in story
    )


def _another_quake(ours: Sequence[Sourced], story: Sequence[Sourced]) -> bool:
    """Is every magnitude `ours` state more than a revision from every one the story states?"""
    theirs = [m for y in story if (m := y.p.ids.get("magnitude")) is not None]
    return all(
        days.other_quake(mine, other)
        for x in ours
        if (mine := x.p.ids.get("magnitude")) is not None
        for other in theirs
    )


def _daily_only(x: Sourced, reports: Sequence[Sourced]) -> bool:
    """Are all `reports` `x`'s outlet's own, or other outlets' generic daily items like one of
    them (their own wrap of the same market, the same page of the day, keeping no name)? Then
    the story is a daily item's, not an event's (see `days.daily_pair`)."""
    own = [x.p]
    others: list[Specific] = []
    for y in reports:
        (own if y.source == x.source and same_byline(x.p.byline, y.p.byline) else others).append(
            y.p
        )
    return all(any(days.daily_pair(a.shape, b.shape, a.ents, b.ents) for a in own) for b in others)


def _template_conflict(
    pa: Specific,
    pb: Specific,
    areas: list[tuple[frozenset[str], frozenset[str]]],
    apart: bool,
) -> int:
    """`_HARD`, `_OUTLET_DAYS`, both or 0 (see `_why`). `areas`: each area label's numbers on
    either side, where the two share none; `apart`: as for `conflict`."""
    a, b = pa.shape, pb.shape
    ca, cb = Counter(a), Counter(b)
    only_a, only_b = ca - cb, cb - ca
    template = days.template(a, only_a, only_b)
    # A page of the day on another day ("Gold price today: ..." however the rest reads), or a
    # market's reading on another day, whichever way it went.
    daily = apart and (days.same_page(a, b) or (template and days.sessions(a, b, ca, cb)))
    hard = _template_hard(pa, pb, areas, template, only_a, only_b)
    return (_HARD if hard else 0) | (_OUTLET_DAYS if daily else 0)


def _template_hard(
    pa: Specific,
    pb: Specific,
    areas: list[tuple[frozenset[str], frozenset[str]]],
    template: bool,
    only_a: Counter[str],
    only_b: Counter[str],
) -> bool:
    """The template's rules that need no day apart (see `_template_conflict`)."""
    a, b = pa.shape, pb.shape
    swapped = max(only_a.total(), only_b.total())
    # Identical but for the area's number ("Ward 3 results" / "Ward 5 results"): another area's
    # copy however short the template, which the three kept words below would let through.
    if swapped == 1 and any(
        _swaps(values_a, only_a) and _swaps(values_b, only_b) for values_a, values_b in areas
    ):
        return True
    if not template:
        return False
    if any(map(_disjoint, _dates(a), _dates(b))):
        return True
    # Another area's copy of the same warning: the numbers are the swap, with one word at most
    # beside them. An outlet's follow-up of one fire rewords more as it names the next zone.
    if swapped <= 2 and any(
        _swaps(values_a, only_a) and _swaps(values_b, only_b) for values_a, values_b in areas
    ):
        return True
    # Another result of the same fixture, or another fixture of the same side; a live score and
    # the half-time or final one are one match.
    if any(map(_SCORE_RE.fullmatch, only_a)) and any(map(_SCORE_RE.fullmatch, only_b)):
        return _LIVE.isdisjoint(a) and _LIVE.isdisjoint(b)
    # The same measurement going the other way, with another figure: another day's reading,
    # unless both reports name the same day (the morning's fall, then the close's rise).
    if any(map(has_digit, only_a)) and any(map(has_digit, only_b)):
        reversed_ = (UP.intersection(only_a) and DOWN.intersection(only_b)) or (
            DOWN.intersection(only_a) and UP.intersection(only_b)
        )
        days_a, days_b = pa.marks.get("w"), pb.marks.get("w")
        return bool(reversed_) and not (days_a and days_b and not days_a.isdisjoint(days_b))
    return False


def _dates(tokens: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """(weekdays, month days) the headline names: each kind conflicts only with its own."""
    days = {t.removesuffix("'s") for t in tokens if t.removesuffix("'s") in WEEKDAYS}
    month_days = set()
    for word, nxt in pairwise(tokens):
        if word.rstrip(".") in MONTHS and nxt.isdigit() and len(nxt) <= 2:
            month_days.add(f"{word.rstrip('.')[:3]} {int(nxt)}")
    return days, month_days


def _swaps(values: frozenset[str], swapped: Counter[str]) -> bool:
    """Is one of the area numbers `values` among the `swapped` words ("4", "4th")?"""
    for word in swapped:
        digits = word.rstrip("stndrh")
        if digits.isascii() and digits.isdigit() and str(int(digits)) in values:
            return True
    return False


def _disjoint(a: set[str], b: set[str]) -> bool:
    return bool(a) and bool(b) and a.isdisjoint(b)
