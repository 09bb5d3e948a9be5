"""Story cards and digests as Block Kit, within Slack's limits.

Every card is built from small blocks whose text is bounded, then packed into messages of at most
`MAX_BLOCKS` blocks and `MAX_MESSAGE_CHARS` characters: a long digest (or a story with 40 sources)
becomes several messages instead of an `invalid_blocks` error. All feed text goes through
`slack_escape`/`slack_link`/`plain`; only this module's own markers format anything. The bot's
own text and a reply's list lines are `text_lists`, built from the small builders here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.adapters.slack.escape import (
    head,
    plain,
    slack_escape,
    slack_link,
    truncate,
    units,
)
from bot.cards import (
    BREAKDOWN,
    FOLLOW,
    MUTE,
    NEW_TOPIC,
    Digest,
    StoryCard,
)
from bot.models import Angle, Bullet
from bot.render.cuts import LINE_CHARS, NAME_CHARS
from bot.render.text import bare_quote, digest_heading, split_angles, url_host

Block = dict[str, Any]

# Slack's documented Block Kit limits. Lengths are counted in UTF-16 units (`escape.units`: an
# emoji is two), the stricter reading of Slack's "characters", here as in every bound below.
MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ID_CHARS = 255  # an action_id, a block_id
# Not a documented hard limit, but very large messages are slow to render and Slack truncates
# the fallback text; staying well below keeps every message comfortable.
MAX_MESSAGE_CHARS = 12_000
MAX_FALLBACK_CHARS = 1_000

# Bounds on each untrusted piece, so no single line can approach the section limit (a name's and
# a line's, shared with Discord, are in `bot.render.cuts`).
_TITLE_CHARS = 300
_QUOTE_CHARS = 500
# A link's markup counts in full towards the section and message limits though only its label
# shows: a few tracking-laden URLs would split a card or get cut mid-link. Longer links are
# shown as their label only.
MAX_LINK_CHARS = 1000
COMPACT_SOURCES = 5


ACTION_FULL = "newsdigest_full"
ACTION_FOLLOW = "newsdigest_follow"
ACTION_NEW_TOPIC = "newsdigest_new_topic"
ACTION_MUTE = "newsdigest_mute"
# Each of a card's actions (`bot.cards.CardAction`) as a button's action_id.
ACTION_IDS = {
    BREAKDOWN: ACTION_FULL,
    FOLLOW: ACTION_FOLLOW,
    NEW_TOPIC: ACTION_NEW_TOPIC,
    MUTE: ACTION_MUTE,
}


@dataclass(frozen=True, slots=True)
class Kept:
    """How many of a card's TL;DR bullets, sources and angles to show, the rest named with the
    card's "+N more" note (None: as a compact or full card shows them). A form that must be one
    message (an edited card, `card_edit`) holds back lines this way."""

    bullets: int | None = None
    sources: int | None = None
    angles: int | None = None


@dataclass(slots=True)
class SlackMessage:
    """One chat.postMessage worth: the notification fallback and the blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)


# --- small builders -------------------------------------------------------------------------------


def mrkdwn(text: str) -> Block:
    # verbatim: Slack must not auto-link channel names or parse anything we did not mark up.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(cut_mrkdwn(text, MAX_SECTION_CHARS))}


def context(*texts: str) -> Block:
    elements = [mrkdwn(cut_mrkdwn(t, MAX_SECTION_CHARS)) for t in texts if t]
    return {"type": "context", "elements": elements[:MAX_CONTEXT_ELEMENTS]}


def header(text: str) -> Block:
    return {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": plain(text, MAX_HEADER_CHARS) or "Story",
            "emoji": False,
        },
    }


def button(label: str, action_id: str, value: str) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": plain(label, MAX_BUTTON_TEXT), "emoji": True},
        "action_id": head(action_id, MAX_ID_CHARS),
        "value": head(value, MAX_BUTTON_VALUE),
    }


