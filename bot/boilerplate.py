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
together) is `bot.page_furniture`'s: a whole line of it is a caption here too. The patterns for
names, credits and captions are `bot.credit_patterns`'.

Top-level, like `bot.textutil`, so the summariser does not load the fetching stack.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from bot.credit_names import named_credit_end
from bot.credit_patterns import (
    AFTER_NAME_RE,
    BARE_CREDIT,
    CAPTION_CREDIT_RE,
    CAPTION_DATE_RE,
    CAPTION_LINE_RE,
    CREDIT,
    CREDIT_HEAD_RE,
    CREDIT_LABEL,
    ENDING_CREDIT_RE,
    GALLERY_BUTTONS_RE,
    LONE_CREDIT_RE,
    NAME,
    NAME_ENDS_RE,
    PIPE_CREDIT_RE,
    TWEET_EMBED_RE,
)
from bot.page_furniture import furniture_line, may_be_notice, notice_line, page_furniture_end

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
    rf"(?:appeared first|first appeared|was originally published) on {NAME}",
    r"\[?this (?:article|story|post|piece|review|report|column|interview) (?:was )?"
    rf"(?:originally|first) (?:appeared|published|posted|ran) (?:on|in|at|by|with) {NAME}"
    rf"{_DATE}\.?\]?",
    # Links to the rest of the article.
    rf"(?:continue|keep) reading{_ARROWS}",
    rf"continue reading\s*[\"“'‘].+[\"”'’]{_ARROWS}",
    rf"continue reading (?:on|at) {NAME}{_ARROWS}",  # Medium's "Continue reading on Medium »"
    rf"read (?:more|on){_ARROWS}",
    r"read more: .+",  # a related story's headline between paragraphs
    r"read the (?:full|whole|complete|rest of the) (?:story|article|post|piece|report)"
    r"(?: here| (?:at|on) .+)?",
    r"read full (?:topic|story|article|post)",
    r"\[link\] \[comments\]",
    rf"(?:seguir leyendo|continuar leyendo|weiterlesen|mehr lesen|lire la suite|leggi tutto"
    rf"|continua a leggere|lees meer|verder lezen|leia mais|continuar lendo){_ARROWS}",
    # Pleas and credits. A newsletter plea names the newsletter in a few words, then says what
    # the reader gets ("to get ... delivered to your inbox", "and never miss ...") or a second
    # plea; a news sentence opening on the same words goes on as a clause ("... newsletter was
    # made compulsory, the council said"), and a plea quoted in reporting has its reporter.
    r"(?:sign up|subscribe)(?: now| today| here)? (?:for|to) (?:our|the|my)"
    r" (?:[^\s.!?]+ ){0,6}?newsletters?"
    r"(?: here| now| today| for free)?"
    r"(?:,?\s+(?:to|and|for|on|about|with)\b(?![^.!?]*\b(?:said|says|told|tells|according"
    r"|reported|wrote|urged|warned|was|were|had)\b)[^.!?]*"
    r"|\s+(?:sign up|subscribe)\b.*)?",
    r"subscribe now",
    # Substack's sign-off: "Thanks for reading City Notes! Subscribe for free to receive new
    # posts and support my work." A name at most: "Thanks for reading the report ..." goes on.
    rf"thanks for reading(?: {NAME})?[!.]?(?:\s+(?:subscribe for free to receive new posts and"
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
    rf"(?:copyright\s*)?©\s*(?:{_YEAR},?(?:\s+{NAME})?|(?!\d){NAME}){_RIGHTS}",
    rf"(?:copyright\s*)?\(c\)\s*{_YEAR},?(?:\s+{NAME})?{_RIGHTS}",
    rf"copyright\s+{_YEAR},?(?:\s+{NAME})?{_RIGHTS}",
    r"all rights reserved",
    # Wire credits: "(Reporting by ...; Editing by ...)", "—With reporting by ...".
    r"\((?:additional )?reporting by [^()]+\)",
    r"(?:additional )?reporting by [^;()]+; (?:writing|editing) by .+",
    r"[—–-]*\s*with (?:additional )?reporting (?:by|from) [^.;()]{1,80}",
    # Photo credits, a caption's line or one glued after the last sentence: "(Image credit:
    # AP)", "(Photo: Getty Images)", "Photo: Jane Roe/Tide Agency". A name only after the
    # label, so "Photo: the council released a picture ..." or "The photo, credited to AP,
    # shows ..." is reporting and stays.
    rf"\(\s*{CREDIT_LABEL}\s*{CREDIT}\s*\)",
    BARE_CREDIT,
    # A truncation marker left on its own.
    r"[\[(]\s*(?:…|\.\.\.)\s*[\])]",
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
# Where a footer glued to the next one ends: its stop and a space, before a © or a letter.
_GLUED_FOOTER_RE = re.compile(r"(?<=[.!?])\s+(?=[©(\w*])")
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
_GLUED_CREDIT_RE = re.compile(rf"\s*\(\s*{CREDIT_LABEL}\s*{CREDIT}\s*\)[\s.]*$", re.IGNORECASE)
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
    # A page's notices (a correction, "Please try again later", Wikipedia's furniture) are
    # boilerplate wherever they stand: quotes, lines and headlines pass them over too.
    if notice_line(sentence):
        return True
    footer = sentence[0] in _FIRST_CHARS or sentence[:3].lower() in _OPENINGS
    if not footer and not may_be_notice(sentence):
        return False
    if footer:
        if _BOILERPLATE_RE.fullmatch(sentence) is not None:
            return True
        end = _named_credit(sentence)
        if end is not None and AFTER_NAME_RE.fullmatch(sentence, end) is not None:
            return True
    # Footers run together where the split saw one sentence ("... newsletter to get the latest
    # news. © 2026 Island News."): each is one, whole.
    glued = _GLUED_FOOTER_RE.search(sentence)
    return (
        glued is not None
        and is_boilerplate(sentence[: glued.start()])
        and is_boilerplate(sentence[glued.end() :])
    )


