"""slack-bolt checks the token with its own auth.test on the first request it handles, a call our
code never sees: a short 429 there is waited out once by the client (`AuthTestRetry`), so the
first command runs instead of getting bolt's "please reinstall the app". Only auth.test: every
other call's 429 still comes back at once. Real bolt app over HTTP, fake Web API."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlackAPI
from test_slack_app import ack_text, make_harness

from bot.adapters.slack.app import AUTH_CHECK_FAILED
from bot.app import NewsDigest
from bot.config import Config
from bot.store.database import open_database

RATE_LIMITED = {"status": 429, "body": {"ok": False, "error": "ratelimited"}}


@pytest.fixture
def slack_core(tmp_path: Path) -> Iterator[NewsDigest]:
    core = NewsDigest(
        Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db")
    )
    yield core
    core.close()


async def test_first_command_after_a_short_429_on_bolts_auth_test_runs(
    slack_api: FakeSlackAPI, slack_core: NewsDigest
) -> None:
    async for h in make_harness(slack_api, slack_core):
        slack_api.script("auth.test", headers={"Retry-After": "1"}, **RATE_LIMITED)
        status, body = await h.slash("/story", "help")
        assert status == 200 and ack_text(body).startswith("/story"), body
        assert len(slack_api.calls_to("auth.test")) == 2


async def test_a_long_429_on_auth_test_is_not_waited_for(
    slack_api: FakeSlackAPI, slack_core: NewsDigest
) -> None:
    async for h in make_harness(slack_api, slack_core):
        slack_api.script("auth.test", headers={"Retry-After": "30"}, **RATE_LIMITED)
        status, body = await h.slash("/story", "help")
        # One call: the request is not held for half a minute; the person is told to try again,
        # not to reinstall the app.
        assert len(slack_api.calls_to("auth.test")) == 1
        assert body == AUTH_CHECK_FAILED, (status, body)


async def test_no_other_call_is_retried_by_the_client(
    slack_api: FakeSlackAPI, slack_core: NewsDigest
) -> None:
    async for h in make_harness(slack_api, slack_core):
        slack_api.script("chat.postMessage", headers={"Retry-After": "0"}, **RATE_LIMITED)
        with contextlib.suppress(Exception):
            await h.bot.client.chat_postMessage(channel="C1", text="hi")
        assert len(slack_api.calls_to("chat.postMessage")) == 1
