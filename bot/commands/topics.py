"""/follow and /unfollow: which shared topics a channel follows."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import sqlite_utils

from bot.commands.base import CommandContext, Reply, UsageError
from bot.commands.follow_args import (
    SENTENCE_ENDS,
    plain_words,
    split_follow,
    topic_slug,
    unquoted_name,
    without_topic_option,
)
from bot.commands.overview import paused_note
from bot.config_entries import MAX_SLUG, RESERVED_TOPIC_NAMES, SLUG_RE
from bot.render.literal import code, literal, quoted
from bot.render.text import preformatted
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.channels import ChannelRow
from bot.textutil import fold, plural
from bot.topics.outlets import KnownOutlets, check_source_names, source_notes
from bot.topics.query import QueryError, TopicQuery, check_typed
from bot.topics.saved import operator_note

if TYPE_CHECKING:
    from bot.commands.core import Commands


# /follow's form on Slack and on Discord, for a name that is wrong where the rest was right.
_FOLLOW_USAGE = ("/follow <topic> [query]", "/follow topic:<topic> [query:<query>]")


def follow_usage(platform: str) -> str:
    """/follow's short form as `platform` takes it."""
    return _FOLLOW_USAGE[platform == "discord"]


async def follow(commands: Commands, args: str, ctx: CommandContext, channel: ChannelRow) -> Reply:
    typed, query, explicit = split_follow(args)
    if not typed:
        raise UsageError("Which topic?")
    db = commands.core.db
    slug = topic_slug(db, typed)
    if not SLUG_RE.match(slug):
        raise UsageError(_bad_name(typed, slug), follow_usage(ctx.platform))
    if explicit and not query:
        # `query:` with nothing after it: not "follow the topic as it is", a query left out.
        raise UsageError(
            f"The query after `query:` is empty. To follow {slug} as it is: "
            + _follow_command(ctx.platform, slug),
            follow_usage(ctx.platform),
        )
    if query and (link := _CHANNEL_LINK_RE.search(query)) is not None:
        # A channel picked from the chat's list (Slack's `<#C1|news>`, Discord's `<#1>`): a
        # place in this chat, never news text, refused alike on both platforms.
        shown = f"#{link.group(1)}" if link.group(1) else link.group(0)
        return Reply(
            f"A query matches words in the news, and {quoted(shown, _ECHO_CHARS)} is a link to "
            "a channel in this chat, not a word to match. Leave it out, or type the word as "
            "plain text, without its #."
        )
    if query and (mention := _MENTION_RE.search(query)) is not None:
        # `@everyone` read as the word "everyone" matched every story saying it: a mention is
        # someone in this chat, never news text. Refused, echoed as text (it pings nobody).
        return Reply(
            f"A query matches words in the news, and {quoted(mention.group(0), _ECHO_CHARS)} is "
            "a mention of someone in this chat, not a word to match. Leave it out, or type the "
            "word without its @."
        )
    existing = channel_store.get_topic(db, slug)
    joined = ""
    if query and not explicit and plain_words(query):
        # `/follow machine learning`: the topic `machine-learning`, as Discord's topic option
        # reads it, whenever that topic exists, even when `machine` exists too: both platforms
        # must follow the same topic for the same words.
        joined = "-".join([slug, *query.lower().split()]).rstrip(SENTENCE_ENDS)
        named = channel_store.get_topic(db, joined) if SLUG_RE.match(joined) else None
        if named is not None:
            slug, query, existing = joined, "", named
        elif existing is None:
            # Ask rather than announce a topic `machine` nobody meant to create.
            valid = joined if SLUG_RE.match(joined) else None
            if slug in RESERVED_TOPIC_NAMES:
                return Reply(_reserved(ctx.platform, slug, valid))
            return Reply(_ambiguous(ctx.platform, slug, query, valid, _known(db)))
        elif not SLUG_RE.match(joined):
            joined = ""
    created = ""
    if query:
        try:
            parsed = TopicQuery.parse(query)
            # The same query typed with curly quotes, other spacing or case is not a change:
            # compare what the queries mean, not their text, so it is neither refused nor
            # announced again.
            changed = existing is None or not _same_query(existing.query, parsed)
            # A lowercase `or` is refused only in a query about to be saved (or shown to an
            # admin as the command that saves it): the topic's own query typed again, as the
            # config file spells it, just follows it.
            if changed and (existing is None or ctx.is_admin):
                check_typed(query)
                # `source:New York Times` is refused where an outlet of that name is known.
                check_source_names(query, _outlets(db))
        except QueryError as exc:
            if exc.too_big:
                # Echoing a pasted thousand-word query back would only bury the reason.
                return Reply(f"That query is too big: {exc.message}.")
            # Which words were read as the name and which as the query: `/follow "x y" OR z`
            # is the topic x-y and the query `OR z`, refused for an OR at its start.
            return Reply(
                f"That query is not valid (topic {slug!r}, query "
                f"{quoted(query, _ECHO_QUERY_CHARS)}):\n```\n{_in_fence(str(exc))}\n```"
            )
        # Topics are shared by every channel: changing one's query is an admin's call, and only
        # when asked for with `query:` (Discord's query option always is): words after a name
        # are too easily the rest of a name, or a guess at the topic's query.
        if existing is not None and changed and not (ctx.is_admin and explicit):
            return Reply(_exists(ctx, slug, existing.query, query, joined))
        if existing is None and slug in RESERVED_TOPIC_NAMES:
            return Reply(_reserved(ctx.platform, slug, None))
        channel = commands.signed_up(channel, ctx)
        # Announce the query only when this created the topic or changed it: repeating the
        # same /follow must not post the same news to the channel again. An unchanged query
        # keeps its stored text (the config's or its creator's spelling).
        if changed:
            channel_store.upsert_topic(
                db,
                slug,
                query,
                title=existing.title if existing else None,
                origin=existing.origin if existing else "chat",
            )
            # Public, so cut: a pasted thousand-word query echoed in full would bury the
            # channel's conversation (/watchlist has the topic's query).
            described = _matching(query, parsed)
            created = f" (matching {described})"
            if existing is not None:
                created = (
                    f" (matching {described}, changed from "
                    f"{literal(existing.query, _ECHO_QUERY_CHARS)} for every channel that "
                    "follows it)"
                )
    elif existing is None:
        if slug in RESERVED_TOPIC_NAMES:
            # "Create it with /follow help …" would be refused in turn.
            return Reply(_reserved(ctx.platform, slug, None))
        return Reply(
            f"There is no topic {slug!r}. Create it with a query, e.g. "
            f"{_follow_command(ctx.platform, slug, _EXAMPLE_QUERY)}. Known topics: {_known(db)}"
        )
    else:
        channel = commands.signed_up(channel, ctx)
    added = channel_store.follow(db, channel.id, slug)
    # A topic followed in a paused channel brings nothing until the pause is lifted.
    paused = f"\n{note}" if (note := paused_note(channel)) else ""
    if not added and not created:
        return Reply(f"This channel already follows {slug}.{paused}")
    note = _lookalike_note(query) + _source_note(query, db) if created else ""
    return Reply(f"This channel now follows {slug}{created}.{note}{paused}", ephemeral=False)


