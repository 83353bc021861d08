"""Extractive answers: the most relevant sentences of the retrieved passages, each cited.

Every sentence of an answer is copied from an article, so every claim is grounded in a source.
The same story told by several outlets is one point citing all of them; points are dated and the
newest comes first; each cited report gets a transfer status, and a summary line says what the
reports amount to, or that they disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from bot.place_names import PLACE_WORDS, SHARED_CLUB_WORDS
from bot.question_intent import (
    QUESTION_STARTERS,
    asks_about_the_past,
    asks_how_much,
)
from bot.roles import BossOfTheTime
from bot.transfer_status import Reading, Status, read_status
from bot.true_case import FAN_WORDS, MID_SENTENCE, in_the_dictionary
from index.aliases import AliasTable, Person, fold, named_share, without_accents
from index.models import Passage
from index.names import NAME_PARTICLES
from index.outlets import OutletTiers
from index.search import freshness, names_all_subjects
from index.text import STOPWORDS, split_sentences, words

# The full texts of articles, by id.
ArticleTexts = Callable[[Sequence[int]], Mapping[int, str]]

NOTHING_FOUND = "I couldn't find any reports about that in the indexed news."

# Passages scoring far below the best one are about something else.
_PASSAGE_MARGIN = 0.15
# A sentence scoring well below the best chosen one adds noise rather than information.
_SENTENCE_FLOOR = 0.8
# Sentences are embedded per question: reading them from the best few stories bounds the cost.
_MAX_ANSWERING_STORIES = 4
_MAX_ANSWERING_ARTICLES = 8
# Two passages sharing this share of their words tell the same story (one rumour, many outlets).
_SAME_STORY_JACCARD = 0.5
# A report's title and lead say where and for whom it is told ("Tuesday's game in Barcelona");
# further down, a gossip column's other items are about other clubs.
_ARTICLE_LEAD_CHARS = 600
# A question naming this many people is about a story that one passage rarely tells whole ("with
# Henry crocked and Bergkamp and van Persie banned, who did Wenger play up front?", "does Jose
# expect extra time? n wot did Ronnie say?").
_SEVERAL_PEOPLE = 2
# Between equally relevant sentences, the more reliable outlet's comes first.
_TIER_BONUS = 0.01
# The newest report's sentences get this much on top (halving every half-life before it), so the
# latest development makes the answer even when an older report matches the words better.
_RECENCY_BONUS = 0.1
# A question asking how much is answered first by the sentences that give a sum.
_SUM_BONUS = 0.08
_SUM = re.compile(
    r"[£€$]\s?\d|\d(?:[.,]\d+)?(?:m|bn)\b|\d\s?(?:million|billion|euros?|pounds|dollars)\b",
    re.IGNORECASE,
)
# What a report says happened in the end, rather than a rumour of it.
_FIRM_STATUSES = frozenset({Status.DONE, Status.AGREED, Status.EXTENSION, Status.DENIED})
_NEAR_REPEAT_JACCARD = 0.6
_NEAR_REPEAT_COSINE = 0.9
_MIN_SENTENCE_WORDS = 4


# Capitalised words that name nobody: the words that may start a question (see
# `QUESTION_STARTERS`), months (and their short forms: "in Jan"), days and holidays.
_SENTENCE_STARTERS = QUESTION_STARTERS | frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday christmas easter".split()
)


@dataclass(frozen=True, slots=True)
class Citation:
    n: int
    title: str
    url: str | None
    outlet: str | None
    published: date | None
    quote: str
    tier: int | None = None
    reading: Reading = Reading(Status.RUMOUR, None)

    @property
    def status(self) -> Status:
        return self.reading.status


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    text: str  # one point per line, newest first: "2 Mar 2026: sentence [1][2]"
    abstained: bool
    citations: tuple[Citation, ...] = ()
    summary: str = ""  # what the cited reports amount to, or how they disagree


@dataclass(frozen=True, slots=True)
class _Candidate:
    sentence: str
    passage: Passage
    position: int
    score: float
    vector: np.ndarray


@dataclass(slots=True)
class _Point:
    """A sentence chosen for the answer, and every report that tells it."""

    candidate: _Candidate
    reports: list[Passage]

    @property
    def newest(self) -> date | None:
        return max((p.published for p in self.reports if p.published), default=None)


def compose_answer(
    question: str,
    query_vector: np.ndarray,
    passages: Sequence[Passage],
    embed: Callable[[Sequence[str]], np.ndarray],
    *,
    min_score: float,
    read_score: float | None = None,
    named_min_score: float | None = None,
    max_sentences: int,
    context: str | None = None,
    aliases: AliasTable | None = None,
    tiers: OutletTiers | None = None,
    recency_half_life_days: float = 30.0,
    latest: Sequence[Passage] = (),
    about_now: bool = False,
    article_texts: ArticleTexts | None = None,
    bosses: Sequence[BossOfTheTime] = (),
    named_in_full: Sequence[str] = (),
) -> Answer:
    """Pick a few relevant, non-repeating sentences and cite each one's article; the newest
    report read always has its say.

    For a follow-up ("and what about Chelsea?") `context` is the earlier question: the names
    asked about are the follow-up's own, or the earlier question's when it names nobody.
    `latest` are reports found by date rather than by relevance (the newest naming who was
    asked about): read beside the retrieved ones, but no reason on their own to answer.
    `bosses` may stand for their clubs in reports of their time (see `BossOfTheTime`).
    `named_in_full` are the surnames of people the question names by a first name and surname
    the news prints together: a passage naming one only after other first names is about a
    namesake ("Abel Ruiz" for Fabian Ruiz).

    The best report must reach `min_score`, or `named_min_score` for a question naming people:
    a report naming them vouches for itself in a way that words alone do not ("Is Sol close to
    a new Arsenal deal?" is answered by a match report mentioning Sol Campbell's new deal).
    """
    names = asked_about(question, aliases) or (asked_about(context, aliases) if context else [])
    people = [name_pattern(question, group) for group in people_named(names, aliases)]
    named_bar = named_min_score if named_min_score is not None and people else None
    if not _reaches_bar(passages, min_score, named_bar, people):
        return Answer(question, NOTHING_FOUND, abstained=True)
    if names:
        # A question naming someone is only answered from passages that name them too (see
        # `on_topic`), so "Is Mbappe joining Liverpool?" is not answered with other news.
        passages = _topical(passages, names, aliases, about_now, article_texts, bosses)
        passages = _not_of_namesakes(passages, question, named_in_full, aliases)
        if not _reaches_bar(passages, min_score, named_bar, people):
            return Answer(question, NOTHING_FOUND, abstained=True)
        latest = _topical(latest, names, aliases, about_now, article_texts, bosses)
        latest = _not_of_namesakes(latest, question, named_in_full, aliases)
    best = max(p.score for p in passages)
    # Once something relevant was found, reports down to `read_score` are read beside it.
    bar = min_score if named_bar is None else min(min_score, named_bar)
    floor = bar if read_score is None else min(read_score, bar)
    close = [p for p in passages if p.score >= max(floor, best - _PASSAGE_MARGIN)]
    # Passages naming every person asked about are read however loosely they match the words:
    # the latest news of a player is often told in passing ("after Brentford won the race to
    # sign Ajer"). Their sentences are used only where they are on topic themselves.
    readable = (
        [p for p in passages if p.score >= floor or (people and names_all_subjects(p, people))]
        if names
        else close
    )
    relevant = _from_best_stories(readable, _newest_report(readable))
    relevant += [p for p in latest if p.chunk_id not in {r.chunk_id for r in relevant}]
    tiers = tiers or OutletTiers([])
    close_ids = {p.chunk_id for p in close}
    candidates = [
        c
        for c in _score_sentences(
            question, query_vector, relevant, embed, tiers, recency_half_life_days
        )
        if c.passage.chunk_id in close_ids
        or on_topic(c.sentence, names, aliases, about_now)
        or _on_topic_with_his_club(
            c.sentence, c.passage.published, names, aliases, about_now, bosses
        )
    ]
    newest = _newest_report(relevant)
    if newest and asks_about_the_past(question) and newest.score < best - _PASSAGE_MARGIN:
        # Asked about the time of a story ("Why did United go cold on Conte?"), the newest
        # report must be about as relevant as the rest to have its say: Conte's later news
        # names United too.
        newest = None
    firm = _newest_firm_news(candidates)
    if firm and asks_about_the_past(question) and firm.passage.score < best - _PASSAGE_MARGIN:
        firm = None
    points = _pick(candidates, max_sentences, newest, firm)
    if not points:
        return Answer(question, NOTHING_FOUND, abstained=True)
    return _write(question, points, tiers)


def _reaches_bar(
    passages: Sequence[Passage],
    min_score: float,
    named_bar: float | None,
    people: Sequence[re.Pattern[str]],
) -> bool:
    """Whether a passage reaches `min_score`, or `named_bar` while naming every person as the
    question names them (first name and surname: "Taylor Swift" is not John Swift)."""
    return any(
        p.score >= min_score
        or (named_bar is not None and p.score >= named_bar and names_all_subjects(p, people))
        for p in passages
    )


def _from_best_stories(passages: list[Passage], newest: Passage | None) -> list[Passage]:
    """The passages of the best few stories, each story with every article that tells it, and
    the `newest` report. "Best" is by similarity to the question, not by the retrieval's rank:
    fusing ranks orders passages of nearly equal relevance by chance."""
    stories: list[set[str]] = []
    articles: list[int] = []
    for passage in sorted(passages, key=lambda p: p.score, reverse=True):
        if passage.article_id in articles or len(articles) == _MAX_ANSWERING_ARTICLES:
            continue
        passage_words = set(words(passage.text))
        if any(_jaccard(passage_words, story) >= _SAME_STORY_JACCARD for story in stories):
            articles.append(passage.article_id)
        elif len(stories) < _MAX_ANSWERING_STORIES:
            stories.append(passage_words)
            articles.append(passage.article_id)
    # The latest development is always read, however far down the relevant passages it is.
    chosen = [p for p in passages if p.article_id in articles]
    if newest is not None and newest.article_id not in articles:
        chosen.append(newest)
    return chosen


def _newest_report(passages: Sequence[Passage]) -> Passage | None:
    return max((p for p in passages if p.published), key=lambda p: p.published, default=None)


def _jaccard(a: set[str], b: set[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _score_sentences(
    question: str,
    query_vector: np.ndarray,
    passages: Sequence[Passage],
    embed: Callable[[Sequence[str]], np.ndarray],
    tiers: OutletTiers,
    half_life_days: float,
) -> list[_Candidate]:
    pieces: list[tuple[str, Passage, int]] = []
    for passage in passages:
        for position, sentence in enumerate(split_sentences(passage.text)):
            if len(sentence.split()) >= _MIN_SENTENCE_WORDS:
                pieces.append((sentence, passage, position))
    if not pieces:
        return []
    # A sentence several outlets print word for word is embedded once; each copy stays a
    # candidate, so the point it makes cites every one of them.
    unique = list(dict.fromkeys(sentence for sentence, _, _ in pieces))
    unique_vectors = embed(unique)
    row = {sentence: i for i, sentence in enumerate(unique)}
    vectors = unique_vectors[[row[sentence] for sentence, _, _ in pieces]]
    similarities = vectors @ query_vector
    question_terms = _content_words(question)
    newest = max((p.published for p in passages if p.published), default=None)
    about_a_sum = asks_how_much(question)
    candidates = []
    for (sentence, passage, position), vector, similarity in zip(
        pieces, vectors, similarities, strict=True
    ):
        # The passage score carries who/what the article is about (its header names them);
        # the sentence score says whether this sentence is the part that answers.
        overlap = _overlap(question_terms, sentence)
        score = 0.5 * float(similarity) + 0.4 * passage.score + 0.1 * overlap
        tier = tiers.tier(passage.outlet, passage.url, passage.source_tier)
        score += _TIER_BONUS * (4 - tier) if tier else 0.0
        if newest and half_life_days > 0:
            score += _RECENCY_BONUS * freshness(passage.published, newest, half_life_days)
        if about_a_sum and _SUM.search(sentence):
            score += _SUM_BONUS
        candidates.append(_Candidate(sentence, passage, position, score, vector))
    return sorted(candidates, key=lambda c: c.score, reverse=True)


def _newest_firm_news(candidates: Sequence[_Candidate]) -> _Candidate | None:
    """The sentence of the newest dated report that tells of a move done, agreed or denied or a
    contract extended ("Arsenal owner Stan Kroenke revealed that Xhaka has signed a new
    contract"): the outcome the reports before it were rumours of."""
    firm = [
        c
        for c in candidates
        if c.passage.published and read_status(c.sentence).status in _FIRM_STATUSES
    ]
    return max(firm, key=lambda c: (c.passage.published, c.score), default=None)


def _pick(
    candidates: list[_Candidate],
    max_sentences: int,
    newest: Passage | None,
    firm: _Candidate | None = None,
) -> list[_Point]:
    """The best sentences, each once: a near-repeat from another article becomes another report
    of the point it repeats (the same rumour in several outlets), not another point. The
    `newest` report's best sentence is one of them, however it scores: it may be the news; so
    is the `firm` news, the outcome of the rumours."""
    points: list[_Point] = []
    for candidate in candidates:
        repeated = next((p for p in points if _near_repeat(candidate, p.candidate)), None)
        if repeated is not None:
            # Told again, however weakly it matched the words: one more outlet for that point.
            if all(r.article_id != candidate.passage.article_id for r in repeated.reports):
                repeated.reports.append(candidate.passage)
            continue
        weak = points and candidate.score < points[0].candidate.score * _SENTENCE_FLOOR
        if not weak and len(points) < max_sentences:
            points.append(_Point(candidate, [candidate.passage]))
    leads = [firm] if firm else []
    if newest is not None:
        lead = next((c for c in candidates if c.passage.article_id == newest.article_id), None)
        leads = [lead, *leads] if lead else leads
    return _with_leads(points, leads, max_sentences)


def _with_leads(points: list[_Point], leads: list[_Candidate], max_sentences: int) -> list[_Point]:
    """`points` with a point for each lead whose report none of them cites, in place of the
    weakest ones that cite no lead."""

    def cites(point: _Point, lead: _Candidate) -> bool:
        return any(r.article_id == lead.passage.article_id for r in point.reports)

    added: list[_Point] = []
    for lead in leads:
        if not any(cites(point, lead) for point in [*points, *added]):
            added.append(_Point(lead, [lead.passage]))
    citing_a_lead = [any(cites(point, lead) for lead in leads) for point in points]
    room = max_sentences - len(added) - sum(citing_a_lead)
    kept = []
    for point, cites_a_lead in zip(points, citing_a_lead, strict=True):
        if cites_a_lead:
            kept.append(point)
        elif room > 0:
            kept.append(point)
            room -= 1
    return (kept + added)[:max_sentences]


def _near_repeat(a: _Candidate, b: _Candidate) -> bool:
    if float(a.vector @ b.vector) >= _NEAR_REPEAT_COSINE:
        return True
    words_a, words_b = set(words(a.sentence)), set(words(b.sentence))
    union = words_a | words_b
    return bool(union) and len(words_a & words_b) / len(union) >= _NEAR_REPEAT_JACCARD


def _write(question: str, points: list[_Point], tiers: OutletTiers) -> Answer:
    # Newest first; undated points keep their relevance order after the dated ones.
    ordered = sorted(points, key=lambda p: p.newest or date.min, reverse=True)
    numbers: dict[int, int] = {}
    quotes: dict[int, list[str]] = {}
    passages: dict[int, Passage] = {}
    lines = []
    for point in ordered:
        refs = []
        for report in sorted(point.reports, key=lambda r: _reliability(r, tiers)):
            n = numbers.setdefault(report.article_id, len(numbers) + 1)
            passages.setdefault(report.article_id, report)
            quotes.setdefault(report.article_id, []).append(point.candidate.sentence)
            refs.append(f"[{n}]")
        when = f"{format_date(point.newest)}: " if point.newest else ""
        lines.append(f"{when}{point.candidate.sentence} {''.join(refs)}")
    citations = tuple(
        _citation(n, passages[article_id], quotes[article_id], tiers)
        for article_id, n in numbers.items()
    )
    return Answer(
        question,
        "\n".join(lines),
        abstained=False,
        citations=citations,
        summary=summarise(citations),
    )


def _reliability(passage: Passage, tiers: OutletTiers) -> int:
    """Sort key: tier 1 first, outlets without a tier last."""
    return tiers.tier(passage.outlet, passage.url, passage.source_tier) or 5


def _citation(n: int, passage: Passage, quotes: list[str], tiers: OutletTiers) -> Citation:
    quote = " ".join(dict.fromkeys(quotes))
    return Citation(
        n=n,
        title=passage.title,
        url=passage.url,
        outlet=passage.outlet,
        published=passage.published,
        quote=quote,
        tier=tiers.tier(passage.outlet, passage.url, passage.source_tier),
        reading=read_status(quote),
    )


def summarise(citations: Sequence[Citation]) -> str:
    """What the reports say, grouped by status, newest first: "2 outlets (1 of them tier 1)
    reported talks, latest on 3 Dec 2021". Says so when one report denies what another
    advances, rather than blending them."""
    groups: dict[Status, list[Citation]] = {}
    for citation in citations:
        groups.setdefault(citation.status, []).append(citation)
    if len(groups) > 1:
        groups.pop(Status.RUMOUR, None)  # a plain mention adds nothing beside a clear status
    ordered = sorted(groups.items(), key=lambda item: _newest(item[1]) or date.min, reverse=True)
    parts = [_group_phrase(status, reports) for status, reports in ordered]
    disagree = Status.DENIED in groups and any(status.advancing for status in groups)
    lead = "Reports disagree, newest first: " if disagree else "In short: "
    return lead + "; ".join(parts) + "."


def _group_phrase(status: Status, reports: list[Citation]) -> str:
    outlets = list(dict.fromkeys(fold(c.outlet) for c in reports if c.outlet))
    unnamed = sum(1 for c in reports if not c.outlet)
    count = len(outlets) + unnamed
    newest = _newest(reports)
    if count == 1:
        named = next((c for c in reports if c.outlet), reports[0])
        who = _outlet_with_tier(named) if named.outlet else "one report"
        when = f" on {format_date(newest)}" if newest else ""
        return f"{who} reported {status.says}{when}"
    top = len({fold(c.outlet) for c in reports if c.outlet and c.tier == 1})
    reliable = f" ({top} of them tier 1)" if top else ""
    noun = "outlets" if not unnamed else "reports"
    when = f", latest on {format_date(newest)}" if newest else ""
    return f"{count} {noun}{reliable} reported {status.says}{when}"


def _outlet_with_tier(citation: Citation) -> str:
    return f"{citation.outlet} (tier {citation.tier})" if citation.tier else str(citation.outlet)


def _newest(citations: Sequence[Citation]) -> date | None:
    return max((c.published for c in citations if c.published), default=None)


def format_date(value: date) -> str:
    """ "3 Dec 2021": unambiguous wherever the reader lives."""
    return f"{value.day} {value:%b %Y}"


def named_terms(question: str, aliases: AliasTable | None = None) -> list[frozenset[str]]:
    """What a question names, each as a group of interchangeable names.

    A club becomes all its names ("Spurs" -> Tottenham Hotspur, Tottenham, Spurs, ...), and so
    does a person known by a nickname ("Fergie" -> Alex Ferguson, Sir Alex, Ferguson, ...), and
    a nickname several people share stands for any of them ("Ronnie": Ronaldo or Ronaldinho); any
    other capitalised word that is not a question word stands for itself (players, people,
    places). Names joined by "or" are one group: either answers.
    """
    groups: list[frozenset[str]] = []
    covered: set[str] = set()
    for used, club in aliases.clubs_in(question) if aliases else []:
        groups.append(frozenset(fold(name) for name in club.all_names))
        covered.update(used.split())
    for used, people in aliases.people_in(question) if aliases else []:
        if _first_name_of_another(question, used, people, aliases):
            continue
        groups.append(aliases.names_of(people))
        covered.update(used.split())
    tokens = [_bare(token) for token in re.findall(r"[\w'’.-]+", question)]
    run: list[str] = []  # consecutive names: "Rafa Benitez" is one person
    particles: list[str] = []  # typed between names: "de" of "Rodrigo de Paul"
    after_or = False  # the last name was followed by "or": "Pereira or Lampard"
    for token in [*tokens, ""]:
        folded = fold(token)
        if (
            token[:1].isupper()
            and len(token) > 2
            and _uncontracted(folded) not in STOPWORDS | _SENTENCE_STARTERS | FAN_WORDS
            and folded not in covered
        ):
            if run and particles:
                folded = " ".join([*particles, folded])
            run.append(folded)
            particles = []
            continue
        if run and token in NAME_PARTICLES:
            particles.append(token)
            continue
        particles = []
        if run:
            # A person is named by the surname: reports say "Rafael Benitez" as often as "Rafa",
            # with the particles typed before it ("de Paul" is not Paul Pogba).
            person = frozenset([run[-1]])
            if after_or and groups:
                groups[-1] |= person
            else:
                groups.append(person)
            run = []
            after_or = folded == "or"
        elif folded != "or":
            after_or = False
    return list(dict.fromkeys(groups))


# Whom a question names as the one somebody else replaces: "now Rafa Benitez has gone", "to
# replace Solskjaer", "Pochettino's successor", "fill the Lukaku gap". The question is about his
# successor and club, and the report of the appointment need not name him. `{person}` may follow
# a few words ("the sacked Rafa Benitez"), `{name}` none ("succeed in landing Vlahovic" replaces
# nobody).
_REPLACED = (
    r"\b(?:replac(?:e|es|ed|ing)|successor to|replacement for|in place of|"
    r"tak(?:e|es|ing) over from)\s+{person}",
    r"\bsucceed(?:s|ed|ing)?\s+{name}",
    r"\b{name}(?:['’]s)?\s+(?:replacement|successor)\b",
    r"\b(?:fill|fills|filling|plug|plugs|plugging|step\s+into|stepping\s+into)\s+(?:the\s+)?"
    r"{name}(?:['’]s)?\s+(?:gap|void|hole|shoes|role)\b",
)
# "now Rafa Benitez has gone", but not "after Lukaku left Chelsea": who left a club may be the
# one asked about.
_HAS_GONE = (
    r"\b(?:now|after|since|following|with)\s+{person}\s+(?:ha(?:s|d|ve)\s+)?(?:been\s+)?"
    r"(?:gone|sacked|fired|axed|dismissed|departed|quit|resigned|retired|out"
    r"|left(?=\s*(?:[,.;:?!-]|$)))",
)
# A clause that opens a question with what happened before it: "Now Xavi's running Barca, is
# Auba going there?", "Once the Wagner talks fell through, who did the Baggies get?".
_SETTING_CLAUSE = re.compile(
    r"^(?:now|once|after|since|with|following|given|what with)\b[^,?;:]*?(?:,|\s[-–—]\s)"
)
# Whom a question opens with as the one who said something about somebody else: "Klopp said
# Neco wasn't going out on loan - has that changed?" asks about Neco.
_SPEAKER = (
    r"^{name}\s+(?:has\s+)?(?:said|says|claimed|claims|insisted|insists|told|tells|reckons|"
    r"reckoned|admitted|admits|confirmed|confirms|revealed|reveals|hinted|hints)\b",
)
# Words of a nickname that say nothing of whom it names: "the Ox", "Big Sam", "Sir Bobby".
_TITLE_WORDS = frozenset("the big sir king don el la le il mad super magic little captain".split())
# Those no first name is: "King Arturo" is Arturo Vidal.
_TITLES = _TITLE_WORDS - NAME_PARTICLES - {"don"}


def asked_about(question: str, aliases: AliasTable | None = None) -> list[frozenset[str]]:
    """What a question names (`named_terms`) except the people it names only as the one someone
    replaces, as the boss of a club it asks about, as the one who said something, or in the
    clause that sets the scene, when a club or somebody else is left to ask about: "Who is
    taking charge of the Toffees now Rafa Benitez has gone?" is about Everton, "Is Xhaka off to
    Jose's Roma?" about Xhaka and Roma, "Klopp said Neco wasn't going out on loan - has that
    changed?" about Neco, "Now Xavi's running Barca, is Auba going there?" about Aubameyang and
    Barcelona."""
    groups = named_terms(question, aliases)
    folded = fold(question)
    clubs = [name for group in groups if is_club(group, aliases) for name in group]
    replaced = [
        group
        for group in people_named(groups, aliases)
        if _named_as(folded, group, _REPLACED + _HAS_GONE)
        or (clubs and _named_as(folded, group, _boss_of(clubs)))
        or _named_as(folded, group, _SPEAKER)
        or _only_setting_the_scene(folded, group, groups)
    ]
    left = [group for group in groups if group not in replaced]
    if not replaced or not any(not is_place(group) for group in left):
        return groups
    return left


def clubs_only_say_whose(question: str, aliases: AliasTable | None) -> bool:
    """Whether each club the question names is named only in the possessive before a person it
    names, as whose player he is: "Villa's Welsh left back Neil, who wants him?" asks about
    Neil Taylor, and his later news need not name Villa."""
    clubs = aliases.clubs_in(question) if aliases else []
    people = people_named(named_terms(question, aliases), aliases)
    if not clubs or not people:
        return False
    folded = fold(question)
    person = "|".join(re.escape(name) for group in people for name in sorted(group))
    for used, _ in clubs:
        named = re.findall(rf"\b{re.escape(used)}\b", folded)
        whose = re.findall(
            rf"\b{re.escape(used)}['’]s\s+(?:[\w-]+\s+){{0,4}}?(?:{person})\b", folded
        )
        if len(whose) < len(named):
            return False
    return True


def _only_setting_the_scene(
    folded_question: str, group: frozenset[str], groups: list[frozenset[str]]
) -> bool:
    """Whether the person of `group` is named only in the clause opening the question, and the
    rest of it names somebody or some club but never "he" ("After Lukaku left Chelsea, where did
    he go?" asks about Lukaku), and the clause names no list of people ("With Haaland and Kane
    available, who will Chelsea sign?")."""
    setting = _SETTING_CLAUSE.match(folded_question)
    if setting is None:
        return False
    scene, rest = folded_question[: setting.end()], folded_question[setting.end() :]
    # Club names the search text adds in brackets ("the Toffees (Everton)") are not the rest.
    rest = re.sub(r"\([^)]*\)", " ", rest)
    if re.search(r"\b(?:he|him|his|he's|he’s)\b", rest) or re.search(r"\b(?:and|or)\b", scene):
        return False  # "Now Kane has left Spurs, will he...", "With Haaland and Kane available"

    def names(text: str, names_of: frozenset[str]) -> bool:
        return any(re.search(rf"\b{re.escape(name)}\b", text) for name in _name_words(names_of))

    return (
        names(scene, group)
        and not names(rest, group)
        and any(other != group and names(rest, other) for other in groups)
    )


def without_the_departed(question: str, aliases: AliasTable | None = None) -> str:
    """The question without the names of the people it says have gone, when `asked_about`
    leaves them out, so it is not searched for them: "now Rafa Benitez has gone" would find
    reports of Benitez's time in charge rather than of his successor. ("to replace Solskjaer"
    keeps its name: reports of the search for his successor name him.)"""
    kept = asked_about(question, aliases)
    folded = fold(question)
    departed = {
        word
        for group in named_terms(question, aliases)
        if group not in kept and _named_as(folded, group, _HAS_GONE)
        for word in _name_words(group)
    }
    if not departed:
        return question
    tokens: list[str] = []
    for token in question.split():
        if fold(_bare(token.rstrip("?!.,;:"))) in departed:
            if token[-1:] in "?!.,":
                tokens.append(token[-1])
            continue
        tokens.append(token)
    return re.sub(r"\s+([?!.,])", r"\1", " ".join(tokens))


def _boss_of(clubs: list[str]) -> tuple[str, ...]:
    """ "(off) to Jose's Roma", "joining Mourinho at Roma": the person named as the boss of a
    club he is not the subject of ("Kane's Spurs future" is about Kane)."""
    club = "(?:" + "|".join(map(re.escape, sorted(clubs))) + ")"
    return (
        rf"\b(?:to|at|join|joins|joining|for|with|from|into|in)\s+{{name}}['’]s\s+(?:the\s+)?"
        rf"{club}\b(?!\s+(?:future|exit|move|contract|deal|career|departure|days|spell|stint))",
        # "joining Mourinho at Roma", "link up with Xavi at Barca"
        rf"\b(?:join|joins|joining|joined|(?:link|links|linking|team|teams|teaming)\s+up\s+with|"
        rf"reunit(?:e|es|ed|ing)\s+with|work(?:ing)?\s+under|play(?:ing)?\s+for)\s+"
        rf"{{name}}\s+at\s+(?:the\s+)?{club}\b",
    )


def _name_words(group: frozenset[str]) -> set[str]:
    """The words a question may name the person of `group` by: his names, and their words but
    titles and particles ("Nuno" of "Nuno Espirito Santo", not "the" of "the Ox")."""
    return set(group) | {
        word
        for name in group
        for word in name.split()
        if len(word) > 2 and word not in STOPWORDS | _TITLE_WORDS | NAME_PARTICLES
    }


def _named_as(folded_question: str, group: frozenset[str], patterns: Sequence[str]) -> bool:
    """Whether the question names the person of `group` in one of the `patterns`."""
    name = r"(?:" + "|".join(map(re.escape, sorted(_name_words(group)))) + r")\b"
    # "the sacked Rafa Benitez", but not "replace their keeper with Mendy"
    person = rf"(?:(?!(?:with|by|as|and|or|for)\s)[\w'’.-]+\s+){{0,3}}?{name}"
    return any(
        re.search(pattern.format(person=person, name=name), folded_question) for pattern in patterns
    )


def on_topic(
    text: str,
    groups: Sequence[frozenset[str]],
    aliases: AliasTable | None,
    about_now: bool = False,
) -> bool:
    """Whether `text` names whom a question names: all its people, and one of its clubs (all of
    them when it names no one). "Is Mbappe joining Liverpool?" is not answered with Mbappe news
    that never mentions Liverpool, nor with other Liverpool news; beside the people, a word
    several clubs share names the club asked about ("United" for Manchester United). Places and
    competitions need not be named ("Which Italian club..." is answered by "Juventus"). A
    question about how things stand now needs only its people: "Which club is Eriksen about to
    sign for after leaving Inter?" is answered by "Eriksen is set to sign for Brentford"."""
    clubs = [g for g in groups if is_club(g, aliases)]
    people = people_named(groups, aliases)
    if not names_all(text, people):
        return False
    if not clubs or (people and about_now):
        return True
    if not people:
        return names_all(text, clubs)
    # Beside the people asked about, "United" is their Manchester United.
    return named_share(text, clubs) > 0 or any(
        _says_alone(text, word) for club in clubs for word in _shared_words(club)
    )


def _shared_words(club: frozenset[str]) -> frozenset[str]:
    """The words of a club's names that other clubs' names share: "united", "city", "real"."""
    return frozenset(word for name in club for word in name.split() if word in SHARED_CLUB_WORDS)


def _says_alone(text: str, word: str) -> bool:
    """Whether `text` uses `word` as a club's name of its own: capitalised, and not after
    another name ("United are keen", not "the city", "a real threat" or "Newcastle United")."""
    for match in re.finditer(rf"\b{re.escape(word.capitalize())}\b", text):
        before = text[: match.start()].split()
        if not before or not before[-1][:1].isupper() or before[-1][-1:] in ".!?:;,":
            return True
    return False


def person_pattern(question: str, surname: str) -> re.Pattern[str]:
    """Matches the person the question names by `surname` (folded), after the first name when
    the question gives one ("Dean Smith" is not "Kerr Smith"), in a longer or shorter form
    ("Rafa" and "Rafael" Benitez). Applies to folded text."""
    first = first_name_before(question, surname)
    if first is None:
        return re.compile(rf"\b{re.escape(surname)}\b")
    return re.compile(rf"\b{re.escape(fold(first)[:3])}\w*\s+{re.escape(surname)}\b")


def first_name_before(question: str, surname: str) -> str | None:
    """The capitalised word the question types before a surname, as typed, if any."""
    tokens = [_bare(token) for token in re.findall(r"[\w'’.-]+", question)]
    folded = [fold(token) for token in tokens]
    at = folded.index(surname) if surname in folded else -1
    first = tokens[at - 1] if at > 0 else ""
    if not first[:1].isupper() or fold(first) in STOPWORDS | _SENTENCE_STARTERS | _TITLES:
        return None
    return first


def name_pattern(question: str, group: frozenset[str]) -> re.Pattern[str]:
    """Matches, in folded text, whom a name group of the question stands for: a person named
    by surname as `person_pattern` does, anyone else by any of the group's names."""
    if len(group) == 1:
        return person_pattern(question, next(iter(group)))
    return re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(group))) + r")\b")


