"""Story clustering: online assignment of articles to stories, story slugs, wire-copy detection.

- `online.OnlineClusterer`: assigns each arriving article to a story; later evidence may only merge.
- `slugs.make_slug` / `slugs.SlugBook`: readable, unique, stable story slugs.
- `wire.independent_sources`: outlets that ran the same copy count once.

Underneath: `profile` and `features` (an article's weighed terms, entities and figures, IDF from
live counts blended with the shipped `background` table, its numbers in `_background`), `marks`
(typed dates and figures that tell one occurrence of a recurring event from the next),
`specifics`, `days` and `periods` (the veto on joining another occurrence of a templated item or
of a recurring report, such as the next month's jobs report; `bylines`, the outlet an
aggregator's item names), `parties` (the veto on joining another occurrence of one kind of event
told in the same words: other parties named, another amount), `pair` (the fitted pair model, its weights in `_model`; `_model` and
`_background` are written by bench/train_cluster_model.py),
`join` (whether an article joins a candidate story: the score, cheapest evidence first, and its
vetoes), `scoring` (time and same-outlet penalties, the bound that skips hopeless candidates),
`merge` (when two open stories are one event, and which survives), `index` (the open stories'
inverted index), `analysis` (profiles, ahead of time in a worker process for a big batch; the
process and its pipe are `analysis_worker`) and `settings` (the tuned knobs). An article's clock is
`bot.models.Article.reported_at`, and the window is `[clustering] window_hours`.
"""

from bot.cluster.online import Assignment, OnlineClusterer
from bot.cluster.settings import ClusterSettings
from bot.cluster.slugs import SlugBook, make_slug
from bot.cluster.wire import independent_sources

__all__ = [
    "Assignment",
    "ClusterSettings",
    "OnlineClusterer",
    "SlugBook",
    "independent_sources",
    "make_slug",
]
