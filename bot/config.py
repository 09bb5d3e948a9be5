"""Loading and validating the TOML configuration.

The config is the seed for the database: feeds, topics and channels declared here are synced in at
start (see `bot.store.sync`), and chat commands edit the database afterwards. Secrets never live in
the file: tokens come from the environment only (see `Secrets`).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_CONFIG_PATH = Path("config/newsdigest.toml")
DEFAULT_DB_PATH = "newsdigest.db"
DEFAULT_POLL_INTERVAL = 15 * 60
DEFAULT_SCHEDULE = "0 9 * * *"
DEFAULT_TIMEZONE = "UTC"
PLATFORMS = ("slack", "discord", "console")
MODES = ("digest", "instant")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_DURATION_RE = re.compile(r"^\s*(\d+)\s*(s|m|h|d)?\s*$")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


class ConfigError(ValueError):
    """The configuration is invalid; the message names the key and what is wrong."""

    def __init__(self, key: str, problem: str, path: Path | None = None) -> None:
        self.key = key
        self.problem = problem
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{key}: {problem}")


@dataclass(slots=True)
class FeedConfig:
    url: str
    name: str | None = None
    interval: int = DEFAULT_POLL_INTERVAL


@dataclass(slots=True)
class TopicConfig:
    slug: str
    query: str
    title: str | None = None


@dataclass(slots=True)
class ChannelConfig:
    platform: str
    id: str
    name: str | None = None
    topics: list[str] = field(default_factory=list)
    schedule: str = DEFAULT_SCHEDULE
    timezone: str = DEFAULT_TIMEZONE
    mode: str = "digest"
    min_sources: int = 2
    quiet_hours: str | None = None
    webhook_url: str | None = None


@dataclass(slots=True)
class PollingConfig:
    default_interval: int = DEFAULT_POLL_INTERVAL
    max_failures: int = 10
    per_host_limit: int = 2
    total_limit: int = 20
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    allow_private_networks: bool = False


@dataclass(slots=True)
class LLMConfig:
    base_url: str
    model: str
    api_key_env: str = "NEWSDIGEST_LLM_API_KEY"
    timeout: float = 20.0
    daily_token_budget: int = 200_000


@dataclass(slots=True)
class Config:
    path: Path | None = None
    database: str | None = None
    polling: PollingConfig = field(default_factory=PollingConfig)
    feeds: list[FeedConfig] = field(default_factory=list)
    topics: list[TopicConfig] = field(default_factory=list)
    channels: list[ChannelConfig] = field(default_factory=list)
    story_window_hours: int = 48
    llm: LLMConfig | None = None
    admin_users: list[str] = field(default_factory=list)
    admin_group: str | None = None

    def database_path(self) -> str:
        """NEWSDIGEST_DB, else the config's `database`, else newsdigest.db."""
        return os.environ.get("NEWSDIGEST_DB") or self.database or DEFAULT_DB_PATH


@dataclass(slots=True)
class Secrets:
    """Tokens, from the environment only, so the config file can be shared and committed."""

    slack_bot_token: str | None
    slack_signing_secret: str | None
    slack_app_token: str | None
    discord_token: str | None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Secrets:
        env = dict(os.environ) if env is None else env
        return cls(
            slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=env.get("SLACK_APP_TOKEN") or None,
            discord_token=env.get("DISCORD_TOKEN") or None,
        )


