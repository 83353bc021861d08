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
from functools import lru_cache

from english_words import get_english_words_set
from wordfreq import zipf_frequency

from bot.question_intent import FAN_ABBREVIATIONS, QUESTION_STARTERS
from index.aliases import fold, without_accents
from index.names import NAME_PARTICLES
from index.text import STOPWORDS, one_letter_away

# A word the news never prints is a name below this Zipf frequency (log10 of uses per billion
# words: 2.5 is about 300 per billion; "khusanov" 0, "hato" 1.8, "kees" 2.3; "fussed" is 2.5,
# "gonna" 5.3); after a name, below the higher bar ("rodrigo mora": "mora" is 3.1).
_RARE_IN_ENGLISH = 2.5
_RARE_AFTER_A_NAME = 4.0
# A rare word this long, one letter away from a word this common, is a typo, not a name.
_MIN_MISSPELT_LENGTH = 6
# After "they can", "we'll" and the like comes a verb, though the news prints it as a first
# name: "they can nick a top four spot".
_VERB_AFTER = re.compile(
    r"\b(?:i|we|you|they|he|she|it)(?:\s+(?:can|could|will|would|might|may|should|must|"
    r"shall)|['’](?:ll|d))\s+$",
    re.IGNORECASE,
)
_COMMON_IN_ENGLISH = 4.0
# A surname the news prints after other first names may be misspelt from this length: "sar".
_SHORTEST_SURNAME = 3
# Longer words are no names (and too slow to check for typos): keyboard mashing.
_LONGEST_NAME = 25
# Punctuation that ends a name: a full stop, a comma, a colon, a spaced dash.
_STOP = re.compile(r"[.?!,;:]|\s[-–—]\s")
# Fans' words no dictionary of English counts often: no names.
FAN_WORDS = (
    frozenset(
        "coys ynwa ggmu mufc lfc cfc thfc afc deffo defo innit lol lmao omg tbh imo ngl smh idk "
        "fr rn pls plz btw thx nvm lmk brb hmm wdym tldr ppl pts mph "
        # text-speak, and contractions typed without their apostrophes
        "wiv wat wot nah yeah cuz coz cos tho thru wanna gotta lemme dunno "
        "sumthin summat somethin sumfin nuthin nothin nuffin anythin "
        "hes shes whos thats theres theyre youre dont doesnt didnt wont cant isnt arent wasnt "
        "werent hasnt havent hadnt wouldnt couldnt shouldnt aint ive".split()
    )
    | FAN_ABBREVIATIONS
)
# Endings the dictionary leaves out, and what each replaces: "howlers" -> "howler",
# "signings" -> "signing" / "sign", "hijacked" -> "hijack", "poached" -> "poach" / "poache".
_INFLECTIONS = (
    ("ies", ("y",)),
    ("es", ("", "e")),
    ("s", ("",)),
    ("ied", ("y",)),
    ("ed", ("", "e")),
    ("ing", ("", "e")),
)
# A word is a name when at least this share of its mid-sentence uses are capitalised.
_CAPITALISED_SHARE = 0.7
# Before a word in mid-sentence: a word or a comma and the like, then a space (not a full stop).
MID_SENTENCE = r"(?<=[\w,;:'’)] )"
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A question with this many longer words in capitals, and this share of them, is shouted.
_SHOUTED_WORDS = 4
_SHOUTED_SHARE = 0.75
# Words that start questions, capitalised in Title Case ones.
_NEVER_NAMES = QUESTION_STARTERS | {"who", "still", "yet"}


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

    @property
    def printed_as_a_name(self) -> bool:
        """Seen, and as a name: `as_a_name` alone holds for a word never seen."""
        return self.seen and self.as_a_name


