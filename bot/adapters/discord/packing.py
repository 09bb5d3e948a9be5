"""Discord messages packed within Discord's per-message limits: a breakdown's embeds grouped
into as few messages as the limits allow (`pack_messages`), text split between lines (a line
too long, not inside a code span) into messages of at most 2,000 characters (`split_content`),
and a digest's heading line. Sizes are counted in UTF-16 units like Discord counts them
(`embeds.embed_size` for an embed).
"""

from __future__ import annotations

from collections.abc import Iterable

import discord

from bot.adapters.discord.embeds import embed_size
from bot.adapters.discord.escape import escape, fit, utf16_len
from bot.cards import Digest
from bot.render.text import digest_heading

EMBEDS_PER_MESSAGE = 10
MESSAGE_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000


def digest_heading_text(digest: Digest) -> str:
    return fit(f"**{escape(digest_heading(digest))}**", CONTENT_LIMIT)


def pack_messages(
    embeds: Iterable[discord.Embed], *, max_embeds: int = EMBEDS_PER_MESSAGE
) -> list[list[discord.Embed]]:
    """Group embeds into messages: at most `max_embeds` and 6,000 characters per message."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        n = embed_size(embed)
        if current and (len(current) >= max_embeds or size + n > MESSAGE_TOTAL_LIMIT):
            messages.append(current)
            current, size = [], 0
        current.append(embed)
        size += n
    if current:
        messages.append(current)
    return messages


def split_content(text: str, limit: int = CONTENT_LIMIT) -> list[str]:
    """Message content in pieces of at most `limit`, split between lines where possible, and a
    line too long for one piece before a `code span` it would cut through (`_hard_split`)."""
    pieces: list[str] = []
    current = ""
    for whole in text.splitlines() or [""]:
        for line in _hard_split(whole, limit):
            candidate = f"{current}\n{line}" if current else line
            if current and utf16_len(candidate) > limit:
                pieces.append(current)
                candidate = line
            current = candidate
    pieces.append(current)
    return pieces


def _hard_split(line: str, limit: int) -> list[str]:
    """`line` in pieces of at most `limit`. A cut that would fall inside a code span falls
    before its opening backtick instead, when the span fits in a piece: cut through, each half
    shows the backticks and a part of the text (a command's URL), and neither copies back."""
    out: list[str] = []
    while utf16_len(line) > limit:
        cut = _fits(line, limit)
        span = _span_around(line, cut)
        if span is not None and span[0] > 0 and utf16_len(line[span[0] : span[1]]) <= limit:
            cut = span[0]
        out.append(line[:cut])
        line = line[cut:]
    out.append(line)
    return out


def _fits(line: str, limit: int) -> int:
    """How many characters of `line` fit in `limit` UTF-16 units (at least one)."""
    used = 0
    for index, ch in enumerate(line):
        used += utf16_len(ch)
        if used > limit:
            return max(index, 1)
    return len(line)


def _span_around(line: str, cut: int) -> tuple[int, int] | None:
    """The (start, end) of the single-backtick code span that a cut before `line[cut]` would
    go through, backticks included; None when it falls between spans."""
    start = None
    for index, ch in enumerate(line):
        if ch != "`":
            continue
        if start is None:
            start = index
        else:
            if start < cut <= index:
                return start, index + 1
            start = None
        if index >= cut:
            break
    return None
