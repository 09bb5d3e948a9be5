"""One act on other dates, or the opposite act, is two facts however alike the words: two bullets,
an outlet telling the other one keeps its angle, a quote telling it is news under the bullet, and
a sentence telling it backs no bullet, not even quoting its words. The same act told with other background, or
its date given a day off (another time zone) or not at all, is still one.

Every story here is invented."""

from __future__ import annotations

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize.angles import build_angles
from bot.summarize.candidates import TldrParams, _repeats
from bot.summarize.grounding import figures, supporting_outlets
from bot.summarize.occasions import other_occasion
from bot.summarize.quotes import pick_quote
from bot.summarize.restated import cores_alike, one_remark
from bot.summarize.sentences import content_stems
from bot.summarize.told import Told
from tests.test_tldr_repeats import _option

MONDAY = "The Tolberg council voted on Monday to close the old ferry pier, ending years of debate."
THURSDAY = "The Tolberg council voted on Thursday to close the old ferry pier after a long hearing."
FOR = "The harbour board voted for the new fishing quota, a first since the war."
AGAINST = "The harbour board voted against the new fishing quota, as protests grew in Tarn."


def _two_bullets(a: str, b: str) -> bool:
    return not _repeats(_option(a), _option(b, 1), TldrParams())


def test_one_act_on_days_apart_is_two_bullets() -> None:
    assert _two_bullets(MONDAY, THURSDAY)
    assert not cores_alike(MONDAY, THURSDAY)
    # Word for word but the day: still two votes.
    assert _two_bullets(
        "The Tolberg council voted on Monday to close the old ferry pier.",
        "The Tolberg council voted on Thursday to close the old ferry pier.",
    )
    assert _two_bullets(
        "The Tolberg council voted on March 3 to close the old ferry pier.",
        "The Tolberg council voted on March 19 to close the old ferry pier.",
    )


def test_opposite_sides_of_one_act_are_two_bullets() -> None:
    assert _two_bullets(FOR, AGAINST)
    assert not cores_alike(FOR, AGAINST)
    assert _two_bullets(
        "Senator Ada Wren voted in favour of the budget bill on Tuesday.",
        "Senator Ada Wren voted against the budget bill on Tuesday.",
    )
    assert _two_bullets(
        "The Tarn court ruled in favour of the ferry crews in the pay dispute on Monday.",
        "The Tarn court ruled against the ferry crews in the pay dispute on Monday.",
    )


def test_one_act_told_twice_is_still_one_bullet() -> None:
    one = "The Tolberg council voted on Monday to close the old ferry pier."
    for other in (
        "On Monday the Tolberg council voted to close the old ferry pier.",
        "The Tolberg council voted last week to close the old ferry pier.",
        # A day apart: late on Monday in one time zone is Tuesday in another.
        "The Tolberg council voted on Tuesday to close the old ferry pier.",
        # The other date is background: the vote's own day is shared.
        "The Tolberg council voted on Monday to close the old ferry pier before Friday's hearing.",
    ):
        assert not other_occasion(one, other), other
        assert not _two_bullets(one, other), other
    # "for" and "against" of a verb that takes no side are no sides.
    assert not other_occasion(
        "Prosecutors filed charges against Ada Wren on Monday.",
        "Prosecutors filed charges for fraud on Monday.",
    )
    # A sentence telling both sides takes neither against the other.
    assert not other_occasion(
        "The board voted for the quota and against the new fees.",
        "The board voted against the new fees.",
    )


