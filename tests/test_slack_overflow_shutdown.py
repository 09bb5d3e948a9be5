"""Stopping the Slack bot while a card's overflow message waits out a 429 in the background: the
task is given its grace, then cancelled, and the part it never posted is an ERROR in the log,
not a task left running or a part lost in silence. Real bolt app and adapter, fake Web API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_channel
from test_slack_app import make_harness
from test_slack_overflow import RATE_LIMITED, big_card

from bot.app import NewsDigest
from bot.config import Config
from bot.store.database import open_database


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    core = NewsDigest(
        Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db")
    )
    yield core
    core.close()


async def test_stopping_the_bot_gives_up_the_waiting_overflow_with_an_error(
    slack_api: FakeSlackAPI, core: NewsDigest, caplog: pytest.LogCaptureFixture
) -> None:
    waits: list[float] = []

    async def endless(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.Event().wait()

    async for h in make_harness(slack_api, core):
        adapter = h.bot.adapter
        adapter.overflow._sleep = endless
        channel = add_channel(core.db, "C1")
        slack_api.script_usual("chat.postMessage")
        slack_api.script("chat.postMessage", headers={"Retry-After": "20"}, **RATE_LIMITED)
        posted = await asyncio.wait_for(
            adapter.post_card(channel, big_card("s1", 25), nonce="n1"), 5
        )
        assert posted.message_ref and waits == [20.0] and len(adapter.overflow.tasks) == 1
        with caplog.at_level(logging.ERROR):
            await asyncio.wait_for(h.bot.stop(), 10)
        assert not adapter.overflow.tasks
        assert "part(s) 2 of 2" in caplog.text and "shutdown" in caplog.text
        assert len(slack_api.calls_to("chat.postMessage")) == 2
        break
