"""Memos that live as long as one story's summary: what several stages work out again from the
same texts (an article's split into sentences, a source normalised for the quote check, whether
two sentences tell two facts).

Scoped to one `summarize` call by a context variable, not kept in module caches: they hold whole
article texts, which the bounded caches' ceiling (docs/DEPLOY.md) has no room for, and are asked
again only while the story's card is built. Each call in its own worker thread
(`Summarizer.asummarize`) has its own scope, and the memo is freed when the call ends. Outside
a scope (the LLM checks, the benchmarks' baselines) nothing is kept and every value is worked
out afresh, as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar, cast

_SCOPE: ContextVar[dict[str, dict[Any, Any]] | None] = ContextVar("story_memo", default=None)


@contextmanager
def story_scope() -> Iterator[None]:
    """A fresh memo for the story summarised inside the block, dropped after it."""
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def story_memo(name: str) -> dict[Any, Any] | None:
    """The current story's memo table `name` (made empty on first use); None outside a story."""
    scope = _SCOPE.get()
    if scope is None:
        return None
    table = scope.get(name)
    if table is None:
        table = scope[name] = {}
    return table


P = ParamSpec("P")
R = TypeVar("R")
_MISSING = object()


def story_cached(fn: Callable[P, R]) -> Callable[P, R]:
    """`fn` answering each set of arguments once a story (`story_memo`), for a pure function of
    hashable arguments whose result its callers never change (a str, a bool, a tuple, a
    frozenset). Outside a story every call is worked out."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def cached(*args: P.args, **kwargs: P.kwargs) -> R:
        memo = story_memo(name)
        if memo is None or kwargs:
            return fn(*args, **kwargs)
        found = memo.get(args, _MISSING)
        if found is _MISSING:
            found = memo[args] = fn(*args, **kwargs)
        return cast(R, found)

    return cached
