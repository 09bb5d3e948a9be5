"""Shortcuts a test asks of a Python process it starts, where its own monkeypatch does not
reach: each is asked for by an environment variable the test gives the child, and applied by
`sitecustomize.py` beside this file. A child given none runs as it would for an operator.

- `GIVE_UP_SECONDS` ("NDTEST_GIVE_UP_SECONDS"): how long a command waits out another process's
  write lock before it answers that the database is busy (`bot.store.loop_waits`, 10 s).
- `DISCORD_READY_AT_ONCE` ("NDTEST_DISCORD_READY_AT_ONCE", any value): discord.py's client is
  ready once every server READY named has come in (`ready_once_all_in`), for a child on the
  fake Discord gateway; the tests' own clients have it from `fakes.discord_api`.
"""

from __future__ import annotations

import os
import weakref
from typing import Any

GIVE_UP_SECONDS = "NDTEST_GIVE_UP_SECONDS"
DISCORD_READY_AT_ONCE = "NDTEST_DISCORD_READY_AT_ONCE"


def ready_once_all_in() -> list[tuple[Any, str, Any]]:
    """What to set (owner, name, replacement) for discord.py's client to be ready as soon as no
    server READY named is still unavailable. After READY, discord.py waits for GUILD_CREATEs
    until none came for `guild_ready_timeout` (2 s): Discord sends no word that the last has
    come. The fake gateway sends only the servers READY named (none, usually), so once none of
    them is still unavailable there is no more to wait for, and the wait for a next one is made
    0. A server the fake holds back (`guild_held`) is still waited for the full 2 s, as
    discord.py would."""
    import discord.state

    state_class = discord.state.ConnectionState
    parse_ready = state_class.parse_ready
    add_ready_state = state_class._add_ready_state
    defaults: weakref.WeakKeyDictionary[discord.state.ConnectionState, float] = (
        weakref.WeakKeyDictionary()
    )

    def pending(state: discord.state.ConnectionState) -> bool:
        return any(guild.unavailable for guild in state.guilds)

    def ready(state: discord.state.ConnectionState, data: Any) -> None:
        default = defaults.setdefault(state, state.guild_ready_timeout)
        parse_ready(state, data)
        state.guild_ready_timeout = default if pending(state) else 0.0

    def add(state: discord.state.ConnectionState, guild: discord.Guild) -> bool:
        waiting = add_ready_state(state, guild)
        if waiting and not pending(state):
            state.guild_ready_timeout = 0.0
        return waiting

    return [(state_class, "parse_ready", ready), (state_class, "_add_ready_state", add)]


def install() -> None:
    """The shortcuts this process's environment asks for."""
    if seconds := os.environ.get(GIVE_UP_SECONDS):
        from bot.store import loop_waits

        loop_waits.GIVE_UP_SECONDS = float(seconds)
    if os.environ.get(DISCORD_READY_AT_ONCE):
        for owner, name, replacement in ready_once_all_in():
            setattr(owner, name, replacement)
