"""Readable story slugs: `japan-ai-consortium`, not `story-8f3a2c`.

A slug is made from the words its articles' headlines agree on, the rarer in the news (the
clusterer's shipped background IDF) and the more name-like the better; a word only one later
report has goes after those two share, and of a word and its variant ("syria", "syrian") only
one is used. Then it is kept: it must not change once shown, or links people shared would
break. The pipeline names a story from its first article, and once more from all its headlines
when a second source joins (those it has at that article, however a backlog was cut into
commits), before any channel is sent it (`pipeline.story_upkeep.settle_slug`; the first name stays
as an alias). `SlugBook` is the same rule in memory (assign once, survive merges); `make_slug`
only picks words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import permutations

from bot.cluster.slug_words import headline_names, rarity, slug_words
from bot.models import Article
from bot.text_cache import WORD_CHARS, text_cache

MAX_WORDS = 4
_NAME_WEIGHT = 1.6  # "china-truce" rather than "agree-truce"
_LEAD_BONUS = 0.8  # the first headline word: x1.8, the second x1.4, the fifth x1.16


def _ranked_words(articles: Sequence[Article]) -> tuple[list[str], list[list[str]]]:
    """Words by how many articles' titles (then leads) use them; and each title's words."""
    title_votes: Counter[str] = Counter()
    lead_votes: Counter[str] = Counter()
    used: list[set[str]] = []  # each article's words' stems, in title or lead
    first_pos: dict[str, int] = {}
    names: set[str] = set()
    headlines: list[list[str]] = []
    for a in articles:
        tw = slug_words(a.title or "")
        headlines.append(tw)
        names |= headline_names(a.title or "")
        for pos, w in enumerate(tw):
            first_pos.setdefault(w, pos)
        lead = set(slug_words(" ".join((a.text or "").split()[:60])))
        title_votes.update(set(tw))
        lead_votes.update(lead)
        used.append(set().union(*(_stems(w) for w in set(tw) | lead)))
    vocab = set(title_votes) | set(lead_votes)
    reports = {w: sum(bool(_stems(w) & stems) for stems in used) for w in vocab}
    # Titles vote fully, leads a little, each vote weighed by how rare the word is in the news;
    # ties go to words earlier in a headline, then spelling.
    # Headlines put their subject first, so the first words get a little extra.
    weight = {
        w: rarity(w)
        * (_NAME_WEIGHT if w in names else 1.0)
        * (1.0 + _LEAD_BONUS / (1 + first_pos.get(w, 99)))
        for w in vocab
    }

    # Once a story has two reports, a word only one later report uses goes after every word
    # two share: a rare name from one side profile ("All About Nitai Roy Chowdhury, ...")
    # outvoted the event both reports name, its rarity and lead place outweighing the second
    # vote. The first report's own words stay in the running: they named the story so far.
    def aside(w: str) -> bool:
        return len(used) > 1 and reports[w] < 2 and not _stems(w) & used[0]

    ranked = sorted(
        vocab,
        key=lambda w: (
            aside(w),
            -round((title_votes[w] + 0.3 * lead_votes[w]) * weight[w], 6),
            first_pos.get(w, 99),
            w,
        ),
    )
    return ranked, headlines


def _readable(chosen: list[str], headlines: Sequence[list[str]]) -> str:
    """Chosen words in headline order ('japan-ai-consortium', 'silicon-valley').

    The headline with the most of them orders those (the first such: a story's first headline
    when it has them all, as it did alone); a headline with the most of the rest orders them
    after, and so on; words from leads only go last, by rank. One headline's order keeps a name
    of two words the right way round, which the first headline could not when it lacked them.
    """
    order: dict[str, tuple[int, int]] = {}
    rest = set(chosen)
    sets = [set(h) for h in headlines]
    group = 0
    while rest:
        best = max(range(len(sets)), key=lambda i: (len(rest & sets[i]), -i), default=None)
        if best is None or not rest & sets[best]:
            break
        group += 1
        for pos, w in reversed(list(enumerate(headlines[best]))):
            if w in rest:
                order[w] = (group, pos)
        rest -= sets[best]
    last = (group + 1, 0)
    return "-".join(sorted(chosen, key=lambda w: (order.get(w, last), chosen.index(w))))


# Endings that make a people, an adjective or a plural of a word ("syrian", "iranian",
# "chinese", "elections"); `_stems` strips one, keeping at least 4 letters.
_VARIANT_ENDINGS = ("ians", "ian", "ans", "ese", "an", "es", "is", "s", "i", "e", "a", "n")
_MIN_STEM = 4


@text_cache(maxsize=4096, max_chars=WORD_CHARS)
def _stems(word: str) -> frozenset[str]:
    """`word` and what it is left with without one ending: two words with a stem in common are
    one word's variants ("syria"/"syrian" share "syri", "iran"/"iranian" "iran",
    "ukraine"/"ukrainian" "ukrain", "australia"/"australians" "australi")."""
    cut = (word[: -len(e)] for e in _VARIANT_ENDINGS if word.endswith(e))
    return frozenset([word, *(stem for stem in cut if len(stem) >= _MIN_STEM)])


def _without_repeats(ranked: Sequence[str]) -> list[str]:
    """`ranked` without a word a better-ranked one already spells: "ukraine" after
    "russia-ukraine", "kestrel" after "kestrel-2" (a slug "ukraine-russia-ukraine" said it twice),
    "syria" after "syrian" (a place and its people, "syrian-syria", read as a stutter)."""
    seen: set[str] = set()
    stems: set[str] = set()
    out: list[str] = []
    for word in ranked:
        parts = set(word.split("-"))
        own = set().union(*(_stems(p) for p in parts))
        if parts & seen or own & stems:
            continue
        out.append(word)
        seen |= parts
        stems |= own
    return out


def _reordering_taken(
    words_: Sequence[str], taken: Callable[[str], bool], suffix: str = ""
) -> bool:
    """Whether the slug of `words_` in any order (then `suffix`) is taken. "iran-us" beside
    "us-iran" names two stories that read as one: a reader can't tell which link was which. At
    most 4! lookups."""
    return any(taken("-".join(order) + suffix) for order in dict.fromkeys(permutations(words_)))


def make_slug(articles: Sequence[Article], taken: Callable[[str], bool]) -> str:
    """A free slug of 1-4 distinctive words from `articles` (lowercase, hyphenated).

    Tries the top two words, then three, then four; then other top words in place of the last;
    then a numeric suffix on a shorter slug (still at most four parts). Words whose slug is
    taken in another order count as taken, numbered ones too. A one-word slug only
    for a story with a single usable word.
    """
    ranked, headlines = _ranked_words(articles)
    ranked = _without_repeats(ranked)
    if not ranked:
        ranked = ["story"]
    # One word only when the story has no second: a lone "trump" or "hamas" names no event, and
    # as an exact slug it would answer `/story hamas` with one story instead of "did you mean".
    candidates: list[list[str]] = [ranked[:n] for n in (2, 3, 4) if len(ranked) >= n]
    if len(ranked) == 1:
        candidates.append(ranked)
    for extra in ranked[4:12]:
        candidates.append([*ranked[:2], extra])
    for words_ in candidates:
        slug = _readable(words_, headlines)
        if not _reordering_taken(words_, taken):
            return slug
    chosen = ranked[: min(3, len(ranked))]
    base = _readable(chosen, headlines)
    n = 2
    # Numbered too, "iran-us-stalled-2" beside "us-iran-stalled-2" reads as the same story.
    while _reordering_taken(chosen, taken, f"-{n}"):
        n += 1
    return f"{base}-{n}"


class SlugBook:
    """Slugs assigned once per story, kept as it grows, and still resolving after merges."""

    def __init__(self) -> None:
        self._slug: dict[str, str] = {}  # story id -> slug
        self._owner: dict[str, str] = {}  # slug -> story id that got it
        self._merged: dict[str, str] = {}  # absorbed story id -> survivor

    def slug(self, story_id: str, articles: Sequence[Article]) -> str:
        story_id = self.resolve(story_id)
        if story_id not in self._slug:
            slug = make_slug(articles, lambda s: s in self._owner)
            self._slug[story_id] = slug
            self._owner[slug] = story_id
        return self._slug[story_id]

    def merged(self, absorbed: str, survivor: str) -> None:
        self._merged[absorbed] = survivor

    def resolve(self, story_id: str) -> str:
        while story_id in self._merged:
            story_id = self._merged[story_id]
        return story_id

    def story_for(self, slug: str) -> str | None:
        """The live story a slug points to: an absorbed story's slug leads to its survivor."""
        owner = self._owner.get(slug)
        return self.resolve(owner) if owner is not None else None
