"""Which outlet an article belongs to, and the one name each outlet of a story goes by.

The card lists a story's outlets and counts them ("N sources tracking", its wire groups); the
summariser credits TL;DR bullets, angles and "Also reporting" to outlets, and a bullet's
"reported by 2 of 3" compares the two. Named two ways, they disagreed: two sites both called
"News" were one name twice on the card's outlet list and two names in the summary. So both, and
the wire-copy count, take their outlets from here. Top-level, like `bot.textutil`, so the store,
the clusterer and the summariser share it and neither the store nor the clusterer imports the
summariser (which takes only the wire-copy groups of `bot.cluster.wire`, as the card does).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from bot.models import Article


def outlet_id(article: Article) -> str:
    """What counting outlets goes by: the outlet's site (`Article.outlet`, so a paper's World
    and Business feeds are one outlet, whatever names their feeds are configured with), else the
    source name. An article whose source is unknown too is an outlet of its own, "article <id>":
    merging them all under "unknown" would make one outlet out of a whole story."""
    if article.outlet:
        return article.outlet
    return article.source if _known(article.source) else f"article {article.id}"


def _known(source: str | None) -> bool:
    return bool(source) and source != "unknown"


def outlet_names(articles: Sequence[Article]) -> list[str]:
    """Per article, the name its outlet goes by: one name per `outlet_id`, the source of its
    first-seen article (`_seen_order`). Two outlets that go by one name (two sites both
    called "News") are told apart by the later-seen one's site, "News (two.example)", so they are
    two names as they are two outlets.

    These are the summariser's outlet keys (bullets' supporting outlets, angles, "Also
    reporting", the LLM writer's input) and, deduplicated, the card's outlet list (`story_outlets`).
    """
    keys = [outlet_id(a) for a in articles]
    names: dict[str, str] = {}
    taken: set[str] = set()
    for i in _seen_order(articles):
        article, key = articles[i], keys[i]
        if key in names:
            continue
        name = _source_name(article, key)
        if name in taken:
            base = f"{name} ({key})" if key != name else name
            name, n = base, 2
            while name in taken:
                name, n = f"{base} ({n})", n + 1
        names[key] = name
        taken.add(name)
    return [names[key] for key in keys]


def _seen_order(articles: Sequence[Article]) -> list[int]:
    """Article positions by when we first saw them: what names an outlet, because a name once
    shown must stay. By first report alone (published time, as the store orders a story), an
    article seen later but dated earlier (the same site's Business desk, an hour "older" than
    the World desk item already posted) renamed the outlet, and a thread update announced the
    new name as a new outlet while the one shown vanished. Articles seen together, and articles
    never stored (no `seen`), keep their given order, first report first."""
    never = datetime.max.replace(tzinfo=UTC)
    return sorted(range(len(articles)), key=lambda i: (articles[i].seen or never, i))


def _source_name(article: Article, key: str) -> str:
    return article.source if _known(article.source) else key


def outlet_keys(articles: Sequence[Article]) -> dict[str, str]:
    """Every name an outlet of these articles goes by, or may have gone by when a channel was
    shown the story, mapped to its `outlet_id`: an outlet's current name; its articles' other
    source names (posts stored before names were settled by first sight took their outlet's
    earliest-dated article's); and their "Name (site)" forms. A name two outlets could claim is
    left out, so it stays a name of its own and never hides an outlet."""
    keys = [outlet_id(a) for a in articles]
    current = dict(zip(outlet_names(articles), keys, strict=True))
    claims: dict[str, set[str]] = {}
    for article, key in zip(articles, keys, strict=True):
        name = _source_name(article, key)
        for alias in (name, f"{name} ({key})"):
            claims.setdefault(alias, set()).add(key)
    aliases = {name: next(iter(ks)) for name, ks in claims.items() if len(ks) == 1}
    return aliases | current


def story_outlets(articles: Sequence[Article]) -> list[str]:
    """The story's outlets in first-report order, each once, by the name `outlet_names` gives."""
    return list(dict.fromkeys(outlet_names(articles)))


def independent_backing(outlets: Iterable[str], wire_groups: Sequence[Sequence[str]]) -> int:
    """How many independent sources `outlets` are: outlets that ran one wire text (a group of
    `bot.cluster.wire.independent_sources`, named as here) count once, as in the card's "N
    sources tracking" header. Shared by a bullet's "reported by N of M" and the TL;DR's order
    (`bot.summarize.tldr.core_first`), so the bullet that opens the card is the one its count
    calls best backed."""
    source_of = {outlet: group[0] for group in wire_groups for outlet in group}
    return len({source_of.get(outlet, outlet) for outlet in outlets})
