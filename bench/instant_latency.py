"""Time from an item appearing in a loopback feed to its post in instant mode
(target <= poll interval + 10 s).

    .venv/bin/python bench/instant_latency.py            # 3 items, 60 s poll interval
    .venv/bin/python bench/instant_latency.py --runs 1

`newsdigest run` runs as a child process with an instant-mode console channel (min_sources 1);
the console adapter prints "new story" when it posts. Each run publishes a new item at a random
moment relative to the feed's poll cycle (the feed answers 304 until then) and measures until the
post appears on the bot's stdout. The worst case is one poll interval (the item lands just after a
poll) plus the poll tick, fetch, clustering, summarising and the outbox.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._runner import Bot, rss, write_config
from bot.feedserver import FeedServer, Reply

INTERVAL = 60  # the smallest poll interval the config accepts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    latencies: list[float] = []
    channel = (
        '\n[[channels]]\nplatform = "console"\nid = "bench"\nmode = "instant"\nmin_sources = 1\n'
    )
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as server:
        items: list[tuple[str, str]] = []
        server.route("/feed.xml", Reply(body=rss("Loopback News", items), etag='"v0"'))
        config = Path(tmp) / "bench.toml"
        write_config(config, [server.url("/feed.xml")], interval=f"{INTERVAL}s", extra=channel)
        bot = Bot(config, Path(tmp) / "bench.db", {"NEWSDIGEST_START_SPREAD": "1"})
        try:
            bot.wait_for(lambda line: "newsdigest running" in line, timeout=120)
            while not server.requests_to("/feed.xml"):
                time.sleep(0.1)
            subjects = ["Harbour bridge reopens", "Central bank holds rates", "Comet seen at dusk"]
            for run in range(args.runs):
                time.sleep(rng.uniform(0, INTERVAL))  # a random phase of the poll cycle
                title = f"{subjects[run % len(subjects)]} after long review {run}"
                items.append((f"item-{run}", title))
                server.route(
                    "/feed.xml", Reply(body=rss("Loopback News", items), etag=f'"v{run + 1}"')
                )
                published = time.monotonic()
                posted = bot.wait_for(
                    lambda line: "new story" in line, timeout=INTERVAL + 60, since=published
                )
                latencies.append(posted - published)
                print(f"run {run + 1}: posted {posted - published:.1f}s after publication")
        finally:
            bot.stop()
    worst = max(latencies)
    target = INTERVAL + 10
    print(f"poll interval:  {INTERVAL}s (poll tick 5s)")
    print(f"latency:        median {statistics.median(latencies):.1f}s, worst {worst:.1f}s")
    print(f"target:         <= {target}s -> {'OK' if worst <= target else 'OVER'}")
    return 0 if worst <= target else 1


if __name__ == "__main__":
    raise SystemExit(main())
