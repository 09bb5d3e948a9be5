"""Hostile text does not fill the text caches: a page without full stops, or Chinese without
spaces or stops, makes one "sentence" and one "word" of a whole article, and a cache full of
those held hundreds of MiB where docs/DEPLOY.md promises 64 for all of them. `text_cache`
keeps no key past its limit; these tests read what the caches hold after such stories."""

from __future__ import annotations

import gc
import inspect
import itertools
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.cluster.online import OnlineClusterer
from bot.models import Article
from bot.summarize import summarize, support
from bot.text_cache import SENTENCE_CHARS, WORD_CHARS, key_chars, text_cache
from tests.test_cache_bounds import _cached_functions


def _guarded() -> dict[str, Any]:
    return {n: fn for n, fn in _cached_functions().items() if hasattr(fn, "max_chars")}


def _held_keys(fn: Any) -> list[Any]:
    """The keys `fn`'s cache holds: its lru_cache's dict, read through the garbage collector's
    view of it (functools offers no other)."""
    inner = inspect.getclosurevars(fn).nonlocals["cached"]
    size = inner.cache_info().currsize
    tables = [r for r in gc.get_referents(inner) if type(r) is dict and "__module__" not in r]
    assert len(tables) == 1 and len(tables[0]) == size
    return list(tables[0])


def _key_chars(key: Any) -> int:
    # A one-string call is kept under the string itself, any other under its arguments' tuple.
    return key_chars(key if isinstance(key, tuple) else (key,))


def _cjk(rng: random.Random, n: int) -> str:
    return "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(n))


def _run_on(rng: random.Random, n: int) -> str:
    """English without a full stop: one sentence of `n` characters, quotes and figures in it."""
    parts = ["the council", '"we will not"', "said Mayor Smith", "$5 million", "12 people"]
    out: list[str] = []
    while sum(map(len, out)) < n:
        out.append(f"{rng.choice(parts)} {rng.randrange(10**6)}")
    return " ".join(out)[:n]


def _articles(texts: list[str]) -> list[Article]:
    when = datetime(2024, 5, 1, tzinfo=UTC)
    return [
        Article(
            id=f"h{i}",
            source=f"Outlet {i}",
            title=text[:300],
            text=text,
            url=f"https://outlet{i}.example/story",
            published=when,
        )
        for i, text in enumerate(texts)
    ]


@pytest.fixture
def empty_caches() -> Iterator[dict[str, Any]]:
    caches = _guarded()
    for fn in caches.values():
        fn.cache_clear()
    yield caches
    for fn in caches.values():
        fn.cache_clear()


def test_hostile_stories_leave_no_long_key_in_any_cache(empty_caches: dict[str, Any]) -> None:
    rng = random.Random(5)
    stories = [
        [_cjk(rng, 20_000) for _ in range(3)],
        [_run_on(rng, 20_000) for _ in range(3)],
        # Sentences just past the limit, each stopped: the longest a cache could otherwise keep.
        [". ".join(_run_on(rng, SENTENCE_CHARS + 50).capitalize() for _ in range(6)) + "."],
    ]
    ids = itertools.count()
    clusterer = OnlineClusterer(id_factory=lambda: f"s{next(ids)}")
    for texts in stories:
        articles = _articles(texts)
        summarize(articles)
        for article in articles:
            clusterer.add(article)
    held = 0
    for name, fn in empty_caches.items():
        sizes = [_key_chars(k) for k in _held_keys(fn)]
        assert max(sizes, default=0) <= fn.max_chars, name
        held += sum(sizes)
    # What is held is the stories' short pieces (titles, names, words), not their texts.
    assert held < 200_000


def test_a_cache_full_of_long_sentences_holds_none_of_them(empty_caches: dict[str, Any]) -> None:
    rng = random.Random(9)
    # Just past the limit, and a whole page's worth: a cache that kept either would hold it now
    # (filling all 1,024 places with 20,000 characters each took 24 s here and shows no more).
    long = [_cjk(rng, SENTENCE_CHARS + 1 + n) for n in range(40)] + [_cjk(rng, 20_000)]
    for text in long:
        assert support.claim(text) == support.claim.__wrapped__(text)
    assert support.claim.cache_info().currsize == 0
    assert support.claim.cache_info().misses == 0
    short = _cjk(rng, SENTENCE_CHARS)
    support.claim(short)
    assert _held_keys(support.claim) == [short]


def test_the_limit_counts_a_sets_members() -> None:
    calls: list[frozenset[str]] = []

    @text_cache(maxsize=8, max_chars=WORD_CHARS)
    def size(stems: frozenset[str]) -> int:
        calls.append(stems)
        return len(stems)

    few = frozenset({"vote", "council"})
    many = frozenset(f"s{i}" for i in range(WORD_CHARS))  # 64 short stems: 192 characters
    assert (size(few), size(few), size(many), size(many)) == (2, 2, WORD_CHARS, WORD_CHARS)
    assert calls == [few, many, many]
    assert size.cache_info().currsize == 1


def test_the_stemmers_keep_no_words_of_their_own() -> None:
    # PyStemmer keeps 10,000 words of any length behind the word caches unless told not to.
    from bot.cluster import features
    from bot.summarize import sentences

    for found in (sentences._STEMMER, features._STEMMER):
        assert getattr(found, "maxCacheSize", 0) == 0
