"""Whether an outlet's paragraph is about the story at all, and whether its words are its own.

Words no other outlet uses make an angle, so a paragraph on another subject (a roundup's
"pressure on Putin" under a singer's death) would be the most novel text an outlet has; and so
would another publication's words an outlet relays ("..., said Politico"; a roundup's excerpt
of a Washington Post column), which as its angle would credit it with them.
"""

from __future__ import annotations

import re

from bot.summarize.quote_marks import quotation_bounds
from bot.summarize.sentences import content_stems, split_sentences
from bot.summarize.wordmodel import DOC_FREQ

# The story's core terms (the headline's, the outlet's own title's, and any two outlets share) a
# paragraph must use to be about the story at all.
MIN_CORE_TERMS = 2
# A shared word in at most this many of the lexicon's 7,356 articles ("harbour", "ceasefire") is
# the story's own as much as a headline word is; "talks", "peace", "nation" are everyone's.
DISTINCT_DOCS = 40


def off_topic_paragraphs(
    text: str, core: frozenset[str], limit: int = 30, own: frozenset[str] = frozenset()
) -> list[str]:
    """The paragraphs of `text` that use too few of the story's core terms to be about it, or,
    given `own` (the headline's and the outlet's own title's words), none of those: a roundup's
    other item shares "talks", "nation" and "peace" with whatever else two outlets covered.

    By paragraph, not sentence: a sentence going on with its paragraph ("A ruling is expected by
    November.") often names nothing of the story, while an editorial's aside on another subject
    is a paragraph of its own. A text of one paragraph is the story's own article, all of it.
    Only paragraphs holding the first `limit` sentences are read: the angle finder reads no
    further.
    """
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if len(paragraphs) < 2:
        return []
    off: list[str] = []
    single_off: list[str] = []
    seen = read = 0
    for paragraph in paragraphs:
        if seen >= limit:
            break
        n = len(split_sentences(paragraph, limit - seen))
        seen, read = seen + n, read + 1
        shared = core.intersection(content_stems(paragraph))
        if len(shared) < MIN_CORE_TERMS or (own and not _distinct(shared, own)):
            (single_off if n == 1 else off).append(paragraph)
    # Ingest makes every block tag a line break, so a feed with a <p> per sentence gives each
    # sentence a paragraph of its own, and an outlet's own detail rarely repeats two of the
    # story's words. When most of a text so read is "off topic", the text is not: its breaks
    # are no change of subject. A one-sentence aside among on-topic paragraphs still goes.
    if 2 * len(single_off) <= read:
        off += single_off
    return off


def _distinct(shared: frozenset[str], own: frozenset[str]) -> bool:
    """Whether the core words a paragraph shares include one of the story's own: a word of the
    headline or the outlet's title, or one few articles use."""
    return not own.isdisjoint(shared) or any(DOC_FREQ.get(s, 0) <= DISTINCT_DOCS for s in shared)


# Another publication, as an outlet names the one it quotes: "The Washington Post", "Politico’s
# Jamie Dettmer", "the BBC’s correspondent", "The Associated Press", "Fox News". A name ending in
# one of these words, or one of them. Each word is anchored at its start and capped in length: a
# word may start at any capital of a long glued token ("AbAbAb..."), and each start re-read the
# token to its end (a 59,000-character token: a minute of CPU).
_WORD = r"[A-Z][\w.&-]{0,40}"
_NEWS_WORDS = (
    r"Times|Journal|Guardian|Telegraph|Herald|Tribune|Review|Magazine|Atlantic|Economist"
    r"|Globe|Independent|Observer|Gazette|Chronicle|Politico|Reuters|Bloomberg|CNN"
    r"|CNBC|BBC|NPR|NBC|ABC|CBS|AFP|AP|Jazeera|Axios|Slate|Monde|Spiegel|Insider|Newsweek|Vox"
    r"|Haaretz|Xinhua|Tass|TASS|News|Press|Presse|France-Presse|Kyodo|Yonhap|Interfax|Anadolu"
    r"|Novosti|Arabiya|Figaro|Semafor|Mirror"
)
# "Post", "Mail" and "Express" name companies too ("Canada Post said", "American Express said"):
# a paper is "the Washington Post", "the Daily Mail", never "the Royal Mail".
_PAPER_OR_COMPANY = r"Post|Mail|Express"
_COMPANIES = r"(?!(?:[Tt]he\s+)?(?:Royal\s+Mail|Canada\s+Post|Deutsche\s+Post|Post\s+Office)\b)"
_PUBLICATION = (
    rf"(?<![\w.&'’-]){_COMPANIES}"
    rf"(?:(?:[Tt]he\s+)?(?:{_WORD}\s+){{0,3}}(?:{_NEWS_WORDS})"
    rf"|(?:[Tt]he|Daily|Sunday|Evening|Morning)\s+(?:{_WORD}\s+){{0,3}}(?:{_PAPER_OR_COMPANY})"
    r")(?:['’]s)?\b"
)
_SAYS = r"(?:said|says|wrote|writes|reported|reports|told|noted|argued|argues|according\s+to)"
# "..., said Politico", "The Jerusalem Post reported", "..., to CNBC.": the words are that
# publication's (or given to it), relayed by the outlet.
_CREDITS_PUBLICATION_RE = re.compile(
    rf"\b{_SAYS}\s+{_PUBLICATION}|{_PUBLICATION}\s+{_SAYS}\b|,\s+to\s+{_PUBLICATION}"
)
# A roundup's byline paragraph: "Jane Roe at The Washington Post", "Bloomberg editorial board".
_BYLINE_RE = re.compile(
    rf"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,3}}\s+(?:at|in|for)\s+{_PUBLICATION}$"
    r"|^(?:[A-Z][\w.&'’-]*\s+){1,4}editorial board$"
)
_BYLINE_MAX_WORDS = 12


