"""Chat syntax and markup a feed's text carries as debris: a Discord or Slack mention (`<@123>`,
`<@&123>`, `<#123>`, `<!channel>`, `<@U123|name>`), a Discord timestamp or custom emoji
(`<t:1700000000:R>`, `<:name:123>`), and Markdown's `**bold**` and Discord's `||spoiler||`
markers, left in by a CMS that copies posts from a chat or a Markdown editor.

None of it is what an article says, and all of it misleads what reads the text: the id in
`<@&123>` passed for a figure on an angle line ("Puts a figure on it:"), and the escaped
markers showed on cards as `\\*\\*Click here\\*\\* \\<@&123> \\|\\|spoiler\\|\\|`. It is taken out
on ingest, with the rest of the text's cleaning, so every reader of an article's text (clusters,
TL;DR, angles, quotes, the model's prompt, /story) gets the words alone; the markers' words are
kept. Rendering still escapes all text: this is about what is shown, never about safety.
"""

from __future__ import annotations

import re

# A mention, channel, broadcast, timestamp or custom emoji in chat syntax, with Slack's
# `|label`. Ids are digits (Discord) or capitals and digits (Slack), so an address in angle
# brackets (`<@example.org>`) or a comparison ("a <5% rise") is left alone.
_CHAT_TOKEN_RE = re.compile(
    r"<(?:@[!&]?[A-Z0-9]+|#[A-Z0-9]+|![a-z]+(?:\^[A-Za-z0-9]+)?|t:\d+(?::[tTdDfFR])?"
    r"|a?:\w+:\d+)(?:\|[^<>\n]*)?>"
)
# Paired markers around words, kept: `**Click here**` is "Click here". Only a pair hugging its
# words, on one line, so "2 ** 10" or a lone "||" stays as written.
_MARKERS_RE = re.compile(r"(\*\*|\|\|)(?=\S)([^*|\n]+?)(?<=\S)\1")


def without_chat_markup(text: str) -> str:
    """`text` (squashed: one space between words, no blank lines) without chat syntax and with
    paired markers' words kept, squashed again."""
    if "<" not in text and "**" not in text and "||" not in text:
        return text  # nearly every article
    cleaned = _MARKERS_RE.sub(r"\2", _CHAT_TOKEN_RE.sub(" ", text))
    if cleaned == text:
        return text
    lines = (" ".join(line.split()) for line in cleaned.split("\n"))
    return "\n".join(filter(None, lines))
