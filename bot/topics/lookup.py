"""Finding the story a user means in `/story <slug | prefix | words>`.

A pure function over candidates the store hands in, so the resolution rules can be tested
without a database. The order of the rules is the contract users learn:

1. the exact slug (or story id), then an alias (old slug of a story merged into another); a slug
   typed letter for letter beats one that only matches case- and accent-folded, since two
   non-Latin slugs can fold alike ("всё-банке", "все-банке");
2. a story with every typed word as a whole word of its slug, headline or member titles ("rate"
   is `fed-rate-cut`, not `rates-rise-in-uk` whose slug merely starts with it, which is offered
   next to it); several such stories without a clear best are asked about;
3. a slug prefix that only one story has;
4. words searched over slug, headline and the titles of the story's articles, all of which must
   match, a word's start matching too ("semicond"); when no story has the words as typed, their
   regular plural or singular count too, as in topic queries ("vaccines" finds "vaccine"); a
   word in the slug or headline ranks above one only in member titles, and one most of the
   titles use above one a single title uses;
5. otherwise "did you mean" suggestions by edit distance and shared words.

A query with no word to search for (only punctuation or emoji, an article alone: "the", "a",
"an", or another function word alone in lowercase: "will", "of", "new") is no search: past rule 1
it finds nothing and offers the newest stories as such (reason "unusable"), rather than a story
that happens to hold "will". A stopword alone typed with a capital is a name people look for
("US", "WHO", "IT", "May", "New") and is searched, as is "us" (the country, typed the quick way),
and so are several articles or stopwords together ("the who"). A link to an article
(`article_url`) is looked up by the store, not here.

Only the first 8 words of a query are searched (see `_MAX_QUERY_WORDS`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bot.textutil import STOPWORDS, words
from bot.topics.corpus import MIN_PREFIX_WORD, Corpus, inflected, slugify, titles_of

Reason = Literal["exact", "alias", "url", "prefix", "search", "ambiguous", "unusable", "none"]

# A search hit must beat the runner-up by this much to be returned on its own: roughly one
# more exactly-matched word, so ties and near-ties are shown to the user instead of guessed.
_CLEAR_MARGIN = 0.75
# textutil keeps "covid-19" and "japan's" whole; searching by their parts is friendlier.
_INNER_PUNCT_RE = re.compile(r"[-.']+")
# A word found only in member titles: below one in the headline or slug (1.0), above a prefix of
# one (0.5); plus up to _TITLE_SHARE for the share of the titles that use it.
_TITLE_WORD = 0.5
_TITLE_SHARE = 0.25
# Query words searched and matched for "did you mean", and the characters of the query they are
# taken from: a pasted paragraph costs no more than a headline.
_MAX_QUERY_WORDS = 8
_MAX_QUERY_CHARS = 300
# A pasted article link, maybe in the <angle brackets> that keep Discord from previewing it.
_URL_RE = re.compile(r"<?(https?://[^\s<>]+)>?", re.IGNORECASE)
# Words that alone name no story: any headline may hold them.
_ARTICLES = frozenset({"a", "an", "the"})
# A lowercase stopword alone that still means a name: "us" is the country far more often than
# the pronoun in headlines, while "will", "and" or "new" would open whichever story holds them.
_LOWERCASE_NAMES = frozenset({"us"})


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


def query_text(query: str) -> str:
    """The query as typed, without surrounding space or the '#' some people put before slugs."""
    return query.strip().lstrip("#")


def article_url(query: str) -> str | None:
    """The address, when the whole query is one http(s) link."""
    found = _URL_RE.fullmatch(query.strip())
    return found.group(1) if found else None


def searchable(query: str) -> bool:
    """Whether the query has a word to search for: not "!!!" or "🚀🚀", an article alone, or
    another stopword alone in lowercase ("will", "of"). A stopword alone typed with a capital is
    searched: it is often a name ("US", "WHO", "IT", "May"), and the one story with it in its
    headline is the one meant; "will" would open a story that "says it will wait"."""
    text = query_text(query)[:_MAX_QUERY_CHARS]
    found = set(_terms(text))
    if len(found) >= 2:
        return True
    if not found:
        return False
    (word,) = found
    if word in _ARTICLES:
        return False
    if word not in STOPWORDS:
        return True
    return word in _LOWERCASE_NAMES or any(ch.isupper() for ch in text)


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
    corpus = Corpus(candidates)
    prefixed: list[StoryRef] = []
    word_prefixed: list[StoryRef] = []  # slugs that start with the typed words, word by word
    # An empty slug form (only punctuation or symbols) skips the slug rules, but the words of
    # the query are still searched in the headlines below.
    if key:
        typed = set(exact_forms(raw))
        # Letter for letter first, folded second: see rule 1 in the module docstring.
        for named in (_named(candidates, typed, raw), _named_folded(corpus, key)):
            if named is not None:
                return named
    if not searchable(raw):
        # Past the names, "the" would pick whichever story has it alone in its headline.
        return Lookup(None, _newest_first(candidates)[:limit], "unusable")
    if key:
        prefixed = _newest_first(
            r for r, k in zip(candidates, corpus.keys, strict=True) if k.startswith(key)
        )
        # Two words or more: one word at a slug's start ("ai" of ai-safety-summit) says no more
        # than the same word elsewhere in another slug or headline.
        if "-" in key:
            word_prefixed = [
                r for r, k in zip(candidates, corpus.keys, strict=True) if k.startswith(key + "-")
            ]

    hits = _search(raw, corpus)
    whole = [(score, ref) for score, is_whole, ref in hits if is_whole]
    if whole:
        # Rule 2: "rate" is the story with the word "rate", not "rates-rise-in-uk" whose slug
        # merely starts with it; those that only start with it are offered next to it.
        others = _merge([ref for _, ref in whole], prefixed, [ref for _, _, ref in hits])
        best = _clear_best(whole)
        if best is None:
            # Words in several stories, but the start of one slug word for word
            # ("gaza-ceasefire" of gaza-ceasefire-talks): the slug the user read says which.
            among = [ref for _, ref in whole]
            started = [r for r in word_prefixed if r in among]
            best = started[0] if len(started) == 1 else None
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


def _named_folded(corpus: Corpus, key: str) -> Lookup | None:
    """`_named` comparing slug forms (`slugify`), as typed without accents or in other case."""
    refs = corpus.refs
    exact = [r for r, k in zip(refs, corpus.keys, strict=True) if k == key]
    if exact:
        return Lookup(_newest_first(exact)[0], [], "exact")
    alias = [r for r, ks in zip(refs, corpus.alias_keys, strict=True) if key in ks]
    if alias:
        return Lookup(_newest_first(alias)[0], [], "alias")
    return None


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
    return [_terms(t) for t in titles_of(ref)]


def _exact(w: str) -> set[str]:
    return {w}


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
    if len(w) >= MIN_PREFIX_WORD:
        # Typing "semicond" should still find "semiconductor", but rank below a full word.
        if any(h.startswith(w) for h in have):
            return 0.5, False
        if any(h.startswith(w) for t in titles for h in t):
            return 0.25, False
    return 0.0, False


def _search(raw: str, corpus: Corpus) -> list[tuple[float, bool, StoryRef]]:
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
    return _scored(wanted, pool, _exact) or _scored(wanted, pool, inflected)


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


def _did_you_mean(key: str, raw: str, corpus: Corpus, limit: int) -> list[StoryRef]:
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
        for found in corpus.near_words(wanted)
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


def _merge(*groups: list[StoryRef]) -> list[StoryRef]:
    seen: set[str] = set()
    out: list[StoryRef] = []
    for group in groups:
        for ref in group:
            if ref.story_id not in seen:
                seen.add(ref.story_id)
                out.append(ref)
    return out
