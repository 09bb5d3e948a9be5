"""Whether a TL;DR form reads broken for a quotation or parenthesis opened or closed outside it,
and whether a sentence reads so only because the splitter ran two sentences into one."""

from __future__ import annotations

from bot.summarize.quote_marks import has_open_quote, stray_closings


def unbalanced(text: str, whole: bool = True) -> bool:
    """A quotation or parenthesis opened or closed outside the sentence: the splitter cut a long
    quote in two ('The pier is safe," the mayor said') or stopped at an abbreviation inside
    brackets ("(R-Ore."). As a bullet it reads broken, whatever it says. The marks are read as
    `quote_marks` reads them: „…“, „…” and »…« are closed quotations. `whole`: `text` is the
    whole sentence, not a cut of it (`has_open_quote`)."""
    return (
        has_open_quote(text, whole=whole)
        or bool(stray_closings(text))
        or text.count("(") != text.count(")")
    )


def run_on(text: str) -> bool:
    """Whether the first mark `text` reads as closing what it never opened is the opening of
    the next sentence's quotation, typed with no space after the full stop ('... the Tolberg
    fjord."Like a white hare, ...," she said.'): the splitter ran two sentences into one. The
    whole is no bullet, but a cut stopping before that mark is the outlet's own words, while
    before a true stray everything is someone's."""
    strays = stray_closings(text)
    if not strays:
        return False
    first = strays[0]
    return text[first - 1 : first] in (".", "!", "?") and text[first + 1 : first + 2].isupper()
