"""The discord.py client, and the platform hook `newsdigest run` starts when DISCORD_TOKEN is set.

The bot asks for the `guilds` intent only: slash commands and buttons arrive as interactions
whatever the intents, and role names for `admin.group` come from the guild cache that intent
fills. No privileged intent (message content, members, presence) is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

import aiohttp
import discord

from bot.adapters.discord.adapter import DiscordAdapter, DiscordBotAdapter
from bot.adapters.discord.channel_access import note_ready
from bot.adapters.discord.errors import (
    AUTHENTICATION_FAILED,
    BOT_ROUTE,
    BOT_TOKEN_HELP,
    SEND_TIMEOUT,
    WEBHOOK_ROUTE,
    intents_refused,
)
from bot.adapters.discord.gateway_reach import (
    GatewayRun,
    connect,
    quiet_gateway_tracebacks,
    unreachable,
)
from bot.adapters.discord.gateway_watch import GatewayWatch, gateway_open
from bot.adapters.discord.interactions import CommandRunner
from bot.adapters.discord.settings import DiscordEndpoints
from bot.adapters.discord.slash import NewsTree, build_tree
from bot.adapters.discord.views import DYNAMIC_ITEMS
from bot.adapters.discord.voice_warnings import quiet_voice_warning
from bot.adapters.discord.webhook import DiscordWebhookAdapter, webhook_session
from bot.commands.core import Commands
from bot.config import Config, Secrets
from bot.delivery.adapter import AuthDeliveryError, ChatAdapter, FatalPlatformError

log = logging.getLogger(__name__)

READY_TIMEOUT = 60.0


def intents() -> discord.Intents:
    wanted = discord.Intents.none()
    wanted.guilds = True
    return wanted


class DiscordBot(discord.Client):
    def __init__(self, runner: CommandRunner | None = None, **options: Any) -> None:
        # Every client newsdigest makes (`run`'s and `discord sync`'s) is built here, and
        # discord.py warns about voice support as it is built.
        quiet_voice_warning()
        # A gateway out of reach: one line per attempt, not discord.py's traceback.
        quiet_gateway_tracebacks()
        options.setdefault("intents", intents())
        # The client-wide default; every send passes AllowedMentions.none() explicitly as well.
        options.setdefault("allowed_mentions", discord.AllowedMentions.none())
        # A rate limit longer than this comes back as RateLimited with its retry_after, for the
        # outbox to wait out, instead of being slept inside a send that would then time out.
        options.setdefault("max_ratelimit_timeout", SEND_TIMEOUT)
        super().__init__(**options)
        self.runner = runner
        self.tree: NewsTree = build_tree(self)

    async def setup_hook(self) -> None:
        # Buttons on cards posted before a restart keep working: their state is in the custom id.
        self.add_dynamic_items(*DYNAMIC_ITEMS)

    async def on_ready(self) -> None:
        note_ready(self)
        guilds = ", ".join(g.name for g in self.guilds) or "no servers yet"
        log.info("Discord connected as %s (%s)", self.user, guilds)


class Service(Protocol):
    """What the runner's service offers a platform (see bot.runner.platforms)."""

    commands: Commands

    def register_adapter(self, adapter: ChatAdapter) -> None: ...


class Dropped(Protocol):
    """The runner's hook for a gateway that ended mid-run (`Service.platform_dropped`)."""

    def __call__(self, name: str, reason: str, *, retry: bool = True) -> object: ...


def token_refused(exc: BaseException) -> str | None:
    """Why Discord refused the bot token, for an error that says so; None for any other error.
    At login that is a 401 (`LoginFailure`); on the gateway, close code 4004 at IDENTIFY or at
    a RESUME after a drop, which discord.py raises instead of reconnecting."""
    if isinstance(exc, discord.LoginFailure):
        return f"Discord login: {exc}; {BOT_TOKEN_HELP}"
    if isinstance(exc, discord.ConnectionClosed) and exc.code == AUTHENTICATION_FAILED:
        return f"Discord gateway: authentication failed (close code 4004); {BOT_TOKEN_HELP}"
    return None


