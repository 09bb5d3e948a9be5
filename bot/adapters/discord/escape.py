"""Feed text made inert for Discord: no pings, no markdown, no disguised links.

Every string that came from a feed (headlines, bullets, outlet names, quotes, URLs) passes through
here before it lands in an embed or a message. `AllowedMentions.none()` already stops pings; the
escaping below also stops feed text from *looking* like a mention, a heading, a masked link or
spoiler, so a hostile feed can neither ping nor impersonate formatting the bot did itself.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from bot.render.cuts import head, units, word_head
from bot.render.literal import CODE_BACKTICK, parts
from bot.render.text import clean, disguised_link, note_host, safe_url

ELLIPSIS = "…"
# Inline markdown and the characters that open a mention/channel/emoji/timestamp tag (`<`) or a
# masked link (`[`). A backslash before any of them shows the character literally.
_INLINE = re.compile(r"([\\*_~|`<\[\]])")
# Only meaningful at the start of a line: headings, block quotes, list items, subtext.
_LINE_START = re.compile(r"^(\s*)(#|>|-|\+)", re.MULTILINE)
# "1. " starts an ordered list; a backslash before the dot (not the digit) shows it literally.
_ORDERED = re.compile(r"^(\s*\d+)\.(?=\s)", re.MULTILINE)
# @everyone/@here ping only in content with mentions allowed, but even the text is confusing in
# a digest, so a zero-width space keeps it from reading (or ever working) as one.
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_ZWSP = "\u200b"
# Discord turns a bare http(s) address in any text into a link, so a hostile feed could put a
# clickable link in a card. A zero-width space between the scheme and "://" keeps the address
# readable but leaves nothing to click (the bot's own links are masked links, built separately).
# No word boundary before the scheme: Discord links the "https://..." inside "xhttps://..." too.
_BARE_URL = re.compile(r"(https?)(?=://)", re.IGNORECASE)


def utf16_len(text: str) -> int:
    """Discord counts limits in UTF-16 code units (JavaScript string length); an emoji is two.
    Counting that way is never below the code-point count, so budgets stay on the safe side."""
    return units(text)


def neutralize_mentions(text: str) -> str:
    """Bot-authored text keeps its markdown but can never spell a mass ping."""
    return _MASS_MENTION.sub(lambda m: f"@{_ZWSP}{m.group(1)}", text)


def bot_text(text: str) -> str:
    """A command reply's text: the bot's own markdown kept (but no mass ping), the parts marked
    as typed by a user (`bot.render.literal`) escaped as untrusted text, those to copy back
    (`code`) in a code span. A typed part within a
    line gets only the inline escapes: a `#` there heads nothing, and a backslash before it
    would show."""
    out = ""
    for part, kind in parts(text):
        if kind == "bot":
            out += neutralize_mentions(part)
        elif kind == "code":
            # A code span shows its text verbatim (a backslash escape would show), links
            # nothing and formats nothing: only a backtick of its own could end it early.
            # "@everyone" is kept as typed, so the span copies back as the URL it shows (a
            # zero-width space in it named no feed). Discord may still parse a mention inside
            # code, but every message this text goes out in allows none (interactions'
            # NO_MENTIONS: allowed_mentions with an empty parse list), so it pings no one.
            out += code_span(part)
        elif kind == "link":
            out += trusted_link(part)
        else:
            out += escape(part, line_start=not out or out.endswith("\n"))
    return out


def code_span(text: str) -> str:
    """Typed text to copy back (`bot.render.literal.code`) as an inline code span."""
    return "`" + clean(text).replace("`", CODE_BACKTICK) + "`"


def escape(text: str | None, *, keep_links: bool = False, line_start: bool = True) -> str:
    """One line of untrusted feed text, safe to drop anywhere in an embed or a message.

    `keep_links`: leave bare addresses clickable, for text a user of the server typed themselves
    (a command reply listing the feed URLs they added, to copy into `/feeds remove`).
    `line_start=False`: the text goes inside a line, where `#`, `>`, `-` or `1.` start nothing."""
    line = clean(text)
    line = _INLINE.sub(r"\\\1", line)
    if line_start:
        line = _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", line)
        line = _ORDERED.sub(r"\1\\.", line)
    if not keep_links:
        line = _BARE_URL.sub(lambda m: m.group(1) + _ZWSP, line)
    return neutralize_mentions(line)


def notice_line(line: str) -> str:
    """One line of a notice: every part escaped as untrusted text (a feed's title may be in it),
    but for the links the bot marked (`bot.render.literal.url_link`), which open, and a URL to
    copy back (`code`), in a code span as command replies show it: no zero-width space breaks
    its "http://" there, and Discord links nothing in code (every message it goes out in
    allows no mentions, `messages.NO_MENTIONS`)."""
    out = ""
    for part, kind in parts(line):
        if kind == "link":
            out += trusted_link(part)
        elif kind == "code":
            out += code_span(part)
        else:
            # `escape` trims the part: the spaces around a link are the line's own.
            lead, tail = part[: len(part) - len(part.lstrip())], part[len(part.rstrip()) :]
            out += lead + escape(part, line_start=not out) + tail
    return out


def trusted_link(url: str) -> str:
    """A link the bot put in its text as `<url>`: clickable, and no preview under the message.
    A URL the safe-link check refuses is escaped as feed text instead: shown, never linked."""
    target = link_url(url)
    return f"<{target}>" if target else escape(url, line_start=False)


def fit(text: str, limit: int, *, words: bool = False) -> str:
    """Cut already-rendered text to `limit` UTF-16 units, ending in an ellipsis when cut, never
    through what shows as one character (`bot.render.cuts.head`: a flag, an emoji sequence, an
    accented letter); `words`: at a word's edge where one is near (`word_head`).

    Never leaves a dangling backslash (it would escape the ellipsis and show a stray `\\`)."""
    if utf16_len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    cut = (word_head if words else head)(text, limit - 1)
    # An odd run of trailing backslashes means the last one was an escape with its target cut.
    trailing = len(cut) - len(cut.rstrip("\\"))
    if trailing % 2:
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS


def escape_fit(text: str | None, limit: int) -> str:
    return fit(escape(text), limit)


def link_url(url: str | None) -> str | None:
    """A URL safe inside a masked link `[label](url)`: http(s) only, and no character that could
    close the link early or open a new one."""
    url = safe_url(url)
    if url is None:
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def masked_link(label: str, url: str | None, *, raw: str | None = None) -> str:
    """`label` must already be escaped; without a usable URL it stays plain text. A label that
    names another site than the link opens gets the real host beside it.

    `raw`: the unescaped feed text the label shows, which the disguise check reads (escaping
    breaks up addresses, "https\u200b://"); a bot-authored label ("Read →") can leave it out."""
    target = link_url(url)
    if not target:
        return label
    return f"[{label}]({target}){host_note(raw, url, shown=label)}"


def host_note(raw: str | None, url: str | None, *, shown: str | None = None) -> str:
    """' (real.host)' when `raw` (unescaped feed text shown as a link to `url`) names another
    site, else ''.

    `shown`: the escaped label as it goes out, when it may differ from `raw`: cut to a limit,
    "bank.example.evil.com" reads "bank.example…". Either reading another site gets the note."""
    if not (disguised_link(raw or "", url) or disguised_link(unescape(shown or ""), url)):
        return ""
    return f" ({escape(note_host(url))})"


# The backslashes `escape` puts before markdown characters, which Discord does not show.
_ESCAPED = re.compile(r"\\([\\*_~|`<\[\]#>+.-])")


def unescape(text: str) -> str:
    """Escaped text as Discord shows it: without the escaping backslashes (the zero-width spaces
    stay; the disguise check reads past them)."""
    return _ESCAPED.sub(r"\1", text)
