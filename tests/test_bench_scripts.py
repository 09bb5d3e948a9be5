"""The benchmark and training scripts still start: they are not imported by the package, so a
moved or renamed name breaks them only when someone next runs them (usually to measure a change)."""

from __future__ import annotations

import json
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


def _story(cluster_id: str, texts: list[str], summary: str) -> str:
    articles = [
        {"id": f"{cluster_id}-{i}", "source": f"site{i}.example", "title": "", "text": text}
        for i, text in enumerate(texts)
    ]
    return json.dumps(
        {"cluster_id": cluster_id, "articles": articles, "reference": {"summary": summary}}
    )


def test_the_reranker_cv_can_count_the_stories_without_a_choice(tmp_path: Path) -> None:
    """`--every-story` keeps a story the search finds no candidate for (ROUGE 0) in the CV mean,
    so two candidate pools are compared on the same stories; by default only stories with a
    choice count."""
    told = (
        "The city council approved a new budget for the harbour on Monday evening. "
        "The budget adds four ferries and repairs the old pier before the summer season. "
        "Council members voted nine to two after a long debate about the costs. "
        "The mayor said the harbour will reopen to visitors in early June this year."
    )
    retold = (
        "Councillors passed the harbour budget on Monday after a debate of three hours. "
        "Four new ferries will join the fleet and the pier will be repaired by June. "
        "Two members voted against the plan, citing the rising costs of the repairs."
    )
    data = tmp_path / "clusters.jsonl"
    # Three stories with a choice, so each of the two folds has one to train on.
    lines = [
        _story(f"neus-train-{n}", [told, retold], "The council approved a harbour budget.")
        for n in range(3)
    ]
    lines.append(_story("neus-train-3", ["Short.", "Tiny."], "Nothing here becomes a bullet."))
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    script = BENCH / "train_summary_model.py"
    args = (str(data), "--stage", "rerank", "--dry-run", "--folds", "2")
    default = _run(script, *args)
    every = _run(script, *args, "--every-story")
    assert default.returncode == 0, default.stderr
    assert every.returncode == 0, every.stderr
    assert "(3 stories" in default.stdout
    assert "(4 stories" in every.stdout
