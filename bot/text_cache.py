"""`functools.lru_cache` for functions of text a feed wrote: keys past a stated length are not kept.

The text caches (a sentence's stems, its claim, a word's stem; `tests/test_cache_bounds.py`
lists them) are bounded by their number of entries, and docs/DEPLOY.md promises a ceiling for
all of them full at once. Entries cost what their key and value cost, and feed text is not ours
to size: a page without full stops, or Chinese or Japanese text without spaces or stops, makes
one "sentence" and one "word" of an article's whole text (60,000 characters after
`summary_input`'s cut; 250,000 at the clusterer), so 1,024 such sentences held 200 MiB in one
cache where real ones hold 5. A `text_cache` works out an over-long key's answer each time it
is asked and keeps only the short ones: what it returns never changes, only what it keeps.

Real keys are all but all kept, as before (the dev clusters' 30,093 sentences: 99.9% under 540
characters, three over `SENTENCE_CHARS`; their words 99.9% under 20 characters). Whole article
texts asked of a sentence cache (an outlet's stems) are kept by the story's own memo
(`support.article_stems`), freed after the story.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, Protocol, TypeVar, cast

import snowballstemmer

P = ParamSpec("P")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)

# The longest sentence (or cut, bullet, headline: any text of about a sentence) a sentence
# cache keeps: twice the dev clusters' 99.9th percentile (538 characters); three of their 30,093
# sentences are longer (up to 1,370), and are worked out each time they are asked, as whole
# articles are. Cost grows with it: at the limit an entry holds up to 40 KiB (a quotation's
# every word), against 1 to 5 KiB for a sentence of news.
SENTENCE_CHARS = 1_000
# The longest word a word cache keeps: longer than any word of a spaced language (the dev
# clusters' longest is a URL of 155 characters; 99.9% are under 20).
WORD_CHARS = 64


def key_chars(args: tuple[Any, ...]) -> int:
    """What a cache key's text costs, in characters: a string's length, and for a set or tuple
    of strings (a sentence's stems) its members' lengths with one more each (a thousand
    one-letter stems cost more than one string of a thousand letters). Other arguments (a
    flag) count nothing."""
    total = 0
    for arg in args:
        if isinstance(arg, str):
            total += len(arg)
        elif isinstance(arg, (tuple, frozenset)):
            total += sum(len(part) + 1 for part in arg if isinstance(part, str))
    return total


class TextCache(Protocol[P, R_co]):
    """`fn` with an LRU cache that keeps no key over `max_chars` (`key_chars`); `cache_info`
    and `cache_clear` are the cache's, as for `lru_cache`."""

    max_chars: int

    @property
    def __wrapped__(self) -> Callable[P, R_co]: ...

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R_co: ...

    def cache_info(self) -> functools._CacheInfo: ...

    def cache_clear(self) -> None: ...


def text_cache(*, maxsize: int, max_chars: int) -> Callable[[Callable[P, R]], TextCache[P, R]]:
    """Decorate a pure function of text as `lru_cache(maxsize)` would, keeping no key over
    `max_chars` (`SENTENCE_CHARS` for a sentence's text, `WORD_CHARS` for a word's)."""

    def wrap(fn: Callable[P, R]) -> TextCache[P, R]:
        cached = functools.lru_cache(maxsize=maxsize)(fn)

        # A plain function, not a class's __call__: the word caches are asked a million times
        # on the dev clusters, and each check here is paid on every call.
        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> R:
            if len(args) == 1 and not kwargs and type(args[0]) is str:
                size = len(args[0])
            else:
                size = key_chars(args) + key_chars(tuple(kwargs.values()))
            return cached(*args, **kwargs) if size <= max_chars else fn(*args, **kwargs)

        guarded = cast(Any, call)
        guarded.max_chars = max_chars
        guarded.cache_info = cached.cache_info
        guarded.cache_clear = cached.cache_clear
        return cast("TextCache[P, R]", guarded)

    return wrap


def stemmer(language: str) -> Any:
    """snowballstemmer's stemmer for `language`, with PyStemmer's own word cache off: it keeps
    10,000 words of any length behind the word caches (`stem`), so one 60,000-character "word"
    of Chinese after another filled it past a gigabyte. The word caches keep what is asked again."""
    found = snowballstemmer.stemmer(language)
    if hasattr(found, "maxCacheSize"):  # PyStemmer; the pure-Python one keeps nothing
        found.maxCacheSize = 0
    return found
