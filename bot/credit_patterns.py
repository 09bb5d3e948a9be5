"""The regular expressions a picture's credit and caption are read by, for `bot.boilerplate`.

A footer's or a credit's name, the labels that head a credit ("Photo:", "Image credit:",
"Credit:"), the picture agencies, an agency's credit in a caption ("REUTERS/Jane Roe"), how a
caption opens, a gallery's buttons and a lone credit. Pattern text only: what counts as
boilerplate, a credit or a caption is decided in `bot.boilerplate`, which builds its footer
patterns from the same names. Whether the words after a bare "Credit:" are a name is
`bot.credit_names`'.
"""

from __future__ import annotations

import re

from bot.page_furniture import NETWORK

# A name as a footer gives it: a site ("Island News", "Web • Tech • Audio", "the kagi.ai
# blog", "David duChemin - Photographer, Author") or a copyright holder ("Island News, Inc.").
# A few words, each capitalised (or "iMore"-style), a domain, a number, a separator or a
# lowercase joining word ("Collective Action in Tech"); a verb ("was", "rose") or a clause
# ("on Sunday was shared ...") is not a name, so a sentence carrying on after one is reporting.
# A word keeps a full stop only inside it ("Boston.com"), after an initial or a company
# abbreviation: "Island News. All rights reserved." is a name and a second sentence. The
# case tests are case-sensitive inside the case-insensitive whole, and no two kinds of word
# match the same text, so a run of almost-names fails fast instead of backtracking.
NAME_WORD = (
    r"(?:(?-i:Inc|Ltd|Co|Corp|Pty|Jr|Sr|St|Bros|[A-Z])\.,?"
    r"|(?-i:[A-Z0-9À-ÖØ-Þ]|[a-z]+[A-Z])[\w'’&+-]*(?:\.[\w'’&+-]+)*,?"
    r"|(?-i:[a-z][a-z0-9-]*)(?:\.[\w-]+)+,?"
    r"|(?-i:of|in|at|and|the|a|an|de|du|des|la|le|les|el|del|di|da|van|von|der|den|for|und|y|et"
    r"|blog|site|website|newsletter|podcast|magazine)\b,?"
    r"|[&•|·:/–—-])"
)
NAME = rf"{NAME_WORD}(?:\s+{NAME_WORD}){{0,9}}"
# A photo credit names its photographer and agency joined by a slash, spaced or not ("Jane
# Roe/Tide Agency", "AP Photo / Jane Roe"): a name as above, or names joined by "/".
CREDIT = rf"{NAME_WORD}(?:(?:\s+|/){NAME_WORD}){{0,11}}"
PICTURE_LABEL = (
    r"(?:(?:photo(?:graph)?|image|picture|pic|video|illustration|graphic)s?(?: credits?)?:"
    r"|(?:photo(?:graph)?|image|picture)s? (?:by|courtesy(?: of)?))"
)
CREDIT_LABEL = rf"(?:{PICTURE_LABEL}|credits?:)"
# Outside brackets a label may head a gallery's, a video's or a chart's own title ("Video:
# Protesters Storm Parliament", "Photos: Queen Elizabeth II Lies in State"): after such a label
# only a credit that shows itself one counts, photographer and agency joined by a slash or a
# picture agency. A label that only ever heads a credit ("Photo:", "Image credit:", "Photos by")
# takes any name, as in brackets.
CREDIT_ONLY_LABEL = (
    r"(?:(?:photo(?:graph)?|image)(?: credits?)?|(?:photo|image)s? credits?):"
    r"|(?:photo(?:graph)?|image|picture)s? (?:by|courtesy(?: of)?)"
)
TITLE_LABEL = r"(?:photos|images|pictures?|pics?|videos?|illustrations?|graphics?):"
AGENCY = (
    r"(?-i:AP|AFP|Reuters|REUTERS|Getty|EPA|EFE|Shutterstock|Alamy|PA|Bloomberg|Xinhua|dpa"
    r"|Anadolu|NurPhoto|Sipa|iStock|Unsplash|Pool|NASA)"
)
# A credit that shows itself one: photographer and agency joined by a slash, or an agency.
SHOWN_CREDIT = (
    rf"(?:(?=[^/]*\S/|.*\s/\s){CREDIT}"
    rf"|(?:{NAME_WORD}\s+){{0,4}}{AGENCY}\b(?:\s+{NAME_WORD}){{0,2}})"
)
# Where a name ends inside a caption: a headline's words would run on.
NAME_END = r"\s*(?:$|[,./|;]|(?:for|via)\b)"
# A bare "Credit:" heads a credit-market item or a film's credits as well as a picture's ("Credit:
# Moody's Downgrades Israel"): after it, besides a credit that shows itself one, only a credit
# as a picture's is given counts: "Courtesy of ...", a handout's or a pool's, or a name, a
# person's or a press's, maybe with ", Affiliation" or "for/via Outlet". Whether the words are
# a name or a headline is `bot.credit_names`' rule, read in `bot.boilerplate._named_credit`.
# "Handout", "Pool", "File" stand alone as a credit, or before a slash and a name: a word that
# merely starts with one ("Pooled funds grew ...", "File sharing was blamed ...") is reporting.
CREDIT_NAMED = (
    rf"credits?:\s*(?:{SHOWN_CREDIT}|courtesy(?: of)?\s+{CREDIT}"
    rf"|(?:handout|pool|file)(?: (?:photo|image|picture)s?)?\b(?:\s*/\s*{CREDIT})?"
    rf"(?={NAME_END}))"
)
CREDIT_HEAD_RE = re.compile(r"credits?:\s*", re.IGNORECASE)
# What may follow a credit's name on its line: an affiliation, or the outlet it worked for.
AFTER_NAME_RE = re.compile(
    rf"(?:,\s*{NAME}|\s+(?:for|via)\s+{NAME})?[\s.!:;…]*", re.IGNORECASE | re.DOTALL
)
NAME_ENDS_RE = re.compile(NAME_END, re.IGNORECASE)
BARE_CREDIT = (
    rf"(?:{CREDIT_ONLY_LABEL})\s*{CREDIT}"
    rf"|{TITLE_LABEL}\s*{SHOWN_CREDIT}"
    rf"|{CREDIT_NAMED}"
)
# An agency's credit in a caption: the agency, a slash and the photographer or a second agency
# ("REUTERS/Jane Roe", "AFP/Getty Images", "REUTERS/Stringer"), ending the sentence or glued
# before the next one ("... on Sunday. REUTERS/Jane Roe Rangers closed ..."). Not such a pair
# inside prose, where lowercase words run on after it: "a Bloomberg/Morning Consult poll shows",
# "the EPA/DOT rule", "the AFP/Getty photographer".
CAP_WORD = r"(?-i:[A-Z][\w.'’-]*)"
AGENCY_SLASH = (
    r"\b(?-i:REUTERS|AFP|AP Photo|Getty Images|EPA|Bloomberg|Xinhua)/"
    rf"(?:{CAP_WORD}(?:(?:\s+|/){CAP_WORD}){{1,3}}"
    r"(?=\s*(?:$|[.;|–—-])|\s+(?-i:[A-Z])[\w'’]*\s+(?-i:[a-z]))"
    rf"|(?:{AGENCY}(?:\s+Images)?|(?-i:[A-Z][a-z][\w'’-]*))(?=\s*(?:$|[.;|])))"
)
_PICTURE_WORD = r"(?:photo(?:graph)?|image|picture|frame grab|video image|handout photo)"
_GIVEN_BY = r"(?:provided|released|taken|made available|obtained|distributed|supplied) by"
# A word between "this" and the picture: a date's or a kind's ("In this June 3, 2019, photo"),
# never a verb, which makes it prose about a picture ("This is a combat picture, pure and ...").
_BEFORE_PICTURE = r"(?:(?!(?:is|was|are|were|it[’']s|that[’']s)\b)[\w.'’-]+,? )"
# A sentence giving its words to a speaker at its end is reporting, whatever it opens on: "This
# photo shows how far the water rose, the mayor said on Monday."
_NOT_ATTRIBUTED = (
    r"(?!.*,\s(?:[\w'’-]+\s){1,4}(?:said|says|say|told|added|wrote|explained|noted)\b[^,]{0,40}$"
    r"|.*\baccording to\b)"
)
WIRE_CAPTION = (
    rf"{_NOT_ATTRIBUTED}(?:"
    rf"(?:in )?this {_BEFORE_PICTURE}{{0,6}}?(?:file )?{_PICTURE_WORD}"
    rf"(?:,\s|\s+{_GIVEN_BY}\s|\s+(?:provided|released) (?:on|via)\s)"
    rf"|this {_BEFORE_PICTURE}{{0,6}}?(?:file )?{_PICTURE_WORD},?\s+(?:{_GIVEN_BY}\s.{{1,80}}?\s)?"
    r"shows\s)"
)
# A caption's or a credit's opening: a picture label, a credit label before a credit, "Credit
# Doug Mills/The New York Times", an agency's credit, an archive photo's "FILE - ...".
CAPTION_START = (
    rf"(?:{PICTURE_LABEL}|{CREDIT_NAMED}"
    r"|credits?\s+(?-i:[A-Z][\w.'’-]+\s+[A-Z][\w.'’-]+)/"
    rf"|{AGENCY_SLASH}"
    # The wire's mark on an archive photo's caption: "FILE - In this 2016 file photo, ...".
    r"|(?:\([^()]{1,40}\)\s+)?(?-i:FILE)\s*(?:[—–]|-{1,2})\s"
    # The wire's caption without it: "In this June 3, 2019, photo, ...", "In this image
    # released by ...", "This undated photo provided by ... shows": the picture, then a comma
    # or who gave it. Not "In this photo-heavy campaign, ..." nor "This image of the port ...".
    rf"|(?:\([^()]{{1,40}}\)\s+)?(?:{WIRE_CAPTION})"
    # An agency's archive picture credited first: "AP file photo/Jane Roe: ...".
    rf"|{AGENCY}\s+(?:file\s+)?photo\b(?!s)"
    # A broadcaster's picture or clip, its label glued to its caption: "Image copyright AFP
    # Image caption Crowds ...", "Media playback is unsupported on your device Media caption".
    r"|(?-i:Image|Media) (?:copyright|caption)\b|media playback is unsupported"
    # Sharing buttons before a picture's label: "Facebook Twitter Pinterest Photograph: ...".
    rf"|(?:{NETWORK}\s+)+{PICTURE_LABEL}"
    # Two agencies' credit opening a caption: "AFP/Getty Images LeBron James holds ...".
    rf"|{AGENCY}/{AGENCY}(?:\s+Images)?\s)"
)
# A line that is a caption, by how it opens: picture furniture, never a TL;DR bullet or an
# angle's line. What merely carries a credit-like word inside its prose stays reporting.
CAPTION_LINE_RE = re.compile(rf"^{CAPTION_START}", re.IGNORECASE)
# A photo gallery's buttons, glued to the caption they sit under ("... at the market. Hide
# Caption 2 of 6 Photos: ...", "— Jane Roe + Read Caption Share Photo", "Enlarge this image
# toggle caption Jane Roe/AP"). Written as the pages write them, and only where they read as
# buttons: two run together, a gallery's counter after "Hide Caption", or a label alone on a
# short line. Prose says the same words ("lets users share photo albums", "hide caption
# settings"), in lowercase and among other words.
BUTTON = r"(?:Hide Caption|Read Caption|Share Photo|Enlarge this image|i?[Tt]oggle caption)"
GALLERY_BUTTONS_RE = re.compile(
    rf"\b{BUTTON}(?:\s*[+|]?\s*{BUTTON}\b| \d+ of \d+\b)|^\W*{BUTTON}\b(?:\W+\w+){{0,5}}\W*$"
)
# Picture furniture anywhere in a sentence, for the quote and the headline, which must not carry
# it: besides a caption's opening, an agency's credit after the caption's last words ("Dockers
# cheer. REUTERS/Jane Roe"), "(Photo ...)", a "Story highlights" box glued to its first item.
# Not whole-sentence boilerplate (the caption may carry reporting, so ingest keeps it).
CAPTION_CREDIT_RE = re.compile(
    rf"^(?:story highlights\b|{CAPTION_START})|{AGENCY_SLASH}|\((?:photo|image|picture)\b",
    re.IGNORECASE,
)
# A caption's credit glued before the page's next headline, set off by a bar: "... in Denver.
# | AP Photo Ferry Strike Ends ...", "... on Monday. | Jane Roe/Harbour Post Ferry Strike
# Ends ...". A bar and a picture's credit are no prose.
PIPE_CREDIT_RE = re.compile(
    rf"\s\|\s*(?:{AGENCY}(?:\s+(?-i:Photo|Images))?"
    rf"|{CAP_WORD}(?:\s+{CAP_WORD}){{0,3}}\s*/\s*{CAP_WORD}(?:\s+(?-i:Images))?)\s+(?-i:[A-Z])"
)
# A picture agency's credit in brackets, alone or ending a caption's teaser cut short: "(AP
# Photo/Jane Roe)", "A ferry ran aground near the... (Associated Press)". Opening a story,
# "(Reuters) - ..." is a dateline; after a sentence's own words it may be its source.
ENDING_CREDIT_RE = re.compile(
    r"(?:^|(?:\.\.\.|…)\s*)\((?-i:Associated Press|AP(?: Photo)?(?:\s*/[^()]{1,60})?|Reuters|AFP(?:\s*/[^()]{1,60})?"
    r"|Getty Images|EPA(?:\s*/[^()]{1,60})?)\)[\s.]*$"
)
# An embedded tweet's page text: its picture link, or its signature ("— Jane Roe (@janeroe)
# January 7, 2017"), which a scraped page keeps after the tweet's words.
TWEET_EMBED_RE = re.compile(
    r"\bpic\.twitter\.com/\w+|—\s*[^—()]{1,60}\(@\w{1,15}\)\s+(?:January|February|March|April"
    r"|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}"
)
# A wire caption's date: the weekday, the date and the year ("Thursday, Oct. 3, 2013"), which a
# caption gives the moment its picture was taken and a news story's own sentences do not.
CAPTION_DATE_RE = re.compile(
    r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? (?:Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.?"
    r" \d{1,2}, (?:19|20)\d\d\b"
    r"|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? (?:January|February|March|April|May|June"
    r"|July|August|September|October|November|December) \d{1,2}, (?:19|20)\d\d\b"
)
# A picture's credit alone, photographer and agency: "Jane Roe/Getty Images", "(Jane Roe/AFP)".
LONE_CREDIT_RE = re.compile(
    rf"\(?\s*{CREDIT_LABEL}?\s*(?-i:[A-Z][\w.'’-]*)(?:\s+(?-i:[A-Z][\w.'’-]*)){{0,3}}\s*/\s*"
    rf"{AGENCY}(?:\s+Images)?(?:\s+for\s+{NAME})?\s*\)?[\s.]*",
    re.IGNORECASE,
)