def _first_name_of_another(
    question: str, used: str, people: Sequence[Person], aliases: AliasTable
) -> bool:
    """Whether the nickname `used` (folded) is the first name of somebody the question names in
    full: "Rafa Varane" is not Rafa Benitez, "Bruno Lage" not Bruno Fernandes. The next word
    must be a name: capitalised, straight after it, neither a club ("Is Pep Bayern-bound?"), a
    place ("Is Sven England's next manager?"), a question word, nor a name of theirs ("Ole
    Gunnar")."""
    words = [m.group() for m in re.finditer(r"[\w'’.-]+|[^\w\s]", question)]
    long_words = [word for word in words if len(word) > 3]
    if len(long_words) > 1 and all(word[:1].isupper() for word in long_words):
        return False  # "Is Fergie Retiring?": capitals tell nothing in Title Case
    their_words = {
        fold(word) for person in people for name in person.all_names for word in name.split()
    }
    length = len(used.split())
    for at in range(len(words) - length):
        if " ".join(fold(word) for word in words[at : at + length]) != used:
            continue
        after = _bare(words[at + length])
        first = fold(after.split("-")[0])
        if (
            after[:1].isupper()
            and aliases.club(after) is None
            and aliases.club(first) is None
            and first not in PLACE_WORDS | their_words
            and _uncontracted(first) not in STOPWORDS | _SENTENCE_STARTERS
        ):
            return True
    return False


