"""Slack's Block Kit limits counted in UTF-16 units, an emoji two: a headline or a TL;DR of emoji
cut by code points passed our own checks and was over Slack's 150 (a header) or 3,000 (a
section) as JavaScript counts, so Slack could refuse the card (invalid_blocks) and it was never
posted. The fake Slack Web API refuses blocks over the limits as Slack does
(`fakes.slack_blocks`), so these tests see what reaches chat.postMessage."""

from __future__ import annotations

import pytest
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.slack_blocks import invalid_blocks
from fakes.stories import channel_row
from slack_sdk.errors import SlackApiError
from test_slack_blocks import make_card

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.blocks import MAX_HEADER_CHARS, MAX_SECTION_CHARS, card_messages
from bot.adapters.slack.escape import head, truncate, units
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.cards import StoryCard
from bot.models import Bullet

CHANNEL = channel_row("C1")
SHIP = "\U0001f6a2"  # an emoji past U+FFFF: two UTF-16 units
# 160 code points, 320 units: within 150 code points' cut, over Slack's 150 units.
EMOJI_HEADLINE = (SHIP + "\u2693") * 80


def emoji_card() -> StoryCard:
    outlets = ["Gazette", "Courier", "Herald", "Ledger"]
    bullets = [Bullet(f"Harbour {n} " + SHIP * 440, outlets[:2]) for n in range(7)]
    return make_card(4, headline=EMOJI_HEADLINE, tldr=bullets)


def test_units_count_an_emoji_as_two() -> None:
    assert units("abc") == 3
    assert units(SHIP) == 2
    assert units("\u2693") == 1  # in the Basic Multilingual Plane: one


def test_a_cut_never_splits_an_emoji_and_keeps_within_units() -> None:
    text = "a" + SHIP * 10
    assert head(text, 4) == "a" + SHIP  # a third unit would be half an emoji
    cut = truncate(SHIP * 200, MAX_HEADER_CHARS, escaped=False)
    assert units(cut) <= MAX_HEADER_CHARS and cut.endswith("…")
    assert cut == SHIP * 74 + "…"  # 148 units and the ellipsis' one


def test_an_emoji_headline_and_tldr_keep_within_slack_limits() -> None:
    messages = card_messages(emoji_card())
    for message in messages:
        assert invalid_blocks(message.blocks) is None
    [header] = [b for m in messages for b in m.blocks if b["type"] == "header"]
    assert 140 <= units(header["text"]["text"]) <= MAX_HEADER_CHARS
    sections = [b["text"]["text"] for m in messages for b in m.blocks if b["type"] == "section"]
    assert all(units(text) <= MAX_SECTION_CHARS for text in sections)
    # Nothing dropped: every bullet is still there, in more sections.
    assert sum(text.count("Harbour") for text in sections) == 7


@pytest.fixture
def adapter(slack_api: FakeSlackAPI) -> SlackAdapter:
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    return SlackAdapter(client, pacer=ChannelPacer(0))


async def test_an_emoji_heavy_card_is_posted(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    posted = await adapter.post_card(CHANNEL, emoji_card(), nonce="n-1")
    landed = slack_api.messages["C1"]
    assert landed and landed[0]["ts"] == posted.message_ref
    header = landed[0]["blocks"][0]
    assert header["type"] == "header" and header["text"]["text"].startswith(SHIP + "\u2693")


# --- the fake refuses what Slack refuses ------------------------------------------------------


def _button(**overrides: str) -> dict[str, object]:
    button: dict[str, object] = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Follow"},
        "action_id": "a",
        "value": "v",
    }
    button.update(overrides)
    return button


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        (
            [{"type": "header", "text": {"type": "plain_text", "text": SHIP * 76}}],
            "/blocks/0/text/text",
        ),
        (
            [{"type": "section", "text": {"type": "mrkdwn", "text": "x" + SHIP * 1500}}],
            "/blocks/0/text/text",
        ),
        (
            [{"type": "context", "elements": [{"type": "mrkdwn", "text": "a"}] * 11}],
            "/blocks/0/elements",
        ),
        ([{"type": "divider"}] * 51, "/blocks"),
        (
            [
                {
                    "type": "actions",
                    "elements": [_button(text={"type": "plain_text", "text": "b" * 76})],
                }
            ],
            "/blocks/0/elements/0/text/text",
        ),
        (
            [{"type": "actions", "elements": [_button(action_id="a" * 256)]}],
            "/blocks/0/elements/0/action_id",
        ),
        (
            [{"type": "actions", "elements": [_button(value="v" * 2001)]}],
            "/blocks/0/elements/0/value",
        ),
        (
            [{"type": "actions", "block_id": "b" * 256, "elements": [_button()]}],
            "/blocks/0/block_id",
        ),
    ],
)
async def test_the_fake_refuses_blocks_over_the_limits(
    slack_api: FakeSlackAPI, adapter: SlackAdapter, blocks: list[dict[str, object]], pointer: str
) -> None:
    with pytest.raises(SlackApiError) as refused:
        await adapter.client.chat_postMessage(channel="C1", text="t", blocks=blocks)
    assert refused.value.response["error"] == "invalid_blocks"
    [said] = refused.value.response["response_metadata"]["messages"]
    assert said.endswith(f"[json-pointer:{pointer}]")
    assert slack_api.messages["C1"] == []  # nothing posted


async def test_the_fake_takes_blocks_at_the_limits(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": SHIP * 75}},
        {"type": "section", "text": {"type": "mrkdwn", "text": SHIP * 1500}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "a"}] * 10},
        {"type": "actions", "elements": [_button(action_id="a" * 255, value="v" * 2000)]},
        *[{"type": "divider"}] * 46,
    ]
    await adapter.client.chat_postMessage(channel="C1", text="t", blocks=blocks)
    assert len(slack_api.messages["C1"]) == 1
