"""Slugs read as words: hyphens and apostrophes inside a token do not glue words together,
contractions are no slug words, and the chosen words keep the order a headline gives them."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_slug_settle as settle

from bot.adapters.discord.views import FullBreakdownButton
from bot.cluster.slug_words import MAX_WORD_CHARS, slug_words
from bot.cluster.slugs import MAX_WORDS, make_slug
from bot.models import Article
from bot.pipeline.clustering import StoryClusterer
from bot.store import stories as story_store
from bot.store.database import open_database


def _slug(*titles: str, taken: set[str] | None = None) -> str:
    articles = [
        Article(id=str(i), source=f"Desk {i}", title=title, text="")
        for i, title in enumerate(titles)
    ]
    return make_slug(articles, lambda s: s in (taken or set()))


@pytest.mark.parametrize(
    ("title", "words"),
    [
        # Two names joined by a hyphen are one word that keeps it, not "norvaliaostrek".
        ("Norvalia-Ostrek border talks end in Tamsfield", ["norvalia-ostrek", "border", "talks"]),
        # "U.S." keeps its name once split off: "us", not "usbrokered".
        ("New U.S.-brokered truce holds in Vardania", ["us", "brokered", "truce"]),
        # A contraction names nothing: "youd" and "cant" used to become slug words.
        ("You'd never guess what Corvane's mayor can't fix", ["never", "guess", "corvane"]),
        ("It’s a record: Tamsfield’s harbour reopens", ["record", "tamsfield", "harbour"]),
        # An age is no name: "18yearold" read as one odd word.
        ("Halbrook police hold 18-Year-Old suspect", ["halbrook", "police", "hold", "suspect"]),
    ],
)
def test_slug_words_split_hyphens_and_drop_contractions(title: str, words: list[str]) -> None:
    assert slug_words(title)[: len(words)] == words


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("First day of Norvalia-Ostrek peace talks ends in Tamsfield", "norvalia-ostrek-tamsfield"),
        # A brand of two names takes one of a slug's words: the event keeps the other.
        ("Marlow-Keene recalls 40,000 kettles in Vardania", "marlow-keene-vardania"),
        ("Velmora-Dax sequel tops the box office", "velmora-dax-sequel"),
        ("You'd be surprised how many skaters train in Corvane", "skaters-corvane"),
        ("Corvane chess open won by Halbrook-born teen", "corvane-halbrook"),
    ],
)
def test_slugs_of_hyphenated_and_contracted_headlines_read(title: str, slug: str) -> None:
    assert _slug(title) == slug


def test_kept_hyphens_and_bound_prefixes_are_unchanged() -> None:
    # A name with a number keeps its hyphen, and a prefix ("anti-", "re-") stays on its word:
    # "re" or "anti" alone would be a slug word that names nothing.
    assert slug_words("Kestrel-2 lander touches down") == ["kestrel-2", "lander", "touches"]
    assert slug_words("Anti-vax rally backs re-election bid") == [
        "antivax",
        "rally",
        "backs",
        "reelection",
        "bid",
    ]
    # A single letter is part of its word too: "x-ray", "e-mail".
    assert slug_words("X-ray scanners miss e-mail bombs")[:2] == ["xray", "scanners"]
    # A compound word is one word, where its capitals say nothing too.
    assert slug_words("White-collar jobs shift to short-form video") == [
        "whitecollar",
        "jobs",
        "shift",
        "shortform",
    ]
    assert slug_words("Why AI Firms Are Pivoting to Short-Form Video")[-1:] == [
        "shortform",
    ]
    assert slug_words("Talks on a Gaza cease-fire resume")[:2] == ["talks", "gaza"]
    assert "ceasefire" in slug_words("Talks on a Gaza cease-fire resume")


def test_a_multiword_name_reads_in_order_even_when_the_first_headline_lacks_it() -> None:
    slug = _slug(
        "Tech workers in Halbrook walk out over contracts",
        "Silicon Valley can't import talent like before, so it is exporting jobs",
        "Silicon Valley firms move jobs abroad",
    )
    assert "valley-silicon" not in slug
    assert "silicon-valley" in slug


def test_weak_words_make_way_for_names() -> None:
    slug = _slug(
        "Low expectations as Norvalia, Ostrek confirm new round of talks",
        "Norvalia and Ostrek hold new round of peace talks, but expectations are low",
        "Expectations are low for the latest talks between Ostrek and Norvalia",
    )
    assert "low" not in slug.split("-"), slug


def test_a_slug_already_taken_still_gets_a_free_one() -> None:
    title = "First day of Norvalia-Ostrek peace talks ends in Tamsfield"
    first = _slug(title)
    second = _slug(title, taken={first})
    assert second != first
    assert "norvaliaostrek" not in second


def test_a_stored_slug_made_by_the_old_rule_is_never_remade(tmp_path: Path) -> None:
    # Slugs are made when a story opens and re-made once when a second source joins; one already
    # settled under the old rule (glued words and all) keeps its name as more sources join.
    db = open_database(tmp_path / "nd.db")
    stage = StoryClusterer(db)
    stage.assign(settle._add(db, 0))
    story = settle._only_story(db)
    story_store.rename(db, story.id, "nordtel-languagemodel")  # settled: it now has an alias
    stage.assign(settle._add(db, 1))
    stage.assign(settle._add(db, 2))
    assert settle._only_story(db).source_count == 3
    assert settle._only_story(db).slug == "nordtel-languagemodel"


def test_a_slug_never_says_a_word_twice() -> None:
    titles = (
        "Norvalia hammers Ostrek again as envoys broker a third round of peace talks",
        "First day of Norvalia-Ostrek peace talks ends in Tamsfield",
        "Ostrek and Norvalia Hold Talks in Tamsfield",
    )
    # Shorter slugs taken, so it reaches for more of its ranked words.
    slug = _slug(*titles, taken={"ostrek-tamsfield", "ostrek-norvalia-tamsfield"})
    parts = slug.split("-")
    assert len(parts) == len(set(parts)), slug


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # One unbroken run of letters, as a broken or hostile feed may send for a title.
        ("Ferry service " + "z" * 900 + " resumes", "ferry-" + "z" * MAX_WORD_CHARS),
        # Names joined by hyphens keep the whole names that fit.
        (
            "Border talks open in " + "-".join(["Norvalia", "Ostrek", "Tamsfield"] * 40),
            "border-norvalia-ostrek",
        ),
        # A name with a number, and prefixes glued to their word, are cut as well.
        ("Jet " + "-".join(["Kestrel"] * 60) + "-7 lands", "jet-kestrel-kestrel"),
        ("Leeds opens " + "pre-" * 200 + "school", "leeds-" + "pre" * 6 + "pr"),
    ],
)
def test_a_slug_word_has_at_most_max_word_chars(title: str, expected: str) -> None:
    slug = _slug(title)
    assert slug == expected
    assert len(slug) <= MAX_WORDS * (MAX_WORD_CHARS + 1)
    # Whole in the id of Discord's "Full breakdown" button, which holds 100 characters.
    assert FullBreakdownButton(slug).item.custom_id == f"nd:full:{slug}"


@pytest.mark.parametrize(
    ("title", "words"),
    [
        # Ages, plural or spelled out, name no one: "6yearolds" and "twoyearold" were slug words.
        (
            "Clinic slots for 6-year-olds open in Tamsfield",
            ["clinic", "slots", "open", "tamsfield"],
        ),
        ("Two-year-old rescued from Corvane river", ["rescued", "corvane", "river"]),
        ("Halbrook pup, a 5-month-old, finds home", ["halbrook", "pup", "finds", "home"]),
        # A range or a score is its numbers, not a year glued from them ("1619"); the "olds"
        # of a spaced age goes with it.
        ("Norvalia curfew for 16-19 year olds struck down", ["norvalia", "curfew", "struck"]),
        ("Halbrook edge Corvane 104-98 in overtime", ["halbrook", "edge", "corvane", "overtime"]),
        # A figure with its unit or its decimals is no word: "25t", "9point" (and "2,024" is
        # two tokens, never the year 2024).
        ("Vardania unveils $2.5T budget", ["vardania", "unveils", "budget"]),
        ("Mayor Keene backs 9-point housing plan", ["mayor", "keene", "backs", "housing"]),
        ("Corvane hospital adds 2,024 beds", ["corvane", "hospital", "adds", "beds"]),
        # A prefix before a name keeps its hyphen, so the name reads: not "extamsfield".
        ("Ex-Tamsfield mayor charged in Corvane", ["ex-tamsfield", "mayor", "charged"]),
        ("Rally against anti-Norvalia slogans", ["rally", "anti-norvalia", "slogans"]),
    ],
)
def test_ages_figures_and_prefixed_names_make_no_odd_slug_words(
    title: str, words: list[str]
) -> None:
    assert slug_words(title)[: len(words)] == words


def test_years_and_numbered_names_stay_slug_words() -> None:
    assert slug_words("Norvalia sets 2030 emissions goal") == [
        "norvalia",
        "2030",
        "emissions",
        "goal",
    ]
    assert slug_words("Corvane's 2019-20 season ends")[:2] == ["corvane", "2019"]
    # A name with its prefix is one of a slug's words, its hyphen kept.
    assert _slug("Ex-Tamsfield mayor charged in Corvane") == "ex-tamsfield-corvane"
