"""A topic matches what a story is about: a term in a headline, in the leads of two of its
outlets (of its only one), or said again and again. One passing mention in one article's text
("a major booster of efforts", a profile's "served in Afghanistan") matched a whole story and
sent it to a channel that follows something else. Terms joined by OR count together; a negation
is still judged on each article's whole text; `topics test` says where each term was found."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.cli import polled_sample

from bot.cli import cli
from bot.config import Config
from bot.models import Article
from bot.pipeline.digest import matching_topics
from bot.store.channels import TopicRow
from bot.topics import StoryDoc, TopicQuery
from bot.topics.storydoc import LEAD_WORDS


def art(i: int, source: str, title: str, text: str = "") -> Article:
    return Article(id=f"a{i}", source=source, title=title, text=text)


def doc(articles: list[Article]) -> StoryDoc:
    return StoryDoc.from_articles(articles)


def matches(query: str, articles: list[Article]) -> bool:
    return TopicQuery.parse(query).matches(doc(articles))


def why(query: str, articles: list[Article]) -> list[str] | None:
    return TopicQuery.parse(query).reasons(doc(articles))


# A councillor charged over campaign money: three outlets, and one of them recalls, in passing,
# where he once served.
CHARGED = [
    art(
        1,
        "Harbor Times",
        "Councillor Brann charged over campaign funds",
        "Prosecutors charged councillor Aldo Brann on Tuesday with spending campaign money on "
        "holidays and school fees.\nBrann, who served with the navy in Kestovia before entering "
        "politics, denied wrongdoing.",
    ),
    art(
        2,
        "Daily Ledger",
        "Brann denies misusing donations",
        "Councillor Aldo Brann said he would fight the charges, calling them a political attack.",
    ),
    art(
        3,
        "Coast Courier",
        "What the Brann indictment says",
        "The indictment lists more than two hundred payments made from the campaign account.",
    ),
]


def test_a_passing_mention_in_one_article_does_not_match() -> None:
    assert not matches("kestovia OR kestovian", CHARGED)
    assert why("kestovia", CHARGED) is None
    assert why("navy", CHARGED) is None  # in the first report's lead, but one outlet's aside
    # What it is about still matches, from a title or from two leads.
    assert why("indictment", CHARGED) == ["indictment: a report's title (Coast Courier)"]
    assert why("campaign", CHARGED) == ["campaign: headline"]


def test_the_leads_of_two_outlets_make_a_topic_one_does_not() -> None:
    story = [
        art(
            1,
            "Harbor Times",
            "Port closed for a second day",
            "Dockworkers on strike kept the port shut.",
        ),
        art(
            2,
            "Daily Ledger",
            "Ships wait off the coast",
            "The strike by dockworkers entered its second day.",
        ),
        art(
            3, "Coast Courier", "Ferries run late", "Passengers faced long queues at the terminal."
        ),
    ]
    assert why("strike", story) == ["strike: leads of 2 outlets"]
    assert not matches("queues", story)  # one lead of three outlets
    # A story of one outlet has one lead to go by.
    assert why("queues", story[2:]) == ["queues: lead"]
    # Two reports of one outlet are one voice.
    same = [story[0], art(4, "Harbor Times", "Port update", "Long queues formed at the gate.")]
    assert not matches("queues", [*same, story[1]])


def test_the_lead_is_the_first_words_of_an_article() -> None:
    filler = " ".join(["Officials met again on Monday."] * (LEAD_WORDS // 5))
    early = [
        art(1, "Harbor Times", "Talks resume", f"Tariff talks resumed. {filler}"),
        art(2, "Daily Ledger", "Officials meet", f"A tariff deal is near. {filler}"),
    ]
    late = [
        art(1, "Harbor Times", "Talks resume", f"{filler} Tariff talks resumed."),
        art(2, "Daily Ledger", "Officials meet", f"{filler} A tariff deal is near."),
    ]
    assert why("tariff", early) == ["tariff: leads of 2 outlets"]
    assert not matches("tariff", late)


def test_a_term_said_again_and_again_further_down_matches() -> None:
    filler = " ".join(["The council sat late."] * (LEAD_WORDS // 4))
    three = f"{filler} The levy was raised. Critics called the levy unfair. A levy vote follows."
    story = [
        art(1, "Harbor Times", "Budget passes", three),
        art(2, "Daily Ledger", "Council votes", filler),
    ]
    assert not matches("levy", story)  # three times: still an aside
    story.append(art(3, "Coast Courier", "Council split", f"{filler} Nobody defended the levy."))
    assert why("levy", story) == ["levy: 4 mentions"]


def test_or_terms_count_together_once_per_place() -> None:
    story = [
        art(1, "Harbor Times", "Clinics extend hours", "Covid cases rose again this week."),
        art(2, "Daily Ledger", "Pharmacies stock up", "A new vaccine reaches shelves on Friday."),
        art(3, "Coast Courier", "Queues at clinics", "Many waited over an hour."),
    ]
    assert not matches("covid", story)
    assert not matches("vaccine", story)
    assert why("covid OR vaccine", story) == ["covid OR vaccine: leads of 2 outlets"]
    # A word and its plural find the same words: two mentions, not four.
    filler = " ".join(["The mayor spoke at length."] * (LEAD_WORDS // 4))
    taxes = [
        art(1, "Harbor Times", "Mayor speaks", f"{filler} New taxes were ruled out."),
        art(2, "Daily Ledger", "Mayor's address", f"{filler} Taxes stay the same."),
    ]
    assert not matches("tax OR taxes", taxes)


def test_each_and_term_must_be_what_the_story_is_about() -> None:
    story = [
        art(1, "Harbor Times", "Ferry fares rise", "Fares go up in May.\nA strike was ruled out."),
        art(2, "Daily Ledger", "Ferry tickets cost more", "Operators blamed fuel."),
    ]
    assert not matches("ferry strike", story)
    assert why("ferry fuel", story) is None
    assert why("ferry fares", story) == ["ferry: headline", "fares: headline"]


def test_source_filters_and_negations_keep_their_meaning() -> None:
    assert why('source:"harbor times" brann', CHARGED) == [
        'source:"harbor times"',
        "brann: headline",
    ]
    assert not matches('source:"harbor times" kestovia', CHARGED)
    # A negation is judged on each article's whole text: two of three mention a strike far down,
    # which leaves the story out of `council -strike`, though `strike` alone, said twice in
    # passing, does not pick it.
    filler = " ".join(["The council met on Monday."] * (LEAD_WORDS // 5))
    story = [
        art(1, "Harbor Times", "Council delays budget", f"{filler} A strike is possible."),
        art(2, "Daily Ledger", "Council budget vote put off", f"{filler} Unions talk of a strike."),
        art(3, "Coast Courier", "Budget waits", filler),
    ]
    assert not matches("strike", story)
    assert not matches("council -strike", story)
    assert matches("council -strike", story[1:])  # one of two is not most


def test_reasons_agree_with_matches() -> None:
    queries = [
        "kestovia",
        "brann",
        "brann -charges",
        "indictment OR kestovia",
        "(campaign OR levy) -source:ledger",
        "councillor AND NOT holidays",
        "source:courier",
    ]
    for query in queries:
        parsed = TopicQuery.parse(query)
        for articles in (CHARGED, CHARGED[:1], CHARGED[1:]):
            story = doc(articles)
            assert (parsed.reasons(story) is not None) == parsed.matches(story), query


def test_the_digest_picks_by_what_the_story_is_about() -> None:
    topics = [
        TopicRow(slug="navy", title=None, query="kestovia OR navy", origin="config"),
        TopicRow(slug="courts", title=None, query="indictment OR prosecutors", origin="config"),
    ]
    assert matching_topics(topics, CHARGED) == ["courts"]


def test_topics_test_says_where_each_term_was_found(
    tmp_path: Path, sample_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    runner = polled_sample(sample_config)
    found = runner.invoke(cli, ["topics", "test", '"chip export" OR semiconductor'])
    assert found.exit_code == 0, found.output
    assert found.output.startswith('"chip export" OR semiconductor matches 1 of ')
    assert '"chip export": a report\'s title (Tech Current)' in found.output
    # One of the chip story's three outlets says "semiconductors", once, in its lead.
    alone = runner.invoke(cli, ["topics", "test", "semiconductor"])
    assert alone.exit_code == 0, alone.output
    assert alone.output.startswith("semiconductor matches 0 of ")
