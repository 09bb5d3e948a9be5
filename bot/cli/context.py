"""Lazily opened config, database and core, shared by every CLI command."""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from bot.app import NewsDigest
from bot.config import Config, ConfigError, load_config


@dataclass
class CliContext:
    config_path: str | None
    _config: Config | None = None
    _core: NewsDigest | None = field(default=None, repr=False)
    _synced: bool = False

    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = load_config(self.config_path)
            except ConfigError as exc:
                raise click.ClickException(f"invalid configuration: {exc}") from None
        return self._config

    @property
    def core(self) -> NewsDigest:
        """The core on the database as it is. Commands that only read or edit the database use
        this: syncing the config is a write that reads the config relative to the current
        directory, so a look from elsewhere must not be able to change what the bot does."""
        if self._core is None:
            self._core = NewsDigest(self.config)
        return self._core

    @property
    def synced_core(self) -> NewsDigest:
        """The core after syncing the config into the database, for `poll` (which, like `run`,
        acts on the config's feeds). A config file that was not found is not synced."""
        core = self.core
        if not self._synced:
            core.sync_config()
            self._synced = True
        return core

    def config_file(self) -> str:
        """The config file to name in messages about entries it declares."""
        path = self.config.path or self.config.missing_path
        return str(path) if path else "the config file"

    def close(self) -> None:
        if self._core is not None:
            self._core.close()
            self._core = None


pass_cli = click.make_pass_decorator(CliContext)
