"""A Discord interaction whose deferral fails (10062 Unknown interaction: it expired, or a
restart's backlog answered too late) while its work still waits for another process's write
lock: the work was left running unwatched, its outcome (or failure) never retrieved. It is now
carried to its end and said in one log line, since no reply can be. Any other failure to
defer (a 5xx, a lost answer) may have come after the deferral landed: the reply is tried."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from fakes.discord_api import FakeDiscord
from fakes.stories import add_story
from test_command_lock_waits import lock_held
from test_discord_commands import CHANNEL, click, interact
from test_discord_commands import make_bot as make_discord_bot

from bot.app import NewsDigest
from bot.store import channels as channel_store
from bot.store.database import utcnow

EXPIRED = {"code": 10062, "message": "Unknown interaction"}


@pytest.fixture
def core(slack_core: NewsDigest) -> Iterator[NewsDigest]:
    add_story(slack_core.db, "aaaaaaaaaaaa", ["Harbor Ledger", "Valley Times"], now=utcnow())
    yield slack_core


async def test_a_click_whose_deferral_failed_is_carried_out_and_logged_once(
    discord_api: FakeDiscord, core: NewsDigest, caplog: pytest.LogCaptureFixture
) -> None:
    row = channel_store.ensure_channel(core.db, "discord", str(CHANNEL))
    bot = await make_discord_bot(core, defer_after=0.2)
    discord_api.fail_next("POST", r"/interactions/\d+/[^/]+/callback", 404, EXPIRED)
    caplog.set_level(logging.WARNING)
    try:
        async with lock_held(core, 0.8):
            await interact(bot, click(f"nd:mute:{'a' * 12}"))
            # The handler returned only once the mute was done, the lock released meanwhile.
            assert channel_store.muted_story_ids(core.db, row.id) == {"aaaaaaaaaaaa"}
    finally:
        await bot.close()
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in lines] == [
        "Discord interaction for the Mute story button could not be deferred (404 Not Found "
        "(error code: 10062): Unknown interaction); the command ran to its end, unanswered"
    ]
    # Nothing more was sent to the expired interaction.
    assert discord_api.calls("PATCH", r"/webhooks/\d+/[^/]+/messages/@original") == []


async def test_a_deferral_whose_answer_was_lost_still_gets_the_reply(
    discord_api: FakeDiscord, core: NewsDigest, caplog: pytest.LogCaptureFixture
) -> None:
    # Not expired: the deferral landed, its answer garbled on the way back (a proxy's page).
    # Taken as expired, the reply was dropped and the user left "thinking" for good.
    row = channel_store.ensure_channel(core.db, "discord", str(CHANNEL))
    bot = await make_discord_bot(core, defer_after=0.2)
    discord_api.garble_next("POST", r"/interactions/\d+/[^/]+/callback", landed=True)
    caplog.set_level(logging.WARNING)
    try:
        async with lock_held(core, 0.8):
            await interact(bot, click(f"nd:mute:{'a' * 12}"))
        assert channel_store.muted_story_ids(core.db, row.id) == {"aaaaaaaaaaaa"}
    finally:
        await bot.close()
    [edit] = discord_api.calls("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert "Muted" in json.dumps(edit.body)
    [line] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert "the Mute story button: deferring it failed" in line
