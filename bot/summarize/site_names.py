"""Site names in titles: " - Reuters", " | Harbour Daily", "Market Pulse: ...". No headline
should credit one outlet, so a tail or head naming a site goes; a tail that only looks like one
("Apple sues Samsung - again", "... - Part II", "... – CDC", "... - Database First") is the
title's own and stays; a number beside a broadcaster's word is an outlet's channel ("| FOX 13
Tampa Bay", "- BBC One") and goes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A hyphen between two letters belongs to a name (The Times-Picayune, Al-Monitor, Post-Gazette);
# a separator dash has spaces around it.
_NAME_HYPHEN = r"(?<=\w)-(?=\w)"
# " - Reuters", " | BBC News", " — The New York Times", " :: Site", " / Site", " » Site": a
# separator, then a short site name.
_SITE_SUFFIX_RE = re.compile(
    r"\s+(?P<sep>::|[|\-–—:•·/»])\s+"
    rf"(?P<site>(?:(?!::)[^|\-–—:•·/»]|{_NAME_HYPHEN}){{2,40}})$"
)
# Separators that are rare inside a title but common in one ("AC / DC fans", "Rates » markets"):
# a tail after them is only cut when it reads as a site name, never on capitalisation alone.
_RARE_SEPARATORS = frozenset({"::", "/", "»"})
# "Reuters: Fed raises rates", "Market Pulse | Fed raises rates": a site name, then a separator.
# Only cut when the name is a known outlet: "Ukraine: talks resume" is a title's own framing.
_SITE_PREFIX_RE = re.compile(
    rf"^(?P<site>(?:[^:|/»\-–—]|{_NAME_HYPHEN}){{2,40}}?)\s*(?:::|[:|»]|\s[/\-–—])\s+"
)
# "... (Reuters)": a trailing parenthesised name.
_PAREN_SUFFIX_RE = re.compile(r"\s*\((?P<site>[^()]{2,40})\)$")
_SITE_WORDS_RE = re.compile(
    r"(?i)\b(?:news|times|post|journal|tribune|herald|guardian|reuters|ap|afp|bbc|cnn|nbc|abc|"
    r"cbs|fox|npr|bloomberg|politico|axios|wire|daily|online|\.com|\.org|\.net|\.co\.uk|today|"
    r"gazette|telegraph|independent|insider|magazine|press|report|review|monitor|radio|tv)\b"
)
# Outlets common enough in feeds to be cut like the story's own outlets, even from a short title.
_WELL_KNOWN_OUTLETS = frozenset(
    name.strip()
    for name in """
    reuters|ap|afp|associated press|bbc|bbc news|cnn|nbc news|cbs news|abc news|npr|bloomberg|
    financial times|ft|new york times|wall street journal|washington post|guardian|economist|
    le monde|le figaro|der spiegel|die zeit|el país|el pais|nikkei|nikkei asia|xinhua|tass|
    interfax|yonhap|kyodo|kyodo news|al jazeera|haaretz|politico|axios|semafor|dw|france 24
    """.split("|")
)
# A tail that is the title's own: one holding a number or an ordinal ("Part II", "Post 2",
# "Second Edition", "EF Free (Post 2)", "Database First", "Lanterns Below (2025) Review"), or who
# a claim comes from ("... indoors – CDC", "... - PM", "... – report", "... - Iran defence
# ministry"), which a headline must keep to stay a claim. A number names an outlet beside a
# site's or a broadcaster's word or a known outlet ("FOX 13 Tampa Bay", "Channel 4 News", "BBC
# One"): numbered tails in real dev and review feeds are a post's own far more often than a site.
_NUMBER = r"(?:\d+|[ivx]+|one|two|three|four|five|six|seven|eight|nine|ten)"
_ORDINAL = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|final|last)"
# Outside a series ending only digits and roman numerals of two letters or more count: a spelled
# number or a lone letter is a name's as often ("Page Six", "One Green Planet", "X Magazine").
_NUMBERED_RE = re.compile(rf"\d|\b[IVX]{{2,}}\b|(?i:\b{_ORDINAL}\b)")
# An ordinal after a leading "The" is a name's ("The Last Word"); a post's part has no article
# ("Second Edition", "Code First").
_THE_ORDINAL_RE = re.compile(rf"(?i)^the\s+{_ORDINAL}\b")
# A domain names a site ("nine.com.au", "stuff.co.nz"); "Python 3.12" or "Node.js" do not.
_DOMAIN_RE = re.compile(
    r"(?i)\w\.(?:com|org|net|edu|gov|io|co|uk|au|nz|ca|ie|in|de|fr|us|info|news|tv|me)\b"
)
# Words of a station's or a paper's name; a call sign before its channel ("KTLA 5") is one too.
# "Online", "Review", "Sky" and "Network" are left out: "First Assault Online" is a game, "(2025)
# Review" a record review, "Neural Network 2" a post.
_BROADCAST_WORDS_RE = re.compile(
    r"(?i)\b(?:news|daily|times|tv|television|radio|channel|fm|broadcasting|gazette|herald"
    r"|tribune|telegraph|bbc|itv|fox|cbs|nbc|abc|cnn|cnbc|msnbc|pbs|npr|espn|cbc|ctv|rt[eé])\b"
)
_CALL_SIGN_RE = re.compile(r"\b[KW][A-Z]{2,3}(?:-[A-Z]{2})?\s+\d{1,2}\b")
_WORD_RE = re.compile(r"[\w.&']+")
# A tail ending in a part of a series ("EF Free (Post 2)", "Harbour News - Part 2 of 3") or in a
# dated review ("Radio Silence (2019) Review") is the title's own whatever words come before.
_OWN_ENDING_RE = re.compile(
    r"(?i)(?:^|[\s(])(?:part|post|episode|chapter|session|volume|vol\.|book|issue|round|day"
    rf"|week|stage|season|lesson|step|edition|update|leg|act|no\.)\s+{_NUMBER}"
    rf"(?:\s+of\s+{_NUMBER})?\)?$"
    r"|\((?:1[89]|20)\d\d\)\s+review$"
)
# Whoever says it, as the tail's last word in any case: no outlet is named for one.
_SPEAKERS = frozenset(
    """
    pm minister ministry president government police officials official sources source
    spokesman spokeswoman spokesperson lawyer lawyers prosecutors prosecutor court regulator
    cdc who fda imf un eu nato fbi epa opec
    """.split()
)
# ... and in lower case only: "Drudge Report" or "Poll Watch" may be a site's name.
_SOURCES = frozenset("report reports study survey poll data statement filing experts".split())


def _numbered_own(tail: str, known: set[str]) -> bool:
    """Whether `tail` holds a number or an ordinal and so is the title's own, not an outlet."""
    if _OWN_ENDING_RE.search(tail):
        return True
    # A domain or a site's word names an outlet however it is numbered ("- nine.com.au", "- X
    # Magazine", "| FOX 13 Tampa Bay"); "Online" beside a number is a game's ("First Contact
    # Online"), as in `_BROADCAST_WORDS_RE`.
    if _DOMAIN_RE.search(tail) or any(
        word.casefold() != "online" for word in _SITE_WORDS_RE.findall(tail)
    ):
        return False
    if _NUMBERED_RE.search(tail) is None or _THE_ORDINAL_RE.match(tail):
        return False
    # A known outlet inside the tail ("France 24 English"); two-letter ones ("ft", "ap") would
    # match too many words of a title's own.
    words = " " + " ".join(_WORD_RE.findall(tail.casefold())) + " "
    outlet = any(len(name) > 2 and f" {name} " in words for name in known)
    return not (outlet or _BROADCAST_WORDS_RE.search(tail) or _CALL_SIGN_RE.search(tail))