def is_credit(sentence: str) -> bool:
    """Whether `sentence` is or carries a picture credit, a "Photo: ..." line or a highlights box:
    the photo-credit boilerplate above, or a credit inside a caption. What a quote or a headline
    must not show."""
    if is_boilerplate(sentence) or CAPTION_CREDIT_RE.search(sentence) is not None:
        return True
    end = _named_credit(sentence)
    return end is not None and NAME_ENDS_RE.match(sentence, end) is not None


def is_page_furniture(sentence: str) -> bool:
    """Whether `sentence` is a page's furniture, whole (a player's message, a web archive's
    note, a lone picture credit) or opening on a run of its buttons: what an angle's line, its
    quote and a headline must not show, though a TL;DR may keep the reporting after buttons."""
    sentence = sentence.strip()
    if len(sentence) > MAX_CHARS:
        return False
    if furniture_line(sentence):
        return True
    if LONE_CREDIT_RE.fullmatch(sentence) is not None:
        return True
    return page_furniture_end(sentence) > 0


def is_caption(line: str) -> bool:
    """Whether `line` as a whole is a picture's caption or credit: boilerplate, or a line opening
    as one ("Photo: ...", "Credit: Jane Roe. ...", "REUTERS/Jane Roe ...", "FILE - ...", "In
    this June 3, 2019, photo, ..."), carrying a gallery's buttons ("Hide Caption") or an agency's
    credit after a bar ("... | AP Photo ...") or in brackets, alone or after its teaser's cut
    ("... near the... (Associated Press)"), an embedded tweet's link or signature, or dated as
    a wire caption is (`_dated_caption`). What the
    TL;DR and the angles pass over; a sentence of reporting that merely holds a credit-like word
    ("A Bloomberg/Morning Consult poll shows ...") is not one."""
    line = line.strip()
    if is_boilerplate(line) or CAPTION_LINE_RE.match(line) is not None:
        return True
    # A page's furniture as a whole line is no reporting either; one only opening on buttons
    # may carry reporting after them (`is_page_furniture`).
    if furniture_line(line) or (
        len(line) <= MAX_CHARS and LONE_CREDIT_RE.fullmatch(line) is not None
    ):
        return True
    if GALLERY_BUTTONS_RE.search(line) is not None or PIPE_CREDIT_RE.search(line) is not None:
        return True
    if _dated_caption(line) or TWEET_EMBED_RE.search(line) is not None:
        return True
    if line.endswith(")") and ENDING_CREDIT_RE.search(line) is not None:
        return True
    end = _named_credit(line)
    return end is not None and NAME_ENDS_RE.match(line, end) is not None


# Past forms that make the words before a wire caption's date a report, not a picture's scene.
# ("left" is no such form: a caption places its people, "Ola Berg, left, speaks ...".)
_PAST = frozenset(
    """
    was were had did said told made took gave came went won lost met held began rose fell
    sent spent found brought bought led ran saw shot struck wrote
    """.split()
)


def _dated_caption(line: str) -> bool:
    """Whether `line` is a wire photo's caption by its date: a scene in the present tense ("Crews
    clear snow from the quay, Thursday, Dec. 20, 2012, in Port Ellis.") dated by weekday, date
    and year. A report of the past ("The mayor resigned on Sunday, October 3, 2021.") is news."""
    if len(line) > MAX_CHARS:
        return False
    date = CAPTION_DATE_RE.search(line)
    if date is None:
        return False
    scene = [w.casefold().strip(".,;:\"'“”‘’()") for w in line[: date.start()].split()]
    return bool(scene) and not any(w in _PAST or (len(w) > 3 and w.endswith("ed")) for w in scene)


def _named_credit(line: str) -> int | None:
    """Where the person's or press's name after a bare "Credit:" opening `line` ends, or None."""
    if line[:6].lower() != "credit" or len(line) > MAX_CHARS:
        return None
    head = CREDIT_HEAD_RE.match(line)
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
