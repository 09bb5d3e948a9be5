"""Finding the story a user means in `/story <slug | prefix | words>`.

A pure function over candidates the store hands in, so the resolution rules can be tested
without a database. The order of the rules is the contract users learn:

1. the exact slug (or story id), then an alias (old slug of a story merged into another); a slug
   typed letter for letter beats one that only matches case- and accent-folded, since two
   non-Latin slugs can fold alike ("всё-банке", "все-банке");
2. a slug prefix that only one story has;
3. words searched over slug, headline and the titles of the story's articles, all of which must
   match; when no story has the words as typed, their regular plural or singular count too, as
   in topic queries ("vaccines" finds "vaccine"); a word in the slug or headline ranks above one only in member titles, and
   one most of the titles use above one a single title uses;
4. otherwise "did you mean" suggestions by edit distance and shared words.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import accumulate
from typing import Literal

from bot.textutil import STOPWORDS, fold, words
from bot.topics.inflect import inflections

Reason = Literal["exact", "alias", "prefix", "search", "ambiguous", "none"]

# Letters and digits of any script: slugs of non-Latin stories keep their own letters.
_NON_SLUG_RE = re.compile(r"[\W_]+")
# A search hit must beat the runner-up by this much to be returned on its own: roughly one
# more exactly-matched word, so ties and near-ties are shown to the user instead of guessed.
_CLEAR_MARGIN = 0.75
_MIN_PREFIX_WORD = 3
# textutil keeps "covid-19" and "japan's" whole; searching by their parts is friendlier.
_INNER_PUNCT_RE = re.compile(r"[-.']+")
# A word found only in member titles: below one in the headline or slug (1.0), above a prefix of
# one (0.5); plus up to _TITLE_SHARE for the share of the titles that use it.
_TITLE_WORD = 0.5
_TITLE_SHARE = 0.25
# Member titles searched per story, and characters per title: bounds on a search's cost.
_MAX_TITLES = 50
_MAX_TITLE_CHARS = 300
# Query words searched and matched for "did you mean", and the characters of the query they are
# taken from: a pasted paragraph costs no more than a headline.
_MAX_QUERY_WORDS = 8
_MAX_QUERY_CHARS = 300


@dataclass(frozen=True)
class StoryRef:
    story_id: str
    slug: str
    aliases: tuple[str, ...]
    headline: str
    last_seen: datetime
    # The titles of the story's articles, searched too (the headline is only one of them).
    titles: tuple[str, ...] = ()


@dataclass
class Lookup:
    story: StoryRef | None
    suggestions: list[StoryRef] = field(default_factory=list)
    reason: Reason = "none"


def slugify(text: str) -> str:
    """Folded, lowercase, '-'-separated form used to compare what users type with slugs."""
    return _NON_SLUG_RE.sub("-", fold(text)).strip("-")


def query_text(query: str) -> str:
    """The query as typed, without surrounding space or the '#' some people put before slugs."""
    return query.strip().lstrip("#")


def exact_forms(query: str) -> list[str]:
    """The spellings that count as typing a slug exactly: as typed, and lowercase NFKC (slugs are
    stored that way), but not folded: folding merges letters that other scripts tell apart."""
    raw = query_text(query)
    return [f for f in dict.fromkeys((raw, unicodedata.normalize("NFKC", raw).lower())) if f]


def _newest_first(refs: Iterable[StoryRef]) -> list[StoryRef]:
    return sorted(refs, key=lambda r: (r.last_seen, r.slug), reverse=True)


def find_story(query: str, candidates: Sequence[StoryRef], *, limit: int = 5) -> Lookup:
    raw = query_text(query)
    key = slugify(raw)
    corpus = _Corpus(candidates)
    prefixed: list[StoryRef] = []
    # An empty slug form (only punctuation or symbols) skips the slug rules, but the words of
    # the query are still searched in the headlines below.
    if key:
        typed = set(exact_forms(raw))
        # Letter for letter first, folded second: see rule 1 in the module docstring.
        for named in (_named(candidates, typed, raw), _named_folded(corpus, key)):
            if named is not None:
                return named
        prefixed = _newest_first(
            r for r, k in zip(candidates, corpus.keys, strict=True) if k.startswith(key)
        )

    hits = _search(raw, corpus)
    whole = [(score, ref) for score, is_whole, ref in hits if is_whole]
    if whole:
        # Rule 2: "rate" is the story with the word "rate", not "rates-rise-in-uk" whose slug
        # merely starts with it; those that only start with it are offered next to it.
        others = _merge([ref for _, ref in whole], prefixed, [ref for _, _, ref in hits])
        best = _clear_best(whole)
        if best is not None:
            return Lookup(best, [r for r in others if r is not best][:limit], "search")
        return Lookup(None, others[:limit], "ambiguous")
    if len(prefixed) == 1:
        return Lookup(prefixed[0], [], "prefix")
    best = _clear_best([(score, ref) for score, _, ref in hits])
    if best is not None:
        return Lookup(best, [], "search")
    if hits or prefixed:
        ranked = _merge([ref for _, _, ref in hits], prefixed)
        return Lookup(None, ranked[:limit], "ambiguous")

    if not key:
        return Lookup(None, _newest_first(candidates)[:limit], "none")
    return Lookup(None, _did_you_mean(key, raw, corpus, limit), "none")


def _clear_best(scored: list[tuple[float, StoryRef]]) -> StoryRef | None:
    """The top of `scored` (best first) when it beats the runner-up clearly, else None."""
    if len(scored) == 1 or (len(scored) > 1 and scored[0][0] - scored[1][0] >= _CLEAR_MARGIN):
        return scored[0][1]
    return None


def _named(candidates: Sequence[StoryRef], typed: set[str], raw: str) -> Lookup | None:
    """The story whose slug (or id), else alias, is one of the `typed` spellings."""
    exact = [c for c in candidates if c.slug in typed or c.story_id == raw]
    if exact:
        return Lookup(_newest_first(exact)[0], [], "exact")
    alias = [c for c in candidates if not typed.isdisjoint(c.aliases)]
    if alias:
        # Two stories claiming one old slug should not happen; the newer merge is the live one.
        return Lookup(_newest_first(alias)[0], [], "alias")
    return None


def _named_folded(corpus: _Corpus, key: str) -> Lookup | None:
    """`_named` comparing slug forms (`slugify`), as typed without accents or in other case."""
    refs = corpus.refs
    exact = [r for r, k in zip(refs, corpus.keys, strict=True) if k == key]
    if exact:
        return Lookup(_newest_first(exact)[0], [], "exact")
    alias = [r for r, ks in zip(refs, corpus.alias_keys, strict=True) if key in ks]
    if alias:
        return Lookup(_newest_first(alias)[0], [], "alias")
    return None


# Between stories in `_Corpus.texts` (the ASCII record separator; no word character).
_RECORD = "\x1e"
# A slug already in slug form, as nearly all are: slugify() would return it unchanged.
_PLAIN_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# ASCII characters that are not word characters (\w), as spaces: see `_spaced`.
_ASCII_GAPS = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_" or c == _RECORD)}
)
_TOKEN_RE = re.compile(r"\w+")


def _slug_key(name: str) -> str:
    return name if _PLAIN_SLUG_RE.fullmatch(name) else slugify(name)


def _spaced(text: str) -> str:
    """The `_terms` of `text` as one string, each word between spaces: " w" in it says some
    word starts with w, and " w " that w is a word, tested at C speed: tokenizing every title of
    thousands of stories in Python took seconds per /story."""
    folded = fold(text)
    if folded.isascii():
        # str.translate is fast for ASCII; the regex handles every other script.
        return f" {folded.translate(_ASCII_GAPS)} "
    return f" {' '.join(_TOKEN_RE.findall(folded))} "


class _Corpus:
    """The candidates as one lookup compares them, each form made once and only when a rule
    needs it: their slugs' and aliases' slug forms, and their searchable text (`_spaced`)."""

    def __init__(self, refs: Sequence[StoryRef]) -> None:
        self.refs = refs

    @cached_property
    def keys(self) -> list[str]:
        return [_slug_key(r.slug) for r in self.refs]

    @cached_property
    def alias_keys(self) -> list[frozenset[str]]:
        return [frozenset(_slug_key(a) for a in r.aliases) for r in self.refs]

    @cached_property
    def texts(self) -> list[str]:
        """Each story's slug, headline and titles (`_spaced`)."""
        parts: list[str] = []
        for r in self.refs:
            parts += (r.slug, r.headline, *_titles(r), _RECORD)
        joined = "\n".join(parts)
        if joined.isascii() and joined.count(_RECORD) == len(self.refs):
            # All stories in one pass (fold() of ASCII is lower()), split apart again where
            # the separator, which the translation keeps, was put.
            return f" {joined.lower().translate(_ASCII_GAPS)} ".split(_RECORD)[:-1]
        return [_spaced("\n".join([r.slug, r.headline, *_titles(r)])) for r in self.refs]

    @cached_property
    def everything(self) -> str:
        """All the stories' `texts` in one, scanned at C speed for a word rather than story by
        story in Python."""
        return "".join(self.texts)

    @cached_property
    def _starts(self) -> list[int]:
        return list(accumulate((len(t) for t in self.texts), initial=0))

    def having(self, needle: str) -> set[int]:
        """The indexes of the stories whose text contains `needle`."""
        found: set[int] = set()
        text, starts = self.everything, self._starts
        at = text.find(needle)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            found.add(i)
            at = text.find(needle, starts[i + 1])  # the next story's text: one hit is enough
        return found

    def pool(self, wanted: list[str]) -> list[StoryRef]:
        """The stories in which every wanted word could score (`_word_score`): the word or one of
        its forms as a word, or the word as the start of one. Only these are tokenized."""
        pool: set[int] | None = None
        for w in wanted:
            found = set().union(*(self.having(n) for n in _needles(w)))
            pool = found if pool is None else pool & found
            if not pool:
                return []
        return [self.refs[i] for i in sorted(pool or ())]


