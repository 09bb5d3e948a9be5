"""The Slack messages that must each be one message: a story's thread update and an edit of its
posted card. A reply split in two would arrive half in the thread; an edit reaches only the
card's first message, so what `card_messages` would carry on in a second one would be lost
without a word. Both hold lines back instead, naming them with the card's "+N more" note
(`StoryCard.more_label`), the way a compact card names the angles it does not show.
"""

from __future__ import annotations

from dataclasses import replace

from bot.adapters.slack.blocks import (
    MAX_FALLBACK_CHARS,
    Block,
    Kept,
    SlackMessage,
    angle_text,
    bullet_text,
    card_messages,
    card_units,
    esc,
    held_back,
    pack,
    sections,
)
from bot.adapters.slack.escape import slack_escape, truncate
from bot.cards import UPDATE_ANGLES_HEADING, UPDATE_BULLETS_HEADING, StoryCard, StoryUpdate
from bot.render.cuts import NAME_CHARS, most_that_fit
from bot.render.text import split_angles


def card_edit_message(card: StoryCard) -> SlackMessage:
    """`card` as one message, to replace the first message of its post (`chat.update`): the
    compact card when it fits; else angles held back first, then sources, then TL;DR bullets,
    each as many as fit (fewer lines never take more room, so by bisection), the rest named
    with the "+N more" note. The buttons are always kept: a card's edit must not take away
    what a reader acts on."""
    [first, *rest] = card_messages(card)
    if not rest:
        return first

    def fits(kept: Kept) -> bool:
        return len(pack([card_units(card, kept=kept)], fallback=first.text)) == 1

    def most(kept: Kept, field: str, total: int) -> Kept:
        """`kept` with as many of `field`'s `total` lines as fit."""
        return replace(
            kept, **{field: most_that_fit(total, lambda k: fits(replace(kept, **{field: k})))}
        )

    kept = Kept()
    totals = (
        ("angles", len(split_angles(card, False)[0])),
        ("sources", len(card.sources)),
        ("bullets", len(card.tldr)),
    )
    for field, total in totals:  # each only when those before it keep no line at all
        kept = most(kept, field, total)
        if getattr(kept, field):
            break
    return SlackMessage(text=first.text, blocks=card_units(card, kept=kept))


def update_message(card: StoryCard, new_outlets: list[str]) -> SlackMessage:
    """The thread reply when a posted story grows: the core's `StoryUpdate` (who joined, and what
    they add), laid out as Block Kit.

    One message, so a reply never arrives half in the thread; what does not fit is named with
    the `/story` command that shows it, as on a compact card, never dropped silently."""
    update = StoryUpdate.of(card, new_outlets)
    lead = f"*Update:* {update.lead(lambda name: esc(name, NAME_CHARS))}"
    bullet_lines = [bullet_text(card, b) for b in update.bullets]
    angle_lines = [angle_text(n, a) for n, a in enumerate(update.angles, 1)]
    noun = "source" if card.source_count == 1 else "sources"
    text = truncate(
        f"{slack_escape(update.title)} ({card.source_count} {noun})", MAX_FALLBACK_CHARS
    )

    def build(kept_bullets: int, kept_angles: int) -> list[Block]:
        blocks = sections(lead, [])
        if bullet_lines:
            lines = held_back(card, bullet_lines, kept_bullets)
            blocks += sections(f"*{UPDATE_BULLETS_HEADING}*", lines)
        if angle_lines:
            lines = held_back(card, angle_lines, kept_angles)
            blocks += sections(f"*{UPDATE_ANGLES_HEADING}*", lines)
        return blocks

    def fits(blocks: list[Block]) -> bool:
        return len(pack([blocks], fallback=text)) == 1

    # Angles go first (the TL;DR says what the story is), then bullets from the end. Fewer
    # lines never take more room, so the most that fit is found by bisection.
    kept_bullets = len(bullet_lines)
    kept_angles = most_that_fit(len(angle_lines), lambda k: fits(build(kept_bullets, k)))
    if kept_angles == 0:
        kept_bullets = most_that_fit(kept_bullets, lambda k: fits(build(k, 0)))
    return SlackMessage(text=text, blocks=build(kept_bullets, kept_angles))
