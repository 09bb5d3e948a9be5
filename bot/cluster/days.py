"""Specifics that tell two occurrences apart only when the reports are days apart.

Some recurring items differ by their day alone: one outlet's market wrap goes the same way two
days running ("Stocks rise as tech rallies" on Monday, "Stocks rise as banks gain" on Wednesday),
a page of the day keeps its name ("Gold price today: ..."), a region has another quake. Hours
apart the same differences are one event's: the morning's wrap and the close's, a page updated
through the day, a magnitude revised or read by another agency. So these veto a join (see
`specifics.conflict`) only between two reports both dated and at least `APART_HOURS` apart:

- within one outlet's template, a market's reading with a move on both sides: another session.
  Only markets (`MARKETS`): "Death toll rises as ..." twice is one disaster's follow-up;
- within one outlet, one page of the day by its name, however the rest of the headline reads, even
  word for word. A follow-up that says "today" further on ("Storm Kelda: flood warning today for
  the coast") names no page;
- a quake's magnitude in the headline, across outlets too, when the two differ by more than a
  revision or another agency's reading (a few tenths): another quake in the same region;
- across outlets too, one market read going opposite ways ("Wall Street climbs as tech rallies",
  then "Wall Street slips as tech sells off"): another session. Only when what moved names no one
  (see below): "Aerovance shares fall ...", then "... rise ...", is one company's saga; and only
  when the two name no cause in common (`shared_cause`): "Oil soars as Iran closes Strait of
  Hormuz", then "Oil falls as Iran reopens Strait of Hormuz", is the event's follow-up.

Each is settled against the whole story, not the pair alone (`specifics.conflicts_any`): a
magnitude vetoes only when it is more than a revision from every magnitude the story states (a
quake revised from 8.0 to 8.8 within the hour, reported as 8.8 the next day, is one quake); an
outlet's wrap or page only when the story is that outlet's alone or other outlets' like generic
daily items (their own "Stocks rally as tech shares climb" beside its "... tech shares gain"): one
that other outlets report otherwise, or with headlines whose kept words name a company, a storm or
a place ("Aerovance shares fall as airlines ground ..." and "... tumble as ...", then "... fall as
regulators ground ..."; "Storm Kelda today: ..." from two outlets), is an event running over
days, not a daily item; and a session going the other way only when the story holds nothing but
generic market readings, none naming the cause the new one names.

A market's reading is generic by what moved (`subject`: the words before the move), not by its
cause: "Stocks rally as Fed holds rates" names the Fed, as most wraps name the Fed, the ECB, OPEC
or a jobs report, but what rallied is anyone's stocks. A list of such institutions would never
be complete, and document frequencies don't tell them apart (the Fed is rarer in the shipped
background than most companies); where the name stands does.

A cause is one event's when two readings share two of its distinctive words that are not all one
name: "Iran ... Strait of Hormuz", "steel tariffs", "Skylark jets", "$100,000 ... ETF". Who acts
alone ("the Fed", "Fed's Powell", "the Bank of Japan", "tech") is no event, however rare its name:
the Fed holds rates one day and signals patience the next, and each day's wraps name it. Nor are
the wraps' own words ("tariff fears", "rate cut hopes", "inflation data") or a change's size. The
price: two wraps a day apart that share such a pair of words ("... as OPEC weighs output cut",
"... as OPEC delays output cut") stay one story, as all wraps from two outlets did before.

Storms and shootings days apart in one region state no such specific: they still join when their
words match.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from functools import lru_cache

from bot.cluster.background import load_background
from bot.cluster.features import TermStats, stem
from bot.text_cache import WORD_CHARS, text_cache
from bot.textutil import STOPWORDS, has_digit

# Reports this far apart, both dated, are on two days: a daily item's next occurrence, or a quake
# days after another. A revised figure or a reworded update comes within hours.
APART_HOURS = 16.0
APART_S = APART_HOURS * 3600.0

UP = frozenset("up rise rises rose gain gains higher climb climbs jump jumps advance".split())
DOWN = frozenset("down fall falls fell drop drops lower slip slips sink sinks decline".split())
# Which way a market's reading went: a figure's direction (`UP`, `DOWN`) or a verb's.
_RISES = UP | frozenset("rally rallies surge surges soar soars".split())
_FALLS = DOWN | frozenset("slump slumps tumble tumbles slide slides dip dips".split())
_MOVES = _RISES | _FALLS | frozenset("steady flat mixed".split())
# What a market's reading is about ("street": Wall Street). Not "prices" or "edge": food prices
# soar, a skater edges out a rival for gold, and neither is a session.
MARKETS = frozenset(
    """stock stocks shares equities market markets street dow nasdaq ftse nikkei dax sensex index
    indexes indices futures bonds yields treasuries oil crude gold silver bitcoin dollar euro
    yen sterling rupee rates""".split()
)
TODAY = frozenset(["today", "today's", "tonight"])
# A quake's magnitude ("magnitude 5.4", "5.4-magnitude", USGS's "M 5.4").
_MAGNITUDE_RE = re.compile(
    r"(?=[Mm\d])(?:\b[Mm]agnitude[- ]?(\d(?:\.\d)?)\b|\b(\d(?:\.\d)?)[- ]?[Mm]agnitude\b"
    r"|\bM ?(\d\.\d)\b)"
)
# 7.7 and 7.8 (two agencies), 6.1 revised to 6.3: one quake.
_MAGNITUDE_TENTHS = 3


def may_name_market(low: str) -> bool:
    """Could the lowercased headline `low` name a market's move? Told by its words as split on
    spaces (a word with a comma stuck to it is missed): a fraction of the cost of tokenising it,
    or of looking for each market's name in it."""
    parts = low.split()
    return not MARKETS.isdisjoint(parts) and not _MOVES.isdisjoint(parts)


