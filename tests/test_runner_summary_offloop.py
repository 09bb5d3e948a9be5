"""Building a card whose summary is not cached yet (an LLM call can take 20 s) does not block the
event loop: the outbox keeps other work running meanwhile."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from pathlib import Path

from _loop_ticks import LoopTicks
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story

from bot.app import NewsDigest
from bot.config import Config
from bot.models import Article, Summary
from bot.runner import digests
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import summaries as summary_store
from bot.store.database import open_database, utcnow
from bot.summarize import summarize

T0 = utcnow()


class SlowSummarizer:
    """Blocks its thread like the synchronous LLM client; an LLM writer has the async path."""

    def __init__(self, *, llm: bool) -> None:
        self.llm = object() if llm else None
        self.blocking_calls = 0

    def wants_llm(self, cached: Summary | None, articles: Sequence[Article] = ()) -> bool:
        return cached is None

    def summarize(self, articles: Sequence[Article], **_: object) -> Summary:
        self.blocking_calls += 1
        time.sleep(0.4)
        return summarize(articles)

    async def asummarize(self, articles: Sequence[Article], **_: object) -> Summary:
        await asyncio.sleep(0.4)
        return summarize(articles)


async def run(tmp_path: Path, summarizer: SlowSummarizer) -> tuple[int, Service, FakeChatAdapter]:
    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    core.summarizer = summarizer  # type: ignore[assignment]
    service = Service(
        Config(), core=core, settings=RunnerSettings(health_port=None, post_pace=0), env={}
    )
    chat = FakeChatAdapter("slack")
    service.register_adapter(chat)
    channel = add_channel(service.db, "C1")
    add_story(service.db, "s1", ["A", "B"], now=T0)
    digests.enqueue_digest(service.db, channel, now=T0)
    async with LoopTicks() as ticks:
        await service.outbox.drain()
    return ticks.count, service, chat


async def test_extractive_summary_runs_off_the_loop(tmp_path: Path) -> None:
    summarizer = SlowSummarizer(llm=False)
    ticks, service, chat = await run(tmp_path, summarizer)
    assert ticks >= 5, "the event loop was blocked while summarising"
    assert summarizer.blocking_calls == 1 and len(chat.cards()) == 1
    assert summary_store.cached_summary(service.db, "s1", 2) is not None
    service.core.close()


async def test_llm_summary_is_awaited(tmp_path: Path) -> None:
    summarizer = SlowSummarizer(llm=True)
    ticks, service, chat = await run(tmp_path, summarizer)
    assert ticks >= 5 and summarizer.blocking_calls == 0 and len(chat.cards()) == 1
    service.core.close()
