"""Whether a question asks how a story stands now, which is when newer reports should rank higher.

"Where did Vlahovic go instead of the Gunners?" wants the latest report; "Why did Xavi keep
knocking back the Barca job?" wants the reports of the time, and newer news about Xavi (he took
the job later) would crowd them out. Favouring newer reports for every question instead of
these only cost 14 points of recall@1 on bench/eval/questions.jsonl and 6 points of recall@5 on
bench/eval/holdout.jsonl.
"""

from __future__ import annotations

import re

# Question words, conjunctions and adverbs that may start a question: capitalised, they name
# nobody.
QUESTION_STARTERS = frozenset(
    "has have had can could should shall may might must tell give show any latest news "
    "whats what's who's whose whom is are was were will would did does do how why when where which "
    "after before since following despite now so if then once while although though because "
    "also even just only really surely apparently reportedly "
    "anyone anybody someone somebody".split()
)
# Abbreviations fans type in capitals that name nobody: "the DoF job", "in the UCL".
FAN_ABBREVIATIONS = frozenset(
    "dof ceo cdm lwb rwb var ffp ucl uel uecl epl motm potm poty goat agm tbc tba asap fyi "
    "ffs wtf".split()
)

_ABOUT_NOW = re.compile(
    r"\b(?:now|latest|currently|still|yet|in the end|end(?:ed)? up|instead|finally|next|"
    r"about to|after leaving|ha(?:s|ve) gone|any news|update|manage[sd]? to|actually|done|"
    r"go(?:ne)? through|went through|f[ae]ll(?:en)? (?:through|apart)|"
    r"who(?:['’]?s| has| have) been)\b",
    re.IGNORECASE,
)


def asks_about_now(question: str) -> bool:
    """True for questions about the latest state of a story ("Is Kane still going to City?")."""
    return _ABOUT_NOW.search(question) is not None


_HOW_MUCH = re.compile(
    r"\b(?:how much|price tag|asking price|asking for|fee|cost|valuation|valued at|"
    r"worth(?! a | it\b)|pay(?:s|ing)?(?! tribute| off| the price)|paid(?! tribute| off)|"
    r"wages?|salary|earn(?:s|ing)?|on a (?:week|year)\b(?!-)|release clause)\b",
    re.IGNORECASE,
)


def asks_how_much(question: str) -> bool:
    """True for questions about a sum: a fee, a price, wages ("What's Leo on a year?")."""
    return _HOW_MUCH.search(question) is not None


# "Why did...", "How much did...": the question asks about what was reported at the time.
# ("Which club did Vlahovic join?" wants the outcome, so the newest report.)
_WHY_OR_HOW_IT_WAS = re.compile(
    r"^\W*(?:why|how)\b(?:\s+\w+){0,2}?\s+(?:did|was|were|had)\b", re.IGNORECASE
)


def asks_about_the_past(question: str) -> bool:
    """True for "why" and "how" questions in the past tense that do not ask how the story ended
    ("Why did United go cold on Conte?"), false for "Are the Seagulls getting him?"."""
    return not asks_about_now(question) and _WHY_OR_HOW_IT_WAS.search(question) is not None
