"""Title Case only tips a near tie between titles to one in sentence case: a Title Case title
that tells the story with clearly more of its words still wins. As a 10% mark-down it decided
between titles far apart, often for a wordier or more loaded sentence-case one."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.headline import choose_headline
from bot.summarize.title_tone import TITLE_CASE_MARGIN, best_title

TEXT = (
    "The Pellmouth harbour board voted on Tuesday to build a second ferry pier at Tallow Sound, "
    "funded by a crossing levy, after two years of protests by islanders and fishing crews."
)


def _article(i: int, title: str) -> Article:
    return Article(
        id=str(i), source=f"Outlet {i}", title=title, text=TEXT, url=f"https://{i}.example/x"
    )


def test_a_title_case_title_with_clearly_more_of_the_story_wins() -> None:
    # 10 of the story's words against 11: a 10% mark-down gave it to the shorter.
    sentence_case = "Harbour board backs second ferry pier at Tallow Sound after islander protests"
    title_case = (
        "Harbour Board Backs Second Ferry Pier at Tallow Sound After Islander, Crew Protests"
    )
    chosen, _ = choose_headline([_article(1, sentence_case), _article(2, title_case)])
    assert chosen == title_case


def test_a_near_tie_goes_to_sentence_case() -> None:
    sentence_case = "Harbour board backs second ferry pier at Tallow Sound"
    title_case = "Harbour Board Approves Second Ferry Pier at Tallow Sound"
    for order in ((sentence_case, title_case), (title_case, sentence_case)):
        chosen, _ = choose_headline([_article(1, order[0]), _article(2, order[1])])
        assert chosen == sentence_case


def test_the_margin_is_measured_from_the_best_score() -> None:
    title_case = (1.0, "Harbour Board Approves Second Ferry Pier Plan", 0)
    near = (1.0 - TITLE_CASE_MARGIN / 2, "Harbour board approves second ferry pier plan", 1)
    far = (1.0 - 2 * TITLE_CASE_MARGIN, "Harbour board approves a pier", 2)
    assert best_title([title_case, near])[2] == 1
    assert best_title([title_case, far])[2] == 0
    # Equal scores: the first, as before.
    plain = (1.0, "Harbour board approves second ferry pier plan", 3)
    assert best_title([plain, (1.0, "Ferry pier plan approved by the harbour board", 4)])[2] == 3


def test_a_title_under_five_words_is_no_title_case_and_keeps_its_win() -> None:
    """Four capitalised words may be names or a short headline in any style: only a title of five
    words or more, all capitalised, counts as Title Case and gives a near tie away."""
    near = 1.0 - TITLE_CASE_MARGIN / 2
    short = (1.0, "Harbour Board Approves Pier", 0)
    assert best_title([short, (near, "Harbour board approves pier", 1)])[2] == 0
    five = (1.0, "Harbour Board Approves Ferry Pier", 0)
    assert best_title([five, (near, "Harbour board approves ferry pier", 1)])[2] == 1