def _uncontracted(word: str) -> str:
    """ "who've" -> "who", "what'll" -> "what"."""
    return re.sub(r"['’](?:ve|ll|d|re|m)$", "", word)


def _bare(token: str) -> str:
    """A word without surrounding punctuation, a possessive or an "ex-": "Rangnick's" ->
    "Rangnick", "ex-Blackburn" -> "Blackburn"."""
    bare = re.sub(r"['’]s$", "", token.strip("'’.-"), flags=re.IGNORECASE).strip("'’.-")
    return re.sub(r"^ex-", "", bare, flags=re.IGNORECASE)


def people_named(
    groups: Sequence[frozenset[str]], aliases: AliasTable | None
) -> list[frozenset[str]]:
    """The name groups that stand for people: neither a club nor a place (see `is_place`)."""
    return [g for g in groups if not is_club(g, aliases) and not is_place(g)]


def is_club(group: frozenset[str], aliases: AliasTable | None) -> bool:
    return aliases is not None and any(aliases.club(name) for name in group)


def is_place(group: frozenset[str]) -> bool:
    """A country, nationality, continent, competition or a nickname several clubs share:
    "Italian", "Europe", "Champions League", "the Reds" (a name counts by its last word)."""
    return all(name.split()[-1] in PLACE_WORDS for name in group)