def _matching(query: str, parsed: TopicQuery) -> str:
    """A saved query for /follow's confirmation: as typed, as /watchlist lists it (its reading
    alone showed "Łódź" as "lodz", as if the accents were lost), then its reading when that
    says more than case and accents do: `chip wafer` read as `chip AND wafer`, `C++` as `c`."""
    typed = literal(query, _ECHO_QUERY_CHARS)
    read = parsed.describe()
    if fold(" ".join(query.split())) == fold(read):
        return typed
    return f"{typed}, read as {literal(read, _ECHO_QUERY_CHARS)}"


def _lookalike_note(query: str) -> str:
    """A word of the saved query written as another engine's operator (NEAR), said to be a word
    (`bot.topics.saved.operator_note`: `topics add` says the same)."""
    note = operator_note(query, literal)
    return f" Note: {note}" if note else ""


def _outlets(db: sqlite_utils.Database) -> KnownOutlets:
    return KnownOutlets.of(feed_store.known_outlets(db))


def _source_note(query: str, db: sqlite_utils.Database) -> str:
    """A `source:` naming no outlet of the feeds here, with the closest (a feed may come)."""
    return "".join(f" Note: {n}." for n in source_notes(query, _outlets(db), literal))


def _reserved(platform: str, slug: str, joined: str | None) -> str:
    """Why no topic may be named `slug` (RESERVED_TOPIC_NAMES), with a name that can be."""
    other = joined or f"{slug}-topic"
    create = _follow_command(platform, other, "<query>", marked=True)
    return (
        f"{slug!r} cannot be a topic name: `/follow {slug}` and `/unfollow {slug}` show how to "
        f"use those commands. Pick another name, such as {other!r}: {create}"
    )


