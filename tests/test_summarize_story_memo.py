"""The per-story memos (`story_memo`): kept only inside one `summarize` call, freed after it, and
never changing an answer (a split served from a longer one is the split asked for)."""

from __future__ import annotations

import threading

from bot.models import Article
from bot.summarize import summarize
from bot.summarize.grounding import is_verbatim
from bot.summarize.sentences import split_sentences
from bot.summarize.story_memo import story_cached, story_memo, story_scope

TEXT = " ".join(f"Sentence number {n} tells the council's vote on the tram." for n in range(60))


def test_nothing_is_kept_outside_a_story() -> None:
    assert story_memo("split_sentences") is None
    calls: list[str] = []

    @story_cached
    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    assert upper("a") == upper("a") == "A"
    assert calls == ["a", "a"]


def test_a_story_scope_answers_once_and_is_freed_after() -> None:
    calls: list[str] = []

    @story_cached
    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    with story_scope():
        assert upper("a") == upper("a") == "A"
        assert story_memo("split_sentences") == {}
    assert calls == ["a"]
    assert story_memo("split_sentences") is None
    with story_scope():
        upper("a")
    assert calls == ["a", "a"]


def test_a_memoised_split_is_the_split_asked_for_whatever_came_first() -> None:
    plain = {limit: split_sentences(TEXT, limit) for limit in (None, 0, 1, 25, 30, 40, 59, 60, 99)}
    for first in (1, 25, 40, 59, None):
        with story_scope():
            split_sentences(TEXT, first)
            for limit, expected in plain.items():
                assert split_sentences(TEXT, limit) == expected
                # A copy each time: a caller changing its list changes no other's.
                split_sentences(TEXT, limit).clear()
                assert split_sentences(TEXT, limit) == expected


def test_the_verbatim_check_matches_on_word_boundaries_as_before() -> None:
    source = "The owner was arrested on Tuesday. “We are proud,” she said_ ok."
    assert is_verbatim("owner was arrested", source)
    assert not is_verbatim("wner was arr", source)
    assert is_verbatim("“We are proud,”", source)
    assert not is_verbatim("she said", source)  # "said_" goes on as a word
    assert is_verbatim("…was arrested on Tuesday…", source)
    with story_scope():
        assert is_verbatim("owner was arrested", source)
        assert not is_verbatim("wner was arr", source)


def test_threads_summarise_in_scopes_of_their_own() -> None:
    articles = [
        Article(id=str(n), source=f"Outlet {n}", title="Council approves tram line", text=TEXT)
        for n in range(3)
    ]
    expected = summarize(articles)
    found: list[object] = []
    threads = [threading.Thread(target=lambda: found.append(summarize(articles))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [expected] * 4
    assert story_memo("two_facts") is None
