"""`feeds import` warns about feeds on addresses polling refuses (loopback), as `feeds add`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli

OPML = b"""<?xml version="1.0"?><opml version="2.0"><body>
<outline text="Local" xmlUrl="http://127.0.0.1:9/a.xml"/>
<outline text="Also local" xmlUrl="http://[::1]:9/b.xml"/>
<outline text="Public" xmlUrl="https://example.org/c.xml"/>
</body></opml>"""


@pytest.fixture
def opml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "subs.opml"
    path.write_bytes(OPML)
    return path


def test_import_warns_once_per_blocked_url(opml: Path) -> None:
    result = CliRunner().invoke(cli, ["feeds", "import", str(opml)])
    assert result.exit_code == 0, result.output
    assert "Imported 3 feeds" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 2
    assert warnings[0].startswith("Warning: http://127.0.0.1:9/a.xml: ")
    assert warnings[1].startswith("Warning: http://[::1]:9/b.xml: ")
    assert all("loopback" in w and "polling will fail until then" in w for w in warnings)
    # The same words as `feeds add` uses for the same URL.
    added = CliRunner().invoke(cli, ["feeds", "add", "http://127.0.0.1:9/d.xml"])
    assert warnings[0].split(": ", 2)[2] in added.stderr.replace("Warning: ", "")


def test_no_warning_when_private_networks_are_allowed(opml: Path, tmp_path: Path) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "feeds", "import", str(opml)])
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.stderr
