"""Capitals for questions typed without them: "is ziyech off to dortmund?" -> "is Ziyech off to
Dortmund?".

Who a question names is read from its capitals (see `bot.answer.named_terms`), and fans often
type none, or capitalise every word ("Is Fergie Retiring?"). For such questions the indexed news
says which words are names: the ones it prints capitalised in mid-sentence. A word the news never
prints is a name when English rarely uses it ("khusanov", "minteh"), or when it follows a name
("marc guiu"): a question about someone the news never mentions must still be refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wordfreq import zipf_frequency

from index.aliases import fold, without_accents
from index.text import STOPWORDS, one_letter_away

# A word the news never prints is a name below this many uses per billion words, as a Zipf
# frequency ("khusanov" 0, "hato" 1.8, "kees" 2.3; "fussed" is 2.5, "gonna" 5.3); after a name,
# below the higher bar ("rodrigo mora": "mora" is 3.1).
_RARE_IN_ENGLISH = 2.5
_RARE_AFTER_A_NAME = 4.0
# A rare word this long, one letter away from a word this common, is a typo, not a name.
_MIN_MISSPELT_LENGTH = 6
_COMMON_IN_ENGLISH = 4.0
# A word is a name when at least this share of its mid-sentence uses are capitalised.
_CAPITALISED_SHARE = 0.7
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Question words and the like, capitalised at the start of a Title Case question.
_NEVER_NAMES = frozenset(
    "has have had can could should shall may might must tell give show any latest news whats who "
    "what's who's whose whom is are was were will would did does do how why when where which "
    "after before since now so if then once while also even just only really still yet".split()
)


@dataclass(frozen=True, slots=True)
class WordUse:
    """How the news prints a word in mid-sentence."""

    capitalised: int = 0
    lower_case: int = 0

    @property
    def seen(self) -> bool:
        return self.capitalised + self.lower_case > 0

    @property
    def as_a_name(self) -> bool:
        return self.capitalised >= _CAPITALISED_SHARE * (self.capitalised + self.lower_case)


def word_use(word: str, texts: Iterable[str]) -> WordUse:
    """How `texts` print `word` (folded) in mid-sentence: after a word, not after a full stop."""
    capitalised = lower_case = 0
    pattern = re.compile(rf"(?<=[\w,;:'’)] )({re.escape(word)})\b", re.IGNORECASE)
    for text in texts:
        for match in pattern.finditer(without_accents(text)):
            if match.group(1)[:1].isupper():
                capitalised += 1
            else:
                lower_case += 1
    return WordUse(capitalised, lower_case)


def needs_capitals(question: str) -> bool:
    """Whether the question's capitals say nothing of who it names: none but the first word's
    and its acronyms' ("is CHO off?"), every longer word's ("Is Fergie Retiring?"), or it is
    shouted ("IS HAALAND LEAVING?")."""
    later = [word for word in _WORD.findall(question)[1:] if len(word) > 2]
    if not later:
        return False
    if _shouted(question):
        return True
    words = [word for word in later if not word.isupper()]
    capitalised = [word[:1].isupper() for word in words]
    return not any(capitalised) or (len(words) > 1 and all(capitalised))


def _shouted(question: str) -> bool:
    words = [word for word in _WORD.findall(question) if len(word) > 2]
    return bool(words) and all(word.isupper() for word in words)


def true_cased(
    question: str,
    use_of: Callable[[str], WordUse],
    is_known_name: Callable[[str], bool] = lambda word: False,
) -> str:
    """The question with its names capitalised and its other words in lower case, when its own
    capitals say nothing (see `needs_capitals`); otherwise the question as typed. Either way,
    acronyms stay as typed but a word in capitals for emphasis does not ("is Buffon
    RETIRING?"). `use_of` says how the news prints a folded word; `is_known_name`
    whether a name table lists it ("gunners")."""
    if not needs_capitals(question):
        return _WORD.sub(
            lambda match: _without_emphasis(match.group(), use_of, is_known_name), question
        )
    shouted = _shouted(question)
    pieces: list[str] = []
    after_a_name = False
    position = 0
    for match in _WORD.finditer(question):
        word = match.group()
        pieces.append(question[position : match.start()])
        position = match.end()
        name = is_known_name(fold(word)) or _is_name(word, use_of, after_a_name)
        if len(word) > 1 and word.isupper() and not shouted and (name or _unknown(word, use_of)):
            pieces.append(word)  # an acronym: "CHO", "PSG"
        else:
            pieces.append(_capitalised(word.lower()) if name else word.lower())
        after_a_name = name
    pieces.append(question[position:])
    return "".join(pieces)


def respelt(
    question: str, use_of: Callable[[str], WordUse], spelt_like: Callable[[str], str | None]
) -> str:
    """The question with each word the news never prints that is one letter away from a club's
    or a person's name in the name tables spelt as that name: "marseile" -> "marseille"."""

    def respell(match: re.Match[str]) -> str:
        word = match.group()
        folded = fold(word)
        if len(folded) < _MIN_MISSPELT_LENGTH - 1 or use_of(folded).seen:
            return word
        name = spelt_like(folded)
        if name is None:
            return word
        return _capitalised(name) if word[:1].isupper() else name

    return _WORD.sub(respell, question)


def _without_emphasis(
    word: str, use_of: Callable[[str], WordUse], is_known_name: Callable[[str], bool]
) -> str:
    """A word in capitals for emphasis in lower case ("RETIRING"); an acronym as it is."""
    if len(word) < 2 or not word.isupper() or is_known_name(fold(word)):
        return word
    if _is_name(word, use_of, after_a_name=False) or _unknown(word, use_of):
        return word
    return word.lower()


def _unknown(word: str, use_of: Callable[[str], WordUse]) -> bool:
    """Whether neither the news nor everyday English uses the word ("CHO", not "LEAVING")."""
    folded = fold(word)
    return not use_of(folded).seen and zipf_frequency(folded, "en") < _COMMON_IN_ENGLISH


def _is_name(word: str, use_of: Callable[[str], WordUse], after_a_name: bool) -> bool:
    folded = fold(word)
    bare = re.sub(r"['’]s$", "", folded)
    if len(bare) < 3 or bare in STOPWORDS or bare in _NEVER_NAMES:
        return False
    bar = _RARE_AFTER_A_NAME if after_a_name else _RARE_IN_ENGLISH
    for part in (part for part in bare.split("-") if part):
        use = use_of(part)
        if use.seen:
            if use.as_a_name:
                return True
        elif zipf_frequency(part, "en") < bar and not _misspelt(part):
            return True  # "lewis-skelly": either part
    return False


def _misspelt(word: str) -> bool:
    """Whether a word English rarely uses is one letter away from a word it often does
    ("wantin", "transfered"); short words are too close to too many ("hato": "hat")."""
    if len(word) < _MIN_MISSPELT_LENGTH:
        return False
    return any(zipf_frequency(near, "en") >= _COMMON_IN_ENGLISH for near in one_letter_away(word))


def _capitalised(word: str) -> str:
    """ "lewis-skelly" -> "Lewis-Skelly", "arteta's" -> "Arteta's"."""
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
