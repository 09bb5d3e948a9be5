"""The card's title links the article its headline came from: a video, gallery or live page's
title gives way to an equally good title from a text article, so the link opens something to
read; a media page's title still heads the card when it alone tells the story."""

from __future__ import annotations

from bot.models import Article
from bot.summarize import summarize
from bot.summarize.headline import choose_headline
from bot.summarize.media_pages import is_media_page

_TEXT = (
    "The harbour board of Port Wren voted on Monday to close the old ferry quay for repairs. "
    "Board chair Ilse Varga said the quay would stay shut until the spring."
)
# One more of the story's words than the text article's title: ahead of it on words alone.
_VIDEO_TITLE = "Port Wren harbour board votes to close old ferry quay"
_TEXT_TITLE = "Port Wren board votes to close old ferry quay"


def _article(n: int, title: str, url: str, text: str = _TEXT) -> Article:
    return Article(id=f"a{n}", source=f"Outlet {n}", title=title, text=text, url=url)


def test_a_text_article_heads_the_card_over_a_video_page() -> None:
    for video_url in (
        "https://news.example/video/newsfeed/2026/2/17/port-wren-quay",
        "https://www.example.com/news/videos/c1x2y3",
        "https://www.example.com/news/av/uk-12345",
        "https://photos.example/gallery/port-wren-quay",
        "https://news.example/world/live/2026/feb/17/port-wren",
    ):
        video = _article(0, _VIDEO_TITLE, video_url)
        text = _article(1, _TEXT_TITLE, "https://paper.example/2026/02/17/port-wren-quay.html")
        for articles in ([video, text], [text, video]):
            headline, pick = choose_headline(articles)
            assert headline == _TEXT_TITLE, video_url
            assert articles[pick] is text
            assert summarize(articles).headline_url == text.url


def test_a_video_page_keeps_the_headline_when_the_text_title_is_far_worse() -> None:
    video = _article(0, _VIDEO_TITLE, "https://news.example/video/port-wren-quay")
    text = _article(1, "Harbour news", "https://paper.example/harbour-news.html")
    assert choose_headline([text, video])[0] == _VIDEO_TITLE


def test_what_marks_a_media_page() -> None:
    assert is_media_page(_article(0, "WATCH: Port Wren quay closes", "https://a.example/n/1"))
    assert is_media_page(_article(0, "Port Wren quay closes (video)", "https://a.example/n/1"))
    assert is_media_page(
        _article(0, "Port Wren quay", "https://a.example/n/1", "In pictures: the old quay.")
    )
    assert is_media_page(
        _article(0, "Photos of the last ferry at Port Wren", "https://a.example/1")
    )
    assert is_media_page(_article(0, "Port Wren Quay in Photos and Video", "https://a.example/1"))
    # Reporting about photos is no gallery.
    assert not is_media_page(
        _article(0, "Photos show Port Wren quay cracks", "https://a.example/1")
    )
    # A slug's words are no sign: only a whole path segment is.
    for url in (
        "https://a.example/news/watchdog-fines-port-wren",
        "https://a.example/arts/live-music-returns-to-port-wren",
        "https://a.example/2026/02/17/port-wren-quay.html",
    ):
        assert not is_media_page(_article(0, "Port Wren quay closes", url)), url


def test_reporting_about_images_and_a_live_section_are_no_media_page() -> None:
    for title in (
        "Rise in images of harbour pollution shared online",
        "Mayor seen in photos released by the Port Wren council",
    ):
        assert not is_media_page(_article(0, title, "https://a.example/1")), title
    assert is_media_page(_article(0, "Port Wren regatta in pictures", "https://a.example/1"))
    for url in ("https://a.example/live/port-wren", "https://a.example/news/live/uk-123"):
        assert is_media_page(_article(0, "Port Wren quay closes", url)), url
    theatre = "https://a.example/arts/live/port-wren-players-open-season"
    assert not is_media_page(_article(0, "Port Wren players open season", theatre))
