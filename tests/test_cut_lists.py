"""A reply's list too long for one chat reply is cut by each platform to its own limits, and
both say what they left out in the same words (`bot.commands.base.cut_notice`): how many lines,
then where to see them all."""

from __future__ import annotations

import re

import pytest

from bot.adapters.discord.interactions import render_reply
from bot.adapters.slack.replies import reply_messages
from bot.commands.base import ListLine, Reply, cut_notice

SEE_ALL = "run `newsdigest feeds list` for all"


def _reply() -> Reply:
    lines = [ListLine(f"#{n} Harbour feed number {n} " + "x" * 60) for n in range(2000)]
    return Reply("Feeds:", lines=lines, see_all=SEE_ALL)


def _bullets(text: str) -> int:
    return sum(line.startswith("• ") for line in text.split("\n"))


def _slack() -> tuple[int, str]:
    (message,) = reply_messages(_reply())
    text = "\n".join(str(b["text"]["text"]) for b in message.blocks if b["type"] == "section")
    last = message.blocks[-1]
    assert last["type"] == "context"
    return _bullets(text), str(last["elements"][0]["text"])


def _discord() -> tuple[int, str]:
    text = "\n".join(m.content or "" for m in render_reply(_reply()))
    return _bullets(text), text.split("\n")[-1]


@pytest.mark.parametrize("render", [_slack, _discord])
def test_both_platforms_say_how_many_lines_they_left_out_alike(render) -> None:  # type: ignore[no-untyped-def]
    shown, notice = render()
    assert 0 < shown < 2000
    assert notice == cut_notice(2000 - shown, SEE_ALL)
    assert re.fullmatch(r"… and \d+ more lines \(run `newsdigest feeds list` for all\)\.", notice)


def test_the_notice_counts_one_line_as_one() -> None:
    assert cut_notice(1) == "… and 1 more line."
    assert cut_notice(3, SEE_ALL) == f"… and 3 more lines ({SEE_ALL})."
