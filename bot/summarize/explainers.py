"""Titles that ask or explain rather than report, and when another outlet's title replaces them.

A card headline says what happened. A question ("Will tensions boil over?") or an explainer
("What the vote means for shipping", "Rubio's speech: what we learned", "Five takeaways from
...") frames the news for one outlet's readers; a declarative title from another outlet tells
the story instead, when it is on the story as much (`reporting_titles`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from bot.models import Article
from bot.summarize.sentences import content_stems
from bot.summarize.wordmodel import DOC_FREQ

# Rarer than this many documents, a word is the event's rather than any story's ("Trump").
RARE_DOCS = 150

# An explainer's or a question's opening, as a title writes it ("WHO" is the agency).
_EXPLAINER_OPENING = (
    r"(?:What|Where|Why|How|Who|When|Which)\s|(?:Here['’]?s|Here\s+is|Here\s+are)\s+"
    r"(?:what|why|how|who|where|when)\b|Everything\s+(?:we|you)\s+know\b|"
    r"(?:Explainer|Explained)\b|(?:\d+|Three|Four|Five|Six|Seven|Key)\s+takeaways\b"
)
_EXPLAINER_RE = re.compile(rf"^[\"“‘']?(?:{_EXPLAINER_OPENING})")
# An explainer after the news it explains: "Port vote: what it means for ...", "... — explained".
_EXPLAINER_TAIL_RE = re.compile(
    r"(?i)(?:[:|—–]|\s-)\s*(?:what\s+(?:we|you)\s+(?:learned|know|need\s+to\s+know)\b|"
    r"what\s+(?:it|this|that)\s+means\b|(?:the\s+)?(?:key\s+)?takeaways\b|explained\s*$|"
    r"why\s+it\s+matters\b)|,\s+explained\s*$"
)
# What an explainer says the news is for ("... Means for South Asia and the World"): its
# readers' frame, not the story, so not weighed as the story's words.
_FOR_WHOM_RE = re.compile(r"(?i)\s(?:means?|matters?)\s+(?:for|to)\s.*$")


def _explained(title: str) -> str:
    """What the explainer `title` explains: without its framing ("Five takeaways from", "—
    what we know so far") and without whom it says the news is for."""
    tail = _EXPLAINER_TAIL_RE.search(title)
    if tail is not None:
        title = title[: tail.start()]
    return _FOR_WHOM_RE.sub("", _EXPLAINER_RE.sub("", title))


def asks(title: str) -> bool:
    """Whether `title` asks or explains rather than reports (see the module docstring)."""
    return (
        title.rstrip("\"”’' ").endswith("?")
        or _EXPLAINER_RE.match(title) is not None
        or _EXPLAINER_TAIL_RE.search(title) is not None
    )


# An article's lead, which says what its story is; a long text touches many stories' words.
_LEAD_CHARS = 400


def reporting_titles(
    titles: list[tuple[int, str]], articles: Sequence[Article]
) -> list[tuple[int, str]]:
    """`titles` without the questions and explainers when a declarative title tells the story
    as fully as they do; else all of them, a question marked down as any is: "What we learned
    from X's speech" is not ruled out by another outlet's opinion title that never names X. How
    fully is how many of a title's rarer words (the event's, not "Trump" or "Europe") the
    story's other articles use in their titles and leads: what the outlets agree the story is
    about, not one outlet's angle. An explainer is weighed by what it explains, not by whom it
    says the news is for: "What X Means for South Asia" is no more on the story for the "South"
    another outlet's "South Asian nation" shares."""
    asking = [(i, c) for i, c in titles if asks(c)]
    telling = [(i, c) for i, c in titles if not asks(c)]
    if not asking or not telling:
        return titles
    words = [
        set(content_stems(a.title)) | set(content_stems(a.text[:_LEAD_CHARS])) for a in articles
    ]
    used = Counter(s for stems in words for s in stems)

    def on_topic(index: int, title: str) -> int:
        return sum(
            1
            for s in set(content_stems(title))
            if used[s] - (s in words[index]) > 0 and DOC_FREQ.get(s, 0) <= RARE_DOCS
        )

    bar = max(on_topic(i, _explained(c)) for i, c in asking)
    if any(on_topic(i, c) >= bar for i, c in telling):
        return telling
    return titles
