"""`newsdigest -v` never logs an LLM endpoint's password: httpx logs each request URL, userinfo
included, at INFO, which -v turns on."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.llm_api import FakeCompletions, chat_body, serve_completions

from bot.cli import cli
from bot.config import Config

PASSWORD = "pw-s3cret-4711"


def test_verbose_story_does_not_log_the_endpoint_password(
    sample_config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_logging: None
) -> None:
    with serve_completions(chat_body(json.dumps({"tldr": []}))) as url:
        endpoint = url.replace("http://", f"http://user:{PASSWORD}@")
        config = tmp_path / "nd.toml"
        config.write_text(
            "[polling]\nallow_private_networks = true\ntimeout = 5\n"
            f'[llm]\nbase_url = "{endpoint}"\nmodel = "m"\n',
            encoding="utf-8",
        )
        monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
        monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
        runner = CliRunner()
        for feed in sample_config.feeds:
            assert runner.invoke(cli, ["feeds", "add", feed.url]).exit_code == 0
        assert runner.invoke(cli, ["poll"]).exit_code == 0
        # The earlier runs' handlers write to their own, finished, streams: start afresh.
        monkeypatch.setattr(logging.getLogger(), "handlers", [])
        FakeCompletions.requests = []
        story = runner.invoke(cli, ["-v", "story", "--llm", "kestrel", "lander"])
    assert story.exit_code == 0, story.output
    assert FakeCompletions.requests, "the story's card should have asked the LLM"
    # -v took effect and log lines reach the output: the check below is not vacuous.
    assert logging.getLogger().level == logging.INFO
    assert "bot.summarize.llm" in story.output
    assert PASSWORD not in story.output
