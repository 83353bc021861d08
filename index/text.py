"""Text helpers shared by chunking and answering: sentence splitting and clean-up."""

from __future__ import annotations

import re

# fmt: off
_ABBREVIATIONS = frozenset([
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "capt", "lt", "col", "sgt", "rev",
    "vs", "v", "etc", "mt", "ft", "fc", "afc", "cf", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est", "inc", "ltd", "co", "corp",
])
# fmt: on
# A sentence ends at . ! ? (possibly closed by quotes/brackets), then space, then something that
# can start a sentence.
_BOUNDARY = re.compile(r"""([.!?…]+["'”’)\]]*)\s+(?=["'“‘(\[]?[A-Z0-9£€$])""")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
# A byte-order mark, zero-width spaces and joiners: pasted text carries them, and one before a
# word hides it from searches and from the start of its sentence.
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060]")
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def normalise_whitespace(text: str) -> str:
    """Collapse runs of spaces, keep paragraph breaks, drop blank-line padding and invisible
    characters."""
    text = _INVISIBLE.sub("", text)
    paragraphs = (_SPACES.sub(" ", p).strip() for p in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs if p)


def split_paragraphs(text: str) -> list[str]:
    return [p for p in normalise_whitespace(text).split("\n\n") if p]


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, never across paragraphs, sparing abbreviations and initials."""
    sentences: list[str] = []
    for paragraph in split_paragraphs(text):
        start = 0
        for match in _BOUNDARY.finditer(paragraph):
            candidate = paragraph[start : match.end(1)]
            if _ends_with_abbreviation(paragraph[start : match.start(1)], match.group(1)):
                continue
            if _inside_quotation(candidate):
                continue
            sentences.append(paragraph[start : match.end(1)].strip())
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def _inside_quotation(text: str) -> bool:
    """True while a double quotation opened in `text` is still open."""
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def _ends_with_abbreviation(before: str, punctuation: str) -> bool:
    if not punctuation.startswith("."):
        return False
    last_word = before.rsplit(None, 1)[-1] if before.split() else ""
    last_word = last_word.lstrip("\"'“‘(")
    if len(last_word) == 1 and last_word.isalpha():  # an initial, as in "A. Smith"
        return True
    return last_word.lower().rstrip(".") in _ABBREVIATIONS


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def word_count(text: str) -> int:
    return len(text.split())


STOPWORDS = frozenset(
    "a an and are as at be by did do does for from has have he her his how in is it its of on or "
    "she that the their they this to was were what when where which who why will with would you "
    "your i me my we our any about".split()
)


def query_terms(text: str) -> list[str]:
    """The words of a question worth searching for, in order, without repeats.

    A possessive is the name it belongs to: reports say "Bakayoko, 27," more often than
    "Bakayoko's", and "who's" is "who"."""
    bare = (_POSSESSIVE.sub("", w) for w in words(text))
    return list(dict.fromkeys(w for w in bare if w not in STOPWORDS and len(w) > 1))


_POSSESSIVE = re.compile(r"['’]s$")


def one_letter_away(word: str) -> set[str]:
    """Every word one deletion, transposition, change or insertion of a letter from `word`."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    changes = [a + c + b[1:] for a, b in splits if b for c in letters]
    inserts = [a + c + b for a, b in splits for c in letters]
    return set(deletes + transposes + changes + inserts) - {word}


def letters_apart(a: str, b: str) -> int:
    """How many letters must be deleted, inserted, changed or swapped with the next to turn
    `a` into `b`: "hennesy" is 2 from "hennessey", "hoffman" 2 from "hofmann"."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, letter in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other))
            if i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]