def _topical(
    passages: Sequence[Passage],
    groups: list[frozenset[str]],
    aliases: AliasTable | None,
    about_now: bool,
    article_texts: ArticleTexts | None,
    bosses: Sequence[BossOfTheTime] = (),
) -> list[Passage]:
    """The passages that are on topic: by their own title and text, or with a boss's club for
    him in a report of his time; or, naming the people asked about, with their article's lead
    naming the clubs; or, for a question naming several people, naming some of them in an
    article that names them all (see `compose_answer`)."""
    people = people_named(groups, aliases)
    found = [
        on_topic(f"{p.title} {p.text}", groups, aliases, about_now)
        or _on_topic_with_his_club(
            f"{p.title} {p.text}", p.published, groups, aliases, about_now, bosses
        )
        for p in passages
    ]
    several = len(people) >= _SEVERAL_PEOPLE
    read_whole = [
        p.article_id
        for p, on in zip(passages, found, strict=True)
        if not on
        and people
        and (
            (several and named_share(f"{p.title} {p.text}", people) > 0)
            or names_all(f"{p.title} {p.text}", people)
        )
    ]
    texts = article_texts(read_whole) if article_texts and read_whole else {}

    def on_topic_in_its_article(p: Passage) -> bool:
        if p.article_id not in texts:
            return False
        article = texts[p.article_id]
        if several and on_topic(f"{p.title} {article}", groups, aliases, about_now):
            return True
        return on_topic(f"{article[:_ARTICLE_LEAD_CHARS]} {p.text}", groups, aliases)

    return [p for p, on in zip(passages, found, strict=True) if on or on_topic_in_its_article(p)]


