"""The benchmark and training scripts still start: they are not imported by the package, so a
moved or renamed name breaks them only when someone next runs them (usually to measure a change)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
SCRIPTS = sorted(p for p in BENCH.glob("*.py") if not p.name.startswith("_"))
# The scripts that read the labelled evaluation data, which CI machines may not have.
NEEDS_DATA = (
    "cluster_quality",
    "cluster_speed",
    "summary_quality",
    "topic_match",
    "train_cluster_model",
    "train_summary_model",
)


def _run(
    script: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BENCH.parent,
        env=env,
    )


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_every_bench_script_imports_and_explains_itself(script: Path) -> None:
    proc = _run(script, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.lower().startswith("usage:")


@pytest.mark.parametrize("name", NEEDS_DATA)
def test_a_bench_without_the_evaluation_data_says_so_and_skips(name: str, tmp_path: Path) -> None:
    env = {**os.environ, "NEWSDIGEST_DATA": str(tmp_path)}
    proc = _run(BENCH / f"{name}.py", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "skip" in proc.stdout.lower()
    assert "Traceback" not in proc.stderr


def test_cluster_quality_takes_seeds_of_further_held_out_samples(tmp_path: Path) -> None:
    # The pair model's docstring judges a change by the held-out sample and these; a seed list
    # that is not one is refused up front, before minutes of clustering.
    script = BENCH / "cluster_quality.py"
    assert "--seeds" in _run(script, "--help").stdout
    proc = _run(script, "--seeds", "1,two")
    assert proc.returncode == 2
    assert "expected comma-separated whole numbers, got '1,two'" in proc.stderr
    env = {**os.environ, "NEWSDIGEST_DATA": str(tmp_path)}
    skipped = _run(script, "--seeds", "1,2", env=env)
    assert skipped.returncode == 0, skipped.stderr
    assert "skip" in skipped.stdout.lower()
