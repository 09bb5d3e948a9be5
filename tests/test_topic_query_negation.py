"""A negated term leaves out the stories it is central to (their headline, or most of their
articles), not every story one article of which happens to mention it: a story grows, and a
single passing mention must not make it vanish from a channel."""

from __future__ import annotations

from bot.models import Article
from bot.topics import StoryDoc, TopicQuery


def art(i: int, source: str, title: str, text: str = "") -> Article:
    return Article(id=f"a{i}", source=source, title=title, text=text)


def matches(query: str, articles: list[Article], headline: str | None = None) -> bool:
    return TopicQuery.parse(query).matches(StoryDoc.from_articles(articles, headline=headline))


CHIP_STORY = [
    art(1, "Harbor Times", "Chip export rules tightened", "The ministry set new limits."),
    art(2, "Tech Current", "Chipmakers react to export rules", "Opposition lawmakers objected."),
    art(3, "Daily Ledger", "Chip curbs widen", "Suppliers expect delays."),
]


def test_a_passing_mention_in_one_article_keeps_a_growing_story() -> None:
    assert matches("chip -opposition", CHIP_STORY[:1])
    assert matches("chip -opposition", CHIP_STORY)
    assert matches('chip -"opposition lawmakers"', CHIP_STORY)
    assert matches("chip NOT (opposition OR protest)", CHIP_STORY)


def test_a_story_mostly_about_the_negated_word_is_left_out() -> None:
    story = [
        art(1, "Harbor Times", "Chip rules", "Opposition parties walked out."),
        art(2, "Tech Current", "Chip vote", "The opposition blocked it."),
        art(3, "Daily Ledger", "Chip curbs", "Suppliers expect delays."),
    ]
    assert not matches("chip -opposition", story)  # two of three articles
    assert matches("chip -opposition", [*story[1:], art(4, "Wire", "Chip deal", "")])  # 1 of 3
    # Exactly half is not "most".
    assert matches("chip -opposition", story[1:])


def test_a_negated_word_in_the_headline_leaves_the_story_out() -> None:
    assert not matches("chip -opposition", CHIP_STORY, headline="Opposition fights chip curbs")
    # Without a headline given, the first report's title stands for it.
    first = [art(0, "Wire", "Opposition fights chip curbs", ""), *CHIP_STORY]
    assert not matches("chip -opposition", first)


def test_negating_a_source_leaves_out_only_its_own_stories() -> None:
    assert matches('-source:"tech current" chip', CHIP_STORY)
    assert matches("chip -source:tabloid", [*CHIP_STORY, art(4, "The Tabloid", "Chip war!", "")])
    own = [art(1, "The Tabloid", "Chip war!", ""), art(2, "The Tabloid", "Chip shock", "")]
    assert not matches("chip -source:tabloid", own)
    mostly = [*own, art(3, "Daily Ledger", "Chip curbs", "")]
    assert not matches("chip -source:tabloid", mostly)


def test_positive_terms_still_match_across_the_whole_story() -> None:
    # Each term where the story says what it is about (tests/test_topic_match_prominence.py),
    # in different articles: "export" in one title, "curbs" in another.
    assert matches("export curbs", CHIP_STORY)
    assert matches("source:tabloid chip", [*CHIP_STORY, art(4, "The Tabloid", "Chip war!", "")])
    # A double negation is the positive term again, story-wide.
    assert matches("NOT NOT curbs", CHIP_STORY)
    assert not matches("NOT NOT opposition", CHIP_STORY)  # one outlet's passing mention


def test_a_negated_group_is_judged_per_article_too() -> None:
    # "delays" and "ministry" are in different articles: no single article has both.
    assert matches("chip -(ministry delays)", CHIP_STORY)
    assert not matches("chip -(rules OR curbs)", CHIP_STORY)  # every article has one or other
