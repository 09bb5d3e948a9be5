"""The pieces of an article's matching vector: terms, entities, IDF statistics, the dot product.

`profile.py` assembles them into the vector; this is what goes into it and why.

Plain bag-of-words TF-IDF over title+body tops out around 0.8 B-cubed F1 on a busy news week: many
stories share the same vocabulary ("trump", "senate", "vote"). What separates them is *which*
people, places and numbers are named, and what the headline is about. So a vector here mixes:

- title words, weighted up (a headline is the densest statement of the event);
- lead words (the first sentences, which RSS items carry anyway), at unit weight;
- a lightly weighted tail of the body, capped, so long noisy documents don't dominate;
- named entities: capitalised word sequences ("Kim Jong Un", "Supreme Court") as extra terms;
- numbers ("23 steps", "$1.2 billion") as extra terms: rare, and very specific to one event.

IDF comes from `TermStats`, a smoothed estimate that is stable whether 50 or 50,000 documents were
seen, so one similarity threshold works at every corpus size.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from operator import mul

from bot.text_cache import WORD_CHARS, stemmer, text_cache
from bot.textutil import STOPWORDS, fold, words

_STEMMER = stemmer("english")

# Capitalised runs, allowing a few lowercase connectors inside ("Bank of England", "Abu al-Bashir").
_ENTITY_RE = re.compile(
    r"(?:[A-Z][\w'’.-]*[\w]|[A-Z])(?:\s+(?:(?:of|de|del|la|al|bin|van|von|der)\s+)?"
    r"(?:[A-Z][\w'’.-]*[\w]|[A-Z]))*"
)
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")
# Headline styles capitalise every word; entity runs are only informative in running prose.
_TITLE_CASE_RATIO = 0.6

# Extra words that are capitalised often but name nothing (datelines, weekdays, months).
_ENTITY_STOP: frozenset[str] = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december mr mrs ms dr rep sen gov pres president
    """.split()
)


@dataclass(frozen=True, slots=True)
class FeatureWeights:
    """How much each part of an article counts. Defaults were tuned on held-out news weeks."""

    title: float = 2.0
    lead: float = 1.0
    body: float = 0.35
    entity: float = 1.2
    number: float = 0.8
    lead_words: int = 60  # words of body text counted as "lead"
    body_words: int = 300  # words of body text read at all (full-text items are noisy past this)
    max_terms: int = 80  # keep only the strongest terms: bounds cost, drops noise


@text_cache(maxsize=4096, max_chars=WORD_CHARS)
def stem(word: str) -> str:
    """Snowball stem of a folded word, so 'proposals' meets 'proposal' (cached: words repeat)."""
    if len(word) <= 3 or _is_number(word):
        return word
    return _STEMMER.stemWord(word.replace("'", "").rstrip("."))


_DIGIT_RE = re.compile(r"\d")


def _is_number(word: str) -> bool:
    return _DIGIT_RE.search(word) is not None


# Folded word -> its matching term, "" for words that are dropped (stopwords, single letters).
# A plain dict lookup per token is far cheaper than stopword test + lru_cache call. Emptied when
# a new word would pass the cap (results don't change: entries are pure functions of their key),
# so a long-running bot's memory stays bounded. The cap holds over a week of 40 feeds' words
# (10,000 real articles: 29,000 distinct words), so emptying is rare and the refill is cheap;
# full it adds about 13 MB to the process (it was 300,000 entries, 41 MB). No word over
# `WORD_CHARS` is kept, as in the word caches: Chinese without spaces is one "word" of a whole
# text, and 65,536 such keys would hold gigabytes.
_TERMS: dict[str, str] = {}
_TERMS_CAP = 65_536


def _term(word: str) -> str:
    if len(word) <= 1 or word in STOPWORDS:
        return ""
    return stem(word)


def remember(table: dict[str, str], key: str, value: str, cap: int, max_chars: int) -> None:
    """Keep a word table's new entry: the table (`_TERMS`, `_ENTITIES`, `profile._NOUNS`) is
    emptied first when it holds `cap` (checked only where it grows, so it never holds more;
    entries are pure functions of their keys, so emptying changes no result), and no key over
    `max_chars` is kept at all."""
    if len(key) <= max_chars:
        if len(table) >= cap:
            table.clear()
        table[key] = value


