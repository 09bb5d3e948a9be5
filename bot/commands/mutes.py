"""/watchlist mute and unmute: the stories a channel gets no more posts or updates about.

An unmute catches the channel up once with the story as it is now (`bot.runner.unmutes`): one
thread update on what it missed, or its card if it never got one, never each post held back.

A story is named as for /story (its slug, the start of it, or a slug it had before a merge); only
words from a headline are not enough to mute or unmute, since the best match of a few words may
be another story. Replies name stories by slug only, never by what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlite_utils

from bot.commands.base import (
    CommandContext,
    ListLine,
    Reply,
    UsageError,
    busy_text,
    watchlist_command,
)
from bot.render.text import clean
from bot.runner import unmutes
from bot.runner.unmutes import CatchUp
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store.channels import ChannelRow, MutedStory
from bot.store.loop_waits import DatabaseBusyError, with_retries
from bot.textutil import plural
from bot.topics.corpus import slugify
from bot.topics.lookup import StoryRef, query_text

if TYPE_CHECKING:
    from bot.commands.core import Commands

# Muted stories listed by /watchlist before "… and N more".
MAX_LISTED = 10
_HEADLINE_CHARS = 80
# How a story is named well enough to act on: not by search words (see the module docstring).
_NAMED = frozenset({"exact", "alias", "prefix"})


def mute_usage(platform: str) -> str:
    return watchlist_command(platform, "mute", "<slug>")


def unmute_usage(platform: str) -> str:
    return watchlist_command(platform, "unmute", "<slug>")


def unmute_command(platform: str, slug: str) -> str:
    """What to type to undo a mute of `slug`."""
    return unmute_usage(platform).replace("<slug>", slug)


async def mute(commands: Commands, ref: str, ctx: CommandContext, channel: ChannelRow) -> Reply:
    if not ref:
        raise UsageError(
            "Which story? Give its slug, as its card shows it.", mute_usage(ctx.platform)
        )
    db = commands.core.db
    found = await commands.core.find_story_async(ref)
    if found.story is None or found.reason not in _NAMED:
        return Reply(_not_named([found.story, *found.suggestions], ctx.platform))
    if not channel.id:
        # As the Mute button: a row would sign the channel up for the very posts it asks to stop.
        return Reply(
            "Nothing to mute: this channel is not signed up for my posts (see "
            f"{watchlist_command(ctx.platform)}), so nothing about that story will be posted here."
        )
    story_id = story_store.resolve_id(db, found.story.story_id)
    story = story_store.get_story(db, story_id)
    slug = story.slug if story is not None else found.story.slug
    channel_store.mute_story(db, channel.id, story_id)
    return Reply(
        f"Muted {slug}: this channel will get no more posts or updates about it. "
        f"Undo with {unmute_command(ctx.platform, slug)}"
    )


async def unmute(commands: Commands, ref: str, ctx: CommandContext, channel: ChannelRow) -> Reply:
    if not ref:
        raise UsageError(
            f"Which story? {watchlist_command(ctx.platform)} lists the muted ones.",
            unmute_usage(ctx.platform),
        )
    db = commands.core.db
    muted = channel_store.muted_stories(db, channel.id) if channel.id else []
    if not muted:
        return Reply("No story is muted in this channel.")
    by_id = {m.story_id: m for m in muted}
    found = await commands.core.find_story_async(ref)
    target: MutedStory | None = None
    if found.story is not None and found.reason in _NAMED:
        target = by_id.get(story_store.resolve_id(db, found.story.story_id))
    if target is None:
        # The start of a muted story's slug is enough even where it starts others too: only
        # the muted ones can be meant.
        key = slugify(query_text(ref))
        started = [m for m in muted if key and m.slug.startswith(key)]
        if len(started) > 1:
            return Reply(
                f"That starts the slugs of {len(started)} muted stories: "
                + ", ".join(m.slug for m in started[:MAX_LISTED])
                + ". Give more of one."
            )
        target = started[0] if started else None
    if target is None:
        listed = ", ".join(m.slug for m in muted[:MAX_LISTED])
        more = f" and {len(muted) - MAX_LISTED} more" if len(muted) > MAX_LISTED else ""
        if found.story is not None and found.reason in _NAMED:
            return Reply(
                f"{found.story.slug} is not muted in this channel. Muted here: {listed}{more}."
            )
        return Reply(f"No muted story matches that. Muted here: {listed}{more}.")
    done = unmutes.unmute(
        db,
        channel,
        target.story_id,
        now=commands.clock(),
        interval=commands.update_interval,
    )
    if done.catch_up in _QUEUED_NOW and commands.kick_outbox is not None:
        commands.kick_outbox()
    return Reply(
        f"Unmuted {target.slug}: this channel will get its posts and updates again"
        + _CATCH_UP_TEXT[done.catch_up]
    )


# What the channel gets of what it missed (`bot.runner.unmutes`), said after "…again".
_CATCH_UP_TEXT = {
    CatchUp.NOTHING: ".",
    CatchUp.UPDATE: ", starting with one update in its thread on what it missed while muted.",
    CatchUp.EDIT: ", starting with its card brought up to date.",
    CatchUp.CARD: ", starting with its card.",
    CatchUp.CARD_ON_RESUME: (
        ", starting with its card when posting here resumes, if the story is still news then."
    ),
    CatchUp.NEXT_DIGEST: ", starting with its card in the next digest.",
    CatchUp.QUEUED: "; what was queued for it before the mute goes out as planned.",
}
# Catch-ups queued for the outbox now rather than left to a digest or an existing row.
_QUEUED_NOW = frozenset({CatchUp.UPDATE, CatchUp.EDIT, CatchUp.CARD})


def muted_lines(db: sqlite_utils.Database, channel: ChannelRow) -> list[ListLine]:
    """/watchlist's lines for the channel's muted stories, each with its undo."""
    muted = channel_store.muted_stories(db, channel.id) if channel.id else []
    lines = [
        ListLine(
            f"Muted: {m.slug}",
            note=f"({_headline(m.headline)}; undo: {unmute_command(channel.platform, m.slug)})",
        )
        for m in muted[:MAX_LISTED]
    ]
    if len(muted) > MAX_LISTED:
        rest = len(muted) - MAX_LISTED
        lines.append(ListLine(f"… and {plural(rest, 'more muted story', 'more muted stories')}"))
    return lines


def _headline(text: str) -> str:
    flat = clean(text)
    return flat if len(flat) <= _HEADLINE_CHARS else flat[: _HEADLINE_CHARS - 1].rstrip() + "…"


def _not_named(candidates: list[StoryRef | None], platform: str) -> str:
    slugs = list(dict.fromkeys(c.slug for c in candidates if c is not None))[:5]
    if slugs:
        example = mute_usage(platform).replace("<slug>", slugs[0])
        return (
            "To mute a story, give its slug (as its card shows it). Did you mean: "
            + ", ".join(slugs)
            + f"? For example: {example}"
        )
    return "No story matches that. Give its slug, as its card or /story shows it."


async def click_mute(commands: Commands, story_id: str, ctx: CommandContext) -> tuple[str, bool]:
    """`mute_clicked` on the event loop: its write waits for another process's lock only
    briefly at a time, as a command's does (`bot.store.loop_waits`), and one held too long is
    answered as such, nothing muted."""

    async def click() -> tuple[str, bool]:
        return mute_clicked(commands, story_id, ctx)

    try:
        return await with_retries(commands.core.db, click)
    except DatabaseBusyError as exc:
        return busy_text(exc), False


def mute_clicked(commands: Commands, story_id: str, ctx: CommandContext) -> tuple[str, bool]:
    """The Mute story button under a card, on Slack and Discord alike: the story it was posted
    about (or, after a merge, the one that took it in) muted in the channel; returns the answer
    for whoever clicked and whether anything was muted. Never a channel row: one would sign the
    channel up for the very posts the click asks to stop (a /story card in a channel that never
    signed up), and mutes are kept per row, so there is nothing to record without one."""
    db = commands.core.db
    channel = channel_store.get_channel(db, ctx.platform, ctx.channel_id)
    if channel is None:
        show = "/watchlist show" if ctx.platform == "discord" else "/watchlist"
        return (
            f"Nothing to mute: this channel is not signed up for my posts (see `{show}`), so "
            "nothing more about that story will be posted here.",
            False,
        )
    resolved = story_store.resolve_id(db, story_id)
    channel_store.mute_story(db, channel.id, resolved)
    story = story_store.get_story(db, resolved)
    undo = f" Undo with `{unmute_command(ctx.platform, story.slug)}`." if story else ""
    return f"Muted: this channel will get no more posts or updates about that story.{undo}", True