def _attribution(tail: str) -> bool:
    """Whether `tail` says who a claim comes from (see `_SPEAKERS`), or is lower case throughout."""
    words = tail.split()
    if not words or "." in tail:
        return False  # "news.com.au" names a site in lower case
    last = words[-1].strip("()[]\"'“”‘’,!?")
    return not any(c.isupper() for c in tail) or last.casefold() in _SPEAKERS or last in _SOURCES


def _norm_site(name: str) -> str:
    name = name.casefold().strip()
    return name[4:] if name.startswith("the ") else name


_MAX_SUFFIXES = 4


def strip_site_suffix(title: str, site_names: Sequence[str] = ()) -> str:
    """Drop a trailing " - Site Name", " | Site" or " (Site)" when it names a publication.

    A tail naming one of the story's own outlets is always cut, however short the rest: no headline
    should credit one outlet. Tails that only look like a site name need more title left, so a
    dash that belongs to the title ("Apple sues Samsung - again") survives.
    """
    known = {_norm_site(s) for s in site_names if s} | _WELL_KNOWN_OUTLETS
    # A few tails at most ("Story - Section - Site"): each pass searches the whole title, so a
    # title of thousands of " - Reuters" would take seconds.
    for _ in range(_MAX_SUFFIXES):
        match = _SITE_SUFFIX_RE.search(title) or _PAREN_SUFFIX_RE.search(title)
        if not match:
            return title
        tail = match.group("site").strip()
        left = len(title[: match.start()].split())
        if _norm_site(tail) in known:
            min_left = 1
        elif _numbered_own(tail, known) or _attribution(tail):
            return title
        elif _SITE_WORDS_RE.search(tail):
            min_left = 3
        elif (
            match.re is _SITE_SUFFIX_RE
            and match.group("sep") not in _RARE_SEPARATORS
            and len(tail.split()) <= 3
            # A station's channel number is part of its name ("KGUL 5"): numbered tails get
            # here only when they read as a broadcaster's (`_numbered_own`).
            and all(w[:1].isupper() or w.isdigit() for w in tail.split())
            # A hyphenated tail on looks alone is the title's own ("Hands-On", "Twenty-Five
            # Percent"): it is cut as an outlet's name or with a site word (Post-Gazette).
            and not re.search(_NAME_HYPHEN, tail)
        ):
            min_left = 4
        else:
            return title
        if left < min_left:
            return title
        title = title[: match.start()].rstrip()
    return title


def strip_site_prefix(title: str, site_names: Sequence[str] = ()) -> str:
    """Drop a leading "Reuters: " or "Market Pulse | " naming a known outlet (no headline should
    credit one outlet), when a title of at least two words remains."""
    known = {_norm_site(s) for s in site_names if s} | _WELL_KNOWN_OUTLETS
    match = _SITE_PREFIX_RE.match(title)
    if match and _norm_site(match.group("site")) in known:
        rest = title[match.end() :]
        if len(rest.split()) >= 2:
            return rest
    return title
