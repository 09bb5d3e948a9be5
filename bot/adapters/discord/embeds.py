"""Story cards as Discord embeds, always within Discord's limits.

Discord rejects a whole message (400 Invalid Form Body) when any embed limit is exceeded, so every
piece is cut to size here rather than trusting the card to be small: a busy story can have 40
sources and long quotes. Limits are counted in UTF-16 units like Discord counts them.

A compact card (digests, instant posts) is exactly one embed; a full breakdown (/story, the
"Full breakdown" button) may continue over several embeds, which `packing.pack_messages` groups
into as few messages as the per-message limits allow.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import discord

from bot.adapters.discord.escape import (
    escape,
    escape_fit,
    fit,
    host_note,
    link_url,
    masked_link,
    neutralize_mentions,
    utf16_len,
)
from bot.cards import UPDATE_BULLETS_HEADING, StoryCard, StoryUpdate
from bot.models import Angle, Bullet
from bot.render.cuts import LINE_CHARS as BULLET_CHARS
from bot.render.cuts import NAME_CHARS, most_that_fit
from bot.render.text import also_label, bare_quote, clean, split_angles

TITLE_LIMIT = 256
# Angles in one update embed: with its description (at most 3,000), title (256), field names,
# footer and a "More angles" note (211), two angle fields (1,024 each) stay inside 6,000.
MAX_UPDATE_ANGLES = 2
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
THREAD_NAME_LIMIT = 100
# A compact card's description: the TL;DR matters most but should not starve the sources.
HEAD_DESCRIPTION = 2500
# A TL;DR bullet's text is cut to `BULLET_CHARS` and an outlet's name to `NAME_CHARS`, the bounds
# Slack's cards use (`bot.render.cuts`): three bullets of a long sentence each fit the description.
# An update's description, and the part of it its lead may take.
UPDATE_DESCRIPTION = 3000
UPDATE_LEAD = 1200

COLOUR = discord.Colour(0x2B6CB0)
UPDATE_COLOUR = discord.Colour(0x2F855A)
# Room a disguised title keeps for the headline beside its host note; a longer host drops the link.
_MIN_TITLE_ROOM = 40
# Discord needs at least this much room for a field to be worth adding at all.
_MIN_FIELD_ROOM = 40
# A masked link's markup counts in full towards the field and embed limits though only its label
# shows, and cut in half it shows raw markup. Longer links are shown as their label only, as on
# Slack; real article URLs are far shorter, tracking-laden ones are not.
MAX_LINK_CHARS = 600
# Discord refuses a whole message (400) whose embed url is longer than this.
EMBED_URL_LIMIT = 2048
# A field value that shows nothing (a zero-width space): Discord refuses an empty one.
_BLANK = "\u200b"
# What opens a user, role or channel mention, an emoji or a timestamp tag: `<@`, `<#`, `<:`...
_TAG_OPEN = re.compile(r"<(?=[@#:]|a:|t:|/)")


@dataclass(slots=True)
class _Field:
    name: str
    value: str

    @property
    def size(self) -> int:
        return utf16_len(self.name) + utf16_len(self.value)


def embed_size(embed: discord.Embed) -> int:
    """What Discord counts towards the 6,000-character limit of an embed (and of a message)."""
    total = utf16_len(embed.title or "") + utf16_len(embed.description or "")
    total += sum(utf16_len(f.name or "") + utf16_len(f.value or "") for f in embed.fields)
    total += utf16_len(embed.footer.text or "") + utf16_len(embed.author.name or "")
    return total


def footer_text(card: StoryCard) -> str:
    """Footers show no markdown, so nothing to escape; the `ref` lets `find_posted` recognise
    the bot's own message after a crash.

    The card's age is said here and nowhere else in the embed: every card and update has a
    footer, angles or not, and Discord shows the embed's timestamp (`card.as_of`) right after
    it, so "as of 2h after first report" sits beside the time it counts to. A field is cut
    when the card runs out of room, and the "What others are reporting" one exists only with
    angles."""
    return fit(f"{card.age_label} · /story {clean(card.slug)} · ref {card.story_id}", FOOTER_LIMIT)


def story_ref(text: str | None) -> str | None:
    """The story id from a footer written by `footer_text`."""
    if not text or " · ref " not in text:
        return None
    return text.rsplit(" · ref ", 1)[1].strip() or None


# --- cards --------------------------------------------------------------------------------------


def card_embeds(card: StoryCard, *, full: bool = False) -> list[discord.Embed]:
    head = _head_embed(card)
    fields = _card_fields(card, full)
    if not full:
        return [_fill_one(head, fields, card)]
    return _fill_many(head, fields)


def card_embed(card: StoryCard) -> discord.Embed:
    return card_embeds(card)[0]


def update_embed(card: StoryCard, new_outlets: Sequence[str]) -> discord.Embed:
    """The thread follow-up when a posted story grows: the core's `StoryUpdate` as one embed.
    What the new outlets bring, not the whole card again (the card is the post this update is
    threaded under): the bullets they back, then their angles, at most `MAX_UPDATE_ANGLES` of
    them for the embed's size limit, the rest named with `/story`."""
    update = StoryUpdate.of(card, new_outlets)
    lead = [_update_lead(update)]
    bullets = [_bullet_line(card, b) for b in update.bullets]
    if bullets:
        lead += ["", f"**{UPDATE_BULLETS_HEADING}**"]
    embed = discord.Embed(
        title=escape_fit(update.title, TITLE_LIMIT),
        description=_fit_lines(lead, bullets, [], UPDATE_DESCRIPTION, _more(card)),
        colour=UPDATE_COLOUR,
        timestamp=card.as_of,
    )
    # Each angle a field of its own, as on the card: a field is cut within itself, never
    # through another angle's link.
    for angle in update.angles[:MAX_UPDATE_ANGLES]:
        # The field's name is the heading, one angle at a time ("New angle: <outlet>").
        name = fit(f"New angle: {escape(angle.source)}", 100)
        embed.add_field(name=name, value=_angle_value(angle), inline=False)
    embed.set_footer(text=footer_text(card))
    if (hidden := len(update.angles) - MAX_UPDATE_ANGLES) > 0:
        # Named as on a compact card: an update never drops an angle without a word.
        note = fit(card.more_label(hidden, command=escape), 200)
        embed.add_field(name="More angles", value=note, inline=False)
    return embed