def sections(title: str, lines: list[str]) -> list[Block]:
    """Lines packed into as few sections as fit `MAX_SECTION_CHARS`; the title leads the first."""
    out: list[Block] = []
    current = title
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if units(candidate) > MAX_SECTION_CHARS and current:
            out.append(section(current))
            candidate = line
        current = candidate
    if current:
        out.append(section(current))
    return out


def esc(text: str | None, limit: int) -> str:
    return truncate(slack_escape(text), limit)


def cut_mrkdwn(text: str, limit: int) -> str:
    """`truncate`, but never inside a `<url|label>` link: half a link would show its raw markup
    and could swallow the rest of the text into a broken link."""
    cut = truncate(text, limit)
    if cut == text:
        return text
    body = cut[:-1]  # the ellipsis
    # Feed text is escaped, so every `<` left in mrkdwn opens one of our own links.
    opening = body.rfind("<")
    if opening > body.rfind(">"):
        body = body[:opening]
    return body.rstrip() + "…"


def link(url: str | None, label: str | None) -> str:
    """`slack_link`, or the label alone when the link markup would be longer than
    `MAX_LINK_CHARS`."""
    markup = slack_link(url, label)
    if units(markup) <= MAX_LINK_CHARS:
        return markup
    return slack_link(None, label or url_host(url))


def block_chars(block: Block) -> int:
    """Roughly how much text a block carries (in UTF-16 units), for packing messages."""
    total = 0
    stack: list[Any] = [block]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            total += units(item)
    return total


# --- cards ---------------------------------------------------------------------------------------


def context_line(card: StoryCard) -> str:
    """'6 sources tracking this story · as of 2h after first report · topic': the card's own
    count label (`StoryCard.sources_label`, its wire note included), as every platform says it."""
    parts = [f"*{card.sources_label}*", card.age_label]
    topics = [esc(t, NAME_CHARS) for t in card.topics if t]
    if topics:
        parts.append(", ".join(topics))
    return " · ".join(parts)


def card_fallback(card: StoryCard) -> str:
    """The notification text: what a phone shows, so headline first."""
    noun = "source" if card.source_count == 1 else "sources"
    return truncate(
        f"{slack_escape(card.headline)} ({card.source_count} {noun})", MAX_FALLBACK_CHARS
    )


def card_units(
    card: StoryCard, *, full: bool = False, buttons: bool = True, kept: Kept = Kept()
) -> list[Block]:
    """A card's blocks in reading order. Packing may split them across messages."""
    blocks: list[Block] = [header(card.headline), context(context_line(card))]
    if card.tldr:
        lines = held_back(card, [bullet_text(card, b) for b in card.tldr], kept.bullets)
        blocks += sections("*TL;DR*", lines)
        if card.writer_note:
            blocks.append(context(card.writer_note))
    if card.sources:
        shown = card.sources if full else card.sources[:COMPACT_SOURCES]
        shown = shown[: kept.sources] if kept.sources is not None else shown
        lines = [
            f"• *{esc(s.source, NAME_CHARS)}*: {link(s.url, truncate(s.title or '', _TITLE_CHARS, escaped=False))}"
            for s in shown
        ]
        if hidden := len(card.sources) - len(shown):
            lines.append(more(card, hidden, "outlet"))
        blocks += sections("*Sources*", lines)
    angles, hidden_angles = split_angles(card, full)
    if kept.angles is not None:
        hidden_angles += len(angles[kept.angles :])
        angles = angles[: kept.angles]
    if angles or hidden_angles:
        lines = [angle_text(n, a) for n, a in enumerate(angles, 1)]
        if hidden_angles:
            lines.append(more(card, hidden_angles))
        blocks += sections("*What others are reporting*", lines)
    also = [esc(name, NAME_CHARS) for name in card.also_reporting if name]
    if also:
        blocks.append(context(truncate("Also reporting: " + ", ".join(also), MAX_SECTION_CHARS)))
    if buttons:
        blocks.append(card_actions(card, full=full))
    return blocks