def _exists(ctx: CommandContext, slug: str, stored: str, query: str, joined: str) -> str:
    """Why `/follow <slug> <query>` left the existing topic `slug` as it is, and the commands
    that do what was likely meant. `joined`: the words read as one new topic name, if valid."""
    follow_it = _follow_command(ctx.platform, slug)
    text = f"The topic {slug!r} already exists ({literal(stored)})"
    if ctx.admin_unknown:
        # A real admin told "only admins can…" would think the bot's config had changed.
        text += (
            f"; I could not check whether you are an admin just now: "
            f"{ctx.platform.capitalize()} did not answer, so its query was not changed; please "
            f"try again in a minute. Follow it as it is with {follow_it}"
        )
    elif not ctx.is_admin:
        text += f"; only admins can change its query. Follow it as it is with {follow_it}"
    else:
        change = _follow_command(ctx.platform, slug, _query_to_copy(query), marked=True)
        text += (
            f"; its query was not changed. Follow it as it is with {follow_it}, or change its "
            f"query for every channel that follows it by marking the new one: {change}"
        )
    if joined:
        create = _follow_command(ctx.platform, joined, "<words>", marked=True)
        return text + f". There is no topic {joined!r}; to create it: {create}."
    return text + ("." if ctx.is_admin else ", or pick a new name.")


def _same_query(stored: str, parsed: TopicQuery) -> bool:
    """Whether the stored query text means what `parsed` does (same tree after parsing)."""
    try:
        return TopicQuery.parse(stored).root == parsed.root
    except QueryError:
        # A stored query that no longer parses cannot be the one just typed, which did.
        return False


def _known(db: sqlite_utils.Database) -> str:
    return ", ".join(t.slug for t in channel_store.list_topics(db)) or "none yet"


def _bad_name(typed: str, slug: str) -> str:
    """Why `slug` (the name `typed`, as /follow reads it) is not a topic name, in SLUG_RE's
    terms; an accented name gets its folded form (`café`: `cafe`) to copy."""
    if len(slug) > MAX_SLUG:
        # Not echoed: a pasted paragraph would bury the one thing to fix.
        return f"Topic names are at most {MAX_SLUG} characters long; that one has {len(slug)}."
    shown = quoted(typed, _ECHO_CHARS)
    text = f"Topic names use only a-z, 0-9 and '-', at most {MAX_SLUG} characters: {shown}"
    folded = fold(slug)
    # Accented letters fold into a name ("café" is "cafe"); a '+' or '_' would just vanish
    # ("c++" is not "c"), so for those the rule alone is the answer.
    # Combining marks count as letters' accents: "cafe\u0301" and "İstanbul" (lowercased, an i
    # and a combining dot) fold as "café" does.
    letters = all(c.isalnum() or c == "-" or unicodedata.combining(c) for c in slug)
    if folded != slug and SLUG_RE.match(folded) and letters:
        return text + f". Did you mean {folded}?"
    # Punctuation between words ("Floods & Disasters"): the words alone make a name. Not for a
    # name whose only difference is a '+' or '_' ("c++", "my_topic"): dropping it names another
    # topic, so the rule alone is the answer there.
    usable = "-".join(re.findall(r"[a-z0-9]+", folded))
    if (
        usable
        and SLUG_RE.match(usable)
        and len(usable.split("-")) > 1
        and not set("+_") & set(slug)
    ):
        text += f". To follow it under a name of those words: {usable}"
    return text


# A mention in a query: `@everyone`, `@here`, `@name` as Slack's markup arrives unwrapped
# (`bot.adapters.slack.command_text`), or Discord's `<@123>`, `<@&123>` as typed
# there. Not an address's @ (`desk@example.com`).
# A channel link, as both platforms send it: Slack's `<#C1|name>` (the name, if any, captured) or
# `<#C1>`, Discord's `<#123>`.
_CHANNEL_LINK_RE = re.compile(r"<#[^<>|]*(?:\|([^<>]*))?>")
_MENTION_RE = re.compile(r"(?<![\w@])@[^\s\"'()«»‹›“”]+|<[@#!][^<>]*>")


def _ambiguous(platform: str, slug: str, query: str, joined: str | None, known: str) -> str:
    """Both readings of `/follow <new-word> <words>`, each as a command that does it."""
    text = f"There is no topic {slug!r}" + (f" or {joined!r}" if joined else "")
    text += (
        f". Known topics: {known}. To create {slug!r} matching {literal(query, _ECHO_QUERY_CHARS)}"
        ", mark the query: " + _follow_command(platform, slug, _query_to_copy(query), marked=True)
    )
    if joined:
        create = _follow_command(platform, joined, "<words>", marked=True)
        text += f" (or, to create {joined!r}: {create})"
    return text + "."


