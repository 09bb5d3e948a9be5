"""An angle line's own colon is the outlet's words: the retelling check reads the whole detail."""

from bot.summarize.angle_lines import line_detail


def test_a_line_without_framing_keeps_the_words_before_its_own_colon() -> None:
    line = "The council said two things: the bridge reopens in May and tolls stay."
    assert line_detail(line) == line


def test_a_framed_line_loses_only_its_framing() -> None:
    assert line_detail("Puts a figure on it: The repairs cost 4 million.") == (
        "The repairs cost 4 million."
    )
