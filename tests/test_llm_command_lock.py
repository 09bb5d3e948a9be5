"""/story with the LLM writer while another process holds the database's write lock (a chat
command waits for it only briefly, `bot.store.loop_waits`). The LLM budget's bookings met the
lock too: a reserve that did turned the writer off until a restart (the breaker's half-open try
was never given back), a settle after a paid answer dropped the answer and told a command that
only reads that it "may be only partly done", and an answer that could not be cached was not
shown either. The endpoint is the fake on 127.0.0.1 (`fakes.llm_api`); the lock is held by a
connection of its own in a thread, as another process would."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.llm_api import FakeCompletions, chat_body, serve_completions
from test_command_lock_waits import lock_held
from test_summarize_fixtures import harbor_bridge_story
from test_summarize_llm import GOOD

from bot.app import NewsDigest
from bot.commands.base import CommandContext, Reply
from bot.commands.core import Commands
from bot.config import Config, LLMConfig
from bot.store import articles as article_store
from bot.store import loop_waits
from bot.store import stories as story_store
from bot.store import summaries as summary_store
from bot.store.database import open_database, transaction, utcnow
from bot.summarize.llm import LLMWriter

STORY = "bbbbbbbbbbbb"
CTX = CommandContext(platform="slack", channel_id="C1", user_id="U1")
PARTLY = "may be only partly done"


@pytest.fixture
def endpoint() -> Iterator[str]:
    with serve_completions(chat_body(json.dumps(GOOD), tokens=1234)) as url:
        yield url


@pytest.fixture
def core(endpoint: str, tmp_path: Path) -> Iterator[NewsDigest]:
    path = tmp_path / "nd.db"
    llm = LLMConfig(base_url=endpoint, model="m", api_key_env="NEWSDIGEST_NO_KEY")
    core = NewsDigest(Config(database=str(path), llm=llm), db=open_database(path))
    now = utcnow()
    with transaction(core.db):
        story_store.create_story(core.db, STORY, f"story-{STORY}", "Harbor bridge", now)
        rows = [
            {"source": a.source, "guid": a.id, "url": a.url, "title": a.title, "text": a.text}
            | {"seen_at": now}
            for a in harbor_bridge_story()
        ]
        for article in article_store.insert_new(core.db, rows):
            article_store.set_story(core.db, article.id, STORY)
        core.db.execute(
            "UPDATE stories SET article_count = 4, outlet_count = 4, source_count = 4 WHERE id = ?",
            [STORY],
        )
    yield core
    core.close()


def writer(core: NewsDigest) -> LLMWriter:
    found = core.summarizer._writer
    assert found is not None
    return found


def model_card(reply: Reply) -> bool:
    (card,) = reply.cards
    return card.writer == "llm" and [b.text for b in card.tldr] == GOOD["tldr"]


def cached_writer(core: NewsDigest) -> str | None:
    members = core.story_members(STORY)
    cached = summary_store.cached_summary(core.db, STORY, len(members))
    return None if cached is None else cached.writer


def held_from(path: str, after: float, seconds: float) -> threading.Thread:
    """The write lock taken by another connection `after` seconds from now, for `seconds`."""

    def hold() -> None:
        time.sleep(after)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    return thread


async def test_a_reservation_meeting_the_lock_leaves_the_endpoints_try_due(
    core: NewsDigest,
) -> None:
    breaker = writer(core).breaker
    breaker._state.open_until = breaker._clock() - 1  # rested, the cool-down over: half-open
    async with lock_held(core, 0.8):
        reply = await Commands(core).dispatch("story", f"story-{STORY}", CTX)
    # Run again once the lock was free, the try still due: the model's card.
    assert len(FakeCompletions.requests) == 1
    assert model_card(reply)
    assert breaker.status()["state"] == "closed" and breaker.allow()


async def test_a_paid_answer_is_shown_when_its_settling_meets_the_lock(core: NewsDigest) -> None:
    members = core.story_members(STORY)
    estimate = writer(core).estimate(members)
    assert estimate != 1234  # settling has a difference to write
    FakeCompletions.delay = 0.6  # the lock is taken while the endpoint answers
    holder = held_from(core.config.database, 0.3, 1.5)
    try:
        reply = await Commands(core).dispatch("story", f"story-{STORY}", CTX)
    finally:
        await asyncio.to_thread(holder.join)
    assert PARTLY not in reply.text
    assert model_card(reply)
    assert len(FakeCompletions.requests) == 1  # not asked (nor paid) twice
    # The correction that met the lock is written once it is free, once: the day's count is
    # what the call cost (before, the estimate stayed booked).
    await writer(core).budget.settled()
    assert writer(core).budget.used() == 1234


async def test_an_answer_that_cannot_be_cached_is_still_shown(core: NewsDigest) -> None:
    members = core.story_members(STORY)
    estimate = writer(core).estimate(members)
    # Billed as booked: settling writes nothing, only the cache meets the lock.
    FakeCompletions.body = chat_body(json.dumps(GOOD), tokens=estimate)
    FakeCompletions.delay = 0.6
    holder = held_from(core.config.database, 0.3, 1.5)
    try:
        reply = await Commands(core).dispatch("story", f"story-{STORY}", CTX)
    finally:
        await asyncio.to_thread(holder.join)
    assert model_card(reply)
    assert cached_writer(core) is None  # not cached: the next card asks again


async def test_the_budgets_bookings_are_not_the_commands_writes(core: NewsDigest) -> None:
    budget = writer(core).budget
    runs = 0

    async def work() -> None:
        nonlocal runs
        runs += 1
        if budget.reserve(10) is not None:
            budget.settle(budget.today(), 10, 7)
        await asyncio.sleep(0.3)  # another process takes the lock meanwhile
        core.db.execute("UPDATE stories SET headline = 'x' WHERE id = ?", [STORY])

    holder = held_from(core.config.database, 0.15, 1.2)
    try:
        with pytest.raises(loop_waits.DatabaseBusyError) as raised:
            await loop_waits.with_retries(core.db, work, give_up_after=0.9)
    finally:
        await asyncio.to_thread(holder.join)
    # Only the booking was written: run again, and "nothing was changed", not "partly done".
    assert not raised.value.wrote and runs >= 2
    assert budget.used() == 7
