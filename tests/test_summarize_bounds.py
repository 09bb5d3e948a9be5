"""Hostile or list-like input must not stall the extractive summariser (it runs with no timeout).

Each case took from several seconds to over 25 s before the work per sentence and per story was
bounded; each now takes well under one. The checks count the work done (variants, calls) or run
the summary in a thread under a generous budget of that thread's own CPU time (a wall-clock limit,
far longer, only stops a hung case), so a slow shared machine cannot make them flaky.
"""

from __future__ import annotations

import threading
import time
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

import pytest

from bot.models import Article, Summary
from bot.summarize import MAX_TEXT_CHARS, MAX_TITLE_CHARS, summarize, summary_input
from bot.summarize import candidates as candidates_mod
from bot.summarize.angle_names import _split_at_ampersand
from bot.summarize.angle_picks import OtherStems
from bot.summarize.angle_topic import quotes_no_one, relays
from bot.summarize.asides import dash_asides_dropped
from bot.summarize.candidates import (
    MAX_FORM_SOURCES,
    MAX_STORY_VARIANT_WORDS,
    MAX_VARIANT_WORDS,
    MAX_WORDS,
    TldrParams,
    _forms,
    _variant_sources,
    sentence_options,
)
from bot.summarize.compress import MAX_VARIANTS, variants
from bot.summarize.quote_marks import nested_bounds, quotation_bounds
from bot.summarize.sentences import content_stems, make_sentence, split_sentences
from bot.summarize.shared_quotes import quotes_alike
from bot.summarize.site_names import strip_site_suffix
from tests.test_summarize_fixtures import art, harbor_bridge_story

T = TypeVar("T")
# CPU seconds: far above what any case needs now (well under a second each), far below what they
# took before.
TIMEOUT = 10.0
# Wall-clock seconds before a case counts as hung: a loaded machine may stretch the CPU budget.
HUNG_AFTER = 120.0
PLAIN = "The cup ended on Sunday with a win for the hosts in the final."


def _within(timeout: float, fn: Callable[[], T]) -> T:
    """`fn()`, failing the test if it used more than `timeout` seconds of CPU, or is still
    running after HUNG_AFTER seconds."""
    result: list[T] = []
    errors: list[BaseException] = []
    cpu: list[float] = []

    def run() -> None:
        start = time.thread_time()
        try:
            result.append(fn())
        except BaseException as exc:  # re-raised below, in the test's thread
            errors.append(exc)
        cpu.append(time.thread_time() - start)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HUNG_AFTER)
    assert not thread.is_alive(), f"no result within {HUNG_AFTER} s"
    if errors:
        raise errors[0]
    assert cpu[0] < timeout, f"{cpu[0]:.1f} s of CPU, over {timeout} s"
    return result[0]


def _story(text: str, title: str = "Cup results") -> list[Article]:
    return [art(1, "O1", title, text), art(2, "O2", "Cup results", PLAIN)]


def _check(summary: Summary) -> None:
    assert summary.tldr, "the ordinary article still gives a TL;DR"
    assert sum(len(b.text.split()) for b in summary.tldr) <= MAX_WORDS
    assert len(summary.headline) <= MAX_TITLE_CHARS


def _dash_list(n: int) -> str:
    return "Results " + " — ".join(f"Team {i} won {i} to {i + 1}" for i in range(n)) + "."


def test_list_like_sentence_gives_a_bounded_number_of_variants() -> None:
    sentence = _dash_list(160)
    assert len(variants(sentence)) <= MAX_VARIANTS
    assert len(dash_asides_dropped(sentence, False, limit=5)) == 5
    # Variants of variants were ~160 x 160 copies of a 1,000-word sentence.
    assert len(_variant_sources(sentence)) <= MAX_FORM_SOURCES


def test_commas_give_a_bounded_number_of_variants() -> None:
    sentence = "Mayor Smith" + "".join(f", the {i} officer," for i in range(500)) + " said it."
    assert len(variants(sentence)) <= MAX_VARIANTS
    assert len(_variant_sources(sentence)) <= MAX_FORM_SOURCES


