"""Plain-text cards, and the helpers every renderer shares.

Feed text is untrusted (see bot.cards): the helpers here flatten it to one safe line and decide
which URLs are worth linking. The console and HTML renderers build on them so the three formats
agree on what a card shows.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.cards import DIGEST_TITLE, Digest, StoryCard
from bot.models import Angle

# Re-exported: the renderers and adapters take all their shared helpers from here.
from bot.render.links import safe_url as safe_url
from bot.render.links import url_host as url_host
from bot.render.literal import strip_marks
from bot.textutil import BIDI_CONTROLS

SHORT_ANGLES = 3

# Bidi overrides/isolates can visually reorder a line ("Trojan source"), hiding what it says.
_BIDI_CONTROLS = frozenset(BIDI_CONTROLS)
# Invisible format characters (Cf) with no job in one line of display text: zero-width space,
# word joiner, BOM, soft hyphen, directional and invisible-math marks. They can split a word
# or an address without showing ("bank\u200b.example"). The joiners U+200C/U+200D stay: they
# shape Persian and Indic words and hold emoji sequences together (👩‍💻), as do the tag
# characters of flag emoji.
_INVISIBLE = frozenset(
    "\u00ad\u061c\u180e\u200b\u200e\u200f\u2060\u2061\u2062\u2063\u2064"
    "\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\ufff9\ufffa\ufffb"
)
_SPACES_RE = re.compile(r"\s+")
# Opening mark -> the closing marks that can end a quote it opened ("„…“" is German style).
_QUOTE_PAIRS: dict[str, str] = {
    '"': '"”“',
    "“": '”"',
    "„": '“”"',
    "«": "»",
    "»": "«",
    "'": "'’",
    "‘": "’'",
    "‚": "‘’'",
}
_DOUBLE_QUOTES = '"“”„'
_SINGLE_QUOTE_MARK_RE = re.compile(r"(?:^|\s)['‘’]|[,.!?;:]['’]")


# Anything in a label that reads like a web address ("bank.example", "https://x", "www.y").
# The label is normalised first (see `_as_read`).
#
# Host labels may be letters of other scripts: "аpple.com" (Cyrillic а) reads as an address as
# much as "apple.com" does. But ordinary sentences must not read as one: "東京。NHKが報道" or
# "Путин заявил.Сегодня" are two sentences with a dot between. So a host needs more evidence
# than a dot between two words:
# - the last label (the TLD) is ASCII letters, an ASCII "xn--" form, or one of the few
#   non-ASCII TLDs below, written in lower case: "Путин заявил.Сегодня" has no TLD, and the
#   abbreviation "РФ" (Russian Federation) in capitals is not ".рф". Other IDN TLDs ("пример.中国")
#   are not caught: rare in news titles, and we prefer no note on ordinary sentences to a note
#   on every such address.
# - host labels hold no CJK ideograph, kana or Hangul, so "日経平均は続伸．Sony株" is no host;
#   a CJK character only separates, so "速報：bank.example" and "速報bank.example" still are.
# Every repeat is bounded by DNS limits (63 characters a label, 127 labels, 31 characters of
# scheme) so a hostile label cannot make the regex backtrack for seconds (see `_CHECK_CHARS`).
_CJK = (
    "\u1100-\u11ff\u2e80-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff"
    "\uf900-\ufaff\uff66-\uffdc\U0001b000-\U0001b16f\U00020000-\U0003ffff"
)
_LABEL_CHAR = rf"(?:[^\W_{_CJK}]|-)"
_HOST_LABEL = rf"{_LABEL_CHAR}{{1,63}}"
_IDN_TLDS = "рф|рус|бел|укр|срб|мкд|қаз|мон"
_TLD = rf"(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}}|(?-i:{_IDN_TLDS}))(?!{_LABEL_CHAR})"
_URLISH_RE = re.compile(
    rf"(?:[a-z][a-z0-9+.-]{{0,31}}://|www\.)\S+"
    rf"|(?<!{_LABEL_CHAR}){_HOST_LABEL}(?:\.{_HOST_LABEL}){{0,126}}\.{_TLD}",
    re.IGNORECASE,
)
# The ideographic full stop, which browsers read as the dot of a host name (IDNA maps it to
# "."); NFKC already turns the one-dot leader U+2024 and the small and fullwidth stops into ".",
# the halfwidth ideographic stop into U+3002. It counts as a dot before a Latin letter or digit
# ("bank。example"), not between two sentences of Chinese or Japanese ("地震。被害"), which
# would put a host note on every such headline.
_IDEOGRAPHIC_DOT_RE = re.compile(r"\u3002(?=[a-z0-9])", re.IGNORECASE)


def note_host(url: str | None) -> str:
    """The host to show beside a disguised link: the one a browser opens, in the ASCII ("xn--")
    form it resolves, so the note cannot itself be a look-alike ("аpple.com" with a Cyrillic а
    shows as "xn--pple-43d.com")."""
    return url_host(url)


def disguised_link(label: str, url: str | None) -> bool:
    """True when a link's visible label names a different site than the one it opens, e.g. a
    feed title "https://bank.example/login" on a link to evil.example. Renderers then show the
    real host beside the label, on every platform.

    `label` is the raw feed text, not a platform's escaped form of it: escaping adds characters
    (Discord's zero-width space after "https") that would hide the address from the check."""
    host = url_host(url)
    read = _as_read(label)
    if len(read) > _CHECK_CHARS:
        return True
    for match in _URLISH_RE.finditer(read):
        found = match.group(0)
        shown = url_host(found if "://" in found else "http://" + found)
        if not shown or not host or (shown != host and not host.endswith("." + shown)):
            return True
    return False


# Labels are checked up to this length: the regex above is linear, but with a factor of up to
# 127 labels on hostile input ("a.a.a.…"). A longer label (no headline or title is) counts as
# disguised, so the note shows rather than a check being skipped: cutting the text instead would
# let an address past the cut go unnoted where a renderer shows the whole label (HTML).
_CHECK_CHARS = 2000


def _as_read(label: str) -> str:
    """The label as a reader takes it in: compatibility forms folded (fullwidth "ｂａｎｋ" is
    "bank"), every invisible format character gone (Cf: "bank\u200b.example" shows as
    "bank.example"), and the full stops a browser treats as dots read as dots."""
    shown = "".join(ch for ch in clean(label) if unicodedata.category(ch) != "Cf")
    shown = unicodedata.normalize("NFKC", shown)
    shown = "".join(ch for ch in shown if unicodedata.category(ch) != "Cf")
    return _IDEOGRAPHIC_DOT_RE.sub(".", shown)


def clean(text: str | None) -> str:
    """One display line: control characters (ESC included) become spaces, invisible format
    characters go, runs of space squash."""
    if not text:
        return ""
    kept = [
        " " if unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS else ch
        for ch in text
        if ch not in _INVISIBLE
    ]
    return _SPACES_RE.sub(" ", "".join(kept)).strip()


def preformatted(text: str | None) -> str:
    """One line of a code block, as `clean` makes a display line but with its spacing kept: a
    caret under a query's problem (`bot.topics.lexer.QueryError`) is placed by columns. So a
    control character becomes one space for its one column, and bidi controls and invisible
    format characters, which take none, go rather than becoming a space."""
    if not text:
        return ""
    kept = [
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in text
        if ch not in _INVISIBLE and ch not in _BIDI_CONTROLS
    ]
    return "".join(kept).rstrip()


def bare_quote(quote: str | None) -> str:
    """The quote without quotation marks of its own, so renderers can add exactly one pair.

    Only one pair that encloses the whole quote is removed. A quote that merely starts or ends
    with a mark ('"We will rebuild," the mayor said.') keeps it, or the card would show an
    unbalanced quote; a trailing apostrophe without an opening mark is a possessive ("the
    workers'") and is part of the words.
    """
    text = clean(quote)
    if (
        len(text) >= 2
        and text[-1] in _QUOTE_PAIRS.get(text[0], "")
        and _encloses(text[0], text[1:-1])
    ):
        text = text[1:-1].strip()
    return nest_marks(text)


# Each opening double mark -> the marks that can close it ("„…“" is German, "„…”" Polish).
_DOUBLE_CLOSERS = {'"': '"”', "“": '"”', "„": '"“”'}
# A straight mark opens a quotation at the start or after a space, bracket or dash.
_STRAIGHT_OPENS_AFTER = " \t\n([{—–-…"


def nest_marks(quote: str) -> str:
    """`quote` with its double quotation marks made single, as a quote inside a quote is written:
    every renderer wraps it in “ ”, and “Putin’s “negotiators … Ukraine.”” reads as two quotes.
    An opening mark whose closing one fell outside the quote's window is dropped: left alone it
    opens a quotation that never closes. Only the shown marks change: the card's quote stays the
    outlet's words, as verified."""
    body = quote.removeprefix("…")
    closers = _DOUBLE_CLOSERS.get(body[:1])
    if closers and not any(c in body[1:] for c in closers):
        quote = quote[: len(quote) - len(body)] + body[1:].lstrip()
    out: list[str] = []
    # A German „ is closed by “, which elsewhere opens: without the pairing „…“ read ‘…‘.
    german_open = straight_open = False
    for i, ch in enumerate(quote):
        if ch == "„":
            out.append("‚")
            german_open = True
        elif ch == "“":
            out.append("‘")
            german_open = False
        elif ch == "”":
            out.append("’")
            german_open = False
        elif ch == '"':
            after = quote[i - 1] if i else " "
            if after.isdigit() and _inch_mark(quote, i, straight_open):
                out.append(ch)
                continue
            opens = after in _STRAIGHT_OPENS_AFTER and not german_open
            straight_open = opens
            german_open = False
            out.append("‘" if opens else "’")
        else:
            out.append(ch)
    return "".join(out)


def _inch_mark(quote: str, i: int, straight_open: bool) -> bool:
    """Whether the straight mark at `i`, after a figure, is an inch mark (12" pipe, 5'11"):
    one that no open quotation awaits is; one that an open quotation awaits is only when an odd
    count of straight marks follows, one of them its close ("The beam is 8" short," he said)."""
    return not straight_open or quote.count('"', i + 1) % 2 == 1


def _encloses(opening: str, inner: str) -> bool:
    """Whether the outer marks are one quote, not the ends of two ('"Yes," she said, "now."')."""
    if opening in _DOUBLE_QUOTES:
        # A straight mark inside cannot be told open from close: leave such a quote alone.
        if '"' in inner:
            return False
        depth = 0
        for ch in inner:
            depth += (ch in "“„") - (ch == "”")
            if depth < 0:
                return False
        return True
    if opening in "'‘‚":
        # An apostrophe inside a word (won't, workers' union) is fine; a mark after a space or
        # after punctuation opens or closes another quote.
        return not _SINGLE_QUOTE_MARK_RE.search(inner)
    return opening not in inner and _QUOTE_PAIRS[opening] not in inner


def split_angles(card: StoryCard, full: bool) -> tuple[list[Angle], int]:
    """Angles to show and how many were held back."""
    if full or len(card.angles) <= SHORT_ANGLES:
        return list(card.angles), 0
    return list(card.angles[:SHORT_ANGLES]), len(card.angles) - SHORT_ANGLES


def story_command(card: StoryCard) -> str:
    return f"/story {clean(card.slug)}"


def more_label(card: StoryCard, hidden: int) -> str:
    """The core's note on the angles a compact card holds back, its command cleaned for a
    terminal."""
    return card.more_label(hidden, command=clean)


def meta_label(card: StoryCard) -> str:
    """The line under the headline, and the card's one freshness line: every card has it, angles
    or not. A second "Coverage as of …" under "What others are reporting" said the same age
    again a few lines further down."""
    return f"{card.sources_label} · {card.age_label} · {story_command(card)}"


def also_label(card: StoryCard) -> str:
    names = [clean(name) for name in card.also_reporting if clean(name)]
    return f"Also reporting: {', '.join(names)}" if names else ""


def format_time(when: datetime) -> str:
    zone = when.tzname()
    return when.strftime("%Y-%m-%d %H:%M") + (f" {zone}" if zone else "")


# Slack and Discord head a digest of at least this many cards: over one card a heading is a
# second message saying what the card shows.
CHAT_HEADED_CARDS = 2


def local_time(when: datetime, zone: str) -> str:
    """`when` as the channel's clock shows it, named by its zone as the other replies name it
    ("2027-05-04 14:00 Europe/Berlin"): a UTC time in a Berlin channel reads as an hour wrong."""
    try:
        local = when.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        # Stored zones are checked when set; one the system no longer knows still shows a time.
        return format_time(when)
    return f"{local:%Y-%m-%d %H:%M} {zone}"


def chat_digest_heading(count: int, now: datetime, zone: str = "UTC") -> str | None:
    """The heading Slack and Discord post before a scheduled digest's `count` cards (plain text:
    the channel is where it is posted; `bot.delivery.digest_heading`), its time in the
    channel's `zone`; None for a lone card."""
    if count < CHAT_HEADED_CARDS:
        return None
    return f"{DIGEST_TITLE} · {local_time(now, zone)} · {count} stories"


def digest_heading(digest: Digest) -> str:
    return (
        f"{clean(digest.title)} · {clean(digest.channel)} · "
        f"{local_time(digest.generated_at, digest.timezone)} · {digest.count_label}"
    )


# --- plain text ------------------------------------------------------------------------------


def render_card_text(card: StoryCard, full: bool = False) -> str:
    lines = [clean(card.headline), meta_label(card)]
    if card.topics:
        lines.append("Topics: " + ", ".join(clean(t) for t in card.topics))

    if card.tldr:
        lines += ["", "TL;DR"]
        lines += [f"  • {clean(b.text)} ({card.corroboration(b, clean)})" for b in card.tldr]
        if card.writer_note:
            lines.append(f"  {card.writer_note}")

    if card.sources:
        lines += ["", "Sources"]
        for link in card.sources:
            entry = f"  • {clean(link.source)}: {clean(link.title)}"
            url = safe_url(link.url)
            lines.append(f"{entry} — {url}" if url else entry)

    shown, hidden = split_angles(card, full)
    if shown:
        lines += ["", "What others are reporting"]
        for n, angle in enumerate(shown, 1):
            lines.extend(_angle_lines(n, angle))
        if hidden:
            lines.append(f"  {more_label(card, hidden)}")

    if also := also_label(card):
        lines += ["", also]
    return "\n".join(lines)


def _angle_lines(n: int, angle: Angle) -> list[str]:
    marker = f"  {n}. "
    pad = " " * len(marker)
    out = [f"{marker}{clean(angle.source)} — {clean(angle.line)}"]
    if quote := bare_quote(angle.quote):
        out.append(f"{pad}“{quote}”")
    if url := safe_url(angle.url):
        out.append(f"{pad}Read → {url}")
    return out


def render_digest_text(digest: Digest) -> str:
    heading = digest_heading(digest)
    parts = [heading, "=" * min(len(heading), 72)]
    if not digest.cards:
        parts += ["", no_new_stories(digest)]
    for i, card in enumerate(digest.cards):
        if i:
            parts += ["", "-" * 72]
        parts += ["", render_card_text(card)]
    for title, lines in notice_sections(digest):
        parts += ["", "-" * 72, "", title, *lines]
    return "\n".join(parts) + "\n"


def no_new_stories(digest: Digest) -> str:
    """The line of a preview with no card, saying why when it knows."""
    return f"No new stories: {digest.empty_reason}." if digest.empty_reason else "No new stories."


def notice_sections(digest: Digest) -> list[tuple[str, list[str]]]:
    """The messages a preview's channel gets after the cards (`Digest.notices`), each under a
    title saying which message it is, as display lines (marks gone, links as plain addresses)."""
    first = "After the cards, a message:" if digest.cards else "A message:"
    titles = [first, "Then the backlog's own message:"]
    return [
        (
            titles[min(i, 1)],
            [clean(strip_marks(line)) for line in text.splitlines()],
        )
        for i, text in enumerate(digest.notices)
    ]
