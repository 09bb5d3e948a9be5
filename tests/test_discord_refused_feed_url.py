"""A feed address the safe-link check refuses (an internal one) is shown on Discord /feeds list
in a code span, whole to copy into /feeds remove but never auto-linked: escaped as typed text it
was a bare address Discord turned into a link."""

from __future__ import annotations

import pytest

from bot.adapters.discord.interactions import render_reply
from bot.commands.base import ListLine, Reply


def _bullet(url: str) -> str:
    (message,) = render_reply(Reply("1 feed:", lines=[ListLine("#1 Intranet", url, "(ok)")]))
    assert message.content is not None
    return message.content.split("\n", 1)[1]


@pytest.mark.parametrize(
    "url", ["http://10.0.0.5/feed", "http://169.254.169.254/latest", "http://localhost/rss"]
)
def test_a_refused_address_is_a_code_span(url: str) -> None:
    bullet = _bullet(url)
    assert f"`{url}`" in bullet
    assert f"<{url}>" not in bullet


def test_a_safe_address_stays_a_link() -> None:
    assert "<https://desk.example/feed.xml>" in _bullet("https://desk.example/feed.xml")
