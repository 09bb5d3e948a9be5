from __future__ import annotations

import re

import pytest

from bot.models import Article
from bot.textutil import words
from bot.topics import QueryError, StoryDoc, TopicQuery
from bot.topics.storydoc import parts as _parts


def doc(text: str, *sources: str) -> StoryDoc:
    return StoryDoc(text=text, sources=sources)


def q(query: str, text: str, *sources: str) -> bool:
    return TopicQuery.parse(query).matches(doc(text, *sources))


def art(i: int, source: str, title: str, text: str = "") -> Article:
    return Article(id=f"a{i}", source=source, title=title, text=text)


# --- words, phrases, normalisation ---------------------------------------------------------


def test_single_word_matches_whole_words_only() -> None:
    assert q("ai", "The AI lab opened")
    assert not q("ai", "The minister said nothing")
    assert not q("ai", "Taiwan chips")


def test_case_and_accent_insensitive_both_ways() -> None:
    assert q("zurich", "Banks in Zürich rallied")
    assert q("Zürich", "ZURICH banks")
    assert q("CAFÉ", "a cafe opened")


def test_word_parts_match_hyphenated_and_possessive_forms() -> None:
    assert q("ai", "AI-powered robots")
    assert q("japan", "Japan's new fund")
    assert q("covid-19", "the covid-19 wave")


def test_phrase_requires_consecutive_words_in_order() -> None:
    assert q('"open ai"', "an Open AI model")
    assert not q('"open ai"', "open source AI")
    assert not q('"open ai"', "AI open letter")
    assert q('"chip export"', "new chip-export rules")


def test_phrase_does_not_span_articles() -> None:
    story = StoryDoc.from_articles([art(1, "A", "Markets open", ""), art(2, "B", "AI rally", "")])
    assert not TopicQuery.parse('"open ai"').matches(story)
    assert TopicQuery.parse("open ai").matches(story)
    title_into_text = StoryDoc.from_articles([art(1, "A", "Markets open", "AI rally")])
    assert not TopicQuery.parse('"open ai"').matches(title_into_text)


def test_curly_quotes_work_as_phrase_quotes() -> None:
    assert q("“open ai”", "open ai lab")
    assert not q("“open ai”", "ai open")


def test_implicit_and_between_adjacent_terms() -> None:
    assert q("ai chips", "AI needs chips")
    assert not q("ai chips", "AI needs power")


def test_lowercase_operators_are_plain_words() -> None:
    assert TopicQuery.parse("ai or chips").describe() == "ai AND or AND chips"


def test_chinese_and_japanese_terms_match_inside_unspaced_text() -> None:
    assert q("日本", "日本経済が回復")
    assert q("経済", "日本の経済が回復")
    assert q('"日本 経済"', "日本経済が回復")  # the space a user types between them is no gap
    assert not q("経済", "日本の景気が回復")
    assert not q("日本経済", "日本の経済")  # still a run: the characters must be consecutive
    assert q("ai", "AI技術の進歩")  # the script change is a word boundary
    assert q("source:日経", "x", "日経新聞")
    assert TopicQuery.parse('"日本 経済"').describe() == "日本経済"
    assert TopicQuery.parse("ai技術").describe() == '"ai 技術"'


def test_other_scripts_keep_whole_word_matching() -> None:
    assert q("한국", "한국 경제 회복")
    assert not q("한국", "한국경제 회복")  # Korean is written with spaces: words stay words
    assert not q("ai", "The minister said nothing")
    assert not q("rain", "Ukraine talks")


# --- operators and precedence ----------------------------------------------------------------


def test_and_or_not() -> None:
    assert q("ai AND chips", "ai chips")
    assert not q("ai AND chips", "ai")
    assert q("ai OR chips", "chips only")
    assert not q("ai OR chips", "nothing here")
    assert q("NOT crypto", "stocks fell")
    assert not q("NOT crypto", "crypto fell")


