"""A verbatim quote put in another mouth is refused: the source gives "we will rebuild" to Mayor
Ruiz and names Governor Hale elsewhere, so a bullet saying Hale said it names no one and quotes
nothing the source lacks, and is still false. A source that leaves the speaker unclear (a
pronoun, a role, no speech verb) is never held against the model."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from _llm_writer import llm_summary
from fakes.llm_api import serve_completions

from bot.models import Article, Summary
from bot.summarize import summarize
from bot.summarize.speakers import misattributed, name_key, same_speaker, speaker

HERALD, WIRE = "Coast Herald", "Bay Wire"
LOSS = "The storm destroyed 40 homes in Port Elwin on Friday."


def storm_story(herald_text: str | None = None) -> list[Article]:
    """An invented storm; the Herald names both the mayor and the governor."""
    herald_text = herald_text or (
        f'{LOSS} Mayor Ruiz said "we will rebuild" as crews cleared the harbour road. '
        "Governor Hale will visit the town on Monday."
    )
    return [
        Article(
            id="s1",
            source=HERALD,
            title="Storm flattens Port Elwin harbour",
            text=herald_text,
            url="https://herald.example/storm",
        ),
        Article(
            id="s2",
            source=WIRE,
            title="Port Elwin counts storm damage",
            text="A storm destroyed 40 homes in Port Elwin on Friday. Repairs could take a year.",
            url="https://wire.example/storm",
        ),
    ]


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(b"") as url:
        yield url


def _ask(url: str, bullets: list[str], story: list[Article]) -> Summary:
    return llm_summary(url, {"tldr": bullets}, story)


WRONG_SPEAKER = {
    "name before the quote": 'Hale said "we will rebuild" as crews cleared the harbour road.',
    "name after the quote": '"we will rebuild", Governor Hale said as crews cleared the road.',
    "inverted after the quote": '"we will rebuild", said Governor Hale on Friday.',
    "a speech verb further back": 'Hale told reporters in Port Elwin that "we will rebuild".',
}


@pytest.mark.parametrize("bullet", WRONG_SPEAKER.values(), ids=WRONG_SPEAKER.keys())
def test_a_quote_given_to_the_wrong_speaker_falls_back(
    endpoint: str, bullet: str, caplog: pytest.LogCaptureFixture
) -> None:
    summary = _ask(endpoint, [LOSS, bullet], storm_story())
    assert summary.writer == "extractive"
    assert summary == summarize(storm_story())
    # Refused for the speaker, not for some other check the bullet happens to fail.
    assert "another speaker" in caplog.text


RIGHT_SPEAKER = {
    "same name, no title": 'Ruiz said "we will rebuild" as crews cleared the harbour road.',
    "same name with title, after": '"we will rebuild", Mayor Ruiz said as crews cleared the road.',
    "no speaker given": 'In Port Elwin, "we will rebuild" was the word as crews cleared the harbour road.',
}


@pytest.mark.parametrize("bullet", RIGHT_SPEAKER.values(), ids=RIGHT_SPEAKER.keys())
def test_a_quote_given_to_its_speaker_is_used(endpoint: str, bullet: str) -> None:
    summary = _ask(endpoint, [LOSS, bullet], storm_story())
    assert summary.writer == "llm"
    assert [b.text for b in summary.tldr] == [LOSS, bullet]


UNCLEAR_SOURCES = {
    "a pronoun": (
        f"{LOSS} Mayor Ruiz toured the harbour road. "
        'He said "we will rebuild" as crews cleared it. Governor Hale will visit on Monday.'
    ),
    "a role in lower case": (
        f'{LOSS} The mayor said "we will rebuild" as crews cleared the harbour road. '
        "Governor Hale will visit on Monday."
    ),
    "no speech verb": (
        f'{LOSS} A banner on the harbour road read "we will rebuild". '
        "Governor Hale will visit on Monday."
    ),
}


@pytest.mark.parametrize("text", UNCLEAR_SOURCES.values(), ids=UNCLEAR_SOURCES.keys())
def test_a_source_that_names_no_speaker_does_not_refuse(endpoint: str, text: str) -> None:
    bullet = 'Hale said "we will rebuild" in Port Elwin.'
    summary = _ask(endpoint, [LOSS, bullet], storm_story(text))
    assert summary.writer == "llm"


@pytest.mark.parametrize(
    ("text", "quote", "who"),
    [
        ('"We will rebuild," Ruiz said.', "We will rebuild,", {"ruiz"}),
        ('"We will rebuild," said Mayor Elena Ruiz.', "We will rebuild,", {"elena", "ruiz"}),
        ('Ruiz, the town\'s mayor, said: "We will rebuild."', "We will rebuild.", {"ruiz"}),
        ('According to Ruiz, "we will rebuild".', "we will rebuild", {"ruiz"}),
        ('"We are tired," Hale said, "but we will rebuild."', "but we will rebuild.", {"hale"}),
        (
            'Ruiz said after Hale toured the site that "we will rebuild".',
            "we will rebuild",
            {"ruiz"},
        ),
        ('Ruiz spoke first. Hale later said "we will rebuild".', "we will rebuild", {"hale"}),
        ('He said "we will rebuild".', "we will rebuild", set()),
        ('The mayor said "we will rebuild".', "we will rebuild", set()),
        ('Hale visited. "We will rebuild."', "We will rebuild.", set()),
        # The name after a full stop starts the next sentence: the writer is the one before.
        (
            'Ruiz wrote that it was "a hard week." Hale said the aid was late.',
            "a hard week.",
            {"ruiz"},
        ),
        # A place and its state, then a clause: no aside between a name and a speech verb.
        ('In Elwin, Maine, Hale was firm, saying "we will rebuild".', "we will rebuild", set()),
        ('Ruiz, 54, said "we will rebuild".', "we will rebuild", {"ruiz"}),
    ],
)
def test_the_speaker_is_read_only_where_the_text_makes_it_plain(
    text: str, quote: str, who: set[str]
) -> None:
    start = text.index(quote) - 1
    assert set(speaker(text, start, start + len(quote) + 2)) == who


def test_a_quote_inside_a_longer_quotation_is_given_to_that_quotation_s_speaker() -> None:
    source = '"The harbour is gone, but we will rebuild," Ruiz said. Hale flew in on Monday.'
    assert misattributed('Hale said "we will rebuild".', [source]) == "we will rebuild"
    assert misattributed('Ruiz said "we will rebuild".', [source]) is None


def test_two_speakers_of_the_same_words_either_may_be_named() -> None:
    sources = ['Ruiz said "we will rebuild".', 'Hale said "we will rebuild" on Monday.']
    assert misattributed('Hale said "we will rebuild".', sources) is None


def test_a_quote_within_a_quote_is_checked_through_its_outer_quotation() -> None:
    source = "\"I told him 'we will rebuild'\", Hale said. Ruiz agreed."
    assert misattributed("Hale said: \"I told him 'we will rebuild'\".", [source]) is None


def test_titles_and_pronouns_are_no_name() -> None:
    assert name_key("Governor Hale") == name_key("Gov. Hale") == name_key("Hale") == ("hale",)
    assert name_key("He") == name_key("The Mayor") == name_key("Police") == ()


@pytest.mark.parametrize(
    ("source", "bullet"),
    [
        (
            'Ukrainian President Volodymyr Zelensky said "we will not give up" on Monday. '
            "Ukrainian Foreign Minister Dmytro Kuleba will travel to Rome.",
            'Ukrainian Foreign Minister Dmytro Kuleba said "we will not give up" on Monday.',
        ),
        (
            'Democratic Senator Ann Ruiz said "the bill is dead" on Monday. '
            "Democratic Senator Tom Hale voted for it.",
            'Democratic Senator Tom Hale said "the bill is dead" on Monday.',
        ),
    ],
)
def test_a_shared_title_party_or_nationality_is_no_shared_speaker(source: str, bullet: str) -> None:
    # The quote the bullet gives the wrong speaker is the one named.
    quote = bullet.split('"')[1]
    assert misattributed(bullet, [source]) == quote
    # The speaker the source names may say it.
    said = source.split(" said ")[0]
    assert misattributed(f'{said} said "{quote}" on Monday.', [source]) is None


@pytest.mark.parametrize(
    ("source", "bullet"),
    [
        (
            'Volodymyr Zelensky said "we will not give up" on Monday.',
            'Ukrainian President Zelensky said "we will not give up".',
        ),
        ('President Xi Jinping said "we will not give up".', 'Xi said "we will not give up".'),
        ('Mayor Elena Ruiz said "we will rebuild".', 'Ruiz said "we will rebuild".'),
        ('Authorities said "the road is closed" on Friday.', 'Police said "the road is closed".'),
    ],
)
def test_one_person_in_other_words_is_one_speaker(source: str, bullet: str) -> None:
    assert misattributed(bullet, [source]) is None


def test_names_are_one_speaker_by_all_their_words_or_their_surname() -> None:
    assert same_speaker(("ruiz",), ("elena", "ruiz"))
    assert same_speaker(("ukrainian", "zelensky"), ("volodymyr", "zelensky"))
    assert not same_speaker(
        ("ukrainian", "dmytro", "kuleba"), ("ukrainian", "volodymyr", "zelensky")
    )
    assert not same_speaker((), ("ruiz",))


STORM_WORDS = 'Gov. Hale called the storm "the worst in decades", Mayor Ruiz said.'


@pytest.mark.parametrize(
    "bullet",
    [
        'Hale called the storm "the worst in decades".',
        'Ruiz said the storm was "the worst in decades".',
    ],
)
def test_words_one_person_reports_of_another_may_be_given_to_either(bullet: str) -> None:
    assert misattributed(bullet, [STORM_WORDS]) is None


def test_words_reported_by_one_person_of_another_are_still_no_third_person_s() -> None:
    bullet = 'Lee called the storm "the worst in decades".'
    assert misattributed(bullet, [STORM_WORDS]) == "the worst in decades"


def test_a_quote_repeated_all_through_a_long_article_is_checked_fast() -> None:
    unit = 'Ruiz said "' + "we will " * 12 + '" '
    article = unit * (250_000 // len(unit))
    started = time.process_time()
    assert misattributed('Ruiz said "we will".', [article]) is None
    assert misattributed('Hale said "we will".', [article]) == "we will"
    # Each quotation was once scanned for every occurrence: 10-18 seconds here. CPU time, as
    # wall time on a loaded 2-core machine ran past 1 s for the fixed code too.
    assert time.process_time() - started < 2
