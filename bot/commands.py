"""What a user can ask for, as plain functions returning records.

The CLI, the terminal chat and the Discord adapter only parse input and render these results.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

import numpy as np

from bot.answer import (
    NOTHING_FOUND,
    Answer,
    asked_about,
    clubs_only_say_whose,
    compose_answer,
    first_name_before,
    is_club,
    name_pattern,
    named_terms,
    on_topic,
    people_named,
    person_pattern,
    summarise,
    without_the_departed,
)
from bot.config import Settings
from bot.initials import name_with_initials, spelt_out
from bot.llm_writer import LLMWriter, NumberedPassage
from bot.question_intent import asks_about_now
from bot.reports import Report, report_of
from bot.roles import (
    boss_as_his_club,
    bosses_of_the_time,
    resolve_roles,
    with_club_for_boss,
)
from bot.true_case import (
    FAN_WORDS,
    WordUse,
    fan_nickname_of,
    respelt,
    shouted,
    true_cased,
    word_use,
)
from index.aliases import AliasTable, fold
from index.embed import Embedder
from index.errors import TransferDeskError
from index.library import NewsIndex
from index.models import IndexStats, Passage, ReindexReport, SourceRecord
from index.names import NAME_PARTICLES
from index.outlets import OutletTiers
from index.pipeline import reindex
from index.progress import Progress
from index.search import Named, RetrievalOptions
from index.text import letters_apart, one_letter_away

EXAMPLE_QUESTION = "Is Allegri leaving Milan?"
# Newest reports naming the person asked about that are checked for naming everyone asked about.
_LATEST_REPORTS_READ = 20
# The newest report joins the retrieved ones unless it scores this far below the best of them.
_LATEST_REPORT_MARGIN = 0.25
# A fan's nickname clipped from a name, with an ending of its own: "welbz", "hendo", "rashy".
_CLIPPED_NICKNAME = re.compile(r"([^\W\d_]{4,}?)(?:zy|z|o|sy|y|ie)")
_CLIPPED_AT_LEAST = 2  # letters clipped off the name
_CLIPPED_CANDIDATES = 8
# A surname clipped after a first name ("willy cab") is looked up among this many words at most.
_CLIPPED_SURNAME_CANDIDATES = 20
# A nickname printed this often finds its reports without the name: "Rafa", "Ole".
_NICKNAME_PRINTED = 3
# Passages read to learn whether the news prints a word as a name (see `bot.true_case`).
_PASSAGES_PER_WORD = 30
# A first name and surname the news prints this often together name one person.
_PRINTED_IN_FULL = 2
# Words this long one letter from a name the news prints are read as that name ("kulusevksi").
_MIN_RESPELT_FROM_THE_NEWS = 7
# Shorter words may still be a name the news prints with two letters swapped ("marhez") or a
# letter doubled or not ("tuffan").
_MIN_SWAPPED_FROM_THE_NEWS = 5
# A surname typed after a first name may be this many letters off the one the news prints.
_SURNAME_LETTERS_OFF = 2
_SHORT_SURNAME = 5  # letters; one letter off at most
_QUESTIONS_REMEMBERED = 1000


class Engine:
    """One open index plus the settings that shape answers. Load once, ask many times."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        embedding = settings.embedding
        self.embedder = Embedder(
            embedding.model, embedding.batch_size, embedding.device, embedding.light_queries
        )
        self.index = NewsIndex(settings.data_dir, self.embedder, settings.index_settings)
        self.aliases = AliasTable.load(settings.aliases_path, settings.people_path)
        self.tiers = OutletTiers.load(settings.outlet_tiers_path)
        self.writer = LLMWriter(settings.llm) if settings.llm.enabled else None
        self._word_uses: dict[str, WordUse] = {}
        self._word_uses_of: tuple[object, ...] = ()
        self._words: frozenset[str] | None = None  # of the full-text index, until a reindex
        # Those words by their first letter, with the set they were grouped from.
        self._words_by_initial: tuple[frozenset[str], dict[str, tuple[str, ...]]] | None = None
        self._read: dict[str, str] = {}  # questions as `read` reads them, until a reindex

    def close(self) -> None:
        self.index.close()

    def ask(self, question: str, k: int | None = None, context: str | None = None) -> Answer:
        """Answer a question; `context` is an earlier question this one follows up on."""
        question = self.check_question(question)
        top_k = k or self.settings.retrieval.top_k
        if top_k < 1:
            raise TransferDeskError("-k must be at least 1")
        if self.index.store.counts()[0] == 0:
            raise TransferDeskError(
                "The index is empty: add a source with `transferdesk sources add PATH`, "
                "then run `transferdesk reindex`."
            )
        # Each cased on its own: a lower-case follow-up ("what about kane?") after a question
        # with capitals of its own still names its player.
        cased = [self.cased(text) for text in (question, context) if text]
        search_text = self.search_text(" ".join(cased))
        query_vector = self.index.embed_query(search_text)
        passages = self.retrieve(search_text, query_vector, top_k)
        return self.compose(question, query_vector, passages, context)

    def retrieve(
        self,
        search_text: str,
        query_vector: np.ndarray,
        k: int,
        options: RetrievalOptions | None = None,
    ) -> list[Passage]:
        """The k best passages for a question's search text (see `search_text`), favouring
        those that name the clubs and people it names and, when it asks how things stand now,
        newer reports about its people."""
        options = options or self.settings.retrieval.options
        if not asks_about_now(search_text):
            options = replace(options, recency_weight=0.0)
        everyone = named_terms(search_text, self.aliases)
        asked = asked_about(search_text, self.aliases)
        people = people_named(asked, self.aliases)
        clubs = [group for group in asked if is_club(group, self.aliases)]
        subjects = [name_pattern(search_text, group) for group in people or clubs]
        return self.index.retrieve(search_text, query_vector, k, options, Named(everyone, subjects))

    def _forget_word_uses_after_a_reindex(self) -> None:
        stamp = (self.index.store.get_meta("last_reindex"), self.index.store.newest_article_id())
        if stamp != self._word_uses_of:
            self._word_uses, self._word_uses_of, self._words = {}, stamp, None
            self._read = {}

    def cased(self, question: str) -> str:
        """The question with club and people names it misspells spelt as the name tables do,
        and capitals where the news prints its names when it has none of its own or
        capitalises every word (see `bot.true_case`), and the initials it types spelt out
        (see `bot.initials`)."""
        self._forget_word_uses_after_a_reindex()
        respelt_question = respelt(
            question, self.word_use, self.name_spelt_like, self.surname_misspelt_after
        )
        cased = true_cased(respelt_question, self.word_use, self.is_known_name, self.is_club)
        return cased if shouted(question) else spelt_out(cased, self.name_of_initials)

    def name_spelt_like(self, word: str, after: str = "") -> str | None:
        """The name a folded word no report prints stands for: a name of the tables with its
        apostrophe left out ("barcas"), the one club or person of the name tables one letter
        away ("marseile"), else the one word one letter away that the news prints as a name
        ("kulusevksi"; for a shorter word, with two letters swapped or a letter doubled or not:
        "tuffan"), or the one it prints after the word before
        (`after`: "weston mckenie" is McKennie, not McKenzie), else the name a fan's "-y" or
        "-ie" is made from ("winksy"), else the one name a clipped nickname starts ("welbz"),
        else a surname two letters away that the news prints after the first name before it
        ("wayne hennesy"). None when there is none or several.
        Shorter words are left alone: an unknown "Kovac" is not the reports' "Kovacs"."""
        if word.endswith("s") and self.is_known_name(word[:-1]):
            return f"{word[:-1]}'s"  # "barcas" -> "barca's"
        tabled = self.aliases.spelt_like(word)
        if tabled is not None:
            return tabled
        printed = self._indexed_words()
        if len(word) >= _MIN_RESPELT_FROM_THE_NEWS:
            near = sorted(
                candidate
                for candidate in one_letter_away(word) & printed
                if self.word_use(candidate).as_a_name
            )
            if len(near) > 1 and after:
                near = [candidate for candidate in near if self._printed_after(after, candidate)]
            if len(near) == 1:
                return near[0]
        elif len(word) >= _MIN_SWAPPED_FROM_THE_NEWS:
            slips = _with_two_letters_swapped(word) | _with_a_letter_doubled_or_not(word)
            near = sorted(
                candidate for candidate in slips & printed if self.word_use(candidate).as_a_name
            )
            if len(near) == 1:
                return near[0]
        return (
            fan_nickname_of(word, self.word_use)
            or self._name_clipped_to(word)
            or self._surname_printed_after(word, after)
        )

    def _name_clipped_to(self, word: str) -> str | None:
        """The one name the news prints that a fan's clipped nickname starts ("welbz" is
        Welbeck); None when several names start it, or many words do."""
        clipped = _CLIPPED_NICKNAME.fullmatch(word)
        if clipped is None:
            return None
        stem = clipped.group(1)
        longer = [
            indexed
            for indexed in self._indexed_words_starting(stem[0])
            if indexed.startswith(stem)
            and len(indexed) >= len(stem) + _CLIPPED_AT_LEAST
            and letters_apart(word, indexed) > _SURNAME_LETTERS_OFF  # "hennesy" is a typo
        ]
        if len(longer) > _CLIPPED_CANDIDATES:
            return None  # a stem many words start, as likely a word of its own
        names = [indexed for indexed in longer if self.word_use(indexed).printed_as_a_name]
        return names[0] if len(names) == 1 else None

    def _surname_printed_after(self, word: str, first_name: str) -> str | None:
        """The one name up to two letters from `word` (one, for a word of five letters or
        fewer), or that `word` is the start of, that the news prints after the first name or
        particle typed before it ("wayne hennesy" is Wayne Hennessey, "jonas hoffman" Jonas
        Hofmann, "de vrji" de Vrij, "willy cab" Willy Caballero)."""
        if not first_name or not (
            first_name in NAME_PARTICLES or self.word_use(first_name).printed_as_a_name
        ):
            return None
        off = 1 if len(word) <= _SHORT_SURNAME else _SURNAME_LETTERS_OFF
        same_initial = self._indexed_words_starting(word[:1])
        misspelt = [
            candidate
            for candidate in same_initial
            if abs(len(candidate) - len(word)) <= off and letters_apart(word, candidate) <= off
        ]
        clipped = [
            candidate
            for candidate in same_initial
            if candidate.startswith(word) and len(candidate) >= len(word) + _CLIPPED_AT_LEAST
        ]
        if len(clipped) > _CLIPPED_SURNAME_CANDIDATES:
            clipped = []  # "mar": too many names to ask the news about
        near = [
            candidate
            for candidate in misspelt + clipped
            if self.word_use(candidate).as_a_name and self._printed_after(first_name, candidate)
        ]
        return near[0] if len(near) == 1 else None

    def surname_misspelt_after(self, word: str, first_name: str) -> str | None:
        """The surname the news prints after `first_name` that a name it prints, but never
        after `first_name`, is a typo of: "brennan jonson" is Brennan Johnson, not Jonson
        Clarke-Harris; "pape sar" Pape Sarr, not van der Sar."""
        if self._printed_after(first_name, word):
            return None
        return self._surname_printed_after(word, first_name)

    def _printed_after(self, before: str, word: str) -> bool:
        """Whether the news prints the folded `word` right after the folded `before`."""
        together = re.compile(rf"\b{re.escape(before)}\W+{re.escape(word)}\b")
        return any(
            together.search(fold(passage.text))
            for passage in self.index.passages_with_words(f"{before} {word}", _PASSAGES_PER_WORD)
        )

    def name_of_initials(self, typed: str) -> str | None:
        """The name the news prints with the initials a question types ("PVA"), unless the
        name tables know them, they are a fan's abbreviation ("UCL"), or the news prints them
        as a word of their own ("UEFA", "MLS"), but for a name it prints less often than the
        one with those initials and never in capitals, typed in capitals: "MATS" is
        Marc-Andre ter Stegen, "Mats" Mats Hummels."""
        folded = fold(typed)
        if self.is_known_name(folded) or folded in FAN_WORDS:
            return None
        spellings = self.index.store.names_with_initials(folded)
        name = name_with_initials(spellings)
        use = self.word_use(folded)
        if name is None or not use.seen:
            return name
        if (
            typed.isupper()
            and use.printed_as_a_name
            and use.capitalised < spellings[name]
            and not self._printed_in_capitals(typed)
        ):
            return name
        return None

    def _printed_in_capitals(self, word: str) -> bool:
        capitals = re.compile(rf"\b{re.escape(word.upper())}\b")
        passages = self.index.passages_with_words(fold(word), _PASSAGES_PER_WORD)
        return any(capitals.search(passage.text) for passage in passages)

    def _indexed_words(self) -> frozenset[str]:
        self._forget_word_uses_after_a_reindex()
        if self._words is None:
            self._words = self.index.store.indexed_words()
        return self._words

    def _indexed_words_starting(self, letter: str) -> tuple[str, ...]:
        """The full-text index's words starting with `letter`, sorted once per reindex."""
        words = self._indexed_words()
        by_initial = self._words_by_initial  # read once: a reindex may forget it meanwhile
        if by_initial is None or by_initial[0] is not words:
            grouped: dict[str, list[str]] = {}
            for indexed in sorted(words):
                grouped.setdefault(indexed[:1], []).append(indexed)
            by_initial = (words, {k: tuple(v) for k, v in grouped.items()})
            self._words_by_initial = by_initial
        return by_initial[1].get(letter, ())

    def is_club(self, word: str) -> bool:
        """Whether the club table lists a folded word as a club's name ("liverpool", "toon")."""
        return self.aliases.club(word) is not None

    def is_known_name(self, word: str) -> bool:
        """Whether the club or nickname table lists a folded word as a name of its own."""
        return self.aliases.club(word) is not None or bool(self.aliases.people_called(word))

    def word_use(self, word: str) -> WordUse:
        """How the indexed news prints a folded word, remembered until the next reindex."""
        if word not in self._word_uses:
            passages = self.index.passages_with_words(word, _PASSAGES_PER_WORD)
            self._word_uses[word] = word_use(word, (p.text for p in passages))
        return self._word_uses[word]

    def read(self, question: str) -> str:
        """The question cased (see `cased`), with the club of a boss it names as the one who
        does a deal no report names him with (see `boss_as_his_club`): "did arteta ever land
        aouar?" is answered by "Arsenal want Aouar". Remembered until the next reindex: `ask`
        reads a question once to search and again to answer."""
        self._forget_word_uses_after_a_reindex()
        if question not in self._read:
            if len(self._read) >= _QUESTIONS_REMEMBERED:
                self._read.clear()
            self._read[question] = self._read_afresh(question)
        return self._read[question]

    def _read_afresh(self, question: str) -> str:
        question = self.cased(question)
        asked = asked_about(question, self.aliases)
        people = people_named(asked, self.aliases)
        named_clubs = {club.slug for _, club in self.aliases.clubs_in(question)}
        for boss in people:
            others = [group for group in people if group != boss]
            club = boss_as_his_club(
                question,
                boss,
                others,
                self.aliases,
                self.index.passages_with_words,
                self.index.recent,
            )
            if club is not None and club.slug not in named_clubs:
                return with_club_for_boss(question, boss, club)
        return question

    def search_text(self, question: str) -> str:
        """The question with the full names of the clubs it names by other words, and the
        people its roles name ("the Toon boss" -> the name the reports give him), but not the
        people it says have gone (see `without_the_departed`)."""
        question = self.read(question)
        text = self.aliases.expand(
            without_the_departed(question, self.aliases), printed=self._nickname_printed
        )
        holders = resolve_roles(question, self.aliases, self.index.passages_with_words)
        if holders:
            text += f" ({'; '.join(h.name for h in holders)})"
        return text

    def _nickname_printed(self, nickname: str) -> bool:
        return self.word_use(nickname).capitalised >= _NICKNAME_PRINTED

    def compose(
        self,
        question: str,
        query_vector: np.ndarray,
        passages: list[Passage],
        context: str | None = None,
    ) -> Answer:
        typed = question
        question = self.read(question)
        context = self.cased(context) if context else context
        if self.names_someone_unreported(question):
            return Answer(typed, NOTHING_FOUND, abstained=True)
        # A question naming a club only as whose player he is needs only its people named, as
        # one about how things stand now does.
        about_now = asks_about_now(question) or clubs_only_say_whose(question, self.aliases)
        # The names compose_answer answers about: the follow-up's own, else the earlier question's.
        about = question if asked_about(question, self.aliases) or not context else context
        people = people_named(asked_about(about, self.aliases), self.aliases)
        bosses = bosses_of_the_time(people, self.aliases, self.index.passages_with_words)
        answer = compose_answer(
            question,
            query_vector,
            passages,
            self.index.embed,
            min_score=self.settings.answer.min_score,
            read_score=self.settings.answer.read_score,
            named_min_score=self.settings.answer.named_min_score,
            max_sentences=self.settings.answer.max_sentences,
            context=context,
            aliases=self.aliases,
            tiers=self.tiers,
            recency_half_life_days=self.settings.retrieval.recency_half_life_days,
            latest=self.latest_report(question, query_vector, passages, about_now),
            about_now=about_now,
            article_texts=self.index.article_texts,
            bosses=bosses,
            named_in_full=self.named_in_full(about, people),
        )
        answer = replace(answer, question=typed)  # shown as the user typed it
        if self.writer is None or answer.abstained:
            return answer
        return self.written(answer, passages)

    def named_in_full(self, question: str, people: list[frozenset[str]]) -> list[str]:
        """The surnames of the people the question names by a first name and surname that the
        news prints together ("Fabian Ruiz", not a fan's "Woy Hodgson" or "Inter's Barella")."""
        surnames = []
        for group in people:
            surname = next(iter(group))
            first = first_name_before(question, surname) if len(group) == 1 else None
            if first is None:
                continue
            person = person_pattern(question, surname)
            printed = self.index.passages_with_words(f"{first} {surname}", _PASSAGES_PER_WORD)
            if sum(bool(person.search(fold(p.text))) for p in printed) >= _PRINTED_IN_FULL:
                surnames.append(surname)
        return surnames

    def names_someone_unreported(self, question: str) -> bool:
        """Whether the question names a person no indexed report names among those it is not
        about (see `asked_about`: the one somebody replaces, the boss in "Jose's Roma", one named
        in the opening clause): "Who's taking over from Nuri Sahin at Dortmund?" is about
        Sahin's Dortmund, which the news never reported on. (Any capitalised word that is no
        club or place counts as a person, as in `named_terms`.)"""
        asked = asked_about(question, self.aliases)
        return any(
            group not in asked and not self.index.recent(tuple(sorted(group)), 1)
            for group in people_named(named_terms(question, self.aliases), self.aliases)
        )

    def latest_report(
        self,
        question: str,
        query_vector: np.ndarray,
        passages: list[Passage],
        about_now: bool = False,
    ) -> list[Passage]:
        """The best passage of the newest report naming everyone a question about a person
        names, when retrieval left it out: the latest development ("Juventus agreed to sign
        Vlahovic") often shares few words with the question ("Where did Vlahovic go instead of
        the Gunners?"). Empty when retrieval has it or it is far less relevant than the rest."""
        names = asked_about(question, self.aliases)
        people = people_named(names, self.aliases)
        if not people or not passages:
            return []
        group = people[0]  # a surname, or every name of someone known by a nickname
        person = name_pattern(question, group)
        articles = self.index.recent(tuple(sorted(group)), _LATEST_REPORTS_READ)
        newest = next(
            (
                a
                for a in articles
                if a.published
                and on_topic(a.text, names, self.aliases, about_now)
                and person.search(fold(a.text))
            ),
            None,
        )
        if newest is None or any(p.article_id == newest.article_id for p in passages):
            return []
        best = max(p.score for p in passages)
        floor = max(self.settings.answer.read_score, best - _LATEST_REPORT_MARGIN)
        found = self.index.article_passages([newest.article_id], query_vector)
        return found[:1] if found and found[0].score >= floor else []

    def written(self, answer: Answer, passages: list[Passage]) -> Answer:
        """The answer in the configured LLM's words, from the passages of the reports it cites;
        the extractive answer when the LLM fails or cites nothing it was given."""
        assert self.writer is not None
        numbered = [
            NumberedPassage(
                c.n,
                c.title,
                c.outlet,
                c.published,
                " ".join(p.text for p in passages if (p.title, p.url) == (c.title, c.url)),
            )
            for c in answer.citations
        ]
        text = self.writer.write(answer.question, numbered)
        if text is None:
            return answer
        cited = tuple(c for c in answer.citations if c.n in text.cited)
        return Answer(answer.question, text.text, False, cited, summarise(cited))

    def ask_many(
        self, questions: Iterable[str], k: int | None = None
    ) -> Iterator[tuple[str, Answer | TransferDeskError]]:
        """Answer each question in turn; a bad question yields its error and the rest go on."""
        for question in questions:
            question = question.strip()
            try:
                yield question, self.ask(question, k)
            except TransferDeskError as error:
                yield question, error

    def check_question(self, question: str) -> str:
        question = " ".join(question.split())
        if not question:
            raise TransferDeskError(f"Ask a question, for example: {EXAMPLE_QUESTION}")
        limit = self.settings.answer.max_question_chars
        if len(question) > limit:
            raise TransferDeskError(
                f"That question is {len(question)} characters long; please keep it under {limit}."
            )
        return question

    def rumours(
        self, about: str | None = None, limit: int = 10, newer_than_id: int | None = None
    ) -> list[Report]:
        """Newest reports first, each with its tier and transfer status; `about` a club (by any
        of its names) or any other text."""
        if limit < 1:
            raise TransferDeskError("--limit must be at least 1")
        names = self.subject_names(about) if about and about.strip() else ()
        articles = self.index.recent(names, limit, newer_than_id)
        return [report_of(article, names, self.tiers) for article in articles]

    def timeline(self, subject: str, limit: int = 20) -> list[Report]:
        """Dated reports about a player or club, newest first, each with its status."""
        if not subject.strip():
            raise TransferDeskError("Name a player or club, for example: timeline Haaland")
        if limit < 1:
            raise TransferDeskError("--limit must be at least 1")
        names = self.subject_names(subject)
        articles = [a for a in self.index.recent(names, limit) if a.published]
        if not articles and len(subject.split()) > 1 and not self.aliases.club(subject):
            # "Erling Haaland" is often "Erling Braut Haaland": fall back to the surname.
            names = (subject.split()[-1],)
            articles = [a for a in self.index.recent(names, limit) if a.published]
        return [report_of(article, names, self.tiers) for article in articles]

    def subject_names(self, subject: str) -> tuple[str, ...]:
        """A club's every name, every name of the people a nickname stands for, or the text
        itself."""
        club = self.aliases.club(subject)
        if club:
            return club.all_names
        people = self.aliases.people_called(subject)
        if people:
            # A nickname others share too is left out: "Bruno G" is not every Bruno.
            names = [name for person in people for name in person.all_names]
            return tuple(
                dict.fromkeys(
                    name
                    for name in names
                    if len(self.aliases.people_called(name)) == 1 or fold(name) == fold(subject)
                )
            )
        return (" ".join(subject.split()),)

    def add_source(
        self,
        location: str,
        kind: str | None = None,
        name: str | None = None,
        outlet: str | None = None,
        tier: int | None = None,
    ) -> SourceRecord:
        return self.index.add_source(location, kind, name, outlet, tier)

    def list_sources(self) -> list[SourceRecord]:
        return self.index.list_sources()

    def remove_source(self, source_id: int) -> SourceRecord:
        return self.index.remove_source(source_id)

    def reindex(
        self, full: bool = False, source_id: int | None = None, progress: Progress | None = None
    ) -> ReindexReport:
        return reindex(
            self.index,
            full=full,
            source_id=source_id,
            declared=self.settings.declared_sources,
            progress=progress,
        )

    def stats(self) -> IndexStats:
        return self.index.stats()


def _with_a_letter_doubled_or_not(word: str) -> set[str]:
    """ "tuffan" -> "tufan"; "tufan" -> "ttufan", "tuffan", ..."""
    undoubled = {word[:i] + word[i + 1 :] for i in range(len(word) - 1) if word[i] == word[i + 1]}
    doubled = {word[:i] + word[i] + word[i:] for i in range(len(word))}
    return undoubled | doubled


def _with_two_letters_swapped(word: str) -> set[str]:
    """ "marhez" -> "amrhez", "mrahez", "mahrez", ..."""
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return swapped - {word}
