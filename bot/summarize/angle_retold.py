"""Whether an angle's line tells the card again: its headline or a bullet in other words, by one
core claim or by the card's main count (`retells_card`), or by its subject and act with no name or
figure of its own (`retells_act`), or, for the lines given only for want of any other, by most of
its telling words (`mostly_told`).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.summarize.acts import decisive_verbs, two_facts
from bot.summarize.angle_lines import line_detail
from bot.summarize.angle_quotes import common_stem
from bot.summarize.claim_figures import ONE_COUNT_MIN, main_figure, same_amount, story_counts
from bot.summarize.grounding import figures
from bot.summarize.quotes import Told
from bot.summarize.restated import RARE_DOCS, roots, same_core
from bot.summarize.same_act import same_act
from bot.summarize.sentences import content_stems
from bot.summarize.wordmodel import DOC_FREQ

# Share of a rescued line's telling words the card's headline and bullets give, past which the
# line tells the card again in other words (`mostly_told`).
TOLD_STEMS_SHARE = 0.5


def mostly_told(line: str, told: Told) -> bool:
    """Whether most of the words of an angle `line`'s detail that news at large seldom uses are
    the card's headline's or a bullet's: the line tells the card again in other words, with a
    word or two of its own (a spokesperson's statement quoting the claims a bullet already
    gives, "in a statement to The Hill" its only news). Asked of the
    lines given only for want of any other (`angle_line`'s `rescue`, `_title_line`): the
    usual ones carry a detail the others lack by how they were picked."""
    stems = set(content_stems(line_detail(line)))
    telling = {s for s in stems if not common_stem(s)} or stems
    card = told.headline.union(*(b for b, _ in told.bullets))
    return len(telling & card) > TOLD_STEMS_SHARE * len(telling)


# Share of a line's counts a headline or bullet giving its main count must give too, and at
# least TOLD_FIGURES_MIN of them, for the line to add nothing by its figures ("reached 348,000,
# down 29,000 from 377,000" under a bullet's "dropped 29,000 to 348,000"). One shared figure may
# be the setting of the outlet's own fact ("the €1.8 billion bill would crowd out dredging").
TOLD_FIGURES_SHARE = 2 / 3
TOLD_FIGURES_MIN = 2


def retells_card(line: str, told: Told, by_core: bool = True) -> bool:
    """Whether an angle `line`'s detail tells the headline or a bullet again in other words:
    one fact by `restated.same_core` (one core claim, one event, one count of one thing), or
    the card's main count with most of the line's counts, two at least. A framing before the
    detail (`angle_lines.line_detail`) is the card's, not the outlet's; a colon in the
    outlet's own words is theirs. `by_core` False: the line is built to go on past a bullet's
    fact, so telling that fact is no retelling, but its figures still are."""
    detail = line_detail(line)
    stems = frozenset(content_stems(detail))
    # An age or a small tally ("the 13-year-old") is no measure of the story: hometowns of a
    # bullet's "two girls, ages 13 and 15" are the outlet's own detail.
    counts = [
        c
        for c in story_counts(detail)
        if c.role == "count" and (c.unit or c.value >= ONE_COUNT_MIN)
    ]
    main = main_figure(counts)
    for text in filter(None, [told.headline_text, *told.texts]):
        if by_core and same_core(detail, stems, text, frozenset(content_stems(text))):
            return True
        # The card's texts are asked again for each angle's line: the story's cache.
        theirs = [c.value for c in story_counts(text) if c.role == "count"]
        if main is None or not any(same_amount(main.value, t) for t in theirs):
            continue
        given = sum(1 for c in counts if any(same_amount(c.value, t) for t in theirs))
        if given >= max(TOLD_FIGURES_MIN, TOLD_FIGURES_SHARE * len(counts)):
            return True
    return False


# Share of a card text's words (roots) a line with its subject must give, and how many of them
# rare in news at large, for the line to tell that text's act again in other verbs ("was shot
# dead by unidentified attackers in his residence" under "was assassinated at his home by
# gunmen"), as a share of the shorter one's.
ACT_WORDS_SHARE = 0.5
ACT_RARE_MIN = 2
# Words of a main clause with no finite verb read as its subject (a headline's "Mayor Vane to
# sign ..." reaches "sign").
_SUBJECT_WORDS = 6


def retells_act(
    line: str, told: Told, names: Sequence[str] = (), numbers: Sequence[str] = ()
) -> bool:
    """Whether an angle `line`'s detail tells the act of the card's headline or a bullet again
    in its own words, and brings no name or figure of its own to make up for it: one act of one
    subject (`same_act`), or one subject with most of the text's words, two of them rare. Its
    `names` and `numbers` are those no other outlet gives (`angle_picks.Pick`); of these, a
    name the card lacks counts only when rare in news at large and outside the line's subject
    ("Pulitzer Prize-winning journalist Ada Wren" describes the card's Ada Wren), a figure only
    when the card does not give it. A line retelling the act with a whole bullet and a clause
    past it ("..., extending the pledge he made last week") adds no fact either: the outlet's
    next detail says what it adds."""
    detail = line_detail(line)
    card = roots(told.headline.union(*(b for b, _ in told.bullets)))
    card |= _split_roots(" ".join([told.headline_text, *told.texts]))
    subject = _subject(detail)
    if _own_figure(detail, numbers, told.figures) or any(
        _own_name(n, card, subject) for n in names if n in detail
    ):
        return False
    stems = roots(frozenset(content_stems(detail)))
    for text in filter(None, [told.headline_text, *told.texts]):
        if same_act(detail, text):
            return True
        theirs = roots(frozenset(content_stems(text)))
        shared = stems & theirs
        # Of the shorter's words: a line cut short of its tail tells the act no less.
        least = min(len(stems), len(theirs))
        if not (subject & _subject(text)) or len(shared) < ACT_WORDS_SHARE * least:
            continue
        rare = sum(1 for s in shared if DOC_FREQ.get(s, 0) <= RARE_DOCS)
        if rare >= ACT_RARE_MIN and not two_facts(detail, text):
            return True
    return False


def _subject(text: str) -> frozenset[str]:
    """The roots of `text`'s subject: its main clause's words before its main verb, or its
    first few words when none is found ("Reuters and other outlets, citing ..., reported")."""
    tokens, at, _ = decisive_verbs(text)
    head = " ".join(tokens[: at[0]] if at else tokens[:_SUBJECT_WORDS])
    return roots(frozenset(content_stems(head))) | _split_roots(head)


def _split_roots(text: str) -> frozenset[str]:
    """The roots of `text`'s words with hyphenated words read apart too: "Prize-winning" holds
    "prize", "Taliban-controlled" the card's "Taliban"."""
    return roots(frozenset(content_stems(text.replace("-", " "))))


def _own_name(name: str, card: frozenset[str], subject: frozenset[str]) -> bool:
    """Whether `name` tells the reader something the card does not: a word of it rare in news
    at large ("East Coast", not "United States") and neither the card's nor the subject's."""
    return any(
        DOC_FREQ.get(s, 0) <= RARE_DOCS and s not in card and s not in subject
        for s in _split_roots(name)
    )


def _own_figure(detail: str, numbers: Sequence[str], given: frozenset[str]) -> bool:
    """Whether one of `numbers` the line shows is a figure the card does not give."""
    return any(n in detail and figures(n) - given for n in numbers)