def held_back(card: StoryCard, lines: list[str], kept: int | None) -> list[str]:
    """`lines` but for those past `kept`, which the card's "+N more" note names."""
    if kept is None or kept >= len(lines):
        return lines
    return [*lines[:kept], more(card, len(lines) - kept)]


def more(card: StoryCard, hidden: int, noun: str = "") -> str:
    """The core's note on what a card or update holds back, in italics, its command a code span."""
    return f"_{card.more_label(hidden, noun, lambda command: f'`{esc(command, NAME_CHARS)}`')}_"


def bullet_text(card: StoryCard, bullet: Bullet) -> str:
    backing = card.corroboration(bullet, lambda name: esc(name, NAME_CHARS))
    return f"• {esc(bullet.text, LINE_CHARS)} _({backing})_"


def angle_text(n: int, angle: Angle) -> str:
    text = f"{n}. *{esc(angle.source, NAME_CHARS)}* — {esc(angle.line, LINE_CHARS)}"
    if quote := bare_quote(angle.quote):
        text += f"\n> “{esc(quote, _QUOTE_CHARS)}”"
    # A bare "Read" that goes nowhere is noise.
    if (read := link(angle.url, "Read")).startswith("<"):
        text += f" {read}"
    return text


def card_actions(card: StoryCard, *, full: bool) -> Block:
    """The card's buttons (`StoryCard.actions`) as one actions block."""
    # action_ids must be unique within a message, and a digest message holds several cards.
    sid = card.story_id
    elements = [
        button(action.label, f"{ACTION_IDS[action.kind]}:{sid}", action.value)
        for action in card.actions(full=full)
    ]
    block_id = head(f"newsdigest_actions:{sid}", MAX_ID_CHARS)
    return {"type": "actions", "block_id": block_id, "elements": elements}


def card_messages(
    card: StoryCard, *, full: bool = False, buttons: bool = True
) -> list[SlackMessage]:
    return pack(
        [card_units(card, full=full, buttons=buttons)],
        fallback=card_fallback(card),
        continued=f"_continued: {esc(card.headline, _TITLE_CHARS)}_",
    )


# --- digests -------------------------------------------------------------------------------------


def digest_messages(digest: Digest) -> list[SlackMessage]:
    count = len(digest.cards)
    noun = "story" if count == 1 else "stories"
    intro = [header(digest.title), context(slack_escape(digest_heading(digest)))]
    units = [intro] + [[{"type": "divider"}, *card_units(c)] for c in digest.cards]
    headlines = "; ".join(slack_escape(c.headline) for c in digest.cards[:3])
    fallback = truncate(
        f"{slack_escape(digest.title)}: {count} {noun}. {headlines}", MAX_FALLBACK_CHARS
    )
    return pack(units, fallback=fallback, continued=f"_{slack_escape(digest.title)}, continued_")


def pack(
    units: list[list[Block]], *, fallback: str, continued: str | None = None
) -> list[SlackMessage]:
    """Whole units (a card, a digest intro) per message where they fit; a unit too big for one
    message is split between blocks. Continuation messages start with a small context line."""
    messages: list[list[Block]] = [[]]
    sizes = [0]

    def fits(block_count: int, chars: int) -> bool:
        return (
            len(messages[-1]) + block_count <= MAX_BLOCKS and sizes[-1] + chars <= MAX_MESSAGE_CHARS
        )

    def new_message() -> None:
        lead = [context(continued)] if continued else []
        messages.append(lead)
        sizes.append(sum(block_chars(b) for b in lead))

    for unit in units:
        unit_chars = sum(block_chars(b) for b in unit)
        if messages[-1] and not fits(len(unit), unit_chars):
            new_message()
        for block in unit:
            chars = block_chars(block)
            if messages[-1] and not fits(1, chars):
                new_message()
            messages[-1].append(block)
            sizes[-1] += chars
    out = []
    for i, blocks in enumerate(messages):
        text = fallback if i == 0 else truncate(f"{fallback} (continued)", MAX_FALLBACK_CHARS)
        out.append(SlackMessage(text=text, blocks=blocks))
    return out
