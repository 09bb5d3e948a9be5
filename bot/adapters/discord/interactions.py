"""From a Discord interaction to `Commands.dispatch` and from its `Reply` back to Discord.

Only translation lives here: who is asking (channel, user, admin or not), when to defer so
Discord's 3-second window never lapses, and how a Reply becomes messages (content, embeds,
buttons) within Discord's limits. What a command does is decided by `bot.commands.core`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord

from bot.adapters.discord.channel_access import cannot_post
from bot.adapters.discord.embeds import card_embeds
from bot.adapters.discord.errors import GARBLED, PLATFORM, garbled, maybe_posted
from bot.adapters.discord.errors import UNKNOWN_INTERACTION as EXPIRED
from bot.adapters.discord.escape import (
    bot_text,
    code_span,
    escape,
    fit,
    link_url,
    neutralize_mentions,
)
from bot.adapters.discord.packing import digest_heading_text, pack_messages, split_content
from bot.adapters.discord.views import ROWS_PER_MESSAGE, card_view
from bot.adapters.discord.webhook import follow_up_session
from bot.commands import choices
from bot.commands.base import ListLine, cut_notice
from bot.commands.core import CommandContext, Commands, Reply
from bot.commands.mutes import click_mute
from bot.config import Config
from bot.render.text import clean

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
# Building cards may call the summariser (and an LLM) synchronously, which would block the
# event loop past Discord's 3 s: these are deferred before any work starts.
DEFER_FIRST = frozenset({"story", "digest"})
# Replies that are public when they succeed; the deferral's visibility is chosen to match.
PUBLIC_ON_SUCCESS = frozenset({"story", "follow", "unfollow", "digest"})
# A long list (129 feeds) came as 18 messages a second apart; past this many it is cut.
MAX_LIST_MESSAGES = 3


@dataclass(slots=True)
class Outgoing:
    content: str | None = None
    embeds: list[discord.Embed] = dataclasses.field(default_factory=list)
    view: discord.ui.View | None = None

    def kwargs(self) -> dict[str, Any]:
        out: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if self.content:
            out["content"] = self.content
        if self.embeds:
            out["embeds"] = self.embeds
        if self.view is not None:
            out["view"] = self.view
        return out


def render_reply(reply: Reply) -> list[Outgoing]:
    """The messages a Reply becomes, first one answering the interaction."""
    if reply.digest is not None:
        return _digest_messages(reply)
    if reply.cards:
        out: list[Outgoing] = []
        for card in reply.cards:
            packed = pack_messages(card_embeds(card, full=reply.full))
            out.append(Outgoing(embeds=packed[0], view=card_view([card], full=reply.full)))
            out += [Outgoing(embeds=embeds) for embeds in packed[1:]]
        if reply.see_also:
            out += [
                Outgoing(content=piece)
                for piece in split_content(neutralize_mentions(reply.see_also))
            ]
        return out
    return [Outgoing(content=piece) for piece in _text_pieces(reply)]


def _text_pieces(reply: Reply) -> list[str]:
    """The reply's text and list lines in at most `MAX_LIST_MESSAGES` messages: a list longer
    than that is cut, the last line saying how many lines were left out and `see_all`."""
    # Reply text is the bot's own (it keeps its markdown) but for the parts a user typed; list
    # lines carry feed titles, server errors and user-written queries: those are escaped.
    text = bot_text(reply.marked)
    bullets = [f"• {_list_line(line)}" for line in reply.lines]
    # The bot's own pointer to what to type next closes the reply, after any cut list.
    hint = [bot_text(reply.hint)] if reply.hint else []
    pieces = split_content("\n".join([text, *bullets, *hint]))
    if len(pieces) <= MAX_LIST_MESSAGES or not bullets:
        # A long text with no list has no lines to leave out: all of it is sent, as before
        # lists were cut ("… and 0 more lines" would cut nothing and say so).
        return pieces

    def cut(kept: int) -> list[str]:
        notice = cut_notice(len(bullets) - kept, reply.see_all)
        return split_content("\n".join([text, *bullets[:kept], notice, *hint]))

    # The most lines that fit, by bisection: each try splits the whole text once.
    low, high = 0, len(bullets) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if len(cut(middle)) <= MAX_LIST_MESSAGES:
            low = middle
        else:
            high = middle - 1
    return cut(low)


def _list_line(line: ListLine) -> str:
    """Text and note escaped with their addresses broken; the line's own address whole, in
    `<...>` (clickable, no preview) so it can be copied into /feeds remove as it is."""
    target = link_url(line.url)
    shown = f"<{target}>" if target else code_span(line.url or "")  # refused: no auto-link
    parts = [escape(line.text), shown if line.url else "", escape(line.note)]
    return " ".join(p for p in parts if p)


def _digest_messages(reply: Reply) -> list[Outgoing]:
    digest = reply.digest
    assert digest is not None
    embeds = [card_embeds(card)[0] for card in digest.cards]
    out = [Outgoing(content=digest_heading_text(digest))]
    start = 0
    # At most five cards per message so each card keeps its own row of buttons.
    for group in pack_messages(embeds, max_embeds=ROWS_PER_MESSAGE):
        cards = digest.cards[start : start + len(group)]
        start += len(group)
        out.append(Outgoing(embeds=group, view=card_view(cards)))
    return out


class CommandRunner:
    def __init__(
        self,
        commands: Commands,
        config: Config,
        *,
        defer_after: float = 2.0,
        pace: float = 1.0,
    ) -> None:
        self.commands = commands
        self.config = config
        # Seconds a command may run before we defer; well inside Discord's 3 s.
        self.defer_after = defer_after
        # Seconds between follow-up messages of one long reply (a digest), so it trickles in.
        self.pace = pace

    @property
    def core(self) -> Any:
        return self.commands.core

    def context(self, interaction: discord.Interaction[Any]) -> CommandContext:
        channel = interaction.channel
        return CommandContext(
            platform=PLATFORM,
            channel_id=str(interaction.channel_id),
            user_id=str(interaction.user.id),
            channel_name=getattr(channel, "name", None),
            is_admin=self.is_admin(interaction),
            # Read from the interaction, no call: the core asks it only of a sign-up.
            cannot_post=cannot_post(interaction),
        )

    def is_admin(self, interaction: discord.Interaction[Any]) -> bool:
        """Manage Server (or Administrator), a user whose ID is listed in `admin.users`, or a
        member of the role with the ID in `admin.group` (or of the one role with that name)."""
        user = interaction.user
        # IDs only: anyone can change their username, to an admin's name or even to the digits
        # of an admin's ID, so matching `user.name` handed /feeds add/remove to whoever asked.
        if str(user.id) in self.config.admin_users:
            return True
        perms = interaction.permissions
        if perms.manage_guild or perms.administrator:
            return True
        group = self.config.admin_group
        if group and isinstance(user, discord.Member):
            if any(str(role.id) == group for role in user.roles):
                return True
            # Role names are not unique: anyone who may manage roles can make a second role with
            # the admin role's name. With two, the name says nothing, so only an ID counts.
            named = [role for role in user.guild.roles if role.name == group]
            return len(named) == 1 and named[0] in user.roles
        return False

    async def run(
        self,
        interaction: discord.Interaction[Any],
        command: str,
        args: str,
        *,
        private: bool = False,
    ) -> None:
        """Dispatch one command and answer the interaction. `private` keeps even a successful
        reply ephemeral (a button click should not post into the channel)."""
        ctx = self.context(interaction)
        defer_ephemeral = private or not self._public_guess(command)
        deferred: bool | None = None
        if command in DEFER_FIRST:
            await interaction.response.defer(ephemeral=defer_ephemeral, thinking=True)
            deferred = defer_ephemeral
            reply = await self.commands.dispatch(command, args, ctx)
        else:
            work = self.commands.dispatch(command, args, ctx)
            answered = await self._in_time(interaction, work, defer_ephemeral, f"/{command}")
            if answered is None:
                return
            reply, deferred = answered
        if private and not reply.ephemeral:
            reply = dataclasses.replace(reply, ephemeral=True)
        await self.send(interaction, reply, deferred=deferred)

    async def mute(self, interaction: discord.Interaction[Any], story_id: str) -> None:
        """The Mute story button: answered only to whoever clicked, as on Slack. Deferred, as
        a command is, when the database keeps it waiting."""

        async def click() -> Reply:
            text, _ = await click_mute(self.commands, story_id, self.context(interaction))
            return Reply(text)

        answered = await self._in_time(interaction, click(), True, "the Mute story button")
        if answered is not None:
            await self.send(interaction, answered[0], deferred=answered[1])

    async def _in_time(
        self,
        interaction: discord.Interaction[Any],
        work: Awaitable[Reply],
        ephemeral: bool,
        what: str,
    ) -> tuple[Reply, bool | None] | None:
        """`work`'s reply, and how the interaction was deferred (None: it was not) when the work
        outlasted `defer_after`: the loop stays free while it waits for the database
        (`bot.store.loop_waits`), so the deferral goes out within Discord's 3 s. None when the
        interaction had expired (10062 at the deferral): nobody can be answered. Any other
        failure to defer (a 5xx, a lost connection or answer) may have come after the deferral
        landed: the reply is tried as the deferred one; failing too, the command's error
        handler says so, as before."""
        task = asyncio.ensure_future(work)
        done, _ = await asyncio.wait({task}, timeout=self.defer_after)
        if done:
            return task.result(), None
        try:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        except Exception as exc:
            if not (isinstance(exc, discord.NotFound) and exc.code == EXPIRED):
                log.warning("Discord interaction for %s: deferring it failed (%s)", what, exc)
                return await task, ephemeral
            # The work is carried to its end, not left running unwatched (its failure never
            # retrieved) nor cut short between two of its writes; one line says what became of
            # it, as no reply can.
            outcome = (await asyncio.gather(task, return_exceptions=True))[0]
            failed = outcome if isinstance(outcome, BaseException) else None
            log.warning(
                "Discord interaction for %s could not be deferred (%s); %s, unanswered",
                what,
                exc,
                "the command failed" if failed else "the command ran to its end",
                exc_info=failed,
            )
            return None
        except BaseException:
            task.cancel()  # cancelled itself (a shutdown): so is the work
            raise
        return await task, ephemeral

    def _public_guess(self, command: str) -> bool:
        if command == "digest" and self.commands.post_digest is not None:
            # With the outbox wired, /digest only confirms privately; the cards come from it.
            return False
        return command in PUBLIC_ON_SUCCESS

    async def send(
        self, interaction: discord.Interaction[Any], reply: Reply, *, deferred: bool | None
    ) -> None:
        messages = render_reply(reply)
        first, rest = messages[0], messages[1:]
        ephemeral = reply.ephemeral
        follow_ups = list(rest)
        if deferred is None and not interaction.response.is_done():
            kwargs = first.kwargs()
            if not first.embeds:
                kwargs["suppress_embeds"] = True
            await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
        elif deferred == ephemeral:
            kwargs = first.kwargs()
            kwargs.setdefault("content", None)
            await interaction.edit_original_response(**kwargs)
        else:
            # The "thinking" message's visibility was fixed when deferring; replace it.
            await interaction.delete_original_response()
            follow_ups.insert(0, first)
        if not follow_ups:
            return
        async with follow_up_session() as session:
            hook = interaction.followup
            # discord.py resends a follow-up POST on any 5xx, and follow-ups take no nonce for
            # Discord to deduplicate by: this session ends that loop, and waits out a short 429
            # once (see webhook.py).
            hook.session = session
            for index, message in enumerate(follow_ups):
                if self.pace and message is not first:
                    await asyncio.sleep(self.pace)
                await _follow_up(hook, message, ephemeral, f"{index + 1} of {len(follow_ups)}")

    # --- autocomplete -----------------------------------------------------------------------------
    # What each argument may be is the core's (`bot.commands.choices`); here only matched against
    # what was typed and fitted to Discord's 25 choices of 100 characters.

    def topic_choices(self, current: str) -> list[discord.app_commands.Choice[str]]:
        return _choices(choices.topics(self.core.db), current)

    def followed_topic_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[discord.app_commands.Choice[str]]:
        found = choices.followed_topics(self.core.db, PLATFORM, str(interaction.channel_id))
        return _choices(found, current)

    def story_choices(self, current: str) -> list[discord.app_commands.Choice[str]]:
        return _choices(choices.stories(self.core), current)

    def muted_story_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[discord.app_commands.Choice[str]]:
        found = choices.muted_stories(self.core.db, PLATFORM, str(interaction.channel_id))
        return _choices(found, current)

    def zone_choices(self, current: str) -> list[discord.app_commands.Choice[str]]:
        # A city typed ("berlin") finds its zone before zones that merely contain the letters,
        # and an abbreviation ("pst") the zones chat's refusal of it names.
        named, others = choices.zones(current)
        # Zone names have "_" where people type a space: "los ang" is America/Los_Angeles.
        typed = "_".join(current.split())
        rest = _choices([choices.Choice(z, z) for z in others], typed)
        return [discord.app_commands.Choice(name=z, value=z) for z in named] + rest[
            : 25 - len(named)
        ]

    def feed_choices(
        self, current: str, *, whole: bool = False
    ) -> list[discord.app_commands.Choice[str]]:
        """The feeds /feeds remove offers as `feed:` is typed. `whole`: the asker is an admin;
        anyone else is shown each address as /feeds list shows it to them, and matched on that
        alone, so typing a key's start cannot tell which feed has it."""
        # Choice values are capped at 100 characters; the feed id always fits.
        return _choices(choices.feeds(self.core.db, whole=whole), current)


