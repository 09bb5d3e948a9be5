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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
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
    prefixed: list[StoryRef] = []
    # An empty slug form (only punctuation or symbols) skips the slug rules, but the words of
    # the query are still searched in the headlines below.
    if key:
        typed = set(exact_forms(raw))
        # Letter for letter first, folded second: see rule 1 in the module docstring.
        for same in (typed.__contains__, lambda name: slugify(name) == key):
            named = _named(candidates, same, raw)
            if named is not None:
                return named
        prefixed = [c for c in candidates if slugify(c.slug).startswith(key)]
        if len(prefixed) == 1:
            return Lookup(prefixed[0], [], "prefix")

    hits = _search(raw, candidates)
    if len(hits) == 1 or (len(hits) > 1 and hits[0][0] - hits[1][0] >= _CLEAR_MARGIN):
        return Lookup(hits[0][1], [], "search")
    if hits or prefixed:
        ranked = _merge([ref for _, ref in hits], _newest_first(prefixed))
        return Lookup(None, ranked[:limit], "ambiguous")

    if not key:
        return Lookup(None, _newest_first(candidates)[:limit], "none")
    return Lookup(None, _did_you_mean(key, raw, candidates, limit), "none")


def _named(candidates: Sequence[StoryRef], same: Callable[[str], bool], raw: str) -> Lookup | None:
    """The story whose slug (or id), else alias, is the one asked for, by the `same` test."""
    exact = [c for c in candidates if same(c.slug) or c.story_id == raw]
    if exact:
        return Lookup(_newest_first(exact)[0], [], "exact")
    alias = [c for c in candidates if any(same(a) for a in c.aliases)]
    if alias:
        # Two stories claiming one old slug should not happen; the newer merge is the live one.
        return Lookup(_newest_first(alias)[0], [], "alias")
    return None


def _terms(text: str) -> list[str]:
    return [p for w in words(text) for p in _INNER_PUNCT_RE.split(w) if p]


def _query_words(raw: str) -> list[str]:
    found = _terms(raw)
    content = [w for w in found if w not in STOPWORDS]
    # "the who" is all stopwords; searching for nothing would match everything.
    return content or found


def _story_words(ref: StoryRef) -> list[str]:
    return _terms(ref.headline) + [w for w in ref.slug.split("-") if w]


def _title_terms(ref: StoryRef) -> list[list[str]]:
    return [_terms(t[:_MAX_TITLE_CHARS]) for t in ref.titles[:_MAX_TITLES]]


def _exact(w: str) -> set[str]:
    return {w}


def _inflected(w: str) -> set[str]:
    """`w` and its regular plural or singular (`inflections`, the folding topic queries use),
    without forms that are stopwords ("doe" is not "does", "our" not "ours")."""
    return {f for f in inflections(w) if f == w or f not in STOPWORDS}


def _word_score(
    w: str, have: set[str], titles: list[set[str]], forms_of: Callable[[str], set[str]]
) -> float:
    """How well one query word matches a story: 0 when it does not. `forms_of`: the word forms
    that count as the word (see `_search`)."""
    forms = forms_of(w)
    if not forms.isdisjoint(have):
        return 1.0
    if titles:
        share = sum(1 for t in titles if not forms.isdisjoint(t)) / len(titles)
        if share:
            # "moon" in three of four titles beats "moon" in one of twenty.
            return _TITLE_WORD + _TITLE_SHARE * share
    if len(w) >= _MIN_PREFIX_WORD:
        # Typing "semicond" should still find "semiconductor", but rank below a full word.
        if any(h.startswith(w) for h in have):
            return 0.5
        if any(h.startswith(w) for t in titles for h in t):
            return 0.25
    return 0.0


def _search(raw: str, candidates: Sequence[StoryRef]) -> list[tuple[float, StoryRef]]:
    """Candidates whose slug, headline and member titles contain every query word, best first,
    then newest. The words as typed first; only when no story has them, their plural or
    singular too: someone typing "vaccines" means the story headlined "vaccine" (/follow's
    queries agree), but "covid vaccine" must still find "Covid vaccine approved" alone, not
    tie it with "Covid vaccines stall"."""
    wanted = _query_words(raw)
    if not wanted:
        return []
    return _scored(wanted, candidates, _exact) or _scored(wanted, candidates, _inflected)


def _scored(
    wanted: list[str], candidates: Sequence[StoryRef], forms_of: Callable[[str], set[str]]
) -> list[tuple[float, StoryRef]]:
    scored: list[tuple[float, StoryRef]] = []
    for ref in candidates:
        have = set(_story_words(ref))
        title_terms = _title_terms(ref)
        titles = [set(t) for t in title_terms]
        score = 0.0
        for w in wanted:
            got = _word_score(w, have, titles, forms_of)
            if not got:
                break
            score += got
        else:
            if len(wanted) > 1:
                if _in_order(wanted, _terms(ref.headline), forms_of):
                    score += 0.5
                elif any(_in_order(wanted, t, forms_of) for t in title_terms):
                    score += 0.25
            scored.append((score, ref))
    scored.sort(key=lambda pair: (pair[0], pair[1].last_seen, pair[1].slug), reverse=True)
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


def _did_you_mean(key: str, raw: str, candidates: Sequence[StoryRef], limit: int) -> list[StoryRef]:
    by_name: dict[str, StoryRef] = {}
    for ref in _newest_first(candidates):
        for name in (ref.slug, *ref.aliases):
            by_name.setdefault(slugify(name), ref)
    close = difflib.get_close_matches(key, list(by_name), n=limit, cutoff=0.6)
    typo_hits = [by_name[name] for name in close]

    wanted = set(_query_words(raw))
    shared: list[tuple[int, StoryRef]] = []
    for ref in candidates:
        have = set(_story_words(ref)).union(*_title_terms(ref))
        common = len(wanted & have)
        if not common:
            # Per-word typos: "semicondutor" still shares most of its letters with the word.
            common = sum(
                1 for w in wanted if difflib.get_close_matches(w, list(have), n=1, cutoff=0.8)
            )
        if common:
            shared.append((common, ref))
    shared.sort(key=lambda pair: (pair[0], pair[1].last_seen, pair[1].slug), reverse=True)
    return _merge(typo_hits, [ref for _, ref in shared])[:limit]


def _merge(*groups: list[StoryRef]) -> list[StoryRef]:
    seen: set[str] = set()
    out: list[StoryRef] = []
    for group in groups:
        for ref in group:
            if ref.story_id not in seen:
                seen.add(ref.story_id)
                out.append(ref)
    return out
