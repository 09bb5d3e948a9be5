"""Loading and validating the TOML configuration.

The config is the seed for the database: feeds, topics and channels declared here are synced in at
start (see `bot.store.sync`), and chat commands edit the database afterwards. Secrets never live in
the file: tokens come from the environment only (see `Secrets`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config_entries import (
    DEFAULT_DIGEST_SIZE,
    SLUG_RE,
    ChannelConfig,
    FeedConfig,
    TopicConfig,
    digest_size,
    parse_channel,
    parse_feed,
    parse_topic,
)
from bot.config_sections import LLMConfig as LLMConfig
from bot.config_sections import PollingConfig as PollingConfig
from bot.config_sections import StorageConfig as StorageConfig
from bot.config_sections import parse_llm, parse_polling, parse_storage
from bot.config_values import (
    ConfigError,
    array,
    opt_str,
    positive_int,
    reject_unknown,
    str_list,
    table,
)
from bot.database_location import database_path, database_to_write

DEFAULT_CONFIG_PATH = Path("config/newsdigest.toml")
# The config the checkout ships, read when the operator has not made DEFAULT_CONFIG_PATH their
# own copy of it: git ignores that copy, so `git pull` never stops over a local edit.
EXAMPLE_CONFIG_PATH = Path("config/newsdigest.example.toml")


@dataclass(slots=True)
class Config:
    path: Path | None = None
    # Set by load_config when no file was named and the default one does not exist (run from
    # another directory, the operator's copy moved away). Never synced: as an emptied file, it
    # would delete the feeds and topics declared before. The example read instead (`path`) only
    # lends its settings.
    missing_path: Path | None = None
    database: str | None = None
    polling: PollingConfig = field(default_factory=PollingConfig)
    feeds: list[FeedConfig] = field(default_factory=list)
    topics: list[TopicConfig] = field(default_factory=list)
    channels: list[ChannelConfig] = field(default_factory=list)
    story_window_hours: int = 48
    # Cards in a digest of a channel that sets none (`[digests] size`).
    digest_size: int = DEFAULT_DIGEST_SIZE
    storage: StorageConfig = field(default_factory=StorageConfig)
    llm: LLMConfig | None = None
    admin_users: list[str] = field(default_factory=list)
    admin_group: str | None = None
    # Values the file keeps that chat refuses (EST, a digest every 5 minutes, `chip or wafer`),
    # one line per topic or channel entry (`bot.config_warnings`), after values loaded otherwise than written (a
    # retention under the minimum), set by load_config: said at `run`'s start, by `config check`,
    # and by `poll`, `digest`, `feeds` and `prune` (to cron once per change: bot.cli.shown_warnings).
    warnings: list[str] = field(default_factory=list)

    def database_path(self) -> str:
        """NEWSDIGEST_DB, else the config's `database`, else ./newsdigest.db
        (`bot.database_location`)."""
        return database_path(self.database, self.path)

    def database_to_write(self, *, create: bool) -> str:
        """`database_path` for a process that writes: raises DatabaseChoiceError when the
        config's relative `database` could mean two files (`bot.database_location`)."""
        return database_to_write(self.database, self.path, create=create)


