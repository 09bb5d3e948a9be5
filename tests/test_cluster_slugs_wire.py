from __future__ import annotations

import re
from dataclasses import replace

from _cluster_fixtures import article, event_articles

from bot.cluster.slugs import SlugBook, make_slug
from bot.cluster.wire import independent_sources
from bot.models import Article

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+){0,3}$")


def _event(name: str):
    return [a for n, a in event_articles() if n == name]


def test_slug_is_readable_and_distinctive():
    slug = make_slug(_event("chipmaker"), lambda s: False)
    assert SLUG_RE.match(slug), slug
    assert 1 <= len(slug.split("-")) <= 4
    assert "quantrix" in slug or "veloxa" in slug
    assert make_slug(_event("volcano"), lambda s: False) != slug


def test_slug_is_unique_against_taken():
    arts = _event("marathon")
    taken: set[str] = set()
    slugs = []
    for _ in range(6):
        s = make_slug(arts, lambda x: x in taken)
        assert SLUG_RE.match(s), s
        assert s not in taken
        taken.add(s)
        slugs.append(s)
    assert len(set(slugs)) == 6


def test_slug_handles_accents_and_empty_titles():
    a = article("z", "X", "Zürich café owners protest São Paulo rules", "")
    assert SLUG_RE.match(make_slug([a], lambda s: False))
    assert make_slug([article("e", "X", "", "")], lambda s: False) == "story"


def test_slug_is_stable_as_the_story_grows_and_survives_merges():
    book = SlugBook()
    arts = _event("volcano")
    first = book.slug("s1", arts[:1])
    assert book.slug("s1", arts) == first
    other = book.slug("s2", _event("chipmaker"))
    book.merged("s2", "s1")
    assert book.story_for(other) == "s1"
    assert book.slug("s2", arts) == first


def test_wire_copy_counts_once():
    base = _event("chipmaker")
    wire_text = base[0].text + " The deal is expected to close next year, the companies said."
    copies = [
        replace(base[0], id="w1", source="Agency Press", text=wire_text),
        replace(
            base[0], id="w2", source="City Herald", title="Quantrix buys Veloxa", text=wire_text
        ),
        replace(
            base[0], id="w3", source="Valley Times", text=wire_text[: len(wire_text) * 3 // 4]
        ),  # trimmed copy is still a copy
    ]
    count, groups = independent_sources([*copies, base[1], base[2]])
    assert groups == [["Agency Press", "City Herald", "Valley Times"]]
    assert count == 3  # the wire group + Business Ledger + Metro Wire


def test_independent_reports_are_all_counted():
    count, groups = independent_sources(_event("volcano"))
    assert (count, groups) == (3, [])
    assert independent_sources([]) == (0, [])


def test_a_statement_quoted_by_two_outlets_is_not_shared_copy():
    # Outlets quoting the same long statement heard the same speaker; they did not share copy.
    statement = (
        '"Our crews worked through the night to restore power to every home on the island, and we'
        ' thank residents for their patience while the storm passed," the utility said on Monday.'
    )
    articles = [
        Article(
            id="q1",
            source="Harbor Times",
            title="Island power restored after storm",
            text=statement + " Some roads remain closed near the ferry terminal.",
        ),
        Article(
            id="q2",
            source="Coast Daily",
            title="Utility thanks islanders",
            text="In a message to customers, the company wrote: " + statement,
        ),
        Article(
            id="q3",
            source="Metro Wire",
            title="Storm leaves island roads closed",
            text="Crews cleared fallen trees from the coastal road while the ferry stayed docked.",
        ),
    ]
    assert independent_sources(articles) == (3, [])
    # The same words outside quotation marks are copy.
    unquoted = statement.replace('"', "")
    copies = [replace(a, text=unquoted + " More updates later.") for a in articles[:2]]
    assert independent_sources([*copies, articles[2]]) == (2, [["Coast Daily", "Harbor Times"]])


def test_a_generic_word_alone_is_never_the_slug_of_a_story_with_more_words():
    # With the two-, three- and four-word choices taken, "trump" alone used to come next: then
    # `/story trump` named this one story exactly instead of offering the Trump stories.
    arts = [
        Article(
            id="x", source="s", title="Trump tariffs on China steel hit exporters hard", text=""
        )
    ]
    taken = {"trump-tariffs", "trump-tariffs-china", "trump-tariffs-china-steel"}
    slug = make_slug(arts, taken.__contains__)
    assert "-" in slug
    assert slug not in taken


def test_a_story_with_one_usable_word_still_gets_it():
    arts = [Article(id="x", source="s", title="Eurovision!", text="")]
    assert make_slug(arts, lambda s: False) == "eurovision"
    assert make_slug(arts, {"eurovision"}.__contains__) == "eurovision-2"


def test_a_new_slug_is_never_a_taken_slug_in_another_order():
    # "iran-us" beside "us-iran" names two stories a reader can't tell apart.
    taken = {"us-iran"}
    a = article("a", "X", "Iran and U.S. trade blame over stalled talks", "")
    assert make_slug([a], lambda s: False) == "iran-us"
    slug = make_slug([a], lambda s: s in taken)
    assert set(slug.split("-")) > {"iran", "us"}, slug
    # Three or four words are checked in every order too.
    taken = {"blame-iran-us"}
    assert make_slug([a], lambda s: s in taken | {"iran-us"}) not in {"iran-us-blame", "iran-us"}


def test_a_numbered_slug_is_never_a_taken_numbered_slug_in_another_order():
    # Every plain name taken: the fallback numbers one, and must not number another word order
    # of a story already numbered ("us-iran-stalled-2" beside "iran-us-stalled-2").
    a = article("a", "X", "Iran and U.S. trade blame over stalled talks", "")
    plain_taken = lambda s: not s[-1].isdigit()  # noqa: E731 (every unnumbered slug)
    assert make_slug([a], plain_taken) == "iran-us-stalled-2"
    taken = {"us-iran-stalled-2", "stalled-iran-us-3"}
    slug = make_slug([a], lambda s: plain_taken(s) or s in taken)
    assert slug == "iran-us-stalled-4", slug
