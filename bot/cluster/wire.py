"""Wire copy: the same agency text republished by several outlets counts as one source.

"Reported by 5 outlets" means little if four of them ran the same AP paragraph. Near-identical
text is found with word shingles (runs of consecutive words): two articles share copy when most of
the shorter one's shingles also occur in the other. Containment, not Jaccard, because outlets trim
wire copy to different lengths, and a trimmed copy is still a copy. Quoted speech is left out:
outlets that quote the same statement at length have not shared copy, they have heard the same
speaker.

Copy is judged on the article's text, not its headline: outlets rewrite a wire story's headline
as a rule, and against a short RSS lead a rewritten headline's shingles outnumbered the shared
ones, so a word-for-word republished lead passed for reporting of its own. The headline still
counts for a pair where either text is too short to judge alone (a title-only feed, a one-line
teaser): there it is most of the evidence, and it keeps a stock sentence two teasers share from
passing for copy.

Shingling is the dear part, and a story waiting to go out is counted again and again: each
channel's digest ranks every candidate by the sources new to it (`bot.pipeline.digest_rank`,
three counts a story), its card counts them, clustering counts a story it grows. So the copy
pairs of a story's texts are kept (`COPIES`), under a fingerprint of the titles and texts they
were judged on: a story that grew or an article corrected is judged afresh, its newest version
replacing the one kept before. Whether two articles
share copy depends on their two texts alone, so the pairs of a whole story answer for any part
of it too (`independent_count`).
"""

from __future__ import annotations

import hashlib
import re
import threading
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence

from bot.models import Article
from bot.outlets import outlet_id, outlet_names
from bot.textutil import words

SHINGLE_WORDS = 5  # long enough that shared phrasing of one event ("said on Tuesday") rarely hits
MAX_WORDS = 250  # leads are where copy is shared; long bodies add cost, not evidence
MIN_SHINGLES = 6  # below this an article is too short to call a copy of anything
# A text with fewer shingles than this (about 15 words) is judged together with its headline: a
# line that short may be one stock sentence ("Flights were cancelled across the region on
# Monday") that two outlets happen to share, and it is no copy on its own.
MIN_TEXT_SHINGLES = 11
COPY_CONTAINMENT = 0.6  # share of the shorter text's shingles found in the other
# Stories whose copy pairs are kept, least recently used dropped first: the ~2,000 stories of a
# busy digest window (eight days of 1,000 feeds), with room for the versions clustering counts.
MAX_KEPT_STORIES = 4096
# Copy pairs kept, all stories together (8 bytes each: 16 MiB): the oldest stories' dropped past
# it. A story of n articles that all share copy has n(n-1)/2 pairs, so a few big wire stories
# could otherwise keep far more than the 4,096 stories' count suggests.
MAX_KEPT_PAIRS = 2_000_000


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


def shingles(text: str) -> set[int]:
    n = SHINGLE_WORDS
    out: set[int] = set()
    budget = MAX_WORDS
    # Shingles never span a removed quotation: the words on either side were not written together.
    for part in _QUOTED_RE.split(text):
        tokens = words(part)[:budget]
        budget -= len(tokens)
        out.update(hash(tuple(tokens[i : i + n])) for i in range(len(tokens) - n + 1))
        if budget <= 0:
            break
    return out


def _headed(article: Article) -> str:
    return f"{article.title}\n{article.text}"


Pairs = tuple[tuple[int, int], ...]


class KeptPairs:
    """A bounded, thread-safe map of a story's fingerprint (`copy_key`) to its copy pairs: a
    digest is chosen off the event loop while a poll may be clustering in another thread. One
    entry a story (`story`, what stays as it grows): its newest version replaces the one before,
    which no count asks for again, so a story growing to 200 articles keeps one set of pairs, not
    200. Bounded by stories and by pairs (`MAX_KEPT_PAIRS`): one story's pairs grow with the
    square of its articles. Pairs are kept as one flat array of 32-bit indices, 8 bytes a pair
    where tuples of ints took about 64."""

    def __init__(self, size: int = MAX_KEPT_STORIES, max_pairs: int = MAX_KEPT_PAIRS) -> None:
        self.size = size
        self.max_pairs = max_pairs
        self._kept: OrderedDict[bytes, tuple[bytes, array[int]]] = OrderedDict()
        self._pairs = 0
        self._lock = threading.Lock()

    def get(self, key: bytes, *, story: bytes | None = None) -> Pairs | None:
        with self._lock:
            found = self._kept.get(key if story is None else story)
            if found is None or found[0] != key:
                return None
            self._kept.move_to_end(key if story is None else story)
            flat = iter(found[1])
            return tuple(zip(flat, flat, strict=True))

    def put(self, key: bytes, pairs: Pairs, *, story: bytes | None = None) -> None:
        if len(pairs) > self.max_pairs:
            return  # more than all the others together may keep: judged afresh each time
        flat = array("I", (i for pair in pairs for i in pair))
        story = key if story is None else story
        with self._lock:
            old = self._kept.pop(story, None)
            if old is not None:
                self._pairs -= len(old[1]) // 2
            self._kept[story] = (key, flat)
            self._pairs += len(pairs)
            while len(self._kept) > self.size or self._pairs > self.max_pairs:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._pairs -= len(dropped) // 2

    @property
    def pairs(self) -> int:
        """The pairs kept, all stories together."""
        return self._pairs

    def __len__(self) -> int:
        return len(self._kept)


