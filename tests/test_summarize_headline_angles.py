from __future__ import annotations

import io
import json

from bot.eval.summarize_eval import summarize_jsonl
from bot.models import Article
from bot.summarize import summarize
from bot.summarize.angle_lines import line_detail
from bot.summarize.angles import build_angles
from bot.summarize.grounding import ELLIPSIS, entities, is_verbatim, numbers, ungrounded
from bot.summarize.headline import choose_headline, clean_title
from tests.test_summarize_fixtures import harbor_bridge_story, tram_strike_story


def test_headline_cleanup() -> None:
    assert clean_title("Storm closes harbor bridge - Reuters") == "Storm closes harbor bridge"
    assert clean_title("Fed raises rates again | BBC News") == "Fed raises rates again"
    assert clean_title("BREAKING: CITY SHUTS HARBOR BRIDGE IN U.S.") == (
        "City shuts harbor bridge in U.S."
    )
    assert clean_title("SHOCKING video shows FBI raid!!") == "Shocking video shows FBI raid"
    assert clean_title("Watch: Tornado hits Ohio town (VIDEO)") == "Tornado hits Ohio town"
    # A dash that is part of the title is not a site suffix.
    assert clean_title("Apple sues Samsung - again") == "Apple sues Samsung - again"


def test_headline_prefers_neutral_consensus_title() -> None:
    articles = [
        *harbor_bridge_story(),
        Article(
            id="a9",
            source="Buzz Site",
            title="You won't believe what happened to this bridge?",
            text="The Millbrook harbor bridge was closed on Tuesday.",
        ),
    ]
    headline, index = choose_headline(articles)
    assert "believe" not in headline
    assert headline == clean_title(articles[index].title, [a.source for a in articles])
    assert not headline.isupper() and "Harbor Daily" not in headline


def test_angles_quote_verbatim_and_one_per_outlet() -> None:
    articles = harbor_bridge_story()
    # A second article from the same outlet must not give that outlet a second angle.
    articles.append(
        Article(
            id="a2b",
            source="Coastline Times",
            title="Bridge repair estimate",
            text="Fulton Engineering put the repair bill at $14 million on Wednesday.",
            url="https://coastline.example/estimate",
        )
    )
    summary = summarize(articles)
    sources = [a.source for a in summary.angles]
    assert len(sources) == len(set(sources))
    texts = {a.source: "" for a in articles}
    for a in articles:
        texts[a.source] += f" {a.text}"
    for angle in summary.angles:
        # An angle may have no quote (nothing beyond the line's own sentence to quote).
        assert not angle.quote or is_verbatim(angle.quote, texts[angle.source])
        assert angle.url in {a.url for a in articles if a.source == angle.source}
        assert angle.line
    angles, _ = build_angles(articles, [a.source for a in articles], "Harbor Daily")
    coastline = next(a for a in angles if a.source == "Coastline Times")
    assert coastline.line.startswith("Puts a figure on it:") and "$14 million" in coastline.line


def test_outlets_that_add_nothing_are_grouped() -> None:
    articles = harbor_bridge_story()
    angles, also = build_angles(articles, [a.source for a in articles], "Harbor Daily")
    assert "Valley Echo" in also
    assert {a.source for a in angles} == {"Coastline Times", "Regional Wire"}
    assert "Harbor Daily" not in also and all(a.source != "Harbor Daily" for a in angles)


def test_quote_verification() -> None:
    source = "The repair bill could reach $14 million, according to an estimate."
    assert is_verbatim("The repair bill could reach $14 million", source)
    assert is_verbatim(f"{ELLIPSIS}bill could reach $14 million{ELLIPSIS}", source)
    assert not is_verbatim("The repair bill could reach $15 million", source)
    assert not is_verbatim("bill could reach about $14 million", source)
    assert not is_verbatim(ELLIPSIS, source)


def test_entity_and_number_grounding() -> None:
    sources = ["Mayor Elena Brandt said the repair bill could reach $14 million."]
    assert "Elena Brandt" in entities("Mayor Elena Brandt approved it.")[0]
    assert numbers("It costs $1,400 and took 8 months.") == ["1,400", "8"]
    assert ungrounded("Elena Brandt put the bill at $14 million.", sources) == []
    assert ungrounded("Governor Tom Hale put the bill at $19 million.", sources) == [
        "Governor Tom Hale",
        "19",
    ]


def test_eval_jsonl_contract() -> None:
    story = {
        "cluster_id": "s1",
        "articles": [
            {"id": a.id, "source": a.source, "title": a.title, "text": a.text, "url": a.url}
            for a in harbor_bridge_story()
        ],
        "reference": {"summary": "ignored"},
    }
    anonymous = {
        "cluster_id": "s2",
        "articles": [
            {"id": a.id, "source": None, "title": a.title, "text": a.text}
            for a in harbor_bridge_story()
        ],
    }
    out = io.StringIO()
    summarize_jsonl(io.StringIO(json.dumps(story) + "\n\n" + json.dumps(anonymous) + "\n"), out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["cluster_id"] for r in rows] == ["s1", "s2"]
    for row in rows:
        assert set(row) == {"cluster_id", "headline", "tldr", "angles"}
        assert 2 <= len(row["tldr"]) <= 3 and all(isinstance(b, str) for b in row["tldr"])
        assert row["headline"]
    assert {a["source"] for a in rows[0]["angles"]} <= {a.source for a in harbor_bridge_story()}
    assert all(a["source"] is None for a in rows[1]["angles"])


