from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.topics.lookup import StoryRef, find_story, slugify

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def ref(slug: str, headline: str, *, hours_ago: int = 0, aliases: tuple[str, ...] = ()) -> StoryRef:
    return StoryRef(
        story_id=f"id-{slug}",
        slug=slug,
        aliases=aliases,
        headline=headline,
        last_seen=NOW - timedelta(hours=hours_ago),
    )


JAPAN_AI = ref(
    "japan-ai-consortium",
    "Japan pledges $6B to SoftBank-led AI consortium",
    hours_ago=1,
    aliases=("softbank-japan-model",),
)
JAPAN_VOTE = ref("japan-election", "Japan's ruling party loses upper house majority", hours_ago=5)
FED = ref("fed-rate-cut", "Fed signals a rate cut in June", hours_ago=2)
FED_CHAIR = ref("powell-testimony", "Fed chair Powell testifies on rates", hours_ago=3)
CHIPS = ref("chip-export-rules", "US widens semiconductor export rules", hours_ago=8)
ZURICH = ref("zurich-bank-merger", "Zürich bank merger approved", hours_ago=9)
ALL = [JAPAN_AI, JAPAN_VOTE, FED, FED_CHAIR, CHIPS, ZURICH]


def test_slugify_folds_and_dashes() -> None:
    assert slugify("  Zürich Bank_Merger! ") == "zurich-bank-merger"


def test_exact_slug_wins() -> None:
    result = find_story("fed-rate-cut", ALL)
    assert (result.story, result.reason, result.suggestions) == (FED, "exact", [])


def test_exact_slug_is_case_and_space_tolerant() -> None:
    assert find_story("  FED-Rate-Cut ", ALL).story == FED
    assert find_story("#fed-rate-cut", ALL).story == FED


def test_story_id_counts_as_exact() -> None:
    assert find_story("id-chip-export-rules", ALL).reason == "exact"


def test_exact_slug_beats_longer_prefix_match() -> None:
    short = ref("fed", "Fed minutes", hours_ago=30)
    result = find_story("fed", [*ALL, short])
    assert (result.story, result.reason) == (short, "exact")


def test_alias_of_merged_story() -> None:
    result = find_story("softbank-japan-model", ALL)
    assert (result.story, result.reason) == (JAPAN_AI, "alias")


def test_slug_beats_alias() -> None:
    hijack = ref("other", "Other", aliases=("fed-rate-cut",))
    assert find_story("fed-rate-cut", [hijack, *ALL]).story == FED


def test_unique_prefix() -> None:
    result = find_story("chip-ex", ALL)
    assert (result.story, result.reason) == (CHIPS, "prefix")
    assert find_story("zur", ALL).story == ZURICH


def test_shared_prefix_is_ambiguous_newest_first() -> None:
    result = find_story("japan", ALL)
    assert result.story is None
    assert result.reason == "ambiguous"
    assert result.suggestions == [JAPAN_AI, JAPAN_VOTE]


def test_search_single_hit() -> None:
    result = find_story("semiconductor export", ALL)
    assert (result.story, result.reason) == (CHIPS, "search")


def test_search_is_accent_insensitive_and_uses_headline() -> None:
    assert find_story("zurich merger", ALL).story == ZURICH
    assert find_story("Zürich merger", ALL).story == ZURICH


def test_search_requires_all_words() -> None:
    result = find_story("fed powell", ALL)
    assert (result.story, result.reason) == (FED_CHAIR, "search")


def test_search_prefix_of_word() -> None:
    assert find_story("semicond", ALL).story == CHIPS


def test_search_clear_best_wins() -> None:
    # Both mention "rate"; only one has "rate cut" as exact consecutive words.
    result = find_story("rate cut", ALL)
    assert (result.story, result.reason) == (FED, "search")


def test_search_tie_is_ambiguous_ranked_by_recency() -> None:
    result = find_story("fed", [CHIPS, FED, FED_CHAIR, ref("fedex", "FedEx")])
    # "fed" is a prefix of two slugs, and a word in two headlines.
    assert result.reason == "ambiguous"
    assert result.story is None
    assert result.suggestions[:2] == [FED, FED_CHAIR]


def test_search_ignores_stopwords_unless_nothing_else() -> None:
    assert find_story("the semiconductor rules", ALL).story == CHIPS
    the_who = ref("the-who-tour", "The Who announce tour")
    assert find_story("the who", [the_who, FED]).story == the_who


def test_ambiguous_respects_limit() -> None:
    many = [ref(f"story-{i}", f"Markets rally {i}", hours_ago=i) for i in range(10)]
    result = find_story("markets rally", many, limit=3)
    assert result.reason == "ambiguous"
    assert [r.slug for r in result.suggestions] == ["story-0", "story-1", "story-2"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fed-rate-cutt", FED),
        ("japan-ai-consortum", JAPAN_AI),
        ("semicondutor tariffs", CHIPS),
        ("powall", FED_CHAIR),
    ],
)
def test_did_you_mean(query: str, expected: StoryRef) -> None:
    result = find_story(query, ALL)
    assert result.story is None
    assert result.reason == "none"
    assert result.suggestions[0] == expected


