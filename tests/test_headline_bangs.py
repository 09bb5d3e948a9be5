"""Exclamation marks in headlines: clickbait emphasis goes, a "!" that belongs to a name stays."""

from __future__ import annotations

import pytest

from bot.adapters.slack.escape import slack_escape
from bot.summarize.headline import clean_title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Yahoo! Japan cuts 300 jobs in Osaka", "Yahoo! Japan cuts 300 jobs in Osaka"),
        ("Jeopardy! host signs a new contract", "Jeopardy! host signs a new contract"),
        ("Panic! at the Disco plays the harbour", "Panic! at the Disco plays the harbour"),
        # Emphasis: a trailing "!", runs of "!", "?!".
        ("Ferry sinks off Port Ellis!", "Ferry sinks off Port Ellis"),
        ("Ferry sinks off Port Ellis!!!", "Ferry sinks off Port Ellis"),
        ("Wow!! Ferry sinks off Port Ellis", "Wow Ferry sinks off Port Ellis"),
        ("Ferry fares up 40%!!! for islanders", "Ferry fares up 40% for islanders"),
        ("Mayor quits?! Council in turmoil", "Mayor quits? Council in turmoil"),
        ("Did the mayor really quit!?", "Did the mayor really quit?"),
        ("No exclamation here", "No exclamation here"),
    ],
)
def test_exclamation_marks(title: str, expected: str) -> None:
    assert clean_title(title) == expected


def test_slack_broadcast_text_is_kept_as_written_and_escaped_by_the_renderer() -> None:
    headline = clean_title("Prankster posts <!channel> to the port's chat")
    assert headline == "Prankster posts <!channel> to the port's chat"
    assert slack_escape(headline) == "Prankster posts &lt;!channel&gt; to the port's chat"
