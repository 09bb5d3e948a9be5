"""Which of an entry's bodies becomes its text: the content, unless the content has no words
(an image, an empty paragraph) or far fewer than the summary beside it."""

from __future__ import annotations

from bot.ingest.parser import parse_feed


def _rss(description: str, content: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Lakeside Herald</title><link>https://herald.example.net/</link>"
        "<item><title>Ferry timetable changes</title>"
        "<link>https://herald.example.net/ferry</link>"
        f"<description>{description}</description>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded>"
        "</item></channel></rss>"
    ).encode()


def _text(description: str, content: str) -> str:
    return parse_feed(_rss(description, content)).entries[0].text


def test_content_that_is_only_a_picture_gives_way_to_the_description() -> None:
    text = _text(
        "The winter ferry leaves at seven from next week.",
        '<figure><img src="https://herald.example.net/boat.jpg" alt=""></figure>',
    )
    assert text == "The winter ferry leaves at seven from next week."


def test_an_empty_paragraph_gives_way_to_the_description() -> None:
    assert _text("Night crossings stop in March.", " <p> </p> ") == "Night crossings stop in March."


def test_a_stub_of_content_gives_way_to_a_much_longer_description() -> None:
    long = (
        "&lt;p&gt;The council voted to cut the night crossings, citing fuel costs, and the"
        " ferry company says the morning boats will run twice as often.&lt;/p&gt;"
    )
    assert _text(long, "<p>More.</p>").startswith("The council voted to cut the night crossings")


def test_full_content_still_beats_its_teaser() -> None:
    text = _text(
        "The council voted to cut...",
        "<p>The council voted to cut the night crossings.</p><p>Fuel costs were cited.</p>",
    )
    assert text == "The council voted to cut the night crossings.\nFuel costs were cited."


def test_content_a_little_shorter_than_the_description_is_kept() -> None:
    text = _text(
        "Boats run every hour from May, the company said on Monday.",
        "<p>Boats run every hour from May.</p>",
    )
    assert text == "Boats run every hour from May."


def test_an_entry_with_only_a_description_keeps_it() -> None:
    body = (
        b'<rss version="2.0"><channel><title>H</title><item><title>Quay</title>'
        b"<link>https://herald.example.net/quay</link>"
        b"<description>The quay reopens.</description></item></channel></rss>"
    )
    assert parse_feed(body).entries[0].text == "The quay reopens."
