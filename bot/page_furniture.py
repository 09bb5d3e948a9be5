"""A scraped page's furniture: what a web page around an article shows that is no reporting.

A video player's messages ("Rating is available when the video has been rented"), a web
archive's note on the crawl that saved the page, a plea to turn on scripts, a tweet box's
location notice, a sharing link's label, and buttons run together before the page's first words
("SHARE COPY LINK Judge ...", "CLOSE Skip in Skip x Embed x Share ..."). Feeds rarely carry it;
pages scraped whole do. `bot.boilerplate` reads a whole line of it as a caption, which the TL;DR
and the angles pass over; buttons before reporting only keep it from a headline, a line or a
quote, since the TL;DR may still read the reporting after them.

A page's notices (`notice_line`: a correction or update notice, "Please try again later", "To
advertise ..., click here", "Follow us on Twitter", a date stamp, Wikipedia's furniture, a
stream's "Live on Periscope" label, a newsletter's lone "Why it matters…", a content warning) are
told by their form, never by a site's wording, and `bot.boilerplate.is_boilerplate` drops them
everywhere: they became headlines and quotes. On the 912 dev stories they drop 65 sentences, each
a notice, and no reporting.
"""

from __future__ import annotations

import re

# Furniture is short; a longer sentence is never read as it (and costs nothing).
MAX_CHARS = 500
# Sharing buttons' networks, as a page's text runs them together.
NETWORK = r"(?:facebook|twitter|pinterest|linkedin|whatsapp|reddit|messenger|sms)"

# What follows a plea to turn on scripts in its own words: the browser, and what the page
# cannot show without them. News goes on to its own ("to file taxes on the new portal").
_SCRIPT_TAIL = (
    r"(?: (?:in|on) (?:your|the|this) (?:web )?browser)?"
    r"(?: (?:to|so you can|in order to) (?:view|see|use|watch|play|hear|listen to|read|load"
    r"|continue|access|display|comment|vote|experience)(?: (?:this|the|our|all))?"
    r"(?: (?:full|interactive|embedded))? (?:page|site|website|content|video|audio|story|article"
    r"|report|podcast|map|chart|graphic|feature|player|comments|form|app|game|interactive"
    r"|media)s?(?: (?:correctly|properly))?"
    r"| for (?:the best|a better|full) (?:experience|functionality))?"
)

