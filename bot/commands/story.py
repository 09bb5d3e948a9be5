"""/story: one story's full breakdown, found by slug, old slug, article link or words."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.commands.base import Reply, UsageError
from bot.render.literal import quoted
from bot.render.old_names import old_name_line
from bot.store import story_names
from bot.topics.lookup import article_url

if TYPE_CHECKING:
    from bot.commands.core import Commands
    from bot.store.stories import StoryRow

# How much of the words typed a reply quotes back: enough to recognise them. A pasted page
# echoed in full buried the answer (and took three messages on Discord).
_ECHO_CHARS = 60


# What people paste or type before a story's name: the command again, from a card's footer
# ("/story kestrel-2-moon"), or Discord's option name (`query:`; `story:` of /watchlist mute).
_PASTED_RE = re.compile(r"^(?:/story\s+|(?:query|story):\s*)+", re.IGNORECASE)
# The rest of a Discord card's footer after the slug: " · ref <story id>".
_FOOTER_REF_RE = re.compile(r"\s+·\s+ref\s+\S+$")


def typed_story(args: str) -> str:
    """The story named in `args`, without a command or option name pasted or typed before it."""
    return _FOOTER_REF_RE.sub("", _PASTED_RE.sub("", args.strip())).strip()


async def story(commands: Commands, args: str) -> Reply:
    args = typed_story(args)
    if not args:
        raise UsageError("Which story?")
    found = await commands.core.find_story_async(args)
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
    card = await commands.core.card_async(row)
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
