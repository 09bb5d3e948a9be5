"""A config file saved with a UTF-8 byte-order mark (Notepad and other Windows editors) loads."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config


def test_a_config_with_a_utf8_bom_loads_as_without(tmp_path: Path) -> None:
    path = tmp_path / "newsdigest.toml"
    text = (
        'database = "x.db"\n\n[polling]\ntimeout = 5\n\n[[feeds]]\nurl = "https://a.example/rss"\n'
    )
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    config = load_config(path)
    assert config.database == "x.db"
    assert config.polling.timeout == 5
    assert [f.url for f in config.feeds] == ["https://a.example/rss"]


def test_only_a_leading_bom_is_skipped(tmp_path: Path) -> None:
    # Past the start it is a stray character in the TOML, as before.
    path = tmp_path / "newsdigest.toml"
    path.write_bytes(b'database = "x.db"\n' + codecs.BOM_UTF8 + b"[polling]\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)
