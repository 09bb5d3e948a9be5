"""Text a user typed, quoted inside the bot's own reply text.

A command reply is the bot's text, which keeps its markup (`code`, *bold*), yet it often quotes
what someone typed or stored: a /story query, a topic's query, a setting's value. Such text is
untrusted, as feed text is: on Discord `[x](https://evil.example)` would be a masked link and
`||x||` a spoiler, on Slack `*x*` bold. The commands are platform-neutral, so they cannot escape
it themselves: they wrap it with `literal`, and each adapter draws the wrapped parts with its own
escaping for untrusted text (`spans`) and the rest as the bot's text. Anything else reading the
reply sees the text without the marks (`unmarked`).
"""

from __future__ import annotations

# Private-use characters: no keyboard types them, and they are stripped from what they wrap, so
# typed text can neither end its own span early nor open one.
_OPEN = "\ue000"
_CLOSE = "\ue001"
ELLIPSIS = "…"


def literal(text: str, limit: int | None = None) -> str:
    """`text` marked as typed by a user, cut to `limit` characters (ending in an ellipsis): a
    pasted paragraph echoed back in full would bury the reply."""
    inner = text.replace(_OPEN, "").replace(_CLOSE, "")
    if limit is not None and len(inner) > limit:
        inner = inner[: max(0, limit - 1)].rstrip() + ELLIPSIS
    return f"{_OPEN}{inner}{_CLOSE}"


def quoted(text: str, limit: int | None = None) -> str:
    """`literal` between single quotes, as replies quote what was typed."""
    return f"'{literal(text, limit)}'"


def spans(text: str) -> list[tuple[str, bool]]:
    """`text` as (part, typed) pairs in order. A mark left open runs to the end (shown escaped:
    the safe side); a closing mark outside a span is dropped."""
    out: list[tuple[str, bool]] = []
    rest = text
    while rest:
        start = rest.find(_OPEN)
        if start < 0:
            out.append((rest.replace(_CLOSE, ""), False))
            break
        if start:
            out.append((rest[:start].replace(_CLOSE, ""), False))
        end = rest.find(_CLOSE, start + 1)
        if end < 0:
            out.append((rest[start + 1 :], True))
            break
        out.append((rest[start + 1 : end], True))
        rest = rest[end + 1 :]
    return [(part, is_typed) for part, is_typed in out if part]


def unmarked(text: str) -> str:
    """`text` without the marks `literal` adds."""
    return text.replace(_OPEN, "").replace(_CLOSE, "")
