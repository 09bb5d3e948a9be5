"""Text a user typed, quoted inside the bot's own reply text.

A command reply is the bot's text, which keeps its markup (`code`, *bold*), yet it often quotes
what someone typed or stored: a /story query, a topic's query, a setting's value. Such text is
untrusted, as feed text is: on Discord `[x](https://evil.example)` would be a masked link and
`||x||` a spoiler, on Slack `*x*` bold. The commands are platform-neutral, so they cannot escape
it themselves: they wrap it with `literal`, and each adapter draws the wrapped parts with its own
escaping for untrusted text (`spans`) and the rest as the bot's text. Anything else reading the
reply sees the text without the marks (`unmarked`).

A notice's link is the bot's own (a story's first report, `bot.runner.overflow`) beside untrusted
feed text: it is wrapped with `url_link`, and each adapter shows it as a link that opens (on
Discord and Slack `<url>`: clickable, no preview) if it passes the safe-link check
(`bot.render.links.safe_url`, re-checked by the adapter), and escaped as any typed text otherwise.
Feed text put beside it goes through `strip_marks`, so it can neither open such a part nor end one.

Typed text that is meant to be copied back (a feed URL, a cron schedule) is wrapped with `code`
instead: the adapters show it in a code span, where nothing formats, so it needs no escape that
would change it (Discord's backslash before `_`, Slack's look-alike `∗` for `*`, the zero-width
space that breaks "@everyone" elsewhere) and copies as it was typed. Nor does it ping: Slack
reads a broadcast only as `<!everyone>` (its `<` is escaped there too), and every Discord
message the bot sends allows no mentions.
"""

from __future__ import annotations

from typing import Literal

# Private-use characters: no keyboard types them, and they are stripped from what they wrap, so
# typed text can neither end its own span early nor open one.
_OPEN = "\ue000"
_CLOSE = "\ue001"
# Right after _OPEN: the span is shown as code (`code`).
_CODE = "\ue002"
# Right after _OPEN: the span is a link the bot put there (`url_link`).
_LINK = "\ue003"
_MARKS = (_OPEN, _CLOSE, _CODE, _LINK)
ELLIPSIS = "…"
# What a backtick inside a code span is shown as: a backtick would end the span early.
CODE_BACKTICK = "ˋ"

Kind = Literal["bot", "typed", "code", "link"]


def literal(text: str, limit: int | None = None) -> str:
    """`text` marked as typed by a user, cut to `limit` characters (ending in an ellipsis): a
    pasted paragraph echoed back in full would bury the reply."""
    return f"{_OPEN}{_cut(_strip_marks(text), limit)}{_CLOSE}"


def code(text: str, limit: int | None = None) -> str:
    """`text` marked as typed, to be shown verbatim in a code span (see the module docstring).
    Cut as `literal` cuts, which only a text too long to copy anyway should need."""
    return f"{_OPEN}{_CODE}{_cut(_strip_marks(text), limit)}{_CLOSE}"


def url_code(url: str, limit: int | None = None) -> str:
    """A URL as `code`, its backticks percent-encoded: a backtick would end the span, so the
    adapters show one as a look-alike (ˋ), which copies back as another address. `%60` is how a
    browser sends it, and /feeds remove reads it as the backtick (`bot.store.feeds`)."""
    return code(url.replace("`", "%60"), limit)


def url_link(url: str) -> str:
    """`url` marked as a link the bot shows: clickable where the adapter's safe-link check passes
    it, escaped as typed text where not (see the module docstring)."""
    return f"{_OPEN}{_LINK}{_strip_marks(url)}{_CLOSE}"


def strip_marks(text: str) -> str:
    """`text` without any mark: feed text a reply or notice puts beside marked parts."""
    return _strip_marks(text)


def _strip_marks(text: str) -> str:
    for mark in _MARKS:
        text = text.replace(mark, "")
    return text


def _cut(text: str, limit: int | None) -> str:
    if limit is not None and len(text) > limit:
        return text[: max(0, limit - 1)].rstrip() + ELLIPSIS
    return text


def quoted(text: str, limit: int | None = None) -> str:
    """`literal` between single quotes, as replies quote what was typed."""
    return f"'{literal(text, limit)}'"


def parts(text: str) -> list[tuple[str, Kind]]:
    """`text` as (part, kind) pairs in order: the bot's text, typed text (`literal`), typed
    text to show as code (`code`) or a link the bot shows (`url_link`). A mark left open runs to the end (shown escaped: the safe
    side); a closing mark outside a span is dropped."""
    out: list[tuple[str, Kind]] = []
    rest = text
    while rest:
        start = rest.find(_OPEN)
        if start < 0:
            out.append((_strip_marks(rest), "bot"))
            break
        if start:
            out.append((_strip_marks(rest[:start]), "bot"))
        end = rest.find(_CLOSE, start + 1)
        inner = rest[start + 1 :] if end < 0 else rest[start + 1 : end]
        kind: Kind = "typed"
        if inner.startswith(_CODE):
            kind = "code"
        elif inner.startswith(_LINK):
            kind = "link"
        out.append((_strip_marks(inner), kind))
        if end < 0:
            break
        rest = rest[end + 1 :]
    return [(part, kind) for part, kind in out if part]


def spans(text: str) -> list[tuple[str, bool]]:
    """`parts` as (part, typed) pairs, for a reader that shows code as any typed text."""
    return [(part, kind != "bot") for part, kind in parts(text)]


def unmarked(text: str) -> str:
    """`text` without the marks `literal` adds; a `code` part between backticks, as plain text
    sets apart what to copy (and as the console shows it), a backtick of its own as the
    look-alike the adapters show (a URL has none: `url_code`)."""
    return "".join(
        f"`{part.replace('`', CODE_BACKTICK)}`" if kind == "code" else part
        for part, kind in parts(text)
    )