def word_use(word: str, texts: Iterable[str]) -> WordUse:
    """How `texts` print `word` (folded) in mid-sentence: after a word, not after a full stop."""
    capitalised = lower_case = 0
    pattern = re.compile(rf"{MID_SENTENCE}({re.escape(word)})\b", re.IGNORECASE)
    for text in texts:
        for match in pattern.finditer(without_accents(text)):
            if match.group(1)[:1].isupper():
                capitalised += 1
            else:
                lower_case += 1
    return WordUse(capitalised, lower_case)


def _capitalised_words(question: str, is_known_name: Callable[[str], bool]) -> list[str]:
    """The words the asker capitalised that tell a name from other words: not the first of a
    sentence, "I've", an acronym, or a club's name ("is kees smit joining Chelsea?")."""
    return [
        word
        for word in _counted_words(question)
        if word[:1].isupper() and not is_known_name(fold(word))
    ]


def _counted_words(question: str) -> list[str]:
    """The question's words of three letters or more but the first of each sentence, "I'..."
    and acronyms ("CHO", "DoF")."""
    words = []
    for match in _WORD.finditer(question):
        word = match.group()
        before = question[: match.start()].rstrip()
        if not before or before[-1] in ".?!" or len(word) < 3 or _is_acronym(word):
            continue
        if fold(word).startswith(("i'", "i’")):
            continue
        words.append(word)
    return words


def _is_acronym(word: str) -> bool:
    """ "CHO", "PSG", "DoF"."""
    return word.isupper() or (len(word) <= 4 and sum(ch.isupper() for ch in word) >= 2)


def capitals_say_nothing(question: str) -> bool:
    """Whether the question's capitals say nothing of who it names: it capitalises every longer
    word ("Is Fergie Retiring?") or shouts ("IS HAALAND LEAVING?"). Acronyms ("CHO"), "I've"
    and the first word of each sentence do not count."""
    if shouted(question):
        return True
    words = _counted_words(question)
    return len(words) > 1 and all(word[:1].isupper() for word in words)


def shouted(question: str) -> bool:
    """Whether the longer words are in capitals: "IS HAALAND LEAVING?", or all but a tail
    typed after it ("UNITED WANT VILLA'S KEEPER AS DDG'S REPLACEMENT?? true or nah")."""
    words = [word for word in _WORD.findall(question) if len(word) > 2]
    in_capitals = sum(word.isupper() for word in words)
    if words and in_capitals == len(words):
        return True
    return in_capitals >= _SHOUTED_WORDS and in_capitals >= _SHOUTED_SHARE * len(words)


def true_cased(
    question: str,
    use_of: Callable[[str], WordUse],
    is_known_name: Callable[[str], bool] = lambda word: False,
    is_club: Callable[[str], bool] = lambda word: False,
) -> str:
    """The question with capitals on its names when it is typed in lower case, but perhaps for
    its clubs and the first word of a sentence ("is kane leaving Spurs?"), keeping its own
    capitals; with capitals only on its names when its capitals say nothing (see
    `capitals_say_nothing`); otherwise as typed. Acronyms stay as typed, words in capitals for
    emphasis do not ("is Buffon RETIRING?"). `use_of` says how the news prints a folded word;
    `is_known_name` whether a name table lists it ("gunners"), `is_club` whether as a club's:
    a rare word after a person's name may be his surname ("marc guiu"), not after a club's
    ("would liverpool flog him?")."""
    recase_all = capitals_say_nothing(question)
    all_capitals = shouted(question)
    # An asker who capitalises a name the tables do not know capitalises the others too.
    lower_case = recase_all or not _capitalised_words(question, is_known_name)
    pieces: list[str] = []
    after_a_name = False
    position = 0
    for match in _WORD.finditer(question):
        word = match.group()
        between = question[position : match.start()]
        pieces.append(between)
        position = match.end()
        if _STOP.search(between):
            after_a_name = False  # no surname after a full stop, comma or dash
        if word[:1].isupper() and not word.isupper() and not recase_all:
            if _everyday_opening(word, question[: match.start()], use_of, is_known_name):
                pieces.append(word.lower())
                after_a_name = False
                continue
            pieces.append(word)  # the asker's own capital
            after_a_name = not is_club(_bare(word)) and not _possessive(word)
            continue
        if not lower_case and not word.isupper():
            pieces.append(word)
            after_a_name = False
            continue
        name = is_known_name(fold(word)) or (
            _is_name(word, use_of, after_a_name)
            and not (_VERB_AFTER.search(question[: match.start()]) and _everyday(word))
        )
        acronym = len(word) > 1 and word.isupper() and not all_capitals
        if acronym and (name or _unknown(word, use_of)):
            pieces.append(word)  # an acronym: "CHO", "PSG"
        else:
            pieces.append(_capitalised(word.lower()) if name else word.lower())
        # No surname follows a club or a possessive: "would liverpool flog him?", "sol's
        # screamer".
        after_a_name = name and not is_club(_bare(word)) and not _possessive(word)
    pieces.append(question[position:])
    return "".join(pieces)


