"""Discord messages packed within Discord's per-message limits: a breakdown's embeds grouped
into as few messages as the limits allow (`pack_messages`), text split between lines (a line
too long, not inside a code span; a code block of several lines whole where it fits) into
messages of at most 2,000 characters (`split_content`), and a digest's heading line. Sizes
are counted in UTF-16 units like Discord counts them (`embeds.embed_size` for an embed).
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
    """Message content in pieces of at most `limit`, split between lines where possible, a code
    block over several lines whole in one piece when it fits in one (`_blocks`), and a line too
    long for one piece before a `code span` it would cut through (`_hard_split`)."""
    pieces: list[str] = []
    current = ""
    for block in _blocks(text.splitlines() or [""]):
        whole_block = "\n".join(block)
        if (
            len(block) > 1
            and current
            and utf16_len(whole_block) <= limit
            and utf16_len(f"{current}\n{whole_block}") > limit
        ):
            # Started here, the block would be cut between its lines: each half shows as
            # code half-fenced. In a piece of its own, it is whole.
            pieces.append(current)
            current = ""
        for whole in block:
            for line in _hard_split(whole, limit):
                candidate = f"{current}\n{line}" if current else line
                if current and utf16_len(candidate) > limit:
                    pieces.append(current)
                    candidate = line
                current = candidate
    pieces.append(current)
    return pieces


def _blocks(lines: list[str]) -> list[list[str]]:
    """`lines` grouped: a ``` code block over several lines (its opening line to its closing
    one) is one group, every other line one of its own."""
    blocks: list[list[str]] = []
    index = 0
    while index < len(lines):
        fence = _code_spans(lines[index])[1]
        end = index + 1
        if fence is not None:
            closing = next(
                (
                    i
                    for i in range(index + 1, len(lines))
                    if _closing_run(lines[i], 0, fence) is not None
                ),
                None,
            )
            if closing is not None:
                end = closing + 1
        blocks.append(lines[index:end])
        index = end
    return blocks


def _hard_split(line: str, limit: int) -> list[str]:
    """`line` in pieces of at most `limit`. A cut that would fall inside a code span falls
    before its opening backticks instead, when the span fits in a piece: cut through, each half
    shows the backticks and a part of the text (a command's URL), and neither copies back."""
    out: list[str] = []
    spans = _code_spans(line)[0]
    at = 0
    while utf16_len(line[at:]) > limit:
        cut = at + _fits(line[at:], limit)
        for start, end in spans:
            if start < cut < end:
                if start > at and utf16_len(line[start:end]) <= limit:
                    cut = start
                break
        out.append(line[at:cut])
        at = cut
    out.append(line[at:])
    return out


def _fits(line: str, limit: int) -> int:
    """How many characters of `line` fit in `limit` UTF-16 units (at least one)."""
    used = 0
    for index, ch in enumerate(line):
        used += utf16_len(ch)
        if used > limit:
            return max(index, 1)
    return len(line)


def _code_spans(line: str) -> tuple[list[tuple[int, int]], int | None]:
    """The (start, end) of each code span in `line`, backticks included, as Markdown reads
    them: a run of backticks opens one that the next run of as many closes (``a`b``, and a
    ```fence``` on one line); an escaped backtick (\\`) opens nothing, nor does a run never
    closed. And the length of a run of three or more left open: a code block opened on this
    line and closed on a later one (None when there is none)."""
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(line):
        ch = line[index]
        if ch == "\\":
            index += 2  # escapes the next character, a backslash or a backtick
            continue
        if ch != "`":
            index += 1
            continue
        run_end = index
        while run_end < len(line) and line[run_end] == "`":
            run_end += 1
        size = run_end - index
        close = _closing_run(line, run_end, size)
        if close is None:
            if size >= 3:
                return spans, size
            index = run_end  # backticks never closed are only backticks
            continue
        spans.append((index, close + size))
        index = close + size
    return spans, None


def _closing_run(line: str, start: int, size: int) -> int | None:
    """Where in `line`, from `start`, a run of exactly `size` backticks begins (in code a
    backslash escapes nothing), else None."""
    at = line.find("`" * size, start)
    while at >= 0:
        end = at
        while end < len(line) and line[end] == "`":
            end += 1
        if end - at == size:
            return at
        at = line.find("`" * size, end)
    return None
