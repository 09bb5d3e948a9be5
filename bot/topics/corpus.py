"""The stories a `/story` lookup compares, in the forms its rules need, each made once per lookup
and only when a rule asks: their slug forms (`slugify`), and their slug, headline and member
titles folded into one string of words (`Corpus.texts`) that a word is found in at C speed.
Tokenizing every title of thousands of stories in Python, and comparing each query word with
every word of every story, took seconds per /story (`bot.topics.lookup` has the rules)."""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cached_property
from itertools import accumulate
from typing import TYPE_CHECKING

from bot.textutil import STOPWORDS, fold
from bot.topics.inflect import inflections

if TYPE_CHECKING:
    from bot.topics.lookup import StoryRef

# Letters and digits of any script: slugs of non-Latin stories keep their own letters.
_NON_SLUG_RE = re.compile(r"[\W_]+")
MIN_PREFIX_WORD = 3
# Member titles searched per story, and characters per title: bounds on a search's cost.
MAX_TITLES = 50
MAX_TITLE_CHARS = 300


def slugify(text: str) -> str:
    """Folded, lowercase, '-'-separated form used to compare what users type with slugs."""
    return _NON_SLUG_RE.sub("-", fold(text)).strip("-")


# Between stories in `Corpus.texts` (the ASCII record separator; no word character).
_RECORD = "\x1e"
# A slug already in slug form, as nearly all are: slugify() would return it unchanged.
_PLAIN_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# ASCII characters that are not word characters (\w), as spaces: see `_spaced`.
_ASCII_GAPS = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_" or c == _RECORD)}
)
_TOKEN_RE = re.compile(r"\w+")


def slug_key(name: str) -> str:
    return name if _PLAIN_SLUG_RE.fullmatch(name) else slugify(name)


def _spaced(text: str) -> str:
    """The words of `text` as `bot.topics.lookup` splits them, in one string, each word between spaces: " w" in it says some
    word starts with w, and " w " that w is a word, tested at C speed: tokenizing every title of
    thousands of stories in Python took seconds per /story."""
    folded = fold(text)
    if folded.isascii():
        # str.translate is fast for ASCII; the regex handles every other script.
        return f" {folded.translate(_ASCII_GAPS)} "
    return f" {' '.join(_TOKEN_RE.findall(folded))} "


class Corpus:
    """The candidates as one lookup compares them, each form made once and only when a rule
    needs it: their slugs' and aliases' slug forms, and their searchable text (`_spaced`)."""

    def __init__(self, refs: Sequence[StoryRef]) -> None:
        self.refs = refs

    @cached_property
    def keys(self) -> list[str]:
        return [slug_key(r.slug) for r in self.refs]

    @cached_property
    def alias_keys(self) -> list[frozenset[str]]:
        return [frozenset(slug_key(a) for a in r.aliases) for r in self.refs]

    @cached_property
    def texts(self) -> list[str]:
        """Each story's slug, headline and titles (`_spaced`)."""
        parts: list[str] = []
        for r in self.refs:
            parts += (r.slug, r.headline, *titles_of(r), _RECORD)
        joined = "\n".join(parts)
        if joined.isascii() and joined.count(_RECORD) == len(self.refs):
            # All stories in one pass (fold() of ASCII is lower()), split apart again where
            # the separator, which the translation keeps, was put.
            return f" {joined.lower().translate(_ASCII_GAPS)} ".split(_RECORD)[:-1]
        return [_spaced("\n".join([r.slug, r.headline, *titles_of(r)])) for r in self.refs]

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
            found = set().union(*(self.having(n) for n in needles(w)))
            pool = found if pool is None else pool & found
            if not pool:
                return []
        return [self.refs[i] for i in sorted(pool or ())]

    def near_words(self, wanted: list[str]) -> list[set[str]]:
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
        shapes = "|".join(
            f"{re.escape(c)}[^ ]{{{lo - 1},{hi - 1}}}" for c, (lo, hi) in lengths.items()
        )
        found = re.findall(f" ((?:{shapes}))(?= )", self.everything) if shapes else []
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


def needles(w: str) -> list[str]:
    """What `Corpus.texts` hold where `w` could score: the word or one of its forms as a word,
    or (when long enough to count as the start of one) the word starting one."""
    if len(w) >= MIN_PREFIX_WORD:
        # Forms longer than the word start with it; only a shorter singular needs its own.
        return [f" {f}" for f in inflected(w) if f == w or not f.startswith(w)]
    return [f" {f} " for f in inflected(w) | {w}]


def titles_of(ref: StoryRef) -> Sequence[str]:
    titles = ref.titles[:MAX_TITLES]
    if titles and max(map(len, titles)) > MAX_TITLE_CHARS:
        return [t[:MAX_TITLE_CHARS] for t in titles]
    return titles


def inflected(w: str) -> set[str]:
    """`w` and its regular plural or singular (`inflections`, the folding topic queries use),
    without forms that are stopwords ("doe" is not "does", "our" not "ours")."""
    return {f for f in inflections(w) if f == w or f not in STOPWORDS}
