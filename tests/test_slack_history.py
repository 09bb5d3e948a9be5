"""find_posted when Slack will not let us read: a failed lookup must never pause a channel that
takes our posts, nor mark all of Slack down."""

from __future__ import annotations

import pytest
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from test_slack_adapter import CHANNEL
from test_slack_blocks import make_card

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.adapter import (
    PermanentDeliveryError,
    PlatformDeliveryError,
    TransientDeliveryError,
)


@pytest.fixture
def adapter(slack_api: FakeSlackAPI) -> SlackAdapter:
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    return SlackAdapter(client, pacer=ChannelPacer(0))


async def test_public_channel_not_joined_is_joined_then_searched(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    # chat:write.public: the post lands although the bot is not a member.
    slack_api.not_joined.add("C1")
    posted = await adapter.post_card(CHANNEL, make_card(4), nonce="n-1")
    assert await adapter.find_posted(CHANNEL, story_id="s1", nonce="n-1") == posted
    assert slack_api.calls_to("conversations.join") == [{"channel": "C1"}]


async def test_update_lookup_in_a_channel_not_joined(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    posted = await adapter.post_card(CHANNEL, make_card(6), nonce="n-1")
    await adapter.post_update(CHANNEL, posted, make_card(8), new_outlets=["Outlet 7"], nonce="u-1")
    slack_api.not_joined.add("C1")
    found = await adapter.find_posted(
        CHANNEL, story_id="s1", nonce="u-1", kind="update", parent=posted
    )
    assert found is not None and found.thread_ref == posted.message_ref
    assert len(slack_api.calls_to("conversations.join")) == 1


@pytest.mark.parametrize("join_error", ["missing_scope", "method_not_supported_for_channel_type"])
async def test_unreadable_channel_is_a_retry_not_a_pause(
    slack_api: FakeSlackAPI, adapter: SlackAdapter, join_error: str
) -> None:
    """An install without channels:join, or a channel that cannot be joined: "cannot check" makes
    the outbox look again with backoff, not pause a channel whose posts work."""
    slack_api.not_joined.add("C1")
    slack_api.script("conversations.join", body={"ok": False, "error": join_error})
    with pytest.raises(TransientDeliveryError) as info:
        await adapter.find_posted(CHANNEL, story_id="s1", nonce="n-1")
    assert not isinstance(info.value, PlatformDeliveryError)
    assert "not_in_channel" in str(info.value)
    assert len(slack_api.calls_to("conversations.history")) == 1


async def test_missing_history_scope_does_not_take_slack_down(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    # e.g. groups:history not granted: posting everywhere still works.
    slack_api.script("conversations.history", body={"ok": False, "error": "missing_scope"})
    with pytest.raises(TransientDeliveryError) as info:
        await adapter.find_posted(CHANNEL, story_id="s1", nonce="n-1")
    assert not isinstance(info.value, PlatformDeliveryError)
    assert slack_api.calls_to("conversations.join") == []


@pytest.mark.parametrize(
    ("code", "kind"),
    [("channel_not_found", PermanentDeliveryError), ("invalid_auth", PlatformDeliveryError)],
)
async def test_a_gone_channel_or_dead_token_still_maps_as_before(
    slack_api: FakeSlackAPI, adapter: SlackAdapter, code: str, kind: type[Exception]
) -> None:
    slack_api.script("conversations.history", body={"ok": False, "error": code})
    with pytest.raises(kind):
        await adapter.find_posted(CHANNEL, story_id="s1", nonce="n-1")