def _update_lead(update: StoryUpdate) -> str:
    """Who joined, each name cut to `NAME_CHARS` as on Slack, and as many names as leave the
    lead within `UPDATE_LEAD`, the rest counted: cut as text, the lead lost the count it ends
    with and pushed the TL;DR section out of the description."""

    names = {outlet: escape_fit(outlet, NAME_CHARS) for outlet in update.new_outlets}

    def fits(most: int) -> bool:
        return utf16_len(update.lead(names.__getitem__, most)) <= UPDATE_LEAD

    # All of them first: with none held back there is no "+N more", so fewer names are not
    # always shorter there; below it they are, and the most that fit is found by bisection.
    total = len(update.new_outlets)
    most = total if fits(total) else most_that_fit(total - 1, fits)
    return fit(update.lead(names.__getitem__, most), UPDATE_LEAD)


CARD_LINE = "Jump to the story's card"


def message_link(guild_id: int, channel_id: int, message_ref: str) -> str:
    """The jump link to a message: Discord opens it at the message, in its channel."""
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_ref}"


def pointing(update: discord.Embed, link: str | None) -> discord.Embed:
    """An update posted in the channel, not in the card's thread (a webhook without the bot, a
    bot that may not use threads there): its title ("Update: <headline>") and a last line link
    the card, so it reads as news of that story."""
    if link is None:
        return update
    line = f"[{CARD_LINE}]({link})"
    pointed = update.copy()
    pointed.url = link
    room = 3000 - utf16_len(line) - 1
    pointed.description = f"{fit(update.description or '', room)}\n{line}"
    return pointed


def thread_name(card: StoryCard) -> str:
    # Thread names are plain text (no markdown, so no backslash escape) and at most 100
    # characters; a mention's syntax is broken with a zero-width space, as the card's text is.
    name = clean(card.headline) or clean(card.slug) or "Story updates"
    return fit(neutralize_mentions(_TAG_OPEN.sub("<" + _BLANK, name)), THREAD_NAME_LIMIT)


