"""The words of the story card: headline, TL;DR bullets and "What others are reporting".

The extractive writer is the default and the fallback: every word it emits comes from a source.
The optional LLM writer (any OpenAI-compatible endpoint) is checked against the sources and
replaced by the extractive summary whenever it names or counts something the sources do not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.models import Article, Summary
from bot.summarize.angles import build_angles
from bot.summarize.headline import choose_headline
from bot.summarize.tldr import TldrParams, build_tldr, word_probabilities

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(slots=True)
class LLMSettings:
    """Where the optional LLM writer lives; the key is read from the named env var at call time."""

    base_url: str
    model: str
    api_key_env: str = "NEWSDIGEST_LLM_API_KEY"
    # Seconds for the whole call (connect, send, wait, read), not per phase.
    timeout: float = 20.0
    daily_token_budget: int = 200_000


def outlet_keys(articles: Sequence[Article]) -> list[str]:
    """One key per outlet: the source name, or the article id when the source is unknown.

    Without a source there is no way to tell two articles apart as outlets, and merging them all
    under "unknown" would make one outlet out of the whole story.
    """
    return [a.source if a.source and a.source != "unknown" else f"article {a.id}" for a in articles]


def summarize(articles: Sequence[Article], params: TldrParams | None = None) -> Summary:
    """Extractive summary of one story's articles (any order); no network, no LLM."""
    members = list(articles)
    if not members:
        return Summary(headline="", tldr=[], angles=[])
    outlets = outlet_keys(members)
    probs = word_probabilities(members, outlets)
    headline, _ = choose_headline(members, probs)
    tldr = build_tldr(members, outlets, params, probs)
    lead = tldr[0].sources[0] if tldr and tldr[0].sources else outlets[0]
    angles, also = build_angles(members, outlets, lead, tldr=[b.text for b in tldr])
    return Summary(headline=headline, tldr=tldr, angles=angles, also_reporting=also)


class Summarizer:
    """Extractive by default; with `llm` settings, an LLM writer checked against the sources."""

    def __init__(
        self, llm: LLMSettings | None = None, db: sqlite_utils.Database | None = None
    ) -> None:
        self.llm = llm
        self._writer = None
        if llm is not None:
            from bot.summarize.llm import LLMWriter, TokenBudget

            self._writer = LLMWriter(llm, TokenBudget(llm.daily_token_budget, db))

    def summarize(self, articles: Sequence[Article]) -> Summary:
        base = summarize(articles)
        if self._writer is None or not articles:
            return base
        return self._writer.rewrite(list(articles), outlet_keys(list(articles)), base)

    async def asummarize(self, articles: Sequence[Article]) -> Summary:
        """Async twin for the bot's event loop: the LLM call does not block other stories."""
        # The extractive pass is CPU-bound (over a second for a large story): in a thread, so chat,
        # the scheduler and /healthz keep running meanwhile.
        base = await asyncio.to_thread(summarize, articles)
        if self._writer is None or not articles:
            return base
        return await self._writer.arewrite(list(articles), outlet_keys(list(articles)), base)


__all__ = ["LLMSettings", "Summarizer", "outlet_keys", "summarize"]
