"""Feed boilerplate: the footers, links and truncation markers a CMS adds around an article.

WordPress ends an excerpt with "The post <title> appeared first on <site>.", others with
"Continue reading", "Read more", a newsletter plea, a copyright line, a wire or photo credit
("(Image credit: AP)"), and cut excerpts with "[…]". None of it is reporting, yet each reads as a sentence, so it became TL;DR
bullets and quotes. One definition serves both places that drop it: ingest normalisation strips
it from an article's text, and the summariser's sentence split drops such sentences from text
stored before (or from any other source).

Conservative by design: a pattern matches a *whole* sentence or line, never a sentence that
merely mentions reading, rights or a ©. A call to "read more" inside real prose stays. The one
cut inside a sentence is a "Read more" glued to the ellipsis that ends a teaser ("...Read
More"), and only at the very end of the text.

A scraped page's furniture (a player's messages, a web archive's crawl notes, buttons run
together) is `bot.page_furniture`'s: a whole line of it is a caption here too.

Top-level, like `bot.textutil`, so the summariser does not load the fetching stack.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from bot.credit_names import named_credit_end
from bot.page_furniture import NETWORK, furniture_line, page_furniture_end

__all__ = [
    "is_boilerplate",
    "is_caption",
    "is_credit",
    "is_page_furniture",
    "page_furniture_end",
    "strip_boilerplate",
    "strip_truncation",
]

# Each alternative is a whole sentence (matched with fullmatch, case-insensitive).
_ARROWS = r"(?:\s*(?:→|»|›|>>|\.\.\.|…))?"
# A name as a footer gives it: a site ("Island News", "Web • Tech • Audio", "the kagi.ai
# blog", "David duChemin - Photographer, Author") or a copyright holder ("Island News, Inc.").
# A few words, each capitalised (or "iMore"-style), a domain, a number, a separator or a
# lowercase joining word ("Collective Action in Tech"); a verb ("was", "rose") or a clause
# ("on Sunday was shared ...") is not a name, so a sentence carrying on after one is reporting.
# A word keeps a full stop only inside it ("Boston.com"), after an initial or a company
# abbreviation: "Island News. All rights reserved." is a name and a second sentence. The
# case tests are case-sensitive inside the case-insensitive whole, and no two kinds of word
# match the same text, so a run of almost-names fails fast instead of backtracking.
_NAME_WORD = (
    r"(?:(?-i:Inc|Ltd|Co|Corp|Pty|Jr|Sr|St|Bros|[A-Z])\.,?"
    r"|(?-i:[A-Z0-9À-ÖØ-Þ]|[a-z]+[A-Z])[\w'’&+-]*(?:\.[\w'’&+-]+)*,?"
    r"|(?-i:[a-z][a-z0-9-]*)(?:\.[\w-]+)+,?"
    r"|(?-i:of|in|at|and|the|a|an|de|du|des|la|le|les|el|del|di|da|van|von|der|den|for|und|y|et"
    r"|blog|site|website|newsletter|podcast|magazine)\b,?"
    r"|[&•|·:/–—-])"
)
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,9}}"
# A photo credit names its photographer and agency joined by a slash, spaced or not ("Jane
# Roe/Tide Agency", "AP Photo / Jane Roe"): a name as above, or names joined by "/".
_CREDIT = rf"{_NAME_WORD}(?:(?:\s+|/){_NAME_WORD}){{0,11}}"
_PICTURE_LABEL = (
    r"(?:(?:photo(?:graph)?|image|picture|pic|video|illustration|graphic)s?(?: credits?)?:"
    r"|(?:photo(?:graph)?|image|picture)s? (?:by|courtesy(?: of)?))"
)
_CREDIT_LABEL = rf"(?:{_PICTURE_LABEL}|credits?:)"
# Outside brackets a label may head a gallery's, a video's or a chart's own title ("Video:
# Protesters Storm Parliament", "Photos: Queen Elizabeth II Lies in State"): after such a label
# only a credit that shows itself one counts, photographer and agency joined by a slash or a
# picture agency. A label that only ever heads a credit ("Photo:", "Image credit:", "Photos by")
# takes any name, as in brackets.
_CREDIT_ONLY_LABEL = (
    r"(?:(?:photo(?:graph)?|image)(?: credits?)?|(?:photo|image)s? credits?):"
    r"|(?:photo(?:graph)?|image|picture)s? (?:by|courtesy(?: of)?)"
)
_TITLE_LABEL = r"(?:photos|images|pictures?|pics?|videos?|illustrations?|graphics?):"
_AGENCY = (
    r"(?-i:AP|AFP|Reuters|REUTERS|Getty|EPA|EFE|Shutterstock|Alamy|PA|Bloomberg|Xinhua|dpa"
    r"|Anadolu|NurPhoto|Sipa|iStock|Unsplash|Pool|NASA)"
)
# A credit that shows itself one: photographer and agency joined by a slash, or an agency.
_SHOWN_CREDIT = (
    rf"(?:(?=[^/]*\S/|.*\s/\s){_CREDIT}"
    rf"|(?:{_NAME_WORD}\s+){{0,4}}{_AGENCY}\b(?:\s+{_NAME_WORD}){{0,2}})"
)
# Where a name ends inside a caption: a headline's words would run on.
_NAME_END = r"\s*(?:$|[,./|;]|(?:for|via)\b)"
# A bare "Credit:" heads a credit-market item or a film's credits as well as a picture's ("Credit:
# Moody's Downgrades Israel"): after it, besides a credit that shows itself one, only a credit
# as a picture's is given counts: "Courtesy of ...", a handout's or a pool's, or a name, a
# person's or a press's, maybe with ", Affiliation" or "for/via Outlet". Whether the words are
# a name or a headline is `bot.credit_names`' rule, read in `_named_credit` below.
# "Handout", "Pool", "File" stand alone as a credit, or before a slash and a name: a word that
# merely starts with one ("Pooled funds grew ...", "File sharing was blamed ...") is reporting.
_CREDIT_NAMED = (
    rf"credits?:\s*(?:{_SHOWN_CREDIT}|courtesy(?: of)?\s+{_CREDIT}"
    rf"|(?:handout|pool|file)(?: (?:photo|image|picture)s?)?\b(?:\s*/\s*{_CREDIT})?"
    rf"(?={_NAME_END}))"
)
_CREDIT_HEAD_RE = re.compile(r"credits?:\s*", re.IGNORECASE)
# What may follow a credit's name on its line: an affiliation, or the outlet it worked for.
_AFTER_NAME_RE = re.compile(
    rf"(?:,\s*{_NAME}|\s+(?:for|via)\s+{_NAME})?[\s.!:;…]*", re.IGNORECASE | re.DOTALL
)
_NAME_ENDS_RE = re.compile(_NAME_END, re.IGNORECASE)
_BARE_CREDIT = (
    rf"(?:{_CREDIT_ONLY_LABEL})\s*{_CREDIT}"
    rf"|{_TITLE_LABEL}\s*{_SHOWN_CREDIT}"
    rf"|{_CREDIT_NAMED}"
)
_YEAR = r"\d{4}(?:\s*[-–]\s*\d\d(?:\d\d)?)?"
_RIGHTS = r"(?:[.,]?\s+all rights reserved)?"
_DATE = (
    r"(?:,? (?:on|in) (?:(?-i:[A-Z])\w+\.? \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?"
    r"|\d{1,2} (?-i:[A-Z])\w+(?: \d{4})?|(?-i:[A-Z])\w+ \d{4}|\d{4}))?"
)
_SENTENCE_PATTERNS = (
    # WordPress's footer, "The post <title> appeared first on <site>.", and its cousins naming
    # where a piece was first published: the site ends the sentence. Not "The story of the
    # ferry was first published in 1902", nor "The post that first appeared on Facebook on
    # Sunday was shared 10,000 times": reporting can say that.
    r"the (?:post|article) (?!(?-i:that|which|who)\b).+ "
    rf"(?:appeared first|first appeared|was originally published) on {_NAME}",
    r"\[?this (?:article|story|post|piece|review|report|column|interview) (?:was )?"
    rf"(?:originally|first) (?:appeared|published|posted|ran) (?:on|in|at|by|with) {_NAME}"
    rf"{_DATE}\.?\]?",
    # Links to the rest of the article.
    rf"(?:continue|keep) reading{_ARROWS}",
    rf"continue reading\s*[\"“'‘].+[\"”'’]{_ARROWS}",
    rf"continue reading (?:on|at) {_NAME}{_ARROWS}",  # Medium's "Continue reading on Medium »"
    rf"read (?:more|on){_ARROWS}",
    r"read more: .+",  # a related story's headline between paragraphs
    r"read the (?:full|whole|complete|rest of the) (?:story|article|post|piece|report)"
    r"(?: here| (?:at|on) .+)?",
    r"read full (?:topic|story|article|post)",
    r"\[link\] \[comments\]",
    rf"(?:seguir leyendo|continuar leyendo|weiterlesen|mehr lesen|lire la suite|leggi tutto"
    rf"|continua a leggere|lees meer|verder lezen|leia mais|continuar lendo){_ARROWS}",
    # Pleas and credits.
    r"(?:sign up|subscribe)(?: now| today| here)? (?:for|to) (?:our|the|my) .*newsletters?\b.*",
    r"subscribe now",
    # Substack's sign-off: "Thanks for reading City Notes! Subscribe for free to receive new
    # posts and support my work." A name at most: "Thanks for reading the report ..." goes on.
    rf"thanks for reading(?: {_NAME})?[!.]?(?:\s+(?:subscribe for free to receive new posts and"
    r" support (?:my|our) work|this post is public so feel free to share it))?",
    # Share buttons as text: "Share this: Twitter Facebook". Only the label and network names,
    # so "Share this with your neighbours." is a sentence and stays.
    r"share this(?: (?:post|article|story|page))?:?(?:\s*(?:twitter|x|facebook|linkedin|reddit"
    r"|e-?mail|print|whatsapp|telegram|pinterest|tumblr|pocket|mastodon|bluesky|threads"
    r"|copy link)[,|•·]?){0,12}",
    # A link label about reading on or subscribing, a few words long: "Click here", "Click
    # here to read more.", "Click here for the full story.". Not "Click here to see the court
    # filing.", which names what the link holds.
    r"click here(?: (?:to (?:read|continue reading|subscribe|sign up|register|learn more"
    r"|find out more|buy your copy)|for (?:more|(?:the )?(?:other|previous|past|next)"
    r"|the (?:full|whole|complete|rest|latest|original)"
    r"|(?:the )?(?:story|article|post|report|transcript|newsletter|video)))"
    r"(?: [^\s.!?]+){0,5})?",
    # "© 2026 Island News", "Copyright 2026 Island News. All rights reserved.", "(c) 2026
    # Island News": a year and a short name. Not "(c) the board shall ...", a list's third
    # item, nor "Copyright 2024 was a record year ..." or "(c) 2023 revenue rose 5%".
    rf"(?:copyright\s*)?©\s*(?:{_YEAR},?(?:\s+{_NAME})?|(?!\d){_NAME}){_RIGHTS}",
    rf"(?:copyright\s*)?\(c\)\s*{_YEAR},?(?:\s+{_NAME})?{_RIGHTS}",
    rf"copyright\s+{_YEAR},?(?:\s+{_NAME})?{_RIGHTS}",
    r"all rights reserved",
    # Wire credits: "(Reporting by ...; Editing by ...)", "—With reporting by ...".
    r"\((?:additional )?reporting by [^()]+\)",
    r"(?:additional )?reporting by [^;()]+; (?:writing|editing) by .+",
    r"[—–-]*\s*with (?:additional )?reporting (?:by|from) [^.;()]{1,80}",
    # Photo credits, a caption's line or one glued after the last sentence: "(Image credit:
    # AP)", "(Photo: Getty Images)", "Photo: Jane Roe/Tide Agency". A name only after the
    # label, so "Photo: the council released a picture ..." or "The photo, credited to AP,
    # shows ..." is reporting and stays.
    rf"\(\s*{_CREDIT_LABEL}\s*{_CREDIT}\s*\)",
    _BARE_CREDIT,
    # A truncation marker left on its own.
    r"[\[(]\s*(?:…|\.\.\.)\s*[\])]",
)
# An agency's credit in a caption: the agency, a slash and the photographer or a second agency
# ("REUTERS/Jane Roe", "AFP/Getty Images", "REUTERS/Stringer"), ending the sentence or glued
# before the next one ("... on Sunday. REUTERS/Jane Roe Rangers closed ..."). Not such a pair
# inside prose, where lowercase words run on after it: "a Bloomberg/Morning Consult poll shows",
# "the EPA/DOT rule", "the AFP/Getty photographer".
_CAP_WORD = r"(?-i:[A-Z][\w.'’-]*)"
_AGENCY_SLASH = (
    r"\b(?-i:REUTERS|AFP|AP Photo|Getty Images|EPA|Bloomberg|Xinhua)/"
    rf"(?:{_CAP_WORD}(?:(?:\s+|/){_CAP_WORD}){{1,3}}"
    r"(?=\s*(?:$|[.;|–—-])|\s+(?-i:[A-Z])[\w'’]*\s+(?-i:[a-z]))"
    rf"|(?:{_AGENCY}(?:\s+Images)?|(?-i:[A-Z][a-z][\w'’-]*))(?=\s*(?:$|[.;|])))"
)
# A caption's or a credit's opening: a picture label, a credit label before a credit, "Credit
# Doug Mills/The New York Times", an agency's credit, an archive photo's "FILE - ...".
_CAPTION_START = (
    rf"(?:{_PICTURE_LABEL}|{_CREDIT_NAMED}"
    r"|credits?\s+(?-i:[A-Z][\w.'’-]+\s+[A-Z][\w.'’-]+)/"
    rf"|{_AGENCY_SLASH}"
    # The wire's mark on an archive photo's caption: "FILE - In this 2016 file photo, ...".
    r"|(?:\([^()]{1,40}\)\s+)?(?-i:FILE)\s*(?:[—–]|-{1,2})\s"
    # A broadcaster's picture or clip, its label glued to its caption: "Image copyright AFP
    # Image caption Crowds ...", "Media playback is unsupported on your device Media caption".
    r"|(?-i:Image|Media) (?:copyright|caption)\b|media playback is unsupported"
    # Sharing buttons before a picture's label: "Facebook Twitter Pinterest Photograph: ...".
    rf"|(?:{NETWORK}\s+)+{_PICTURE_LABEL}"
    # Two agencies' credit opening a caption: "AFP/Getty Images LeBron James holds ...".
    rf"|{_AGENCY}/{_AGENCY}(?:\s+Images)?\s)"
)
# A line that is a caption, by how it opens: picture furniture, never a TL;DR bullet or an
# angle's line. What merely carries a credit-like word inside its prose stays reporting.
_CAPTION_LINE_RE = re.compile(rf"^{_CAPTION_START}", re.IGNORECASE)
# A photo gallery's buttons, glued to the caption they sit under ("... at the market. Hide
# Caption 2 of 6 Photos: ...", "— Jane Roe + Read Caption Share Photo", "Enlarge this image
# toggle caption Jane Roe/AP"). Written as the pages write them, and only where they read as
# buttons: two run together, a gallery's counter after "Hide Caption", or a label alone on a
# short line. Prose says the same words ("lets users share photo albums", "hide caption
# settings"), in lowercase and among other words.
_BUTTON = r"(?:Hide Caption|Read Caption|Share Photo|Enlarge this image|i?[Tt]oggle caption)"
_GALLERY_BUTTONS_RE = re.compile(
    rf"\b{_BUTTON}(?:\s*[+|]?\s*{_BUTTON}\b| \d+ of \d+\b)|^\W*{_BUTTON}\b(?:\W+\w+){{0,5}}\W*$"
)
# Picture furniture anywhere in a sentence, for the quote and the headline, which must not carry
# it: besides a caption's opening, an agency's credit after the caption's last words ("Dockers
# cheer. REUTERS/Jane Roe"), "(Photo ...)", a "Story highlights" box glued to its first item.
# Not whole-sentence boilerplate (the caption may carry reporting, so ingest keeps it).
_CAPTION_CREDIT_RE = re.compile(
    rf"^(?:story highlights\b|{_CAPTION_START})|{_AGENCY_SLASH}|\((?:photo|image|picture)\b",
    re.IGNORECASE,
)
_BOILERPLATE_RE = re.compile(
    "(?:" + "|".join(_SENTENCE_PATTERNS) + r")[\s.!:;…]*", re.IGNORECASE | re.DOTALL
)
# How every pattern above can begin (first character, or first three letters lowercased): a
# cheap test that spares most lines and sentences the case-insensitive match. Keep in step.
_FIRST_CHARS = frozenset("[(©—–-")
_OPENINGS = frozenset(
    """
    the thi con kee rea rep seg wei meh lir leg lee lei ver sig sub cli cop all add wit sha tha
    pho ima pic vid ill gra cre
    """.split()
)
# "[…]" or "[...]" ending a text or sentence, with whatever punctuation followed it.
_TRUNCATION_RE = re.compile(r"\s*[\[(]\s*(?:…|\.\.\.)\s*[\])][\s.…]*$")
_TRUNCATION_TAIL = 200  # how far back from the end such a marker is looked for
# "... is guaranteed to be...Read More": a teaser's link glued to its ellipsis is one sentence
# to the splitter. Cut only at the end of the text and only right after an ellipsis, so prose
# that ends "... to read more" stays.
_GLUED_MORE_RE = re.compile(
    rf"(?:(?<=…)|(?<=\.\.\.))\s*read more{_ARROWS}[\s.!:;…]*$", re.IGNORECASE
)
_GLUED_MORE_TAIL = 40
# A caption's credit glued to its last words with no full stop between ("... near Nuuk (Image
# credit: Agency)") is no sentence of its own; cut only at the end of the text, like the above.
_GLUED_CREDIT_RE = re.compile(rf"\s*\(\s*{_CREDIT_LABEL}\s*{_CREDIT}\s*\)[\s.]*$", re.IGNORECASE)
_GLUED_CREDIT_TAIL = 200
# Where a sentence may start inside a line: after terminal punctuation (and a closing quote or
# bracket) and a space, before a capital, an opening quote or bracket, or a ©.
_SENTENCE_START_RE = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s+(?=[A-Z\[(\"“©—–-])")
# Boilerplate is short; a longer sentence or tail is never read as one (and costs nothing).
MAX_CHARS = 500
# A real feed ends an entry with a handful of footers at most; a text of thousands of "Read
# more." sentences is hostile, and only its last few are cut.
MAX_TRAILING = 8


def is_boilerplate(sentence: str) -> bool:
    """Whether `sentence`, as a whole, is feed boilerplate rather than reporting."""
    sentence = sentence.strip()
    if not sentence or len(sentence) > MAX_CHARS:
        return False
    if sentence[0] not in _FIRST_CHARS and sentence[:3].lower() not in _OPENINGS:
        return False
    if _BOILERPLATE_RE.fullmatch(sentence) is not None:
        return True
    end = _named_credit(sentence)
    return end is not None and _AFTER_NAME_RE.fullmatch(sentence, end) is not None


def is_credit(sentence: str) -> bool:
    """Whether `sentence` is or carries a picture credit, a "Photo: ..." line or a highlights box:
    the photo-credit boilerplate above, or a credit inside a caption. What a quote or a headline
    must not show."""
    if is_boilerplate(sentence) or _CAPTION_CREDIT_RE.search(sentence) is not None:
        return True
    end = _named_credit(sentence)
    return end is not None and _NAME_ENDS_RE.match(sentence, end) is not None


# A picture's credit alone, photographer and agency: "Jane Roe/Getty Images", "(Jane Roe/AFP)".
_LONE_CREDIT_RE = re.compile(
    rf"\(?\s*{_CREDIT_LABEL}?\s*(?-i:[A-Z][\w.'’-]*)(?:\s+(?-i:[A-Z][\w.'’-]*)){{0,3}}\s*/\s*"
    rf"{_AGENCY}(?:\s+Images)?(?:\s+for\s+{_NAME})?\s*\)?[\s.]*",
    re.IGNORECASE,
)


def is_page_furniture(sentence: str) -> bool:
    """Whether `sentence` is a page's furniture, whole (a player's message, a web archive's
    note, a lone picture credit) or opening on a run of its buttons: what an angle's line, its
    quote and a headline must not show, though a TL;DR may keep the reporting after buttons."""
    sentence = sentence.strip()
    if len(sentence) > MAX_CHARS:
        return False
    if furniture_line(sentence):
        return True
    if _LONE_CREDIT_RE.fullmatch(sentence) is not None:
        return True
    return page_furniture_end(sentence) > 0


def is_caption(line: str) -> bool:
    """Whether `line` as a whole is a picture's caption or credit: boilerplate, or a line opening
    as one ("Photo: ...", "Credit: Jane Roe. ...", "REUTERS/Jane Roe ...", "FILE - ...") or
    carrying a gallery's buttons ("Hide Caption"). What the
    TL;DR and the angles pass over; a sentence of reporting that merely holds a credit-like word
    ("A Bloomberg/Morning Consult poll shows ...") is not one."""
    line = line.strip()
    if is_boilerplate(line) or _CAPTION_LINE_RE.match(line) is not None:
        return True
    # A page's furniture as a whole line is no reporting either; one only opening on buttons
    # may carry reporting after them (`is_page_furniture`).
    if furniture_line(line) or (
        len(line) <= MAX_CHARS and _LONE_CREDIT_RE.fullmatch(line) is not None
    ):
        return True
    if _GALLERY_BUTTONS_RE.search(line) is not None:
        return True
    end = _named_credit(line)
    return end is not None and _NAME_ENDS_RE.match(line, end) is not None


def _named_credit(line: str) -> int | None:
    """Where the person's or press's name after a bare "Credit:" opening `line` ends, or None."""
    if line[:6].lower() != "credit" or len(line) > MAX_CHARS:
        return None
    head = _CREDIT_HEAD_RE.match(line)
    return None if head is None else named_credit_end(line, head.end())


def strip_truncation(text: str) -> str:
    """`text` without a trailing "[…]" / "[...]": "… a dinghy. […]." reads "… a dinghy."."""
    return text[: _truncation_start(text, len(text))]


def _truncation_start(text: str, end: int) -> int:
    """Where a trailing truncation marker in `text[:end]`, with the space before it, starts;
    `end` when there is none. Only the last few characters are read, so a long run of spaces
    costs nothing."""
    tail = text[max(0, end - 6) : end]
    if "]" not in tail and ")" not in tail:
        return end
    m = _TRUNCATION_RE.search(text, max(0, end - _TRUNCATION_TAIL), end)
    return end if m is None else _rstrip_end(text, m.start())


def _rstrip_end(text: str, end: int) -> int:
    """Where `text[:end].rstrip()` ends."""
    while end and text[end - 1].isspace():
        end -= 1
    return end


def strip_boilerplate(text: str) -> str:
    """Article text without boilerplate: lines that are boilerplate wherever they stand, then
    trailing footers sentence by sentence from the end (at most `MAX_TRAILING` of them), and a
    trailing truncation marker.

    Lines are as `html_to_text` leaves them, one per block element. Linear in the text: a
    line of thousands of "Click here." sentences loses its last few, not all of them, and is
    never copied once per sentence."""
    if not text:
        return text
    lines = [line for line in text.split("\n") if not is_boilerplate(line)]
    budget = MAX_TRAILING
    while lines:
        line = _strip_glued_more(strip_truncation(lines[-1]))
        end, cut = _strip_trailing_footers(line, budget)
        lines[-1] = line[:end]
        budget -= cut
        if lines[-1] or not cut or not budget:
            break
        lines.pop()
    if lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _strip_glued_more(line: str) -> str:
    m = _GLUED_MORE_RE.search(line, max(0, len(line) - _GLUED_MORE_TAIL))
    if m is not None:
        return line[: m.start()]
    if not line.endswith((")", ").", ") ")):
        return line
    m = _GLUED_CREDIT_RE.search(line, max(0, len(line) - _GLUED_CREDIT_TAIL))
    return line if m is None else line[: m.start()]


def _strip_trailing_footers(line: str, budget: int) -> tuple[int, int]:
    """Where `line` ends once up to `budget` trailing footers (and the truncation markers
    they leave at the end) are cut, and how many were cut.

    Sentence starts are found once, in the only stretch that many footers can reach; the walk
    back moves an end index instead of slicing the line."""
    end = len(line)
    first = max(0, end - (budget + 1) * MAX_CHARS)
    starts = [m.end() for m in _SENTENCE_START_RE.finditer(line, first)]
    if first == 0:
        starts.insert(0, 0)
    cut = 0
    while cut < budget and end:
        start = _trailing_footer(line, end, starts)
        if start is None:
            break
        cut += 1
        end = _truncation_start(line, _rstrip_end(line, start))
    return end, cut


def _trailing_footer(line: str, end: int, starts: list[int]) -> int | None:
    """Where the boilerplate that ends `line[:end]` starts, or None when it ends with reporting.

    The latest sentence start whose tail is boilerplate wins, so a title with a full stop
    inside it ("The post Vol. 2 appeared first on ...") is still caught as a whole."""
    lo = bisect_left(starts, end - MAX_CHARS)
    for i in range(bisect_left(starts, end) - 1, lo - 1, -1):
        if is_boilerplate(line[starts[i] : end]):
            return starts[i]
    return None
