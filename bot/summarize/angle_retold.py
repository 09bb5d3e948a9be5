"""Whether an angle's line tells the card again: its headline or a bullet in other words, by one
core claim or by the card's main count (`retells_card`), or, for the lines given only for want of
any other, by most of its telling words (`mostly_told`). Moved from `angles` unchanged.
"""

from __future__ import annotations

from bot.summarize.angle_lines import line_detail
from bot.summarize.angle_quotes import common_stem
from bot.summarize.claim_figures import ONE_COUNT_MIN, main_figure, same_amount, story_counts
from bot.summarize.quotes import Told
from bot.summarize.restated import same_core
from bot.summarize.sentences import content_stems

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
