""" "What others are reporting": per outlet, the detail it adds that the others lack.

An outlet's angle is found in its own words: the sentence carrying the most content that no other
outlet has (names and numbers count most, they are the checkable facts). The line describing it
is built from that sentence's own novel words, so it is attributable to the outlet, and the quote
is a verbatim span of the outlet's text, trimmed only at word boundaries.

Which detail is the outlet's best is `angle_picks.py`'s; which of the outlet's sentences the
quote may come from is `angle_quotes.py`'s.
A later report telling that the story moved on (`developments`) has that as its detail first.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from bot.models import Angle, Article, Bullet
from bot.summarize.angle_checkable import carries_fact, fold, own_claim
from bot.summarize.angle_facts import KnownFigures
from bot.summarize.angle_lines import (
    FIGURE_FRAMING,
    TITLE_FRAMING,
    angle_line,
    line_detail,
    repeats_bullet,
)
from bot.summarize.angle_names import name_runs
from bot.summarize.angle_picks import (
    MIN_NOVELTY,
    OtherStems,
    Pick,
    outlet_counts,
    pick_for_outlet,
)
from bot.summarize.angle_quotes import CardSubjects, common_stem, quote_pool
from bot.summarize.angle_retold import mostly_told, retells_act, retells_card
from bot.summarize.angle_subjects import StorySubjects, texts_of
from bot.summarize.developments import credited_changes, developed_articles
from bot.summarize.grounding import figures
from bot.summarize.headline import clean_title
from bot.summarize.quotes import Told, pick_quote
from bot.summarize.sentences import content_stems
from bot.summarize.support import article_stems

MAX_ANGLES = 6
# Names and figures of its own a detail needs to be shown whole past WHOLE_LINE_MAX_WORDS.
LONG_LINE_MIN_FACTS = 2


def build_angles(
    articles: Sequence[Article],
    outlet_of: Sequence[str],
    lead_outlet: str | None,
    max_angles: int = MAX_ANGLES,
    tldr: Sequence[str | Bullet] = (),
    headline: str = "",
    headline_outlet: str | None = None,
) -> tuple[list[Angle], list[str]]:
    """Angles for outlets other than the lead, best first, and the outlets that add nothing.

    `headline_outlet` is the outlet whose title the card's headline is: like the lead it is
    never "adding nothing" for want of an angle, since the card leads with its words, though it
    may still have an angle of its own. Backing no bullet and with no angle it is still listed
    under "Also reporting": the title alone credits it with no fact.

    `tldr` is the card's bullets (or their texts): a sentence that mostly restates one is not an
    angle; `headline` the card's, which no quote should tell again either. An outlet that is a bullet's only source is never "adding nothing" (it is left out of
    the returned list); when its angle is below the novelty bar its best one is still shown.
    """
    texts = [b if isinstance(b, str) else b.text for b in tldr]
    bullets = [(frozenset(content_stems(text)), figures(text)) for text in texts]
    told = Told(
        frozenset(content_stems(headline)),
        bullets,
        figures(headline).union(*(f for _, f in bullets)),
        texts,
        headline,
    )
    sole = {b.sources[0] for b in tldr if not isinstance(b, str) and len(b.sources) == 1}
    by_outlet: dict[str, list[Article]] = {}
    for article, outlet in zip(articles, outlet_of, strict=True):
        by_outlet.setdefault(outlet, []).append(article)
    cache = {
        name: {s for a in arts for s in article_stems(a.title, a.text)}
        for name, arts in by_outlet.items()
    }
    counts = outlet_counts(cache)
    core = told.headline.union(s for s, n in counts.items() if n >= 2)
    texts_by = {o: texts_of(arts) for o, arts in by_outlet.items()}
    known = KnownFigures(texts_by, "\n".join([headline, *texts]))
    folded = {o: fold(text) for o, text in texts_by.items()}
    # An outlet whose own sentence a bullet is (its first source's) added that bullet.
    taken = {b.sources[0] for b in tldr if not isinstance(b, str) and b.sources}
    # Outlets with a dated or quoted claim no other outlet gives (`own_claim`).
    claimed: set[str] = set()
    subjects = StorySubjects(headline, list(cache.values()))
    told_subjects = CardSubjects([headline, *texts], [arts[0].title for arts in by_outlet.values()])
    developed = developed_articles(articles, outlet_of)
    # A bullet telling an outlet's development credits it with the story's change, though
    # another outlet's sentence backs it too: not "adding nothing".
    changed = credited_changes(tldr, by_outlet, developed)
    picks: list[Pick] = []
    titles: dict[str, str] = {}
    sole_angles: list[Angle] = []
    weak: list[Pick] = []
    also: list[str] = []
    # The card's lead sources: the core bullet's and the headline's.
    leads = {o for o in (lead_outlet, headline_outlet) if o}
    for outlet, arts in by_outlet.items():
        if outlet == lead_outlet:
            continue
        other = OtherStems(counts, cache[outlet])
        pick = pick_for_outlet(
            outlet, arts, other, bullets, known, core, told.headline, texts, developed
        )
        if pick is not None:
            details = (pick, *pick.alternates)
            others = [text for o, text in folded.items() if o != outlet]
            numbers = [n for d in details for n in d.numbers]
            if own_claim([d.sentence for d in details], numbers, others):
                claimed.add(outlet)
            titles[outlet] = _title_line(pick, other, told, outlet in claimed)
        if pick is not None and pick.added >= MIN_NOVELTY:
            picks.append(pick)
        elif outlet in sole:
            # Its detail is a bullet, so its angle is the next best thing it adds (weak by the
            # novelty bar, but its own). With nothing else, the bullet's "reported by" credits
            # it: listing it as adding nothing would be false, and an angle repeating the
            # bullet would say the same thing twice on one card.
            if pick is not None:
                sole_angles.append(
                    _angle(pick, told, subjects, told_subjects, titles[outlet], core)
                )
        elif pick is not None and (titles[outlet] or outlet in claimed):
            # Weak by the novelty bar, but a claim of its own, or a title with a figure or name
            # of its own: tried for a line after the others, rather than listed as adding nothing.
            weak.append(pick)
        elif outlet not in leads | changed | taken:
            also.append(outlet)
    picks.sort(key=lambda p: -p.novelty)
    # Sole sources take the places first: past the cap an outlet goes to "Also reporting", which
    # would say they add nothing (a card has at most a few bullets, so they always fit).
    ranked = [a.source for a in sole_angles]
    ranked += [p.outlet for p in picks if p.outlet in sole]
    ranked += [p.outlet for p in picks if p.outlet not in sole]
    ranked += [p.outlet for p in weak]
    keep = set(ranked[:max_angles])
    angles = [
        _angle(p, told, subjects, told_subjects, titles[p.outlet], core)
        for p in [*picks, *weak]
        if p.outlet in keep
    ]
    # An outlet none of whose details makes a line, and whose title says nothing of its own
    # (`_title_line`), is listed: not given a line without its detail.
    # Nor is one whose own sentence a bullet is, whose development a bullet tells, or with a
    # dated or quoted claim of its own: each added something, and the card's sources list it.
    added = sole | leads | taken | changed | claimed
    also += [a.source for a in angles if not a.line and a.source not in added]
    angles = [a for a in angles if a.line]
    also += [
        p.outlet for p in [*picks, *weak] if p.outlet not in keep and p.outlet not in sole | leads
    ]
    # Weak by the novelty measure: listed after the outlets' own angles.
    angles += [a for a in sole_angles if a.source in keep and a.line]
    angles = _one_figure_framing(angles)
    # The headline's outlet leads the card with its title, but the title alone credits it with
    # no fact: backing no bullet and with no angle, it is listed, or no part of the card would
    # name it. (With bullets as texts, whom they credit is unknown: it is left out as before.)
    credited = {o for b in tldr if not isinstance(b, str) for o in b.sources}
    if (
        headline_outlet in by_outlet
        and headline_outlet != lead_outlet
        and all(isinstance(b, Bullet) for b in tldr)
        and tldr
        and headline_outlet not in credited
        and headline_outlet not in {a.source for a in angles}
        and headline_outlet not in also
    ):
        also.append(headline_outlet)
    return angles, also


def _one_figure_framing(angles: list[Angle]) -> list[Angle]:
    """`angles` with "Puts a figure on it:" on the first line it opens at most: said twice on
    one card (a jobless count, then the forecast it beat), it reads as a form being filled in,
    and the later line's figure shows in its detail anyway."""
    framed = False
    for angle in angles:
        if angle.line.startswith(FIGURE_FRAMING):
            if framed:
                angle.line = line_detail(angle.line)
            framed = True
    return angles