def reads_market(tokens: list[str] | tuple[str, ...]) -> bool:
    """Does the headline name a market and a move?"""
    return not MARKETS.isdisjoint(tokens) and not _MOVES.isdisjoint(tokens)


def sessions(a: tuple[str, ...], b: tuple[str, ...], ca: Counter[str], cb: Counter[str]) -> bool:
    """Are the template's two headlines (words `a`, `b`, their counts `ca`, `cb`) readings of one
    market, each with a move? Days apart, two sessions."""
    return not MARKETS.isdisjoint(ca & cb) and not _MOVES.isdisjoint(a) and not _MOVES.isdisjoint(b)


def template(a: tuple[str, ...], only_a: Counter[str], only_b: Counter[str]) -> bool:
    """Are headline `a` and another (`only_a`, `only_b`: the words each has that the other does
    not) one template? At most two words swapped on either side, at least three kept; or three
    ("Dow up 120, S&P 500 gains" / "Dow down 80, S&P 500 slips": the figure, its direction, a
    verb) in a longer headline, twice that kept: in a short one three words are another headline."""
    kept, swapped = len(a) - only_a.total(), max(only_a.total(), only_b.total())
    return not (kept < 3 or swapped > 3 or (swapped == 3 and kept < 6))


# A market's own name's words, named in every wrap of it ("Wall Street", "Dow Jones", "S&P 500"):
# a template keeping them is still anyone's daily item.
_MARKET_NAMES = MARKETS | frozenset("wall jones s&p".split())


def daily_pair(
    a: tuple[str, ...], b: tuple[str, ...], ents_a: Collection[str], ents_b: Collection[str]
) -> bool:
    """Are `a` and `b` (two headlines' words) one generic page of the day, or near-identical
    generic readings of one market, whatever their days? Generic: the words both keep are no
    proper noun of either article (`ents_*`: "p:name" keys) but a market's name. "Aerovance
    shares fall as ..." beside "Aerovance shares tumble as ...", "Storm Kelda today: ..." twice:
    two outlets' headlines of one event running over days, not their daily items."""
    if not a or not b:
        return False
    ca, cb = Counter(a), Counter(b)
    kept = ca & cb
    if same_page(a, b):
        return not _named(kept, ents_a, ents_b)
    if not (template(a, ca - cb, cb - ca) and sessions(a, b, ca, cb)):
        return False
    # Only the market's side of the move: "Stocks rally as Fed holds rates" twice keeps the Fed,
    # but as the day's cause; what moved is anyone's market, not the Fed.
    return not _named(kept.keys() & (set(subject(a)) | set(subject(b))), ents_a, ents_b)


