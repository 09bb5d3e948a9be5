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


def test_a_quoted_title_or_slogan_is_no_shared_remark() -> None:
    # Everyone who mentions the film quotes its name: the words say nothing of a remark.
    assert not _alike(
        "The harbour choir said it would sing songs from “Storm Over Tolberg Bay” at the ferry "
        "launch.",
        "Fans of “Storm Over Tolberg Bay” said the ferry launch drew a record crowd.",
    )
    assert not _alike(
        "Premier Anna Holm said her “Ferries For Every Harbour” plan would start in Tolberg.",
        "Jon Berg mocked the premier's “Ferries For Every Harbour” slogan in Tolberg.",
    )


def test_a_shared_quotation_needs_the_backing_sentence_to_report_speech() -> None:
    assert not _alike(
        "The harbour minister said the premier was “firmly behind” the new ferry line.",
        "A banner reading “firmly behind” the ferry line hung over the premier's office.",
    )


def test_another_speaker_quoting_the_same_words_backs_nothing() -> None:
    bullet = "Premier Anna Holm said the ferry budget was “good news” for Tolberg's harbour."
    assert not _alike(
        bullet,
        "Jon Berg, the opposition leader, said the collapse of the ferry budget was “good news” "
        "for Tolberg's harbour.",
    )
    # Two offices in lower case, one for each side: two speakers.
    assert not _alike(
        "The mayor said the harbour plan would bring “new jobs and growth” to Tolberg.",
        "The union said the harbour plan would bring “new jobs and growth” only to Vennmark, "
        "not to Tolberg.",
    )
    # One speaker named in both: one remark.
    assert _alike(
        bullet,
        "The ferry budget was “good news” for the harbour, Holm told reporters in Tolberg.",
    )


def test_words_quoted_to_be_denied_back_nothing() -> None:
    bullet = "Premier Anna Holm called the fishing report “a complete fabrication” on Monday."
    for denial in (
        "Fisheries chief Anna Holm rejected claims that the fishing report was “a complete "
        "fabrication”.",
        "Holm denied she had called the fishing report “a complete fabrication”.",
        "Anna Holm dismissed critics who called the fishing report “a complete fabrication”.",
    ):
        assert not _alike(bullet, denial), denial
    articles = _story(
        ("Quay Herald", "Premier attacks report", bullet),
        (
            "Fjord Post",
            "Fisheries chief defends report",
            "Fisheries chief Jon Berg rejected claims that the fishing report was “a complete "
            "fabrication”.",
        ),
    )
    assert _backers(articles, bullet) == ["Quay Herald"]


def test_a_lead_without_its_speaker_is_backed_by_the_same_words_with_one() -> None:
    # The bullet is one outlet's lead; the other names the speaker around the same sentence.
    assert _alike(
        "In all her years at the harbour, she has “never seen a storm like” the one that hit "
        "the quay on Sunday.",
        "Harbour master Anna Holm says that in all her years at the harbour, she has “never "
        "seen a storm like” the one that hit the quay.",
    )
