"""What a later report tells that the earlier ones did not: the story's development.

A story's reports arrive over hours, and a later one may tell that it moved on: the strike the
first three outlets reported beginning has ended, the bill was withdrawn, the suspect charged. Its
sentence shares the earlier reports' setting (the port, the union, the cranes), so by its words
alone it reads as their story told again; what it adds is in its title, which says what no earlier
report said. A development is such a title's words: an article published after another outlet's
reports whose title carries at least MIN_NEW_WORDS content words none of those reports uses
(title or text), as a share of its title of at least MIN_NEW_SHARE, and whose opening sentences
carry them too (a title's pun or label is not what its report tells).

Read from publication times only: a story whose articles share one time (a roundup) or have none
has no development, so the card stays as it was. The angles let a development's sentence be the
outlet's line though it shares a bullet's words (`angles`); the headline does not assert a state
the newest reports have superseded (`headline.newest_headline`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from bot.models import Article, Bullet
from bot.summarize.sentences import content_stems, split_sentences
from bot.summarize.verb_groups import GROUPS

# The words of decisive acts (`verb_groups`: ended, called off, approved, rejected, resigned,
# was arrested, died ...): a development is an act that changes the story. New words alone
# were not: outlets reporting one event hours apart word their titles each their own way
# ("admits", "declines", "mandates"), and on the evaluation stories given the stream's times,
# reading those as developments changed 10 of 355 headlines and 22 angles, for the worse.
DECISIVE = frozenset().union(*(group.verbs for group in GROUPS))

# A reworded title shares most of its words with the earlier reports; "strike ends after deal on
# crane retraining" has three of seven no earlier report used.
MIN_NEW_WORDS = 2
MIN_NEW_SHARE = 1 / 3
# Where in its text a report tells its title's news: its first sentences.
LEAD_SENTENCES = 2
# Development words another outlet's report must carry to tell the same development.
MIN_SHARED_WORDS = 2
# Outlets that must tell a development before the headline states it: one outlet's report of a
# change is its angle (`angles`), as one outlet's detail is.
MIN_OUTLETS = 2


def _utc(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def development_words(
    articles: Sequence[Article], outlet_of: Sequence[str]
) -> list[frozenset[str]]:
    """For each article, its title's words that tell a development (see the module docstring),
    or an empty set."""
    found = [frozenset[str]()] * len(articles)
    times = [_utc(a.when) for a in articles]
    # Most stories have no title telling a decisive act: their texts need not be read at all.
    if not any(
        when is not None and DECISIVE.intersection(content_stems(a.title))
        for a, when in zip(articles, times, strict=True)
    ):
        return found
    order = sorted((when, i) for i, when in enumerate(times) if when is not None)
    # Per word, the outlets of the reports read so far that use it, two at most: whether one
    # other than an article's own did is all that is asked. Reports of one time are read
    # together, none earlier than another.
    users: dict[str, list[str]] = {}
    seen: set[str] = set()
    start = 0
    while start < len(order):
        end = start
        while end < len(order) and order[end][0] == order[start][0]:
            end += 1
        group = [i for _, i in order[start:end]]
        for i in group:
            if seen - {outlet_of[i]}:
                found[i] = _told_new(articles[i], outlet_of[i], users)
        for i in group:
            outlet = outlet_of[i]
            seen.add(outlet)
            for stem in set(content_stems(f"{articles[i].title}\n{articles[i].text}")):
                outlets = users.setdefault(stem, [])
                if outlet not in outlets and len(outlets) < 2:
                    outlets.append(outlet)
        start = end
    return found


def _told_new(article: Article, outlet: str, users: dict[str, list[str]]) -> frozenset[str]:
    """The words of `article`'s title telling a development, given which outlets' earlier
    reports use each word (`users`); empty when it tells none."""
    title = list(dict.fromkeys(content_stems(article.title)))
    if not DECISIVE.intersection(title):
        return frozenset()
    new = [s for s in title if not set(users.get(s, ())) - {outlet}]
    lead = set(content_stems(" ".join(split_sentences(article.text)[:LEAD_SENTENCES])))
    told = [s for s in new if s in lead]
    if (
        len(told) >= MIN_NEW_WORDS
        and len(new) >= MIN_NEW_SHARE * len(title)
        and DECISIVE.intersection(told)
    ):
        return frozenset(told)
    return frozenset()


def newest_development(
    articles: Sequence[Article], outlet_of: Sequence[str], after: int
) -> list[int]:
    """The articles whose titles tell a development reported after article `after` (the
    headline's) by two outlets or more, or [] when there is none.

    A development's own article, and those of other outlets published after `after` whose
    titles carry MIN_SHARED_WORDS of its words; backed by outlets whose title or text does.
    Of several, the one the most outlets tell, then the newest."""
    base = _utc(articles[after].when) if 0 <= after < len(articles) else None
    if base is None:
        return []
    times = [_utc(a.when) for a in articles]
    later = [j for j, t in enumerate(times) if t is not None and t > base]
    if not later:
        return []
    words = development_words(articles, outlet_of)
    if not any(words[i] for i in later):
        return []
    # Each later report's words are read once, and which reports use a word looked up from it:
    # comparing every development with every report's whole text again took 1.7 s at 300 reports.
    full = {j: set(content_stems(f"{articles[j].title}\n{articles[j].text}")) for j in later}
    titles = {j: set(content_stems(articles[j].title)) for j in later}
    reports_using: dict[str, list[int]] = {}
    for j in later:
        for stem in full[j]:
            reports_using.setdefault(stem, []).append(j)
    best: list[int] = []
    best_key: tuple[int, datetime] | None = None
    for i in later:
        new, when = words[i], times[i] or base
        if not new or outlet_of[i] == outlet_of[after]:
            continue
        shared = Counter(j for stem in new for j in reports_using.get(stem, ()) if j != i)
        titled, outlets = [i], {outlet_of[i]}
        for j in sorted(j for j, count in shared.items() if count >= MIN_SHARED_WORDS):
            outlets.add(outlet_of[j])
            if len(new & titles[j]) >= MIN_SHARED_WORDS:
                titled.append(j)
        key = (len(outlets), when)
        if len(outlets) >= MIN_OUTLETS and (best_key is None or key > best_key):
            best, best_key = titled, key
    return best


def developed_articles(
    articles: Sequence[Article], outlet_of: Sequence[str]
) -> dict[int, frozenset[str]]:
    """`development_words` of the articles telling one, keyed by the article object's id."""
    return {
        id(a): words
        for a, words in zip(articles, development_words(articles, outlet_of), strict=True)
        if words
    }


def credited_changes(
    tldr: Sequence[str | Bullet],
    by_outlet: Mapping[str, Sequence[Article]],
    developed: Mapping[int, frozenset[str]],
) -> set[str]:
    """The outlets a bullet credits that tells their development (`developed_articles`)."""
    return {
        outlet
        for bullet in tldr
        if not isinstance(bullet, str)
        for outlet in bullet.sources
        if any(
            developed.get(id(a), frozenset()) & set(content_stems(bullet.text))
            for a in by_outlet.get(outlet, ())
        )
    }