def _head_embed(card: StoryCard) -> discord.Embed:
    lead = [f"**{card.sources_label}**"]
    if card.topics:
        lead.append("Topics: " + ", ".join(escape(t) for t in card.topics))
    bullets = [_bullet_line(card, b) for b in card.tldr]
    if bullets:
        lead += ["", "**TL;DR**"]
    tail = [f"*{card.writer_note}*"] if bullets and card.writer_note else []
    # The article whose title the headline is, else the first source's. Percent-encoded as in
    # the masked source links, so the title opens the same address.
    urls = ((link_url(u), u) for u in card.title_urls)
    url, source_url = next(
        ((u, s) for u, s in urls if u and utf16_len(u) <= EMBED_URL_LIMIT), (None, None)
    )
    title = escape_fit(card.headline, TITLE_LIMIT)
    # The title is a link like any other: a headline naming another site than the one it opens
    # ("Log in at https://bank.example" on a link to evil.example) shows the real host. The
    # check reads the source's own URL, as `masked_link` does (the percent-encoded one has the
    # host "m%c3%bcnchen.example"), and the title as cut: "bank.example.evil.com" cut to 256
    # reads "bank.example…".
    if url and (note := host_note(card.headline, source_url, shown=title)):
        room = TITLE_LIMIT - utf16_len(note)
        title = escape_fit(card.headline, room)
        if room < _MIN_TITLE_ROOM or not title:
            # A host too long to name beside the headline: the title is no link at all, the
            # source fields still link the story.
            url, note, title = None, "", escape_fit(card.headline, TITLE_LIMIT)
        title += note
    embed = discord.Embed(
        title=title or "Untitled story",
        url=url,
        description=_fit_lines(lead, bullets, tail, HEAD_DESCRIPTION, _more(card)),
        colour=COLOUR,
        timestamp=card.as_of,
    )
    embed.set_footer(text=footer_text(card))
    return embed


def _card_fields(card: StoryCard, full: bool) -> list[_Field]:
    fields: list[_Field] = []
    # Each source as (linked, label only): where the link does not fit, the label still shows.
    source_lines: list[tuple[str, str]] = []
    for link in card.sources:
        label = escape_fit(link.source, NAME_CHARS)
        raw = link.source
        if title := escape(link.title):
            label = f"{label}: {fit(title, 300)}"
            raw = f"{link.source}: {link.title}"
        source_lines.append((f"• {_link(label, link.url, raw) or label}", f"• {label}"))
    if source_lines:
        if full:
            for i, chunk in enumerate(_chunks(source_lines, FIELD_VALUE_LIMIT)):
                fields.append(_Field("Sources" if i == 0 else "Sources (cont.)", chunk))
        else:
            value = _first_chunk(source_lines, FIELD_VALUE_LIMIT, _more(card, "outlet"))
            fields.append(_Field("Sources", value))

    shown, hidden = split_angles(card, full)
    if shown:
        # A heading only, like the other renderers' section titles: the age it once held is
        # in the footer (see `footer_text`).
        fields.append(_Field("What others are reporting", _BLANK))
        for n, angle in enumerate(shown, 1):
            name = fit(f"{n}. {escape(angle.source)}", FIELD_NAME_LIMIT)
            fields.append(_Field(name, _angle_value(angle)))
        if hidden:
            fields.append(_Field("More angles", _more(card)(hidden)))

    if also := also_label(card):
        names = also.removeprefix("Also reporting: ")
        fields.append(_Field("Also reporting", escape_fit(names, FIELD_VALUE_LIMIT)))
    return fields


def _bullet_line(card: StoryCard, bullet: Bullet) -> str:
    """A TL;DR bullet, its text cut at a word to `BULLET_CHARS` (as Slack cuts it): three long
    sentences then all show, where whole they filled the description with two."""
    backing = card.corroboration(bullet, lambda name: escape_fit(name, NAME_CHARS))
    return f"• {fit(escape(bullet.text), BULLET_CHARS, words=True)} *({backing})*"


def _angle_value(angle: Angle) -> str:
    """Line, quote and "Read →" link in one field value. The link is budgeted first and the line
    gets what is left, so a long line and quote never cut the link's markup in half."""
    read = _link("Read →", angle.url)
    quote = bare_quote(angle.quote)
    quoted = f"> “{escape_fit(quote, 300)}”" if quote else None
    room = FIELD_VALUE_LIMIT
    room -= sum(utf16_len(part) + 1 for part in (read, quoted) if part)
    parts = [escape_fit(angle.line, min(600, room)), quoted, read]
    return "\n".join(part for part in parts if part)


