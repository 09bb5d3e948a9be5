"""An angle's quote backs its line: it shares the line's own words or figures, shows no one's
words without a speaker, and when no sentence of the outlet backs the line, there is no quote."""

from __future__ import annotations

from bot.models import Angle, Article
from bot.summarize.angle_quotes import quote_pool
from bot.summarize.angles import build_angles
from bot.summarize.grounding import is_verbatim

HEADLINE = "Velmar central bank holds key interest rate at 4.25%"
BULLET = (
    "The Velmar central bank left its key rate at 4.25%, and governor Ada Lind said a cut "
    "could come in the summer if wages cool."
)


def _courier(text: str) -> tuple[Angle, Article]:
    articles = [
        Article(id="r1", source="Port Herald", title=HEADLINE, text=BULLET),
        Article(id="r2", source="Coast Courier", title="Rates stay put", text=text),
    ]
    angles, _ = build_angles(
        articles, [a.source for a in articles], "Port Herald", tldr=[BULLET], headline=HEADLINE
    )
    (courier,) = angles
    return courier, articles[1]


def test_the_quote_is_the_sentence_backing_the_line_not_a_more_novel_other_detail() -> None:
    courier, article = _courier(
        "Rents in the capital, Harbourg, rose 9% over the year to an average of 1,450 crowns a "
        "month, the steepest climb since 2008. Shares of Norvik Telecom and carmaker Stale fell "
        "in early trading after the announcement. Landlords blamed the rent rises on a shortage "
        "of flats."
    )
    assert "9%" in courier.line
    assert courier.quote == "Landlords blamed the rent rises on a shortage of flats."
    assert is_verbatim(courier.quote, article.text)


def test_a_line_no_other_sentence_backs_goes_without_a_quote() -> None:
    courier, _ = _courier(
        "Rents in the capital rose 9% over the year, the steepest climb since 2008. "
        "Shares of Norvik Telecom and carmaker Stale fell in Harbourg trading after the "
        "announcement. Landlords blamed the rent rises on a shortage of flats."
    )
    assert "Norvik" in courier.line
    # The rents sentences are news too, but they say nothing of the shares the line is about.
    assert courier.quote == ""


def test_a_quotation_with_no_speaker_is_not_shown_under_a_line_naming_a_person() -> None:
    courier, _ = _courier(
        "Finance minister Oskar Brandt promised 40,000 new flats by 2030 to bring rents down. "
        "“Every one of those flats will be built, whatever the bank decides about borrowing "
        "costs next spring.” Economists doubted the flats could be finished so fast."
    )
    assert "Oskar Brandt" in courier.line
    # Whose words those were, the outlet said a paragraph before: under this line they would
    # read as the minister's.
    assert courier.quote == "Economists doubted the flats could be finished so fast."


def test_a_window_cutting_off_the_speaker_of_a_quotation_is_not_shown() -> None:
    courier, _ = _courier(
        "Finance minister Oskar Brandt promised 40,000 new flats by 2030 to bring rents down. "
        "“Every one of those flats will be built and let at a fair rent, whatever the bank "
        "decides about borrowing costs next spring or the spring after that,” Brandt's deputy, "
        "Lene Holm, told the housing committee on Monday. "
        "Economists doubted the flats could be finished so fast."
    )
    assert "Oskar Brandt" in courier.line
    # Shown up to its cut, the deputy's words would read as the minister's.
    assert courier.quote == "Economists doubted the flats could be finished so fast."


def test_a_window_opening_a_quotation_it_cuts_before_the_speaker_is_not_shown() -> None:
    line = "Finance minister Oskar Brandt promised 40,000 new flats by 2030 to bring rents down."
    said = (
        "“The right of every family to a warm and safe home is the central pillar of our "
        "housing plan, the right from which every other promise in it flows, and these new "
        "flats will be built,” Brandt's deputy, Lene Holm, told the housing committee."
    )
    article = Article(id="a", source="Coast Courier", title="t", text=f"{line}\n\n{said}")
    scored = [(9.0, line, article, ["flats"]), (8.0, said, article, ["flats", "right"])]
    # Shown up to its window's cut, the deputy's words would read as the minister's.
    assert quote_pool(line, article, scored) == []


def test_a_lede_sharing_only_the_storys_name_does_not_back_a_line() -> None:
    from bot.summarize.angle_quotes import backs

    line = "Velmar's union of tenants called a rent strike in Harbourg for March."
    lede = "Velmar's central bank held its rate on Tuesday."
    assert not backs(lede, line, ["union", "tenants", "strike", "Harbourg", "March"], lede=True)
    # The same rare word of the story, later in the article, ties the two: the story's detail.
    later = "The Harbourg tenants' union has 40,000 members."
    assert backs(later, line, ["union", "tenants", "strike", "Harbourg", "March"])


def test_a_short_whole_sentence_comes_before_a_window_of_a_long_one() -> None:
    article = Article(id="a", source="Coast Courier", title="t", text="body one\n\nbody two")
    line = "Landlords in Harbourg raised rents 9% this year."
    long = (
        "Landlords in the older districts, where most of the city's rented flats are, said "
        "that the cost of repairs, insurance and the new energy rules had left them no choice "
        "but to raise rents sharply this year and probably next year too."
    )
    short = "Landlords said repairs now cost twice what they did."
    scored = [(9.0, line, article, []), (8.0, long, article, []), (3.0, short, article, [])]
    pool = quote_pool(line, article, scored)
    assert [item[1] for item in pool] == [short, long]
