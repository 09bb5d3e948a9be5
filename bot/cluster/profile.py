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
from dataclasses import dataclass

from bot.cluster.features import (
    FeatureWeights,
    TermStats,
    content_terms,
    entities,
    first_words,
    raw_features,
)
from bot.textutil import STOPWORDS, fold

# A capitalised token in running prose (not at a sentence start): a name, place or organisation.
_CAP_RE = re.compile(r"(?<![.!?:\"“]\s)\b([A-Z][a-zA-Z'’-]+)")
_NUM_RE = re.compile(r"\d[\d,.]*\d|\d")
_TITLE_CASE_RATIO = 0.6


@dataclass(slots=True)
class Raw:
    """What an article contributes before IDF: field term counts, entity and number keys."""

    full: dict[str, float]
    title: dict[str, float]
    lead: dict[str, float]
    ents: set[str]  # "p:name" single proper nouns and "e:multi word" runs
    nums: set[str]  # normalised figures ("4000", "9.4")

    def all_keys(self) -> set[str]:
        return self.full.keys() | self.ents | self.nums


@dataclass(slots=True)
class Profile:
    vec: dict[str, float]  # whole article, field-weighted, L2-normalised
    title: dict[str, float]  # headline only
    lead: dict[str, float]  # first sentences only
    ents: dict[str, float]  # entity key -> idf
    ent_norm: float  # sqrt(sum idf^2) of ents
    nums: frozenset[str]


def _counts(terms: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for t in terms:
        out[t] = out.get(t, 0.0) + 1.0
    return out


def _proper_nouns(text: str) -> set[str]:
    tokens = text.split()
    if len(tokens) >= 5 and sum(t[:1].isupper() for t in tokens) / len(tokens) >= _TITLE_CASE_RATIO:
        return set()  # Title Case headline: every word is capitalised, none is evidence
    out = set()
    for m in _CAP_RE.finditer(text):
        if m.start() == 0:
            continue
        w = fold(m.group(1)).strip("'’-")
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) > 1 and w not in STOPWORDS:
            out.add("p:" + w)
    return out


def _numbers(text: str) -> set[str]:
    out = set()
    for m in _NUM_RE.finditer(text):
        n = m.group(0).replace(",", "").rstrip(".")
        if n and not (len(n) == 1 and n in "0123456789"[:2]):  # "1" and "0" say little
            out.add("#" + n)
    return out


def raw_profile(title: str, text: str, w: FeatureWeights) -> Raw:
    lead = first_words(text, w.lead_words)
    if title and lead.startswith(title[:40]):
        lead = lead[len(title) :]
    ents = _proper_nouns(lead) | _proper_nouns(title)
    ents.update("e:" + e for e in entities(lead))
    ents.update("e:" + e for e in entities(title))
    return Raw(
        full=raw_features(title, text, w),
        title=_counts(content_terms(title)),
        lead=_counts(content_terms(lead)),
        ents=ents,
        nums=_numbers(title) | _numbers(lead),
    )


def _unit(raw: dict[str, float], stats: TermStats) -> dict[str, float]:
    vec = {t: (1.0 + math.log(f) if f > 1.0 else f) * stats.idf(t) for t, f in raw.items()}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items() if v > 0.0} if norm > 0.0 else {}


def weigh_profile(raw: Raw, stats: TermStats, max_terms: int) -> Profile:
    from bot.cluster.features import weigh

    ents = {e: stats.idf(e) for e in raw.ents}
    return Profile(
        vec=weigh(raw.full, stats, max_terms),
        title=_unit(raw.title, stats),
        lead=_unit(raw.lead, stats),
        ents=ents,
        ent_norm=math.sqrt(sum(v * v for v in ents.values())),
        nums=frozenset(raw.nums),
    )