def credits_publication(sentence: str) -> bool:
    """Whether `sentence` gives its words to another publication ("..., said Politico"): as an
    outlet's angle it would credit the outlet with what it relays."""
    return _CREDITS_PUBLICATION_RE.search(sentence) is not None


def relays(previous: str, sentence: str, text: str) -> bool:
    """Whether `sentence` of `text` gives another publication's words: it credits one, or it
    goes on quoting one the sentence before it, in the same paragraph, credited ("..., said Al
    Jazeera. Recent moves "put two carriers ..."")."""
    if credits_publication(sentence):
        return True
    if not previous or not credits_publication(previous) or not quotation_bounds(sentence):
        return False
    return f"{previous} {sentence}" in text


# Quoted words past this many are someone's statement, not a title or a scare-quoted word.
_QUOTATION_MIN_WORDS = 4
# A verb giving words to someone ("said", "told", "shouted", "according to"), by its stem: a
# verb missed here only hides a line, so the list leans wide.
_SPEECH_RE = re.compile(
    r"\b(?:say|said|tell|told|add|warn|writ|wrote|argu|insist|note|ask|claim|call|describ|urg"
    r"|predict|shout|yell|chant|cr(?:y|ie)|tweet|post|read|repl(?:y|ie)|stat|declar|vow|promis"
    r"|pledg|explain|announc|stress|recall|admit|acknowledg|conced|remark|quot|quip|jok|dub"
    r"|label|brand|term|accord|caution|tout|boast|complain|lament|contend|maintain|assert|alleg"
    r"|observ|respond|retort|wonder|recount|testif|confirm|den(?:y|ie)|emphas|reiterat|hail"
    r"|blast|slam|decr|critici|prais|mock|suggest|conclud|express)\w*",
    re.IGNORECASE,
)


def quotes_no_one(sentence: str) -> bool:
    """Whether `sentence` quotes someone's statement without naming who said it ('The conflict
    could create "something that would put the regime on a path to collapse."'): the speaker is
    in a sentence before it, and as an angle's line the words would read as the outlet's own."""
    bounds = quotation_bounds(sentence)
    # Counted up to the bar only: nested quotations, each counted whole, made a sentence of
    # 15,000 marks nested cost the square of the depth.
    quoted_words = 0
    for a, b in bounds:
        quoted_words += len(sentence[a:b].split())
        if quoted_words >= _QUOTATION_MIN_WORDS:
            break
    else:
        return False
    outside, last = [], 0
    for start, end in sorted(bounds):
        if start >= last:
            outside.append(sentence[last:start])
            last = end
    outside.append(sentence[last:])
    return _SPEECH_RE.search(" ".join(outside)) is None


def relayed_paragraphs(text: str) -> list[str]:
    """The paragraphs of `text` under a byline naming another publication's writer ("Jane Roe at
    The Washington Post"), up to the next short line, and the short line just above the byline
    (the column's own title): a roundup's excerpt of someone else's column, which is no reporting
    of the outlet's own."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    relayed: list[str] = []
    under_byline = False
    for i, paragraph in enumerate(paragraphs):
        if len(paragraph.split()) <= _BYLINE_MAX_WORDS:
            under_byline = _BYLINE_RE.match(paragraph) is not None
            if under_byline and i > 0 and len(paragraphs[i - 1].split()) <= _TITLE_MAX_WORDS:
                relayed.append(paragraphs[i - 1])
        elif under_byline:
            relayed.append(paragraph)
    return relayed


# A column's title above its byline is at most this long.
_TITLE_MAX_WORDS = 20