# A page's furniture as a line of its own, not a picture's: a video player's messages, a web
# archive's note on the crawl that saved the page, a plea to turn on scripts, a tweet box's
# location notice, a sharing link's label. Each in the notice's own words, ending where the
# notice ends: news about scripts, sign-ups or tweets goes on past them ("Enable JavaScript
# in the browser, the FBI advised ...") and is reporting.
_FURNITURE_LINE_RE = re.compile(
    r"(?:"
    r"rating is available when the video has been rented"
    r"|this (?:feature|video|content) is (?:not|no longer|currently not) available"
    r"(?: right now| at this time| in your (?:country|region|area))?(?:[.!]\s*please try again later)?"
    r"|(?:please )?(?:turn on|enable|activate) javascript"
    + _SCRIPT_TAIL
    + r"|you (?:need to|must) (?:enable|turn on|activate) javascript"
    + _SCRIPT_TAIL
    + r"|javascript is (?:disabled|not enabled|turned off)(?: (?:in|on) (?:your|this) browser)?"
    # A missing page's notice, which a scrape of a moved story keeps as its text.
    r"|(?:sorry, )?the page you (?:requested|were looking for|are looking for)"
    r" (?:could not|cannot|can't) be found"
    r"|if you are trying to reach a page from a bookmark, the page url may have changed"
    r"|(?:free )?archives of stories are maintained on our site for"
    r" (?:\d+|a|one|two|three|four|five|six|seven|ten|fourteen|thirty|several)"
    r" (?:days?|weeks?|months?|years?)"
    r"|please (?:choose|select|pick) (?:a|an|another|one) (?:section|category|page|topic|link"
    r"|option|region|edition|item)s? from the (?:navigation|menu)"
    r"(?: (?:bar|above|below|on the (?:left|right)|at the top))?"
    r"|read or share this story:\s*\S+"
    # After the button, a plea to read on or to its reader, not a headline ("... Surges").
    r"|newsletter sign[ -]up(?:\s+(?=(?-i:[A-Z]))(?:continue reading\b|(?=.*\b(?:you|your|inbox)\b)).*)?"
    # A plea addresses its reader ("you", "your inbox", "our newsletter", "thanks"), the
    # button's words first ("Sign up now", "Sign Up You agree"), not news ("Sign up numbers").
    r"|(?:free )?sign up(?=\s*(?:[!:.-]|now\b|today\b|here\b|for\b|to\b|and\b|(?-i:[A-Z])))"
    r"(?!.*\bsaid\b)(?=.*\b(?:you|your|our|thanks?)\b)"
    r".{0,40}\b(?:you agree|offers|updates|newsletters?|e-?mails?)\b.*"
    r"|(?:breaking news )?e-?mails? get breaking news alerts(?: and special reports)?"
    r"|tweet with a location"
    r"|(?:you can add location information to your tweets\b|when you tweet with a location\b"
    r"|you always have the option to delete your tweet|you can switch location on/off\b).*"
    r"|embed\b.{0,120}\bcopy this code to your (?:website|site|blog)(?: or (?:website|site|blog))?"
    r"|crawl (?:start|end) date:\s*\d[\w ,]*"
    r")[\s.!]*",
    re.IGNORECASE,
)
# "Related Photos: Every Winner of the Prize [GALLERY]": a list's label before a headline, whose
# first words are capitalised; "Related coverage: the mayor resigned" is a sentence.
_RELATED_RE = re.compile(
    r"related (?:photos|pictures|videos?|stories|articles|links|coverage|content):\s*(.*)",
    re.IGNORECASE,
)
_MINOR_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "with"})
# A web archive's note on its crawl, in the archive's own words ("crawl data", "the seed list
# for this crawl", "added to the Wayback Machine after an embargo"). News about crawlers (AI
# companies scraping sites, a pub crawl past the sites of a city) shares its vocabulary, not
# these phrases.
_CRAWL = r"\bcrawl(?:s|ed|er|ers|ing)?\b"
_ARCHIVE_NOTE_RE = re.compile(
    # Each anchored to where the archive writes it: given to an archive, opening its line...
    r"\bcrawl data\b.*\b(?:internet archive|wayback machine)\b"
    r"|\bseed ?(?:list )?for this crawl\b|\bseedlist\b"
    r"|^this crawl (?:was|is)\b.*\burls\b"
    r"|\bscope of (?:the|this) crawl\b"
    r"|^(?:wide|distributed) crawl(?:s|ing)?\b"
    r"|\bcrawls are part of an effort to archive\b"
    r"|\bcrawls of supported \W?no more 404\b"
    r"|\bwarc files?\b.*"
    + _CRAWL
    + r"|\bheritrix\b.*"
    + _CRAWL
    # The archive writing of its own work, hedged: "we may not have crawled all of the embedded
    # ...", not a newsroom's "we crawled the sites of 40 councils".
    + r"|^(?!.*(?:\bsaid\b|[\"“”]))(?=.*\bwe (?:may|might|did|do|could|can|will|would)"
    r"(?: not|n't)?(?: have| be)? crawl(?:ed|ing)?\b)"
    r".*\b(?:urls|seeds?|embeds?|embedded|objects|queues|sites)\b"
    # ... or ending it.
    r"|\bwayback machine after an embargo(?: period)?[\s.]*$",
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
    if (related := _RELATED_RE.fullmatch(line)) is not None:
        return _headline_like(related[1])
    low = line.casefold()
    if low.rstrip(" .!").endswith(_SIGN_UP_ENDS):
        return True
    # Most lines name neither: the archive's pattern is searched only where it could match.
    return ("crawl" in low or "wayback" in low) and _ARCHIVE_NOTE_RE.search(line) is not None


def _headline_like(text: str) -> bool:
    """Whether `text` opens as a headline does: its first words (up to four) capitalised, but
    for short function words."""
    words = [w for w in text.split()[:4] if w.casefold() not in _MINOR_WORDS]
    return bool(words) and all(w[0].isupper() or not w[0].isalpha() for w in words)


# Buttons run together before a page's text ("share tweet pin email", "CLOSE Skip in Skip x Embed
# x Share", "SHARE COPY LINK"): two at least, one of them no network's name ("Twitter Facebook
# said" is prose), the whole run taken, then the page's text opening on a capital or figure, or
# nothing; or a video player's "CLOSE" before the page's first capital. Words that read as
# buttons and go on in lower case are a sentence ("Share print and email campaigns cost ...",
# "Pin X marks the spot").
_BUTTON_WORD = r"(?:share|tweet|pin|e-?mail|print|copy\s+link|close|skip(?:\s+in)?|embed|x)"
_BUTTON_RUN_RE = re.compile(
    rf"^(?:(?=(?:{NETWORK}\s+)*{_BUTTON_WORD}(?:\s|$))"
    rf"(?:(?:{_BUTTON_WORD}|{NETWORK})(?:\s+|$)){{2,}}+(?=$|(?-i:[A-Z0-9])|[\"'“‘])"
    r"|(?-i:CLOSE)\s+(?=(?-i:[A-Z])))",
    re.IGNORECASE,
)


def page_furniture_end(sentence: str) -> int:
    """Where a run of a page's buttons opening `sentence` ends ("SHARE COPY LINK Judge ...",
    "CLOSE Skip in Skip x Embed x Share A former ..."): 0 when none opens it. The words after it
    may be reporting, glued to the buttons by a page scrape."""
    m = _BUTTON_RUN_RE.match(sentence)
    return 0 if m is None else m.end()


# A page's notices, by form rather than by site: each is a whole line or sentence in the notice's
# own words, so reporting that merely mentions corrections, Wikipedia, Periscope or advertising
# ("The paper issued a correction on Monday", "She went live on Periscope to rally supporters")
# goes on past them and stays.
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WHEN = (
    rf"(?:{_MONTH}\s+\d|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}})"
)
_TIME = r"(?:\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\b\.?)?)"
_PIECE = r"(?:article|story|post|piece|report|column|version|item|page)"
_NOTICE_RE = re.compile(
    r"(?:"
    # A correction or update notice, with or without its label: "Correction 31 July 2017: This
    # article has been amended ...", "An earlier version of this story said ...". One sentence
    # (a notice glued to the next sentence of reporting is left whole, for the reporting).
    r"(?:(?:\**\s*(?:correction|clarification|editor['’]?s note|update[ds]?)\b[^:.!?]{0,30}:\s*)?"
    rf"(?:this {_PIECE} (?:has been|was|is being) (?:amended|corrected|updated|revised|changed)"
    rf"|an? (?:earlier|previous|prior) version of this {_PIECE}"
    r"|an? (?:earlier|previous|prior) version(?:\s+\w+)?\s+(?:incorrectly|misstated|misidentified"
    r"|mistakenly|wrongly|erroneously))\b(?:[^.!?]|\.(?!\s+[A-Z]))*"
    r"|we regret the error)"
    r"|\**\s*(?:updated?|correction)\s*(?:x?\d+)?\s*\**"  # a bare "*** UPDATED ***" or "UPDATE 2" label
    # Calls to action: a player's or form's "Please try again later", an advertising plea.
    r"|(?:(?:sorry|oops)[,!.]?\s*)?(?:something went wrong|an error (?:has )?occurred)?[.!,]?\s*"
    r"please try again(?: later| shortly| in a (?:few|moment)\b.*)?"
    r"|(?:to (?:advertise|subscribe|sign up|donate|unsubscribe)|for advertising)\b[^.!?]{0,80}?,?\s*(?:please )?(?:click here|contact|call"
    r"|e-?mail|visit)\b[^.!?]{0,80}"
    # "Follow Jane Roe on Twitter", "Follow SITE: Facebook | Twitter", "Follow us at https://...".
    rf"|follow (?!the\b)(?:[^.!?:]|\.(?=\S)){{1,60}}?(?:\s+on\s+(?:{NETWORK}|instagram|tumblr|google\+|youtube"
    rf"|tiktok|threads|bluesky|mastodon)(?:\s+here)?|\s*:|\s+at)\s*(?:(?:{NETWORK}|instagram"
    r"|tumblr|google\+|youtube|https?://\S+|www\.\S+|@\w+)[\s,|&.]*(?:and\s+)?)*"
    # Site chrome: a page's date stamp or a byline's ("/ Published March 2, 2017",
    # "Published: January 2011 Special Series: ..."), a lone "Advertisement".
    rf"|(?:by\s[^/|]{{2,100}})?/\s*(?:published|updated|posted)\b[^/|]{{0,100}}"
    r"|[—–-]*\s*(?:published|posted|last updated|updated|modified)\s*:?\s*(?:(?:on|at)\s+)?"
    rf"(?:{_WHEN}|{_MONTH}\s+\d{{4}}|{_TIME})(?:[^.!?]|{_TIME}){{0,80}}"
    r"|advertisement(?:\s+continue reading(?: the main story)?)?"
    # A byline alone: "By Jane Roe", "By Jane Roe and Ola Berg, Harbour Desk".
    r"|by (?-i:[A-Z][\w.'’-]*)(?:\s+(?-i:[A-Z][\w.'’-]*)){1,3}(?:\s*(?:,|and|&)\s*[^.!?]{1,60})?"
    # Wikipedia's furniture around an article copied from it.
    r"|from wikipedia, the free encyclopedia|jump to (?:navigation|search|content)"
    r"|retrieved from\s+[\"“]?https?://\S+"
    # A stream's label: "Jane Roe Live on Periscope 12-29-2016".
    r"|[^.!?]{0,60}\blive on (?:periscope|youtube|facebook|twitch|instagram)[\s\d/.:-]*"
    # A newsletter's section head standing alone ("Why it matters…", "The big picture:").
    r"|(?:why it matters|the big picture|go deeper|between the lines|(?:the )?bottom line"
    r"|what['’]s next|yes,? but|driving the news|by the numbers|the backstory|flashback"
    r"|what they['’]re saying|our thought bubble|zoom (?:in|out)|be smart|state of play"
    r"|reality check|the intrigue|what we['’]re watching|catch up quick)"
    # A content warning: "WARNING: The video contains ... graphic ...".
    r"|(?:warning|caution|viewer discretion(?: is)? advised)\s*[:!.-]\s*(?:this|the)\s+"
    r"(?:video|footage|images?|photos?|story|article|content|clip)s?\s+(?:contains?|may contain"
    r"|includes?|shows?|has)\b[^.!?]*\b(?:graphic|disturbing|offensive|distressing|violent)\b"
    r"[^.!?]*"
    r"|viewer discretion(?: is)? advised"
    r")[\s.!:;…*]*",
    re.IGNORECASE,
)


def notice_line(line: str) -> bool:
    """Whether `line`, as a whole, is a page's notice rather than reporting: a correction or
    update notice, a call to action ("Please try again later", "To advertise ..., click
    here", "Follow us on Twitter"), a date stamp or byline's chrome, Wikipedia's furniture, a
    stream's "Live on Periscope" label, a newsletter's lone section head, a content warning."""
    line = line.strip()
    if not 0 < len(line) <= MAX_CHARS or not may_be_notice(line):
        return False
    return _NOTICE_RE.fullmatch(line) is not None


def may_be_notice(line: str) -> bool:
    """A cheap test `notice_line` passes first (every sentence of every text is asked): whether
    `line` opens as a notice can, or holds a stream's "live on"."""
    head = line.lstrip("*—–-/ ")[:8].lower()
    return (
        head[:3] in _NOTICE_OPENINGS
        or head.startswith(_LONG_OPENINGS)
        or "ive on" in line
        or "IVE ON" in line
    )


# How every notice above can begin (past "*", dashes and "/"), lowercased: keep in step. A
# stream's label opens on its name, and is looked for by its "live on" instead.
_NOTICE_OPENINGS = frozenset(
    [
        *"upd cor cla edi sor oop som ple fol pub pos las mod adv fro jum ret"
        " why bet bot wha yes dri fla our zoo sta rea cat war cau vie".split(),
        *("an ", "a p", "by ", "go ", "be "),
    ]
)
# Openings common in reporting ("The", "This", "To", "For", "We"), told by more of their words.
_LONG_OPENINGS = (
    "the big ", "the bott", "the back", "the intr", "this art", "this sto", "this pos",
    "this pie", "this rep", "this col", "this ver", "this ite", "this pag", "to adver",
    "to subsc", "to sign ", "to donat", "to unsub", "for adve", "we regre",
)  # fmt: skip