class PlatformConfigError(ValueError):
    """A chat platform is wanted but its environment settings are missing or wrong. The message
    says what to set, so it is logged on one line, without a traceback."""


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
    """--config, else NEWSDIGEST_CONFIG, else config/newsdigest.toml (which `load_config`
    replaces with the shipped example when it is missing)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("NEWSDIGEST_CONFIG")
    if env:
        return Path(env)
    return DEFAULT_CONFIG_PATH


MAX_WINDOW_HOURS = 30 * 24


def load_config(explicit: str | Path | None = None, *, required: bool = False) -> Config:
    """Load and validate the config. A missing default file is never synced (see
    `Config.missing_path`): its settings are the shipped example's when there is one
    (config/newsdigest.example.toml, with a warning saying to copy it), else the defaults. A
    missing file the user named explicitly is an error, and so, with `required`, is a missing
    default one (`config check`: the example is not the file to check)."""
    path = resolve_config_path(explicit)
    # Where the name came from: a stale NEWSDIGEST_CONFIG in the environment is easily forgotten,
    # and "file not found" alone sent people looking at the command line. (`explicit` is what
    # the CLI's --config gave.)
    source = None
    if explicit:
        source = "--config"
    elif os.environ.get("NEWSDIGEST_CONFIG"):
        source = "$NEWSDIGEST_CONFIG"
    example = None
    if not path.exists() and source is None and not required and EXAMPLE_CONFIG_PATH.is_file():
        example, path = path, EXAMPLE_CONFIG_PATH
    if not path.exists():
        if source or required:
            origin = f" (from {source})" if source else ""
            raise ConfigError("", f"file not found: {path}{origin}")
        return Config(missing_path=path)
    try:
        # A byte-order mark (Windows editors save one) is no TOML statement: read past it.
        raw = tomllib.loads(path.read_text(encoding="utf-8").removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("", f"not valid TOML ({exc})", path) from None
    except UnicodeDecodeError:
        raise ConfigError("", "not UTF-8 text", path) from None
    except OSError as exc:
        # A directory, a file without read permission, an I/O error: said in one line naming
        # the file, as the file system put it.
        raise ConfigError("", f"cannot read the file: {exc.strerror or exc}", path) from None
    try:
        config = parse_config(raw)
    except ConfigError as exc:
        raise ConfigError(exc.key, exc.problem, path) from None
    config.path = path
    config.missing_path = example  # not synced: see the field
    # parse_config's own (a value kept at a minimum, a feed listed twice), then the channels'.
    config.warnings = [f"{path}: {warning}" for warning in config.warnings]
    if example is not None:
        config.warnings.insert(
            0,
            f"{example} not found: read the shipped example {path} instead; copy it to "
            f"{example} and edit the copy (`make install` makes it; git ignores it, so "
            "`git pull` never changes it). Until then nothing is synced from a config file: "
            "the database's feeds, topics and channels are left as they are, and nothing is "
            "pruned by the example's storage.retention_days",
        )
    if config.topics or config.channels:
        # Only with entries to judge: the cron module is not loaded for every config read.
        from bot.config_warnings import config_warnings, topic_warnings

        config.warnings += topic_warnings(config.topics, path)
        config.warnings += config_warnings(config.channels, raw.get("channels", []), path)
    return config


def parse_config(raw: dict[str, Any]) -> Config:
    known = {
        "database",
        "polling",
        "feeds",
        "topics",
        "channels",
        "clustering",
        "storage",
        "llm",
        "admin",
        "digests",
    }
    reject_unknown(raw, known, "")
    config = Config()
    config.database = opt_str(raw, "database", "database")
    config.polling = parse_polling(table(raw, "polling"))
    raw_feeds = array(raw, "feeds")
    config.feeds = _one_entry_per_feed(
        [parse_feed(f, i, config.polling.default_interval) for i, f in enumerate(raw_feeds)],
        raw_feeds,
        config.warnings,
    )
    config.topics = [parse_topic(t, i) for i, t in enumerate(array(raw, "topics"))]
    config.channels = [parse_channel(c, i) for i, c in enumerate(array(raw, "channels"))]
    clustering = table(raw, "clustering")
    reject_unknown(clustering, {"window_hours"}, "clustering")
    if "window_hours" in clustering:
        hours = positive_int(clustering["window_hours"], "clustering.window_hours")
        # A story open for months would gather unrelated articles (and a huge value overflows
        # the date arithmetic at start-up).
        if hours > MAX_WINDOW_HOURS:
            raise ConfigError(
                "clustering.window_hours",
                f"{hours} is longer than the {MAX_WINDOW_HOURS}-hour (30-day) maximum",
            )
        config.story_window_hours = hours
    digests = table(raw, "digests")
    reject_unknown(digests, {"size"}, "digests")
    if "size" in digests:
        config.digest_size = digest_size(digests["size"], "digests.size")
    config.storage = parse_storage(
        table(raw, "storage"), config.story_window_hours, config.warnings
    )
    llm = table(raw, "llm")
    if llm:
        config.llm = parse_llm(llm, config.warnings)
    admin = table(raw, "admin")
    reject_unknown(admin, {"users", "group"}, "admin")
    config.admin_users = str_list(admin.get("users", []), "admin.users")
    config.admin_group = opt_str(admin, "group", "admin.group")
    _check_references(config)
    return config


def _one_entry_per_feed(
    feeds: list[FeedConfig], raw_feeds: list[Any], warnings: list[str]
) -> list[FeedConfig]:
    """The feeds with one entry per URL. A URL written twice alike is an error, as it always was;
    two spellings of one URL (`a%7eb` and `a~b`, `HTTPS://X` and `https://x`) loaded as two feeds
    before spellings were made one, so a file that has them must still start: the first entry is
    kept, and a warning names both."""
    first: dict[str, int] = {}
    kept: list[FeedConfig] = []
    for i, feed in enumerate(feeds):
        j = first.setdefault(feed.url, i)
        if j == i:
            kept.append(feed)
            continue
        written, earlier = _written_url(raw_feeds[i]), _written_url(raw_feeds[j])
        if written == earlier:
            raise ConfigError(f"feeds[{i}].url", f"duplicate feed {feed.url!r}")
        unused = [
            setting
            for setting, value, kept_value in (
                ("name", feed.name, feeds[j].name),
                ("interval", feed.interval, feeds[j].interval),
            )
            if value != kept_value
        ]
        ignored = f" (its {' and '.join(unused)} unused)" if unused else ""
        warnings.append(
            f"feeds[{i}].url = {written!r} is feeds[{j}].url = {earlier!r} spelt another way, "
            f"one feed, {feed.url}: loaded once, as feeds[{j}]; feeds[{i}] is ignored{ignored}. "
            f"Remove feeds[{i}] from the file."
        )
    return kept


def _written_url(raw: Any) -> str:
    url = raw if isinstance(raw, str) else raw.get("url", "")
    return str(url).strip()


def _check_references(config: Config) -> None:
    slugs = [t.slug for t in config.topics]
    seen: set[str] = set()
    for i, slug in enumerate(slugs):
        if slug in seen:
            raise ConfigError(f"topics[{i}].slug", f"duplicate topic {slug!r}")
        seen.add(slug)
    channels: set[tuple[str, str]] = set()
    for i, channel in enumerate(config.channels):
        ident = (channel.platform, channel.id)
        if ident in channels:
            raise ConfigError(
                f"channels[{i}].id", f"duplicate channel {channel.platform}:{channel.id}"
            )
        channels.add(ident)
        # A topic not under [[topics]] may be one added with `topics add` or in chat: only the
        # sync, which sees the database, can tell (bot.store.sync). A name no topic can have is
        # refused here, without a database.
        for j, topic in enumerate(channel.topics):
            if topic not in seen and not SLUG_RE.match(topic):
                raise ConfigError(
                    f"channels[{i}].topics[{j}]",
                    f"{topic!r} is no topic name (lowercase letters, digits and '-')",
                )
