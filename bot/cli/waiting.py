"""`channels list`'s "waiting" cell: how many posts a channel has waiting, what they are and when
the next may go out. A bare "waiting 1" left the operator to guess whether it was a card stuck
for days or one held for the night's quiet hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.channels import ChannelRow
from bot.store.due_rows import Waiting
from bot.textutil import plural


def waiting_cell(waiting: Waiting | None, channel: ChannelRow, now: datetime) -> str:
    """'0', or e.g. '3 (2 cards, 1 update; next in 9h)': the count, its kinds and when the next
    one may be tried (now, in a while: quiet hours, a retry, an update's pacing; or held while
    the channel is paused)."""
    if waiting is None or waiting.total == 0:
        return "0"
    kinds = [
        plural(n, noun) for n, noun in ((waiting.cards, "card"), (waiting.updates, "update")) if n
    ]
    return f"{waiting.total} ({', '.join(kinds)}; {_when(waiting, channel, now)})"


def _when(waiting: Waiting, channel: ChannelRow, now: datetime) -> str:
    if channel.paused_reason:
        return "held until resumed"
    if waiting.sending:
        return "sending"
    if waiting.next_at is None or waiting.next_at <= now:
        return "due now"
    return f"next in {_span(waiting.next_at - now)}"


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size, below in (("s", 1, 60), ("m", 60, 3600), ("h", 3600, 48 * 3600)):
        if seconds < below:
            return f"{max(1, seconds // size)}{unit}"
    return f"{seconds // 86400}d"