# A typed name quoted back in full up to this length (topic names are at most MAX_SLUG).
_ECHO_CHARS = MAX_SLUG + 1
# A typed query quoted back in full up to this length: a real query fits, and a pasted
# paragraph echoed in a hint, twice, would bury the hint.
_ECHO_QUERY_CHARS = 200


def _query_to_copy(query: str) -> str:
    """`query` for a command to copy: in full when it is short enough to echo (a cut one would
    be another query), else a placeholder for it."""
    return literal(query) if len(query) <= _ECHO_QUERY_CHARS else "<your query>"


def _in_fence(text: str) -> str:
    """`text` safe inside a ``` code block on Slack and Discord: a ``` of its own would close the
    block and let the rest format. Inside the block nothing else formats, so the backticks get
    the look-alike `ˋ` (one column each: the caret under the query stays in line). The typed
    query's control characters and bidi overrides (which would reorder the line it is echoed on)
    go as the console's code lines lose them (`preformatted`), its columns kept."""
    lines = [preformatted(line) for line in text.splitlines()]
    return "\n".join(lines).replace("`", "ˋ")


_EXAMPLE_QUERY = '"some phrase" OR keyword'


def suggested_topic(slug: str) -> str:
    """A new topic's name to start from, for a card's "Follow topic" button: the first words of
    the story's slug (Discord's form fills it in, Slack's answer names it)."""
    return "-".join(slug.split("-")[:3])[:MAX_SLUG].strip("-")


def new_topic_hint(platform: str, slug: str) -> str:
    """The answer to a card's "Follow topic" button where it opens no form (Slack): the /follow
    to type for a topic named after the story."""
    command = _follow_command(platform, suggested_topic(slug), _EXAMPLE_QUERY, marked=True)
    return (
        "That story matches no topic this channel could follow yet. To follow stories like it, "
        f"create one, naming what it matches: `{command}`"
    )


def _follow_command(platform: str, slug: str, query: str = "", *, marked: bool = False) -> str:
    """A `/follow` command as the user's platform takes it, for hints to copy. Discord's
    /follow has named options (a query there is always marked as one); Slack and the console
    take one line, where plain words need `query:` (`marked`) to be read as a query."""
    if platform == "discord":
        return f"/follow topic:{slug}" + (f" query:{query}" if query else "")
    if not query:
        return f"/follow {slug}"
    return f"/follow {slug} query: {query}" if marked else f"/follow {slug} {query}"


async def unfollow(
    commands: Commands, args: str, ctx: CommandContext, channel: ChannelRow
) -> Reply:
    db = commands.core.db
    # The name as `/follow` reads it (words joined by '-', stray hyphens dropped), so
    # `/unfollow machine learning` finds the `machine-learning` that `/follow` created.
    name, after = unquoted_name(without_topic_option(args))
    slug = topic_slug(db, name)
    if not slug:
        raise UsageError("Which topic?")
    if after:
        # Words after a quoted name were dropped, and the quoted topic unfollowed as if they
        # had not been typed: refused, naming the topic the quotes gave, to unfollow on purpose.
        option = "topic:" if ctx.platform == "discord" else ""
        raise UsageError(
            f"/unfollow takes one topic, and {quoted(after, _ECHO_CHARS)} came after the quoted "
            f"name {quoted(name, _ECHO_CHARS)}. To unfollow that topic: "
            + code(f"/unfollow {option}{slug}", _ECHO_CHARS + 20)
        )
    # An unsaved channel (id 0) follows nothing, so this never needs to create its row.
    if not channel_store.unfollow(db, channel.id, slug):
        following = ", ".join(t.slug for t in channel_store.channel_topics(db, channel.id))
        if not following:
            return Reply(
                f"This channel follows no topics, so it does not follow "
                f"{quoted(slug, _ECHO_CHARS)}."
            )
        return Reply(
            f"This channel does not follow {quoted(slug, _ECHO_CHARS)} (it follows: {following})."
        )
    text = f"This channel no longer follows {slug}."
    if not channel_store.channel_topics(db, channel.id):
        # No topics is no filter, not an empty digest: the channel widens to every story, which
        # must not come as a surprise (the CLI's `topics remove` warns likewise).
        text += (
            " It follows no topics now, so every story with at least "
            f"{plural(channel.min_sources, 'independent source')} will be posted"
            # A paused channel posts nothing now: "will be posted" is a promise for later.
            + (" once posting resumes" if channel.paused_reason else "")
            + "; /follow a topic to narrow it."
        )
    return Reply(text, ephemeral=False)
