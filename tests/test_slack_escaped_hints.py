"""The bot's own usage text reaches Slack escaped like every other reply: Slack reads `<topic>`
as a link even inside a code span, so unescaped the /watchlist hint and the mention help's
notification text read `/follow topic [query]` (hostile review, session 24). Checked on the
exact JSON the fake Slack receives."""

from __future__ import annotations

from typing import Any

from fakes.slack_api import BOT_USER
from test_slack_app import Harness, h  # noqa: F401  (the fixture)

from bot.commands.hints import mention_help, watchlist_hint


def _context_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]


async def test_the_watchlist_hint_is_escaped(h: Harness) -> None:  # noqa: F811
    status, body = await h.slash("/watchlist")
    assert status == 200 and isinstance(body, dict), body
    hint = _context_texts(body["blocks"])[-1]
    assert hint == watchlist_hint("slack").replace("<", "&lt;").replace(">", "&gt;")
    assert "`/follow &lt;topic&gt; [query]`" in hint and "<" not in hint


async def test_the_mention_help_text_is_escaped(h: Harness) -> None:  # noqa: F811
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": f"<@{BOT_USER}> help",
        "ts": "1700.000100",
        "channel": "C1",
        "event_ts": "1700.000100",
    }
    assert await h.event(event, "Ev1") == 200
    [call] = await h.slack_api.wait_for("chat.postMessage")
    expected = mention_help("slack").replace("<", "&lt;").replace(">", "&gt;")
    assert call["text"] == expected
    assert "`/follow &lt;topic&gt; [query]`" in call["text"] and "<" not in call["text"]
