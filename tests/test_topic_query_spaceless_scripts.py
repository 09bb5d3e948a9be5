"""Thai, Lao, Khmer and Burmese are written without spaces between words, like Chinese and
Japanese: a term matches inside running text there."""

from __future__ import annotations

import pytest

from bot.topics import StoryDoc, TopicQuery


def q(query: str, text: str) -> bool:
    return TopicQuery.parse(query).matches(StoryDoc(text=text))


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("ประเทศไทย", "เศรษฐกิจประเทศไทยฟื้นตัว"),  # Thai
        ("ລາວ", "ເສດຖະກິດລາວຟື້ນຕົວ"),  # Lao
        ("កម្ពុជា", "សេដ្ឋកិច្ចកម្ពុជាងើបឡើងវិញ"),  # Khmer
        ("မြန်မာ", "မြန်မာစီးပွားရေး"),  # Burmese
    ],
)
def test_terms_match_inside_unspaced_text(query: str, text: str) -> None:
    assert q(query, text)


def test_a_run_must_still_be_consecutive() -> None:
    assert not q("ประเทศไทย", "ประเทศลาวและไทย")
    assert not q("한국", "한국경제 회복")  # Korean is written with spaces: words stay words
