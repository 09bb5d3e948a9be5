"""Names and quotes are found in the sources on word boundaries, never inside another word."""

from __future__ import annotations

from bot.summarize.grounding import is_verbatim, ungrounded


def test_word_boundaries_in_the_grounding_checks() -> None:
    text = "The announcement listed the plant's suppliers in alphabetical order."
    assert ungrounded("Crews from Alpha met Bob of Ann.", [text]) == ["Alpha", "Bob of Ann"]
    assert ungrounded("Crews met the Announcement panel.", [text]) == []
    assert not is_verbatim("nnouncement listed", text)
    assert not is_verbatim("the plant's supplier", text)
    assert is_verbatim("…listed the plant's suppliers…", text)
    assert is_verbatim("The announcement listed the plant's suppliers in alphabetical order.", text)


def test_quotes_opening_on_punctuation_still_match() -> None:
    text = 'The mayor said "we will rebuild the pier" on Friday.'
    assert is_verbatim('"we will rebuild the pier"', text)
    assert is_verbatim("said \u201cwe will rebuild", text)
    assert not is_verbatim('"we will rebuild the pie', text)
