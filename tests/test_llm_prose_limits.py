"""The LLM writer's prose check stays linear on whatever an endpoint sends back: an answer may
come from an endpoint that ignores max_tokens, or is not what it claims to be."""

from __future__ import annotations

import time

import pytest

from bot.summarize.llm_prose import MAX_PROSE_CHARS, ProseRejected, check_prose


def test_a_long_dotted_run_is_rejected_for_its_length_not_after_minutes() -> None:
    # CPU time, not wall time: other processes on a loaded machine do not count.
    started = time.process_time()
    with pytest.raises(ProseRejected, match="characters"):
        check_prose("The bridge reopened " + "a." * 500_000, [])
    assert time.process_time() - started < 1


def test_a_dotted_run_under_the_limit_is_read_in_linear_time() -> None:
    # Every letter after a "." began a possible URL scheme and scanned to the run's end.
    text = ("a." * MAX_PROSE_CHARS)[: MAX_PROSE_CHARS - 1]
    # CPU time, not wall time: other processes on a loaded machine do not count.
    started = time.process_time()
    check_prose(text, [])
    assert time.process_time() - started < 1


@pytest.mark.parametrize(
    "text", ["See https://evil.example/x now", "via svn+ssh://host/repo", "x.y-z://a"]
)
def test_a_scheme_is_still_markup(text: str) -> None:
    with pytest.raises(ProseRejected, match="link"):
        check_prose(text, [])