def _everyday_opening(
    word: str, before: str, use_of: Callable[[str], WordUse], is_known_name: Callable[[str], bool]
) -> bool:
    """Whether `word` opens a sentence and the news prints it in lower case: "Last week of the
    window - is Adama's move done?" names no "Last"."""
    before = before.rstrip()
    if before and before[-1] not in ".?!":
        return False
    folded = fold(word)
    if folded in _NEVER_NAMES or is_known_name(folded):
        return False
    use = use_of(folded)
    return use.seen and not use.as_a_name


def respelt(
    question: str,
    use_of: Callable[[str], WordUse],
    spelt_like: Callable[[str, str], str | None],
    surname_after: Callable[[str, str], str | None] = lambda word, first_name: None,
) -> str:
    """The question with each word that neither the news (as `use_of` counts it) nor everyday
    English uses, nor the dictionary lists, spelt as the name `spelt_like` says it stands for
    after the word before it ("" at the start): "marseile" -> "marseille", "weston mckenie" ->
    "weston mckennie". A name the news prints, typed after a first name, is spelt as the
    surname `surname_after` says it stands for after that first name ("brennan jonson" ->
    "brennan johnson")."""

    def respell(match: re.Match[str]) -> str:
        word = match.group()
        before = _WORD.findall(question[: match.start()])
        after = fold(before[-1]) if before and not _possessive(before[-1]) else ""
        possessive = re.search(r"['’]s$", word, re.IGNORECASE)
        if possessive:  # "tottenam's"
            return respell_bare(word[: possessive.start()], after) + possessive.group()
        return respell_bare(word, after)

    def respell_bare(word: str, after: str) -> str:
        folded = fold(word)
        # After a first name, a surname English knows is still a name ("jonas hoffman"), and
        # a short one may be misspelt too ("pedro poro", "de vrji").
        after_a_name = after in NAME_PARTICLES or (bool(after) and use_of(after).printed_as_a_name)
        shortest = _MIN_MISSPELT_LENGTH - (2 if after_a_name else 1)
        use = use_of(folded)
        # `as_a_name` holds for a word the news never prints too: "andy tod" is Andy Todd.
        if after_a_name and len(folded) >= _SHORTEST_SURNAME and use.as_a_name:
            surname = surname_after(folded, after)
            if surname is not None:
                return _capitalised(surname) if word[:1].isupper() else surname
        if not shortest <= len(folded) <= _LONGEST_NAME or use.seen:
            return word
        bar = _RARE_AFTER_A_NAME if after_a_name else _RARE_IN_ENGLISH
        if zipf_frequency(folded, "en") >= bar:
            return word
        if in_the_dictionary(folded):
            # "partial", not "Martial"; "jose moaning", not "Loaning"; but "swifty" is Swift.
            name = fan_nickname_of(folded, use_of)
        else:
            name = spelt_like(folded, after)
        if name is None:
            return word
        return _capitalised(name) if word[:1].isupper() else name

    return _WORD.sub(respell, question)


