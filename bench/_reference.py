"""The reference point: a plain TF-IDF single-pass centroid clusterer.

What one would write first: bag of content words over title + text, IDF from the documents seen
so far, join the most similar story centroid if cosine >= threshold, else open a new story.
It gets the same inverted index and time window as the project clusterer so the speed comparison
is about the method, not about missing plumbing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from bot.models import Article
from bot.textutil import content_words


class TfidfSinglePass:
    def __init__(self, threshold: float = 0.3, window_hours: float | None = 48.0) -> None:
        self.threshold = threshold
        self.window = window_hours * 3600.0 if window_hours else None
        self.df: Counter[str] = Counter()
        self.n = 0
        self.centroids: dict[int, dict[str, float]] = {}
        self.norm2: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.index: dict[str, set[int]] = {}
        self.now = 0.0
        self.next_id = 0

    def add(self, article: Article) -> int:
        when = article.published or article.seen
        t = when.timestamp() if when else self.now
        self.now = max(self.now, t)
        tf = Counter(content_words(f"{article.title} {article.text}"))
        self.n += 1
        self.df.update(tf.keys())
        vec = {
            w: (1 + math.log(c)) * (math.log((self.n + 1) / (self.df[w] + 1)) + 1)
            for w, c in tf.items()
        }
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vec = {w: v / norm for w, v in vec.items()}
        if self.window is not None:
            for sid in [s for s, lt in self.last.items() if lt < self.now - self.window]:
                self._drop(sid)
        acc: dict[int, float] = {}
        for w, v in vec.items():
            for sid in self.index.get(w, ()):
                acc[sid] = acc.get(sid, 0.0) + v * self.centroids[sid][w]
        best, best_sim = None, 0.0
        for sid, s in acc.items():
            sim = s / math.sqrt(self.norm2[sid])
            if sim > best_sim:
                best, best_sim = sid, sim
        if best is None or best_sim < self.threshold:
            best = self.next_id
            self.next_id += 1
            self.centroids[best], self.norm2[best] = {}, 0.0
        c = self.centroids[best]
        for w, v in vec.items():
            old = c.get(w, 0.0)
            c[w] = old + v
            self.norm2[best] += 2 * old * v + v * v
            self.index.setdefault(w, set()).add(best)
        self.last[best] = max(self.last.get(best, t), t)
        return best

    def _drop(self, sid: int) -> None:
        for w in self.centroids.pop(sid):
            ids = self.index[w]
            ids.discard(sid)
            if not ids:
                del self.index[w]
        del self.norm2[sid], self.last[sid]


def cluster_reference(
    articles: Iterable[Article], threshold: float = 0.3, window_hours: float | None = 48.0
) -> dict[str, str]:
    ref = TfidfSinglePass(threshold, window_hours)
    return {a.id: str(ref.add(a)) for a in articles}
