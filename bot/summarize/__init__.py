"""The words of the story card: headline, TL;DR bullets and "What others are reporting".

The extractive writer is the default and the fallback: every word it emits comes from a source.
The optional LLM writer (any OpenAI-compatible endpoint) is checked against the sources and
replaced by the extractive summary whenever it names or counts something the sources do not.

Modules. Headline: `headline` (`text_headline`: an untitled story's, from its text;
`headline_clauses`: whether its cut holds the main clause, ending with no ellipsis;
`headline_style`: no label, final full stop or "!!", for both), `site_names`, `casing`,
`datelines`; `quote_marks` (where quotations open and close) for every part. TL;DR (`tldr` drives it): `sentences` (`speech_tags`: a quoted question's tag holds its sentence) -> `compress`
+ `asides` + `clauses` (shorter forms, cuts; `finite_verbs`: whether words read as a sentence;
`owed_parts`: no cut between a verb's two arguments or inside an announced list)
-> `wordmodel` -> `candidates` (beam search, `restated` as the repeat check with `acts.two_facts` for one
act told on other days or from the other side (`occasions`) or its opposite act, `introduced`
for what a bullet read
alone leans on) -> `rerank` -> `grounding` + `support` + `claim_figures` (which outlets back each
bullet); `steering` (a line planted to steer a model, or shouting: no bullet or angle;
`sentence_checks` asks it and the caption check once a story). Angles:
`angles` (`angle_picks`; `angle_lines` with `framed_names`, `line_alone`), `angle_topic`, `angle_facts`, `angle_names` (`telling_names`), `quotes`;
`developments` (a later report's decisive act: its outlet's line, with two outlets the headline). The LLM writer:
`llm` (`llm_prompt`, `llm_http`, `llm_budget`, `llm_breaker`) -> `llm_check`, with `quantities`
(`ordinal_words`: "a third", "two-thirds" read as figures), `calendar_words` (the weekdays and
months a text names, each spelling one key; also what `grounding`, `occasions` and `reports` read
as dates), `attribution` (which outlets a model bullet may
credit), `speakers` (a quote given to the speaker its source names), `claim_verbs` (a decisive verb its
sentence states, as surely: `acts` reads the main verb, `verb_groups`, `modality`), `llm_facts`
(a number's unit, a count of a noun, a tally's order, a modifier of kind; `llm_acts`, who did an
act and which way on what: what grounded words can still get wrong) and `llm_prose` (no markup, mentions,
links or claims about the outlets). Shipped numbers: `lexicon` (reading `_lexicon`,
the background word frequencies), `_weights`, `_rerank_weights`.
Outlets are keyed and named by `bot.outlets`, as the card counts them. `story_memo`: what the
stages work out again from one story's texts, kept for that `summarize` call only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from bot.cluster.wire import independent_sources
from bot.models import Article, Summary
from bot.outlets import outlet_names
from bot.summarize.angles import build_angles
from bot.summarize.headline import choose_headline
from bot.summarize.story_memo import story_scope
from bot.summarize.tldr import TldrParams, build_tldr, word_probabilities

if TYPE_CHECKING:
    import sqlite_utils

    from bot.summarize.llm import LLMWriter


@dataclass(slots=True)
class LLMSettings:
    """Where the optional LLM writer lives; the key is read from the named env var at call time."""

    base_url: str
    model: str
    api_key_env: str = "NEWSDIGEST_LLM_API_KEY"
    # Seconds for the whole call (connect, send, wait, read), not per phase.
    timeout: float = 20.0
    daily_token_budget: int = 200_000
    # Proxy variables and ~/.netrc apply to the endpoint only when set (`LLMConfig.trust_env`).
    trust_env: bool = False


# Input bounds for the extractive pass, which runs with no timeout. Every scorer reads only a
# story's first few dozen sentences, but outlet vocabularies, quotes and the splitter walk whole
# texts: a 2 MB feed item would cost seconds. Far above real items (the longest body in the
# evaluation data has 48k characters, the longest title 36 words), so real stories are untouched.
# A story of many long articles (60 outlets of 20k characters) shares MAX_STORY_CHARS among
# them, each keeping at least its opening (MIN_TEXT_CHARS, past the sentences the scorers read);
# the largest story in the evaluation data has 153k characters by this measure (articles times
# the longest one).
MAX_TEXT_CHARS = 60_000
MAX_STORY_CHARS = 240_000
MIN_TEXT_CHARS = 4_000
MAX_TITLE_CHARS = 600


def summary_input(articles: Sequence[Article]) -> list[Article]:
    """`articles` with titles and texts cut (at a space) to the bounds above, where over them."""
    per_article = MAX_STORY_CHARS // max(1, len(articles))
    text_cap = min(MAX_TEXT_CHARS, max(MIN_TEXT_CHARS, per_article))
    return [
        a
        if len(a.text) <= text_cap and len(a.title) <= MAX_TITLE_CHARS
        else replace(
            a,
            title=_cut_at_space(a.title, MAX_TITLE_CHARS),
            text=_cut_at_space(a.text, text_cap),
        )
        for a in articles
    ]


def _cut_at_space(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    # A word cut in half would become a word no outlet wrote; a text without spaces is cut hard.
    space = text.rfind(" ", 0, limit + 1)
    return text[: space if space > 0 else limit].rstrip()


def summarize(articles: Sequence[Article], params: TldrParams | None = None) -> Summary:
    """Extractive summary of one story's articles (any order); no network, no LLM."""
    # What several stages work out again from the same texts is kept for this story only.
    with story_scope():
        return _summarize(articles, params)