def fan_nickname_of(word: str, use_of: Callable[[str], WordUse]) -> str | None:
    """The name the news prints that a fan's "-y" or "-ie" is made from: "winksy" is Winks."""
    stem = re.sub(r"(?:y|ie)$", "", word)
    return stem if stem != word and use_of(stem).printed_as_a_name else None


def _bare(word: str) -> str:
    """Folded, without a possessive: "Stoke's" -> "stoke"."""
    return re.sub(r"['’]s$", "", fold(word))


def _possessive(word: str) -> bool:
    return re.search(r"['’]s$", word, re.IGNORECASE) is not None


def _unknown(word: str, use_of: Callable[[str], WordUse]) -> bool:
    """Whether neither the news nor everyday English uses the word ("CHO", not "LEAVING")."""
    folded = fold(word)
    return not use_of(folded).seen and zipf_frequency(folded, "en") < _COMMON_IN_ENGLISH


def _is_name(word: str, use_of: Callable[[str], WordUse], after_a_name: bool) -> bool:
    bare = _bare(word)
    if not 3 <= len(bare) <= _LONGEST_NAME or bare in STOPWORDS | _NEVER_NAMES | FAN_WORDS:
        return False
    if any(ch.isdigit() for ch in bare):
        return False  # "u21s"
    bar = _RARE_AFTER_A_NAME if after_a_name else _RARE_IN_ENGLISH
    for part in (part for part in bare.split("-") if part):
        use = use_of(part)
        if use.seen:
            if use.as_a_name:
                return True
        elif (
            zipf_frequency(part, "en") < bar
            and not _misspelt(part)
            and (after_a_name or not in_the_dictionary(part))
            and not _stem_printed_in_lower_case(part, use_of)
        ):
            return True  # "lewis-skelly": either part
    return False


def _stem_printed_in_lower_case(word: str, use_of: Callable[[str], WordUse]) -> bool:
    """Whether the news prints the word an inflection is of as no name: "knockouts"."""
    return any(
        (use := use_of(stem)).seen and not use.as_a_name for stem in _stems(word) if stem != word
    )


def _everyday(word: str) -> bool:
    """Whether English uses the word often and the dictionary lists it in lower case: "nick"."""
    bare = _bare(word)
    return zipf_frequency(bare, "en") >= _COMMON_IN_ENGLISH and in_the_dictionary(bare)


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """Webster's Second: common words in lower case, proper names capitalised."""
    return frozenset(get_english_words_set(["web2"]))


def in_the_dictionary(word: str) -> bool:
    """Whether the dictionary lists the word, or the word it is an inflection of, as a common
    word: "howlers", "bottlers", "snubbed"; not "dyche", "milan" (capitalised there)."""
    dictionary = _dictionary()
    return any(stem in dictionary for stem in _stems(word.lower()))


def _stems(word: str) -> Iterable[str]:
    yield word
    for ending, replacements in _INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            for replacement in replacements:
                yield word[: -len(ending)] + replacement


@lru_cache(maxsize=4096)
def _misspelt(word: str) -> bool:
    """Whether a word English rarely uses is one letter away from a word it often does
    ("wantin", "transfered"), or drops the "g" of one, or of a rarer one the dictionary
    lists ("endin", "goin", "sniffin"); other short words are too close to too many ("hato":
    "hat")."""
    if (
        len(word) >= 4
        and word.endswith("in")
        and (
            zipf_frequency(f"{word}g", "en") >= _COMMON_IN_ENGLISH
            or (
                zipf_frequency(f"{word}g", "en") >= _RARE_IN_ENGLISH
                and in_the_dictionary(f"{word}g")
            )
        )
    ):
        return True
    if len(word) < _MIN_MISSPELT_LENGTH:
        return False
    return any(zipf_frequency(near, "en") >= _COMMON_IN_ENGLISH for near in one_letter_away(word))


def _capitalised(word: str) -> str:
    """ "lewis-skelly" -> "Lewis-Skelly", "arteta's" -> "Arteta's"."""
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
