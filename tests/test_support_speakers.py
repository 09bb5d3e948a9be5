"""An outlet whose sentence gives the bullet's words to another named speaker does not report the
bullet: "reported by" counts outlets that tell the same remark, not the same words in another
mouth. One naming the same person, or no one, still does.

Every story here is invented."""

from __future__ import annotations

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize.grounding import supporting_outlets
from bot.summarize.shared_quotes import one_speaker, same_named_speaker

BULLET = (
    "Ada Wren said the old ferry pier in Tolberg would close next spring for repairs to its deck."
)
UNRELATED = ("Metro Sound", "Fish prices up", "Fish prices rose at the Lundia market on Friday.")


def _backers(*others: tuple[str, str, str]) -> list[str]:
    articles = [
        Article(id=f"s{i}", source=source, title=title, text=text)
        for i, (source, title, text) in enumerate(
            [("Quay Herald", "Pier to close", BULLET), *others, UNRELATED]
        )
    ]
    return supporting_outlets(BULLET, "Quay Herald", articles, outlet_names(articles))


def test_the_same_words_from_another_named_speaker_do_not_back_the_bullet() -> None:
    other = "Jon Berg said the old ferry pier in Tolberg would close next spring for repairs to its deck."
    assert _backers(("Fjord Post", "Pier row", other)) == ["Quay Herald"]


def test_a_speaker_named_after_the_words_is_read_too() -> None:
    other = (
        "The old ferry pier in Tolberg will close next spring for repairs to its deck, said "
        "Mayor Jon Berg."
    )
    assert _backers(("Fjord Post", "Pier row", other)) == ["Quay Herald"]
    other = "The old ferry pier in Tolberg will close next spring for repairs to its deck, Jon Berg said."
    assert _backers(("Fjord Post", "Pier row", other)) == ["Quay Herald"]


def test_words_that_only_look_like_another_speaker_still_back_it() -> None:
    # A body by its initials, a name qualifying who spoke, a name deep in a clause, a speech
    # verb in another sense: no other speaker is plain, so the claim is what counts.
    for other in (
        "The TPA says the old ferry pier in Tolberg will close next spring for repairs to its deck.",
        "Jon Berg's office said the old ferry pier in Tolberg would close next spring for repairs "
        "to its deck.",
        "The old ferry pier in Tolberg will close next spring for repairs to its deck, sooner "
        "than the date Tarn Harbour Trust staff had said they expected.",
        "The old ferry pier in Tolberg, which Jon Berg added to the register, will close next "
        "spring for repairs to its deck.",
    ):
        assert _backers(("Fjord Post", "Pier row", other)) == ["Quay Herald", "Fjord Post"], other


def test_the_same_speaker_named_otherwise_still_backs_it() -> None:
    # A surname alone, the name after the words, or a title before it: one person.
    for other in (
        "The old ferry pier in Tolberg will close next spring for repairs to its deck, Wren said.",
        "Harbour chief Ada Wren told reporters the old ferry pier in Tolberg would close next "
        "spring for repairs to its deck.",
    ):
        assert _backers(("Fjord Post", "Pier row", other)) == ["Quay Herald", "Fjord Post"], other


def test_a_sentence_naming_no_speaker_still_backs_it() -> None:
    # Whose words they are is unclear, not other: the claim is the same.
    for other in (
        "The old ferry pier in Tolberg will close next spring for repairs to its deck.",
        "Officials said the old ferry pier in Tolberg would close next spring for repairs to its "
        "deck.",
    ):
        assert _backers(("Fjord Post", "Pier row", other)) == ["Quay Herald", "Fjord Post"], other


def test_named_speakers_are_read_as_the_shared_quotation_rule_reads_them() -> None:
    assert same_named_speaker(BULLET, "Jon Berg said it would.") is False
    assert same_named_speaker(BULLET, "Wren said it would.") is True
    assert same_named_speaker(BULLET, "The mayor said it would.") is None
    # Read plainly (no shared quotation), only a name right before "said", "says" or "told".
    assert same_named_speaker(BULLET, "The fee, Jon Berg added, would rise.") is False
    assert same_named_speaker(BULLET, "The fee, Jon Berg added, would rise.", plain=True) is None
    # The shared-quotation rule also weighs offices; the support check only names.
    assert one_speaker("The mayor said it would.", "The minister said it would.") is False
    assert same_named_speaker("The mayor said it would.", "The minister said it would.") is None