def _not_of_namesakes(
    passages: Sequence[Passage],
    question: str,
    named_in_full: Sequence[str],
    aliases: AliasTable | None,
) -> list[Passage]:
    """The passages but those naming a person the question names in full (see
    `compose_answer`) only as somebody else's surname: "Brighton have bid for Spain forward
    Abel Ruiz" is not about Fabian Ruiz."""
    patterns = [(surname, person_pattern(question, surname)) for surname in named_in_full]
    return [
        p
        for p in passages
        if not any(
            _only_as_a_namesake(f"{p.title} {p.text}", surname, pattern, aliases)
            for surname, pattern in patterns
        )
    ]


def _only_as_a_namesake(
    text: str, surname: str, person: re.Pattern[str], aliases: AliasTable | None
) -> bool:
    """Whether the text names `surname` only after first names other than the one `person`
    wants ("Abel Ruiz", "Kays Ruiz-Atil" for Fabian Ruiz)."""
    if person.search(fold(text)):
        return False
    plain = without_accents(text)
    mentions = re.findall(rf"\b{re.escape(surname)}\b", plain, re.IGNORECASE)
    # The word before, unless it starts a sentence ("Meanwhile Ruiz...", "Midfielder Ruiz").
    before = re.findall(
        rf"{MID_SENTENCE}([\w'’.-]+)\s+{re.escape(surname)}\b", plain, re.IGNORECASE
    )
    return (
        bool(mentions)
        and len(before) == len(mentions)
        and all(_a_first_name(word, aliases) for word in before)
    )