def content_terms(text: str) -> list[str]:
    """Stemmed content words of `text`, numbers kept verbatim."""
    cache = _TERMS
    tokens = words(text)
    # map/filter keep the per-token work in C; only unseen words reach Python.
    terms = list(map(cache.get, tokens))
    if None in terms:
        for i, t in enumerate(terms):
            if t is None:
                w = tokens[i]
                t = cache.get(w)
                if t is None:
                    t = _term(w)
                    remember(cache, w, t, _TERMS_CAP, WORD_CHARS)
                terms[i] = t
    return list(filter(None, terms))


def title_case(tokens: list[str]) -> bool:
    """Headline styles capitalise every word; then capitalisation carries no signal."""
    if len(tokens) < 5:
        return False
    # One C-level pass over the tokens' first letters instead of a generator per token.
    capitalised = sum(map(str.isupper, "".join([t[0] for t in tokens])))
    return capitalised / len(tokens) >= _TITLE_CASE_RATIO


def entities(text: str, titled: bool | None = None) -> list[str]:
    """Folded multi-word capitalised sequences in running prose ('kim jong un', 'supreme court').

    Single capitalised words are already ordinary terms; the run adds the *combination*, which is
    what tells "Justice Department" from "Justice Kennedy". Title-case headlines give no signal.
    `titled`: `title_case(text.split())`, when the caller already knows it.
    """
    if title_case(text.split()) if titled is None else titled:
        return []
    cache = _ENTITIES
    runs = _ENTITY_RE.findall(text)
    found = list(map(cache.get, runs))
    if None in found:
        for i, run in enumerate(runs):
            if found[i] is None:
                key = cache.get(run)  # the same run may be twice in the text
                if key is None:
                    key = _entity(run)
                    remember(cache, run, key, _ENTITIES_CAP, ENTITY_CHARS)
                found[i] = key
    return list(filter(None, found))


# Capitalised run as matched -> its entity key, "" when it names nothing after trimming. Bounded
# like `_TERMS`: 10,000 real articles held 12,500 runs; full it adds about 3.4 MB (was 37 MB).
_ENTITIES: dict[str, str] = {}
_ENTITIES_CAP = 32_768
# The longest run kept: a name of four long words ("Federal Emergency Management Agency" is
# 35 characters). A page in capitals, or runs of capitalised words a feed strings together,
# make runs of any length; those are worked out each time.
ENTITY_CHARS = 4 * WORD_CHARS


def _entity(run: str) -> str:
    parts = [fold(p).strip("'.-") for p in run.split()]
    # Drop a sentence-initial function word ("The Senate" -> "senate").
    while parts and (parts[0] in STOPWORDS or parts[0] in _ENTITY_STOP):
        parts = parts[1:]
    while parts and (parts[-1] in STOPWORDS or parts[-1] in _ENTITY_STOP):
        parts = parts[:-1]
    return " ".join(parts) if len(parts) >= 2 else ""


def first_words(text: str, n: int) -> str:
    """Roughly the first `n` whitespace-separated words, without tokenising the whole text.

    The cut is the n-th space at index >= 1 (runs of spaces count one by one), exclusive.
    """
    # Most texts are shorter than the cut: counting spaces finds that without building a word
    # list (`split` below would give at most n parts exactly when there are fewer than n).
    if text.count(" ", 1) < n:
        return text
    rest = text[1:]
    parts = rest.split(" ", n)  # C-level; only the tail after the n-th space is left whole
    return text[: len(text) - len(parts[-1]) - 1]


