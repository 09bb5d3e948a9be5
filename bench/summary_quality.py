"""Summary quality bench: our TL;DR vs a lead baseline and a LexRank-style baseline, same run.

    .venv/bin/python bench/summary_quality.py [clusters-dev.jsonl] [--limit N]

Prints ROUGE-1/2/L F1 (rouge_score, use_stemmer=True) against `reference.summary` with the mean
length in words, per subset (NeuS validation, AllSides, Multi-News), ms per story, and the angle
checks on stories whose outlets are named: quotes verbatim in their own outlet's text, and angle
lines attributable to their own outlet (their content words overlap that outlet's text at least
as much as any other outlet's). Stories whose cluster_id matches no subset are reported as
"other"; stories without a reference summary are counted. Exits 0 with a message when the default
data file is absent; an explicitly named file that is missing, or a bad input line, exits 1.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._summary_data import (
    Story,
    Tally,
    clusters_path,
    read_stories,
    rouge_scorer,
)
from bot.eval.jsonl import EvalInputError
from bot.eval.rouge import subset_order
from bot.models import Article, Bullet
from bot.outlets import outlet_names
from bot.summarize import summarize
from bot.summarize.attribution import attributable
from bot.summarize.grounding import is_verbatim
from bot.summarize.sentences import content_stems, split_sentences

MAX_WORDS = 55


def lead_baseline(articles: Sequence[Article]) -> str:
    """First sentence of each article, in the given order, cut at 55 words."""
    firsts = [s[0] for s in (split_sentences(a.text) for a in articles) if s]
    return " ".join(" ".join(firsts).split()[:MAX_WORDS])


def lexrank_baseline(articles: Sequence[Article], threshold: float = 0.1) -> str:
    """LexRank-style: sentences ranked by PageRank over a tf-idf cosine graph, top ones to 55."""
    sentences = [s for a in articles for s in split_sentences(a.text)[:25]]
    if not sentences:
        return ""
    bags = [Counter(content_stems(s)) for s in sentences]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
    vecs = [{w: c * idf[w] for w, c in bag.items()} for bag in bags]
    norms = [math.sqrt(sum(v * v for v in vec.values())) or 1.0 for vec in vecs]
    adj = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            dot = sum(v * vecs[j].get(w, 0.0) for w, v in vecs[i].items())
            sim = dot / (norms[i] * norms[j])
            if sim > threshold:
                adj[i][j] = adj[j][i] = 1.0
    degree = [sum(row) or 1.0 for row in adj]
    rank = [1.0 / n] * n
    for _ in range(30):
        rank = [
            0.15 / n + 0.85 * sum(rank[j] * adj[j][i] / degree[j] for j in range(n))
            for i in range(n)
        ]
    order = sorted(range(n), key=lambda i: -rank[i])
    picked: list[str] = []
    used = 0
    for i in order:
        if used >= MAX_WORDS:
            break
        picked.append(sentences[i])
        used += len(sentences[i].split())
    return " ".join(" ".join(picked).split()[:MAX_WORDS])


def adds_to_line(quote: str, line: str) -> bool:
    """Whether most of the quote's content words are not already in the line."""
    stems = set(content_stems(quote))
    return len(stems & set(content_stems(line))) < 0.5 * max(1, len(stems))


class SupportTally:
    """How far other outlets back the bullets: the "reported by N of M" figures of the cards.

    The bullet's own outlet always counts, so "has a supporting outlet" is true by construction;
    what means something is whether another outlet carries the claim, and the mean N of M.
    """

    def __init__(self) -> None:
        self.bullets = self.multi = self.corroborated = 0
        self.n_sum = self.m_sum = 0

    def add(self, tldr: Sequence[Bullet], outlet_count: int) -> None:
        for bullet in tldr:
            self.bullets += 1
            self.n_sum += len(bullet.sources)
            self.m_sum += outlet_count
            # Only a story with a second outlet can corroborate.
            if outlet_count >= 2:
                self.multi += 1
                self.corroborated += len(bullet.sources) >= 2

    def report(self) -> str:
        if not self.bullets:
            return "bullets: none"
        return (
            f"bullets backed by another outlet: {self.corroborated}/{self.multi} "
            f"({100 * self.corroborated / max(1, self.multi):.1f}% of bullets in multi-outlet "
            f"stories); mean reported by {self.n_sum / self.bullets:.2f} of "
            f"{self.m_sum / self.bullets:.2f} ({self.bullets} bullets)"
        )


