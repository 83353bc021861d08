"""Reports as `/rumours` and `timeline` list them: an article with its tier and transfer status.

The status is read from the sentences that name the subject asked about (an article about a
club's summer mentions many players), or from the article's opening when no subject is given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.transfer_status import Reading, read_status
from index.aliases import fold
from index.models import ArticleSummary
from index.outlets import OutletTiers
from index.text import split_sentences

_OPENING_SENTENCES = 2
_SENTENCES_READ = 3


@dataclass(frozen=True, slots=True)
class Report:
    article_id: int
    title: str
    url: str | None
    outlet: str | None
    published: date | None
    lead: str  # the sentence that names the subject, else the article's lead
    tier: int | None
    reading: Reading


def report_of(article: ArticleSummary, names: Sequence[str], tiers: OutletTiers) -> Report:
    sentences = split_sentences(article.text) if article.text else []
    naming = [s for s in sentences if _names_any(s, names)] if names else []
    read = naming[:_SENTENCES_READ] or sentences[:_OPENING_SENTENCES] or [article.title]
    return Report(
        article_id=article.article_id,
        title=article.title,
        url=article.url,
        outlet=article.outlet,
        published=article.published,
        lead=naming[0] if naming else article.lead,
        tier=tiers.tier(article.outlet, article.url, article.source_tier),
        reading=read_status(" ".join(read)),
    )


def _names_any(sentence: str, names: Sequence[str]) -> bool:
    folded = fold(sentence)
    return any(re.search(rf"\b{re.escape(fold(name))}\b", folded) for name in names)