def _needles(w: str) -> list[str]:
    """What `_Corpus.texts` hold where `w` could score: the word or one of its forms as a word,
    or (when long enough to count as the start of one) the word starting one."""
    if len(w) >= _MIN_PREFIX_WORD:
        # Forms longer than the word start with it; only a shorter singular needs its own.
        return [f" {f}" for f in _inflected(w) if f == w or not f.startswith(w)]
    return [f" {f} " for f in _inflected(w) | {w}]


def _titles(ref: StoryRef) -> Sequence[str]:
    titles = ref.titles[:_MAX_TITLES]
    if titles and max(map(len, titles)) > _MAX_TITLE_CHARS:
        return [t[:_MAX_TITLE_CHARS] for t in titles]
    return titles


def _terms(text: str) -> list[str]:
    return [p for w in words(text) for p in _INNER_PUNCT_RE.split(w) if p]


def _query_words(raw: str) -> list[str]:
    found = list(dict.fromkeys(_terms(raw[:_MAX_QUERY_CHARS])))
    content = [w for w in found if w not in STOPWORDS]
    # "the who" is all stopwords; searching for nothing would match everything.
    return (content or found)[:_MAX_QUERY_WORDS]


def _story_words(ref: StoryRef) -> list[str]:
    return _terms(ref.headline) + [w for w in ref.slug.split("-") if w]


