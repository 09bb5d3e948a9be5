"""Slug words that say one thing twice, or that only a side piece has.

A place and its people ("syria" and "syrian") or a word and its plural make a slug that stutters;
a rare name from one later profile piece named a story after a bystander, not its event."""

from __future__ import annotations

import pytest

from bot.cluster.slugs import _without_repeats, make_slug
from bot.models import Article


def _slug(*reports: tuple[str, str]) -> str:
    articles = [
        Article(id=str(i), source=f"Desk {i}", title=title, text=lead)
        for i, (title, lead) in enumerate(reports)
    ]
    return make_slug(articles, lambda s: False)


@pytest.mark.parametrize(
    ("ranked", "kept"),
    [
        (["syrian", "syria", "camp"], ["syrian", "camp"]),
        (["iran", "iranian", "talks"], ["iran", "talks"]),
        (["ukrainian", "ukraine", "grain"], ["ukrainian", "grain"]),
        (["elections", "election", "vardania"], ["elections", "vardania"]),
        (["chinese", "china", "tariffs"], ["chinese", "tariffs"]),
        (["australians", "australia", "camp"], ["australians", "camp"]),
        # Words that only look alike stay apart.
        (["iran", "iraq", "oil"], ["iran", "iraq", "oil"]),
        (["paris", "party", "vote"], ["paris", "party", "vote"]),
    ],
)
def test_a_word_and_its_variant_take_one_place(ranked: list[str], kept: list[str]) -> None:
    assert _without_repeats(ranked) == kept


def test_a_place_and_its_people_do_not_both_name_a_story() -> None:
    slug = _slug(
        ("Vardanian guards turn back returning families at Vardania camp", ""),
        ("Kestria refuses to bring home families held in Vardania", "Vardanian camp guards"),
    )
    assert not {"vardania", "vardanian"} <= set(slug.split("-")), slug


def test_a_name_only_a_later_profile_has_does_not_name_the_story() -> None:
    slug = _slug(
        (
            "Norvalia's new premier is sworn in after a landslide vote",
            "Norvalia's new premier took the oath on Tuesday after his party's landslide.",
        ),
        (
            "All about Tobias Quellmark, the only farmer in Norvalia's new cabinet",
            "Norvalia's new premier was sworn in on Tuesday with a cabinet of twenty.",
        ),
    )
    assert "norvalia" in slug.split("-"), slug
    assert not {"tobias", "quellmark", "farmer"} & set(slug.split("-")), slug


def test_a_name_the_first_report_gives_still_names_the_story() -> None:
    slug = _slug(
        (
            "What Norvalia's new leader Idris Kallemund means for the region",
            "Idris Kallemund returned from exile seven weeks ago.",
        ),
        (
            "Key Norvalia vote returns the old guard to power",
            "The opposition claimed a clear win in Norvalia's first vote since the uprising.",
        ),
    )
    assert {"idris", "kallemund"} & set(slug.split("-")), slug
