"""The fingerprint a stored profile carries names the code the process runs (`kept_raw`): read
at import, through the modules' loaders. A process still running the old code after an upgrade
replaced the files must not stamp its profiles as the new code's, and a package installed
compiled only (no .py files), or zipped, still clusters. Each in a process of its own, on a
copy of the package."""

from __future__ import annotations

import compileall
import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Prints the fingerprint, then clusters two reports of one story and packs and reads back what
# the text of the first yielded.
CLUSTER = """
import sys
from datetime import datetime, UTC
from bot.cluster import kept_raw
from bot.cluster.online import OnlineClusterer
from bot.cluster.profile import raw_profile
from bot.models import Article

clusterer = OnlineClusterer()
w = clusterer.settings.features
assert kept_raw.__file__.startswith(sys.argv[1]), kept_raw.__file__
print((kept_raw.fingerprint(w) or b"").hex())
when = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
texts = [("Harbour bridge closed after ship strikes it", "The bridge shut on Tuesday."),
         ("Ship strikes harbour bridge, which is closed", "Crews inspected the bridge Tuesday.")]
for i, (title, text) in enumerate(texts):
    clusterer.add(Article(id=f"a{i}", source=f"S{i}", title=title, text=text,
                          published=when, seen=when))
raw = raw_profile(*texts[0], w)
packed = kept_raw.pack_raw(raw, w)
print(len(clusterer.open_stories()), kept_raw.unpack_raw(packed, w) == raw if packed else None)
"""


def run(code: str, path: Path, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        # Not run where a `bot` package is beside it: `-c` puts the working directory first.
        cwd=path.parent,
        env={"PYTHONPATH": str(path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" or "Traceback" not in done.stderr
    return done.stdout.split("\n")


def copy(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    shutil.copytree(ROOT / "bot", root / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def compiled_only(root: Path) -> Path:
    """The copy with each module's compiled file in its place, and no .py file."""
    assert compileall.compile_dir(root / "bot", legacy=True, quiet=1)
    for source in (root / "bot").rglob("*.py"):
        source.unlink()
    return root


def test_a_package_installed_compiled_only_clusters_and_keeps_profiles(tmp_path: Path) -> None:
    root = compiled_only(copy(tmp_path))
    stamp, counts, _ = run(CLUSTER, root, str(root))
    assert len(stamp) == 16
    assert counts.split() == ["1", "True"]  # one story; its profile reads back


def test_a_zipped_package_clusters_and_keeps_profiles(tmp_path: Path) -> None:
    root = compiled_only(copy(tmp_path))
    zipped = tmp_path / "bot.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in sorted((root / "bot").rglob("*")):
            archive.write(path, path.relative_to(root))
    stamp, counts, _ = run(CLUSTER, zipped, str(zipped))
    assert len(stamp) == 16
    assert counts.split() == ["1", "True"]


def test_a_process_upgraded_under_its_feet_keeps_its_own_code_s_fingerprint(
    tmp_path: Path,
) -> None:
    """The files replaced (a `git pull`, a `pip install`) while the old code runs: the profiles
    it then stores are the old code's, and must not read back as the new code's."""
    root = copy(tmp_path)
    textutil = root / "bot" / "textutil.py"
    upgrade = "\nSTOPWORDS = STOPWORDS | {'harbour'}\n"
    old_process = (
        "import sys\n"
        "from bot.cluster import kept_raw\n"
        "from bot.cluster.features import FeatureWeights\n"
        f"with open({str(textutil)!r}, 'a') as f:\n"
        f"    f.write({upgrade!r})\n"
        "print(kept_raw.fingerprint(FeatureWeights()).hex())\n"
    )
    new_process = (
        "from bot.cluster import kept_raw\n"
        "from bot.cluster.features import FeatureWeights\n"
        "print(kept_raw.fingerprint(FeatureWeights()).hex())\n"
    )
    before = run(new_process, root)[0]
    stamped_after_upgrade = run(old_process, root)[0]
    new_code = run(new_process, root)[0]
    assert new_code != before  # the upgrade changed the analysis code
    assert stamped_after_upgrade == before


def test_code_that_cannot_be_read_stores_no_profiles_and_reads_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A loader that cannot give a module's bytes: clustering goes on, with nothing stored."""
    from bot.cluster import kept_raw
    from bot.cluster.features import FeatureWeights
    from bot.cluster.profile import raw_profile

    weights = FeatureWeights()
    raw = raw_profile("Harbour bridge closed", "The bridge shut on Tuesday.", weights)
    packed = kept_raw.pack_raw(raw, weights)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(kept_raw, "_CODE", kept_raw._code_digest())
    kept_raw.fingerprint.cache_clear()
    try:
        assert kept_raw._CODE is None
        assert kept_raw.pack_raw(raw, weights) == b""
        assert kept_raw.unpack_raw(packed, weights) is None
    finally:
        kept_raw.fingerprint.cache_clear()