def test_angle_lines_are_whole_clauses_without_fake_names_or_years() -> None:
    base = "The city council approved a new tram line for the east side on Monday."
    articles = [
        Article(id="t1", source="Metro Post", title="Council backs tram line", text=base),
        Article(
            id="t2",
            source="Tech Daily",
            title="Tram line gets AI signals",
            text=base + " The tram line will use AI signalling supplied by Norvik Rail, which "
            "builds control systems for networks across the northern provinces and the coast.",
        ),
        Article(
            id="t3",
            source="Valley News",
            title="Tram line approved",
            text=base + " The mayor said the old depot had been empty since it closed in 2009.",
        ),
    ]
    angles, _ = build_angles(articles, [a.source for a in articles], "Metro Post")
    lines = {a.source: a.line for a in angles}
    # "AI" is a topic, not a name; the named company is the detail.
    assert "Names AI" not in lines["Tech Daily"] and "Norvik Rail" in lines["Tech Daily"]
    # A year is a date, not a figure; and the line starts where the sentence starts.
    assert not lines["Valley News"].startswith("Puts a figure")
    assert "The mayor said" in lines["Valley News"]
    for line in lines.values():
        detail = line_detail(line)
        assert detail[:1].isupper() and detail.endswith(".")
        assert detail.rstrip(".").split()[-1].casefold() not in {"to", "the", "of", "make"}


def test_angle_quote_adds_to_the_line_and_names_are_not_repeated() -> None:
    base = "The Ostrava ferry service resumed on Friday after a two-week strike ended."
    articles = [
        Article(id="f1", source="Port Herald", title="Ferries sail again", text=base),
        Article(
            id="f2",
            source="Coast Courier",
            title="Ferry strike over",
            text=base + " Union leader Hana Sorensen said crews won a 6% pay rise. "
            "Crews at the northern terminal cheered the pay deal by dawn.",
        ),
        Article(
            id="f3",
            source="Bay Watch",
            title="Ferry service back",
            text=base + " Passengers with cancelled tickets can claim refunds until March.",
        ),
    ]
    angles, _ = build_angles(articles, [a.source for a in articles], "Port Herald")
    by_source = {a.source: a for a in angles}
    courier = by_source["Coast Courier"]
    detail = line_detail(courier.line)
    # The quote is another of the outlet's own sentences, verbatim, not the line again.
    assert courier.quote not in courier.line and detail.rstrip(".") not in courier.quote
    assert is_verbatim(courier.quote, articles[1].text)
    # The name opens the detail, so the framing does not say it first.
    assert "Hana Sorensen" in detail and courier.line.count("Hana Sorensen") == 1
    # An outlet with a single sentence of its own keeps its angle, but quoting that sentence would
    # only repeat the line: no quote.
    assert "refunds" in by_source["Bay Watch"].line and by_source["Bay Watch"].quote == ""


def test_a_sentence_giving_a_bullets_figure_in_other_words_is_no_angle() -> None:
    # The second outlet's only sentence of its own restates the TL;DR's strike ("48 hours" as
    # "two days ... a 48-hour strike"): it is not a detail the others lack.
    articles = tram_strike_story(extra=False)
    outlets = [a.source for a in articles]
    bullet = articles[0].text
    angles, also = build_angles(articles, outlets, "Harbour Post", tldr=[bullet])
    assert angles == [] and also == ["Valley Ledger"]
    # Without that bullet on the card, the same sentence is the outlet's angle.
    angles, also = build_angles(articles, outlets, "Harbour Post")
    assert [a.source for a in angles] == ["Valley Ledger"] and also == []


def test_an_angle_line_never_opens_on_a_word_standing_for_someone_unnamed() -> None:
    # The outlet's richest sentence of its own opens on "She": as a line under the outlet's name
    # nobody knows who. Its other detail, which names its subject, makes the line instead.
    base = "The Velmar parliament approved a national AI research fund of 2 billion crowns."
    articles = [
        Article(id="s1", source="Port Herald", title="Parliament backs AI fund", text=base),
        Article(
            id="s2",
            source="Coast Courier",
            title="AI fund approved",
            text=base + " She said the fund will hire 150 engineers at launch and keep all "
            "training data on servers inside the country. "
            "Research minister Ines Vald opened the debate in Velmar on Monday.",
        ),
    ]
    angles, _ = build_angles(articles, [a.source for a in articles], "Port Herald")
    (courier,) = angles
    detail = line_detail(courier.line)
    assert not detail.startswith("She "), courier.line
    assert "Ines Vald" in courier.line
