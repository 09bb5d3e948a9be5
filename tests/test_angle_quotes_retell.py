"""An angle's quote adds to the card: it never tells the headline or a TL;DR bullet again."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angles import build_angles
from bot.summarize.grounding import is_verbatim

HEADLINE = "Velmar central bank holds key interest rate at 4.25%"
BULLET = (
    "The Velmar central bank left its key rate at 4.25%, and governor Ada Lind said a cut "
    "could come in the summer if wages cool."
)


def _rate_story(courier_text: str) -> list[Article]:
    return [
        Article(id="r1", source="Port Herald", title=HEADLINE, text=BULLET),
        Article(id="r2", source="Coast Courier", title="Rates stay put", text=courier_text),
    ]


def test_a_quote_telling_the_headline_again_gives_way_to_one_that_adds() -> None:
    articles = _rate_story(
        "Governor Ada Lind said inflation, at 3.1% in May, was easing more slowly than hoped. "
        "The Velmar central bank kept its main interest rate at 4.25% on Tuesday, as "
        "inflation stayed high. Food prices kept inflation up, the statistics office said."
    )
    angles, _ = build_angles(
        articles, [a.source for a in articles], "Port Herald", tldr=[BULLET], headline=HEADLINE
    )
    (courier,) = angles
    assert "3.1%" in courier.line
    # Both sentences back the line (on inflation); the first tells the headline again.
    assert courier.quote == "Food prices kept inflation up, the statistics office said."
    assert is_verbatim(courier.quote, articles[1].text)


def test_a_quote_giving_a_bullets_figure_in_other_words_gives_way() -> None:
    bullet = "Velmar wants its own AI model and is putting 3 billion crowns behind it."
    articles = [
        Article(id="m1", source="Port Herald", title="Velmar AI model", text=bullet),
        Article(
            id="m2",
            source="Coast Courier",
            title="AI model consortium",
            text="Telecom group Norvik will lead the work, with carmaker Stale among partners. "
            "The government of Velmar will spend up to 3 billion crowns on a homegrown AI model "
            "built by Norvik and other local companies. Officials said Norvik's model will "
            "serve factories first.",
        ),
    ]
    angles, _ = build_angles(
        articles, [a.source for a in articles], "Port Herald", tldr=[bullet], headline="Velmar AI"
    )
    (courier,) = angles
    assert "Norvik" in courier.line
    assert courier.quote == "Officials said Norvik's model will serve factories first."


def test_a_quote_with_a_figure_the_card_lacks_is_kept_though_it_repeats_the_headline() -> None:
    articles = _rate_story(
        "Governor Ada Lind said inflation, at 3.1% in May, was easing more slowly than hoped.\n"
        "The Velmar central bank held its key interest rate at 4.25% for a ninth month as "
        "inflation eased, with 12 of 14 analysts expecting it."
    )
    angles, _ = build_angles(
        articles, [a.source for a in articles], "Port Herald", tldr=[BULLET], headline=HEADLINE
    )
    (courier,) = angles
    assert "12 of 14 analysts" in courier.quote


def test_a_short_headline_does_not_silence_every_quote_naming_its_subject() -> None:
    # "Kestrel earnings": any quote about the company's earnings carries the whole headline, yet
    # one about where the demand came from tells the reader something new.
    headline = "Kestrel earnings"
    bullet = "Kestrel reported quarterly earnings of 2 billion crowns on Tuesday."
    quote = (
        "Kestrel's earnings were lifted by strong demand for drones, which its engineers design, "
        "analysts said."
    )
    articles = [
        Article(id="k1", source="Port Herald", title=headline, text=bullet),
        Article(
            id="k2",
            source="Coast Courier",
            title="Kestrel beats forecasts",
            text="Chief executive Mara Lund said the firm will hire 300 engineers in Lisbon and "
            "Porto. " + quote + " The report came out before the market opened.",
        ),
    ]
    angles, _ = build_angles(
        articles, [a.source for a in articles], "Port Herald", tldr=[bullet], headline=headline
    )
    (courier,) = angles
    assert "Mara Lund" in courier.line
    assert courier.quote == quote
