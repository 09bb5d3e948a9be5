"""Footers from Medium, Substack, share-button rows and teasers whose "Read more" link is glued to
their ellipsis: stripped at ingest like the other CMS footers in `bot.boilerplate`, while prose
that merely says "read more", "share this" or "thanks for reading" stays. Each footer is paired
with a sentence that looks like it and is reporting. Fixtures are written for the project."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_boilerplate, strip_boilerplate
from bot.ingest.parser import parse_feed
from bot.summarize.sentences import split_sentences

STORY = "The lighthouse keeper logged four ships passing the reef before dawn."


@pytest.mark.parametrize(
    ("footer", "lookalike"),
    [
        (
            "Continue reading on Medium »",
            "Continue reading on Medium was all the blocked page offered, readers said.",
        ),
        ("Continue reading on Tide Notes", "Continue reading on paper, the archivist urged."),
        ("Share this: Twitter Facebook", "Share this with your neighbours, the coastguard said."),
        ("Share this:", "Share this road with cyclists, the signs ask."),
        ("Share this post: LinkedIn, Reddit, Email", "Share this news carefully, he warned."),
        ("Subscribe now", "Subscribe now or pay more later, the ferry company told commuters."),
        (
            "Thanks for reading Reef Notes! Subscribe for free to receive new posts and support "
            "my work.",
            "Thanks for reading the report aloud, the chair told the clerk.",
        ),
        ("Thanks for reading Reef Notes!", "Thanks for reading was all she wrote back."),
        (
            "Thanks for reading Reef Notes! This post is public so feel free to share it.",
            "Thanks for reading to the children every week, the library wrote.",
        ),
    ],
)
def test_footer_goes_and_its_lookalike_stays(footer: str, lookalike: str) -> None:
    assert is_boilerplate(footer) and not is_boilerplate(lookalike)
    assert strip_boilerplate(f"{STORY}\n{footer}") == STORY
    assert strip_boilerplate(f"{STORY} {footer}") == STORY
    assert strip_boilerplate(f"{footer}\n{STORY}") == STORY
    for text in (lookalike, f"{STORY}\n{lookalike}", f"{STORY} {lookalike}"):
        assert strip_boilerplate(text) == text
    assert split_sentences(lookalike) == [lookalike]


@pytest.mark.parametrize(
    "tail", ["...Read More", "…Read more »", "... read more", "…Read more →", "...Read More..."]
)
def test_read_more_glued_to_the_closing_ellipsis_goes(tail: str) -> None:
    teaser = "The keeper said the reef light had failed twice"
    ellipsis = tail[: 3 if tail.startswith("...") else 1]
    assert strip_boilerplate(f"{STORY}\n{teaser}{tail}") == f"{STORY}\n{teaser}{ellipsis}"


@pytest.mark.parametrize(
    "text",
    [
        # Only the very end of a text, and only right after an ellipsis.
        "The keeper paused...Read More was the only word on the torn page.",
        "The keeper paused...Read More\nThe light was fixed by noon.",
        "The guide says where visitors can read more",
        "Visitors want to read more... read more about the reef",
        "The reef light failed again, so the keeper asked us to read more.",
    ],
)
def test_read_more_in_prose_stays(text: str) -> None:
    assert strip_boilerplate(text) == text
    # The glued teaser next to it is still cut, so the rule above is what keeps these.
    assert strip_boilerplate(f"{text}\nThe keeper waited...Read more") == (
        f"{text}\nThe keeper waited..."
    )


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Reef Notes</title><link>https://reef.example.org/</link>
<item><title>Four ships</title><link>https://reef.example.org/ships</link>
<description><![CDATA[<p>The lighthouse keeper logged four ships.</p>
<p><a href="https://medium.example/x">Continue reading on Medium »</a></p>]]></description>
</item>
<item><title>Light failed</title><link>https://reef.example.org/light</link>
<description><![CDATA[<p>The reef light failed twice.</p><p>Subscribe now</p>
<p>Thanks for reading Reef Notes! Subscribe for free to receive new posts and support my \
work.</p><p>Share this: <a href="#">Twitter</a> <a href="#">Facebook</a></p>]]></description>
</item>
<item><title>Teaser</title><link>https://reef.example.org/teaser</link>
<description><![CDATA[The keeper said the reef light had failed twice...<a
href="https://reef.example.org/teaser">Read More</a>]]></description>
</item>
</channel></rss>
"""


def test_ingested_entries_lose_these_footers() -> None:
    feed = parse_feed(RSS.encode(), url="https://reef.example.org/feed")
    assert [e.text for e in feed.entries] == [
        "The lighthouse keeper logged four ships.",
        "The reef light failed twice.",
        "The keeper said the reef light had failed twice...",
    ]