def test_minus_negates_words_phrases_groups_and_sources() -> None:
    assert not q("ai -crypto", "ai and crypto")
    assert q("ai -crypto", "ai and stocks")
    assert not q('ai -"price target"', "ai price target raised")
    assert q('ai -"price target"', "ai target price")
    assert not q("ai -(sports OR music)", "ai music")
    assert not q("ai -source:tabloid", "ai", "Daily Tabloid")
    assert q("ai -source:tabloid", "ai", "Reuters")


def test_hyphen_inside_word_is_not_negation() -> None:
    assert q("ai-powered", "AI-powered robots")


@pytest.mark.parametrize(
    ("query", "described"),
    [
        ("a OR b c", "a OR (b AND c)"),
        ("a b OR c", "(a AND b) OR c"),
        ("NOT a b", "NOT a AND b"),
        ("NOT a OR b", "NOT a OR b"),
        ("a AND b OR c AND d", "(a AND b) OR (c AND d)"),
        ("(a OR b) c", "(a OR b) AND c"),
        ("NOT (a OR b)", "NOT (a OR b)"),
        ("a AND (b AND c)", "a AND b AND c"),
        ("NOT NOT a", "a"),
    ],
)
def test_precedence_not_and_or(query: str, described: str) -> None:
    assert TopicQuery.parse(query).describe() == described


def test_precedence_semantics() -> None:
    # a OR (b AND c): "a" alone suffices, "b" alone does not.
    assert q("a OR b c", "a")
    assert not q("a OR b c", "b")
    assert not q("NOT a b", "b a")
    assert q("NOT a b", "b")


def test_describe_normalises_and_round_trips() -> None:
    query = TopicQuery.parse('(AI  "Chip  Export") OR source:Reuters -source:"New York Times"')
    text = query.describe()
    # "AI" in capitals asks for the initialism, so it stays in capitals (test_topic_query_initialisms).
    assert text == '(AI AND "chip export") OR (source:reuters AND NOT source:"new york times")'
    assert TopicQuery.parse(text).describe() == text
    assert str(query) == text


def test_bare_word_with_punctuation_becomes_phrase() -> None:
    assert TopicQuery.parse("covid-19").describe() == '"covid 19"'
    # Bare, ai/ml is an error: a / between two words reads as "either" (test_topic_query_separators).
    assert TopicQuery.parse('"ai/ml"').describe() == '"ai ml"'


# --- source filters ----------------------------------------------------------------------


def test_source_filter_word_boundary_containment() -> None:
    assert q("source:reuters", "x", "Thomson Reuters")
    assert q('source:"new york times"', "x", "The New York Times")
    assert q("source:times", "x", "Financial Times")
    assert not q("source:time", "x", "Financial Times")
    assert not q('source:"york new"', "x", "The New York Times")
    assert q("source:nikkei", "x", "asia.nikkei.com")
    assert q("SOURCE:Le-Monde", "x", "Le Monde")


def test_source_filter_does_not_look_at_text() -> None:
    assert not q("source:reuters", "Reuters reported", "AP")


# --- story-level matching ----------------------------------------------------------------


def test_terms_spread_across_articles_match_the_story() -> None:
    articles = [
        art(1, "Nikkei Asia", "Japan backs AI consortium", "SoftBank will lead."),
        art(2, "Reuters", "Tokyo fund", "Export rules for chips were not discussed."),
    ]
    story = StoryDoc.from_articles(articles)
    assert story.sources == ("Nikkei Asia", "Reuters")
    # Each term where the story says what it is about: its reports' titles here. (A term one
    # of two outlets mentions only in its text, "softbank" or "chips", is a passing mention:
    # tests/test_topic_match_prominence.py.)
    assert TopicQuery.parse("consortium AND fund").matches(story)
    assert TopicQuery.parse("consortium source:reuters").matches(story)
    # A negation leaves out what the story is about (its headline, or most of its articles),
    # not a story one of two outlets also covered (tests/test_topic_query_negation.py).
    assert TopicQuery.parse("consortium -source:reuters").matches(story)
    assert TopicQuery.parse("(ai consortium) NOT tokyo").matches(story)
    assert not TopicQuery.parse("(ai consortium) NOT japan").matches(story)  # the headline's
    # Neither article alone satisfies it.
    for single in articles:
        assert not TopicQuery.parse("consortium fund").matches(StoryDoc.from_articles([single]))


