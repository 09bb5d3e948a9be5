"""The bot token's check (auth.test) is made once, at start, and slack-bolt authorizes every
request from its answer (`token_check`): a command's ack never waits for an auth.test, which a
429 waited out there (up to 3 s) would have pushed past Slack's 3 s deadline. The check at start
waits out a short 429 once (`AuthTestRetry`); so does the check on the first request of a bot
served without `start`, where a long one tells the person to try again, not to reinstall the
app. Only auth.test: every other call's 429 still comes back at once. Real bolt app over HTTP,
fake Web API."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.slack_api import BOT_TOKEN, BOT_USER, FakeSlackAPI
from test_slack_app import ack_text, make_harness

from bot.adapters.slack.app import AUTH_CHECK_FAILED, SlackBot
from bot.adapters.slack.errors import BOT_TOKEN_HELP
from bot.adapters.slack.settings import SlackSettings
from bot.app import NewsDigest
from bot.commands.core import Commands
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


async def test_a_command_after_start_waits_for_no_auth_test_before_its_ack(
    slack_api: FakeSlackAPI, slack_core: NewsDigest
) -> None:
    async for h in make_harness(slack_api, slack_core):
        # Were bolt to check the token now, Slack would have it wait 3 s before the ack.
        slack_api.script("auth.test", headers={"Retry-After": "3"}, **RATE_LIMITED)
        started = time.monotonic()
        status, body = await h.slash("/story", "help")
        took = time.monotonic() - started
        assert status == 200 and ack_text(body).startswith("/story"), body
        assert took < 1.0, f"acked after {took:.2f}s"
        assert slack_api.calls_to("auth.test") == []


async def test_start_waits_out_a_short_429_on_auth_test_once(
    slack_api: FakeSlackAPI, slack_core: NewsDigest
) -> None:
    bot = SlackBot(
        Commands(slack_core),
        SlackSettings(
            bot_token=BOT_TOKEN,
            mode="http",
            signing_secret="secret",
            api_url=slack_api.api_url,
            host="127.0.0.1",
            port=0,
        ),
    )
    slack_api.script("auth.test", headers={"Retry-After": "1"}, **RATE_LIMITED)
    try:
        await asyncio.wait_for(bot.start(), 10)
        assert len(slack_api.calls_to("auth.test")) == 2
        result = await bot.token.authorize("U1")
        assert (result.bot_user_id, result.team_id, result.user_id) == (BOT_USER, "T1", "U1")
        assert result.bot_token == BOT_TOKEN
    finally:
        await bot.stop()


async def test_a_bot_served_without_start_checks_on_the_first_request_waiting_once(
    slack_api: FakeSlackAPI, slack_core: NewsDigest
) -> None:
    async for h in make_harness(slack_api, slack_core, checked=False):
        slack_api.script("auth.test", headers={"Retry-After": "1"}, **RATE_LIMITED)
        status, body = await h.slash("/story", "help")
        assert status == 200 and ack_text(body).startswith("/story"), body
        assert len(slack_api.calls_to("auth.test")) == 2
        await h.slash("/story", "help")
        assert len(slack_api.calls_to("auth.test")) == 2  # checked once


async def test_a_long_429_on_auth_test_is_not_waited_for(
    slack_api: FakeSlackAPI, slack_core: NewsDigest
) -> None:
    async for h in make_harness(slack_api, slack_core, checked=False):
        slack_api.script("auth.test", headers={"Retry-After": "30"}, **RATE_LIMITED)
        status, body = await h.slash("/story", "help")
        # One call: the request is not held for half a minute; the person is told to try again
        # (by bolt, through the command's response_url), not to reinstall the app.
        assert len(slack_api.calls_to("auth.test")) == 1
        assert (status, body) == (200, "")
        told = await slack_api.wait_for("response_url:trigger-1", 1)
        assert [m.get("text") for m in told] == [AUTH_CHECK_FAILED]


async def test_no_other_call_is_retried_by_the_client(
    slack_api: FakeSlackAPI, slack_core: NewsDigest
) -> None:
    async for h in make_harness(slack_api, slack_core):
        slack_api.script("chat.postMessage", headers={"Retry-After": "0"}, **RATE_LIMITED)
        with contextlib.suppress(Exception):
            await h.bot.client.chat_postMessage(channel="C1", text="hi")
        assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_building_the_bot_logs_no_warning_about_its_token(
    slack_api: FakeSlackAPI, slack_core: NewsDigest, caplog: pytest.LogCaptureFixture
) -> None:
    # Bolt warns that the client's token is unused when given `authorize`: it is not (the
    # authorization hands it to every request), so an operator should not see that.
    settings = SlackSettings(bot_token=BOT_TOKEN, mode="http", signing_secret="secret")
    with caplog.at_level(logging.WARNING):
        SlackBot(Commands(slack_core), settings)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_a_refused_check_on_the_first_request_logs_slacks_error_code(
    slack_api: FakeSlackAPI, slack_core: NewsDigest, caplog: pytest.LogCaptureFixture
) -> None:
    # Bolt answers the request, but logs why the check failed only at DEBUG: an operator saw
    # "the AuthorizeResult ... was not found" and nothing naming the token.
    async for h in make_harness(slack_api, slack_core, checked=False):
        slack_api.script("auth.test", body={"ok": False, "error": "invalid_auth"})
        with caplog.at_level(logging.INFO):
            status, body = await h.slash("/story", "help")
        assert (status, body) == (200, "")
        told = await slack_api.wait_for("response_url:trigger-1", 1)
        assert [m.get("text") for m in told] == [AUTH_CHECK_FAILED]
        ours = [r for r in caplog.records if r.name == "bot.adapters.slack.token_check"]
        assert [(r.levelno, r.getMessage()) for r in ours] == [
            (
                logging.ERROR,
                f"Slack: the bot token's check (auth.test) failed: invalid_auth: {BOT_TOKEN_HELP}",
            )
        ]
        # Nothing kept from a failed check: the next request checks again.
        await h.slash("/story", "help")
        assert len(slack_api.calls_to("auth.test")) == 2