def test_only_the_acts_own_date_tells_another_occasion() -> None:
    # A date in a clause hung on the act (a relative, a participle, an "and" clause) or a
    # bound ("from", "by") is another event's: one vote, one storm, one bullet.
    for one, other in (
        (
            "The Tolberg council voted on Tuesday to close the old ferry pier.",
            "The Tolberg council voted to close the old ferry pier, which will shut on Friday.",
        ),
        (
            "The Tolberg council voted on March 3 to close the old ferry pier.",
            "The Tolberg council voted to close the old ferry pier from March 20.",
        ),
        (
            "Storm Ada hit the coast on Saturday, cutting power to 40,000 homes.",
            "Storm Ada cut power to 40,000 homes, and crews expect to restore it by Tuesday.",
        ),
        (
            "Storm Ada, which formed on Thursday, hit the coast of Tarn on Saturday.",
            "Storm Ada hit the coast of Tarn on Saturday night.",
        ),
    ):
        assert not other_occasion(one, other), other
        assert not _two_bullets(one, other), other
    pier = _story(
        ("Quay Herald", "Pier to close", "The Tolberg council voted on Tuesday to close the pier."),
        (
            "Fjord Post",
            "Pier",
            "The Tolberg council voted to close the pier, which shuts on Friday.",
        ),
    )
    backers = supporting_outlets(pier[0].text, "Quay Herald", pier, outlet_names(pier))
    assert backers == ["Quay Herald", "Fjord Post"]
    # The act's own date still counts wherever its clause puts it.
    assert other_occasion(
        "Storm Ada, which formed on Thursday, hit the coast of Tarn on Saturday.",
        "On Wednesday, Storm Ada hit the coast of Tarn.",
    )
    # A date of its own on the other side of a break before the act's other date: two votes.
    assert other_occasion(
        "The Tolberg council voted on Monday, before Thursday's final vote, to close the pier.",
        "The Tolberg council voted on Thursday to close the old ferry pier.",
    )


def test_one_ruling_told_from_both_parties_sides_is_one_bullet() -> None:
    # "For" one party and "against" the other is one ruling: sides are opposite only on one
    # thing, or when the other names nothing.
    winner = "A Tarn judge ruled in favour of Quayline on Monday in its pay dispute with the crews."
    loser = (
        "A Tarn judge ruled against the ferry crews on Monday in their pay dispute with Quayline."
    )
    assert not other_occasion(winner, loser)
    assert not _two_bullets(winner, loser)
    ruling = _story(("Quay Herald", "Ruling", winner), ("Fjord Post", "Crews lose", loser))
    backers = supporting_outlets(winner, "Quay Herald", ruling, outlet_names(ruling))
    assert backers == ["Quay Herald", "Fjord Post"]
    assert not other_occasion(
        "The minister spoke for an hour about the harbour budget.",
        "The minister spoke against the harbour budget cuts.",
    )
    assert other_occasion(winner, winner.replace("in favour of", "against"))
    assert other_occasion(
        "Senator Ada Wren voted against it on Tuesday.",
        "Senator Ada Wren voted for the budget bill on Tuesday.",
    )


def test_one_speakers_remarks_days_apart_are_two() -> None:
    a = "Premier Eva Lind said on Monday in Tolberg that the ferry deal was “a good start” for Holm."
    b = "Premier Eva Lind said on Friday in Tolberg that the ferry deal was “far from enough” for Holm."
    assert not one_remark(a, b)
    assert one_remark(a, b.replace("Friday", "Monday"))


def _story(*outlets: tuple[str, str, str]) -> list[Article]:
    return [
        Article(id=f"s{i}", source=source, title=title, text=text)
        for i, (source, title, text) in enumerate(outlets)
    ]


def test_an_outlet_telling_the_opposite_vote_keeps_its_angle() -> None:
    articles = _story(
        ("Quay Herald", "Board backs fishing quota", FOR),
        (
            "Fjord Post",
            "Board votes down quota",
            "The harbour board voted against the new fishing quota on Monday, as protests grew.",
        ),
    )
    angles, also = build_angles(articles, outlet_names(articles), "Quay Herald", tldr=[FOR])
    assert [a.source for a in angles] == ["Fjord Post"] and also == []


def test_an_outlet_telling_the_opposite_vote_does_not_report_the_bullet() -> None:
    articles = _story(
        ("Quay Herald", "Board backs fishing quota", FOR),
        ("Fjord Post", "Protests in Tarn", AGAINST),
        ("Metro Sound", "Quota vote", "The harbour board voted for the new fishing quota."),
    )
    backers = supporting_outlets(FOR, "Quay Herald", articles, outlet_names(articles))
    assert backers == ["Quay Herald", "Metro Sound"]


