"""An edit of a posted Slack card (`refresh_card`, after every thread update) reaches only the
card's first message: a grown card that would pack into two messages must still be whole in that
one, holding lines back with the card's "+N more" note and keeping its buttons.

The real adapter against the fake Slack Web API (which refuses blocks over Block Kit's limits);
assertions are on the chat.update it received."""

from __future__ import annotations

from typing import Any

import pytest
from _render_cards import OUTLETS
from _render_cards import make_card as render_card
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import channel_row

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.blocks import card_messages
from bot.adapters.slack.fitted import card_edit_message
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.cards import SourceLink, StoryCard
from bot.models import Angle, Bullet

CHANNEL = channel_row("C1", platform="slack")
# A tracking-laden link (a news aggregator's), each under the 1,000-unit bound a link keeps.
URL = "https://news.google.example/rss/articles/CBMi" + "Q" * 800 + "?oc=5&utm_source=feed"
SENTENCE = "The council said the grant would fund twelve lighthouses along the coast. " * 6


@pytest.fixture
def adapter(slack_api: FakeSlackAPI) -> SlackAdapter:
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    return SlackAdapter(client, pacer=ChannelPacer(0))


def grown(angles: int = 5, **overrides: Any) -> StoryCard:
    """The sample card grown to realistic sizes: long bullets, five sources and `angles` angles
    with long links, quotes and lines."""
    fields: dict[str, Any] = {
        "tldr": [Bullet(SENTENCE, OUTLETS[:3]) for _ in range(3)],
        "sources": [
            SourceLink(o, f"{o}: coastal towns win $40M lighthouse grant", f"{URL}{i}")
            for i, o in enumerate(OUTLETS)
        ],
        "angles": [
            Angle(
                o, "Puts a cost per beacon. " * 18, "About three million each. " * 18, f"{URL}a{i}"
            )
            for i, o in enumerate(OUTLETS[:angles])
        ],
    }
    fields.update(overrides)
    return render_card(**fields)


def texts(blocks: list[dict[str, Any]]) -> str:
    out = []
    for block in blocks:
        if block["type"] in ("section", "header"):
            out.append(block["text"]["text"])
        elif block["type"] == "context":
            out += [element["text"] for element in block["elements"]]
    return "\n".join(out)


async def test_an_edit_of_a_grown_card_is_whole_in_one_message(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    posted = await adapter.post_card(CHANNEL, render_card(), nonce="n-1")
    card = grown()
    assert len(card_messages(card)) == 2  # posted anew, it would carry on in its thread

    await adapter.refresh_card(CHANNEL, posted, card)

    [edit] = slack_api.calls_to("chat.update")
    blocks = edit["blocks"]
    assert blocks[-1]["type"] == "actions"
    assert [e["action_id"] for e in blocks[-1]["elements"]] == [
        "newsdigest_full:s1",
        "newsdigest_new_topic:s1",
        "newsdigest_mute:s1",
    ]
    said = texts(blocks)
    assert said.count("\n• The council said") == 3  # the TL;DR whole
    assert "Also reporting: Bay Courier, Tide Journal" in said
    shown = said.count(" — Puts a cost per beacon.")
    # The compact card shows three angles of five: the two it always holds back, and those the
    # edit had no room for, are one note.
    assert 0 < shown < 3
    assert f"_+{5 - shown} more (use `/story lighthouse-grant`)_" in said
    assert slack_api.messages["C1"][0]["blocks"] == blocks


def test_a_card_that_fits_one_message_is_edited_as_posted() -> None:
    card = render_card()
    assert card_edit_message(card).blocks == card_messages(card)[0].blocks


def test_the_sources_and_then_the_bullets_are_held_back_when_angles_are_not_enough() -> None:
    huge = "A very long sentence about the lighthouse grant and its twelve towns. " * 7
    card = grown(
        angles=0,
        tldr=[Bullet(huge, OUTLETS[:3]) for _ in range(30)],
        also_reporting=[f"Coastal Outlet {k}" for k in range(60)],
    )
    assert len(card_messages(card)) > 1
    message = card_edit_message(card)
    said = texts(message.blocks)
    assert "_+5 more outlets (use `/story lighthouse-grant`)_" in said
    bullets = said.count("\n• A very long sentence")
    assert 0 < bullets < 30
    assert f"_+{30 - bullets} more (use `/story lighthouse-grant`)_" in said
    assert message.blocks[-1]["type"] == "actions"
