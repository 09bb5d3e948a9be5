"""An article's matching profile: separate title, lead and whole-article vectors, named entities
and numbers, weighed once on arrival and cached.

One bag of words over everything can't tell "two headlines about the same event" from "two leads
that share the usual political vocabulary". Kept apart, the fields become separate pieces of
evidence that the pair model (`pair.py`) weighs: a shared headline focus, shared people and
places, an agreeing figure.
"""

from __future__ import annotations

import math
import re
import zlib
from array import array
from dataclasses import dataclass
from operator import itemgetter

from bot.cluster.bylines import byline
from bot.cluster.features import (
    FeatureWeights,
    TermStats,
    content_terms,
    entities,
    first_words,
    remember,
    title_case,
)
from bot.cluster.marks import marks
from bot.cluster.periods import periods
from bot.cluster.specifics import identifiers, shape
from bot.text_cache import WORD_CHARS
from bot.textutil import STOPWORDS, fold

# A capitalised token in running prose (not at a sentence start): a name, place or organisation.
# The lookahead first: only where a capital stands is the lookbehind worth checking.
_CAP_RE = re.compile(r"(?=[A-Z])(?<![.!?:\"“]\s)\b([A-Z][a-zA-Z'’-]+)")
_NUM_RE = re.compile(r"\d[\d,.]*\d|\d")


@dataclass(slots=True)
class Raw:
    """What an article contributes before IDF: field term counts, entity and number keys."""

    full: dict[str, float]
    title: dict[str, float]
    lead: dict[str, float]
    ents: set[str]  # "p:name" single proper nouns and "e:multi word" runs
    nums: set[str]  # normalised figures ("4000", "9.4")
    marks: dict[str, frozenset[str]]  # typed date and figure mentions (see marks.py)
    ids: dict[str, frozenset[str]]  # labelled identifiers ("draw" -> {"4127"}, specifics.py)
    shape: tuple[str, ...]  # headline words, when a template conflict could involve it
    byline: str  # the outlet a headline's tail names ("... - Reuters"), "" for none
    periods: dict[str, frozenset[str]]  # the report's stated periods (see periods.py)

    def all_keys(self) -> set[str]:
        return self.full.keys() | self.ents | self.nums

    def weighed_keys(self) -> set[str]:
        """The keys whose IDF is ever read: figures are only compared as sets, never weighed."""
        return self.full.keys() | self.ents


@dataclass(slots=True)
class Profile:
    vec: dict[str, float]  # whole article, field-weighted, L2-normalised
    title: dict[str, float]  # headline only
    lead: dict[str, float]  # first sentences only
    ents: dict[str, float]  # entity key -> idf
    ent_norm: float  # sqrt(sum idf^2) of ents
    nums: frozenset[str]
    marks: dict[str, frozenset[str]]
    ids: dict[str, frozenset[str]]
    shape: tuple[str, ...]
    byline: str
    periods: dict[str, frozenset[str]]
    # The strongest terms of `vec`, strongest first (the order of a stable sort): the article's
    # query to the story index, ranked here because that doesn't depend on any clustering
    # decision, so for a batch the analysis worker does it instead of the deciding process.
    strongest: tuple[str, ...]
    # The IDF the article was weighed with (`pack_idf`), for the pipeline to store: with it a
    # restart rebuilds this very profile (`weigh_profile(raw, ..., idf=unpack_idf(...))`) rather
    # than one weighed with the statistics of the day. Emptied once handed over (`take_idf`).
    idf: bytes = b""
    # What the text yielded (`Raw`, `kept_raw.pack_raw`), for the pipeline to store beside the
    # IDF: a restart then weighs it rather than reading the text again. Emptied once handed over.
    raw: bytes = b""


