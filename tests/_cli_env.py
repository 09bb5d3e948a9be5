"""A CLI test's environment: a config file and the database beside it, named by
$NEWSDIGEST_CONFIG and $NEWSDIGEST_DB, as an operator's service sets them."""

from __future__ import annotations

from pathlib import Path

import pytest


def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config_text: str = "") -> Path:
    """Write the config (`config_text`) and point the environment at it; returns its path."""
    config = tmp_path / "nd.toml"
    config.write_text(config_text, encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    return config
