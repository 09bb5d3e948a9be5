"""Whether an article is a video, gallery, audio or live page rather than a text article.

A card's title links the article its headline came from; a reader who clicks it expects to read
the story, so a media page's title gives way to an equally good one from a text article
(`bot.summarize.headline`). A feed rarely says which kind an entry is: its address does
("/video/", "/news/av/", "/gallery/"), its title's label ("WATCH: ...") or its teaser ("In
pictures: ...") may.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.models import Article
from bot.summarize.introduced import is_teaser

# Path segments naming a page of moving pictures, photos, sound or a running live page. Whole
# segments only: a slug's words ("/watchdog-fines-bank", "/live-music-returns") are no sign.
_MEDIA_SEGMENTS = frozenset(
    """
    video videos av watch gallery galleries photos pictures in-pictures live-news
    live-updates podcast podcasts audio
    """.split()
)
# "live" alone is also a section's word (/arts/live/ for concerts and plays): a live page only at
# the top (/live/...), after "news" (/news/live/...), or before a date (/world/live/2026/...).
_LIVE = "live"
# A title's own word for what the page is ("WATCH:", "Video |", "In pictures:", "(video)",
# "Photos of ...", "... in Photos and Video"). "in photos" only ends a title: within one it is
# reporting ("Rise in images of abuse shared online", "Clinton seen in photos released ...").
_MEDIA_TITLE_RE = re.compile(
    r"(?i)^(?:watch(?:\s+live)?|video|photos?|listen|in pictures)\s*[:|\-–—]|"
    r"[\[(](?:video|photos?|watch)[\])]\s*$|^(?:photos|pictures|images)\s+(?:of|from)\s|"
    r"\bin\s+(?:photos|pictures)(?:\s+and\s+videos?)?\W*$"
)


def is_media_page(article: Article) -> bool:
    """Whether `article` is a video, gallery, audio or live page (see the module docstring)."""
    if article.url:
        segments = [s for s in urlsplit(article.url).path.casefold().split("/") if s]
        if any(segment in _MEDIA_SEGMENTS for segment in segments):
            return True
        if _live_page(segments):
            return True
    return bool(_MEDIA_TITLE_RE.search(article.title.strip())) or is_teaser(article.text)


def _live_page(segments: list[str]) -> bool:
    for i, segment in enumerate(segments):
        if segment != _LIVE:
            continue
        after = segments[i + 1] if i + 1 < len(segments) else ""
        if i == 0 or segments[i - 1] == "news" or (after.isdigit() and len(after) == 4):
            return True
    return False
