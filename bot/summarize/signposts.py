"""Labels an outlet puts before a sentence of its body: a newsletter's signpost ("Why it matters:",
"The big picture:"), a transcript's speaker ("GEORGE SMITH:", "HOST:") and a list's marker ("• ",
"- ", "* ": a bulleted paragraph's line is its own sentence, its marker kept by the splitter).

Neither is the sentence's news: as the first words of a bullet they read as page furniture, and
a speaker's label tells who speaks in a transcript, not who did what. `compress` drops them, as
the headline drops a title's "BREAKING:" (`headline`'s own labels, which are a title's words),
and a quote's window is chosen from the words after them (`quotes.verbatim_quote`): what is
left is the end of the outlet's sentence, so still its words verbatim.
"""

from __future__ import annotations

import re

# Signposts of the "smart brevity" newsletter style; a closed list, as "He added:" or "The
# statement said:" open the sentence's own quotation and must stay.
_SIGNPOSTS = (
    r"why it matters|the big picture|big picture|state of play|the state of play|driving the news"
    r"|what they'?re saying|what (?:he|she)'?s saying|what we'?re (?:hearing|watching)"
    r"|what'?s (?:next|happening|new)|what to watch|what we know|the bottom line|bottom line"
    r"|between the lines|zoom (?:in|out)|the backstory|flashback|go deeper|be smart|reality check"
    r"|by the numbers|the numbers|the latest|the other side|the intrigue|the catch|yes,? but"
    r"|catch up quick|where it stands|where things stand|our thought bubble|worth noting|of note"
    r"|context|details|the details|next steps|next up"
)
SIGNPOST_RE = re.compile(rf"^(?i:{_SIGNPOSTS})\s*:\s+(?=[\"“‘'A-Z0-9])")

# Words a label in capitals may hold that name no speaker: a page's own furniture ("RELATED:",
# "READ MORE:", "PHOTOS:"). A sentence opening so is the page's, not a speaker's: it stays as it
# is, and the rules for boilerplate and captions judge it.
_NOT_SPEAKERS = frozenset(
    """
    related read more also photos photo images image video watch listen update updated story
    blog news warning exclusive editorial original content file like follow see click breaking
    live analysis opinion note editor's correction clarification subscribe sign topics tags
    source credit gallery transcript advertisement developing alert caption
    """.split()
)
# A speaker's name in capitals, up to four words ("MARTIN", "GEORGE SMITH", "SEN. ADA HOLM"),
# then the colon and the first words of what they say.
_SPEAKER_RE = re.compile(
    r"^((?:[A-Z][A-Z.'’-]*\s+){0,3}[A-Z][A-Z.'’-]*[A-Z.])\s*:\s+(?=[\"“‘'A-Z])"
)


# A list's marker: a bullet sign or a hyphen, then a space ("-5%" or "*NSYNC" is no marker).
_LIST_MARK_RE = re.compile(r"^[•·▪●◦‣*-]\s+")


def without_signpost(sentence: str) -> str:
    """`sentence` without a list's marker, and then a signpost or a transcript speaker's label,
    before it; as it is when it has none."""
    sentence = sentence[_end(_LIST_MARK_RE.match(sentence)) :]
    match = SIGNPOST_RE.match(sentence)
    if match:
        return sentence[match.end() :]
    match = _SPEAKER_RE.match(sentence)
    if match and not any(w.casefold().strip(".") in _NOT_SPEAKERS for w in match.group(1).split()):
        return sentence[match.end() :]
    return sentence


def _end(match: re.Match[str] | None) -> int:
    return match.end() if match else 0