def _told(*bullets: str) -> Told:
    told = [(frozenset(content_stems(b)), figures(b)) for b in bullets]
    return Told(bullets=told, figures=frozenset().union(*(f for _, f in told)), texts=bullets)


def test_a_quote_telling_another_occasion_of_a_bullets_act_is_news() -> None:
    one = "The Tolberg council voted on Monday to close the old ferry pier."
    thursday = "The Tolberg council voted on Thursday to close the old ferry pier after a hearing."
    assert not _told(one).retold_by(thursday)
    assert not _told(FOR).retold_by(AGAINST)
    # The same vote told again is still a retelling.
    assert _told(one).retold_by(thursday.replace("Thursday", "Monday"))
    assert _told(FOR).retold_by("The harbour board voted for the new fishing quota on Monday.")
    article = Article(id="t1", source="Fjord Post", title="Pier vote", text=thursday)
    quote = pick_quote([(1.0, thursday, article, ["Thursday", "hearing"])], _told(one))
    assert quote == thursday


def test_a_quote_telling_another_occasion_of_the_headlines_act_is_news() -> None:
    headline = "Tolberg council votes on Monday to close old ferry pier"
    one = "The Tolberg council voted on Monday to close the old ferry pier."
    thursday = "The Tolberg council voted on Thursday to close the old ferry pier after a hearing."
    stems = frozenset(content_stems(headline))
    bullet = (frozenset(content_stems(one)), figures(one))
    # Its words cover the headline, but it tells another day's vote.
    assert not Told(headline=stems, bullets=[bullet], texts=[one]).retold_by(thursday)
    assert not Told(headline=stems, headline_text=headline).retold_by(thursday)
    # The headline's own vote told again still is a retelling.
    monday = thursday.replace("Thursday", "Monday")
    assert Told(headline=stems, bullets=[bullet], texts=[one]).retold_by(monday)
    assert Told(headline=stems, headline_text=headline).retold_by(monday)


def test_a_shared_quotation_on_another_day_does_not_report_the_bullet() -> None:
    said = (
        "Mayor Ola Berg said on Monday that closing the pier was “a sad day for Tolberg fishermen”."
    )
    articles = _story(
        ("Quay Herald", "Pier shuts", said),
        # The same words, word for word, said again three days later: another remark.
        ("Fjord Post", "Pier", said.replace("Monday", "Thursday")),
        ("Metro Sound", "Pier", said.replace("said on Monday that", "said on Monday, as it shut,")),
    )
    backers = supporting_outlets(said, "Quay Herald", articles, outlet_names(articles))
    assert backers == ["Quay Herald", "Metro Sound"]


def test_one_votes_shares_told_from_both_sides_are_one_fact() -> None:
    # The shares of one ballot, summing to about 100, tell one result from its two sides.
    for share_for, share_against in (
        ("60% of the dock workers voted for it.", "40% of the dock workers voted against it."),
        (
            "Some 52.4 per cent of Tarn voters voted in favour of the ferry levy.",
            "About 47.6 percent of Tarn voters voted against the ferry levy.",
        ),
        (
            "Of the 900 dock workers balloted, 61% voted for the strike.",
            "Of the 900 dock workers balloted, 38% voted against the strike.",
        ),
    ):
        assert not other_occasion(share_for, share_against), share_against
        assert not _two_bullets(share_for, share_against), share_against
    # Shares that are not one ballot's parts, or a side with no share, are still two facts.
    for share_for, share_against in (
        ("60% of the dock workers voted for the strike.", "60% of the dock workers voted against the strike."),
        ("60% of the dock workers voted for the strike.", "55% of the dock workers voted against the strike."),
        ("60% of the dock workers voted for the strike.", "The harbour board voted against the strike."),
    ):  # fmt: skip
        assert other_occasion(share_for, share_against), share_against
        assert _two_bullets(share_for, share_against), share_against