def test_doc_indexes_are_built_once() -> None:
    story = doc("Alpha beta gamma")
    assert story.word_set is story.word_set
    assert story.tokens == ("alpha", "beta", "gamma")


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "position", "fragment"),
    [
        ("(ai OR chips", 0, "unbalanced parenthesis"),  # the ( left open
        ("ai OR chips)", 11, "unbalanced parenthesis"),
        ("((ai)", 0, "unbalanced parenthesis"),
        ("()", 0, "empty parentheses"),
        ("ai AND", 3, "AND"),
        ("ai OR", 3, "OR"),
        ("OR ai", 0, "OR"),
        ("ai AND OR chips", 3, "AND"),
        ("NOT", 0, "NOT"),
        ("ai -", 3, "-"),
        ("(ai NOT)", 4, "NOT"),
        ("", 0, "empty query"),
        ("   ", 0, "empty query"),
        ('ai "open', 3, "unterminated quote"),
        ('source:"new york', 7, "unterminated quote"),
        ("ai source:", 3, "source:"),
        ('source:""', 0, "source:"),
        ('ai ""', 3, "phrase"),
        ("ai &&", 3, "use AND"),
        ("ai ~~", 3, "term"),
        ("ai ” x", 3, "quote"),
    ],
)
def test_invalid_queries_report_position(query: str, position: int, fragment: str) -> None:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse(query)
    err = info.value
    assert err.position == position
    assert fragment in err.message
    assert err.query == query
    assert isinstance(err, ValueError)


def test_runaway_nesting_is_a_query_error_at_the_first_paren_too_deep() -> None:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse("(" * 400 + "chips" + ")" * 400)
    assert info.value.message == "parentheses nested more than 20 deep"
    assert info.value.position == 20
    assert TopicQuery.parse("(" * 20 + "chips" + ")" * 20).describe() == "chips"


def test_a_long_run_of_negations_is_parsed_not_a_crash() -> None:
    # Within the 1,000-character limit (test_topic_query_size), which a longer run is over.
    assert TopicQuery.parse("NOT " * 247 + "chips").describe() == "NOT chips"
    assert TopicQuery.parse("-" * 990 + "chips").describe() == "chips"


def test_error_str_points_with_caret() -> None:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse("(ai OR chips")
    assert str(info.value) == (
        "At character 1: unbalanced parenthesis: this ( is never closed\n  (ai OR chips\n  ^"
    )


def test_error_caret_stays_aligned_with_tabs() -> None:
    with pytest.raises(QueryError) as info:
        TopicQuery.parse("ai\tAND")
    lines = str(info.value).splitlines()
    assert lines[1].index("A") == lines[2].index("^")


def test_matching_units_are_textutil_words_split_at_inner_punctuation() -> None:
    # query.py tokenises with one regex for speed; it must agree with textutil.words.
    sample = "Japan’s AI-powered U.S. chips, covid-19 o'clock x_y Zürich ﬁnance ²nd -lead- 'quoted'"
    expected = [p for w in words(sample) for p in re.split(r"[-.']+", w) if p]
    assert _parts(sample) == expected


def test_an_error_s_place_leads_rather_than_ends_its_sentence() -> None:
    # "…in quotes to find it as written) at 5:" read as part of the hint's sentence.
    with pytest.raises(QueryError) as info:
        TopicQuery.parse("chip|wafer")
    assert str(info.value) == (
        'At character 5: | is not an operator: use OR or spaces between words (or "chip|wafer" '
        "in quotes to find it as written)\n  chip|wafer\n      ^"
    )
