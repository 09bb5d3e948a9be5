"""Every functools cache in `bot/` is bounded, and together they stay under the ceiling
docs/DEPLOY.md states: a long-running process fills each cache over weeks (distinct article
text keeps arriving), so an unbounded cache, or one sized for a benchmark's whole corpus, is
memory the service climbs to and keeps. A new cache fails here until it is given a maxsize and
a row in `CACHES`, with what one entry costs."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.text_cache import SENTENCE_CHARS, WORD_CHARS
from bot.textutil import FOLD_KEPT_CHARS

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"

# The ceilings docs/DEPLOY.md promises for all caches full at once, in MiB: with news (keys of
# a real sentence's or word's length), and with any text a feed may send.
CEILING_MIB = 64
ANY_INPUT_CEILING_MIB = 448

# Per cache: its maxsize; the bytes one entry held (RSS growth over entries) when filled with
# distinct sentence- or word-sized keys; for a cache of feed text, the longest key it keeps
# (`bot.text_cache`), and the bytes one entry held at that length, the worst of five kinds of
# hostile text (Chinese in and past the basic plane, English without stops, a run of quotation
# marks, of figures: tracemalloc, counting what the caches it asks keep for it too). Sentence-keyed
# caches are sized by one story's working set (the summariser asks its sentences again within
# that story, not across days); word-keyed ones by a day's vocabulary.
CACHES: dict[str, tuple[int, int, int | None, int | None]] = {
    # Words, kept across stories: a day's vocabulary, most of it asked again the next day.
    "bot.summarize.sentences._cached_stem": (16384, 300, WORD_CHARS, 1_200),
    "bot.summarize.sentences._cached_token_stems": (8192, 330, WORD_CHARS, 2_900),
    "bot.summarize.restated.stem_root": (4096, 200, WORD_CHARS, 420),
    "bot.textutil._fold_cached": (4096, 600, FOLD_KEPT_CHARS, 1_900),
    # Behind the clusterer's own word memo (`features._TERMS`): 46 hits in 21,000 calls.
    "bot.cluster.features.stem": (4096, 220, WORD_CHARS, 1_300),
    "bot.cluster.days._rare": (4096, 300, WORD_CHARS, 490),
    "bot.cluster.slugs._stems": (4096, 370, WORD_CHARS, 630),
    "bot.topics.inflect.inflections": (4096, 370, WORD_CHARS, 630),
    "bot.store.feed_outlets._site_key": (4096, 160, None, None),
    # Sentences: one story's working set (912 dev stories: at most 704 sentences for
    # content_stems, 285 claims, 233 quotations in one story), with room for two at once.
    "bot.summarize.sentences._cached_content_stems": (2048, 1100, SENTENCE_CHARS, 22_000),
    "bot.summarize.quote_marks._kept_reading": (2048, 500, SENTENCE_CHARS, 4_300),
    "bot.summarize.support.claim": (1024, 5300, SENTENCE_CHARS, 30_000),
    "bot.summarize.restated.undated": (1024, 2600, SENTENCE_CHARS, 37_000),
    "bot.summarize.occasions._occasion": (1024, 1850, SENTENCE_CHARS, 5_700),
    "bot.summarize.restated._core_stems": (1024, 1100, SENTENCE_CHARS, 50_000),
    "bot.summarize.shared_quotes._quotations": (1024, 700, SENTENCE_CHARS, 37_000),
    "bot.summarize.shared_quotes._original_quotations": (1024, 700, SENTENCE_CHARS, 9_800),
    "bot.summarize.restated._quoted_stems": (1024, 660, SENTENCE_CHARS, 20_000),
    "bot.summarize.restated.core_claim": (1024, 450, SENTENCE_CHARS, 4_200),
    "bot.summarize.restated.bare_core": (1024, 450, SENTENCE_CHARS, 4_400),
    "bot.summarize.acts._decisive_acts": (1024, 400, SENTENCE_CHARS, 13_000),
    "bot.summarize.same_act._sites": (512, 500, SENTENCE_CHARS, 39_000),
    # Asked of bullets and angle lines only: at most 18 a story.
    "bot.summarize.same_figures._split_compounds": (256, 2200, SENTENCE_CHARS, 31_000),
    # Behind `_decisive_acts`' own cache; asked directly only of an LLM writer's bullets.
    "bot.summarize.acts.decisive_verbs": (256, 1750, SENTENCE_CHARS, 13_000),
    "bot.summarize.support._word_stems": (256, 1500, SENTENCE_CHARS, 29_000),
    "bot.summarize.restated._lower_stems": (256, 1100, SENTENCE_CHARS, 28_000),
    "bot.summarize.shared_quotes._speaker_words": (256, 1000, SENTENCE_CHARS, 4_800),
    "bot.summarize.shared_quotes._unquoted": (256, 750, SENTENCE_CHARS, 4_400),
    "bot.summarize.support._negated_scopes": (256, 550, SENTENCE_CHARS, 14_000),
    "bot.summarize.claim_figures.story_counts": (2048, 550, SENTENCE_CHARS, 19_000),
    "bot.summarize.restated._title_case": (256, 300, SENTENCE_CHARS, 4_200),
    # Hostile sentences' readings, "under 4 MiB" (quote_marks.MAX_KEPT_BIG).
    "bot.summarize.quote_marks._kept_big_reading": (32, 131072, SENTENCE_CHARS, 140_000),
    # A story's sources for the LLM checks: article texts, a long one ~10,000 characters.
    "bot.summarize.llm_acts._sentences": (64, 24000, None, None),
    "bot.summarize.llm_acts._sentence_stems": (64, 16000, None, None),
    "bot.summarize.llm_acts._source_acts": (64, 4000, None, None),
    # Topic queries asked outside the followed set: the followed ones, every one asked of every
    # story, are kept by `_askable` below however many (past 2,048 an LRU missed on each).
    "bot.topics.answers._parsed": (2048, 5500, None, None),
    "bot.topics.query._parse_cached": (512, 5200, None, None),
    # A set of followed queries and the mapping to their parsed queries (twice the set alone);
    # the parsed queries are the followed ones', shared by every set that holds them.
    "bot.topics.answers._askable": (16, 32000, None, None),
    # Small, fixed argument sets: loaded once, counted whole.
    "bot.cron._fires_two_days_running": (256, 300, None, None),
    "bot.ingest.decoding._libxml2_reads": (32, 1000, None, None),
    "bot.cluster.kept_raw.fingerprint": (4, 300, None, None),
    "bot.summarize.claim_figures._year_noun_stems": (1, 4400, None, None),
    "bot.summarize.claim_figures._scale_stems": (1, 1000, None, None),
    "bot.cluster.background.load_background": (1, 2_100_000, None, None),
    "bot.cluster.days._background": (1, 65536, None, None),
    "bot.cluster.slug_words._background": (1, 65536, None, None),
    "bot.domains._suffix_list": (2, 1_700_000, None, None),
    "bot.timezones.zones_by_folded_name": (1, 110_000, None, None),
    "bot.timezones._zones_by_city": (1, 110_000, None, None),
    "bot.ingest.transport.ssl_context": (1, 750_000, None, None),
    "bot.ingest.transport._pool_replaceable": (1, 200, None, None),
}


# Caches of text that keep keys of any length, and why their keys are short or few anyway.
UNGUARDED = {
    # Whole articles by design: a story's sources for the LLM checks, 64 at most.
    "bot.summarize.llm_acts._sentences",
    "bot.summarize.llm_acts._sentence_stems",
    "bot.summarize.llm_acts._source_acts",
    # Topic queries: refused past `MAX_QUERY_CHARS` (1,000) before they are parsed.
    "bot.topics.answers._parsed",
    "bot.topics.query._parse_cached",
    "bot.topics.answers._askable",
    # The operator's configuration, a feed's declared encoding, a feed's own addresses.
    "bot.cron._fires_two_days_running",
    "bot.ingest.decoding._libxml2_reads",
    "bot.store.feed_outlets._site_key",
}


def _decorated_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def _is_cache(node: ast.expr) -> bool:
    return _decorated_name(node) in ("lru_cache", "cache", "text_cache")


def _cached_in(body: list[ast.stmt], prefix: str = "") -> Iterator[str]:
    """The attribute path of each cached function in `body`: a decorated function (in a class
    too) or a `name = lru_cache(...)(function)`."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(_is_cache(d) for d in node.decorator_list):
                yield prefix + node.name
        elif isinstance(node, ast.ClassDef):
            yield from _cached_in(node.body, f"{prefix}{node.name}.")
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            wrapper = node.value.func
            if isinstance(wrapper, ast.Call) and _is_cache(wrapper):
                yield from (prefix + t.id for t in node.targets if isinstance(t, ast.Name))


