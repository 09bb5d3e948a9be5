"""The application (slash) commands: the same six as on Slack, shaped for Discord.

Each callback turns its options back into the argument string the core parses (`/watchlist
schedule weekdays 09:00` on Slack is `/watchlist schedule when:weekdays 09:00` here) and hands it
to the client's `CommandRunner`. Discord cannot invoke a command that has subcommands, so the
bare `/watchlist` of Slack is `/watchlist show`.
"""

from __future__ import annotations

import logging
import shlex
from typing import Any, Literal

import aiohttp
import discord
from discord import app_commands

from bot.adapters.discord.interactions import CommandRunner
from bot.adapters.discord.webhook import follow_up_session
from bot.commands.base import straight_quotes

log = logging.getLogger(__name__)
Choices = list[app_commands.Choice[str]]


def _runner(interaction: discord.Interaction[Any]) -> CommandRunner:
    return interaction.client.runner


class NewsTree(app_commands.CommandTree[Any]):
    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        # The core already turns its own failures into a polite reply; this is the adapter's.
        log.error("Discord command failed", exc_info=error)
        text = "Sorry, that command failed on our side. The bot's logs have the details."
        try:
            if interaction.response.is_done():
                # Through the session that does not resend on a 5xx: an apology posted twice
                # is worse than one that may not have arrived (see webhook.py).
                async with follow_up_session() as session:
                    hook = interaction.followup
                    hook.session = session
                    await hook.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError, OSError):
            # A 5xx through the no-resend session is MaybePosted, an aiohttp error.
            log.warning("could not tell the user about the failure", exc_info=True)


async def _run(interaction: discord.Interaction[Any], command: str, args: str = "") -> None:
    await _runner(interaction).run(interaction, command, args)


def build_tree(client: discord.Client) -> NewsTree:
    tree = NewsTree(client)

    @tree.command(name="story", description="A story's full breakdown")
    @app_commands.describe(
        query="Story slug, the start of it, words from its headline, or an article's link"
    )
    @app_commands.guild_only()
    async def story(interaction: discord.Interaction[Any], query: str) -> None:
        await _run(interaction, "story", query)

    @story.autocomplete("query")
    async def story_query(interaction: discord.Interaction[Any], current: str) -> Choices:
        return _runner(interaction).story_choices(current)

    @tree.command(
        name="follow",
        description="Follow a topic in this channel (with a query: create or change it)",
    )
    @app_commands.describe(
        topic="Topic name: lowercase letters, digits and '-'",
        query='Optional query, e.g. "chip export" OR semiconductor',
    )
    @app_commands.guild_only()
    async def follow(
        interaction: discord.Interaction[Any], topic: str, query: str | None = None
    ) -> None:
        # One option is one topic name: spaces typed into it become '-', never a query. The
        # query option is marked as one, so plain words in it are never read as a topic name.
        slug = "-".join(topic.split())
        # Quoted already, curly quotes too (macOS and iOS type “machine learning”): as typed.
        if len(topic.split()) > 1 and not set(straight_quotes(topic)) & set("\"'"):
            # In quotes, the name reaches the core as typed, which a refusal then quotes back
            # ("Floods & Disasters", not "Floods-&-Disasters"); it joins the words as above.
            slug = f'"{topic.strip()}"'
        query = (query or "").strip()
        await _run(interaction, "follow", f"{slug} query: {query}" if query else slug)

    @follow.autocomplete("topic")
    async def follow_topic(interaction: discord.Interaction[Any], current: str) -> Choices:
        return _runner(interaction).topic_choices(current)

    @tree.command(name="unfollow", description="Stop following a topic in this channel")
    @app_commands.describe(topic="A topic this channel follows")
    @app_commands.guild_only()
    async def unfollow(interaction: discord.Interaction[Any], topic: str) -> None:
        await _run(interaction, "unfollow", "-".join(topic.split()))

    @unfollow.autocomplete("topic")
    async def unfollow_topic(interaction: discord.Interaction[Any], current: str) -> Choices:
        return _runner(interaction).followed_topic_choices(interaction, current)

    @tree.command(name="digest", description="Post this channel's digest now")
    @app_commands.guild_only()
    async def digest(interaction: discord.Interaction[Any]) -> None:
        await _run(interaction, "digest")

    tree.add_command(_watchlist_group())
    tree.add_command(_feeds_group())
    return tree


