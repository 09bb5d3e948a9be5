"""docs/ARCHITECTURE.md stays a map a reader can trust: its prose says each thing once (a bad
merge once left a passage twice, half of it cut mid-sentence)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"

# Ten words in a row said twice is a passage repeated, not a phrase the map reuses.
REPEAT_WORDS = 10


def _prose_words(text: str) -> list[str]:
    """The words of the document's running text: the module table and diagrams left out, where
    one package's row may well echo another's."""
    words: list[str] = []
    in_fence = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence or line.startswith("|"):
            continue
        words.extend(line.split())
    return words


def test_no_passage_of_the_prose_is_repeated() -> None:
    words = _prose_words(ARCHITECTURE.read_text(encoding="utf-8"))
    runs = Counter(
        " ".join(words[i : i + REPEAT_WORDS]) for i in range(len(words) - REPEAT_WORDS + 1)
    )
    assert [run for run, count in runs.items() if count > 1] == []