def _title_terms(ref: StoryRef) -> list[list[str]]:
    return [_terms(t) for t in _titles(ref)]


def _exact(w: str) -> set[str]:
    return {w}


def _inflected(w: str) -> set[str]:
    """`w` and its regular plural or singular (`inflections`, the folding topic queries use),
    without forms that are stopwords ("doe" is not "does", "our" not "ours")."""
    return {f for f in inflections(w) if f == w or f not in STOPWORDS}


def _word_score(
    w: str, have: set[str], titles: list[set[str]], forms_of: Callable[[str], set[str]]
) -> tuple[float, bool]:
    """How well one query word matches a story (0 when it does not), and whether as a whole
    word rather than the start of one. `forms_of`: the forms that count as the word."""
    forms = forms_of(w)
    if not forms.isdisjoint(have):
        return 1.0, True
    if titles:
        share = sum(1 for t in titles if not forms.isdisjoint(t)) / len(titles)
        if share:
            # "moon" in three of four titles beats "moon" in one of twenty.
            return _TITLE_WORD + _TITLE_SHARE * share, True
    if len(w) >= _MIN_PREFIX_WORD:
        # Typing "semicond" should still find "semiconductor", but rank below a full word.
        if any(h.startswith(w) for h in have):
            return 0.5, False
        if any(h.startswith(w) for t in titles for h in t):
            return 0.25, False
    return 0.0, False


def _search(raw: str, corpus: _Corpus) -> list[tuple[float, bool, StoryRef]]:
    """Candidates whose slug, headline and member titles contain every query word, best first,
    then newest, each with whether every word matched as a whole word. The words as typed
    first; only when no story has them, their plural or singular too: someone typing
    "vaccines" means the story headlined "vaccine" (/follow's queries agree), but "covid
    vaccine" must still find "Covid vaccine approved" alone, not tie it with "Covid vaccines
    stall"."""
    wanted = _query_words(raw)
    if not wanted:
        return []
    pool = corpus.pool(wanted)
    return _scored(wanted, pool, _exact) or _scored(wanted, pool, _inflected)