COPIES = KeptPairs()


def copy_key(articles: Sequence[Article], threshold: float) -> bytes:
    """A fingerprint of what judging copy reads: each article's title and text, in order."""
    digest = hashlib.blake2b(repr(threshold).encode(), digest_size=16)
    for article in articles:
        for part in (article.title, article.text):
            # surrogatepass: a lone surrogate from a feed's bytes is text like any other here.
            data = part.encode("utf-8", "surrogatepass")
            # Each part's length first, so no two lists of texts run together into one.
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
    return digest.digest()


def copy_pairs(
    articles: Sequence[Article], threshold: float = COPY_CONTAINMENT
) -> list[tuple[int, int]]:
    """Index pairs (i < j) of articles whose text is near-identical: compared on their texts, or
    where either is too short to judge alone, on their headlines and texts together. Kept for
    the same titles and texts (`COPIES`)."""
    key = copy_key(articles, threshold)
    story = _story_identity(articles)
    found = COPIES.get(key, story=story)
    if found is None:
        found = tuple(_judged_pairs(articles, threshold))
        COPIES.put(key, found, story=story)
    return list(found)


def _story_identity(articles: Sequence[Article]) -> bytes:
    """What stays of a story as it grows: its first article (stored first, listed first). Two
    lists with one first article take turns in one entry, which costs a count, never a wrong
    one: the entry answers only for the fingerprint it was judged on."""
    if not articles:
        return b""
    first = articles[0]
    return hashlib.blake2b(
        repr((first.id, first.source, first.url, first.title)).encode(), digest_size=16
    ).digest()


def _judged_pairs(articles: Sequence[Article], threshold: float) -> list[tuple[int, int]]:
    """`copy_pairs`, judged from the texts. Each pair is judged on its own two articles alone,
    which is what lets a whole story's pairs answer for any part of it."""
    texts = [shingles(a.text) for a in articles]
    long = [len(sh) >= MIN_TEXT_SHINGLES for sh in texts]
    # Headed shingles only when some pair needs them: a short text's against any other's.
    headed = [] if all(long) else [shingles(_headed(a)) for a in articles]
    by_text = _shared_counts(texts)
    by_headed = _shared_counts(headed)
    pairs = []
    for i, j in sorted(by_text.keys() | by_headed.keys()):
        if long[i] and long[j]:
            n, smaller = by_text.get((i, j), 0), min(len(texts[i]), len(texts[j]))
        else:
            n, smaller = by_headed.get((i, j), 0), min(len(headed[i]), len(headed[j]))
        if smaller >= MIN_SHINGLES and n / smaller >= threshold:
            pairs.append((i, j))
    return pairs


def _shared_counts(sets: Sequence[set[int]]) -> dict[tuple[int, int], int]:
    """Shared shingles per pair (i < j) of sets that share any."""
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
    return shared


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
    groups = _sources(keys, copy_pairs(articles))
    shared = sorted(sorted(names[o] for o in g) for g in groups if len(g) >= 2)
    return len(groups), shared


def independent_count(articles: Sequence[Article], among: Iterable[int]) -> int:
    """The number of independent sources of the articles at the indices `among`: what
    `independent_sources` counts for them, judged from the copy pairs of all of `articles`
    (kept, `copy_pairs`), so counting several parts of one story shingles it once."""
    chosen = sorted(set(among))
    place = {i: k for k, i in enumerate(chosen)}
    pairs = [(place[i], place[j]) for i, j in copy_pairs(articles) if i in place and j in place]
    return len(_sources([outlet_id(articles[i]) for i in chosen], pairs))


def _sources(keys: Sequence[str], pairs: Iterable[tuple[int, int]]) -> list[list[str]]:
    """The outlets (`keys`, one an article) joined into sources by the copy `pairs` of their
    articles: each source's outlets, sorted, the sources in order of their first outlet."""
    parent = {o: o for o in keys}

    def find(o: str) -> str:
        while parent[o] != o:
            parent[o] = parent[parent[o]]
            o = parent[o]
        return o

    for i, j in pairs:
        a, b = find(keys[i]), find(keys[j])
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = defaultdict(list)
    for o in sorted(parent):
        groups[find(o)].append(o)
    return list(groups.values())