def _cache_sites() -> Iterator[tuple[str, str]]:
    """(module, attribute path) of each cached function in bot/'s source."""
    for path in sorted(BOT.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for attrs in _cached_in(ast.parse(path.read_text(encoding="utf-8")).body):
            yield module, attrs


def _cached_functions() -> dict[str, Any]:
    found = {}
    for module, attrs in _cache_sites():
        obj: Any = importlib.import_module(module)
        for attr in attrs.split("."):
            obj = getattr(obj, attr)
        found[f"{module}.{attrs}"] = obj
    return found


def test_every_cache_is_in_the_table_with_its_maxsize() -> None:
    found = _cached_functions()
    assert set(found) == set(CACHES), "add the new cache to CACHES (or drop the gone one)"
    for name, fn in found.items():
        maxsize = fn.cache_info().maxsize
        assert maxsize is not None, f"{name} is unbounded"
        assert maxsize == CACHES[name][0], f"{name}: maxsize {maxsize}, table says otherwise"


def test_all_caches_full_stay_under_the_documented_ceilings() -> None:
    news = sum(size * per_entry for size, per_entry, _, _ in CACHES.values())
    assert news <= CEILING_MIB * 2**20, f"{news / 2**20:.1f} MiB"
    hostile = sum(size * (worst or per_entry) for size, per_entry, _, worst in CACHES.values())
    assert hostile <= ANY_INPUT_CEILING_MIB * 2**20, f"{hostile / 2**20:.1f} MiB"
    deploy = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    assert f"{CEILING_MIB} MiB" in deploy
    assert f"{ANY_INPUT_CEILING_MIB} MiB" in deploy


def test_the_source_scan_finds_decorated_and_wrapped_caches() -> None:
    # The table is only as good as the scan: both spellings in bot/ must be seen.
    names = {f"{m}.{a}" for m, a in _cache_sites()}
    assert "bot.summarize.claim_figures.story_counts" in names  # lru_cache(maxsize=...)(f)
    assert "bot.textutil._fold_cached" in names  # @lru_cache(maxsize=...)
    assert "bot.domains._suffix_list" in names  # @functools.cache
    assert "bot.summarize.support.claim" in names  # @text_cache(maxsize=..., max_chars=...)


def _text_parameters(fn: Any) -> list[str]:
    """The parameters of the cached function that take text: a string, or a set or tuple of
    them (a sentence's stems)."""
    params = inspect.signature(fn.__wrapped__).parameters.values()
    return [p.name for p in params if re.search(r"\bstr\b", str(p.annotation))]


def test_every_cache_of_feed_text_keeps_no_key_past_its_limit() -> None:
    # A cache's entries cost what its key and value cost, and a feed's text can make one
    # "sentence" or "word" of 60,000 characters: a cache of text keeps only keys up to its
    # `max_chars`, or is named in UNGUARDED with the reason its keys are short anyway.
    for name, fn in _cached_functions().items():
        limit = CACHES[name][2]
        if name in UNGUARDED:
            assert limit is None and not hasattr(fn, "max_chars"), name
            continue
        assert getattr(fn, "max_chars", None) == limit, f"{name}: limit {limit} in the table"
        if _text_parameters(fn):
            assert limit is not None, f"{name} takes text: use text_cache (or say in UNGUARDED)"
