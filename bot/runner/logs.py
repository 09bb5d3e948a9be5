"""Log lines: the long-running service's, one JSON object per line on stderr with any
`extra={...}` fields a call adds (event, channel, story, feed...), and the CLI's on stderr."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from bot.database_location import DATABASE_WARNING

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# Warnings written for whoever runs a command, about what it did: the CLI says them as its
# other "Warning:" lines, not as a timestamped log line naming a module.
SAID_AS_WARNINGS = frozenset({DATABASE_WARNING})

# A log line as text: the CLI's, and `run`'s with NEWSDIGEST_LOG_FORMAT=text.
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class CliFormatter(logging.Formatter):
    """The log lines of a command other than `run` (on stderr): diagnostics as
    `TEXT_FORMAT`, and the warnings in `SAID_AS_WARNINGS` (their `event`) as "Warning: ...",
    like the warnings the commands print themselves."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno == logging.WARNING and getattr(record, "event", None) in SAID_AS_WARNINGS:
            return f"Warning: {record.getMessage()}"
        return super().format(record)


def cli_verbosity(level: int) -> int:
    """How many -v the CLI was given, from the root level it set (`bot.cli`): WARNING 0, INFO
    1, DEBUG 2. A root level no one set (NOTSET) is 0."""
    if level == logging.NOTSET or level > logging.INFO:
        return 0
    return 1 if level > logging.DEBUG else 2


def configure_logging(log_format: str = "json") -> None:
    """JSON lines, or plain text for `text` (NEWSDIGEST_LOG_FORMAT, read and checked by
    `RunnerSettings`); at least INFO, since a service that logs only warnings cannot be
    followed; the libraries' warnings and errors only. The CLI's -v flags (read from the root
    level it set) add: -v newsdigest's own DEBUG lines (each feed's poll, a quiet pass); -vv the
    libraries' INFO and DEBUG lines too (discord.py, slack-sdk, apscheduler's every job run),
    but for httpx and httpcore (`quiet_http_clients`)."""
    root = logging.getLogger()
    verbose = cli_verbosity(root.level)
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "text":
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    else:
        handler.setFormatter(JsonFormatter())
    root.handlers[:] = [handler]
    # The root's level is every library's (discord.py, slack-bolt, slack-sdk, apscheduler,
    # aiohttp...): their INFO is their own bookkeeping (discord.py's "logging in using static
    # token" at each retry, apscheduler's every job run), so below -vv only their warnings show.
    root.setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)
    logging.getLogger("bot").setLevel(logging.DEBUG if verbose >= 1 else logging.INFO)
    quiet_http_clients()


def quiet_http_clients() -> None:
    """Keep httpx and httpcore to warnings, whatever the root level.

    httpx logs every request's URL at INFO, userinfo included: an LLM endpoint configured as
    http://user:password@host would put its password in the log of any verbose run.
    """
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
