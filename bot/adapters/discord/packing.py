"""Discord messages packed within Discord's per-message limits: a breakdown's embeds grouped
into as few messages as the limits allow (`pack_messages`), text split between lines into
messages of at most 2,000 characters (`split_content`), and a digest's heading line. Sizes are
counted in UTF-16 units like Discord counts them (`embeds.embed_size` for an embed).
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
    """Message content in pieces of at most `limit`, split between lines where possible."""
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
    out: list[str] = []
    current: list[str] = []
    used = 0
    for ch in line:
        n = utf16_len(ch)
        if used + n > limit:
            out.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += n
    out.append("".join(current))
    return out
