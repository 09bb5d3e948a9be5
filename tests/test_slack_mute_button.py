"""The Mute button under a /story card: it stops posts about the story in a channel that gets
them, and never signs a channel up for scheduled digests (a channel row) that had none."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fakes.stories import add_story
from test_slack_app import Harness

from bot.app import NewsDigest
from bot.config import Config
from bot.store import channels as channel_store
from bot.store.database import open_database, utcnow


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    app = NewsDigest(Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db"))
    add_story(app.db, "s1", ["Reuters", "AP", "BBC"], now=utcnow() - timedelta(hours=2))
    yield app
    app.close()


async def mute_from_story_card(h: Harness) -> dict[str, Any]:
    """Post the story with /story in C1, click the Mute button on the posted card, and return
    the answer the click got through its response_url."""
    status, _ = await h.slash("/story", "story-s1")
    assert status == 200
    [card] = await h.slack_api.wait_for("chat.postMessage")
    buttons = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    mute = next(e for e in buttons if e["action_id"].startswith("newsdigest_mute"))
    click = {
        "type": "block_actions",
        "trigger_id": "mute-click",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "channel": {"id": "C1", "name": "news"},
        "response_url": h.slack_api.response_url("mute"),
        "container": {"type": "message"},
        "actions": [{"action_id": mute["action_id"], "value": mute["value"], "type": "button"}],
    }
    body = urlencode({"payload": json.dumps(click)})
    status, _ = await h.post(body, h.signed(body))
    assert status == 200
    [answer] = await h.slack_api.wait_for("response_url:mute")
    return answer


async def test_mute_in_a_channel_that_never_signed_up_does_not_sign_it_up(h: Harness) -> None:
    answer = await mute_from_story_card(h)
    assert channel_store.get_channel(h.core.db, "slack", "C1") is None
    assert channel_store.list_channels(h.core.db) == []
    assert answer["response_type"] == "ephemeral"
    assert "not signed up" in answer["text"] and "Muted" not in answer["text"]


async def test_mute_in_a_signed_up_channel_is_recorded_and_changes_nothing_else(
    h: Harness,
) -> None:
    before = channel_store.ensure_channel(h.core.db, "slack", "C1")
    answer = await mute_from_story_card(h)
    assert answer["text"].startswith("Muted")
    # The undo, named where the mute is confirmed.
    assert answer["text"].endswith("Undo with `/watchlist unmute story-s1`.")
    assert channel_store.muted_story_ids(h.core.db, before.id) == {"s1"}
    assert channel_store.list_channels(h.core.db) == [before]