def _scored(
    wanted: list[str], candidates: Sequence[StoryRef], forms_of: Callable[[str], set[str]]
) -> list[tuple[float, bool, StoryRef]]:
    scored: list[tuple[float, bool, StoryRef]] = []
    for ref in candidates:
        have = set(_story_words(ref))
        title_terms = _title_terms(ref)
        titles = [set(t) for t in title_terms]
        score, whole = 0.0, True
        for w in wanted:
            got, is_whole = _word_score(w, have, titles, forms_of)
            if not got:
                break
            score += got
            whole = whole and is_whole
        else:
            if len(wanted) > 1:
                if _in_order(wanted, _terms(ref.headline), forms_of):
                    score += 0.5
                elif any(_in_order(wanted, t, forms_of) for t in title_terms):
                    score += 0.25
            scored.append((score, whole, ref))
    scored.sort(key=lambda hit: (hit[0], hit[2].last_seen, hit[2].slug), reverse=True)
    return scored


def _in_order(wanted: list[str], headline: list[str], forms_of: Callable[[str], set[str]]) -> bool:
    """Whether the words appear as one consecutive run, e.g. "rate cut" in "Fed rate cut" (or,
    when `_word_score` matches inflections, "rate cuts")."""
    n = len(wanted)
    forms = [forms_of(w) for w in wanted]
    return any(
        all(h in f for h, f in zip(headline[i : i + n], forms, strict=True))
        for i in range(len(headline) - n + 1)
    )


def _did_you_mean(key: str, raw: str, corpus: _Corpus, limit: int) -> list[StoryRef]:
    # Only slugs of the same first letter: a typo there is rare, and comparing every slug
    # costs milliseconds per thousand stories.
    named = [
        (ref, [name for name in (slug_key, *alias_keys) if name[:1] == key[:1]])
        for ref, slug_key, alias_keys in zip(
            corpus.refs, corpus.keys, corpus.alias_keys, strict=True
        )
    ]
    by_name: dict[str, StoryRef] = {}
    for ref, names in sorted(named, key=lambda n: (n[0].last_seen, n[0].slug), reverse=True):
        for name in names:
            by_name.setdefault(name, ref)
    close = difflib.get_close_matches(key[:_MAX_QUERY_CHARS], list(by_name), n=limit, cutoff=0.6)
    typo_hits = [by_name[name] for name in close]

    wanted = _query_words(raw)
    exact = [corpus.having(f" {w} ") for w in wanted]
    near = [
        set().union(*(corpus.having(f" {n} ") for n in found))
        for found in _near_words(wanted, corpus)
    ]
    shared: list[tuple[int, StoryRef]] = []
    for i in set().union(*exact, *near):
        common = sum(1 for found in exact if i in found)
        if not common:
            # Per-word typos: "semicondutor" still shares most of its letters with the word.
            common = sum(1 for found in near if i in found)
        shared.append((common, corpus.refs[i]))
    shared.sort(key=lambda pair: (pair[0], pair[1].last_seen, pair[1].slug), reverse=True)
    return _merge(typo_hits, [ref for _, ref in shared])[:limit]


def _near_words(wanted: list[str], corpus: _Corpus) -> list[set[str]]:
    """For each wanted word, the stories' other words difflib finds close to it (ratio >= 0.8).
    Compared once over the stories' distinct words, not story by story, and only with those of
    its first letter (typos rarely hit the first) and of a length that can reach the cutoff (the
    ratio is at most 2 * shorter / sum of lengths)."""
    # The distinct words of those first letters and lengths only, by one regex scan: every word
    # of thousands of stories made into a set took longer than all the rest.
    lengths: dict[str, tuple[int, int]] = {}
    for w in wanted:
        lo, hi = lengths.get(w[0], (len(w), len(w)))
        lengths[w[0]] = min(lo, -(-2 * len(w) // 3)), max(hi, 3 * len(w) // 2)
    shapes = "|".join(f"{re.escape(c)}[^ ]{{{lo - 1},{hi - 1}}}" for c, (lo, hi) in lengths.items())
    found = re.findall(f" ((?:{shapes}))(?= )", corpus.everything) if shapes else []
    by_first: dict[str, list[str]] = {}
    for v in set(found):
        by_first.setdefault(v[0], []).append(v)
    near: list[set[str]] = []
    for w in wanted:
        n = len(w)
        # Deleting w's letters from v leaves those no match can use: with them left out, the
        # matches can still reach the cutoff, a bound like quick_ratio's but at C speed.
        others = str.maketrans("", "", w)
        pool = [
            v
            for v in by_first.get(w[0], ())
            if 5 * min(n, len(v) - len(v.translate(others))) >= 2 * (n + len(v))
        ]
        close = difflib.get_close_matches(w, pool, n=max(1, len(pool)), cutoff=0.8)
        near.append(set(close) - {w})
    return near


def _merge(*groups: list[StoryRef]) -> list[StoryRef]:
    seen: set[str] = set()
    out: list[StoryRef] = []
    for group in groups:
        for ref in group:
            if ref.story_id not in seen:
                seen.add(ref.story_id)
                out.append(ref)
    return out
