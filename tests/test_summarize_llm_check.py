"""The LLM writer's answer is distrusted: malformed shapes, flipped claims, repeats, cut quotes and
invented names all fall back to the extractive card, and nothing the model sends can raise."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fakes.llm_api import FakeCompletions, chat_body, serve_completions

from bot.models import Article
from bot.summarize import LLMSettings, Summarizer, summarize
from bot.summarize.angles import MAX_ANGLES
from bot.summarize.llm_check import LLMRejected, _check_quote, check_answer
from bot.summarize.quotes import QUOTE_MAX_WORDS

LEAD, LEDGER, METRO = "Riverside Courier", "Northern Ledger", "Metro Dispatch"
LONG_SENTENCE = (
    "The utility said in a statement that it would review its safety procedures at every site it "
    "runs across the county before the end of the month and publish the findings."
)


def larkfield_story() -> list[Article]:
    """Three outlets on one invented leak; the lead outlet comes first."""
    return [
        Article(
            id="l1",
            source=LEAD,
            title="Chemical leak shuts Larkfield water plant",
            text=(
                "A chlorine leak at the Larkfield water treatment plant sent 9 workers to hospital "
                "on Thursday. Crews sealed the leaking tank within two hours."
            ),
            url="https://courier.example/leak",
        ),
        Article(
            id="l2",
            source=LEDGER,
            title="Larkfield plant leak injures nine",
            text=(
                "A chlorine leak at the Larkfield water treatment plant sent 9 workers to hospital "
                f"on Thursday, the utility said. The plant manager was suspended. {LONG_SENTENCE}"
            ),
            url="https://ledger.example/larkfield",
        ),
        Article(
            id="l3",
            source=METRO,
            title="Larkfield water supply safe after leak",
            text=(
                "Tap water in Larkfield remains safe to drink, health officials said. "
                "The utility has not fined the contractor that maintained the tank. "
                "The announcement listed the plant's suppliers in alphabetical order."
            ),
            url="https://metro.example/water",
        ),
    ]


TLDR = [
    "A chlorine leak at the Larkfield water treatment plant sent 9 workers to hospital on Thursday.",
    "Crews sealed the leaking tank within two hours.",
]
LEDGER_ANGLE = {
    "source": LEDGER,
    "line": "Adds that the plant manager was suspended.",
    "quote": "The plant manager was suspended.",
}
GOOD = {"tldr": TLDR, "angles": [LEDGER_ANGLE]}


def _with(**changes: Any) -> dict[str, Any]:
    return {**GOOD, **changes}


def _angle(**changes: Any) -> dict[str, Any]:
    return _with(angles=[{**LEDGER_ANGLE, **changes}])


@pytest.fixture()
def endpoint() -> Iterator[str]:
    with serve_completions(chat_body(json.dumps(GOOD))) as url:
        yield url


def _settings(url: str, **kw: Any) -> LLMSettings:
    return LLMSettings(base_url=url, model="test-model", api_key_env="NEWSDIGEST_TEST_KEY", **kw)


def _answer(url: str, answer: Any) -> Any:
    FakeCompletions.body = chat_body(json.dumps(answer))
    return Summarizer(_settings(url)).summarize(larkfield_story())


def test_good_answer_is_used(endpoint: str) -> None:
    summary = _answer(endpoint, GOOD)
    assert summary.writer == "llm"
    assert [b.text for b in summary.tldr] == TLDR
    assert [(a.source, a.quote) for a in summary.angles] == [(LEDGER, LEDGER_ANGLE["quote"])]
    assert summary.also_reporting == [METRO]
    assert len(FakeCompletions.requests) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"[1, 2, 3]",
        b'"hello"',
        b"null",
        b"not json at all",
        b'{"choices": []}',
        b'{"choices": [{"message": "hi"}]}',
        b'{"choices": [{"message": {"content": 7}}]}',
        chat_body("[1, 2]"),
        chat_body('"hello"'),
        chat_body("{not json"),
    ],
    ids=lambda b: b.decode()[:30],
)
def test_malformed_bodies_fall_back(
    endpoint: str, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    FakeCompletions.body = body
    summary = Summarizer(_settings(endpoint)).summarize(larkfield_story())
    # A body that is no JSON at all is no answer: marked to be asked again.
    assert replace(summary, llm_fallback=False) == summarize(larkfield_story())
    # Logged as a rejected answer, not as an unforeseen error.
    assert [r.levelname for r in caplog.records if r.name.startswith("bot.")] == ["WARNING"]


MALFORMED = {
    "angle source is a list": _angle(source=[LEDGER]),
    "angle line is a dict": _angle(line={"text": "x"}),
    "angle quote missing": _with(angles=[{"source": LEDGER, "line": "Adds the suspension."}]),
    "angles is a dict": _with(angles=LEDGER_ANGLE),
    "angles is a string": _with(angles="none"),
    "angle is a string": _with(angles=["Northern Ledger adds the suspension"]),
    "tldr is a string": _with(tldr=" ".join(TLDR)),
    "tldr holds a number": _with(tldr=[TLDR[0], 9]),
    "tldr holds objects": _with(tldr=[{"text": t} for t in TLDR]),
    "tldr holds an empty string": _with(tldr=[TLDR[0], "  "]),
    "tldr missing": {"angles": []},
}


@pytest.mark.parametrize("answer", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_answers_fall_back(
    endpoint: str, answer: Any, caplog: pytest.LogCaptureFixture
) -> None:
    assert _answer(endpoint, answer) == summarize(larkfield_story())
    assert [r.levelname for r in caplog.records if r.name.startswith("bot.")] == ["WARNING"]


async def test_malformed_answer_falls_back_on_the_async_path(endpoint: str) -> None:
    FakeCompletions.body = chat_body(json.dumps(MALFORMED["angle source is a list"]))
    summary = await Summarizer(_settings(endpoint)).asummarize(larkfield_story())
    assert summary == summarize(larkfield_story())


UNGROUNDED = {
    "flipped to negative": _with(tldr=[TLDR[0], "Crews did not seal the leaking tank."]),
    "flipped with n't": _with(tldr=[TLDR[0], "The plant manager wasn't suspended."]),
    "flipped to positive": _with(tldr=[TLDR[0], "The utility has fined the tank contractor."]),
    "identical bullets": _with(tldr=[TLDR[0], TLDR[0]]),
    "overlapping bullets": _with(
        tldr=[TLDR[0], "A chlorine leak at the Larkfield plant sent 9 workers to hospital."]
    ),
    "four bullets": _with(
        tldr=[*TLDR, "The plant manager was suspended.", "Tap water in Larkfield is safe."]
    ),
    "one bullet": _with(tldr=TLDR[:1]),
    "over 55 words": _with(
        tldr=[*TLDR, LONG_SENTENCE.replace("publish the", "publish all of the")]
    ),
    "quote cut mid-word": _angle(quote="lant manager was susp"),
    "quote from another outlet": _angle(quote="Tap water in Larkfield remains safe to drink"),
    "quote too long": _angle(quote=LONG_SENTENCE),
    "name inside a word (Alpha/alphabetical)": _with(
        tldr=[TLDR[0], "Crews from Alpha sealed the leaking tank within two hours."]
    ),
    "name inside a word (Ann/announcement)": _angle(line="Names Ann as the suspended manager."),
    "count scaled up": _with(tldr=[TLDR[0].replace("9 workers", "9 million workers"), TLDR[1]]),
    "invented quote in a bullet": _with(
        tldr=[TLDR[0], 'Crews sealed the leaking tank, calling it "a narrow escape".']
    ),
    "invented quote in a line": _angle(line='Quotes the manager calling it "a one-off".'),
    "line flips its outlet's sentence": _with(
        angles=[
            {
                "source": METRO,
                "line": "Reports that the utility fined the contractor that maintained the tank.",
                "quote": "fined the contractor that maintained the tank",
            }
        ]
    ),
    "quote cropped out of a negation": _with(
        angles=[
            {
                "source": METRO,
                "line": "Adds that tap water in Larkfield remains safe.",
                "quote": "fined the contractor that maintained the tank",
            }
        ]
    ),
    "name opening a bullet": _with(
        tldr=[TLDR[0], "Hendricks sealed the leaking tank in two hours."]
    ),
    "link in a line": _angle(line="Adds the suspension, see http://elsewhere.example/x"),
    "mention in a line": _angle(line="Adds the suspension <!everyone>"),
}


@pytest.mark.parametrize("answer", UNGROUNDED.values(), ids=UNGROUNDED.keys())
def test_ungrounded_answers_fall_back(endpoint: str, answer: dict[str, Any]) -> None:
    summary = _answer(endpoint, answer)
    assert summary.writer == "extractive"
    assert summary == summarize(larkfield_story())


def test_a_negation_matching_its_source_is_kept(endpoint: str) -> None:
    tldr = [TLDR[0], "The utility has not fined the contractor that maintained the tank."]
    summary = _answer(endpoint, _with(tldr=tldr))
    assert summary.writer == "llm" and [b.text for b in summary.tldr] == tldr


def test_verbatim_quotes_and_negated_lines_are_kept(endpoint: str) -> None:
    tldr = [TLDR[0], 'Tap water in Larkfield "remains safe to drink", health officials said.']
    angle = {
        "source": METRO,
        "line": "Notes that the utility has not fined the contractor.",
        "quote": "fined the contractor that maintained the tank",
    }
    summary = _answer(endpoint, _with(tldr=tldr, angles=[angle]))
    assert summary.writer == "llm"
    assert [b.text for b in summary.tldr] == tldr
    assert [(a.source, a.quote) for a in summary.angles] == [(METRO, angle["quote"])]


def test_lead_outlet_angle_is_skipped(endpoint: str) -> None:
    lead_angle = {
        "source": LEAD,
        "line": "Adds how fast crews worked.",
        "quote": "Crews sealed the leaking tank within two hours.",
    }
    summary = _answer(endpoint, _with(angles=[lead_angle, LEDGER_ANGLE]))
    assert summary.writer == "llm"
    assert [a.source for a in summary.angles] == [LEDGER]
    assert LEAD not in summary.also_reporting


def test_angles_are_capped() -> None:
    crews = ["red", "blue", "green", "amber", "violet", "silver", "copper", "ivory"]
    fact = "A chlorine leak at the Larkfield water treatment plant sent 9 workers to hospital."
    story = [
        Article(
            id=f"c{i}",
            source=f"{crew.title()} Gazette",
            title="Larkfield plant leak",
            text=f"{fact} The {crew} crew arrived first at the plant gate.",
        )
        for i, crew in enumerate(crews)
    ]
    answer = {
        "tldr": [fact, "Crews arrived at the plant gate."],
        "angles": [
            {
                "source": f"{crew.title()} Gazette",
                "line": "Adds which crew arrived first.",
                "quote": f"The {crew} crew arrived first",
            }
            for crew in crews
        ],
    }
    assert QUOTE_MAX_WORDS >= 5 and len(crews) - 1 > MAX_ANGLES
    with serve_completions(chat_body(json.dumps(answer))) as url:
        summary = Summarizer(_settings(url)).summarize(story)
    assert summary.writer == "llm"
    assert len(summary.angles) == MAX_ANGLES
    assert "Red Gazette" not in {a.source for a in summary.angles}  # the lead
    assert summary.also_reporting == ["Ivory Gazette"]


def test_polarity_is_compared_clause_by_clause() -> None:
    story = [
        Article(
            id="a",
            source="Wire",
            title="Bridge talks",
            text="Officials from both towns met on Monday.",
        ),
        Article(
            id="b",
            source="Herald",
            title="Engineers split over site",
            text="Talks on the bridge have stalled, as engineers could not agree on a site.",
        ),
    ]
    base = summarize(story)
    # Dropping a negated clause shortens the claim; it does not flip it.
    tldr = ["Officials from both towns met on Monday.", "Talks on the bridge have stalled."]
    assert check_answer({"tldr": tldr}, story, ["Wire", "Herald"], base).writer == "llm"
    with pytest.raises(LLMRejected):
        flipped = [
            "Officials from both towns met on Monday.",
            "Engineers agreed on a site for the bridge.",
        ]
        check_answer({"tldr": flipped}, story, ["Wire", "Herald"], base)


def test_a_negation_reaches_only_a_quote_right_after_it() -> None:
    text = "Workers who are not in possession of the so-called Green Pass will be suspended."
    _check_quote("Green Pass", [text], "Adds the Green Pass rule.")
    with pytest.raises(LLMRejected):
        _check_quote("in possession of the so-called Green Pass", [text], "Adds the rule.")
    # Said once plainly and once negated: the plain occurrence is what is quoted.
    text = 'Asked why he was "confident", he said: "I am not confident."'
    _check_quote("confident", [text], "Adds his answer.")


def test_a_quote_deep_in_a_long_clause_is_checked_in_linear_time() -> None:
    # A source "sentence" of 60,000 characters with no clause break before the quoted words: the
    # lead-in's clause search used to be retried from every position (minutes); now one pass.
    import time

    from bot.summarize.llm_check import _check_quote

    home = "word " * 12_000 + "the pier will reopen on Friday."
    # CPU time, not wall time: other processes on a loaded machine do not count.
    start = time.process_time()
    _check_quote("the pier will reopen on Friday", [home], "Reopens Friday.")
    assert time.process_time() - start < 2.0
