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
        if self._core is None:
            self._core = NewsDigest(self.config)
            self._core.sync_config()
        return self._core

    def close(self) -> None:
        if self._core is not None:
            self._core.close()
            self._core = None


pass_cli = click.make_pass_decorator(CliContext)
