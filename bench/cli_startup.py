"""Wall time of the light `newsdigest` commands, start-up included, beside `import click`.

    .venv/bin/python bench/cli_startup.py             # 9 runs of each, the median
    .venv/bin/python bench/cli_startup.py --runs 21

Each command runs as the console script does (`python -m bot ...`), on a small database made in
a temporary directory (20 feeds, polled once from 127.0.0.1, so `stories` lists some). The
baseline, `python -c "import click"`, is the least a click command line can start in; the runs
take turns, so a busy machine slows every row alike and the ratios hold where the absolute
times do not.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # benches run as plain scripts
    sys.path.insert(0, str(REPO))

from bench._runner import rss, write_config  # noqa: E402
from bot.feedserver import FeedServer, Reply  # noqa: E402

FEEDS = 20
# Made-up subjects, one story each once several desks report them.
SUBJECTS = [
    "harbour crane strike",
    "river ferry timetable",
    "glacier survey flight",
    "orchard frost damage",
    "library roof repair",
    "tram depot expansion",
    "lighthouse keeper retires",
    "marathon route change",
]
COMMANDS: dict[str, list[str]] = {
    'python -c "import click"': ["-c", "import click"],
    "newsdigest --help": ["-m", "bot", "--help"],
    "newsdigest feeds list": ["-m", "bot", "feeds", "list"],
    "newsdigest stories": ["-m", "bot", "stories"],
    "newsdigest status": ["-m", "bot", "status"],
}
BASELINE = 'python -c "import click"'


def make_database(tmp: Path, server: FeedServer) -> dict[str, str]:
    """The environment of commands on a new database holding FEEDS polled feeds."""
    for i in range(FEEDS):
        subjects = [SUBJECTS[(i + j) % len(SUBJECTS)] for j in range(5)]
        items = [(f"f{i}-{j}", f"Desk {i} on the {subject}") for j, subject in enumerate(subjects)]
        server.route(f"/feed{i}.xml", Reply(body=rss(f"Desk {i}", items)))
    config = tmp / "bench.toml"
    write_config(config, [server.url(f"/feed{i}.xml") for i in range(FEEDS)], interval="15m")
    # Bytecode cached as in an installed copy (the first, uncounted run of each command writes it),
    # in the temporary directory: compiling the sources each time would be most of what is timed.
    drop = ("COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env |= {
        "PYTHONPATH": str(REPO),
        "PYTHONPYCACHEPREFIX": str(tmp / "pycache"),
        "NEWSDIGEST_CONFIG": str(config),
        "NEWSDIGEST_DB": str(tmp / "bench.db"),
    }
    run = [sys.executable, "-m", "bot", "poll"]
    subprocess.run(run, cwd=tmp, env=env, capture_output=True, check=True, timeout=300)
    return env


def wall(args: list[str], env: dict[str, str]) -> float:
    # Run in the database's directory: `python -m` and `-c` put the working directory first on
    # the path, so from a checkout its `bot` would be measured, not PYTHONPATH's.
    cwd = Path(env["NEWSDIGEST_DB"]).parent
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        check=True,
        timeout=120,
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each command (the median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with FeedServer() as server:  # stopped before the timing: its thread would share the CPU
            env = make_database(Path(tmp), server)
        with sqlite3.connect(env["NEWSDIGEST_DB"]) as conn:
            stories = conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for argv in COMMANDS.values():  # a first run each, not counted: it writes the bytecode
            wall(argv, env)
        for _ in range(args.runs):
            for name, argv in COMMANDS.items():
                times[name].append(wall(argv, env))
    medians = {name: statistics.median(runs) for name, runs in times.items()}
    base = medians[BASELINE]
    print(f"median of {args.runs} runs; the database: {FEEDS} feeds, {stories} stories")
    for name, seconds in medians.items():
        ratio = "baseline" if name == BASELINE else f"{seconds / base:.1f}x baseline"
        print(f"{name:<28}{seconds * 1000:7.0f} ms   {ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