def test_variant_words_are_bounded_per_sentence_and_per_story(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def clerks(k: int) -> str:
        segments = ", ".join(f"the {j}th clerk of ward {k}" for j in range(28))
        return f"Mayor Hale{k} won the vote in ward {k}, {segments}, and the council met."

    one = _variant_sources(clerks(0))
    assert sum(len(v.split()) for v in one) < MAX_VARIANT_WORDS + len(clerks(0).split())
    assert _variant_sources(clerks(0), 0) == [clerks(0)]

    spent: list[int] = []
    real = candidates_mod._variant_sources

    def counting(sentence: str, max_words: int = MAX_VARIANT_WORDS) -> list[str]:
        out = real(sentence, max_words)
        spent.append(sum(len(v.split()) for v in out))
        return out

    monkeypatch.setattr(candidates_mod, "_variant_sources", counting)
    sentences = [make_sentence(clerks(k), f"O{k % 60}", k % 60, k // 60) for k in range(600)]
    groups = sentence_options(sentences, TldrParams())
    assert len(groups) == 600
    # 600 sentences of 180 words, 28 asides each: past the budget each is only cut, not varied.
    assert sum(spent) <= MAX_STORY_VARIANT_WORDS + MAX_VARIANT_WORDS + 600 * 200


def test_overlong_sentence_is_only_cut_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = candidates_mod.clause_prefixes

    def counting(sentence: str, max_words: int, min_words: int = 6) -> list[str]:
        calls.append(len(sentence.split()))
        return real(sentence, max_words, min_words)

    monkeypatch.setattr(candidates_mod, "clause_prefixes", counting)
    forms = _forms(_dash_list(160), TldrParams())
    # Far over the budget whole: only its opening clauses, from one window of the sentence.
    assert len(calls) == 1
    assert calls[0] <= candidates_mod.MAX_SENTENCE_WORDS
    assert forms and all(len(f.split()) <= MAX_WORDS for f in forms)


def test_overlong_sentence_with_an_accusation_later_is_not_cut() -> None:
    sentence = _dash_list(60).rstrip(".") + ", prosecutors alleged."
    assert _forms(sentence, TldrParams()) == []


def test_reported_list_article_summarises_promptly() -> None:
    _check(_within(TIMEOUT, lambda: summarize(_story(_dash_list(160)))))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("x — " * 500, id="dashes"),
        pytest.param("The mayor " + " -- ".join(f"aside {i}" for i in range(2000)), id="dashes2"),
        pytest.param("The council said " + ", ".join(f"the {i}th clerk" for i in range(2000)) + " won.", id="commas"),
        pytest.param("alpha beta, " * 200_000, id="2MB-no-full-stop"),
        pytest.param("word " * 400_000, id="2MB-no-punctuation"),
        pytest.param("A b c. " * 50_000, id="50k-tiny-sentences"),
        pytest.param("Sen. " * 50_000 + "Smith won.", id="abbreviations"),
        pytest.param("A. " * 50_000 + "Smith won.", id="initials"),
        pytest.param("The " + " ".join(str(i) for i in range(50_000)) + " won.", id="numbers"),
        pytest.param("The mayor " + " ".join(f"(aside {i})" for i in range(5000)) + " won.", id="parens"),
        pytest.param("The mayor " + "(" * 5000 + "x" + ")" * 5000 + " won the vote.", id="nested"),
        pytest.param("The mayor said " + " ".join(f'"q{i}",' for i in range(5000)) + " then left.", id="quotes"),
        pytest.param("The mayor said " + " ".join(f"“q{i}”," for i in range(5000)), id="curly"),
        # A run of opening marks nothing closes: each mark walked every quotation still open.
        *(
            pytest.param("The mayor said " + f" {mark}" * 15_000 + " then left.", id=f"open-{mark}")
            for mark in "“„«»‹›‚「『"
        ),
        # A closing mark typed the wrong way round (“…“) closes its quotation in one step.
        pytest.param("The mayor said " + " “q.“" * 15_000 + " then left.", id="misturned"),
        pytest.param("The mayor said " + "«" * 5000 + " " + ", ".join(f"aside {i}" for i in range(1000)) + " won.", id="open-then-commas"),
        # Every quotation nested in another was read again whole: 78 s of CPU.
        pytest.param("The mayor said " + "“" * 15_000 + "x" + "”" * 15_000 + " then left.", id="nested-quotes"),
        pytest.param("The mayor said " + "“ " * 15_000 + "x" + " ”" * 15_000 + " then left.", id="nested-quotes-spaced"),
        pytest.param("The mayor said " + " 'a" * 15_000 + "x" + "b' " * 15_000 + " then left.", id="nested-single"),
    ],
)  # fmt: skip
def test_hostile_article_summarises_promptly(text: str) -> None:
    _check(_within(TIMEOUT, lambda: summarize(_story(text))))


@pytest.mark.parametrize(
    "title",
    [
        pytest.param(" ".join(f"Word{i}" for i in range(10_000)), id="10k-words"),
        pytest.param("Cup " + " - Reuters" * 5000, id="site-suffixes"),
        pytest.param(" ".join(f"WORD{i} -" for i in range(10_000)), id="shouted"),
    ],
)
def test_hostile_title_summarises_promptly(title: str) -> None:
    _check(_within(TIMEOUT, lambda: summarize(_story(PLAIN, title))))


def test_many_long_outlets_summarise_promptly() -> None:
    body = " ".join(f"Team {i} won the game on Sunday, the league said." for i in range(400))
    story = [
        art(k, f"Outlet {k}", f"Cup results {k} hosts win", f"{body} The hosts won {k} to {k + 1}.")
        for k in range(60)
    ]
    summary = _within(TIMEOUT, lambda: summarize(story))
    assert summary.tldr
    # Every outlet but the card's two leads (the core bullet's, the headline's) is accounted for.
    leads = {summary.tldr[0].sources[0], f"Outlet {summary.headline.split()[2]}"}
    assert len(leads) == 2
    shown = {a.source for a in summary.angles} | set(summary.also_reporting)
    assert shown == {f"Outlet {k}" for k in range(60)} - leads


def test_real_sized_articles_pass_unbounded() -> None:
    story = harbor_bridge_story()
    assert all(a is b for a, b in zip(summary_input(story), story, strict=True))


def test_bounds_cut_at_a_space() -> None:
    long_text = "Alpha beta gamma. " * 10_000
    (cut,) = summary_input([art(1, "O1", "Title " * 500, long_text)])
    assert len(cut.text) <= MAX_TEXT_CHARS and long_text.startswith(cut.text)
    assert cut.text.endswith("gamma.") or cut.text.endswith(("Alpha", "beta"))
    assert len(cut.title) <= MAX_TITLE_CHARS and cut.title.endswith("Title")
    # Many outlets share one budget: each keeps less, never less than its opening.
    many = summary_input([art(k, f"O{k}", "T", long_text) for k in range(60)])
    assert all(4_000 - 20 <= len(a.text) <= MAX_TEXT_CHARS // 10 for a in many)


def test_split_limit_matches_slicing() -> None:
    text = "Sen. Rand Paul, R-Ky., spoke. The U.S. agreed! Approx. two left. Why? Yes.\n\nNext one."
    for limit in range(7):
        assert split_sentences(text, limit) == split_sentences(text)[:limit]


def test_site_suffixes_are_peeled_a_few_at_most() -> None:
    assert strip_site_suffix("Bridge closes after storm - Harbor Daily", ["Harbor Daily"]) == (
        "Bridge closes after storm"
    )
    title = "Cup" + " - Reuters" * 5000
    # Each pass searched the whole title: 5,000 of them took seconds. Four tails go.
    assert _within(TIMEOUT, lambda: strip_site_suffix(title)) == "Cup" + " - Reuters" * 4996


def test_other_outlets_stems_by_counts() -> None:
    vocab = {"a": {"x", "y"}, "b": {"y", "z"}, "c": {"y"}}
    counts: dict[str, int] = {}
    for stems in vocab.values():
        for s in stems:
            counts[s] = counts.get(s, 0) + 1
    for outlet, own in vocab.items():
        union = set().union(*(v for k, v in vocab.items() if k != outlet))
        other = OtherStems(counts, own)
        assert {s for s in "xyzw" if s in other} == union


def test_a_long_capitalised_run_is_split_at_its_ampersands_in_linear_time() -> None:
    # Reading the words after every token, not only after an "&", made this quadratic: a feed
    # sentence of 50,000 capitalised words ("Sen. Sen. ...") took seconds in name_runs.
    tokens = ["Sen."] * 200_000 + ["Mike", "Trapp", "&", "Royce", "Adkins"]
    pieces = _within(1.0, lambda: _split_at_ampersand(tokens))
    assert pieces == [["Sen."] * 200_000 + ["Mike", "Trapp"], ["Royce", "Adkins"]]


def test_a_run_of_many_ampersands_is_split_in_linear_time() -> None:
    # The words after each "&" were copied at each one: 80,000 tokens took seconds.
    tokens = ["Ab", "&"] * 40_000 + ["Cd"]
    pieces = _within(1.0, lambda: _split_at_ampersand(tokens))
    assert pieces == [tokens]
    # Still split where two names of two words meet.
    assert _split_at_ampersand(["Mike", "Trapp", "&", "Royce", "Adkins", "&", "Co"]) == [
        ["Mike", "Trapp"],
        ["Royce", "Adkins", "&", "Co"],
    ]


def test_nested_quotations_are_read_to_a_depth() -> None:
    text = "He said “she called it ‘a “deeply” flawed’ plan” and “left”."
    assert [text[a:b] for a, b in nested_bounds(text, 1)] == [
        "she called it ‘a “deeply” flawed’ plan",
        "left",
    ]
    assert [text[a:b] for a, b in nested_bounds(text, 2)] == [
        "a “deeply” flawed",
        "she called it ‘a “deeply” flawed’ plan",
        "left",
    ]
    assert nested_bounds(text, 3) == quotation_bounds(text)
    deep = "“" * 20_000 + "x" + "”" * 20_000
    assert _within(1.0, lambda: nested_bounds(deep, 3)) == [(3, 39_998), (2, 39_999), (1, 40_000)]


def test_a_quotation_nested_in_a_bullets_is_still_shared() -> None:
    # Reading only the outermost quotations would lose the inner one another outlet quotes.
    bullet = "“Premier Holm called the ferry ban ‘a reckless act against our crews’,” Berg said."
    sentence = "Premier Holm said the ferry ban was “a reckless act against our crews”, aides said."
    shared = frozenset(content_stems(bullet)) & frozenset(content_stems(sentence))
    assert quotes_alike(bullet, sentence, shared)


def test_quoted_words_are_counted_only_up_to_the_bar() -> None:
    # Each nested quotation's words were split and counted whole: seconds for this sentence.
    nested = "The vote could bring " + "“ " * 15_000 + "x" + " ”" * 15_000 + " to an end."
    assert _within(1.0, lambda: quotes_no_one(nested)) is True
    assert _within(1.0, lambda: quotes_no_one("The mayor said " + nested)) is False
    assert not quotes_no_one("The vote could bring “a swift end” to it.")


def test_a_relayed_quotation_is_found_without_copying_each_nested_one() -> None:
    previous = "The harbour reopened on Monday, said Politico."
    sentence = "It could bring " + "“" * 15_000 + "an end" + "”" * 15_000 + "."
    tracemalloc.start()
    try:
        found = relays(previous, sentence, f"{previous} {sentence}")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found
    # Every nested quotation's words copied out came to 450 MB.
    assert peak < 20_000_000
