"""The runner's settings, read from the environment (`RunnerSettings.from_env`).

NEWSDIGEST_HEALTH_PORT (default 8080; `off` disables, 0 picks a free port), NEWSDIGEST_HEALTH_HOST
(default 127.0.0.1, since the body lists feed URLs and errors), NEWSDIGEST_POLL_TICK,
NEWSDIGEST_UPDATE_INTERVAL, NEWSDIGEST_CATCHUP_WINDOW, NEWSDIGEST_POST_PACE,
NEWSDIGEST_SHUTDOWN_GRACE, NEWSDIGEST_START_SPREAD (seconds, each with an upper bound in
`MAXIMUM`), NEWSDIGEST_LOG_FORMAT (`json`, the default, or `text`). A bad or out-of-range value
raises `SettingsError` naming the variable.
NEWSDIGEST_CATCHUP_WINDOW=0 turns catch-up off: a digest missed while the bot was down (or
delayed) is not sent late.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta


class SettingsError(ValueError):
    """A runner environment variable has a bad value; the message names the variable."""


HOUR = 3600.0
DAY = 24 * HOUR

# Upper bounds, far above any sensible value but small enough that the datetime arithmetic and
# timers they feed cannot overflow (1e12 seconds used to end in an OverflowError at start).
MAXIMUM: dict[str, float] = {
    "NEWSDIGEST_POLL_TICK": HOUR,
    "NEWSDIGEST_UPDATE_INTERVAL": 30 * DAY,
    "NEWSDIGEST_CATCHUP_WINDOW": 7 * DAY,
    "NEWSDIGEST_POST_PACE": HOUR,
    "NEWSDIGEST_SHUTDOWN_GRACE": HOUR,
    "NEWSDIGEST_START_SPREAD": DAY,
}


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}")
    maximum = MAXIMUM[name]
    if value > maximum:
        raise SettingsError(f"{name} must be at most {maximum:.0f} seconds, got {raw!r}")
    return value


def _port(env: Mapping[str, str], name: str, default: int) -> int | None:
    raw = env.get(name, str(default)).strip().lower()
    if raw in ("", "off", "none", "-1"):
        return None
    if not raw.isdigit() or int(raw) > 65535:
        raise SettingsError(f"{name} must be a port number (0-65535) or 'off', got {raw!r}")
    return int(raw)


LOG_FORMATS = ("json", "text")


def _log_format(env: Mapping[str, str]) -> str:
    raw = env.get("NEWSDIGEST_LOG_FORMAT", "").strip()
    value = raw.lower() or "json"
    if value not in LOG_FORMATS:
        # `xml` or a typo (`txt`) used to give JSON without a word, as if the setting were read.
        raise SettingsError(f"NEWSDIGEST_LOG_FORMAT must be 'json' or 'text', got {raw!r}")
    return value


@dataclass(slots=True)
class RunnerSettings:
    # Loopback by default: /healthz lists feed URLs and error messages. Set
    # NEWSDIGEST_HEALTH_HOST=0.0.0.0 for a container's health check from outside.
    health_host: str = "127.0.0.1"
    health_port: int | None = 8080
    poll_tick: float = 5.0
    # The shortest gap from a card to its first thread reply; each next reply of a story that
    # keeps growing waits twice the gap before, up to 8 times this (`bot.delivery.update_pacing`).
    update_interval: timedelta = timedelta(hours=1)
    catch_up_window: timedelta = timedelta(hours=6)
    post_pace: float = 1.0
    shutdown_grace: float = 5.0
    sync_interval: float = 60.0
    start_spread: float = 300.0
    log_format: str = "json"
    # A chat platform whose start failed (network down at boot) is retried after 5 s, 10 s, ...
    # at most every 5 minutes. Not read from the environment; tests make them tiny.
    platform_retry_initial: float = 5.0
    platform_retry_max: float = 300.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RunnerSettings:
        env = os.environ if env is None else env
        return cls(
            health_host=env.get("NEWSDIGEST_HEALTH_HOST", "").strip() or "127.0.0.1",
            health_port=_port(env, "NEWSDIGEST_HEALTH_PORT", 8080),
            poll_tick=_seconds(env, "NEWSDIGEST_POLL_TICK", 5.0),
            update_interval=timedelta(seconds=_seconds(env, "NEWSDIGEST_UPDATE_INTERVAL", 3600)),
            catch_up_window=timedelta(seconds=_seconds(env, "NEWSDIGEST_CATCHUP_WINDOW", 6 * 3600)),
            post_pace=_seconds(env, "NEWSDIGEST_POST_PACE", 1.0),
            shutdown_grace=_seconds(env, "NEWSDIGEST_SHUTDOWN_GRACE", 5.0),
            start_spread=_seconds(env, "NEWSDIGEST_START_SPREAD", 300.0),
            log_format=_log_format(env),
        )