def test_did_you_mean_shares_words() -> None:
    result = find_story("election results", ALL)
    assert result.reason == "none"
    assert JAPAN_VOTE in result.suggestions


def test_nothing_close_gives_no_suggestions() -> None:
    result = find_story("xylophone", ALL)
    assert (result.story, result.suggestions, result.reason) == (None, [], "none")


def test_empty_query_suggests_recent() -> None:
    result = find_story("  ", ALL, limit=2)
    assert (result.story, result.reason) == (None, "unusable")
    assert result.suggestions == [JAPAN_AI, FED]


def test_no_candidates() -> None:
    assert find_story("anything", []).reason == "none"


def test_search_matches_plural_and_singular_like_topic_queries() -> None:
    vaccine = ref("story-v1", "Vaccine rollout begins in Europe")
    assert find_story("vaccines", [vaccine, FED]).story == vaccine
    # A plural in the headline, a singular typed; and the run of words still ranks first.
    assert find_story("rate cuts", ALL).story == FED
    rules = find_story("semiconductor export rule", ALL)
    assert (rules.story, rules.reason) == (CHIPS, "search")


@pytest.mark.parametrize(
    ("typed", "exact", "inflected"),
    [
        ("covid vaccine", "Covid vaccine approved", "Covid vaccines stall in Europe"),
        ("rate cuts", "Fed signals rate cuts", "ECB holds off on rate cut"),
        ("odds", "Election odds shift", "Odd couple wins award"),
        ("arms", "Arms deal signed", "Arm unveils new chip"),
    ],
)
def test_words_as_typed_win_over_their_plural_or_singular(
    typed: str, exact: str, inflected: str
) -> None:
    # The folding is a fallback: a story with the words as typed is found alone, as before it
    # existed, even when a newer story has only their plural or singular.
    wanted = ref("story-exact", exact, hours_ago=5)
    other = ref("story-inflected", inflected, hours_ago=1)
    found = find_story(typed, [other, wanted])
    assert (found.story, found.reason) == (wanted, "search")


def test_a_plural_or_singular_that_is_a_stopword_does_not_match() -> None:
    # "doe" is not "does": the folding never reaches a stopword the query itself would drop, so
    # the story naming Doe is the answer, and the newer one where "doe" only starts a word is
    # offered next to it.
    law = ref("new-law", "What the new law does for renters", hours_ago=1)
    doe = ref("jane-doe", "Jane Doe named in lawsuit", hours_ago=5)
    found = find_story("doe", [law, doe])
    assert (found.story, found.suggestions) == (doe, [law])


def test_a_lone_stopword_that_names_a_story_still_finds_it() -> None:
    # Country, agency and month names in capitals are stopwords when lowercased; typed alone
    # they are what someone is looking for, not a query with nothing in it.
    trade = ref("us-trade-talks", "US and Canada reopen lumber talks", hours_ago=1)
    outage = ref("it-outage-clinics", "IT outage closes clinics across the region", hours_ago=2)
    month = ref("may-steps-down", "May steps down as club chair", hours_ago=3)
    opening = ref("new-bridge-opens", "New bridge opens over the estuary", hours_ago=4)
    refs = [trade, outage, month, opening]
    assert find_story("US", refs).story == trade
    assert find_story("us", refs).story == trade
    assert find_story("IT", refs).story == outage
    assert find_story("May", refs).story == month
    assert find_story("New", refs).story == opening
    # An article alone still names nothing.
    assert find_story("the", refs).reason == "unusable"
    assert find_story("An", refs).reason == "unusable"


@pytest.mark.parametrize("word", ["will", "and", "of", "is", "he", "this", "new", "may", "who"])
def test_a_lone_lowercase_function_word_is_no_search(word: str) -> None:
    # "will" opened the Fed story because its headline says "it will wait", and "and" the trade
    # talks; "of" found nothing and offered nothing. Like "the", they name no story: the newest
    # are offered as such.
    fed = ref("fed-holds-rates", "Fed holds rates, says it will wait", hours_ago=1)
    talks = ref("us-china-talks", "US and China resume trade talks", hours_ago=2)
    may = ref("may-memoir", "Theresa May publishes memoir", hours_ago=3)
    found = find_story(word, [talks, fed, may])
    assert (found.story, found.reason) == (None, "unusable")
    assert found.suggestions == [fed, talks, may]
    # Typed as a name, the same word is searched.
    assert find_story(word.capitalize(), [talks, fed, may]).reason != "unusable"