def _angle(
    pick: Pick,
    told: Told,
    subjects: Container[str] = frozenset(),
    told_subjects: Container[str] = frozenset(),
    title_line: str = "",
    core: Container[str] = frozenset(),
) -> Angle:
    """The outlet's angle from its best detail that makes a line, with a quote and link from
    that detail's article; a line of "" when none does (the outlet is listed instead).
    `subjects` are the names the story is about, as `angle_line` reads them; `told_subjects`
    which tie no quote to its line (`angle_quotes.CardSubjects`).

    When no sentence of its details reads whole as a line (too long, cut off by the feed, a
    quotation left open), `title_line`, the outlet's own title framed (`_title_line`), is its
    line, and the quote may then be its detail's sentence, windowed, but never one telling the
    title again: listed under "Also reporting", the outlet read as adding nothing. A detail whose every line tells the card
    again is no detail of its own, and the outlet is listed. A detail too long for any line
    before the last pass (`angle_line`'s `rescue`) gets one clause of it as long as a line may
    be, only after every detail was tried every other way: a line the outlet had before such
    rescues is never displaced by a longer rescue of its first detail. A line must carry a
    checkable fact (`angle_checkable.carries_fact`, `core` the story's own stems): colour
    ("Time tends to warp ...") gives way to the next detail, then to the title line."""
    formed = False
    # A whole form of any of its details first; then one cut where a phrase ends; then a long
    # sentence whole; then, rather than no line, one cut before an "of" or "to" phrase; last, a
    # clause keeping its figure or name (`angle_line`'s `rescue`), if it does not mostly tell
    # the card again.
    passes = (
        (False, False, False, False),
        (True, False, False, False),
        (True, True, False, False),
        (True, False, True, False),
        (True, False, True, True),
    )
    # A development is tried every way before any other detail: the story changed.
    tries = [[pick], pick.alternates] if pick.develops else [[pick, *pick.alternates]]
    for details in tries:
        for phrase_cut, long_whole, last_resort, rescue in passes:
            for candidate in details:
                # A long sentence is worth its length for facts of its own, not the story.
                facts = len(candidate.names) + len(candidate.numbers)
                if long_whole and facts < LONG_LINE_MIN_FACTS:
                    continue
                line = angle_line(
                    candidate.sentence,
                    candidate.article,
                    candidate.names,
                    candidate.numbers,
                    candidate.novel_words,
                    phrase_cut,
                    keep_focus=candidate.restates,
                    long_whole=long_whole,
                    subjects=subjects,
                    last_resort=last_resort,
                    rescue=rescue,
                )
                # Colour with no fact to check is no line: the next detail, or the title.
                line = line if line and _checkable(line, candidate, core) else ""
                formed = formed or bool(line)
                # A detail going on past a bullet keeps the bullet's fact as its setting.
                retold = retells_card(line, told, not (candidate.restates or candidate.develops))
                retold = retold or (rescue and mostly_told(line, told))
                # Its act told in other verbs, with no name or figure of its own: the card
                # again. A development is the story's change, told as such; a detail going on
                # past a bullet was picked for what it adds (`angle_beyond.goes_on_past`).
                retold = retold or (
                    bool(line)
                    and not (candidate.develops or candidate.restates)
                    and retells_act(line, told, candidate.names, candidate.numbers)
                )
                if line and not repeats_bullet(line, told.texts) and not retold:
                    # The quote backs the line the reader sees, not the words cut from it.
                    pool = quote_pool(
                        candidate.sentence,
                        candidate.article,
                        pick.scored,
                        shown=line_detail(line),
                        subjects=told_subjects,
                    )
                    quote = pick_quote(pool, told)
                    return Angle(pick.outlet, line, quote, candidate.article.url)
    if title_line and not formed:
        # The title is the line's sentence: a quote telling it again ("That board brushed off
        # the 412 complaints ..." under "Ferry board brushes off 412 ...") adds nothing, and the
        # framing's "headline" is no word of the outlet's to tie a quote to.
        title = line_detail(title_line)
        pool = quote_pool(title, pick.article, pick.scored, subjects=told_subjects)
        return Angle(pick.outlet, title_line, pick_quote(pool, told), pick.article.url)
    return Angle(pick.outlet, "", "", pick.article.url)


