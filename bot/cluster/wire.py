"""Wire copy: the same agency text republished by several outlets counts as one source.

"Reported by 5 outlets" means little if four of them ran the same AP paragraph. Near-identical
text is found with word shingles (runs of consecutive words): two articles share copy when most of
the shorter one's shingles also occur in the other. Containment, not Jaccard, because outlets trim
wire copy to different lengths, and a trimmed copy is still a copy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from bot.models import Article
from bot.textutil import words

SHINGLE_WORDS = 5  # long enough that shared phrasing of one event ("said on Tuesday") rarely hits
MAX_WORDS = 250  # leads are where copy is shared; long bodies add cost, not evidence
MIN_SHINGLES = 6  # below this an article is too short to call a copy of anything
COPY_CONTAINMENT = 0.6  # share of the shorter text's shingles found in the other


def shingles(article: Article) -> set[int]:
    tokens = words(f"{article.title}\n{article.text}")[:MAX_WORDS]
    n = SHINGLE_WORDS
    return {hash(tuple(tokens[i : i + n])) for i in range(len(tokens) - n + 1)}


def copy_pairs(
    articles: Sequence[Article], threshold: float = COPY_CONTAINMENT
) -> list[tuple[int, int]]:
    """Index pairs (i < j) of articles whose text is near-identical."""
    sets = [shingles(a) for a in articles]
    # Inverted index over shingles: only articles sharing some shingle are ever compared.
    postings: dict[int, list[int]] = defaultdict(list)
    for i, sh in enumerate(sets):
        for h in sh:
            postings[h].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for ids in postings.values():
        if len(ids) > 1:
            for a_pos, i in enumerate(ids):
                for j in ids[a_pos + 1 :]:
                    shared[(i, j)] += 1
    pairs = []
    for (i, j), n in shared.items():
        smaller = min(len(sets[i]), len(sets[j]))
        if smaller >= MIN_SHINGLES and n / smaller >= threshold:
            pairs.append((i, j))
    return sorted(pairs)


def independent_sources(articles: Sequence[Article]) -> tuple[int, list[list[str]]]:
    """(number of independent sources, groups of outlet names sharing copy; groups of size >= 2).

    Articles from one outlet are one source to begin with; outlets that published near-identical
    text are joined into one source. Groups are sorted, and listed by their first outlet name.
    """
    outlets = sorted({(a.source or "unknown") for a in articles})
    if not outlets:
        return 0, []
    parent = {o: o for o in outlets}

    def find(o: str) -> str:
        while parent[o] != o:
            parent[o] = parent[parent[o]]
            o = parent[o]
        return o

    for i, j in copy_pairs(articles):
        a, b = find(articles[i].source or "unknown"), find(articles[j].source or "unknown")
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = defaultdict(list)
    for o in outlets:
        groups[find(o)].append(o)
    shared = sorted(sorted(g) for g in groups.values() if len(g) >= 2)
    return len(groups), shared
