"""An explainer gives way to another outlet's declarative title on the story, in its other forms
too ("...: what it means", "Five takeaways from ...", "..., explained"), and is weighed by what
it explains, not by the readers it says the news is for ("... Means for the North Coast")."""

from __future__ import annotations

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize.explainers import asks
from bot.summarize.headline import choose_headline
from bot.summarize.wordmodel import word_probabilities

_DECLARATIVE = "Port Wren vote returns old harbour board to power"


def _headline(*stories: tuple[str, str]) -> str:
    articles = [
        Article(id=f"a{n}", source=f"Outlet {n}", title=title, text=text)
        for n, (title, text) in enumerate(stories)
    ]
    return choose_headline(articles, word_probabilities(articles, outlet_names(articles)))[0]


def test_an_explainer_is_weighed_without_whom_it_says_the_news_is_for() -> None:
    # "Kessel" is in the other outlet's lead only as where the town lies: it does not make the
    # explainer more on the story than the title that reports the vote.
    explainer = (
        "What Port Wren’s New Harbour Chief Ilse Varga Means for Kessel and Beyond",
        "Ilse Varga spent years away from Port Wren. She now leads its harbour.",
    )
    report = (
        _DECLARATIVE,
        "The harbour party of Port Wren, a Kessel coast town, won Sunday’s vote for the board.",
    )
    for order in ((explainer, report), (report, explainer)):
        assert _headline(*order) == _DECLARATIVE


def test_explainer_forms_give_way_to_a_declarative_title() -> None:
    # The explainers use more of the story's words than the report: on words alone they win.
    text = (
        "The old harbour board of Port Wren won Sunday's vote. Ferry commuters and quay traders "
        "in Port Wren so far know little of its plans for the ferry quay. The board returns to "
        "power in March."
    )
    report = "Old harbour board returns to power in Port Wren"
    for explainer in (
        "Port Wren vote returns old harbour board: what it means for ferry commuters",
        "The Port Wren vote that returns the old harbour board to power, explained",
        "Port Wren vote returns old harbour board to power — what we know so far",
        "Here’s what the Port Wren vote returning the old harbour board to power means",
    ):
        assert asks(explainer), explainer
        assert _headline((explainer, text), (report, text)) == report, explainer


def test_reporting_titles_are_not_explainers() -> None:
    for title in (
        _DECLARATIVE,
        "Analysis finds Port Wren harbour fees doubled",
        "Port Wren explains ferry quay closure to commuters",
        "Key Port Wren vote returns old board to power",
        "Five Port Wren harbour staff win bravery awards",
    ):
        assert not asks(title), title
    for title in (
        "Five takeaways from the Port Wren harbour vote",
        "Everything we know about the Port Wren quay closure",
        "Explained: why Port Wren closed its ferry quay",
    ):
        assert asks(title), title
