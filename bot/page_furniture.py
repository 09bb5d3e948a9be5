"""A scraped page's furniture: what a web page around an article shows that is no reporting.

A video player's messages ("Rating is available when the video has been rented"), a web
archive's note on the crawl that saved the page, a plea to turn on scripts, a tweet box's
location notice, a sharing link's label, and buttons run together before the page's first words
("SHARE COPY LINK Judge ...", "CLOSE Skip in Skip x Embed x Share ..."). Feeds rarely carry it;
pages scraped whole do. `bot.boilerplate` reads a whole line of it as a caption, which the TL;DR
and the angles pass over; buttons before reporting only keep it from a headline, a line or a
quote, since the TL;DR may still read the reporting after them.
"""

from __future__ import annotations

import re

# Furniture is short; a longer sentence is never read as it (and costs nothing).
MAX_CHARS = 500
# Sharing buttons' networks, as a page's text runs them together.
NETWORK = r"(?:facebook|twitter|pinterest|linkedin|whatsapp|reddit|messenger|sms)"

# A page's furniture as a line of its own, not a picture's: a video player's messages, a web
# archive's note on the crawl that saved the page, a plea to turn on scripts, a tweet box's
# location notice, a sharing link's label. Written as pages write them: prose about players,
# archives or tweets says more around the words.
_FURNITURE_LINE_RE = re.compile(
    r"(?:"
    r"rating is available when the video has been rented"
    r"|this (?:feature|video|content) is (?:not|no longer|currently not) available\b.{0,40}"
    r"|(?:please )?(?:turn on|enable|activate) javascript\b.*"
    r"|you (?:need to|must) (?:enable|turn on|activate) javascript\b.*"
    r"|read or share this story:.*"
    r"|newsletter sign[ -]up\b.*"
    r"|(?:free )?sign up\b.{0,40}\b(?:you agree|offers|updates|newsletters?|e-?mails?)\b.*"
    r"|(?:breaking news )?e-?mails? get breaking news alerts\b.*"
    r"|(?:tweet with a location\b|you can add location information to your tweets\b"
    r"|when you tweet with a location\b|you always have the option to delete your tweet"
    r"|you can switch location on/off\b).*"
    r"|embed\b.{0,120}\bcopy this code to your (?:website|site|blog)\b.*"
    r"|related (?:photos|pictures|videos?|stories|articles|links|coverage|content):.*"
    r"|crawl (?:start|end) date:.*"
    r")[\s.!]*",
    re.IGNORECASE,
)
# A web archive's note, wherever a crawl and the archive's words meet in one sentence.
_CRAWL = r"\bcrawl(?:s|ed|er|ers|ing)?\b"
_ARCHIVE_NOTE_RE = re.compile(
    rf"{_CRAWL}.*\b(?:internet archive|wayback|alexa|seed ?list|urls|robots\.txt|warc|heritrix"
    r"|no more 404|embargo|collection|archive|software|sites|seeds?)\b"
    r"|\b(?:web|wide|distributed) crawl(?:s|ing)?\b"
    rf"|\b(?:internet archive|wayback machine|alexa internet|heritrix|warc files?|seed ?list)\b.*{_CRAWL}"
    r"|\bwayback machine after an embargo\b",
    re.IGNORECASE,
)
# A sign-up button after a plea: "... never miss our top stories Free Sign Up".
_SIGN_UP_ENDS = ("free sign up", "free sign-up")


def furniture_line(line: str) -> bool:
    """Whether `line`, as a whole, is a page's furniture (not buttons before reporting)."""
    line = line.strip()
    if len(line) > MAX_CHARS:
        return False
    if _FURNITURE_LINE_RE.fullmatch(line) is not None:
        return True
    low = line.casefold()
    if low.rstrip(" .!").endswith(_SIGN_UP_ENDS):
        return True
    # Most lines name neither: the archive's pattern is searched only where it could match.
    return ("crawl" in low or "wayback" in low) and _ARCHIVE_NOTE_RE.search(line) is not None


# Buttons run together before a page's text ("share tweet pin email", "CLOSE Skip in Skip x Embed
# x Share", "SHARE COPY LINK"): two at least, one of them no network's name ("Twitter Facebook
# said" is prose); or a video player's "CLOSE" before the page's first capital.
_BUTTON_WORD = r"(?:share|tweet|pin|e-?mail|print|copy\s+link|close|skip(?:\s+in)?|embed|x)"
_BUTTON_RUN_RE = re.compile(
    rf"^(?:(?=(?:{NETWORK}\s+)*{_BUTTON_WORD}(?:\s|$))"
    rf"(?:(?:{_BUTTON_WORD}|{NETWORK})(?:\s+|$)){{2,}}"
    r"|(?-i:CLOSE)\s+(?=(?-i:[A-Z])))",
    re.IGNORECASE,
)


def page_furniture_end(sentence: str) -> int:
    """Where a run of a page's buttons opening `sentence` ends ("SHARE COPY LINK Judge ...",
    "CLOSE Skip in Skip x Embed x Share A former ..."): 0 when none opens it. The words after it
    may be reporting, glued to the buttons by a page scrape."""
    m = _BUTTON_RUN_RE.match(sentence)
    return 0 if m is None else m.end()
