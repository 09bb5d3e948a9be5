"""Case in headlines: telling a shouted title, and giving it back the case the story's own text
uses, while acronyms keep their capitals."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from bot.summarize.calendar_words import CAPITALISED_NAMES
from bot.textutil import STOPWORDS

# Short all-caps words are usually acronyms (NASA, FBI, NYC) and keep their case in a shouted title
# unless the story's own text writes them otherwise.
_ACRONYM_MAX = 3
# Acronyms that keep their capitals in a shouted title even when the story's text never writes them:
# most are longer than _ACRONYM_MAX, and US is a stopword, but in a shouted headline the country is
# far likelier than the pronoun. The second line's agencies and bodies are said as words (FEMA,
# OSHA), so before a dash they would pass for a dateline's city too (see `datelines`).
_KNOWN_ACRONYMS = frozenset(
    """
    us usa uk eu un nato nasa fbi cia nsa covid ceo cfo gdp imf opec unesco unicef nhs bbc cnn
    nba nfl nhl mlb fifa uefa ipo sec fda epa cdc irs doj gop lgbt lgbtq uae nyc
    fema osha noaa usda nist ntsb nhtsa usps ncaa aarp naacp aclu asean oecd iaea unhcr unrwa
    icao nafta cern darpa
    """.split()
)
# In a title that is not shouted as a whole, this many all-caps words of at least _SHOUTED_WORD
# letters, none of them an acronym, in a row are shouting ("CITY COUNCIL APPROVES new budget"); a
# lone all-caps word is more likely an acronym nobody listed.
_SHOUTED_RUN = 2
_SHOUTED_WORD = 3
# Emphasis words shouted inside an otherwise normal title ("SHOCKING video shows..."). Only these
# are lowered there: any other all-caps word in a normal title is an acronym (US, WHO, IT, COVID).
_EMPHASIS = frozenset(
    """
    shocking amazing incredible unbelievable insane stunning huge massive urgent horrifying
    terrifying outrageous devastating heartbreaking breaking exclusive watch must
    """.split()
)
# A word with its inner dots, apostrophes and ampersands (U.S., O'BRIEN, AT&T), any script.
_TOKEN_RE = re.compile(r"[^\W_]+(?:[.'’&][^\W_]+)*\.?")
# After these a capital only marks the start of a sentence or quote, not a proper noun.
_SENTENCE_END = '.!?:;"“”«»(—–-|'
_SHOUTED_SHARE = 0.75
_SHOUTED_MIN_LETTERS = 8


def is_shouted(text: str) -> bool:
    """Most cased letters are uppercase (works for any cased script: Latin, Greek, Cyrillic)."""
    cased = [c for c in text if c.isupper() or c.islower()]
    if len(cased) <= _SHOUTED_MIN_LETTERS:
        return False
    return sum(c.isupper() for c in cased) / len(cased) >= _SHOUTED_SHARE


# Short words that headline title case (AP, Chicago, the NYT's) leaves in lower case. A title
# that capitalises them too ("Mayor To Open Bridge In Spring") capitalises every word: its
# capitals say nothing of which words are names, so it teaches no word's case (`case_forms`).
# It is still shown as written: recasing it from the text lowered names ("Theresa may backs").
_TITLE_CASE_SMALL = frozenset("a an the of to in on at for by and or as".split())
_TITLE_CASE_MIN_WORDS = 4


def is_title_cased(text: str) -> bool:
    """Whether every word of `text` is capitalised, its small words ("Of", "To", "In") too."""
    tokens = [t for t in _TOKEN_RE.findall(text) if any(c.isalpha() for c in t)]
    if len(tokens) < _TITLE_CASE_MIN_WORDS or is_shouted(text):
        return False
    if not all(t[0].isupper() or not t[0].isalpha() for t in tokens):
        return False
    return any(t.casefold() in _TITLE_CASE_SMALL and t[1:].islower() for t in tokens[1:])


def case_forms(texts: Iterable[str]) -> dict[str, str]:
    """How the story's own text writes each word: 'fbi' -> 'FBI', 'powell' -> 'Powell'.

    A shouted title has lost its case; the other titles and the article texts usually still have
    it. A capital at a sentence start says nothing, so such words only count when they carry
    capitals past the first letter (FBI, iPhone).
    """
    counts: dict[str, Counter[str]] = {}
    for text in texts:
        if not text or is_shouted(text) or is_title_cased(text):
            continue
        for match in _TOKEN_RE.finditer(text):
            form = _bare(match.group(0))
            before = text[max(0, match.start() - 20) : match.start()].rstrip()
            starts_sentence = not before or before[-1] in _SENTENCE_END
            if starts_sentence and not any(c.isupper() for c in form[1:]):
                continue
            counts.setdefault(form.casefold(), Counter())[form] += 1
    return {key: forms.most_common(1)[0][0] for key, forms in counts.items()}


def _bare(token: str) -> str:
    """The token without a sentence's full stop; the final dot of "U.S." belongs to the word."""
    if token.endswith(".") and "." not in token[:-1]:
        return token[:-1]
    return token


