"""An outlet backs a bullet when it tells the bullet's claim, not when it shares only its names,
its day, its subject and its topic.

Every story here is invented. A reviewer found "reported by 8 of 9" on a bullet saying a health
agency let vaccinated people go outdoors without masks, where three of the eight reported the
agency telling them to wear masks again months later: they shared the agency's long name, the
weekday, "fully vaccinated" and "masks", and none of the claim.
"""

from __future__ import annotations

from bot.models import Article
from bot.outlets import outlet_names
from bot.summarize.grounding import supporting_outlets


def _story(*outlets: tuple[str, str, str]) -> list[Article]:
    return [
        Article(id=f"s{i}", source=source, title=title, text=text)
        for i, (source, title, text) in enumerate(outlets)
    ]


def _support(text: str, origin: str, articles: list[Article]) -> list[str]:
    return supporting_outlets(text, origin, articles, outlet_names(articles))


PROMENADE = (
    "Registered cyclists can ride the promenade without helmets, according to updated rules "
    "from the Tarn Harbour Development Board issued Tuesday."
)


def _promenade_story() -> list[Article]:
    return _story(
        ("Quay Herald", "Cyclists may ride the promenade bare-headed", PROMENADE),
        (
            "Fjord Post",
            "Harbour board relaxes promenade rules",
            "Registered cyclists may now ride along the promenade without a helmet, the Tarn "
            "Harbour Development Board said on Tuesday.",
        ),
        (
            "Metro Sound",
            "Helmets back on the promenade",
            "The Tarn Harbour Development Board on Tuesday reversed its updated rules, saying "
            "registered cyclists must wear helmets again after a rise in falls.",
        ),
        (
            "Tide Wire",
            "Board orders helmets for cyclists",
            "Registered cyclists should wear helmets on busy days, the Tarn Harbour Development "
            "Board said in rules issued Tuesday.",
        ),
    )


def test_an_outlet_telling_the_opposite_rule_does_not_back_the_bullet() -> None:
    # Metro Sound and Tide Wire share the board, the day, "registered cyclists", "helmets",
    # "rules" and "updated" or "issued": the setting, not "ride ... without helmets".
    assert _support(PROMENADE, "Quay Herald", _promenade_story()) == ["Quay Herald", "Fjord Post"]


def test_going_without_and_giving_up_are_the_same_claim() -> None:
    # "ditch", "forgo" and "stop wearing" tell what "without" does.
    for told in (
        "Registered cyclists can ditch helmets on the promenade, the board said.",
        "Registered cyclists can forgo wearing helmets on the promenade, the board said.",
        "Registered cyclists can stop wearing helmets on the promenade, the board said.",
    ):
        articles = _story(
            ("Quay Herald", "Cyclists may ride the promenade bare-headed", PROMENADE),
            ("Fjord Post", "Harbour board relaxes promenade rules", told),
            ("Metro Sound", "Harbour news", "The ferry timetable changes next month."),
        )
        assert _support(PROMENADE, "Quay Herald", articles) == ["Quay Herald", "Fjord Post"], told


def test_without_denies_only_what_follows_it() -> None:
    # "fired without notice" still says the firing happened: an outlet that reports the firing
    # and leaves out the notice backs it.
    fired = "The Lindmark ferry operator fired its chief engineer without notice on Monday."
    articles = _story(
        ("Quay Herald", "Ferry operator fires chief engineer", fired),
        (
            "Fjord Post",
            "Lindmark ferry engineer dismissed",
            "The Lindmark ferry operator fired its chief engineer on Monday after an engine fire.",
        ),
        ("Metro Sound", "Harbour news", "The ferry timetable changes next month."),
    )
    assert _support(fired, "Quay Herald", articles) == ["Quay Herald", "Fjord Post"]


def test_a_long_name_and_a_weekday_are_not_a_claim() -> None:
    # "Tarn Harbour Development Board of Lindmark" is one board, not five words of evidence;
    # with the weekday it says who and when, not that the board raised the fares.
    fares = "The Tarn Harbour Development Board of Lindmark raised fares on Tuesday."
    articles = _story(
        ("Quay Herald", "Ferry fares up by a third", fares),
        (
            "Fjord Post",
            "Harbour board elects chair",
            "The Tarn Harbour Development Board of Lindmark elected Ada Wren as its chair on "
            "Tuesday.",
        ),
        (
            "Metro Sound",
            "Ferry fares rise",
            "Fares will rise by a third, the Tarn Harbour Development Board of Lindmark said "
            "on Tuesday.",
        ),
    )
    assert _support(fares, "Quay Herald", articles) == ["Quay Herald", "Metro Sound"]


def test_the_subject_and_the_place_are_not_what_happened() -> None:
    # The fishermen, the town and the day are shared; the protest is not.
    protest = "Local fishermen in Lindmark protested the quota on Friday."
    articles = _story(
        ("Quay Herald", "Fishermen protest quota", protest),
        (
            "Fjord Post",
            "Record catch in Lindmark",
            "Local fishermen in Lindmark landed a record catch of herring on Friday.",
        ),
        (
            "Metro Sound",
            "Quota protest in Lindmark",
            "Local fishermen protested on Friday against the quota in Lindmark.",
        ),
    )
    assert _support(protest, "Quay Herald", articles) == ["Quay Herald", "Metro Sound"]
