"""/story: one story's full breakdown, found by slug, old slug, article link or words."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from bot.commands.base import Reply, UsageError
from bot.pipeline.digest import first_matching
from bot.render.literal import quoted
from bot.render.old_names import old_name_line
from bot.store import channels as channel_store
from bot.store import story_names
from bot.textutil import content_words
from bot.topics.answers import askable
from bot.topics.corpus import inflected, slugify, titles_of
from bot.topics.lookup import StoryRef, article_url

if TYPE_CHECKING:
    from bot.commands.core import Commands
    from bot.store.channels import ChannelRow
    from bot.store.stories import StoryRow

# How much of the words typed a reply quotes back: enough to recognise them. A pasted page
# echoed in full buried the answer (and took three messages on Discord).
_ECHO_CHARS = 60


# What people paste or type before a story's name: the command again, from a card's footer
# ("/story kestrel-2-moon"), or Discord's option name (`query:`; `story:` of /watchlist mute).
_PASTED_RE = re.compile(r"^(?:/story\s+|(?:query|story):\s*)+", re.IGNORECASE)
# The rest of a Discord card's footer after the slug: " · ref <story id>".
_FOOTER_REF_RE = re.compile(r"\s+·\s+ref\s+\S+$")
# A "did you mean" for a query no story has: a typed word counts as a typo of a story's word
# only when long (one letter off "thing" is "think", another word) and nearly the same.
_TYPO_WORD = 7
_TYPO_RATIO = 0.85
# A whole slug typed with a slip ("harbour-fire-spreds").
_TYPO_SLUG_RATIO = 0.8


def typed_story(args: str) -> str:
    """The story named in `args`, without a command or option name pasted or typed before it."""
    return _FOOTER_REF_RE.sub("", _PASTED_RE.sub("", args.strip())).strip()


async def story(commands: Commands, args: str, channel: ChannelRow | None = None) -> Reply:
    args = typed_story(args)
    if not args:
        raise UsageError("Which story?")
    found = await commands.core.find_story_async(args)
    if found.story is None and found.reason == "none":
        found.suggestions = close_suggestions(args, found.suggestions)
    shown = quoted(args, _ECHO_CHARS)
    names = ", ".join(f"`{s.slug}`" for s in found.suggestions)
    if found.story is None:
        if found.reason == "unusable":
            # "the" or "🚀🚀": nothing was searched, so the newest stories are no guess at what
            # was meant; they are offered as what they are.
            recent = f" Recent stories: {names}." if names else ""
            return Reply(
                f"No story matches {shown}: it has no word to search for. Give a story's slug "
                f"or a few words from its headline.{recent}"
            )
        if article_url(args) is not None:
            return Reply(
                f"No story holds the article at {shown}: the bot has not read it, or no longer "
                "keeps it. Try a few words from its headline."
            )
        if found.suggestions:
            verb = (
                "matches several stories"
                if found.reason == "ambiguous"
                else "is not a story I know"
            )
            return Reply(f"{shown} {verb}. Did you mean: {names}?")
        return Reply(f"No story matches {shown}. Try a few words from its headline.")
    row = commands.core.story(found.story.story_id)
    if row is None:
        return Reply(f"No story matches {shown}.")
    card = await commands.core.card_async(row, now=commands.clock())
    if channel is not None:
        card.follow_topics = follow_offer(commands, row, channel)
    notes = []
    if found.reason == "alias":
        notes.append(_alias_note(commands, args, found.story.aliases, row, card.source_count))
    if found.suggestions:
        # The answer is the best match, not the only one: name the others it beat. Slugs only:
        # the card is posted for the channel, and the words typed are anybody's.
        notes.append(f"Also matching: {names} (`/story <slug>` for one of them)")
    return Reply(
        text=card.headline, ephemeral=False, cards=[card], full=True, see_also=". ".join(notes)
    )


def _alias_note(
    commands: Commands, typed: str, aliases: tuple[str, ...], row: StoryRow, sources: int
) -> str:
    """Why `/story <old name>` shows a story of another slug, in one line: what the old name
    went through, rename by rename and merge by merge, and the card's count of sources. Only
    names the store holds are repeated (the card is public), never the words typed."""
    return old_name_line(
        story_names.typed_history(commands.core.db, typed, aliases),
        story_id=row.id,
        slug=row.slug,
        sources=sources,
        code=lambda slug: f"`{slug}`",
        now=commands.clock(),
    )


def close_suggestions(typed: str, suggestions: list[StoryRef]) -> list[StoryRef]:
    """The "did you mean" stories that share a word with what was typed: those sharing the most
    of its words, else those with a long word or the whole slug nearly as typed. The lookup's
    own picks went by edit distance over short words too, and offered "think-light" for
    "nonexistent-thing", or three unrelated stories after the one "jesse jackson death" named."""
    wanted = content_words(typed)
    key = slugify(typed)
    shared: list[tuple[int, StoryRef]] = []
    typos: list[StoryRef] = []
    for ref in suggestions:
        have = set(content_words(" ".join([ref.headline, *titles_of(ref)])))
        have |= {w for w in ref.slug.split("-") if w}
        common = sum(1 for w in wanted if not inflected(w).isdisjoint(have))
        if common:
            shared.append((common, ref))
        elif _typo_of(wanted, have) or (
            key and difflib.SequenceMatcher(None, key, ref.slug).ratio() >= _TYPO_SLUG_RATIO
        ):
            typos.append(ref)
    if shared:
        most = max(common for common, _ in shared)
        return [ref for common, ref in shared if common == most]
    return typos


def _typo_of(wanted: list[str], have: set[str]) -> bool:
    return any(
        difflib.SequenceMatcher(None, w, h).ratio() >= _TYPO_RATIO
        for w in wanted
        if len(w) >= _TYPO_WORD
        for h in have
        if abs(len(h) - len(w)) <= 2
    )


def follow_offer(commands: Commands, row: StoryRow, channel: ChannelRow) -> list[str]:
    """The topic the card's Follow button offers in `channel`, as a posted card offers it
    (`bot.runner.cards`): the first by name that matches the story and the channel does not
    follow. Without it `/story` always showed "Follow topic" where the posted card of the same
    story showed "Follow floods"."""
    db = commands.core.db
    followed = (
        {t.slug for t in channel_store.channel_topics(db, channel.id)} if channel.id else set()
    )
    every = channel_store.topics_and_followed(db)
    anyone = [t for t, followed_somewhere in every if followed_somewhere]
    others = [t for t, _ in every if t.slug not in followed]
    if not others:
        return []
    offer = first_matching(
        others,
        commands.core.story_members(row.id),
        row.headline,
        also=askable(t.query for t in anyone),
        names={t.query: t.slug for t in anyone},
    )
    return [offer] if offer is not None else []
