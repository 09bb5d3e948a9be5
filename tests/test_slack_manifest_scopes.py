"""The Slack app manifest asks for every bot scope the bot's Slack code and the docs say it uses:
a scope named there but missing from the manifest is a check that quietly never runs (the group
DM sign-up check, conversations.info, answered `missing_scope` without `mpim:read`)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
# A Slack scope as the docs and comments write it: `groups:read`, `chat:write.public`.
_SCOPE_RE = re.compile(r"\b[a-z_]+:(?:read|write|history|join)(?:\.[a-z]+)?\b")
# The app-level token's scope (Socket Mode), asked for on its own page, not in the manifest.
_APP_LEVEL = {"connections:write"}


def _manifest_bot_scopes() -> set[str]:
    text = (ROOT / "config" / "slack-manifest.yml").read_text("utf-8")
    block = text.split("  scopes:\n    bot:\n", 1)[1].split("\nsettings:", 1)[0]
    return set(re.findall(r"^\s+- ([a-z_:.]+)\s*$", block, re.MULTILINE))


def _named_scopes() -> dict[str, set[str]]:
    """Each scope named in the README, the docs and the Slack adapter, with where."""
    files = [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    files += sorted((ROOT / "bot" / "adapters" / "slack").glob("*.py"))
    files.append(ROOT / "bot" / "config_warnings.py")
    named: dict[str, set[str]] = {}
    for path in files:
        for scope in _SCOPE_RE.findall(path.read_text("utf-8")):
            named.setdefault(scope, set()).add(str(path.relative_to(ROOT)))
    return named


def test_the_manifest_asks_for_every_scope_the_bot_and_its_docs_name() -> None:
    asked = _manifest_bot_scopes()
    assert {"commands", "chat:write", "groups:read"} <= asked  # the block was found
    named = _named_scopes()
    missing = {scope: where for scope, where in named.items() if scope not in asked | _APP_LEVEL}
    assert missing == {}


def test_the_group_dm_sign_up_check_has_its_scope() -> None:
    # conversations.info on a group DM (an `mpdm-…` conversation) needs mpim:read.
    assert "mpim:read" in _manifest_bot_scopes()
    assert "mpim:read" in _named_scopes()
