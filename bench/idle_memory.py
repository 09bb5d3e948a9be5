"""Resident memory of an idle `newsdigest run` with 1,000 feeds configured (target <= 250 MB).

    .venv/bin/python bench/idle_memory.py               # 1,000 feeds, all polled once, then idle
    .venv/bin/python bench/idle_memory.py --feeds 200 --idle 10

The feeds (5 items each) are served from 127.0.0.1. The bot's start-up spread is shortened with
NEWSDIGEST_START_SPREAD so every feed is polled and clustered once before the measurement; the
feeds' interval is 15 minutes, so the bot is then idle: scheduler, outbox and health idle loops,
the clusterer's in-memory window, the shared HTTP client. RSS is sampled with psutil every 0.5 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._runner import Bot, rss, write_config
from bot.feedserver import FeedServer, Reply

TARGET_MB = 250


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--spread", type=float, default=20.0, help="start-up spread, seconds")
    parser.add_argument("--idle", type=float, default=20.0, help="idle seconds measured")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as server:
        for i in range(args.feeds):
            items = [
                (f"f{i}-{j}", f"Outlet {i} item {j} about topic {(i * 7 + j) % 50}")
                for j in range(5)
            ]
            server.route(f"/feed{i}.xml", Reply(body=rss(f"Outlet {i}", items), etag=f'"v{i}"'))
        config = Path(tmp) / "bench.toml"
        write_config(
            config, [server.url(f"/feed{i}.xml") for i in range(args.feeds)], interval="15m"
        )
        bot = Bot(config, Path(tmp) / "bench.db", {"NEWSDIGEST_START_SPREAD": str(args.spread)})
        try:
            bot.wait_for(lambda line: "newsdigest running" in line, timeout=120)
            started = time.monotonic()
            proc = psutil.Process(bot.proc.pid)
            # Let the spread polls finish, then measure the idle process.
            while (
                len(server.requests) < args.feeds and time.monotonic() - started < args.spread + 120
            ):
                time.sleep(0.5)
            polled_after = time.monotonic() - started
            time.sleep(3)  # clustering of the last batch
            samples = []
            end = time.monotonic() + args.idle
            while time.monotonic() < end:
                samples.append(proc.memory_info().rss / 2**20)
                time.sleep(0.5)
            cpu = proc.cpu_times()
            requests = len(server.requests)
        finally:
            stop_seconds = bot.stop()
    idle_mb, peak_mb = samples[-1], max(samples)
    print(
        f"feeds:            {args.feeds} ({requests} requests, all polled after {polled_after:.1f}s)"
    )
    print(
        f"idle RSS:         {idle_mb:.1f} MB (max during {args.idle:.0f}s idle: {peak_mb:.1f} MB)"
    )
    print(f"target:           <= {TARGET_MB} MB -> {'OK' if peak_mb <= TARGET_MB else 'OVER'}")
    print(f"cpu (user+sys):   {cpu.user + cpu.system:.1f}s total")
    print(f"SIGTERM -> exit:  {stop_seconds:.2f}s")
    return 0 if peak_mb <= TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