def _a_first_name(word: str, aliases: AliasTable | None) -> bool:
    """Whether a capitalised word is no everyday word, place, title or club: "Abel", not
    "Midfielder", "Spain" or "Napoli"."""
    folded = fold(word)
    return (
        word[:1].isupper()
        and word.isalpha()
        and folded not in STOPWORDS | PLACE_WORDS | _TITLE_WORDS
        and not in_the_dictionary(folded)
        and not (aliases and aliases.club(folded))
    )


def _on_topic_with_his_club(
    text: str,
    published: date | None,
    groups: list[frozenset[str]],
    aliases: AliasTable | None,
    about_now: bool,
    bosses: Sequence[BossOfTheTime],
) -> bool:
    """Whether the text is on topic once a boss asked about counts as named by the name of a
    club that reports published within 180 days of it call him the boss of."""
    return any(
        on_topic(
            text,
            [boss.club if group == boss.boss else group for group in groups],
            aliases,
            about_now,
        )
        for boss in bosses
        if boss.boss in groups and boss.in_charge_on(published)
    )


def names_all(text: str, groups: list[frozenset[str]]) -> bool:
    """Whether `text` names someone of every group (whole words, case and accents ignored)."""
    return named_share(text, groups) == 1.0


def _content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS and len(w) > 1}


def _overlap(question_terms: set[str], sentence: str) -> float:
    if not question_terms:
        return 0.0
    return len(question_terms & set(words(sentence))) / len(question_terms)