def _counts(terms: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for t in terms:
        out[t] = out.get(t, 0.0) + 1.0
    return out


def _proper_nouns(text: str, titled: bool) -> set[str]:
    if titled:
        return set()  # Title Case headline: every word is capitalised, none is evidence
    words = _CAP_RE.findall(text)
    if words and _CAP_RE.match(text):
        words = words[1:]  # the text's first word is capitalised by position, not as a name
    cache = _NOUNS
    keys = set(map(cache.get, words))
    if None in keys:
        keys.discard(None)
        for w in words:
            key = cache.get(w)
            if key is None:
                key = _noun_key(w)
                remember(cache, w, key, _NOUNS_CAP, WORD_CHARS)  # bounded for a long-running bot
            keys.add(key)
    keys.discard("")
    return keys  # type: ignore[return-value]


# Capitalised word as matched -> "p:name" key, or "" when it is no evidence (stopword, 1 letter).
# 10,000 real articles held 7,200 words; full it adds about 2.5 MB (300,000 entries: 44 MB).
_NOUNS: dict[str, str] = {}
_NOUNS_CAP = 16_384


def _noun_key(word: str) -> str:
    w = fold(word).strip("'’-")
    if w.endswith("'s"):
        w = w[:-2]
    return "p:" + w if len(w) > 1 and w not in STOPWORDS else ""


def _numbers(text: str) -> set[str]:
    out = set()
    for m in _NUM_RE.finditer(text):
        n = m.group(0).replace(",", "").rstrip(".")
        if n and not (len(n) == 1 and n in "0123456789"[:2]):  # "1" and "0" say little
            out.add("#" + n)
    return out


def raw_profile(title: str, text: str, w: FeatureWeights) -> Raw:
    """Every field tokenised once: the whole-article vector is built from the same pieces."""
    body = first_words(text, w.body_words)
    lead = first_words(body, w.lead_words)
    tail = body[len(lead) :]
    # Many feeds repeat the headline as the first line of the body: count it once, as the title.
    if title and lead.startswith(title[:40]):
        lead = lead[len(title) :]
    title_terms = content_terms(title)
    lead_terms = content_terms(lead)
    # Both entity runs and proper nouns ignore Title Case text: tell once per field.
    lead_titled = title_case(lead.split())
    title_titled = title_case(title.split())
    lead_ents = entities(lead, lead_titled)
    title_ents = entities(title, title_titled)
    full: dict[str, float] = {}
    get = full.get
    # Plain loops, not a helper per field: this runs once per token of every article.
    for terms, weight in (
        (title_terms, w.title),
        (lead_terms, w.lead),
        (content_terms(tail), w.body),
    ):
        for t in terms:
            full[t] = get(t, 0.0) + weight
    for e in lead_ents:
        full["e:" + e] = get("e:" + e, 0.0) + w.entity
    for e in title_ents:
        full["e:" + e] = get("e:" + e, 0.0) + w.entity
    for t in lead_terms:
        if t[:1].isdigit():
            full["n:" + t] = get("n:" + t, 0.0) + w.number
    ents = _proper_nouns(lead, lead_titled) | _proper_nouns(title, title_titled)
    ents.update("e:" + e for e in lead_ents)
    ents.update("e:" + e for e in title_ents)
    head = title + "\n" + lead  # where an article states its date, figures and identifiers
    typed = marks(head)
    return Raw(
        # Sublinear term frequency: a name repeated ten times is not ten times the evidence.
        full={t: 1.0 + math.log(f) if f > 1.0 else f for t, f in full.items()},
        title=_counts(title_terms),
        lead=_counts(lead_terms),
        ents=ents,
        nums=_numbers(title) | _numbers(lead),
        marks=typed,
        ids=identifiers(title),  # a lead names the next game too: "Game 6 is Friday"
        shape=shape(title),
        byline=byline(title),
        periods=periods(
            title,
            head,
            not typed.keys().isdisjoint("%$c"),
            # A headline's counts are among the head's: most heads state none.
            marks(title).get("c", frozenset()) if "c" in typed else frozenset(),
        ),
    )


def _unit(raw: dict[str, float], idf: dict[str, float]) -> dict[str, float]:
    vec = {t: (1.0 + math.log(f) if f > 1.0 else f) * idf[t] for t, f in raw.items()}
    norm = math.sqrt(sum([v * v for v in vec.values()]))
    return {t: v / norm for t, v in vec.items() if v > 0.0} if norm > 0.0 else {}


def weigh_profile(
    raw: Raw,
    stats: TermStats,
    max_terms: int,
    query_terms: int,
    idf: dict[str, float] | None = None,
    *,
    pack: bool = True,
) -> Profile:
    """`query_terms`: how many of the strongest terms to rank for the story index;
    `idf`: the IDF of `raw.weighed_keys()`, when the caller already has it; `pack` false: no
    `Profile.idf` (a restart's profiles, whose IDF is stored already, keep none)."""
    # One IDF lookup per distinct key: the fields share most of their terms.
    if idf is None:
        idf = stats.idfs(raw.weighed_keys())
    vec = {t: f * idf[t] for t, f in raw.full.items()}
    if len(vec) > max_terms:
        vec = dict(sorted(vec.items(), key=lambda kv: kv[1], reverse=True)[:max_terms])
    norm = math.sqrt(sum([v * v for v in vec.values()]))
    unit = {t: v / norm for t, v in vec.items() if v > 0.0} if norm > 0.0 else {}
    strongest = sorted(unit.items(), key=itemgetter(1), reverse=True)[:query_terms]
    # Sorted: a set's order follows the process's hash seed, and every process (the analysis
    # worker too) and every run must sum `ent_norm` alike to produce bit-identical profiles.
    ents = {e: idf[e] for e in sorted(raw.ents)}
    return Profile(
        vec=unit,
        title=_unit(raw.title, idf),
        lead=_unit(raw.lead, idf),
        ents=ents,
        ent_norm=math.sqrt(sum([v * v for v in ents.values()])),
        nums=frozenset(raw.nums),
        marks=raw.marks,
        ids=raw.ids,
        shape=raw.shape,
        byline=raw.byline,
        periods=raw.periods,
        strongest=tuple([t for t, _ in strongest]),
        idf=pack_idf(raw, idf) if pack else b"",
    )


def pack_idf(raw: Raw, idf: dict[str, float]) -> bytes:
    """The IDF of `raw`'s weighed keys as doubles in the keys' sorted order (8 bytes a key), after
    a checksum of those keys (4 bytes)."""
    keys = sorted(raw.weighed_keys())
    return _keys_sum(keys) + array("d", map(idf.__getitem__, keys)).tobytes()


def unpack_idf(raw: Raw, packed: bytes) -> dict[str, float] | None:
    """`pack_idf` read back against the same text's keys; None when they are not the keys it was
    packed with (the article's text was corrected since)."""
    keys = sorted(raw.weighed_keys())
    if len(packed) != 4 + 8 * len(keys) or packed[:4] != _keys_sum(keys):
        return None
    return dict(zip(keys, array("d", packed[4:]), strict=True))


def _keys_sum(keys: list[str]) -> bytes:
    return zlib.crc32("\n".join(keys).encode("utf-8", "surrogatepass")).to_bytes(4, "little")
