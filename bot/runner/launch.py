"""The `newsdigest run` process: its environment settings and logging, the one-instance lock on
the database, and the asyncio loop the `Service` runs in until it is stopped.

`/healthz` answers from the first moment the loop runs: the health endpoint is bound before the
service's code is imported and the database opened (and migrated), which take seconds, or minutes
for a migration on a big database. Both are done in a worker thread meanwhile, so the endpoint
answers "starting" (HTTP 503) throughout, and an orchestrator sees a starting bot, not a dead one.

Ctrl-C while loading exits at once (130): the thread is a daemon the interpreter does not wait
for (asyncio's executor threads it would join, for as long as a migration takes), and it begins
no further migration once the stop is asked. A migration cut short by the exit is rolled back by
SQLite, its record with it, and the next start applies it. SIGTERM while loading stops the same
way, but exits 0 (`StoppedWhileLoading`): a service manager's stop, clean as it is once the
service runs. Its default action killed the process where it stood, unlogged; it still applies
in the first moment, while Python imports the command line, before anything is read or written:
a handler installed that early would be every command's, and a `poll` stopped by SIGTERM is not
a clean exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.config import Config, ConfigError
from bot.database_location import DatabaseChoiceError
from bot.runner.health import loading_status, start_health
from bot.runner.logs import configure_logging
from bot.runner.new_database import is_new, new_database_warning
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
    new = is_new(path)
    if new and config.missing_path is None:
        from bot.store.sync import unknown_channel_topic

        # The sync would refuse it (a channel's topic neither in the file nor in a database
        # that has none yet) after creating and migrating the file: an empty database left
        # behind, which the next start takes for this deployment's.
        if (error := unknown_channel_topic(config, lambda slug: False)) is not None:
            raise SystemExit(f"Error: invalid configuration: {error}")
    lock = lock_database(path)
    try:
        # Which file this instance keeps its state in, in full: a relative path names a
        # different file from another directory, and "where did my stories go" starts here.
        log.info("database: %s", path if path == ":memory:" else os.path.abspath(path))
        log.info("config: %s", _config_file(config))
        asyncio.run(_serve(config, settings, new_path=path if new else None))
    except SettingsError as exc:  # found at start, e.g. the health port is taken
        raise SystemExit(f"Error: {exc}") from None
    except ConfigError as exc:  # found by the sync: a channel's topic that exists nowhere
        raise SystemExit(f"Error: invalid configuration: {exc}") from None
    except StoppedWhileLoading:
        # A stop asked for, as SIGTERM once the service runs: exit 0, so a service manager's
        # restart-on-failure does not start it again. A migration under way was rolled back.
        log.info("stopped before the service started; the next start loads it again")
    finally:
        if lock is not None:
            lock.release()


class StoppedWhileLoading(Exception):
    """SIGTERM came before the service started: the start was given up, nothing was begun."""


async def _serve(config: Config, settings: RunnerSettings, *, new_path: str | None = None) -> None:
    """`new_path`: the database, when this start creates it (`new_database`)."""
    started_at = utcnow()
    stop = threading.Event()
    terminated = _cancel_on_sigterm()
    health = None
    try:
        health = await start_health(settings, lambda: loading_status(started_at))
        core, service_class = await in_daemon_thread(lambda: load_service(config, stop))
        if new_path is not None:
            log.warning(new_database_warning(new_path, config), extra={"event": "database_created"})
        service = service_class(config, core=core, settings=settings, health_server=health)
    except BaseException as exc:
        stop.set()  # interrupted (or failed): the loading thread begins no further migration
        _default_sigterm()
        if health is not None:
            await health.stop()
        if terminated.is_set() and isinstance(exc, asyncio.CancelledError):
            raise StoppedWhileLoading from None
        raise
    # The service's own handler takes SIGTERM over before its first await.
    await service.run_until_stopped()


def _cancel_on_sigterm() -> threading.Event:
    """Until the service takes it over, SIGTERM cancels the start as asyncio.run's handler does
    for Ctrl-C; the event returned says it came. Without a handler, SIGTERM's default action
    killed the process mid-load: no log line, the health endpoint cut off."""
    terminated = threading.Event()
    task = asyncio.current_task()
    if task is None:
        return terminated

    def on_sigterm() -> None:
        if not terminated.is_set():
            log.info("stop requested while loading", extra={"event": "stopping"})
        terminated.set()
        task.cancel()

    # Off the main thread, or where the loop has no signal handlers: SIGTERM as before.
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, on_sigterm)
    return terminated


def _default_sigterm() -> None:
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)


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
