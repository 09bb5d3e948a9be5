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

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

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