class DiscordPlatform:
    """Started by `newsdigest run`: connects the bot when a token is set, and delivers through
    channel webhooks either way.

    Webhooks need neither the gateway nor the token, so with webhook channels configured the
    platform keeps running without its connection (`runs_without_connection`): when the gateway
    ends or the token is refused the runner calls `disconnect`, which closes only the bot's
    client, and a restart (`start` again) reconnects the bot under the same adapter."""

    name = "discord"

    def __init__(self, config: Config, token: str | None) -> None:
        self.config = config
        self.token = token
        self.client: DiscordBot | None = None
        self.adapter: DiscordAdapter | None = None
        self._session: aiohttp.ClientSession | None = None
        self._gateway: asyncio.Task[None] | None = None
        # Whether the bot's gateway is connected, while it runs (`GatewayWatch`).
        self.watch: GatewayWatch | None = None
        self._watching: asyncio.Task[None] | None = None
        # Set by stop(): the gateway ending then is our own doing, not a failure to report.
        self._stopping = False
        # Why Discord refused the token at a start: a later start (the runner's, when webhook
        # channels need no token) delivers through the webhooks alone.
        self.token_refused: str | None = None

    async def start(self, service: Service) -> None:
        # The runner starts the same platform again after a failure: a fresh client each time,
        # and after `disconnect` the webhooks' session and the adapter are still in use.
        self._stopping = False
        reconnect = self.adapter is not None and self._session is not None
        if self._session is None or self._session.closed:
            self._session = webhook_session()
            reconnect = False
        bot_adapter: DiscordBotAdapter | None = None
        if self.token and self.token_refused is None:
            self.client = DiscordBot(CommandRunner(service.commands, self.config))
            try:
                await self.client.login(self.token)
                self._gateway, run = connect(self.client)
                await self._wait_ready(self.client, self._gateway, run)
                run.started = True
            except discord.ClientException as exc:
                # The runner does not retry an AuthDeliveryError, and its message names the
                # variable to fix, where discord.py's says only "Improper token".
                if (refusal := self.start_error(exc)) is None:
                    raise
                if isinstance(refusal, AuthDeliveryError):
                    self.token_refused = str(refusal)
                raise refusal from exc
            bot_adapter = DiscordBotAdapter(self.client)
        if reconnect and self.adapter is not None:
            self.adapter.attach_bot(bot_adapter)
        else:
            self.adapter = DiscordAdapter(
                bot=bot_adapter, webhooks=DiscordWebhookAdapter(self._session, bot=bot_adapter)
            )
        if self.token_refused is not None:
            self.adapter.refuse(self.token_refused)
        service.register_adapter(self.adapter)
        if self._gateway is not None:
            lost: Callable[[str, str], object] | None = getattr(service, "platform_lost", None)
            dropped: Dropped | None = getattr(service, "platform_dropped", None)
            adapter = self.adapter
            self._gateway.add_done_callback(
                lambda task: self._gateway_ended(task, adapter, lost, dropped)
            )
            self._watch_gateway(self.client, getattr(service, "platform_reconnected", None))

    def start_error(self, exc: BaseException) -> AuthDeliveryError | FatalPlatformError | None:
        """What the runner must not retry, in words naming the setting: the bot token refused,
        at login or by the gateway (`token_refused`), or a privileged intent not enabled; None
        for anything else (the network, Discord's 5xx)."""
        if (reason := token_refused(exc)) is not None:
            return AuthDeliveryError(reason)
        if isinstance(exc, discord.PrivilegedIntentsRequired):
            return FatalPlatformError(intents_refused(self.client.intents if self.client else None))
        return None

    def _watch_gateway(
        self, client: discord.Client | None, back: Callable[..., object] | None
    ) -> None:
        """Watch the bot's gateway; when it is back after an outage (declared past the grace, not
        a routine reconnect), both routes' posts waiting out a backoff are tried at once: Discord
        is reachable again. The webhooks' route is tried too, once per return, as the outage that
        dropped the gateway most likely held them up as well."""
        if client is None:
            return
        on_back = (lambda: back(self.name, BOT_ROUTE, WEBHOOK_ROUTE)) if back else None
        self.watch = GatewayWatch(lambda: gateway_open(client), on_back=on_back)
        self._watching = asyncio.create_task(self.watch.run(), name="discord-gateway-watch")

    def _stop_watch(self) -> None:
        watching, self._watching, self.watch = self._watching, None, None
        if watching is not None:
            watching.cancel()

    def connection_problem(self) -> tuple[datetime, str] | None:
        """(since when, what) while the bot's gateway has been down for more than a moment; None
        without a bot (webhook channels alone need no gateway)."""
        return self.watch.problem() if self.watch is not None else None

    def _gateway_ended(
        self,
        task: asyncio.Task[None],
        adapter: DiscordAdapter,
        lost: Callable[[str, str], object] | None,
        dropped: Dropped | None,
    ) -> None:
        """The gateway loop ended. discord.py reconnects through drops by itself, so this is
        either our own close (nothing to do) or an end it gave up on: a refused token stops
        Discord for the run, as retrying the same token would only be refused again; privileged
        intents not enabled are reported, not retried (REST posting still works); anything else
        (a close code it cannot resume, an unexpected error, the loop returning) is handed back
        to the runner to start Discord again with backoff, or commands would stop arriving."""
        if self._stopping or task.cancelled() or task is not self._gateway:
            return
        # Given up on: no reconnect is coming, so the watch would only add a second problem
        # ("until it is back") beside the reason it ended; a retry starts a new watch.
        self._stop_watch()
        exc = task.exception()
        reason = token_refused(exc) if exc is not None else None
        if reason is None:
            retry = not isinstance(exc, discord.PrivilegedIntentsRequired)
            if not retry:
                why = intents_refused(self.client.intents if self.client else None)
            elif exc is None:
                why = "Discord gateway closed unexpectedly"
            else:
                why = f"Discord gateway stopped: {type(exc).__name__}: {exc}"
            log.error("%s", why, exc_info=exc if retry else None)
            if dropped is None:
                log.error(
                    "Discord: commands and buttons no longer arrive until newsdigest restarts"
                )
                return
            if retry:
                # The client is closed: webhook channels go on without the bot from now on,
                # rather than meet it in the moment before the runner disconnects us.
                adapter.detach_bot(why)
            try:
                dropped(self.name, why, retry=retry)
            except Exception:
                log.exception("Discord: reporting the gateway's end to the runner failed")
            return
        # Same token for REST: the bot's posts would be refused too, so the outbox is told at
        # their next send (fatal, rows kept) instead of meeting the closed client; webhook
        # channels go on without the bot.
        adapter.refuse(reason)
        if lost is None:
            log.error("Discord: stopped, not retrying: %s", reason)
            return
        try:
            lost(self.name, reason)
        except Exception:
            log.exception("Discord: reporting the refused token to the runner failed")

    @staticmethod
    async def _wait_ready(
        client: discord.Client, gateway: asyncio.Task[None], run: GatewayRun
    ) -> None:
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, gateway}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready in done:
            return
        ready.cancel()
        if gateway in done:
            failure = None if gateway.cancelled() else gateway.exception()
            if failure is not None and (error := unreachable(failure, run)) is not None:
                # The REST login worked; the gateway is what the network keeps from us.
                raise error
            # e.g. PrivilegedIntentsRequired or a revoked token: surface it to /healthz.
            gateway.result()
            raise RuntimeError("Discord gateway closed before the bot was ready")
        raise TimeoutError(f"Discord did not become ready within {READY_TIMEOUT:.0f}s")

    def runs_without_connection(self) -> bool:
        """Whether it still delivers without the gateway and the token: webhook channels."""
        return any(c.platform == self.name and c.webhook_url for c in self.config.channels)

    async def disconnect(self) -> None:
        """Close the bot's client and gateway only; webhook channels keep posting through the
        open session meanwhile (the runner withdraws the bot's route, or the token is refused),
        until `start` reconnects the bot or `stop` ends it all."""
        self._stopping = True
        self._stop_watch()
        if self.adapter is not None:
            self.adapter.detach_bot("the Discord bot is disconnected; its gateway is restarting")
        client, gateway = self.client, self._gateway
        self.client, self._gateway = None, None
        if client is not None:
            await client.close()
        if gateway is not None:
            gateway.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await gateway

    async def stop(self, deadline: float | None = None) -> None:
        await self.disconnect()
        if self._session is not None:
            await self._session.close()


async def sync_commands(
    token: str, *, guild_id: int | None = None, clear: bool = False
) -> list[str]:
    """Register the command tree over REST only (no gateway); the names Discord now has. A
    one-off command waits out any rate limit, as an operator would: no outbox to hand it to."""
    client = DiscordBot(max_ratelimit_timeout=None)
    try:
        await client.login(token)
        guild = discord.Object(guild_id) if guild_id is not None else None
        if guild is not None:
            # Global commands take a while to reach every client; a guild copy is instant.
            client.tree.copy_global_to(guild=guild)
            if clear:
                client.tree.clear_commands(guild=guild)
        synced = await client.tree.sync(guild=guild)
    finally:
        await client.close()
    return [command.name for command in synced]


def create_platform(
    config: Config, secrets: Secrets, env: Mapping[str, str] | None = None
) -> DiscordPlatform:
    """The factory named in bot.runner.platforms for DISCORD_TOKEN. With no token it still
    delivers to channels that have a `webhook_url` (no gateway, no commands). DISCORD_API_URL
    and DISCORD_GATEWAY_URL come from the environment (`settings`)."""
    DiscordEndpoints.from_env(env).apply()
    return DiscordPlatform(config, secrets.discord_token)
