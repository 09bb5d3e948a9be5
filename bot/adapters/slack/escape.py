"""Making untrusted feed text safe for Slack.

Slack parses `<...>` in mrkdwn (and in a message's top-level `text`) as links and mentions:
`<!channel>`, `<@U123>`, `<!subteam^S1>`, `<https://evil|https://bank>`. Escaping `&`, `<` and `>`
is Slack's documented way to make text literal, so every piece of feed text goes through
`slack_escape` before it lands in mrkdwn, and links are only ever built by `slack_link`.
"""

from __future__ import annotations

import re

from bot.render.cuts import head, units
from bot.render.literal import parts
from bot.render.text import clean, disguised_link, note_host, safe_url, url_host

# Slack's emphasis markers only take effect at a word edge ("*bold*", not "3*4" or "snake_case"),
# so only those markers at an edge are swapped for look-alikes: enough to stop feed text from
# opening or closing our own bold/italic spans, without mangling identifiers. A backtick is
# swapped wherever it stands: Slack's formatting reference states no word-edge rule for code
# (it documents none for any marker), and feeds use a backtick for an apostrophe, so a pair in
# mid-word ("it`s not what you`re told") could show "s not what you" as code. Nothing in news
# text needs a real one.
_MARKERS = {"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"}
_EDGE_MARKER_RE = re.compile(r"(?<![\w])[*_~]|[*_~](?![\w])|`")
_WORD_RE = re.compile(r"\w")
# "@here" is only a mention with link_names (never set here), but a broken word costs nothing and
# keeps the text inert if a proxy or a later Slack change starts parsing it.
_BROADCAST_RE = re.compile(r"@(?=(?:here|channel|everyone)\b)", re.IGNORECASE)
_ZWSP = "\u200b"


# Something a reader would take for a web address: a scheme, "www.", or a dotted host name.
def slack_escape(text: str | None, *, formatting: bool = True) -> str:
    """Untrusted text as literal mrkdwn: one line, `& < >` escaped, edge emphasis markers and
    every backtick neutralised (pass formatting=False to keep them, e.g. for trusted bot text)."""
    flat = clean(text)
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if formatting:
        flat = _EDGE_MARKER_RE.sub(lambda m: _MARKERS[m.group(0)], flat)
    return _BROADCAST_RE.sub("@" + _ZWSP, flat)


def escape_trusted(text: str) -> str:
    """Bot-authored text (command replies, usage) that may quote user input: keep its newlines and
    formatting but make any `<...>` literal so nothing pings or links. The parts marked as typed
    by a user (`bot.render.literal`) are escaped as untrusted text: no bold, no code span; those
    to copy back (`code`) go in a code span, where no marker formats, so they keep their `*`."""
    drawn = {"bot": _trusted, "typed": slack_escape, "code": _code_span, "link": trusted_link}
    return "".join(drawn[kind](part) for part, kind in parts(text))


def notice_line(line: str) -> str:
    """One line of a notice: every part escaped as untrusted text (a feed's title may be in it),
    but for the links the bot marked (`bot.render.literal.url_link`), which open, and a URL to
    copy back (`code`), in a code span as command replies show it (`_code_span`)."""
    drawn = {"link": trusted_link, "code": _code_span}
    return "".join(
        drawn[kind](part) if kind in drawn else _spaced(part, slack_escape(part))
        for part, kind in parts(line)
    )


def _spaced(raw: str, escaped: str) -> str:
    """`escaped` with the spaces around `raw`, which escaping trims: those around a link."""
    return raw[: len(raw) - len(raw.lstrip())] + escaped + raw[len(raw.rstrip()) :]


def trusted_link(url: str) -> str:
    """A link the bot put in its text as `<url>`: clickable (the bot's messages never unfurl). A
    URL the safe-link check refuses is escaped as feed text instead: shown, never linked."""
    target = link_url(url)
    return f"<{target}>" if target else slack_escape(url)