def _link(label: str, url: str | None, raw: str | None = None) -> str | None:
    """`masked_link`, or None without a usable URL or when the markup passes `MAX_LINK_CHARS`
    (a bare "Read →" that goes nowhere is noise; a source keeps its label)."""
    if link_url(url) is None:
        return None
    markup = masked_link(label, url, raw=raw)
    return markup if utf16_len(markup) <= MAX_LINK_CHARS else None


def _fill_one(embed: discord.Embed, fields: list[_Field], card: StoryCard) -> discord.Embed:
    """As many fields as fit in one embed; what is left is named, not silently dropped."""
    room = EMBED_TOTAL_LIMIT - embed_size(embed)
    slots = FIELD_COUNT_LIMIT - len(embed.fields)
    if sum(f.size for f in fields) <= room and len(fields) <= slots:
        for f in fields:
            embed.add_field(name=f.name, value=f.value, inline=False)
        return embed
    note = _Field("More", f"Full breakdown: /story {escape(card.slug)}")
    room, slots = room - note.size, slots - 1
    for f in fields:
        # Stop at the first field that does not fit, so the card keeps its reading order.
        if f.size > room or slots == 0:
            break
        embed.add_field(name=f.name, value=f.value, inline=False)
        room, slots = room - f.size, slots - 1
    embed.add_field(name=note.name, value=note.value, inline=False)
    return embed


def _fill_many(head: discord.Embed, fields: list[_Field]) -> list[discord.Embed]:
    embeds = [head]
    current = head
    for field in fields:
        full = len(current.fields) >= FIELD_COUNT_LIMIT
        if full or embed_size(current) + field.size > EMBED_TOTAL_LIMIT:
            current = discord.Embed(colour=COLOUR)
            embeds.append(current)
        current.add_field(name=field.name, value=field.value, inline=False)
    return embeds


# --- helpers ------------------------------------------------------------------------------------


def _fit_lines(
    lead: list[str], lines: list[str], tail: list[str], limit: int, more: Callable[[int], str]
) -> str:
    """`lead`, then as many of `lines` as fit whole (none is cut mid-markdown), those left out
    named by the note `more` gives, then `tail`, within `limit` units."""

    def text(kept: int) -> str:
        held = [more(len(lines) - kept)] if kept < len(lines) else []
        return "\n".join([*lead, *lines[:kept], *held, *tail])

    def fits(kept: int) -> bool:
        return utf16_len(text(kept)) <= limit

    # All of them first (no note then, so one line fewer is not always shorter); below that,
    # one line fewer never takes more room, and the most that fit is found by bisection.
    total = len(lines)
    kept = total if fits(total) else most_that_fit(total - 1, fits)
    return fit(text(kept), limit)


def _chunks(lines: list[tuple[str, str]], limit: int) -> list[str]:
    """(linked, label only) lines packed into values of at most `limit`; a line whose link makes
    it too long for any value goes without the link rather than cut through it."""
    chunks: list[str] = []
    current: list[str] = []
    for linked, bare in lines:
        line = linked if utf16_len(linked) <= limit else fit(bare, limit)
        if current and utf16_len("\n".join([*current, line])) > limit:
            chunks.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        chunks.append("\n".join(current))
    return chunks


def _more(card: StoryCard, noun: str = "") -> Callable[[int], str]:
    """The core's note on N lines held back ('+2 more outlets (use /story x)'), escaped."""
    return lambda hidden: card.more_label(hidden, noun, escape)


def _first_chunk(lines: list[tuple[str, str]], limit: int, more: Callable[[int], str]) -> str:
    """The (linked, label only) lines that fit in one field, ending with the note `more` gives
    for those that did not. A line that could never fit with its link shows its label only, so a long URL cannot
    leave the field without a single source."""
    out: list[str] = []
    for i, (linked, bare) in enumerate(lines):
        rest = len(lines) - i - 1
        tail = f"\n{more(rest)}" if rest else ""
        line = linked if utf16_len(linked + tail) <= limit else bare
        if utf16_len("\n".join([*out, line]) + tail) > limit:
            break
        out.append(line)
    hidden = len(lines) - len(out)
    if hidden:
        out.append(more(hidden))
    return fit("\n".join(out), limit)