def _summarize(articles: Sequence[Article], params: TldrParams | None) -> Summary:
    members = summary_input(articles)
    if not members:
        return Summary(headline="", tldr=[], angles=[])
    outlets = outlet_names(members)
    probs = word_probabilities(members, outlets)
    headline, pick = choose_headline(members, probs)
    # Wire copy as the card counts it, so the bullet put first is the one it shows best backed.
    _, wire_groups = independent_sources(members)
    tldr = build_tldr(members, outlets, params, probs, headline, wire_groups)
    # The lead is the outlet the core bullet was taken from: its angle would tell the TL;DR again.
    lead = tldr[0].sources[0] if tldr and tldr[0].sources else outlets[0]
    headline_outlet = outlets[pick] if pick < len(members) else None
    angles, also = build_angles(
        members, outlets, lead, tldr=tldr, headline=headline, headline_outlet=headline_outlet
    )
    return Summary(
        headline=headline,
        tldr=tldr,
        angles=angles,
        also_reporting=also,
        headline_url=members[pick].url if pick < len(members) else None,
    )


class Summarizer:
    """Extractive by default; with `llm` settings, an LLM writer checked against the sources.

    The LLM reads what the extractive pass reads (`summary_input`), its answer checked against
    the same: whole texts made the check of a story of 379 KB take seconds of CPU.
    """

    def __init__(
        self, llm: LLMSettings | None = None, db: sqlite_utils.Database | None = None
    ) -> None:
        self.llm = llm
        self._writer: LLMWriter | None = None
        if llm is not None:
            from bot.summarize.llm import LLMWriter, TokenBudget

            self._writer = LLMWriter(llm, TokenBudget(llm.daily_token_budget, db))

    def summarize(
        self, articles: Sequence[Article], *, story: str = "", llm: bool = True
    ) -> Summary:
        """`story` names it in the writer's log lines; `llm` False: extractive only, no call
        (a preview), marked a fallback when an LLM is configured so a real card asks it."""
        base = summarize(articles)
        if self._writer is None or not articles:
            return base
        if not llm:
            return replace(base, llm_fallback=True)
        members = summary_input(articles)
        return self._writer.rewrite(members, outlet_names(members), base, story=story)

    async def asummarize(self, articles: Sequence[Article], *, story: str = "") -> Summary:
        """Async twin for the bot's event loop: the LLM call does not block other stories."""
        # The extractive pass is CPU-bound (over a second for a large story): in a thread, so chat,
        # the scheduler and /healthz keep running meanwhile.
        base = await asyncio.to_thread(summarize, articles)
        if self._writer is None or not articles:
            return base
        members = summary_input(articles)
        return await self._writer.arewrite(members, outlet_names(members), base, story=story)

    def wants_llm(self, cached: Summary | None, articles: Sequence[Article] = ()) -> bool:
        """Whether a card should write its story's summary (again): none cached, or a fallback
        cached while the LLM may be asked now (the breaker closed or due a try) and, given the
        story's `articles`, its call's estimate fits what is left of today's budget."""
        if cached is None:
            return True
        writer = self._writer
        if not cached.llm_fallback or writer is None:
            return False
        if writer.breaker.status()["state"] == "open":
            return False
        # Not fitting, asking again only runs the extractive pass again for the same words: a
        # large story under a small budget was re-summarised on every card build.
        needed = writer.estimate(summary_input(articles)) if articles else 1
        return writer.budget.used() + needed <= writer.budget.daily_limit

    def llm_status(self) -> dict[str, Any]:
        """The LLM writer's state for /healthz: `configured` False when there is none."""
        if self._writer is None:
            return {"configured": False}
        return self._writer.status()


__all__ = ["LLMSettings", "Summarizer", "summarize", "summary_input"]
