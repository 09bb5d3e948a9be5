"""bare_quote removes one enclosing pair of quotation marks and nothing else."""

from __future__ import annotations

from bot.render.text import bare_quote


def test_one_enclosing_pair_is_removed() -> None:
    assert bare_quote("“The pier reopens in May.”") == "The pier reopens in May."
    assert bare_quote('"The pier reopens in May."') == "The pier reopens in May."
    assert bare_quote("«Причал откроют в мае»") == "Причал откроют в мае"
    assert bare_quote("„Der Steg öffnet im Mai“") == "Der Steg öffnet im Mai"
    assert bare_quote("'We can't wait, the anglers' club said'") == (
        "We can't wait, the anglers' club said"
    )


def test_marks_that_do_not_enclose_the_quote_stay() -> None:
    # A quote followed by attribution: removing the first mark would leave the second unpaired.
    # Both stay, shown single: a renderer wraps the whole in “ ” (see test_quote_marks).
    said = '"The pier reopens in May," the harbour master said.'
    assert bare_quote(said) == "‘The pier reopens in May,’ the harbour master said."
    two = "“Soon,” she said, “very soon.”"
    assert bare_quote(two) == "‘Soon,’ she said, ‘very soon.’"
    assert bare_quote("'Soon,' she said, 'very soon.'") == "'Soon,' she said, 'very soon.'"


def test_possessive_apostrophe_is_kept() -> None:
    assert bare_quote("the anglers'") == "the anglers'"
    assert bare_quote("funds for the boatbuilders’") == "funds for the boatbuilders’"