def run(stories: list[Story]) -> None:
    scorer = rouge_scorer()
    tallies: dict[str, dict[str, Tally]] = {"newsdigest": {}, "lead": {}, "lexrank": {}}
    elapsed = cpu = 0.0
    n_quotes = n_verbatim = n_lines = n_attrib = n_distinct = 0
    n_over = n_no_reference = 0
    support = SupportTally()
    for story in stories:
        start, start_cpu = time.perf_counter(), time.process_time()
        summary = summarize(story.articles)
        elapsed += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
        ours = " ".join(b.text for b in summary.tldr)
        n_over += len(ours.split()) > MAX_WORDS
        support.add(summary.tldr, len(set(outlet_names(story.articles))))
        if story.reference:
            for name, text in (
                ("newsdigest", ours),
                ("lead", lead_baseline(story.articles)),
                ("lexrank", lexrank_baseline(story.articles)),
            ):
                tallies[name].setdefault(story.subset, Tally()).add(scorer, story.reference, text)
        else:
            n_no_reference += 1
        if all(story.raw_sources):
            texts: dict[str, str] = {}
            for article in story.articles:
                texts[article.source] = (
                    texts.get(article.source, "") + f"\n{article.title}\n{article.text}"
                )
            for angle in summary.angles:
                n_lines += 1
                n_attrib += attributable(angle.line, angle.source, texts)
                # An angle without a quote is allowed (nothing to quote beyond the line itself).
                if angle.quote:
                    n_quotes += 1
                    n_verbatim += is_verbatim(angle.quote, texts[angle.source])
                    n_distinct += adds_to_line(angle.quote, angle.line)
    n = max(1, len(stories))
    # CPU time too: the machine may be shared, and wall time then measures the neighbours.
    print(
        f"stories: {len(stories)}   summariser: {1000 * elapsed / n:.1f} ms/story wall, "
        f"{1000 * cpu / n:.1f} ms/story CPU (cold stemmer cache included)"
    )
    print()
    print(f"{'subset':<12}{'system':<12}{'R-1':>7}{'R-2':>7}{'R-L':>7}{'words':>7}{'n':>6}")
    for label in subset_order():
        for name, by_subset in tallies.items():
            if label not in by_subset:
                continue
            r1, r2, rl, words, n = by_subset[label].row()
            print(f"{label:<12}{name:<12}{r1:7.2f}{r2:7.2f}{rl:7.2f}{words:7.1f}{n:6d}")
    print(f"skipped from ROUGE, no reference summary: {n_no_reference}")
    print()
    print(f"TL;DR over {MAX_WORDS} words: {n_over}")
    print(support.report())
    if n_lines:
        quotes = max(1, n_quotes)
        print(
            f"angles (named outlets): {n_lines}, with a quote: {n_quotes}; quotes verbatim in own "
            f"outlet: {100 * n_verbatim / quotes:.1f}%; lines attributable to own outlet: "
            f"{100 * n_attrib / n_lines:.1f}%; quotes adding to their line: "
            f"{100 * n_distinct / quotes:.1f}%"
        )
    else:
        print("angles: no stories with named outlets")


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, not {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "file", nargs="?", help="a path, or a name under $NEWSDIGEST_DATA/news (clusters-dev.jsonl)"
    )
    parser.add_argument(
        "--limit", type=_non_negative, default=0, help="first N stories only (0: all)"
    )
    args = parser.parse_args(argv)
    name = args.file or "clusters-dev.jsonl"
    path = Path(name) if "/" in name else clusters_path(name)
    if not path.exists():
        if args.file is not None:
            print(f"summary bench: {path} not found", file=sys.stderr)
            return 1
        print(f"summary bench skipped: {path} not found (set NEWSDIGEST_DATA)")
        return 0
    try:
        stories = list(read_stories(path))
    except EvalInputError as exc:
        print(f"summary bench: {path}: {exc}", file=sys.stderr)
        return 1
    if args.limit:
        stories = stories[: args.limit]
    run(stories)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