def _watchlist_group() -> app_commands.Group:
    group = app_commands.Group(
        name="watchlist", description="This channel's topics and settings", guild_only=True
    )

    @group.command(name="show", description="This channel's topics and settings")
    async def show(interaction: discord.Interaction[Any]) -> None:
        await _run(interaction, "watchlist")

    @group.command(name="schedule", description="When digests are posted")
    @app_commands.describe(when="e.g. 'weekdays 09:00 Europe/Berlin', 'daily 8:30', or cron")
    async def schedule(interaction: discord.Interaction[Any], when: str) -> None:
        await _run(interaction, "watchlist", f"schedule {when}")

    @group.command(name="timezone", description="The channel's time zone (the schedule is kept)")
    @app_commands.describe(zone="e.g. Europe/Berlin or America/New_York; a city finds its zone")
    async def timezone(interaction: discord.Interaction[Any], zone: str) -> None:
        # As typed, as Slack passes it: the core's split reads its quotes (quoted here as well,
        # a value typed in quotes came back "got ''22:00-07:00''").
        await _run(interaction, "watchlist", f"timezone {zone.strip()}")

    @timezone.autocomplete("zone")
    async def timezone_zone(interaction: discord.Interaction[Any], current: str) -> Choices:
        return _runner(interaction).zone_choices(current)

    @group.command(name="mode", description="Digest on the schedule, or instant as stories break")
    async def mode(
        interaction: discord.Interaction[Any], mode: Literal["digest", "instant"]
    ) -> None:
        await _run(interaction, "watchlist", f"mode {mode}")

    @group.command(name="min-sources", description="Independent sources a story needs to be posted")
    async def min_sources(
        interaction: discord.Interaction[Any], count: app_commands.Range[int, 1, 50]
    ) -> None:
        await _run(interaction, "watchlist", f"min-sources {count}")

    @group.command(name="digest-size", description="Cards in a digest (0: the default)")
    async def digest_size(
        interaction: discord.Interaction[Any], cards: app_commands.Range[int, 0, 50]
    ) -> None:
        await _run(interaction, "watchlist", f"digest-size {cards}")

    @group.command(name="quiet", description="Hours without posts, e.g. 22:00-07:00, or 'off'")
    async def quiet(interaction: discord.Interaction[Any], hours: str) -> None:
        await _run(interaction, "watchlist", f"quiet {hours.strip()}")

    @group.command(name="mute", description="No more posts or updates about a story here")
    @app_commands.describe(story="The story's slug, as its card shows it")
    async def mute(interaction: discord.Interaction[Any], story: str) -> None:
        await _run(interaction, "watchlist", f"mute {story.strip()}")

    @mute.autocomplete("story")
    async def mute_story(interaction: discord.Interaction[Any], current: str) -> Choices:
        return _runner(interaction).story_choices(current)

    @group.command(name="unmute", description="Posts and updates about a muted story again")
    @app_commands.describe(story="A story muted in this channel (/watchlist show lists them)")
    async def unmute(interaction: discord.Interaction[Any], story: str) -> None:
        await _run(interaction, "watchlist", f"unmute {story.strip()}")

    @unmute.autocomplete("story")
    async def unmute_story(interaction: discord.Interaction[Any], current: str) -> Choices:
        return _runner(interaction).muted_story_choices(interaction, current)

    @group.command(name="pause", description="Stop posting here until /watchlist resume")
    async def pause(interaction: discord.Interaction[Any]) -> None:
        await _run(interaction, "watchlist", "pause")

    @group.command(name="resume", description="Resume posting after the channel was paused")
    async def resume(interaction: discord.Interaction[Any]) -> None:
        await _run(interaction, "watchlist", "resume")

    return group


def _feeds_group() -> app_commands.Group:
    group = app_commands.Group(
        name="feeds",
        description="The feeds the bot polls (adding and removing needs Manage Server or the admin role)",
        guild_only=True,
    )

    @group.command(name="list", description="The feeds and their health")
    async def list_(interaction: discord.Interaction[Any]) -> None:
        await _run(interaction, "feeds", "list")

    @group.command(name="add", description="Add a feed (Manage Server or the admin role)")
    @app_commands.describe(url="An http(s) RSS or Atom feed URL")
    async def add(interaction: discord.Interaction[Any], url: str) -> None:
        await _run(interaction, "feeds", f"add {shlex.quote(url.strip())}")

    @group.command(name="remove", description="Remove a feed (Manage Server or the admin role)")
    @app_commands.describe(feed="The feed's URL or id")
    async def remove(interaction: discord.Interaction[Any], feed: str) -> None:
        await _run(interaction, "feeds", f"remove {shlex.quote(feed.strip())}")

    @remove.autocomplete("feed")
    async def remove_feed(interaction: discord.Interaction[Any], current: str) -> Choices:
        runner = _runner(interaction)
        return runner.feed_choices(current, whole=runner.is_admin(interaction))

    return group
