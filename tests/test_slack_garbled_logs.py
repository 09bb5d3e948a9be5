"""What the admin reads when Slack answers with a body that is not JSON: one warning saying so
and that the channel is checked before any resend, no error with chained tracebacks, and no
claim of a crash or of a message "not posted" when it may well have been.

Real outbox and Slack adapter against the fake Web API (see test_slack_garbled_posts)."""

from __future__ import annotations

import logging

import pytest
from fakes.slack_api import HTML_PAGE, TRUNCATED_JSON, FakeSlackAPI
from test_slack_garbled_posts import World, assert_one_card
from test_slack_overflow import World as OverflowWorld

BODIES = pytest.mark.parametrize("body", [HTML_PAGE, TRUNCATED_JSON], ids=["html", "truncated"])
NOT_JSON = "answered HTTP 200 with a body that is not JSON"


def logged(caplog: pytest.LogCaptureFixture, text: str, level: int = logging.WARNING) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == level and text in r.getMessage()]


@BODIES
async def test_a_garbled_answer_is_one_warning_and_the_check_says_where_it_was_found(
    slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture, body: str
) -> None:
    world = World(slack_api)
    slack_api.script_raw("chat.postMessage", body, landed=True)
    with caplog.at_level(logging.INFO):
        await world.drain_hours(3)
    assert_one_card(world)
    [warning] = logged(caplog, "may have been posted")
    assert NOT_JSON in warning and "checking the channel" in warning
    # The one warning: not also "did not take a post", which would be wrong if it landed.
    assert not logged(caplog, "did not take a post")
    assert "before resending" in warning
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert "AttributeError" not in caplog.text
    assert "before the crash" not in caplog.text
    assert "had landed (found in the channel's history)" in caplog.text


@BODIES
async def test_an_overflow_message_under_a_garbled_answer_may_not_have_been_posted(
    slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture, body: str
) -> None:
    world = OverflowWorld(slack_api)
    slack_api.script_usual("chat.postMessage")
    slack_api.script_raw("chat.postMessage", body, landed=True)
    with caplog.at_level(logging.INFO):
        await world.drain_for_a_day()
    # An error, as the card may be missing a part, but one line saying so, not a traceback.
    [error] = logged(caplog, "part 2 of 2", logging.ERROR)
    assert "may not have been posted" in error and NOT_JSON in error
    assert "given up" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info]
    assert "AttributeError" not in caplog.text
