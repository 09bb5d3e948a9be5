"""The buttons under a story card, as the core lists them (`StoryCard.actions`) for every
platform: "Full breakdown", "Follow <topic>" or "Follow topic" (a form here), "Mute story".

They are dynamic items: the state lives in the custom id (`nd:full:<slug>`), so a button on a
card posted last week still works after a restart without the bot remembering any view. Each
custom id is unique within a message, as Discord requires: a follow button's names its card's
story too, as several cards of one message may offer the same topic. Every
click becomes a core command (`/story <slug>`, `/follow <topic> [query]`, or the mute Slack's
button makes) through the bot's `CommandRunner`; nothing here decides anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol, Self

import discord

from bot.adapters.discord.escape import fit
from bot.cards import BREAKDOWN, FOLLOW, MUTE, NEW_TOPIC, StoryCard
from bot.commands.topics import suggested_topic
from bot.config_entries import MAX_SLUG
from bot.render.text import clean

CUSTOM_ID_LIMIT = 100
LABEL_LIMIT = 80
ROWS_PER_MESSAGE = 5
# Story slugs of non-Latin stories keep their own letters ("банк-россии"), so any script.
_SLUG = r"[^\W_][\w-]*"


class Runner(Protocol):
    async def run(
        self, interaction: discord.Interaction[Any], command: str, args: str, *, private: bool
    ) -> None: ...

    async def mute(self, interaction: discord.Interaction[Any], story_id: str) -> None: ...


def _runner(interaction: discord.Interaction[Any]) -> Runner:
    # The client built in bot.py carries the runner; buttons never see the core directly.
    return interaction.client.runner


def _custom_id(prefix: str, value: str) -> str:
    value = re.sub(r"[^\w-]|_", "-", value.lower()).strip("-") or "x"
    return (prefix + value)[:CUSTOM_ID_LIMIT].rstrip("-")


def _button(
    prefix: str, value: str, label: str, style: discord.ButtonStyle = discord.ButtonStyle.secondary
) -> discord.ui.Button[Any]:
    """A card's button, its one value written after `prefix` in its custom id."""
    return discord.ui.Button(
        label=fit(label, LABEL_LIMIT), style=style, custom_id=_custom_id(prefix, value)
    )


class _FromCustomId:
    """Mixed into each card button ahead of `discord.ui.DynamicItem`, which wants every button's
    own `template` and so cannot be their shared base: a click's custom id rebuilds the button
    from its template's one group, the value the button's `__init__` takes first."""

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        # Each button's own __init__ (value, label=its default); this mixin has none.
        return cls(match[1])  # type: ignore[call-arg]


class FullBreakdownButton(
    _FromCustomId,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"nd:full:(?P<slug>{_SLUG})",
):
    def __init__(self, slug: str, label: str = "Full breakdown") -> None:
        super().__init__(_button("nd:full:", slug, label, discord.ButtonStyle.primary))
        self.slug = slug

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        # Shown only to whoever clicked: a breakdown per click would flood the channel.
        await _runner(interaction).run(interaction, "story", self.slug, private=True)


class FollowTopicButton(
    _FromCustomId,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"nd:follow:(?P<topic>{_SLUG})(?::(?P<story>{_SLUG}))?",
):
    """Follow a topic the card already matched. Its custom id names the card's story after the
    topic (`nd:follow:<topic>:<story id>`): Discord refuses a whole message (400) whose
    buttons repeat a custom id, and two cards of a /digest reply may offer the same topic. A
    button posted before, `nd:follow:<topic>`, still follows its topic."""

    def __init__(
        self, topic: str, label: str | None = None, *, story_id: str | None = None
    ) -> None:
        button = _button("nd:follow:", topic, label or f"Follow {clean(topic)}")
        if story_id:
            button.custom_id = _custom_id(f"{button.custom_id}:", story_id)
        super().__init__(button)
        self.topic = topic

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        # The story only kept the id unique: the click follows the topic, whichever card.
        return cls(match["topic"], story_id=match["story"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _runner(interaction).run(interaction, "follow", self.topic, private=False)


class MuteStoryButton(
    _FromCustomId,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"nd:mute:(?P<story>{_SLUG})",
):
    """No more posts or updates about the card's story in this channel, as Slack's Mute story
    button (`bot.commands.mutes.mute_clicked`): by the story's id, which a merge or a new slug
    leaves valid, and never signing the channel up."""

    def __init__(self, story_id: str, label: str = "Mute story") -> None:
        super().__init__(_button("nd:mute:", story_id, label))
        self.story_id = story_id

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _runner(interaction).mute(interaction, self.story_id)


class NewTopicButton(
    _FromCustomId,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"nd:newtopic:(?P<slug>{_SLUG})",
):
    """The card has no topic to offer this channel: ask for a topic name and query, then /follow."""

    def __init__(self, slug: str, label: str = "Follow topic") -> None:
        super().__init__(_button("nd:newtopic:", slug, label))
        self.slug = slug

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(FollowModal(self.slug))


class FollowModal(discord.ui.Modal, title="Follow a topic"):
    topic: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Topic name (lowercase, digits, '-')", max_length=MAX_SLUG, min_length=1
    )
    query: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Query",
        placeholder='"lighthouse grant" OR beacon',
        style=discord.TextStyle.paragraph,
        max_length=500,
        required=False,
    )

    def __init__(self, slug: str) -> None:
        super().__init__()
        # A starting point only: the first words of the story's slug.
        self.topic.default = suggested_topic(slug)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        # As the /follow options: spaces in the name become '-', the query is marked as one.
        slug, query = "-".join(self.topic.value.split()), self.query.value.strip()
        args = f"{slug} query: {query}" if query else slug
        await _runner(interaction).run(interaction, "follow", args, private=False)


def card_buttons(
    card: StoryCard, *, named: bool = False, full: bool = False
) -> list[discord.ui.Item[Any]]:
    """The card's buttons (`StoryCard.actions`; `full`: under its breakdown, which has no
    "Full breakdown"); `named`: under a message of several cards, the breakdown button says
    which story it opens, as Discord puts every card's row under the last embed. A number would
    not: the embeds carry none, and their angles are numbered, so "2. Full breakdown" read as
    the second angle's."""
    items: list[discord.ui.Item[Any]] = []
    for action in card.actions(full=full):
        if action.kind == BREAKDOWN:
            label = action.label
            if named:
                label = f"{label}: {clean(card.headline) or card.slug}"  # the button fits it to 80
            items.append(FullBreakdownButton(action.value, label=label))
        elif action.kind == FOLLOW:
            items.append(
                FollowTopicButton(action.value, label=action.label, story_id=card.story_id)
            )
        elif action.kind == NEW_TOPIC:
            items.append(NewTopicButton(action.value, label=action.label))
        elif action.kind == MUTE:
            items.append(MuteStoryButton(action.value, label=action.label))
    return items


def card_view(cards: Sequence[StoryCard], *, full: bool = False) -> discord.ui.View:
    """One row of buttons per card (at most five rows fit under a message)."""
    view = discord.ui.View(timeout=None)
    several = len(cards) > 1
    for row, card in enumerate(cards[:ROWS_PER_MESSAGE]):
        for item in card_buttons(card, named=several, full=full):
            item.row = row
            view.add_item(item)
    return view


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    FullBreakdownButton,
    FollowTopicButton,
    NewTopicButton,
    MuteStoryButton,
)
