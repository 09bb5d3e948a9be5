"""The fake Slack refuses what Slack refuses, wherever a message goes: chat.postMessage, a
response_url, a slash command's ack. Each payload here is one Slack would not show; the fake
must say so, or a test of the bot would pass on a reply no one ever sees."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI, RefusedAck
from fakes.slack_blocks import invalid_message


def section(text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def button(action_id: str) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": "Open"},
        "action_id": action_id,
        "value": "v",
    }


REFUSED = [
    pytest.param(
        [section("a", "b1"), section("b", "b1")], "/blocks/1/block_id", id="repeated-block-id"
    ),
    pytest.param(
        [
            {"type": "actions", "elements": [button("open")]},
            {"type": "actions", "elements": [button("open")]},
        ],
        "/blocks/1/elements/0/action_id",
        id="repeated-action-id",
    ),
    pytest.param([section("")], "/blocks/0/text/text", id="empty-section"),
    pytest.param([{"type": "section"}], "/blocks/0/text", id="section-without-text"),
    pytest.param(
        [{"type": "header", "text": {"type": "plain_text", "text": ""}}],
        "/blocks/0/text/text",
        id="empty-header",
    ),
    pytest.param([{"type": "context", "elements": []}], "/blocks/0/elements", id="empty-context"),
]


@pytest.mark.parametrize(("blocks", "pointer"), REFUSED)
def test_the_fake_refuses_blocks_slack_refuses(blocks: list[dict[str, Any]], pointer: str) -> None:
    refused = invalid_message({"text": "fallback", "blocks": blocks})
    assert refused is not None and refused["error"] == "invalid_blocks"
    assert any(m.endswith(f"[json-pointer:{pointer}]") for m in refused["errors"]), refused


def test_a_section_of_fields_needs_no_text_and_distinct_ids_pass() -> None:
    fields = {"type": "section", "fields": [{"type": "mrkdwn", "text": "a"}]}
    blocks = [section("a", "b1"), section("b", "b2"), fields]
    assert invalid_message({"text": "x", "blocks": blocks}) is None


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "", "blocks": []}])
async def test_a_message_with_neither_text_nor_blocks_is_no_text(
    slack_api: FakeSlackAPI, body: dict[str, Any]
) -> None:
    answer = await call(slack_api, "chat.postMessage", {"channel": "C1", **body})
    assert answer == {"ok": False, "error": "no_text"}
    assert slack_api.messages["C1"] == []
    assert slack_api.refusals == [("chat.postMessage", {"ok": False, "error": "no_text"})]


async def test_a_response_url_refuses_blocks_as_chat_post_message_does(
    slack_api: FakeSlackAPI,
) -> None:
    bad = {"response_type": "ephemeral", "text": "x", "blocks": [section("")]}
    assert await post(slack_api.response_url("r1"), bad) == (400, "invalid_blocks")
    assert await post(slack_api.response_url("r2"), {"response_type": "in_channel"}) == (
        400,
        "no_text",
    )
    assert [where for where, _ in slack_api.refusals] == ["response_url:r1", "response_url:r2"]
    # What Slack takes: a valid message, and a delete of the original (no text needed).
    assert await post(slack_api.response_url("r3"), {"text": "x", "blocks": [section("a")]}) == (
        200,
        "ok",
    )
    assert await post(slack_api.response_url("r4"), {"delete_original": True}) == (200, "ok")


async def test_a_socket_mode_ack_carrying_bad_blocks_is_refused(slack_api: FakeSlackAPI) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(f"ws://127.0.0.1:{slack_api.port}/socket")
        await ws.receive_json()  # hello

        async def app() -> None:
            envelope = await ws.receive_json()
            payload = {"text": "x", "blocks": [section("a", "b"), section("c", "b")]}
            await ws.send_json({"envelope_id": envelope["envelope_id"], "payload": payload})

        answering = asyncio.ensure_future(app())
        with pytest.raises(RefusedAck, match="duplicate block_id"):
            await slack_api.socket_send({"envelope_id": "e1", "type": "slash_commands"})
        await answering
        await ws.close()


def test_an_http_ack_is_checked_and_an_empty_one_passes(slack_api: FakeSlackAPI) -> None:
    slack_api.check_ack({})
    slack_api.check_ack({"response_type": "ephemeral", "text": "Working on it…"})
    with pytest.raises(RefusedAck, match="no_text"):
        slack_api.check_ack({"response_type": "ephemeral", "text": ""})


async def call(fake: FakeSlackAPI, method: str, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {BOT_TOKEN}"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(fake.api_url + method, json=body, headers=headers) as response,
    ):
        answer: dict[str, Any] = await response.json()
        return answer


async def post(url: str, body: dict[str, Any]) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as response:
        return response.status, await response.text()
