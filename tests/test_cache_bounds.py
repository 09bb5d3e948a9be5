"""Every functools cache in `bot/` is bounded, and together they stay under the ceiling
docs/DEPLOY.md states: a long-running process fills each cache over weeks (distinct article
text keeps arriving), so an unbounded cache, or one sized for a benchmark's whole corpus, is
memory the service climbs to and keeps. A new cache fails here until it is given a maxsize and
a row in `CACHES`, with what one entry costs."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"

# The ceiling docs/DEPLOY.md promises for all caches full at once, in MiB.
CEILING_MIB = 64

# Per cache: its maxsize, and the bytes one entry held (RSS growth over entries) when filled
# with distinct sentence- or word-sized keys. Sentence-keyed caches are sized by one story's
# working set (the summariser asks its sentences again within that story, not across days);
# word-keyed ones by a day's vocabulary.
CACHES: dict[str, tuple[int, int]] = {
    # Words, kept across stories: a day's vocabulary, most of it asked again the next day.
    "bot.summarize.sentences._cached_stem": (16384, 300),
    "bot.summarize.sentences._cached_token_stems": (8192, 330),
    "bot.summarize.restated.stem_root": (4096, 200),
    "bot.textutil._fold_cached": (4096, 600),
    # Behind the clusterer's own word memo (`features._TERMS`): 46 hits in 21,000 calls.
    "bot.cluster.features.stem": (4096, 220),
    "bot.cluster.days._rare": (4096, 300),
    "bot.cluster.slugs._stems": (4096, 370),
    "bot.topics.inflect.inflections": (4096, 370),
    "bot.store.feed_outlets._site_key": (4096, 160),
    # Sentences: one story's working set (912 dev stories: at most 704 sentences for
    # content_stems, 285 claims, 233 quotations in one story), with room for two at once.
    "bot.summarize.sentences._cached_content_stems": (2048, 1100),
    "bot.summarize.quote_marks._kept_reading": (2048, 500),
    "bot.summarize.support.claim": (1024, 5300),
    "bot.summarize.restated.undated": (1024, 2600),
    "bot.summarize.occasions._occasion": (1024, 1850),
    "bot.summarize.restated._core_stems": (1024, 1100),
    "bot.summarize.shared_quotes._quotations": (1024, 700),
    "bot.summarize.shared_quotes._original_quotations": (1024, 700),
    "bot.summarize.restated._quoted_stems": (1024, 660),
    "bot.summarize.restated.core_claim": (1024, 450),
    "bot.summarize.restated.bare_core": (1024, 450),
    "bot.summarize.acts._decisive_acts": (1024, 400),
    # Asked of bullets and angle lines only: at most 18 a story.
    "bot.summarize.same_figures._split_compounds": (256, 2200),
    # Behind `_decisive_acts`' own cache; asked directly only of an LLM writer's bullets.
    "bot.summarize.acts.decisive_verbs": (256, 1750),
    "bot.summarize.support._word_stems": (256, 1500),
    "bot.summarize.restated._lower_stems": (256, 1100),
    "bot.summarize.shared_quotes._speaker_words": (256, 1000),
    "bot.summarize.shared_quotes._unquoted": (256, 750),
    "bot.summarize.support._negated_scopes": (256, 550),
    "bot.summarize.claim_figures.story_counts": (2048, 550),
    "bot.summarize.restated._title_case": (256, 300),
    # Hostile sentences' readings, "under 4 MiB" (quote_marks.MAX_KEPT_BIG).
    "bot.summarize.quote_marks._kept_big_reading": (32, 131072),
    # A story's sources for the LLM checks: article texts, a long one ~10,000 characters.
    "bot.summarize.llm_acts._sentences": (64, 24000),
    "bot.summarize.llm_acts._sentence_stems": (64, 16000),
    "bot.summarize.llm_acts._source_acts": (64, 4000),
    # Topic queries asked outside the followed set: the followed ones, every one asked of every
    # story, are kept by `_askable` below however many (past 2,048 an LRU missed on each).
    "bot.topics.answers._parsed": (2048, 5500),
    "bot.topics.query._parse_cached": (512, 5200),
    # A set of followed queries and the mapping to their parsed queries (twice the set alone);
    # the parsed queries are the followed ones', shared by every set that holds them.
    "bot.topics.answers._askable": (16, 32000),
    # Small, fixed argument sets: loaded once, counted whole.
    "bot.cron._fires_two_days_running": (256, 300),
    "bot.ingest.decoding._libxml2_reads": (32, 1000),
    "bot.cluster.kept_raw.fingerprint": (4, 300),
    "bot.summarize.claim_figures._year_noun_stems": (1, 4400),
    "bot.summarize.claim_figures._scale_stems": (1, 1000),
    "bot.cluster.background.load_background": (1, 2_100_000),
    "bot.cluster.days._background": (1, 65536),
    "bot.cluster.slugs._background": (1, 65536),
    "bot.domains._suffix_list": (2, 1_700_000),
    "bot.timezones.zones_by_folded_name": (1, 110_000),
    "bot.timezones._zones_by_city": (1, 110_000),
    "bot.ingest.transport.ssl_context": (1, 750_000),
    "bot.ingest.transport._pool_replaceable": (1, 200),
}


def _decorated_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def _is_cache(node: ast.expr) -> bool:
    return _decorated_name(node) in ("lru_cache", "cache")


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


def test_all_caches_full_stay_under_the_documented_ceiling() -> None:
    total = sum(size * per_entry for size, per_entry in CACHES.values())
    assert total <= CEILING_MIB * 2**20, f"{total / 2**20:.1f} MiB"
    deploy = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    assert f"{CEILING_MIB} MiB" in deploy


def test_the_source_scan_finds_decorated_and_wrapped_caches() -> None:
    # The table is only as good as the scan: both spellings in bot/ must be seen.
    names = {f"{m}.{a}" for m, a in _cache_sites()}
    assert "bot.summarize.claim_figures.story_counts" in names  # lru_cache(maxsize=...)(f)
    assert "bot.textutil._fold_cached" in names  # @lru_cache(maxsize=...)
    assert "bot.domains._suffix_list" in names  # @functools.cache
