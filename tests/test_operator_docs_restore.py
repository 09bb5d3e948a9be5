"""What the operator docs say of moving a database and restoring a backup, the two ways a
deployment loses its record of what it posted: a restored backup posts again what went out since
it was taken, and a database left behind starts an empty one that posts everything again."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The command table moved from README.md to docs/COMMANDS.md, beside DEPLOY.md.
COMMANDS = (ROOT / "docs" / "COMMANDS.md").read_text(encoding="utf-8")
DEPLOY = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    """The text under `heading` in DEPLOY.md, up to its next heading (a
    code block's "# comment" is none)."""
    match = re.search(rf"^#{{2,}} {re.escape(heading)}\n(.*?)(?=^#{{2,}} )", DEPLOY, re.M | re.S)
    assert match, f"DEPLOY.md has no section {heading!r}"
    return match.group(1)


def test_restoring_says_what_is_posted_again() -> None:
    text = " ".join(section("Restoring a backup").split())
    for repeated in ("every card", "thread reply", "digest", "NEWSDIGEST_CATCHUP_WINDOW"):
        assert repeated in text
    assert "no way to skip the repeats that drops nothing" in text
    [row] = [line for line in COMMANDS.splitlines() if line.startswith("| `backup DEST")]
    assert "is posted again" in row and "(DEPLOY.md#restoring-a-backup)" in row
    going_back = " ".join(section("Upgrading").split())
    assert "posted again" in going_back and "(#restoring-a-backup)" in going_back


def test_moving_the_database_keeps_its_wal_and_a_checkouts_file() -> None:
    text = " ".join(section("Moving the database").split())
    assert (
        "systemctl stop newsdigest" in text and "backup /var/lib/newsdigest/newsdigest.db" in text
    )
    assert "newsdigest.db-wal" in text and "newsdigest.db-shm" in text
    assert "A fresh clone has none" in text and "bring the file along" in text
    assert "Created a new database" in text
