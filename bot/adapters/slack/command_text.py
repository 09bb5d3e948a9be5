"""A slash command's text as the user typed it, out of Slack's escaping and link markup.

Slack HTML-escapes `&`, `<` and `>` in a command's text and wraps links, channels and users in
`<...>`. Every slash command's text goes through `command_text`, so a topic, a feed URL or a
story slug is matched as typed. A channel link stays markup (`<#C1|news>`), as on Discord. Apart from `app.py`, which only routes what arrives.
"""

from __future__ import annotations

import re

# Slack's markup in a command's text: <https://x|label>, <https://x>, <#C1|name>, <@U1|name>, <!here>.
_MARKUP_RE = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def command_text(text: str) -> str:
    """A slash command's `text` as the user typed it.

    Slack HTML-escapes `&`, `<` and `>` in it and wraps links (and, if the app asks, channels and
    users) in `<...>`; left as is, `/follow att "AT&T"` would store `AT&amp;T`, which never
    matches. Every literal `<` arrives as `&lt;`, so a real `<` always opens markup.
    """
    text = _MARKUP_RE.sub(_unwrap, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _unwrap(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith("#"):
        # Kept as the link it is, as Discord's `<#id>` arrives: read as "#name" it became a
        # word of a /follow query; the core refuses a channel link there on both platforms.
        return match.group(0)
    if target.startswith("@"):
        return f"@{label.lstrip('@')}" if label else target
    if target.startswith("!"):
        return label or "@" + target[1:].split("^")[0]
    if target.lower().startswith(("mailto:", "tel:")):
        return label or target.split(":", 1)[1]
    # A web link: the address, not its label, which Slack may have shortened.
    return target
