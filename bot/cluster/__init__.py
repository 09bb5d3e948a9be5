"""Story clustering: online assignment of articles to stories, story slugs, wire-copy detection.

- `online.OnlineClusterer`: assigns each arriving article to a story; later evidence may only merge.
- `slugs.make_slug` / `slugs.SlugBook`: readable, unique, stable story slugs.
- `wire.independent_sources`: outlets that ran the same copy count once.
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
