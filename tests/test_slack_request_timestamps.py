"""A request whose X-Slack-Request-Timestamp is not a plain Unix time is refused with 401 before
any signature check, never a 500: Slack always sends ASCII digits, so anything else is forged."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlackAPI
from test_slack_app import DOC_BODY, Harness, make_harness

from bot.app import NewsDigest
from bot.config import Config
from bot.store.database import open_database


@pytest.fixture
async def h(slack_api: FakeSlackAPI, tmp_path: Path) -> AsyncIterator[Harness]:
    core = NewsDigest(
        Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db")
    )
    async for harness in make_harness(slack_api, core):
        yield harness
    core.close()


@pytest.mark.parametrize(
    "timestamp",
    ["\u00b2", "\u0661\u0665\u0663\u0661", "9" * 5000, "1" * 13, "-1531420618", " 1531420618"],
    ids=["superscript-two", "arabic-indic-digits", "5000-digits", "13-digits", "sign", "space"],
)
async def test_a_malformed_timestamp_gets_401_without_a_traceback(
    h: Harness, timestamp: str, caplog: pytest.LogCaptureFixture
) -> None:
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=" + "0" * 64}
    with caplog.at_level(logging.ERROR):
        status, _ = await h.post(DOC_BODY, headers)
    assert status == 401
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert h.slack_api.calls == []
