"""A zone name refused by /watchlist timezone is quoted in the reply as typed text, not as the
bot's own: on Discord "__x__" would underline and a typed address auto-link, on Slack "_x_"
would italicise. (A schedule's refusal was already typed text.)"""

from __future__ import annotations

import pytest

from bot.adapters.discord.interactions import render_reply
from bot.adapters.slack.replies import reply_messages
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.render.literal import parts
from bot.timezones import ZoneError, chat_timezone

DISCORD = CommandContext(platform="discord", channel_id="D1", user_id="U8", is_admin=True)
SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U1", is_admin=True)


@pytest.mark.parametrize("typed", ["__loud__/x", "http://10.0.0.7/admin", "_a_ - b/c"])
async def test_a_refused_zone_is_quoted_as_typed_text(core: NewsDigest, typed: str) -> None:
    reply = await Commands(core).dispatch("watchlist", f"timezone {typed}", DISCORD)
    assert (typed, "typed") in parts(reply.marked)
    content = render_reply(reply)[0].content.split("\n")[0]
    assert typed not in content  # escaped: no underline, italics or bare link
    assert content.endswith(
        "is not a time zone I know. Time zones are named by region and "
        "city, like Europe/Berlin or America/New_York."
    )

    slack = await Commands(core).dispatch("watchlist", f"timezone {typed}", SLACK)
    assert (typed, "typed") in parts(slack.marked)
    mrkdwn = reply_messages(slack)[0].blocks[0]["text"]["text"]
    if "_" in typed:
        assert typed not in mrkdwn


async def test_a_schedules_zone_stays_typed_text(core: NewsDigest) -> None:
    # A schedule's refusal is typed text as a whole (`watchlist._with_code`).
    reply = await Commands(core).dispatch("watchlist", "schedule weekdays 09:00 __x__/y", DISCORD)
    assert any("__x__/y" in part and kind != "bot" for part, kind in parts(reply.marked))
    assert "__x__/y" not in render_reply(reply)[0].content


def test_the_error_carries_the_typed_name() -> None:
    with pytest.raises(ZoneError) as caught:
        chat_timezone("  EST ")
    assert caught.value.typed == "EST"
    assert caught.value.problem.startswith("is an abbreviation")
    assert str(caught.value).startswith("EST is an abbreviation")
    with pytest.raises(ZoneError) as odd:
        chat_timezone("<@&123>")  # not shown at all: "That is not a time zone I know."
    assert odd.value.typed == "" and str(odd.value).startswith("That is not")