class TermStats:
    """Document frequencies with a smoothed IDF that does not swing with corpus size.

    idf(t) = log((N + K) / (df(t) + K * prior)), capped at `max_idf`.

    - With few documents (N << K) every term gets about the same weight, log(1 / prior): a young
      corpus can't yet tell common from rare, so it doesn't pretend to.
    - As N grows the estimate moves to the corpus' own frequencies, but the cap stops rare terms
      from gaining weight forever as log(N) does in plain IDF, so a threshold tuned on 3,000
      documents still means the same thing on 30,000.
    - Counts decay with `half_life` documents, so a long-running bot's statistics track the
      recent news mix and the table of counts stays bounded (entries that decay away are pruned).
    """

    def __init__(
        self,
        prior: float = 0.01,
        pseudo_docs: float = 300.0,
        max_idf: float = 7.0,
        half_life: float = 20_000.0,
        background: tuple[Mapping[int, float], float] | None = None,
        background_weight: float = 1.0,
    ) -> None:
        # Background document frequencies (keyed by `term_hash`) from a separate news corpus act
        # as prior counts: a young corpus then already knows "trump" is common and "nordtel" is
        # not, instead of weighing every word alike until it has seen thousands of articles.
        self._bg_df: Mapping[int, float] = background[0] if background else {}
        self._bg_n = background[1] * background_weight if background else 0.0
        self._bg_w = background_weight
        self._bg_seen: dict[str, float] = {}  # term -> weighted background df, pruned with _df
        self.prior = prior
        self.pseudo_docs = pseudo_docs
        self.max_idf = max_idf
        self._decay = 0.5 ** (1.0 / half_life)
        # Counts are stored in units that grow by 1/decay each doc, so decay costs nothing per doc.
        self._scale = 1.0
        self._df: dict[str, float] = {}
        self._n = 0.0
        # Terms counted since `take_changes`, for a caller that stores the counts to rewrite only
        # those; None when every count is to be rewritten (never taken yet, a rescale, new counts).
        self._changed: set[str] | None = None

    @property
    def n_docs(self) -> float:
        return self._n / self._scale

    def add(self, terms: Collection[str]) -> None:
        self._scale *= self._decay
        if self._scale < 0.5:  # once per half-life: fold the scale in and prune faded terms
            self._rescale()
        inc = 1.0 / self._scale
        self._n += inc
        df = self._df
        for t in terms:
            df[t] = df.get(t, 0.0) + inc
        if self._changed is not None:
            self._changed.update(terms)

    def counts(self) -> tuple[dict[str, float], float, float]:
        """The live counts (not the background table): what a replica needs to weigh the same."""
        return self._df, self._n, self._scale

    def set_counts(self, counts: tuple[dict[str, float], float, float]) -> None:
        self._df, self._n, self._scale = counts
        self._changed = None

    def take_changes(self) -> dict[str, float] | None:
        """The counts (in the stored units) of the terms counted since the last call, or None when
        all of them may have changed since (the first call, a rescale, `set_counts`): what a
        caller keeping a copy of the counts must write to stay equal to them. A term's units
        change only when it is counted (a document's decay is in the scale), so the copy's other
        entries stay right. Tracking starts with the first call."""
        changed, self._changed = self._changed, set()
        if changed is None:
            return None
        df = self._df
        return {t: df[t] for t in changed}

    def _rescale(self) -> None:
        s = self._scale
        self._df = {t: c * s for t, c in self._df.items() if c * s > 0.05}
        self._bg_seen = {}
        self._n *= s
        self._scale = 1.0
        self._changed = None  # every unit changed, and the faded terms are gone

    def idfs(self, terms: Iterable[str]) -> dict[str, float]:
        """`idf` of each term, with the per-call constants hoisted (the hot path of weighing)."""
        df_get = self._df.get
        scale = self._scale
        k = self.pseudo_docs
        kp = k * self.prior
        top = self._n * scale + self._bg_n + k
        cap = self.max_idf
        log = math.log
        out: dict[str, float] = {}
        if self._bg_n:
            seen = self._bg_seen
            bg_df = self._bg_df
            bg_w = self._bg_w
            for t in terms:
                bg = seen.get(t)
                if bg is None:
                    bg = seen[t] = bg_w * bg_df.get(term_hash(t), 0.0)
                value = log(top / (df_get(t, 0.0) * scale + bg + kp))
                out[t] = cap if value > cap else (value if value > 0.0 else 0.0)
        else:
            for t in terms:
                value = log(top / (df_get(t, 0.0) * scale + kp))
                out[t] = cap if value > cap else (value if value > 0.0 else 0.0)
        return out


def term_hash(term: str) -> int:
    """A stable 32-bit key for a term: the shipped background table stores numbers, not words."""
    return zlib.crc32(term.encode("utf-8"))


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    # Key-set intersection runs in C; only the few shared terms are touched in Python.
    shared = a.keys() & b.keys()
    if not shared:  # often so for headlines and leads (0, as an empty sum gives)
        return 0
    # The products in C, without a list comprehension's own function call (~400k dots per 30k
    # articles on Python 3.11). Still `sum`, over the set's one iteration order: from 3.12 `sum`
    # adds floats with compensation, and a plain `+=` loop would give other last bits there.
    return sum(map(mul, map(a.__getitem__, shared), map(b.__getitem__, shared)))
