"""/story: one story's full breakdown, found by slug, old slug, article link or words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.base import Reply, UsageError
from bot.render.literal import quoted
from bot.store import stories as story_store
from bot.topics.lookup import article_url, exact_forms, query_text, slugify

if TYPE_CHECKING:
    from bot.commands.core import Commands

# How much of the words typed a reply quotes back: enough to recognise them. A pasted page
# echoed in full buried the answer (and took three messages on Discord).
_ECHO_CHARS = 60


async def story(commands: Commands, args: str) -> Reply:
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
        notes.append(_alias_note(commands, args, found.story.aliases, row.slug, row.id))
    if found.suggestions:
        # The answer is the best match, not the only one: name the others it beat. Slugs only:
        # the card is posted for the channel, and the words typed are anybody's.
        notes.append(f"Also matching: {names} (`/story <slug>` for one of them)")
    return Reply(
        text=card.headline, ephemeral=False, cards=[card], full=True, see_also=". ".join(notes)
    )


def _alias_note(
    commands: Commands, typed: str, aliases: tuple[str, ...], slug: str, story_id: str
) -> str:
    """Why `/story <old name>` shows a story of another slug: the old one was merged into it, or
    was its own earlier name. Only a name the store holds is repeated (the card is public)."""
    forms = {*exact_forms(typed), slugify(query_text(typed))}
    alias = next((a for a in aliases if a in forms or slugify(a) in forms), None)
    if alias is None:
        return f"Shown under its current name, `{slug}`"
    db = commands.core.db
    if story_store.was_merged(db, alias):
        return f"`{alias}` was merged into `{slug}`, the story shown above"
    if story_store.absorbed_any(db, story_id):
        # The earlier name of this story or of one merged into it: the store cannot tell which.
        return f"`{alias}` is an earlier name; it now leads to `{slug}`, the story shown above"
    return f"`{alias}` is an earlier name of `{slug}`"
