"""Headline cleanup keeps acronyms in normal titles and sentence-cases only shouted ones."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.headline import case_forms, choose_headline, clean_title, is_shouted


def test_acronyms_in_normal_titles_keep_their_case() -> None:
    # Each of these all-caps words is also an English word or a stopword when lowered.
    for title in (
        "US and Brazil sign a new fisheries pact",
        "Brazil says US quotas break WTO rules",
        "Doctors at WHO urge faster measles shots",
        "IT failure delays ferry bookings",
        "Clinics log highest COVID admissions since spring",
        "UNESCO lists a mountain monastery",
        "iPad shipments slip in the autumn quarter",
    ):
        assert clean_title(title) == title


def test_shouted_title_is_sentence_cased_from_the_story_text() -> None:
    forms = case_forms(
        [
            "Fed trims rates again",
            "The Fed lowered its main rate on Thursday, and Chair Lisa Moreau said the FBI was not "
            "involved. A quarter point was expected.",
        ]
    )
    title = "BREAKING: FED TRIMS RATES BY A QUARTER POINT, SAYS MOREAU"
    assert clean_title(title, (), forms) == "Fed trims rates by a quarter point, says Moreau"
    # Without any text to learn from, dotted acronyms still survive.
    assert clean_title("FERRY SERVICE TO U.K. SUSPENDED OVERNIGHT") == (
        "Ferry service to U.K. suspended overnight"
    )


def test_shouted_greek_and_cyrillic_titles_are_fixed() -> None:
    assert is_shouted("ΝΕΑ ΓΕΦΥΡΑ ΑΝΟΙΓΕΙ ΣΤΗ ΘΕΣΣΑΛΟΝΙΚΗ")
    assert clean_title("ΝΕΑ ΓΕΦΥΡΑ ΑΝΟΙΓΕΙ ΣΤΗ ΘΕΣΣΑΛΟΝΙΚΗ") == "Νεα γεφυρα ανοιγει στη θεσσαλονικη"
    forms = case_forms(["Мэр Казани открыл новый мост через реку."])
    assert clean_title("В КАЗАНИ ОТКРЫЛИ НОВЫЙ МОСТ", (), forms) == "В Казани открыли новый мост"


def test_outlet_suffixes_are_always_stripped() -> None:
    assert clean_title("Port strike ends - Harbor Wire", ["Harbor Wire"]) == "Port strike ends"
    assert clean_title("Rail fares rise - Financial Times") == "Rail fares rise"
    assert clean_title("Senate vote slips - Le Monde") == "Senate vote slips"
    assert clean_title("Ferry operator cuts routes | Coastal Courier", ["Coastal Courier"]) == (
        "Ferry operator cuts routes"
    )
    assert clean_title("Mill town votes to reopen its library (Reuters)") == (
        "Mill town votes to reopen its library"
    )
    # A parenthesis that is not an outlet stays.
    assert clean_title("Mayor vetoes budget (again)") == "Mayor vetoes budget (again)"


def test_chosen_headline_uses_cluster_case() -> None:
    body = "The Fed lowered its main rate by a quarter point on Thursday."
    articles = [
        Article(id="1", source="Wire One", title="Fed trims rates - Wire One", text=body),
        Article(id="2", source="Loud Desk", title="FED TRIMS RATES BY A QUARTER POINT", text=body),
    ]
    headline, _ = choose_headline(articles)
    assert headline in {"Fed trims rates", "Fed trims rates by a quarter point"}


def test_stacked_labels_and_live_tags_are_stripped() -> None:
    assert clean_title("WATCH LIVE: Fed raises rates again") == "Fed raises rates again"
    assert clean_title("BREAKING: LIVE: Ferry service halted") == "Ferry service halted"
    assert clean_title("Central bank lifts key rate to 4% - latest updates") == (
        "Central bank lifts key rate to 4%"
    )
    assert clean_title("Storm reaches the coast: live updates") == "Storm reaches the coast"
    assert clean_title("Watch the latest") == "Watch the latest"


def test_outlet_names_after_rarer_separators_and_before_a_colon_are_stripped() -> None:
    for sep in ("::", "/", "»"):
        title = f"Fed raises rates again {sep} Market Pulse"
        assert clean_title(title, ["Market Pulse"]) == "Fed raises rates again", sep
    assert clean_title("Market Pulse: Fed raises rates again", ["Market Pulse"]) == (
        "Fed raises rates again"
    )
    assert clean_title("Reuters | Port workers end strike") == "Port workers end strike"
    # Not an outlet: a place before a colon, a slash inside the title.
    assert clean_title("Veldoria: talks resume in Geneva") == "Veldoria: talks resume in Geneva"
    assert clean_title("Rates rise / Markets Fall") == "Rates rise / Markets Fall"


def test_clickbait_title_loses_to_any_plain_title() -> None:
    body = (
        "The central bank raised its key interest rate by half a point to 4% on Thursday. "
        "Governor Ilse Marrow said inflation remained too high."
    )
    articles = [
        Article(
            id="1",
            source="Buzz Desk",
            title="You won't believe how far the central bank raised its key interest rate",
            text=body,
        ),
        Article(id="2", source="Plain Ledger", title="Rates up again", text=body),
    ]
    assert choose_headline(articles)[0] == "Rates up again"
    # Only bait to choose from: the best of it is still a headline.
    bait = [
        articles[0],
        Article(id="3", source="C", title="Everything we know about rates", text=body),
    ]
    assert choose_headline(bait)[0]
