"""Every config example the project ships loads: each ```toml block of README.md and of the
docs/*.md pages, the shipped config/newsdigest.example.toml as it is, and that file with its
commented-out examples switched on. A copied example that makes every command exit 1 ("unknown
topic 'ai'") cannot come back."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from bot.config import Config, load_config

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# The README's reference sections (configuration, Slack and Discord) moved here, examples and all.
DOCS = sorted((ROOT / "docs").glob("*.md"))
SHIPPED = ROOT / "config" / "newsdigest.example.toml"
# Environment a deployment following the README would have; the loader reads none of it today,
# but a snippet naming one must not fail for want of it.
DUMMY_ENV = {
    "SLACK_BOT_TOKEN": "xoxb-dummy",
    "SLACK_SIGNING_SECRET": "dummy",
    "SLACK_APP_TOKEN": "xapp-dummy",
    "DISCORD_TOKEN": "dummy",
    "NEWSDIGEST_LLM_API_KEY": "dummy",
}


def readme_toml_blocks() -> list[str]:
    """The ```toml blocks of the README and docs/, list-indented ones dedented."""
    blocks = []
    for page in [README, *DOCS]:
        blocks += re.findall(r"^( *)```toml\n(.*?)^\1```", page.read_text("utf-8"), re.M | re.S)
    return [textwrap.dedent(body) for _, body in blocks]


def _load(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> Config:
    for name, value in DUMMY_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    path = tmp_path / "newsdigest.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_the_readme_has_toml_examples() -> None:
    assert len(readme_toml_blocks()) >= 2


@pytest.mark.parametrize("index", range(len(readme_toml_blocks())))
def test_each_readme_toml_example_loads(
    index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(tmp_path, readme_toml_blocks()[index], monkeypatch)


def test_the_discord_example_declares_the_topic_its_channel_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (block,) = [b for b in readme_toml_blocks() if 'platform = "discord"' in b and "[admin]" in b]
    config = _load(tmp_path, block, monkeypatch)
    assert [t.slug for t in config.topics] == ["ai"]
    assert config.channels[0].topics == ["ai"]


def test_the_shipped_config_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _load(tmp_path, SHIPPED.read_text("utf-8"), monkeypatch)
    # As shipped it only names the database: every feed, topic and channel is an example left
    # commented out for the operator to choose.
    assert config.database == "../newsdigest.db"
    assert (config.feeds, config.topics, config.channels) == ([], [], [])


def uncommented(text: str) -> str:
    """config/newsdigest.toml with its examples switched on: '# key = ...', '# [table]' and
    '# [[array]]' lines lose their '# ' (a '# # note' stays a comment)."""
    example = re.compile(r"^# (\[|[a-z_]+ = |# )")
    return "\n".join(line[2:] if example.match(line) else line for line in text.splitlines())


def test_the_shipped_configs_examples_load_switched_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = uncommented(SHIPPED.read_text("utf-8"))
    config = _load(tmp_path, text, monkeypatch)
    # Every example section was switched on, so each is checked.
    assert config.feeds and config.topics and config.channels
    assert config.llm is not None
    assert config.channels[0].topics == [t.slug for t in config.topics]
    # The examples are what to copy: none is warned of (bot.config_warnings).
    assert config.warnings == []
