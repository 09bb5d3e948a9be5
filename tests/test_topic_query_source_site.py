"""`source:` finds an outlet by its site too (`source:nytimes.com`, `source:nytimes` for "The New
York Times" at nytimes.com), and a single-quoted name is refused rather than split in two."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.topics import QueryError, StoryDoc, TopicQuery


def story(*outlets: tuple[str, str | None]) -> StoryDoc:
    return StoryDoc.from_articles(
        [
            Article(id=f"a{i}", source=name, title="Chip curbs", text="", outlet=site)
            for i, (name, site) in enumerate(outlets)
        ]
    )


NYT = ("The New York Times", "nytimes.com")


@pytest.mark.parametrize("query", ["source:nytimes.com", "source:nytimes", 'source:"new york"'])
def test_source_matches_the_outlet_site(query: str) -> None:
    assert TopicQuery.parse(query).matches(story(NYT))


def test_source_by_site_does_not_match_other_outlets() -> None:
    assert not TopicQuery.parse("source:nytimes.com").matches(story(("Reuters", "reuters.com")))
    assert not TopicQuery.parse("source:nytimes").matches(story(("Daily Ledger", None)))
    assert not TopicQuery.parse("chip -source:nytimes.com").matches(story(NYT))


def test_single_quotes_after_source_are_refused() -> None:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse("chips source:'harbor times'")
    assert "use double quotes" in info.value.message
    assert info.value.position == len("chips source:")
    assert TopicQuery.parse("source:o'reilly").describe() == 'source:"o reilly"'
