"""An outlet quoting a bullet's words about the same thing reports the bullet.

Every story here is invented. On the real cards a bullet that a minister called the president
"deeply committed" to a leader's success was "reported by 1 of 3", though a second outlet
quoted the same words: it named the minister and the president, where the bullet gave their
offices, so too few of the bullet's words were its.
"""

from __future__ import annotations

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize.grounding import supporting_outlets
from bot.summarize.sentences import content_stems
from bot.summarize.support import quotes_alike

BULLET = (
    "The harbour minister said in Tolberg that the premier was “firmly behind” the success of "
    "the new ferry line."
)


def _story(*outlets: tuple[str, str, str]) -> list[Article]:
    return [
        Article(id=f"s{i}", source=source, title=title, text=text)
        for i, (source, title, text) in enumerate(outlets)
    ]


def _alike(bullet: str, sentence: str) -> bool:
    shared = frozenset(content_stems(bullet)) & frozenset(content_stems(sentence))
    return quotes_alike(bullet, sentence, shared)


def _backers(articles: list[Article], bullet: str = BULLET) -> list[str]:
    return supporting_outlets(bullet, "Quay Herald", articles, outlet_names(articles))


def test_an_outlet_quoting_the_same_words_backs_the_bullet() -> None:
    articles = _story(
        ("Quay Herald", "Minister backs ferry line", BULLET),
        (
            "Fjord Post",
            "Holm visits Tolberg port",
            "Premier Anna Holm is “firmly behind your success” with the ferry, Jon Berg told "
            "the port's board on a visit marked by protests from fishermen.",
        ),
        ("Metro Sound", "Fishermen protest at Tolberg", "Fishermen blocked the quay for an hour."),
    )
    assert _backers(articles) == ["Quay Herald", "Fjord Post"]


def test_other_words_quoted_or_one_word_alike_back_nothing() -> None:
    # Another remark quoted: not the bullet's statement.
    assert not _alike(
        BULLET,
        "Jon Berg said the ferry plan was “a waste of harbour money” and the premier disagreed.",
    )
    # One quoted word ("historic") is a common label, not a remark two outlets both report.
    assert not _alike(
        "The premier called the ferry deal “historic” at the harbour.",
        "Critics said the “historic” vote on fishing quotas was rushed.",
    )


def test_the_same_words_about_nothing_else_of_the_bullet_back_nothing() -> None:
    # Sharing only the quoted words themselves says nothing of what they were said about.
    assert not _alike(BULLET, "The coach said his team was “firmly behind” the new captain.")


def test_a_shared_quote_still_needs_the_bullets_figures() -> None:
    bullet = "The minister said the premier was “firmly behind” the 12 new ferries."
    articles = _story(
        ("Quay Herald", "Minister backs ferries", bullet),
        (
            "Fjord Post",
            "Holm backs ferries",
            "Premier Anna Holm is “firmly behind” the 40 new ferries, Jon Berg said.",
        ),
    )
    assert _backers(articles, bullet) == ["Quay Herald"]