async def _follow_up(hook: discord.Webhook, message: Outgoing, ephemeral: bool, which: str) -> None:
    kwargs = message.kwargs()
    try:
        await hook.send(ephemeral=ephemeral, wait=True, **kwargs)
    except (discord.DiscordException, aiohttp.ClientError, TimeoutError, OSError, *GARBLED) as exc:
        # A body that is not a Discord message answered a request that went through; the same
        # types raised by discord.py's checks before the request are our bugs, and surface.
        if not garbled(exc) and not maybe_posted(exc):
            raise
        # Discord lists no follow-ups to look for it in (and an ephemeral one is in no channel's
        # history), so a message that may exist is not sent again: a missing reply can be asked
        # for again, a doubled one cannot be taken back.
        log.warning(
            "Discord: follow-up %s may or may not have been posted (%r); not sending it again",
            which,
            exc,
        )


def _choices(
    items: Iterable[choices.Choice], current: str, limit: int = 25
) -> list[discord.app_commands.Choice[str]]:
    """Up to 25 choices whose value or label contains what was typed, prefix matches first."""
    needle = current.strip().casefold()
    scored: list[tuple[int, str, str]] = []
    for value, label in ((c.value, c.label) for c in items):
        haystack = f"{value} {label}".casefold()
        if needle and needle not in haystack:
            continue
        scored.append((0 if value.casefold().startswith(needle) else 1, value, label))
    scored.sort(key=lambda item: item[0])
    return [
        discord.app_commands.Choice(name=fit(clean(label), 100) or value, value=value[:100])
        for _, value, label in scored[:limit]
    ]
