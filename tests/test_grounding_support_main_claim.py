"""An outlet reports a bullet when it carries the bullet's main claim, even if it leaves out a date
or a secondary figure; it does not when it gives another figure or says the opposite.

Every story here is invented. Reviewers found cards saying "reported by 1 of 3" where all three
outlets reported the event, because one outlet added a passenger count the others left out.
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


FINE = (
    "The Lindmark ferry operator was fined 80,000 euros on Friday over an engine fire that "
    "forced 300 passengers to evacuate last spring."
)
FERRY = (
    "Quay Herald",
    "Lindmark ferry operator fined over engine fire",
    FINE + " Inspectors said maintenance logs had been falsified.",
)


def test_outlets_leaving_out_a_secondary_figure_still_report_the_fact() -> None:
    articles = _story(
        FERRY,
        (
            "Fjord Post",
            "Ferry firm fined",
            "Regulators fined the Lindmark ferry operator 80,000 euros on Friday over last "
            "spring's engine fire. The company will retrain its crews.",
        ),
        (
            "Metro Sound",
            "Ferry company penalised after blaze",
            "The Lindmark ferry operator was fined 80,000 euros on Friday over the engine fire. "
            "Passengers praised the crew.",
        ),
    )
    assert _support(FINE, "Quay Herald", articles) == ["Quay Herald", "Fjord Post", "Metro Sound"]


def test_a_missing_date_or_year_does_not_veto_support() -> None:
    articles = _story(
        (
            "Quay Herald",
            "Harbour wall collapse",
            "A 40-metre section of the Lindmark harbour wall, built in 1911, collapsed on Jan. 6 "
            "after a storm surge.",
        ),
        (
            "Fjord Post",
            "Storm surge brings down harbour wall",
            "A storm surge brought down a 40-metre section of the Lindmark harbour wall.",
        ),
    )
    bullet = articles[0].text
    assert _support(bullet, "Quay Herald", articles) == ["Quay Herald", "Fjord Post"]


def test_a_negation_outside_the_shared_words_does_not_veto_support() -> None:
    articles = _story(
        (
            "North Ledger",
            "Governor may call in army medics",
            "The governor of Carrow is considering using army medics and retired nurses to staff "
            "hospitals. A decision is expected this weekend.",
        ),
        (
            "South Courier",
            "Army medics could fill hospital gaps",
            "The governor of Carrow is considering using army medics and retired nurses to staff "
            "hospitals with care workers possibly losing their jobs for not meeting a vaccine "
            "deadline on Monday.",
        ),
    )
    bullet = "The governor of Carrow is considering using army medics and retired nurses to staff hospitals."
    assert _support(bullet, "North Ledger", articles) == ["North Ledger", "South Courier"]


def test_another_figure_is_no_support_even_for_a_secondary_one() -> None:
    articles = _story(
        FERRY,
        (
            "Fjord Post",
            "Ferry firm fined 90,000 euros",
            "Regulators fined the Lindmark ferry operator 90,000 euros on Friday over last "
            "spring's engine fire.",
        ),
        (
            "Metro Sound",
            "Ferry operator fined",
            "The Lindmark ferry operator was fined 80,000 euros on Friday over an engine fire "
            "that forced 250 passengers to evacuate last spring.",
        ),
    )
    assert _support(FINE, "Quay Herald", articles) == ["Quay Herald"]


def test_the_opposite_claim_is_no_support() -> None:
    articles = _story(
        FERRY,
        (
            "Fjord Post",
            "Ferry operator escapes fine",
            "The Lindmark ferry operator was not fined 80,000 euros on Friday over the engine "
            "fire, a court ruled.",
        ),
        (
            "Metro Sound",
            "No fine for ferry operator",
            "Regulators have not fined the Lindmark ferry operator over the engine fire.",
        ),
    )
    assert _support(FINE, "Quay Herald", articles) == ["Quay Herald"]
    passengers = "The engine fire forced 300 passengers to evacuate."
    nobody = _story(
        FERRY,
        ("Fjord Post", "Ferry fire", "The engine fire forced no passengers to evacuate."),
    )
    assert _support(passengers, "Quay Herald", nobody) == ["Quay Herald"]


def test_an_outlet_with_the_main_clause_but_not_the_tail_reports_the_bullet() -> None:
    bullet = (
        "The Lindmark council approved a new harbour bridge on Tuesday, ending a decade of "
        "disputes between fishermen, ferry companies and the port authority over its landing."
    )
    articles = _story(
        ("Quay Herald", "Harbour bridge approved", bullet),
        (
            "Fjord Post",
            "Council votes for bridge",
            "Lindmark councillors approved the new harbour bridge on Tuesday after a three-hour "
            "debate in which critics of the mayor walked out of the chamber.",
        ),
        (
            "Metro Sound",
            "Critics walk out",
            "Critics of the mayor walked out of the Lindmark council chamber on Tuesday during a "
            "three-hour debate on ferry fares.",
        ),
    )
    # Metro Sound was at the same meeting but reports no bridge.
    assert _support(bullet, "Quay Herald", articles) == ["Quay Herald", "Fjord Post"]


def test_a_participle_opener_is_not_the_main_clause() -> None:
    bullet = (
        "Speaking at the Lindmark harbour celebrations, a parade of restored trawlers "
        "underlined the mayor's promise to bring the fleet home."
    )
    articles = _story(
        ("Quay Herald", "Mayor vows to reopen port", bullet),
        (
            "Fjord Post",
            "Port to reopen",
            "The mayor spoke at the Lindmark harbour celebrations on Saturday about ferry fares.",
        ),
    )
    assert _support(bullet, "Quay Herald", articles) == ["Quay Herald"]
