"""What stage a transfer report describes, read from its wording by explainable rules.

Each status has cue phrases, checked in order of precedence: a new contract turned down (a
denial: "rejected the offer of a contract extension"), a contract extension, a completed move,
a denial (it outranks agreement, bids, talks and interest: "has denied he agreed a deal" is
a denial), an agreement, a bid, talks, interest. The first status with a cue that is not negated
wins. A negated or doubted cue ("no talks", "yet to agree", "unsure whether he will stay")
does not count; negated interest ("not
interested", "no plans to") reads as a denial. Unclear reports are plain rumours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Status(Enum):
    DONE = "done"
    EXTENSION = "contract extension"
    AGREED = "agreed"
    DENIED = "denied"
    BID = "bid"
    TALKS = "talks"
    INTEREST = "interest"
    RUMOUR = "rumour"

    @property
    def says(self) -> str:
        """How an answer reports it: "two outlets report talks"."""
        return _SAYS[self]

    @property
    def advancing(self) -> bool:
        """A move in progress or made (as opposed to a denial, an extension or mere talk)."""
        return self in (Status.DONE, Status.AGREED, Status.BID, Status.TALKS)


_SAYS = {
    Status.DONE: "a completed move",
    Status.EXTENSION: "a contract extension",
    Status.AGREED: "an agreement",
    Status.DENIED: "a denial",
    Status.BID: "a bid",
    Status.TALKS: "talks",
    Status.INTEREST: "interest",
    Status.RUMOUR: "a rumour",
}


@dataclass(frozen=True, slots=True)
class Reading:
    status: Status
    cue: str | None  # the phrase that decided it, None for a plain rumour

    def __str__(self) -> str:
        return self.status.value


_MONEY = r"(?:£|€|\$)?\d[\d.,]*\s?(?:m|million|bn)?"

# In order of precedence. Bids that were rejected stay bids: the rejection is the club's answer
# to a bid, not a denial that one exists.
_CONTRACT_OFFER = (
    r"(?:the offer of |an offer of )?(?:a |an |his |the |two |three |several )?"
    r"(?:new |improved |fresh )?(?:\S+[- ]year )?(?:contract|deal)(?: extension)?(?: offers?)?"
)
_CUES: list[tuple[Status, list[str]]] = [
    # A new contract refused is no extension: "has turned down the offer of a contract extension".
    (
        Status.DENIED,
        [
            rf"(?:turned|turns|turn|turning) down {_CONTRACT_OFFER}",
            rf"(?:rejected|rejects|reject|rejecting|snubbed|snubs|knocked back) {_CONTRACT_OFFER}",
        ],
    ),
    (
        Status.EXTENSION,
        [
            r"(?:signed|signs|sign|agreed|agrees|penned|pens|put pen to paper on|"
            r"offered|offer|handed|hand|given|extend|extended|extends|extending) "
            r"(?:him |a |an |his )?(?:new |fresh |improved )?(?:\S+[- ]year )?"
            r"(?:contract|deal) extension",
            r"(?:signed|signs|sign|agreed|agrees|penned|pens|put pen to paper on|committed "
            r"(?:his|her|their) future (?:to|with) \S+ (?:by|with) (?:signing )?)"
            r" ?(?:a |an |his |her )?(?:new|fresh|improved)(?: \S+){0,2} (?:contract|deal)",
            r"extend(?:ed|s|ing)? (?:his|her|their) (?:contract|deal|stay)",
            r"contract extension",
            r"(?:new|improved|fresh) (?:\S+[- ]year )?(?:contract|deal) (?:talks|offer)",
            r"renew(?:ed|s|al)? (?:his|her|their)? ?contract",
            r"(?:offered|offer|hand|handed) (?:him |her |them )?(?:a )?new (?:\S+[- ]year )?"
            r"(?:contract|deal)",
        ],
    ),
    (
        Status.DONE,
        [
            r"completed (?:a |his |her |their |the )?(?:\S+ )?(?:move|transfer|signing|switch)",
            r"(?:has|have) (?:officially )?(?:signed for|completed|joined"
            r"(?! (?:the|a) (?:race|queue|hunt|battle|chase|list|fight|scramble)))",
            r"signed for",
            r"sealed (?:a |his |her |the )?(?:\S+ )?(?:move|transfer|switch)",
            r"(?:was|were|been|is) (?:officially )?(?:unveiled|confirmed|appointed|announced) "
            r"(?:as|at|by)",
            r"confirmed the (?:signing|arrival|appointment)",
            r"(?:newly|recently) (?:appointed|installed)",
            r"won the race (?:to sign|for)",
            r"(?:left|leaving|leaves|departed) (?:\S+ ){0,5}by mutual (?:consent|agreement)",
            r"(?:move|transfer|signing|deal) (?:was|has been|is) (?:completed|confirmed|"
            r"finalised)",
        ],
    ),
    (
        Status.DENIED,
        [
            r"\bden(?:y|ied|ies|ying)\b",
            r"dismiss(?:ed|es)? (?:the |any )?(?:links|reports|speculation|talk|rumours|claims|"
            r"suggestions)",
            r"rul(?:ed|es|ing) out",
            r"not for sale",
            r"(?:no|not) (?:any )?(?:interest(?:ed)?|intention|plans?|desire) (?:in|of|to)",
            r"(?:has|have|had) no (?:interest|intention|plans)",
            r"(?:is|are) not interested",
            r"played down",
            r"pour(?:ed|s)? cold water",
            r"(?:turned|turns|turn) down (?:the chance|a move|an offer to|the opportunity)",
            # "turned down Celtic", but not "turned down a £20m bid" nor "a bid for him turned
            # down earlier this week" (a bid, rejected)
            r"(?<!bid )(?<!bids )(?<!offer )(?<!offers )"
            r"(?:turned|turns|turn) down (?!(?:by|earlier|last|this|on|in|at|after|when|as)\b)"
            r"(?!(?:a |an |the |their |his |several |two |three )?"
            r"(?:\S+ ){0,2}(?:bids?|offers?|approach))",
            r"(?:rejected|rejects|reject) (?:the chance|a move|the opportunity)",
            r"(?:happy|settled) (?:at|with) (?:the|his|her) (?:\S+ )?club",
            r"(?:is|are|was) staying",
            r"not (?:be )?(?:leaving|moving|going anywhere)",
            r"will (?:remain|stay) (?:at|with)",
            r"no truth",
        ],
    ),
    (
        Status.AGREED,
        [
            r"agreed (?:a |an )?(?:\S+ )?(?:deal|terms|fee|transfer|move|loan|agreement)",
            r"agree (?:a |an )?(?:\S+ )?(?:deal|terms|fee)",
            r"agreed to (?:join|sign|move|a move|a transfer|a loan|become|take over|take charge|"
            r"part (?:ways|company))",
            r"(?:reached|reach) (?:an |a )?(?:agreement|deal|verbal agreement)",
            r"agreement (?:in principle|has been reached|with)",
            r"personal terms",
            r"(?:undergo|undergoes|undergoing|undergone|booked|scheduled|set for|having) "
            r"(?:a )?medical",
            r"(?:on the verge of|close to|closing in on) (?:completing|signing|joining|a deal|"
            r"an agreement|a move|a (?:£|€)\S+)",
            r"(?:is|are|appears?|looks?) set to (?:join|sign|complete|seal|move)",
            r"will (?:confirm|announce|complete) the (?:signing|appointment|arrival|deal|move)",
            r"here we go",
        ],
    ),
    (
        Status.BID,
        [
            rf"(?:bid|offer|approach) (?:of {_MONEY} )?(?:\S+ ){{0,3}}(?:rejected|turned down|"
            r"snubbed|knocked back)",
            r"(?:rejected|turned down|snubbed) (?:a |an |their |his )?(?:\S+ ){0,3}(?:bid|offer)",
            r"\bbid\b",
            r"\bbids\b",
            r"(?:made|make|submitted|submit|tabled|table|lodged|lodge|launch|launched|"
            r"prepar(?:e|ing)) (?:a |an |their |his |another |improved |an improved )?"
            r"(?:\S+ )?(?:offer|approach)",
            rf"{_MONEY} offer",
            r"\boffer(?:ed|s)? \S+ (?:for|to sign)",
        ],
    ),
    (
        Status.TALKS,
        [
            r"\btalks\b",
            r"negotiat(?:e|es|ed|ing|ions)",
            r"in discussions?",
            r"(?:held|hold|holding|opened|open) (?:discussions|negotiations)",
            r"(?:met|meet|meeting) with (?:\S+ )?(?:representatives|agents?|officials)",
            r"in contact with",
            r"advanced stage",
        ],
    ),
    (
        Status.INTEREST,
        [
            r"interest(?:ed)? in",
            r"interest from",
            r"\bkeen (?:on|to)\b",
            r"want(?:s|ed)? to (?:sign|bring|land|recruit|re-sign)",
            r"\bwant(?:s|ed)?\b",
            r"(?:monitor|monitoring|watch|watching|watched|tracking|track|tracked|eyeing|"
            r"scouting|scouted|scout) ",
            r"\btargets?\b",
            r"\blinked with\b",
            r"\blinks? to\b",
            r"consider(?:s|ed|ing)? (?:a |an )?(?:move|bid|offer|signing)",
            r"race (?:to sign|for)",
            r"joined (?:the|a) (?:race|queue|hunt|battle|chase|fight|scramble)",
            r"\badmire(?:s|d|rs)?\b",
            r"lin(?:e|es|ed|ing) up",
            r"\bplot(?:s|ting)?\b",
            r"in the running",
            r"on (?:the|their|his) (?:radar|shortlist|list)",
            r"(?:could|may|might) (?:move|join|sign|leave)",
            r"\btarget(?:ing|ed)\b",
            r"favourites? (?:to|for)",
            r"(?:candidate|contender|frontrunner|front-runner) (?:to|for)",
        ],
    ),
]

_COMPILED = [
    (status, [re.compile(rf"(?<!\w){pattern}", re.IGNORECASE) for pattern in patterns])
    for status, patterns in _CUES
]
_NEGATION = re.compile(
    r"(?:\b(?:not|no|never|without|yet to|nor|rather than|instead of|before|failed to|"
    r"fail to|unable to|if|whether)|n't)\W+(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)


# Quotation marks, but not apostrophes within words ("isn't"): a report quoting its source
# ('has "verbally agreed" to join') says the same as one that does not.
_QUOTE_MARKS = re.compile(r"[\"“”‘«»‹›]|(?<![^\W\d_])['’]|['’](?![^\W\d_])")


def read_status(text: str) -> Reading:
    """The transfer status a report's text describes, with the cue phrase that decided it."""
    text = _QUOTE_MARKS.sub("", text.replace("’", "'"))
    negated_interest: str | None = None
    for status, patterns in _COMPILED:
        for pattern in patterns:
            cue = _first_unnegated(pattern, text)
            if cue is not None:
                return Reading(status, cue)
            if status is Status.INTEREST and negated_interest is None:
                negated_interest = _first_negated(pattern, text)
    if negated_interest is not None:
        return Reading(Status.DENIED, negated_interest)
    return Reading(Status.RUMOUR, None)


def _first_unnegated(pattern: re.Pattern[str], text: str) -> str | None:
    for match in pattern.finditer(text):
        if not _NEGATION.search(text[max(0, match.start() - 30) : match.start()]):
            return match.group(0).strip()
    return None


def _first_negated(pattern: re.Pattern[str], text: str) -> str | None:
    for match in pattern.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        negation = _NEGATION.search(before)
        if negation:
            return f"{negation.group(0)}{match.group(0)}".strip()
    return None
