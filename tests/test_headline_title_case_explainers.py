"""The card headline reports: a question or an explainer title gives way to another outlet's
declarative one, and a title that capitalises every word is shown as written (recasing it from
the text lowered names)."""

from __future__ import annotations

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize.casing import case_forms, fix_shouting, is_title_cased
from bot.summarize.headline import choose_headline
from bot.summarize.wordmodel import word_probabilities

_TEXT = (
    "The harbour board of Port Wren voted on Monday to close the old ferry quay for repairs. "
    "Board chair Ilse Varga said the quay would temporarily close until the spring."
)


def _story(*titles: str) -> list[Article]:
    return [
        Article(id=f"a{n}", source=f"Outlet {n}", title=title, text=_TEXT)
        for n, title in enumerate(titles)
    ]


def test_an_explainer_title_gives_way_to_a_declarative_one() -> None:
    for explainer in (
        "What the Port Wren Ferry Quay Closure Means for Harbour Commuters and Trade",
        "What We Learned From the Port Wren Harbour Board Vote on the Ferry Quay",
        "Where Will Port Wren Ferries Dock Once the Old Quay Closes?",
    ):
        articles = _story(explainer, "Port Wren board votes to close old ferry quay")
        assert choose_headline(articles)[0] == "Port Wren board votes to close old ferry quay"


def test_an_explainer_is_kept_over_a_declarative_title_off_the_story() -> None:
    # The other outlet's title is its own angle: none of the story's words.
    explainer = "What We Learned From the Port Wren Harbour Board Vote on the Ferry Quay"
    angle = "Island Fishing Fleets Look Different From the Ones Tourists Photograph"
    for order in ((explainer, angle), (angle, explainer)):
        articles = _story(*order)
        probs = word_probabilities(articles, outlet_names(articles))
        assert choose_headline(articles, probs)[0] == explainer


def test_a_question_is_kept_when_every_title_asks() -> None:
    articles = _story("Where will Port Wren ferries dock?", "Why is the Port Wren quay closing?")
    assert choose_headline(articles)[0].endswith("?")


def test_a_declarative_title_opening_on_an_acronym_is_not_a_question() -> None:
    # "WHO" is the agency, not the question word.
    articles = _story("WHO backs Port Wren harbour clinic plan", "Port Wren harbour clinic")
    assert choose_headline(articles)[0] == "WHO backs Port Wren harbour clinic plan"


def test_every_word_capitalised_is_shown_as_written() -> None:
    # Recasing from the text would lower a name the text also writes as a common word ("may").
    text = _TEXT + " The board may close the quay again in the autumn."
    title = "Port Wren Chair Ilse May Says Board May Close Quay In Spring"
    assert is_title_cased(title)
    assert fix_shouting(title, case_forms([text])) == title
    articles = [Article(id="a0", source="Outlet 0", title=title, text=text)]
    assert choose_headline(articles)[0] == title


def test_a_title_cased_title_does_not_lose_for_its_capitals() -> None:
    articles = _story(
        "Harbour Board Of Port Wren Votes To Close Old Ferry Quay",
        "port wren board votes to close old ferry quay",
    )
    assert (
        choose_headline(articles)[0] == "Harbour Board Of Port Wren Votes To Close Old Ferry Quay"
    )


def test_headline_style_title_case_is_left_alone() -> None:
    # Small words in lower case: the outlet's house style, whose capitals mark its words.
    title = "Port Wren Board Votes to Close Old Ferry Quay for Repairs"
    assert not is_title_cased(title)
    assert fix_shouting(title, case_forms([_TEXT])) == title


def test_a_title_the_text_does_not_spell_keeps_its_case() -> None:
    # With too few of its words in the story's text, recasing would be a guess.
    title = "Lighthouse Keeping For Beginners - Harbour Logs"
    assert fix_shouting(title, case_forms([_TEXT])) == title
