"""The `newsdigest run` process: its environment settings and logging, the one-instance lock on
the database, and the asyncio loop the `Service` runs in until it is stopped.

`/healthz` answers from the first moment the loop runs: the health endpoint is bound before the
service's code is imported and the database opened (and migrated), which take seconds, or minutes
for a migration on a big database. Both are done in a worker thread meanwhile, so the endpoint
answers "starting" (HTTP 503) throughout, and an orchestrator sees a starting bot, not a dead one.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Config, ConfigError
from bot.database_location import DatabaseChoiceError
from bot.runner.health import loading_status, start_health
from bot.runner.logs import configure_logging
from bot.runner.settings import RunnerSettings, SettingsError
from bot.store.database import DatabaseOpenError, utcnow
from bot.store.lock import lock_database

if TYPE_CHECKING:
    from bot.app import NewsDigest
    from bot.runner.service import Service

log = logging.getLogger(__name__)

# Modules `Service.start` would otherwise import on the loop, each a few tenths of a second while
# /healthz waits: loaded in the worker thread beside the service's own.
START_MODULES = (
    "bot.commands.core",
    "bot.pipeline.clustering",
    "bot.pipeline.poll",
    "bot.pipeline.refusals",
    "bot.pipeline.internal_recovery",
)


def run_service(config: Config) -> None:
    try:
        settings = RunnerSettings.from_env()
    except SettingsError as exc:
        # A typo in the environment is the operator's to fix: say which variable, no traceback.
        raise SystemExit(f"Error: {exc}") from None
    configure_logging(settings.log_format)

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
        # Which file this instance keeps its state in, in full: a relative path names a
        # different file from another directory, and "where did my stories go" starts here.
        log.info("database: %s", path if path == ":memory:" else os.path.abspath(path))
        log.info("config: %s", _config_file(config))
        asyncio.run(_serve(config, settings))
    except SettingsError as exc:  # found at start, e.g. the health port is taken
        raise SystemExit(f"Error: {exc}") from None
    except ConfigError as exc:  # found by the sync: a channel's topic that exists nowhere
        raise SystemExit(f"Error: invalid configuration: {exc}") from None
    finally:
        if lock is not None:
            lock.release()


async def _serve(config: Config, settings: RunnerSettings) -> None:
    started_at = utcnow()
    health = await start_health(settings, lambda: loading_status(started_at))
    try:
        core, service_class = await asyncio.to_thread(load_service, config)
        service = service_class(config, core=core, settings=settings, health_server=health)
    except BaseException:
        if health is not None:
            await health.stop()
        raise
    await service.run_until_stopped()


def load_service(config: Config) -> tuple[NewsDigest, type[Service]]:
    """What takes seconds before the service can start, run in a worker thread while the loop
    answers /healthz: importing the service's code and opening (and migrating) the database. The
    connection is made for use on the loop's thread (`open_database`: check_same_thread off)."""
    from bot.app import NewsDigest
    from bot.runner.platforms import preload_platforms
    from bot.runner.service import Service

    for name in START_MODULES:
        importlib.import_module(name)
    from bot.ingest.transport import ssl_context

    ssl_context()  # the CA bundle (~0.1 s), read here rather than by the poller's open
    preload_platforms(config, os.environ)
    return NewsDigest(config), Service


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
