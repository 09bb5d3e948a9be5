"""A bullet is "reported by" the outlets that tell its claim, not those that only name what it is
about, and a gallery's teaser is no bullet at all.

Every story here is invented. Reviewers found "reported by 4 of 4" on "X closed the strait"
where one outlet reported drills in the strait the day before, and a photo gallery's "A look
back at the life of ..." as a bullet credited to an outlet that never said it.
"""

from __future__ import annotations

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize import summarize
from bot.summarize.grounding import supporting_outlets
from bot.summarize.introduced import is_teaser


def _story(*outlets: tuple[str, str, str]) -> list[Article]:
    return [
        Article(id=f"s{i}", source=source, title=title, text=text)
        for i, (source, title, text) in enumerate(outlets)
    ]


CLOSED = "Norland says it shut the Kessel Channel, a busy lane for tankers."


def test_an_outlet_sharing_only_the_names_does_not_report_the_claim() -> None:
    articles = _story(
        ("Quay Herald", "Norland shuts Kessel Channel", CLOSED + " Envoys met in Tarn."),
        (
            "Fjord Post",
            "Norland temporarily shuts Kessel Channel during talks",
            "Norland temporarily shut the Kessel Channel as envoys met in Tarn.",
        ),
        (
            "Metro Sound",
            "Norland holds drills in Kessel Channel",
            "A day before the talks, Norland ran naval drills in the Kessel Channel.",
        ),
        (
            "Tide Wire",
            "Norland shuts Kessel Channel as talks resume",
            "Norland shut the Kessel Channel on Tuesday, its navy said.",
        ),
    )
    assert supporting_outlets(CLOSED, "Quay Herald", articles, outlet_names(articles)) == [
        "Quay Herald",
        "Fjord Post",
        "Tide Wire",
    ]


def test_a_gallery_teaser_is_no_bullet() -> None:
    assert is_teaser("A look back at the long life of the harbour's best-known ferry captain.")
    assert is_teaser("In pictures: the Tarn regatta through the years")
    # A finding told through "a look at" is reporting.
    assert not is_teaser("A look at the port's ledgers shows fees doubled in a year.")
    assert not is_teaser("Looking back, the captain said the crossing was her hardest.")
    life = (
        "Ferry captain Ada Wren, who steered the Tarn crossing for 40 years, died on Monday "
        "aged 91. The harbour board said flags would fly at half mast on Friday."
    )
    articles = _story(
        ("Quay Herald", "Tarn ferry captain Ada Wren dies at 91", life),
        (
            "Fjord Post",
            "Ada Wren: a life on the water in pictures",
            "A look back at the long life of the harbour's best-known ferry captain, who died "
            "on Monday.",
        ),
        (
            "Metro Sound",
            "Ada Wren, Tarn's longest-serving ferry captain, dies",
            "Ada Wren, who captained the Tarn ferry for four decades, has died aged 91. "
            "Crews sounded their horns in her honour.",
        ),
    )
    bullets = [b.text for b in summarize(articles).tldr]
    assert bullets
    assert not any(b.startswith("A look back") for b in bullets)


def test_many_shared_names_tell_the_claim_in_other_words() -> None:
    visit = (
        "Foreign Minister Ilse Varga visited Lundia on Monday and praised Premier Oskar Malm's "
        "close ties with Norland."
    )
    articles = _story(
        ("Quay Herald", "Varga praises Malm in Lundia", visit),
        (
            "Fjord Post",
            "In Lundia, Ilse Varga Hails Norland's Bond With Oskar Malm",
            "The minister spoke at a dinner in the capital.",
        ),
        ("Metro Sound", "Lundia budget passes", "Lundia's parliament passed the budget."),
    )
    assert supporting_outlets(visit, "Quay Herald", articles, outlet_names(articles)) == [
        "Quay Herald",
        "Fjord Post",
    ]
