"""The `newsdigest run` process: its environment settings and logging, the one-instance lock on
the database, and the asyncio loop the `Service` runs in until it is stopped.

`/healthz` answers from the first moment the loop runs: the health endpoint is bound before the
service's code is imported and the database opened (and migrated), which take seconds, or minutes
for a migration on a big database. Both are done in a worker thread meanwhile, so the endpoint
answers "starting" (HTTP 503) throughout, and an orchestrator sees a starting bot, not a dead one.

Ctrl-C while loading exits at once (130): the thread is a daemon the interpreter does not wait
for (asyncio's executor threads it would join, for as long as a migration takes), and it begins
no further migration once the stop is asked. A migration cut short by the exit is rolled back by
SQLite, its record with it, and the next start applies it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

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

T = TypeVar("T")

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
    stop = threading.Event()
    try:
        core, service_class = await in_daemon_thread(lambda: load_service(config, stop))
        service = service_class(config, core=core, settings=settings, health_server=health)
    except BaseException:
        stop.set()  # interrupted (or failed): the loading thread begins no further migration
        if health is not None:
            await health.stop()
        raise
    await service.run_until_stopped()


async def in_daemon_thread(work: Callable[[], T]) -> T:
    """`work()` in a daemon thread, awaited. Unlike `asyncio.to_thread`, whose executor threads
    `asyncio.run` joins on the way out, an interrupt does not wait for it to finish."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():  # cancelled by the interrupt meanwhile
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        result: T | None = None
        error: BaseException | None = None
        try:
            result = work()
        except BaseException as exc:  # handed to the awaiting task, raised there
            error = exc
        # The loop closed: nobody waits for the result.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=run, name="newsdigest-load", daemon=True).start()
    return await future


def load_service(
    config: Config, stop: threading.Event | None = None
) -> tuple[NewsDigest, type[Service]]:
    """What takes seconds before the service can start, run in a worker thread while the loop
    answers /healthz: importing the service's code and opening (and migrating) the database. The
    connection is made for use on the loop's thread (`open_database`: check_same_thread off).
    `stop`, set when the start is interrupted, begins no further migration."""
    from bot.app import NewsDigest
    from bot.runner.platforms import preload_platforms
    from bot.runner.service import Service

    for name in START_MODULES:
        importlib.import_module(name)
    from bot.ingest.transport import ssl_context

    ssl_context()  # the CA bundle (~0.1 s), read here rather than by the poller's open
    preload_platforms(config, os.environ)
    return NewsDigest(config, stop_migrating=stop), Service


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
