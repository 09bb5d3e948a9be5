"""A bullet opening on a description of someone its article named before ("The Texas lawmaker
blamed ...", "The agency is still working ..., said the officials") stands on the card only after
a bullet naming them.

Every story here is invented. On the real cards "The Texas lawmaker blamed his rival ..." was a
card's first bullet, "The proposed measures come in the face of ..." followed a bullet calling
them "legislation", and "The agency is still working on the authorization, said the officials,
who spoke ..." followed a bullet naming neither officials nor an agency.
"""

from __future__ import annotations

from bot.models import Article
from bot.summarize.candidates import Option, TldrParams, _introduced, sentence_options
from bot.summarize.introduced import described, introduces
from bot.summarize.sentences import content_stems, make_sentence
from bot.summarize.tldr import select_sentences


def test_a_bare_description_of_someone_is_read() -> None:
    assert described("The Tarn lawmaker blamed her rival for the quay closure.") == ("lawmak",)
    assert described("The proposed measures come as ferry traffic grows.") == ("measur",)
    assert described("The agency reportedly delayed the harbour survey.") == ("agenc",)
    # Its report given to people named before, whatever the sentence opens on.
    assert described(
        "The survey is still under way, said the officials, who spoke on condition of anonymity."
    ) == ("offici",)
    assert described("Work on the quay will resume in May, the officials said.") == ("offici",)


def test_a_description_with_words_of_its_own_or_a_name_is_not() -> None:
    assert described("The leaders of two harbour unions urged Holm to act.") == ()
    assert described("The Tarn Port Authority closed the north quay.") == ()
    assert described("Officials said the quay would reopen in May.") == ()
    # The story's own object or a figure reads alone.
    assert described("The bill passed 61-38 in the assembly.") == ()
    assert described("The unemployment rate rose to 4.1%.") == ()


def test_an_agency_is_introduced_by_its_name() -> None:
    text = "The Tarn Harbour Department said on Monday it would close the quay."
    assert introduces(text, frozenset(content_stems(text)), "agenc")
    other = "Ferry crews walked out on Monday over the quay closure."
    assert not introduces(other, frozenset(content_stems(other)), "agenc")


def _forms(text: str, position: int, article: int = 0) -> list[Option]:
    sentence = make_sentence(text, "X", article, position)
    return sentence_options([sentence], TldrParams())[0]


def test_the_description_needs_an_earlier_bullet_naming_it() -> None:
    lead = _forms("Senator Ada Lind of Tarn lashed out at Governor Holm on Friday.", 0)[0]
    lawmaker = _forms("The Tarn lawmaker blamed her rival for the quay closure on Friday.", 1)[0]
    assert lawmaker.needs == ("lawmak",)
    assert not _introduced([lead, lawmaker])
    named = _forms("Tarn lawmakers voted on Thursday to keep the north quay open all winter.", 0)
    assert _introduced([named[0], lawmaker])
    # The naming bullet must come first: a later sentence's is read after it.
    later = _forms("Tarn lawmakers voted on Thursday to keep the north quay open all winter.", 4)
    assert not _introduced([later[0], lawmaker])
    # An article's opening sentence introduces what it describes.
    assert (
        _forms("The Tarn lawmaker blamed her rival for the quay closure on Friday.", 0)[0].needs
        == ()
    )


def test_a_card_never_opens_on_a_description_it_has_not_introduced() -> None:
    articles = [
        Article(
            id="a",
            source="Quay Herald",
            title="Lind and Holm trade blows over quay closure",
            text=(
                "Senator Ada Lind of Tarn lashed out at Governor Erik Holm on Friday, accusing "
                "him of closing the north quay to punish ferry crews. "
                "The Tarn lawmaker blamed her rival for the quay closure that left ferry crews "
                "idle for a week."
            ),
        ),
        Article(
            id="b",
            source="Fjord Post",
            title="Holm defends north quay closure",
            text=(
                "Governor Erik Holm defended the north quay closure on Friday as ferry crews "
                "protested at the harbour gates for a second day."
            ),
        ),
    ]
    picked = [text for text, _ in select_sentences(articles, ["Quay Herald", "Fjord Post"])]
    assert picked and not any(text.startswith("The Tarn lawmaker") for text in picked)