def _code_span(text: str) -> str:
    # Inside `...` Slack formats nothing but still reads `<...>` and entities, so those are
    # escaped: no `<!everyone>` can form. A backtick of its own would end the span early.
    # "@everyone" is kept as typed, so the span copies back as the URL it shows: a zero-width
    # space after the `@` made `/feeds remove` answer "No feed". Written out it pings no one:
    # Slack reads a broadcast only as `<!everyone>` (or with link_names, never sent), and our
    # blocks are verbatim, where Slack does not touch plain text (docs.slack.dev, text object).
    flat = _entities(clean(text)).replace("`", _MARKERS["`"])
    return f"`{flat}`"


def _trusted(text: str) -> str:
    return _BROADCAST_RE.sub("@" + _ZWSP, _entities(text))


def _entities(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str | None, limit: int | None = None) -> str:
    """Text for a `plain_text` object. Slack does not parse markup there, but a zero-width space
    after every `<` keeps even a copy of it into mrkdwn from ever forming a mention."""
    flat = clean(text).replace("<", "<" + _ZWSP)
    flat = _BROADCAST_RE.sub("@" + _ZWSP, flat)
    return truncate(flat, limit, escaped=False) if limit else flat


# In escaped text every `&` opens an entity, so one at the very end with no `;` yet was cut.
_CUT_ENTITY_RE = re.compile(r"&[A-Za-z#0-9]{0,8}$")


def truncate(text: str, limit: int, *, escaped: bool = True) -> str:
    """At most `limit` UTF-16 units (`units`), ending in an ellipsis when cut, never inside an
    escape.

    `escaped=False` for text that is not (yet) escaped, where `&` is just a character."""
    if units(text) <= limit:
        return text
    # The ellipsis is one unit.
    cut = head(text, limit - 1)
    if escaped:
        # An entity cut in half ("&am") would show as garbage; drop the partial one. Only at the
        # end: an earlier `&` without `;` after it (plain "AT&T") is text, not a cut entity.
        cut = _CUT_ENTITY_RE.sub("", cut)
    cut = cut.rstrip()
    if escaped and _cut_inside_word(text, cut):
        # `slack_escape` keeps a marker between two letters ("x*y"): it formats nothing there.
        # Cut right after it, the ellipsis puts it at a word edge, where it could close one of
        # our own spans (or open one) with feed text; it gets the look-alike an edge marker gets.
        cut = cut[:-1] + _MARKERS[cut[-1]]
    return cut + "…"


def _cut_inside_word(text: str, cut: str) -> bool:
    """Whether `cut` (a prefix of `text`) ends in a formatting marker that had a word character
    on both sides in `text`."""
    if len(cut) < 2 or cut[-1] not in _MARKERS:
        return False
    after = text[len(cut) : len(cut) + 1]
    return _WORD_RE.match(cut[-2]) is not None and _WORD_RE.match(after) is not None


def link_url(url: str | None) -> str | None:
    """An http(s) URL made safe to sit inside `<...|...>`, or None."""
    checked = safe_url(url)
    if checked is None:
        return None
    # `|` would end the URL and start an attacker-chosen label; `<`/`>` would end the link.
    # Percent-encoding keeps the address the same for the browser.
    checked = checked.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")
    return checked.replace("&", "&amp;")


def slack_link(url: str | None, label: str | None) -> str:
    """`<url|label>` for http(s) URLs, the escaped label alone otherwise.

    A label that itself looks like a web address (`https://bank.example`) but points elsewhere
    would be a disguised link, so such a label gets the real host shown next to it.
    """
    text = slack_escape(label) or slack_escape(url_host(url)) or "link"
    target = link_url(url)
    if target is None:
        return text
    # `|` inside the label is harmless after escaping, but Slack shows it oddly; use a look-alike.
    text = text.replace("|", "¦")
    if disguised_link(label or "", url):
        return f"<{target}|{text}> ({slack_escape(note_host(url))})"
    return f"<{target}|{text}>"
