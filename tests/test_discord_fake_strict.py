"""The fake Discord refuses what Discord refuses: a row of more than 5 buttons, a button with
neither label nor emoji, an empty message or embed, a thread name outside 1-100 characters, an
autocomplete answer over its limits, and a bad update (7) or modal (9) callback. Each payload here
is one Discord answers 400; the fake must too, or a test of the bot would pass on a post that
never shows. Requests go over HTTP, as discord.py sends them."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from fakes.discord_api import FakeDiscord

CHANNEL = 111111111111111111
CALLBACK = "/interactions/1/tok/callback"


def button(custom_id: str, label: str | None = "Open", **more: Any) -> dict[str, Any]:
    comp: dict[str, Any] = {"type": 2, "style": 1, "custom_id": custom_id, **more}
    if label is not None:
        comp["label"] = label
    return comp


def row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


async def send(fake: FakeDiscord, method: str, path: str, body: Any) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, fake.base + path, json=body) as response,
    ):
        return response.status, await response.json() if response.status != 204 else None


async def post(fake: FakeDiscord, body: dict[str, Any]) -> tuple[int, Any]:
    return await send(fake, "POST", f"/channels/{CHANNEL}/messages", body)


REFUSED_MESSAGES = [
    pytest.param(
        {"components": [row(*(button(f"b{i}") for i in range(6)))]},
        "components.0.components",
        id="six-buttons-in-a-row",
    ),
    pytest.param(
        {"content": "x", "components": [row(button("b", label=None))]},
        "components.0.components.0.label",
        id="button-without-label",
    ),
    pytest.param(
        {"content": "x", "components": [row(button("b", label=""))]},
        "components.0.components.0.label",
        id="button-with-empty-label",
    ),
    pytest.param({"content": "x", "embeds": [{"color": 1}]}, "embeds.0", id="empty-embed"),
]


@pytest.mark.parametrize(("body", "at"), REFUSED_MESSAGES)
async def test_the_fake_refuses_a_message_discord_refuses(
    discord_api: FakeDiscord, body: dict[str, Any], at: str
) -> None:
    status, answer = await post(discord_api, body)
    assert status == 400 and answer["code"] == 50035
    assert at in answer["errors"], answer
    assert discord_api.channel_messages(CHANNEL) == []


async def test_an_emoji_button_needs_no_label_and_five_buttons_fit(
    discord_api: FakeDiscord,
) -> None:
    buttons = [button(f"b{i}") for i in range(4)]
    buttons.append(button("e", label=None, emoji={"name": "🔔"}))
    status, _ = await post(discord_api, {"components": [row(*buttons)]})
    assert status == 200


@pytest.mark.parametrize("body", [{}, {"content": ""}, {"content": "", "embeds": []}])
async def test_an_empty_message_is_refused_wherever_it_is_sent(
    discord_api: FakeDiscord, body: dict[str, Any]
) -> None:
    empty = {"code": 50006, "message": "Cannot send an empty message"}
    assert await post(discord_api, body) == (400, empty)
    discord_api.webhook_channels[5] = CHANNEL
    assert await send(discord_api, "POST", "/webhooks/5/hook?wait=true", body) == (400, empty)
    assert await send(discord_api, "POST", CALLBACK, {"type": 4, "data": body}) == (400, empty)


async def test_an_edit_that_leaves_nothing_is_refused_but_one_keeping_embeds_is_not(
    discord_api: FakeDiscord,
) -> None:
    _, text = await post(discord_api, {"content": "hello"})
    edit = f"/channels/{CHANNEL}/messages/{text['id']}"
    assert (await send(discord_api, "PATCH", edit, {"content": ""}))[0] == 400
    _, card = await post(discord_api, {"content": "hi", "embeds": [{"title": "t"}]})
    edit = f"/channels/{CHANNEL}/messages/{card['id']}"
    assert (await send(discord_api, "PATCH", edit, {"content": ""}))[0] == 200


@pytest.mark.parametrize("name", ["", "x" * 101, None])
async def test_a_thread_name_outside_1_to_100_characters_is_refused(
    discord_api: FakeDiscord, name: str | None
) -> None:
    _, msg = await post(discord_api, {"content": "card"})
    path = f"/channels/{CHANNEL}/messages/{msg['id']}/threads"
    body = {} if name is None else {"name": name}
    status, answer = await send(discord_api, "POST", path, body)
    assert status == 400 and "name" in answer["errors"]
    assert (await send(discord_api, "POST", path, {"name": "x" * 100}))[0] == 201


def choice(name: str, value: Any) -> dict[str, Any]:
    return {"name": name, "value": value}


@pytest.mark.parametrize(
    ("choices", "at"),
    [
        ([choice(f"c{i}", f"c{i}") for i in range(26)], "data.choices"),
        ([choice("", "v")], "data.choices.0.name"),
        ([choice("n" * 101, "v")], "data.choices.0.name"),
        ([choice("n", "")], "data.choices.0.value"),
        ([choice("n", "v" * 101)], "data.choices.0.value"),
    ],
    ids=["26-choices", "empty-name", "long-name", "empty-value", "long-value"],
)
async def test_an_autocomplete_answer_over_its_limits_is_refused(
    discord_api: FakeDiscord, choices: list[dict[str, Any]], at: str
) -> None:
    body = {"type": 8, "data": {"choices": choices}}
    status, answer = await send(discord_api, "POST", CALLBACK, body)
    assert status == 400 and at in answer["errors"], answer
    fine = {"type": 8, "data": {"choices": [choice("n" * 100, "v" * 100), choice("k", 3)] * 12}}
    assert (await send(discord_api, "POST", CALLBACK, fine))[0] == 204


async def test_update_and_modal_callbacks_are_validated(discord_api: FakeDiscord) -> None:
    update = {"type": 7, "data": {"components": [row(*(button(f"b{i}") for i in range(6)))]}}
    status, answer = await send(discord_api, "POST", CALLBACK, update)
    assert status == 400 and "data.components.0.components" in answer["errors"]
    text_input = {"type": 4, "custom_id": "topic", "style": 1, "label": "Topic"}
    modal = {"custom_id": "follow", "title": "t" * 46, "components": [row(text_input)]}
    status, answer = await send(discord_api, "POST", CALLBACK, {"type": 9, "data": modal})
    assert status == 400 and "data.title" in answer["errors"]
    modal["title"] = "Follow"
    assert (await send(discord_api, "POST", CALLBACK, {"type": 9, "data": modal}))[0] == 200
