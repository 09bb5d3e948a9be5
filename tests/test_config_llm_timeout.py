"""`[llm] timeout` takes seconds as `[polling] timeout` does: decimals too, never 0, nan or inf."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config

LLM = '[llm]\nbase_url = "http://127.0.0.1:8000/v1"\nmodel = "m"\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsdigest.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("value", "seconds"), [("20.5", 20.5), ("30", 30.0), ("0.5", 0.5)])
def test_a_timeout_in_seconds_loads(tmp_path: Path, value: str, seconds: float) -> None:
    config = load_config(write(tmp_path, f"{LLM}timeout = {value}\n"))
    assert config.llm is not None and config.llm.timeout == seconds


@pytest.mark.parametrize("value", ["0", "-1", "inf", "nan", '"20"'])
def test_a_timeout_that_is_no_time_is_refused_as_pollings_is(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as llm:
        load_config(write(tmp_path, f"{LLM}timeout = {value}\n"))
    with pytest.raises(ConfigError) as polling:
        load_config(write(tmp_path, f"[polling]\ntimeout = {value}\n"))
    assert llm.value.key == "llm.timeout"
    assert llm.value.problem == polling.value.problem
