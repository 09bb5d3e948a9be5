"""`newsdigest discord sync`: register the bot's application (slash) commands with Discord.

Syncing is a separate step, not part of `newsdigest run`, because Discord rate-limits command
registration and a restart should not re-register anything. It needs only the REST API (no
gateway connection), so it works while the bot itself is running elsewhere.
"""

from __future__ import annotations

import click

from bot.config import Secrets


@click.group("discord")
def discord_group() -> None:
    """Discord: register the application (slash) commands."""


@discord_group.command("sync")
@click.option(
    "--guild",
    "guild_id",
    type=int,
    default=None,
    help="Register in this server only: instant, for trying things out. Without it the commands "
    "are global (every server the bot is in; Discord may take a moment to show them).",
)
@click.option(
    "--clear",
    is_flag=True,
    help="With --guild: remove the server-only copies (after switching to global commands).",
)
def sync_command(guild_id: int | None, clear: bool) -> None:
    """Register /story, /follow, /unfollow, /watchlist, /digest and /feeds with Discord.

    Uses DISCORD_TOKEN (and DISCORD_API_URL, if set). Run it once after setup and again after
    upgrading newsdigest.
    """
    if clear and guild_id is None:  # a wrong command line is said first, whatever else is wrong
        raise click.UsageError("--clear needs --guild ID.")
    token = Secrets.from_env().discord_token
    if not token:
        raise click.ClickException(
            "DISCORD_TOKEN is not set (the bot token from the Developer Portal)."
        )
    import asyncio

    import aiohttp
    import discord

    from bot.adapters.discord.bot import sync_commands
    from bot.adapters.discord.settings import DiscordConfigError, DiscordEndpoints

    try:
        DiscordEndpoints.from_env().apply()
    except DiscordConfigError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        names = asyncio.run(sync_commands(token, guild_id=guild_id, clear=clear))
    except discord.LoginFailure:
        raise click.ClickException(
            "Discord rejected DISCORD_TOKEN; reset it in the Developer Portal."
        ) from None
    except discord.HTTPException as exc:
        raise click.ClickException(
            f"Discord refused the sync: HTTP {exc.status} {exc.text}"
        ) from None
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        # No network, DNS, a proxy or firewall: the operator's to fix, and a traceback through
        # aiohttp's connector says no more than its one line does. (asyncio.TimeoutError is
        # TimeoutError since Python 3.11, and says nothing of itself.)
        timed_out = isinstance(exc, TimeoutError) and not str(exc)
        reason = "timed out" if timed_out else str(exc) or type(exc).__name__
        raise click.ClickException(f"could not reach Discord: {reason}") from None
    where = f"server {guild_id}" if guild_id else "all servers (global)"
    if clear:
        click.echo(f"Removed the server-only commands from {where}.")
    else:
        click.echo(f"Synced {len(names)} commands to {where}: " + ", ".join(f"/{n}" for n in names))
