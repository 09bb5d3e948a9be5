"""Parse speed on the 200 real feeds: fastfeedparser vs feedparser vs our parse_feed.

    .venv/bin/python bench/parse_speed.py             # all three (feedparser takes ~2 minutes)
    .venv/bin/python bench/parse_speed.py --quick     # every 4th feed

All three get the same bytes from memory. parse_feed does more than fastfeedparser alone: it
also turns every entry's HTML into plain text, canonicalises URLs and dates, and falls back to
feedparser for documents fastfeedparser rejects; the gap between the first and last rows is the
price of that normalisation.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # benches run as plain scripts
    sys.path.insert(0, str(REPO))

import fastfeedparser  # noqa: E402
import feedparser  # noqa: E402

from bot.ingest.parser import parse_feed  # noqa: E402


def load_corpus(step: int) -> list[tuple[str, bytes]]:
    root = Path(os.environ.get("NEWSDIGEST_DATA", REPO.parent / "shared" / "data"))
    folder = root / "feeds" / "fastfeedparser" / "benchmark_data"
    if not folder.is_dir():
        return []
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()][::step]


def _ffp(body: bytes) -> int:
    return len(fastfeedparser.parse(body).entries)


def _feedparser(body: bytes) -> int:
    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        raise ValueError(str(parsed.get("bozo_exception")))
    return len(parsed.entries)


def _ours(body: bytes) -> int:
    return len(parse_feed(body).entries)


def run(fn: Callable[[bytes], int], corpus: list[tuple[str, bytes]]) -> tuple[float, int, int]:
    failures = entries = 0
    started = time.perf_counter()
    for _name, body in corpus:
        try:
            entries += fn(body)
        except Exception:  # a bench counts failures; it does not stop at the first
            failures += 1
    return time.perf_counter() - started, entries, failures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="every 4th feed only")
    ap.add_argument("--skip-feedparser", action="store_true")
    args = ap.parse_args()
    corpus = load_corpus(4 if args.quick else 1)
    if not corpus:
        print("skipped: fastfeedparser benchmark_data not found (set NEWSDIGEST_DATA)")
        return 0
    mb = sum(len(b) for _, b in corpus) / 1e6
    print(f"{len(corpus)} feeds, {mb:.1f} MB, parsed from memory")
    contenders: list[tuple[str, Callable[[bytes], int]]] = [
        ("fastfeedparser.parse", _ffp),
        ("bot.ingest.parse_feed (incl. HTML->text)", _ours),
    ]
    if not args.skip_feedparser:
        contenders.append(("feedparser.parse", _feedparser))
    rates: dict[str, float] = {}
    for label, fn in contenders:
        seconds, entries, failures = run(fn, corpus)
        rates[label] = len(corpus) / seconds
        print(
            f"{label:<42} {rates[label]:8.1f} feeds/s  {mb / seconds:6.1f} MB/s  "
            f"{seconds:7.2f} s  {entries:6d} entries  {failures} failures"
        )
    if "feedparser.parse" in rates:
        base = rates["feedparser.parse"]
        print(
            f"speed-up over feedparser: fastfeedparser {rates['fastfeedparser.parse'] / base:.0f}x, "
            f"parse_feed {rates['bot.ingest.parse_feed (incl. HTML->text)'] / base:.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
