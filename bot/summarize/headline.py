"""The card headline: the most representative source title, cleaned up.

A title is picked rather than written so the headline is always something an outlet actually
published; cleanup then removes what makes titles bad card headlines: site suffixes, shouting,
clickbait framing and "WATCH:"-style labels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.models import Article
from bot.summarize.sentences import content_stems
from bot.textutil import STOPWORDS, squash_spaces

# " - Reuters", " | BBC News", " — The New York Times": a separator, then a short site name.
_SITE_SUFFIX_RE = re.compile(r"\s+[|\-–—:•·]\s+[^|\-–—:•·]{2,40}$")
_SITE_WORDS_RE = re.compile(
    r"(?i)\b(?:news|times|post|journal|tribune|herald|guardian|reuters|ap|afp|bbc|cnn|nbc|abc|"
    r"cbs|fox|npr|bloomberg|politico|axios|wire|daily|online|\.com|\.org|\.net|\.co\.uk|today|"
    r"gazette|telegraph|independent|insider|magazine|press|report|review|monitor|radio|tv)\b"
)
_LABEL_RE = re.compile(
    r"(?i)^(?:breaking(?: news)?|watch|video|live(?: updates)?|update[d]?|exclusive|opinion|"
    r"analysis|editorial|just in|developing|photos?|listen|explainer|fact check)\s*[:|\-–—]\s*"
)
_TRAILING_TAG_RE = re.compile(r"(?i)\s*[\[(](?:video|photos?|watch|live|updated?|opinion)[\])]\s*$")
_CLICKBAIT_RE = re.compile(
    r"(?i)\b(?:you won'?t believe|here'?s (?:why|what|how)|what you need to know|"
    r"things to know|this is why|will shock|jaw-dropping|must see|the truth about|"
    r"everything we know|you need to see|goes viral|slams|destroys|epic)\b"
)
# Short all-caps words are usually acronyms (NASA, FBI, U.S.) and keep their case.
_ACRONYM_MAX = 4


def strip_site_suffix(title: str, site_names: Sequence[str] = ()) -> str:
    """Drop a trailing " - Site Name" when it looks like a publication name."""
    known = {s.casefold() for s in site_names if s}
    while True:
        match = _SITE_SUFFIX_RE.search(title)
        if not match:
            return title
        tail = match.group(0).strip(" |-–—:•·").strip()
        looks_like_site = (
            tail.casefold() in known
            or bool(_SITE_WORDS_RE.search(tail))
            or (len(tail.split()) <= 3 and all(w[:1].isupper() for w in tail.split()))
        )
        # Never cut a title down to a fragment: the remaining part must still say something.
        if not looks_like_site or len(title[: match.start()].split()) < 4:
            return title
        title = title[: match.start()].rstrip()


def fix_shouting(title: str) -> str:
    """Sentence-style case for shouted words; short non-stopword caps stay (NASA, FBI, U.S.)."""
    letters = [c for c in title if c.isalpha()]
    if not letters:
        return title
    all_caps = sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(letters) > 8
    out: list[str] = []
    for i, word in enumerate(title.split(" ")):
        core = re.sub(r"[^A-Za-z]", "", word)
        if len(core) > 1 and core.isupper():
            # In a fully shouted title only dotted or very short words can be told apart as acronyms.
            max_len = 3 if all_caps else _ACRONYM_MAX
            dotted = bool(re.search(r"[A-Za-z]\.[A-Za-z]", word))
            acronym = dotted or (len(core) <= max_len and core.casefold() not in STOPWORDS)
            if not acronym:
                word = word.lower()
        if i == 0 and all_caps:
            word = word[:1].upper() + word[1:]
        out.append(word)
    fixed = " ".join(out)
    return fixed[:1].upper() + fixed[1:] if fixed else fixed


def clean_title(title: str, site_names: Sequence[str] = ()) -> str:
    title = squash_spaces(title)
    title = _LABEL_RE.sub("", title)
    title = _TRAILING_TAG_RE.sub("", title)
    title = strip_site_suffix(title, site_names)
    title = fix_shouting(title)
    title = title.rstrip(" !").strip()
    # A final full stop is not headline style, but the dot of "U.S." is part of the word.
    if title.endswith(".") and not re.search(r"(?:^|\s)(?:[A-Za-z]\.)+$", title):
        title = title[:-1].rstrip()
    # Exclamation marks are emphasis, not information.
    title = re.sub(r"!+", "", title)
    return title


def _badness(title: str) -> float:
    n = len(title.split())
    bad = 0.0
    if title.endswith("?"):
        bad += 0.5
    if _CLICKBAIT_RE.search(title):
        bad += 0.5
    if title[:1] in "\"“‘'":
        bad += 0.3
    if n < 5:
        bad += 0.3
    if n > 16:
        bad += 0.02 * (n - 16)
    return bad


def choose_headline(
    articles: Sequence[Article], probs: dict[str, float] | None = None
) -> tuple[str, int]:
    """The best cleaned title and the index of the article it came from.

    Titles are scored by how much of the shared story vocabulary they use (consensus words are the
    neutral core), minus penalties for questions, clickbait and quote-led headlines.
    """
    sites = [a.source for a in articles]
    best: tuple[float, str, int] | None = None
    for index, article in enumerate(articles):
        cleaned = clean_title(article.title, sites)
        stems = content_stems(cleaned)
        if not stems:
            continue
        if probs:
            score = sum(probs.get(s, 0.0) for s in set(stems)) / (len(set(stems)) ** 0.5)
        else:
            score = float(len(set(stems)))
        score *= 1.0 - min(0.9, _badness(cleaned))
        if best is None or score > best[0]:
            best = (score, cleaned, index)
    if best is not None:
        return best[1], best[2]
    # No usable title: fall back to the start of the first text.
    for index, article in enumerate(articles):
        text = squash_spaces(article.text)
        if text:
            return " ".join(text.split()[:12]).rstrip(".,;:"), index
    return "Untitled story", 0
