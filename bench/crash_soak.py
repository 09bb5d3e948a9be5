"""A seeded crash-restart soak of `newsdigest run` (see `tests/fakes/crash_soak.py`): the bot is
SIGKILLed at random moments (polls, clustering, card preparation, sends, digest headings, card
edits, thread replies, and just after Slack took a post but before its answer left), restarted
with the feeds grown, and in the end left to finish; then every card, heading and thread reply
Slack recorded is checked: no card twice, none missing, no reply twice.

    .venv/bin/python bench/crash_soak.py --rounds 40 --seed 7
    .venv/bin/python bench/crash_soak.py --rounds 20 --seeds 5   # seeds 1..5, one soak each

Prints the figures per seed (rounds, kills, cards, duplicates, drops) and exits 1 if any soak
found a duplicate or a drop; `--keep DIR` keeps each soak's database and logs there.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fakes.crash_soak import Soak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="kill rounds per soak")
    parser.add_argument("--seed", type=int, default=1, help="the first seed")
    parser.add_argument("--seeds", type=int, default=1, help="how many seeds, from --seed on")
    parser.add_argument("--keep", type=Path, help="keep each soak's files under this directory")
    parser.add_argument("--verbose", action="store_true", help="print every kill point")
    args = parser.parse_args()
    failed = 0
    for seed in range(args.seed, args.seed + args.seeds):
        if args.keep:
            workdir = args.keep / f"seed{seed}"
            workdir.mkdir(parents=True, exist_ok=True)
            figures = Soak(workdir, seed).run(args.rounds)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                figures = Soak(Path(tmp), seed).run(args.rounds)
        print(figures.summary(), flush=True)
        if args.verbose or not figures.ok:
            for point in figures.kill_points:
                print("  kill", point)
        failed += not figures.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
