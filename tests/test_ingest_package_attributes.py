"""`bot.ingest` loads its modules on first use, yet `bot.ingest.parser` still works as an
attribute, as it did when the package imported them all; an unknown name is still an
AttributeError. Run in a fresh interpreter: in the test process the modules are loaded already."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import sys
import bot.ingest
assert "bot.ingest.parser" not in sys.modules, "imported before it was asked for"
assert callable(bot.ingest.parser.parse_feed)
assert bot.ingest.opml.parse_opml is bot.ingest.parse_opml
try:
    bot.ingest.no_such_module
except AttributeError:
    print("ok")
"""


def test_a_submodule_is_an_attribute_of_the_package() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
