"""The `newsdigest run` process: its environment settings and logging, the one-instance lock on
the database, and the asyncio loop the `Service` runs in until it is stopped."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from bot.config import Config, ConfigError
from bot.database_location import DatabaseChoiceError
from bot.runner.logs import configure_logging
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings, SettingsError
from bot.store.database import DatabaseOpenError
from bot.store.lock import lock_database

log = logging.getLogger(__name__)


def run_service(config: Config) -> None:
    try:
        settings = RunnerSettings.from_env()
    except SettingsError as exc:
        # A typo in the environment is the operator's to fix: say which variable, no traceback.
        raise SystemExit(f"Error: {exc}") from None
    configure_logging(settings.log_format)
    from bot.app import NewsDigest

    # The lock first, held until the process exits: a second instance on the same database
    # would resend the first one's in-flight posts (see `bot.store.lock`), and opening the
    # database migrates it, which a refused instance must not do to the running one's. A path
    # that is a directory gets its own error first rather than a lock file beside it.
    try:
        # Two databases the config could mean: started on either, it would fork the deployment.
        path = config.database_to_write(create=True)
    except DatabaseChoiceError as exc:
        raise SystemExit(f"Error: {exc}") from None
    if path != ":memory:" and Path(path).is_dir():
        raise DatabaseOpenError(path, "cannot open: it is a directory")
    lock = lock_database(path)
    try:
        core = NewsDigest(config)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    # Which file this instance keeps its state in, in full: a relative path names a different
    # file from another directory, and "where did my stories go" starts here.
    log.info("database: %s", path if path == ":memory:" else os.path.abspath(path))
    log.info("config: %s", _config_file(config))
    try:
        asyncio.run(Service(config, core=core, settings=settings).run_until_stopped())
    except SettingsError as exc:  # found at start, e.g. the health port is taken
        raise SystemExit(f"Error: {exc}") from None
    except ConfigError as exc:  # found by the sync: a channel's topic that exists nowhere
        raise SystemExit(f"Error: invalid configuration: {exc}") from None
    finally:
        if lock is not None:
            lock.release()


def _config_file(config: Config) -> str:
    """The config file `run` read, in full, or what it read in place of a missing one: beside
    the database, so the log says which files this instance runs on."""
    if config.missing_path is None:
        return os.path.abspath(config.path) if config.path else "none"
    instead = (
        f"the settings of the shipped example, {os.path.abspath(config.path)}"
        if config.path is not None
        else "the default settings"
    )
    return (
        f"{os.path.abspath(config.missing_path)} not found: running by {instead}; nothing is "
        "synced from a config file"
    )
