"""Interaction follow-ups are never posted twice: Discord may create a follow-up and still answer
5xx (a gateway timeout after it landed), and follow-ups take no nonce, so the POST is not resent
(discord.py's own webhook loop would resend it on any 5xx); the rest of the reply still goes.
A follow-up answered with a body that is not a Discord message (a proxy's HTML page served as
200, JSON cut off, a message without its id) is the same: logged as maybe posted, not sent again,
and the rest of the reply goes; it escaped with a traceback and dropped the rest. A follow-up
refused with a short 429 of Discord's own is sent once more after its wait, as discord.py did
before the webhook session raised every 429; a long one is not slept out."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

import pytest
from fakes.discord_api import APP_ID, HTML_PAGE, NO_ID, TRUNCATED_JSON, FakeDiscord
from fakes.stories import add_channel, add_story
from test_discord_commands import CHANNEL, EPHEMERAL, slash

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.store.database import utcnow

FOLLOW_UP = rf"/webhooks/{APP_ID}/[^/]+"


# `core`, and the `h` and `bot` over it, on an empty database (conftest).
pytestmark = pytest.mark.empty_core


def follow_ups(api: FakeDiscord) -> list[dict[str, Any]]:
    """The follow-up messages that exist on Discord's side."""
    return [m for m in api.messages.values() if m.get("webhook_id") == str(APP_ID)]


async def test_a_replacing_follow_up_answered_5xx_after_it_landed_is_not_posted_again(
    discord_api: FakeDiscord, bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    # /story defers publicly; "no such story" is private, so a follow-up replaces the thinking.
    discord_api.fail_next("POST", FOLLOW_UP, 502, {"message": "Bad Gateway"}, landed=True)
    with caplog.at_level(logging.WARNING):
        await slash(bot, "story", query="zebra")
    assert [p.status for p in discord_api.calls("POST", FOLLOW_UP)] == [502]
    [landed] = follow_ups(discord_api)
    assert "zebra" in landed["content"] and landed["flags"] & EPHEMERAL
    assert "may or may not have been posted" in caplog.text


async def test_the_rest_of_a_reply_goes_on_after_an_ambiguous_follow_up(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    add_channel(core.db, str(CHANNEL), platform="discord")
    for n in range(7):
        add_story(core.db, f"s{n}", ["Reuters", "AP"], now=utcnow() - timedelta(hours=1))
    # The heading edits the "thinking" message; seven cards follow in two messages (5 + 2).
    discord_api.fail_next("POST", FOLLOW_UP, 503, {"message": "Unavailable"}, landed=True)
    await slash(bot, "digest")
    assert [p.status for p in discord_api.calls("POST", FOLLOW_UP)] == [503, 200]
    assert [len(m["embeds"]) for m in follow_ups(discord_api)] == [5, 2]


async def test_a_follow_up_refused_outright_still_raises(
    discord_api: FakeDiscord, bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    # A 4xx says the message was not created: nothing is hidden behind "may have been posted".
    discord_api.fail_next("POST", FOLLOW_UP, 400, {"message": "Invalid Form Body", "code": 50035})
    with caplog.at_level(logging.ERROR):
        await slash(bot, "story", query="zebra")
    assert "Discord command failed" in caplog.text
    assert "may or may not have been posted" not in caplog.text


async def test_the_failure_apology_answered_5xx_after_it_landed_is_not_posted_again(
    discord_api: FakeDiscord, bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    # The reply's follow-up is refused, so the command fails and the tree apologises in a second
    # follow-up, which Discord creates and still answers 502: one apology, not two.
    discord_api.fail_next("POST", FOLLOW_UP, 400, {"message": "Invalid Form Body", "code": 50035})
    discord_api.fail_next("POST", FOLLOW_UP, 502, {"message": "Bad Gateway"}, landed=True)
    with caplog.at_level(logging.WARNING):
        await slash(bot, "story", query="zebra")
    assert [p.status for p in discord_api.calls("POST", FOLLOW_UP)] == [400, 502]
    # Handled by the tree's error handler, not an exception escaping it.
    assert "could not tell the user about the failure" in caplog.text
    [apology] = follow_ups(discord_api)
    assert "failed on our side" in apology["content"] and apology["flags"] & EPHEMERAL


@pytest.mark.parametrize(
    "answer", [HTML_PAGE, TRUNCATED_JSON, NO_ID], ids=["html", "truncated", "no-id"]
)
async def test_the_rest_of_a_reply_goes_on_after_a_garbled_follow_up(
    discord_api: FakeDiscord,
    bot: DiscordBot,
    core: NewsDigest,
    caplog: pytest.LogCaptureFixture,
    answer: tuple[str, str],
) -> None:
    caplog.set_level(logging.INFO)
    add_channel(core.db, str(CHANNEL), platform="discord")
    for n in range(7):
        add_story(core.db, f"s{n}", ["Reuters", "AP"], now=utcnow() - timedelta(hours=1))
    # The heading edits the "thinking" message; seven cards follow in two messages (5 + 2).
    discord_api.garble_next("POST", FOLLOW_UP, answer, landed=True)
    await slash(bot, "digest")
    assert len(discord_api.calls("POST", FOLLOW_UP)) == 2
    assert [len(m["embeds"]) for m in follow_ups(discord_api)] == [5, 2]
    assert "may or may not have been posted" in caplog.text
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_follow_up_met_by_a_short_429_is_sent_once_its_wait_passed(
    discord_api: FakeDiscord, bot: DiscordBot
) -> None:
    # The private "no such story" follow-up meets the follow-up bucket's 429: refused, nothing
    # created. The user gets the reply, not the apology for a failed command.
    discord_api.rate_limit_next("POST", FOLLOW_UP, retry_after=0.05)
    await slash(bot, "story", query="zebra")
    assert [p.status for p in discord_api.calls("POST", FOLLOW_UP)] == [429, 200]
    [reply] = follow_ups(discord_api)
    assert "zebra" in reply["content"] and reply["flags"] & EPHEMERAL


async def test_a_follow_up_is_sent_once_more_at_most_and_a_long_429_is_not_slept_out(
    discord_api: FakeDiscord, bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    # Two 429s in a row: one resend, then the command fails (and the apology goes).
    discord_api.rate_limit_next("POST", FOLLOW_UP, retry_after=0.05)
    discord_api.rate_limit_next("POST", FOLLOW_UP, retry_after=0.05)
    with caplog.at_level(logging.ERROR):
        await slash(bot, "story", query="zebra")
    assert [p.status for p in discord_api.calls("POST", FOLLOW_UP)] == [429, 429, 200]
    assert "Discord command failed" in caplog.text

    # A 429 asking for minutes is raised at once, not waited out with the user.
    discord_api.requests.clear()
    discord_api.rate_limit_next("POST", FOLLOW_UP, retry_after=300)
    started = time.monotonic()
    await slash(bot, "story", query="zebra")
    assert time.monotonic() - started < 5
    assert [p.status for p in discord_api.calls("POST", FOLLOW_UP)] == [429, 200]
    # Each time the reply never landed, and the apology did.
    assert ["failed on our side" in m["content"] for m in follow_ups(discord_api)] == [True, True]
