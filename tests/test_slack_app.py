"""The Slack app end to end in HTTP mode: real signed requests in, exact Web API payloads out.

The app runs on 127.0.0.1 with its Web API pointed at the slack_api (`tests/fakes/slack_api.py`), and
its signature clock fixed at the timestamp of Slack's documented example request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

import aiohttp
import pytest
from fakes.slack_api import BOT_TOKEN, BOT_USER, FakeSlackAPI
from fakes.stories import add_story

from bot.adapters.slack.adapter import ChannelPacer
from bot.adapters.slack.app import SlackBot
from bot.adapters.slack.escape import escape_trusted
from bot.adapters.slack.settings import SlackSettings
from bot.adapters.slack.text_lists import text_blocks
from bot.app import NewsDigest
from bot.commands.core import Commands
from bot.store import channels as channel_store
from bot.store.database import utcnow

# Slack's worked example ("Verifying requests from Slack").
DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DOC_TS = 1531420618
DOC_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554"
    "%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
FORM = "application/x-www-form-urlencoded"


@dataclass
class Harness:
    slack_api: FakeSlackAPI
    bot: SlackBot
    core: NewsDigest
    port: int
    triggers: int = 0

    def signed(self, body: str, *, ts: int = DOC_TS, secret: str = DOC_SECRET) -> dict[str, str]:
        digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}

    async def post(
        self, body: str, headers: dict[str, str], content_type: str = FORM
    ) -> tuple[int, str]:
        url = f"http://127.0.0.1:{self.port}/slack/events"
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                url, data=body.encode(), headers={**headers, "Content-Type": content_type}
            ) as response,
        ):
            raw = await response.text()
        if response.status == 200 and "command" in parse_qs(body) and raw.startswith("{"):
            # The 200 answer to a slash command is its ack, shown only if Slack takes it (a
            # refused request's 401 is not an ack).
            self.slack_api.check_ack(json.loads(raw))
        return response.status, raw

    async def slash(
        self, command: str, text: str = "", *, user: str = "U1", trigger: str | None = None
    ) -> tuple[int, dict[str, Any] | str]:
        self.triggers += 1
        trigger = trigger or f"trigger-{self.triggers}"
        body = urlencode(
            {
                "token": "x",
                "team_id": "T1",
                "channel_id": "C1",
                "channel_name": "news",
                "user_id": user,
                "command": command,
                "text": text,
                "response_url": self.slack_api.response_url(trigger),
                "trigger_id": trigger,
            }
        )
        status, raw = await self.post(body, self.signed(body))
        return status, (json.loads(raw) if raw.startswith("{") else raw)

    async def interact(self, payload: dict[str, Any]) -> int:
        body = urlencode({"payload": json.dumps(payload)})
        status, _ = await self.post(body, self.signed(body))
        return status

    async def event(self, event: dict[str, Any], event_id: str, retry: int = 0) -> int:
        body = json.dumps(
            {
                "token": "x",
                "team_id": "T1",
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": DOC_TS,
                "event": event,
            }
        )
        headers = self.signed(body)
        if retry:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        status, _ = await self.post(body, headers, "application/json")
        return status


async def make_harness(
    slack_api: FakeSlackAPI, core: NewsDigest, **kwargs: Any
) -> AsyncIterator[Harness]:
    settings = SlackSettings(
        bot_token=BOT_TOKEN, mode="http", signing_secret=DOC_SECRET, api_url=slack_api.api_url
    )
    # As `SlackBot.start` does before it listens; False: bolt checks on the first request.
    checked = kwargs.pop("checked", True)
    bot = SlackBot(
        kwargs.pop("commands", None) or Commands(core),
        settings,
        pacer=ChannelPacer(0),
        clock=lambda: float(DOC_TS),
        **kwargs,
    )
    if checked:
        await bot.token.check()
        slack_api.calls.clear()  # the tests look at the calls requests make
    port = await bot.start_http(host="127.0.0.1", port=0)
    yield Harness(slack_api=slack_api, bot=bot, core=core, port=port)
    await bot.stop()


@pytest.fixture
async def h(slack_api: FakeSlackAPI, slack_core: NewsDigest) -> AsyncIterator[Harness]:
    async for harness in make_harness(slack_api, slack_core):
        yield harness


def public_text(text: str) -> dict[str, Any]:
    """The chat.postMessage payload for a public text reply."""
    return {
        "channel": "C1",
        "text": escape_trusted(text),
        "blocks": text_blocks(text),
        "unfurl_links": False,
        "unfurl_media": False,
    }


def ack_text(body: dict[str, Any] | str) -> str:
    assert isinstance(body, dict), body
    assert body.get("response_type", "ephemeral") == "ephemeral"
    return " ".join(b["text"]["text"] for b in body["blocks"] if b["type"] == "section")


# --- signatures --------------------------------------------------------------------------------------


async def test_documented_example_is_accepted(h: Harness) -> None:
    status, raw = await h.post(
        DOC_BODY, {"X-Slack-Request-Timestamp": str(DOC_TS), "X-Slack-Signature": DOC_SIGNATURE}
    )
    assert status == 200
    # An unknown command gets a polite ephemeral answer in the ack itself (no outbound call).
    assert "Unknown command 'webhook-collect'" in json.loads(raw)["text"]


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (DOC_BODY.replace("roadrunner", "coyote"), {"X-Slack-Signature": DOC_SIGNATURE}),
        (DOC_BODY, {"X-Slack-Signature": "v0=" + "0" * 64}),
        (DOC_BODY, {}),
    ],
    ids=["tampered-body", "wrong-signature", "missing-signature"],
)
async def test_bad_signatures_get_401(h: Harness, body: str, headers: dict[str, str]) -> None:
    status, _ = await h.post(body, {"X-Slack-Request-Timestamp": str(DOC_TS), **headers})
    assert status == 401
    assert h.slack_api.calls == []  # rejected before bolt does anything


async def test_wrong_secret_and_stale_timestamp_get_401(h: Harness) -> None:
    assert (await h.post(DOC_BODY, h.signed(DOC_BODY, secret="not-the-secret")))[0] == 401
    assert (await h.post(DOC_BODY, h.signed(DOC_BODY, ts=DOC_TS - 301)))[0] == 401
    assert (await h.post(DOC_BODY, h.signed(DOC_BODY, ts=DOC_TS - 299)))[0] == 200


async def test_url_verification(h: Harness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    status, raw = await h.post(body, h.signed(body), "application/json")
    assert status == 200 and "abc123" in raw


# --- buttons and events ------------------------------------------------------------------------------


def block_action(
    action_id: str, value: str, trigger: str, slack_api: FakeSlackAPI
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "channel": {"id": "C1", "name": "news"},
        "api_app_id": "A1",
        "trigger_id": trigger,
        "response_url": slack_api.response_url(trigger),
        "container": {"type": "message", "message_ts": "1.0", "channel_id": "C1"},
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "value": value,
                "block_id": "b",
                "action_ts": "1",
            }
        ],
    }


async def test_buttons(h: Harness) -> None:
    add_story(h.core.db, "s1", ["Reuters", "AP"], now=utcnow())
    channel_store.upsert_topic(h.core.db, "chips", "chip")
    channel = channel_store.ensure_channel(h.core.db, "slack", "C1")

    assert await h.interact(block_action("newsdigest_mute:s1", "s1", "b1", h.slack_api)) == 200
    [muted] = await h.slack_api.wait_for("response_url:b1")
    assert muted["response_type"] == "ephemeral" and "Muted" in muted["text"]
    assert channel_store.muted_story_ids(h.core.db, channel.id) == {"s1"}

    assert (
        await h.interact(block_action("newsdigest_full:s1", "story-s1", "b2", h.slack_api)) == 200
    )
    [full] = await h.slack_api.wait_for("response_url:b2")
    assert full["response_type"] == "ephemeral" and full["blocks"][0]["type"] == "header"

    assert await h.interact(block_action("newsdigest_follow:s1", "chips", "b3", h.slack_api)) == 200
    [follow] = await h.slack_api.wait_for("chat.postMessage")
    assert follow == public_text("This channel now follows chips.")

    # No topic to offer: the card's "Follow topic" names the /follow to type (Discord's opens
    # a form), for a topic named after the story.
    click = block_action("newsdigest_new_topic:s1", "harbour-towns-win-grant", "b4", h.slack_api)
    assert await h.interact(click) == 200
    [hint] = await h.slack_api.wait_for("response_url:b4")
    assert hint["response_type"] == "ephemeral"
    assert hint["text"].endswith('`/follow harbour-towns-win query: "some phrase" OR keyword`')


async def test_mention_gets_help_once(h: Harness) -> None:
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": f"<@{BOT_USER}> hi <!channel>",
        "ts": "1700.000100",
        "channel": "C1",
        "event_ts": "1700.000100",
    }
    assert await h.event(event, "Ev1") == 200
    assert await h.event(event, "Ev1", retry=1) == 200
    [call] = await h.slack_api.wait_for("chat.postMessage")
    assert call["thread_ts"] == "1700.000100"
    assert "<!channel>" not in json.dumps(call)
    assert len(h.slack_api.calls_to("chat.postMessage")) == 1


async def test_invited_channel_gets_defaults_and_greeting(h: Harness) -> None:
    event = {"type": "member_joined_channel", "user": BOT_USER, "channel": "C9", "team": "T1"}
    assert await h.event(event, "Ev2") == 200
    [call] = await h.slack_api.wait_for("chat.postMessage")
    assert call["channel"] == "C9" and "Mode: digest" in call["text"]
    assert channel_store.get_channel(h.core.db, "slack", "C9") is not None


async def test_a_failed_admin_lookup_is_not_remembered(h: Harness) -> None:
    h.slack_api.users["UADMIN"] = {"id": "UADMIN", "is_admin": True}
    h.slack_api.script("users.info", body={"ok": False, "error": "fatal_error"})
    _, body = await h.slash("/feeds", "add https://feeds.example/a", user="UADMIN")
    # Fail closed, saying the check failed: the admin is no "Only admins can…" case...
    assert ack_text(body).startswith("I could not check whether you are an admin just now")
    assert "feed was not added" in ack_text(body)
    _, body = await h.slash("/feeds", "add https://feeds.example/a", user="UADMIN")
    assert "Added feed `https://feeds.example/a`" in ack_text(body)  # ...but only this once


async def test_starting_with_the_token_in_the_environment_logs_no_bolt_warning(
    slack_api: FakeSlackAPI,
    slack_core: NewsDigest,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # As `newsdigest run` starts it: SLACK_BOT_TOKEN set, which bolt reads by itself.
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    with caplog.at_level(logging.WARNING):
        # Started and stopped with nothing in between: a bolt warning would come at start.
        [_ async for _ in make_harness(slack_api, slack_core)]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
