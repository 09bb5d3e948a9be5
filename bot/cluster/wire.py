"""Wire copy: the same agency text republished by several outlets counts as one source.

"Reported by 5 outlets" means little if four of them ran the same AP paragraph. Near-identical
text is found with word shingles (runs of consecutive words): two articles share copy when most of
the shorter one's shingles also occur in the other. Containment, not Jaccard, because outlets trim
wire copy to different lengths, and a trimmed copy is still a copy. Quoted speech is left out:
outlets that quote the same statement at length have not shared copy, they have heard the same
speaker.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from bot.models import Article
from bot.outlets import outlet_id, outlet_names
from bot.textutil import words

SHINGLE_WORDS = 5  # long enough that shared phrasing of one event ("said on Tuesday") rarely hits
MAX_WORDS = 250  # leads are where copy is shared; long bodies add cost, not evidence
MIN_SHINGLES = 6  # below this an article is too short to call a copy of anything
COPY_CONTAINMENT = 0.6  # share of the shorter text's shingles found in the other


# A quotation, up to a paragraph long, in the quote marks outlets actually use. Each opening mark
# is paired with its own closing marks: "any mark to any mark" paired German „…“ with the next
# quote's opening “ and kept the quotation itself. Inside single quotes an apostrophe between
# letters ("don't", "don’t") does not close the quote; a straight single quote opens only before
# a word and closes only after one, so apostrophes in running text are left alone.
_QUOTED_RE = re.compile(
    "|".join(
        (
            # Straight and curly doubles pair with each other: feeds mix them ("…” is common).
            r"[\"“”][^\"“”\n]{1,800}[\"“”]",
            r"„[^„“”\n]{1,800}?[“”]",  # German, Polish, Czech
            r"‚(?:[^‚‘’\n]|’(?=\w)){1,800}?[‘’](?!\w)",
            r"‘(?:[^‘’\n]|’(?=\w)){1,800}?’(?!\w)",
            r"(?<!\w)'(?=\w)(?:[^'\n]|(?<=\w)'(?=\w)){1,800}?(?<=[\w.,!?])'(?!\w)",
            r"«[^«»\n]{1,800}?»",
            r"»[^«»\n]{1,800}?«",  # German, Danish
            r"‹[^‹›\n]{1,800}?›",
            r"›[^‹›\n]{1,800}?‹",
            r"「[^「」\n]{1,800}?」",
            r"『[^『』\n]{1,800}?』",
        )
    )
)


def shingles(article: Article) -> set[int]:
    n = SHINGLE_WORDS
    out: set[int] = set()
    budget = MAX_WORDS
    # Shingles never span a removed quotation: the words on either side were not written together.
    for part in _QUOTED_RE.split(f"{article.title}\n{article.text}"):
        tokens = words(part)[:budget]
        budget -= len(tokens)
        out.update(hash(tuple(tokens[i : i + n])) for i in range(len(tokens) - n + 1))
        if budget <= 0:
            break
    return out


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

    Articles from one outlet (`bot.outlets.outlet_id`: its site, so a paper's section feeds are
    one) are one source to begin with; outlets that published near-identical text are joined into
    one source. Outlets are named as on the card and in the summary (`bot.outlets.outlet_names`).
    Groups are sorted, and listed by their first outlet name.
    """
    keys = [outlet_id(a) for a in articles]
    names = dict(zip(keys, outlet_names(articles), strict=True))
    if not names:
        return 0, []
    parent = {o: o for o in names}

    def find(o: str) -> str:
        while parent[o] != o:
            parent[o] = parent[parent[o]]
            o = parent[o]
        return o

    for i, j in copy_pairs(articles):
        a, b = find(keys[i]), find(keys[j])
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = defaultdict(list)
    for o in sorted(names):
        groups[find(o)].append(names[o])
    shared = sorted(sorted(g) for g in groups.values() if len(g) >= 2)
    return len(groups), shared
