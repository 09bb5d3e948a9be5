"""`newsdigest eval cluster INPUT.jsonl`: the bot's own online clusterer over an article file.

Articles are fed one at a time in arrival order (`in_arrival_order`), exactly as the bot would see
them; each output line gives the story the article ended up in, after any later merges.
"""

from __future__ import annotations

import itertools
from typing import IO

from bot.cluster.online import OnlineClusterer
from bot.eval.jsonl import in_arrival_order, read_articles, write_jsonl


def cluster_jsonl(inp: IO[str], out: IO[str]) -> None:
    """Read articles from `inp`, write `{"id", "story"}` per article to `out` (input order)."""
    articles = read_articles(inp)
    counter = itertools.count(1)
    clusterer = OnlineClusterer(id_factory=lambda: f"s{next(counter)}")
    assigned = {a.id: clusterer.add(a).story_id for a in in_arrival_order(articles)}
    write_jsonl(({"id": a.id, "story": clusterer.resolve(assigned[a.id])} for a in articles), out)