def _recase_token(token: str, forms: Mapping[str, str]) -> str:
    letters = [c for c in token if c.isalpha()]
    if not letters or not "".join(letters).isupper():
        return token
    bare = _bare(token)
    # Dotted and ampersand acronyms (U.S., AT&T) are unambiguous.
    if "." in bare or "&" in bare:
        return token
    form = forms.get(bare.casefold())
    if form is not None:
        return form + token[len(bare) :]
    key = bare.casefold()
    if len(letters) == 1:
        return token if token == "I" else token.lower()
    # The short-word guess needs the stopword list, which is English: in other scripts short shouted
    # words are mostly function words (ΚΑΙ, НА), so they are lowered unless the text says otherwise.
    short_acronym = bare.isascii() and len(letters) <= _ACRONYM_MAX and key not in STOPWORDS
    if key in _KNOWN_ACRONYMS or short_acronym:
        return token
    return _lowered(token)


def _lowered(token: str) -> str:
    """A shouted word the story's text does not spell, lowered: a weekday or a month keeps its
    capital ("TUESDAY" → "Tuesday")."""
    low = token.lower()
    return low.capitalize() if _bare(low) in CAPITALISED_NAMES else low


def fix_shouting(title: str, forms: Mapping[str, str] | None = None) -> str:
    """Sentence case for a shouted title; a normal title only loses its shouted runs of words and
    shouted emphasis words.

    A lone all-caps word in a normal title is an acronym (US, WHO, IT, COVID, UNESCO) and lowering
    it changes the meaning; a run of them that are not acronyms is shouting (see
    ``shouted_runs``). Each word rewritten takes the case the story's own text gives it
    (``forms``, see ``case_forms``).
    """
    forms = forms or {}
    if not is_shouted(title):
        out = _fix_shouted_runs(title, forms)
        for match in reversed(list(_TOKEN_RE.finditer(out))):
            token = match.group(0)
            if len(token) > 3 and token.isupper() and token.casefold() in _EMPHASIS:
                lowered = token.lower() if match.start() else token[:1] + token[1:].lower()
                out = out[: match.start()] + lowered + out[match.end() :]
        return out
    pieces: list[str] = []
    last = 0
    for match in _TOKEN_RE.finditer(title):
        pieces.append(title[last : match.start()])
        pieces.append(_recase_token(match.group(0), forms))
        last = match.end()
    pieces.append(title[last:])
    fixed = "".join(pieces)
    # The first word of a sentence-case headline is capitalised, whatever its case in the text.
    first = next((i for i, c in enumerate(fixed) if c.isalpha()), None)
    if first is not None:
        fixed = fixed[:first] + fixed[first].upper() + fixed[first + 1 :]
    return fixed


def likely_acronym(word: str) -> bool:
    """Whether an all-caps `word` reads as an acronym with no story text to ask: dotted or with an
    ampersand (U.S., AT&T), a known one (NASA, NATO), or short and no English word (FBI, not
    THE). The same guess a shouted title's words are kept by."""
    letters = "".join(c for c in word if c.isalpha())
    if not letters or not letters.isupper():
        return False
    bare = _bare(word)
    if "." in bare or "&" in bare:
        return True
    key = bare.casefold()
    short = bare.isascii() and 1 < len(letters) <= _ACRONYM_MAX and key not in STOPWORDS
    return short or key in _KNOWN_ACRONYMS


def _is_acronym(token: str, forms: Mapping[str, str]) -> bool:
    bare = _bare(token)
    if "." in bare or "&" in bare:
        return True
    form = forms.get(bare.casefold())
    if form is not None:
        return form.isupper()
    return bare.casefold() in _KNOWN_ACRONYMS


def _is_shouted_word(token: str, forms: Mapping[str, str]) -> bool:
    letters = "".join(c for c in token if c.isalpha())
    return len(letters) >= _SHOUTED_WORD and letters.isupper() and not _is_acronym(token, forms)


def shouted_runs(title: str, forms: Mapping[str, str] | None = None) -> list[list[re.Match[str]]]:
    """The all-caps runs of words in `title` that shout: each holds at least _SHOUTED_RUN words
    that are not acronyms (known ones, or ones the story's text writes in capitals: ``forms``).

    Numbers stay inside a run ("US ADDS 200,000 JOBS"), so they do not split one in two."""
    forms = forms or {}
    runs: list[list[re.Match[str]]] = [[]]
    for match in _TOKEN_RE.finditer(title):
        letters = "".join(c for c in match.group(0) if c.isalpha())
        if not letters:
            if runs[-1]:
                runs[-1].append(match)
        elif letters.isupper():
            runs[-1].append(match)
        elif runs[-1]:
            runs.append([])
    return [
        run for run in runs if sum(_is_shouted_word(m.group(0), forms) for m in run) >= _SHOUTED_RUN
    ]


def _fix_shouted_runs(title: str, forms: Mapping[str, str]) -> str:
    runs = shouted_runs(title, forms)
    if not runs:
        return title
    out = title
    for match in reversed([m for run in runs for m in run]):
        token = match.group(0)
        if _is_shouted_word(token, forms):
            # Unlike a wholly shouted title's, a run's three-letter words are not taken for
            # acronyms: the known ones and the text's own were ruled out above (FED RAISES RATES).
            bare = _bare(token)
            fixed = forms.get(bare.casefold(), _lowered(bare)) + token[len(bare) :]
        else:
            fixed = _recase_token(token, forms)
        out = out[: match.start()] + fixed + out[match.end() :]
    # A run opening the title opens the headline's sentence.
    if not any(c.isalnum() for c in title[: runs[0][0].start()]):
        first = next((i for i, c in enumerate(out) if c.isalpha()), None)
        if first is not None:
            out = out[:first] + out[first].upper() + out[first + 1 :]
    return out