def resolve_config_path(explicit: str | Path | None) -> Path:
    """--config, else NEWSDIGEST_CONFIG, else config/newsdigest.toml."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("NEWSDIGEST_CONFIG")
    if env:
        return Path(env)
    return DEFAULT_CONFIG_PATH


def load_config(explicit: str | Path | None = None, *, required: bool = False) -> Config:
    """Load and validate the config. A missing default file is an empty config; a missing file the
    user named explicitly is an error."""
    path = resolve_config_path(explicit)
    named = bool(explicit or os.environ.get("NEWSDIGEST_CONFIG"))
    if not path.exists():
        if named or required:
            raise ConfigError("config", f"file not found: {path}")
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config", f"not valid TOML ({exc})", path) from None
    except UnicodeDecodeError:
        raise ConfigError("config", "not UTF-8 text", path) from None
    try:
        config = parse_config(raw)
    except ConfigError as exc:
        raise ConfigError(exc.key, exc.problem, path) from None
    config.path = path
    return config


def parse_config(raw: dict[str, Any]) -> Config:
    known = {"database", "polling", "feeds", "topics", "channels", "clustering", "llm", "admin"}
    _reject_unknown(raw, known, "")
    config = Config()
    config.database = _opt_str(raw, "database", "database")
    config.polling = _parse_polling(_table(raw, "polling"))
    config.feeds = [_parse_feed(f, i, config.polling) for i, f in enumerate(_array(raw, "feeds"))]
    config.topics = [_parse_topic(t, i) for i, t in enumerate(_array(raw, "topics"))]
    config.channels = [_parse_channel(c, i) for i, c in enumerate(_array(raw, "channels"))]
    clustering = _table(raw, "clustering")
    _reject_unknown(clustering, {"window_hours"}, "clustering")
    if "window_hours" in clustering:
        config.story_window_hours = _positive_int(
            clustering["window_hours"], "clustering.window_hours"
        )
    llm = _table(raw, "llm")
    if llm:
        config.llm = _parse_llm(llm)
    admin = _table(raw, "admin")
    _reject_unknown(admin, {"users", "group"}, "admin")
    config.admin_users = _str_list(admin.get("users", []), "admin.users")
    config.admin_group = _opt_str(admin, "group", "admin.group")
    _check_references(config)
    return config


def parse_duration(value: Any, key: str) -> int:
    """Seconds from an int (seconds) or a string like '90s', '15m', '2h', '1d'."""
    if isinstance(value, bool):
        raise ConfigError(key, f"expected a duration like '15m', got {value!r}")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str) and (m := _DURATION_RE.match(value)):
        seconds = int(m.group(1)) * _DURATION_UNITS[m.group(2)]
    else:
        raise ConfigError(key, f"expected a duration like '15m' or seconds, got {value!r}")
    if seconds < 60:
        raise ConfigError(key, "must be at least 60 seconds (be polite to feed servers)")
    return seconds


def validate_schedule(schedule: str, timezone: str, key: str) -> None:
    from bot.cron import cron_trigger

    try:
        cron_trigger(schedule, timezone)
    except (ValueError, TypeError) as exc:
        raise ConfigError(key, f"not a valid cron expression {schedule!r} ({exc})") from None


def validate_timezone(name: str, key: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(key, f"unknown IANA time zone {name!r}") from None


def validate_quiet_hours(value: str, key: str) -> None:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d", value):
        raise ConfigError(key, f"expected 'HH:MM-HH:MM', got {value!r}")


def _parse_polling(raw: dict[str, Any]) -> PollingConfig:
    _reject_unknown(
        raw,
        {
            "default_interval",
            "max_failures",
            "per_host_limit",
            "total_limit",
            "timeout",
            "max_bytes",
            "allow_private_networks",
        },
        "polling",
    )
    p = PollingConfig()
    if "default_interval" in raw:
        p.default_interval = parse_duration(raw["default_interval"], "polling.default_interval")
    for name in ("max_failures", "per_host_limit", "total_limit", "max_bytes"):
        if name in raw:
            setattr(p, name, _positive_int(raw[name], f"polling.{name}"))
    if "timeout" in raw:
        value = raw["timeout"]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(
                "polling.timeout", f"expected a positive number of seconds, got {value!r}"
            )
        p.timeout = float(value)
    if "allow_private_networks" in raw:
        p.allow_private_networks = _bool(
            raw["allow_private_networks"], "polling.allow_private_networks"
        )
    return p


def _parse_feed(raw: Any, index: int, polling: PollingConfig) -> FeedConfig:
    key = f"feeds[{index}]"
    if isinstance(raw, str):
        raw = {"url": raw}
    if not isinstance(raw, dict):
        raise ConfigError(key, "expected a table with at least `url`")
    _reject_unknown(raw, {"url", "name", "interval"}, key)
    url = _req_str(raw, "url", f"{key}.url")
    if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        raise ConfigError(f"{key}.url", f"only http:// and https:// URLs are allowed, got {url!r}")
    interval = polling.default_interval
    if "interval" in raw:
        interval = parse_duration(raw["interval"], f"{key}.interval")
    return FeedConfig(url=url, name=_opt_str(raw, "name", f"{key}.name"), interval=interval)


def _parse_topic(raw: Any, index: int) -> TopicConfig:
    key = f"topics[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(key, "expected a table with `slug` and `query`")
    _reject_unknown(raw, {"slug", "title", "query"}, key)
    slug = _req_str(raw, "slug", f"{key}.slug")
    if not SLUG_RE.match(slug):
        raise ConfigError(f"{key}.slug", f"use lowercase letters, digits and '-', got {slug!r}")
    query = _req_str(raw, "query", f"{key}.query")
    from bot.topics.query import QueryError, TopicQuery

    try:
        TopicQuery.parse(query)
    except QueryError as exc:
        raise ConfigError(
            f"{key}.query", f"invalid query: {exc.message} at {exc.position}"
        ) from None
    return TopicConfig(slug=slug, query=query, title=_opt_str(raw, "title", f"{key}.title"))


def _parse_channel(raw: Any, index: int) -> ChannelConfig:
    key = f"channels[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(key, "expected a table with `platform` and `id`")
    _reject_unknown(
        raw,
        {
            "platform",
            "id",
            "name",
            "topics",
            "schedule",
            "timezone",
            "mode",
            "min_sources",
            "quiet_hours",
            "webhook_url",
        },
        key,
    )
    platform = _req_str(raw, "platform", f"{key}.platform")
    if platform not in PLATFORMS:
        raise ConfigError(
            f"{key}.platform", f"must be one of {', '.join(PLATFORMS)}, got {platform!r}"
        )
    channel = ChannelConfig(platform=platform, id=_req_str(raw, "id", f"{key}.id"))
    channel.name = _opt_str(raw, "name", f"{key}.name")
    channel.topics = _str_list(raw.get("topics", []), f"{key}.topics")
    channel.timezone = _opt_str(raw, "timezone", f"{key}.timezone") or DEFAULT_TIMEZONE
    validate_timezone(channel.timezone, f"{key}.timezone")
    channel.schedule = _opt_str(raw, "schedule", f"{key}.schedule") or DEFAULT_SCHEDULE
    validate_schedule(channel.schedule, channel.timezone, f"{key}.schedule")
    channel.mode = _opt_str(raw, "mode", f"{key}.mode") or "digest"
    if channel.mode not in MODES:
        raise ConfigError(f"{key}.mode", f"must be 'digest' or 'instant', got {channel.mode!r}")
    if "min_sources" in raw:
        channel.min_sources = _positive_int(raw["min_sources"], f"{key}.min_sources")
    channel.quiet_hours = _opt_str(raw, "quiet_hours", f"{key}.quiet_hours")
    if channel.quiet_hours:
        validate_quiet_hours(channel.quiet_hours, f"{key}.quiet_hours")
    channel.webhook_url = _opt_str(raw, "webhook_url", f"{key}.webhook_url")
    if channel.webhook_url and not channel.webhook_url.startswith("https://"):
        raise ConfigError(f"{key}.webhook_url", "must be an https:// Discord webhook URL")
    return channel


def _parse_llm(raw: dict[str, Any]) -> LLMConfig:
    _reject_unknown(
        raw, {"base_url", "model", "api_key_env", "timeout", "daily_token_budget"}, "llm"
    )
    llm = LLMConfig(
        base_url=_req_str(raw, "base_url", "llm.base_url"),
        model=_req_str(raw, "model", "llm.model"),
    )
    llm.api_key_env = _opt_str(raw, "api_key_env", "llm.api_key_env") or llm.api_key_env
    if "timeout" in raw:
        llm.timeout = float(_positive_int(raw["timeout"], "llm.timeout"))
    if "daily_token_budget" in raw:
        llm.daily_token_budget = _positive_int(raw["daily_token_budget"], "llm.daily_token_budget")
    return llm


def _check_references(config: Config) -> None:
    slugs = [t.slug for t in config.topics]
    seen: set[str] = set()
    for i, slug in enumerate(slugs):
        if slug in seen:
            raise ConfigError(f"topics[{i}].slug", f"duplicate topic {slug!r}")
        seen.add(slug)
    urls: set[str] = set()
    for i, feed in enumerate(config.feeds):
        if feed.url in urls:
            raise ConfigError(f"feeds[{i}].url", f"duplicate feed {feed.url!r}")
        urls.add(feed.url)
    channels: set[tuple[str, str]] = set()
    for i, channel in enumerate(config.channels):
        ident = (channel.platform, channel.id)
        if ident in channels:
            raise ConfigError(
                f"channels[{i}].id", f"duplicate channel {channel.platform}:{channel.id}"
            )
        channels.add(ident)
        for j, topic in enumerate(channel.topics):
            if topic not in seen:
                raise ConfigError(
                    f"channels[{i}].topics[{j}]",
                    f"unknown topic {topic!r} (define it under [[topics]])",
                )


def _reject_unknown(raw: dict[str, Any], known: set[str], prefix: str) -> None:
    for key in raw:
        if key not in known:
            where = f"{prefix}.{key}" if prefix else key
            raise ConfigError(where, f"unknown key (expected one of: {', '.join(sorted(known))})")


def _table(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(key, "expected a table")
    return value


def _array(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(key, f"expected an array of tables ([[{key}]])")
    return value


def _req_str(raw: dict[str, Any], name: str, key: str) -> str:
    if name not in raw:
        raise ConfigError(key, "is required")
    value = raw[name]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(key, f"expected a non-empty string, got {value!r}")
    return value.strip()


def _opt_str(raw: dict[str, Any], name: str, key: str) -> str | None:
    if name not in raw:
        return None
    return _req_str(raw, name, key)


def _str_list(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(key, f"expected a list of strings, got {value!r}")
    return [v.strip() for v in value]


def _positive_int(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(key, f"expected a positive whole number, got {value!r}")
    return value


def _bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(key, f"expected true or false, got {value!r}")
    return value