def _checkable(line: str, candidate: Pick, core: Container[str]) -> bool:
    return carries_fact(line_detail(line), candidate.names, candidate.numbers, core)


def _title_line(pick: Pick, other: Container[str], told: Told, claimed: bool = False) -> str:
    """The line of an outlet none of whose details reads whole as one: its pick's article's
    title after `TITLE_FRAMING`, when the title has a word of its own (one no other outlet
    uses, and news at large seldom does: "Sensationalist", "Trashes"), a figure the card does
    not give or a name of its own (its details', or one the title names that neither the card
    nor another outlet gives), and tells neither the card's headline nor a bullet again, not
    even mostly (`mostly_told`); "" when it does not. The title is the
    outlet's own words on what it reports, where "Also reporting" would say it adds nothing;
    a title with nothing checkable of its own ("Allegations fly as recall vote looms") adds
    little that the card's headline did not. With `claimed` (its details hold a dated or quoted
    claim of its own, `own_claim`), any title not telling the card again will do: the quote
    under it gives the claim, where "Also reporting" would say the outlet added nothing."""
    title = clean_title(pick.article.title)
    if not title or title == told.headline_text:
        return ""
    if claimed:
        line = f"{TITLE_FRAMING}{title}"
        told_again = repeats_bullet(line, told.texts) or retells_card(line, told)
        return "" if told_again or mostly_told(line, told) else line
    if not any(s not in other and not common_stem(s) for s in content_stems(title)):
        return ""
    card = told.headline.union(*(b for b, _ in told.bullets))
    names = [n for p in (pick, *pick.alternates) for n in p.names if n in title]
    # A name of its own: one of its details', or the title's, that neither the card nor another
    # outlet gives ("Mayor Ilse Brandt", not the story's "California").
    # In a title in Title Case every run of words reads as a name: only its details' count.
    runs = [] if _title_case(title) else name_runs(title)
    own = [n for n in runs if any(s not in card and s not in other for s in content_stems(n))]
    if not (figures(title) - told.figures or names or own):
        return ""
    line = f"{TITLE_FRAMING}{title}"
    if repeats_bullet(line, told.texts) or retells_card(line, told) or mostly_told(line, told):
        return ""
    return line


def _title_case(title: str) -> bool:
    """Whether most of `title`'s longer words are capitalised ("Biden Pushes Carbon Plan")."""
    words = [w for w in title.split() if len(w) > 3 and w[:1].isalpha()]
    return sum(w[:1].isupper() for w in words) > TITLE_CASE_SHARE * len(words)


# Share of a title's words of over three letters capitalised that makes it Title Case.
TITLE_CASE_SHARE = 0.6
