"""Sentence-aware chunking of articles, with the header each chunk is embedded with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from index.text import split_paragraphs, split_sentences, word_count


@dataclass(frozen=True, slots=True)
class ChunkText:
    position: int
    text: str


def chunk_text(text: str, size_words: int, overlap_words: int) -> list[ChunkText]:
    """Group whole sentences into chunks of about `size_words` words.

    Consecutive chunks share trailing sentences worth at most `overlap_words` words, so a
    statement cut at a chunk border still appears whole in one chunk. Paragraph breaks inside a
    chunk are kept, so its sentences can be split again exactly.
    """
    if size_words < 1:
        raise ValueError("size_words must be positive")
    sentences = [
        _Sentence(piece, paragraph)
        for paragraph, text_of_paragraph in enumerate(split_paragraphs(text))
        for sentence in split_sentences(text_of_paragraph)
        for piece in _split_long(sentence, size_words)
    ]
    chunks: list[ChunkText] = []
    current: list[_Sentence] = []
    current_words = 0
    for sentence in sentences:
        if current and current_words + sentence.words > size_words:
            chunks.append(ChunkText(len(chunks), _join(current)))
            current = _overlap_tail(current, overlap_words)
            current_words = sum(s.words for s in current)
        current.append(sentence)
        current_words += sentence.words
    if current:
        chunks.append(ChunkText(len(chunks), _join(current)))
    return chunks


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str
    paragraph: int

    @property
    def words(self) -> int:
        return word_count(self.text)


def _join(sentences: list[_Sentence]) -> str:
    parts = [sentences[0].text]
    for previous, sentence in zip(sentences, sentences[1:], strict=False):
        parts.append("\n\n" if sentence.paragraph != previous.paragraph else " ")
        parts.append(sentence.text)
    return "".join(parts)


def _split_long(sentence: str, size_words: int) -> list[str]:
    tokens = sentence.split()
    if len(tokens) <= size_words:
        return [sentence]
    return [" ".join(tokens[i : i + size_words]) for i in range(0, len(tokens), size_words)]


def _overlap_tail(sentences: list[_Sentence], overlap_words: int) -> list[_Sentence]:
    tail: list[_Sentence] = []
    total = 0
    for sentence in reversed(sentences):
        n = sentence.words
        if total + n > overlap_words:
            break
        tail.insert(0, sentence)
        total += n
    return tail


def embedding_header(title: str, outlet: str | None, published: date | None) -> str:
    """A short line that tells the model whose story a passage belongs to."""
    details = ", ".join(
        part for part in (outlet, published.isoformat() if published else None) if part
    )
    return f"{title} ({details})" if details else title


def text_for_embedding(header: str, chunk: str) -> str:
    return f"{header}\n{chunk}"