def subject(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """What a market's reading says moved: the headline's words before its first move ("wall",
    "street" of "Wall Street slips as tech sells off"; "aerovance", "shares" of "Aerovance shares
    fall as ..."). The words after are the day's cause, which recurs in every wrap (the Fed, the
    ECB, OPEC, a jobs report) however generic the wrap, so a name there names no event."""
    for i, token in enumerate(tokens):
        if token in _MOVES:
            return tokens[:i]
    return tokens


def _named(kept: Collection[str], ents_a: Collection[str], ents_b: Collection[str]) -> bool:
    """Is one of the words `kept` a proper noun of either article (not a market's own name)?"""
    return any(w not in _MARKET_NAMES and ("p:" + w in ents_a or "p:" + w in ents_b) for w in kept)


def generic_reading(tokens: tuple[str, ...], ents: Collection[str]) -> bool:
    """Does the headline read a market whose side of the move names no one ("Stocks slip as Fed
    signals patience", not "Aerovance shares fall as ...")? Anyone's daily wrap, not an event."""
    return reads_market(tokens) and not _named(subject(tokens), ents, ())


def _direction(tokens: tuple[str, ...]) -> int:
    """Which way the headline's first move goes: 1 up, -1 down, 0 neither (steady, mixed)."""
    for token in tokens:
        if token in _MOVES:
            return 1 if token in _RISES else -1 if token in _FALLS else 0
    return 0


def other_session(
    a: tuple[str, ...], b: tuple[str, ...], ents_a: Collection[str], ents_b: Collection[str]
) -> bool:
    """Are `a` and `b` (two headlines' words) one generic market's readings going opposite ways,
    from any outlets ("Wall Street climbs as tech rallies" / "Wall Street slips as tech sells
    off")? Days apart, two sessions, however the rest reads."""
    way = _direction(a)
    return (
        way != 0
        and way == -_direction(b)
        and not MARKETS.isdisjoint(set(a) & set(b))
        and generic_reading(a, ents_a)
        and generic_reading(b, ents_b)
        and not shared_cause(a, b, ents_a, ents_b)
    )


# The wraps' own words for a cause: a mood ("tariff fears", "rate cut hopes"), a release ("inflation
# data", "bank earnings"), a mark ("record high"). Any two wraps may share them.
_WRAP_TERMS = frozenset(
    map(
        stem,
        """fears fear worries worry concerns jitters hopes hope optimism pessimism uncertainty
        sentiment bets traders investors prices price data report earnings session record high
        low""".split(),
    )
)
_MARKET_TERMS = frozenset(map(stem, _MARKET_NAMES))
# What follows a change's size ("2 percent", "300 points"): no level of the cause's.
_CHANGE_UNITS = frozenset("percent pct points pts bps".split())
# Words inside one name: "Strait of Hormuz", "Bank of Japan".
_NAME_JOINS = frozenset(["of", "the"])
# Below this IDF in the shipped background (a word in about 2% of news articles or more), a word
# names no one event: a verb of every day's news ("holds", "closes", "take effect"), a name in
# all of it ("Trump", "China").
_RARE_IDF = 4.0


def shared_cause(
    a: tuple[str, ...], b: tuple[str, ...], ents_a: Collection[str], ents_b: Collection[str]
) -> bool:
    """Do two market readings (headline words `a`, `b`) name one cause, so that going the other
    way days later they are one event's, not two sessions ("Oil soars as Iran closes Strait of
    Hormuz", then "Oil falls as Iran reopens Strait of Hormuz")? At least two distinctive words
    of the cause in common, not all of one name (see `_causes`)."""
    causes_a = _causes(a, ents_a)
    if len(causes_a) < 2:  # most wraps: a cause of one distinctive word at most
        return False
    causes_b = _causes(b, ents_b)
    shared = causes_a.keys() & causes_b.keys()
    if len(shared) < 2:
        return False
    # One name is one word however it is spelt out: fewer names in one headline than the other
    # can only mean two shared words belong to one.
    return min(len({causes_a[t] for t in shared}), len({causes_b[t] for t in shared})) >= 2


def _causes(tokens: tuple[str, ...], ents: Collection[str]) -> dict[str, str]:
    """The distinctive words of a reading's cause (its words after the move), stemmed, each
    mapped to the name it is part of (its first such word: "strait" and "hormuz" of "Strait of
    Hormuz", "fed" and "powell" of "Fed's Powell"), or to itself.

    Not distinctive: a market's own name and moves, the wraps' own vocabulary (`_WRAP_TERMS`),
    words common in news at large (`_rare`: "holds", "take effect", "Trump"), and a change's
    size ("falls 2%", "climbs 300 points"); a level ("past $100,000") is. Who acts alone, the
    Fed, the ECB or "tech", is one word: a cause of every week's wraps, and so no event."""
    out: dict[str, str] = {}
    rest = tokens[len(subject(tokens)) + 1 :]
    name: str | None = None  # the current run of names' first distinctive word ("" before one)
    j = 0
    while j < len(rest):
        word = rest[j]
        if has_digit(word):
            end = j + 1
            while end < len(rest) and has_digit(rest[end]):  # "100", "000" of "$100,000"
                end += 1
            if j and (end == len(rest) or rest[end] not in _CHANGE_UNITS):
                figure = " ".join(rest[j:end])
                out[figure] = figure
            j, name = end, None
            continue
        j += 1
        key = word.removesuffix("'s")
        proper = "p:" + key in ents
        if proper:
            name = "" if name is None else name
        elif name is not None and word not in _NAME_JOINS:  # "Bank of Japan" goes on
            name = None
        if len(key) < 2 or key in STOPWORDS or key in _MOVES:
            continue
        term = stem(key)
        if term in _WRAP_TERMS or term in _MARKET_TERMS or not _rare(term):
            continue
        if proper:
            name = name or term
            out[term] = name
        else:
            out[term] = term
    return out


@text_cache(maxsize=4096, max_chars=WORD_CHARS)
def _rare(term: str) -> bool:
    """Is `term` distinctive in news at large, by the shipped background's IDF? (Every term is,
    without one: then wraps sharing a common word join as they did before this rule.)"""
    return _background().idfs([term])[term] >= _RARE_IDF


@lru_cache(maxsize=1)
def _background() -> TermStats:
    """Document frequencies of the background alone: a word's rarity in news at large, the same
    in every process and at every point of the stream."""
    return TermStats(background=load_background())


def page(tokens: tuple[str, ...]) -> tuple[str, ...] | None:
    """The name of the page of the day a headline opens with: its words up to "today" ("weather
    today", "gold price today"), or "today's" and the two after it; None for a headline that only
    says "today" further on."""
    for i, token in enumerate(tokens[:4]):
        if token in TODAY:
            name = tokens[: i + 1] if i else tokens[:3]
            return name if len(name) >= 2 + (not i) else None
    return None


def same_page(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Do both headlines open with one page of the day ("gold price today: ...")?"""
    name = page(a)
    return name is not None and name == page(b)


def magnitudes(text: str) -> set[str]:
    """The quake magnitudes a headline states ("5.4"); call only for one with a digit."""
    if "agnitude" not in text and "M" not in text:
        return set()
    return {f"{float(next(filter(None, m.groups()))):.1f}" for m in _MAGNITUDE_RE.finditer(text)}


def other_quake(a: frozenset[str], b: frozenset[str]) -> bool:
    """Are the magnitudes `a` and `b` further apart than a revision ("6.1" / "6.3")?"""
    return all(
        abs(round(float(x) * 10) - round(float(y) * 10)) > _MAGNITUDE_TENTHS for x in a for y in b
    )
