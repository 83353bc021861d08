from datetime import date

from index.chunk import chunk_text, embedding_header
from index.text import split_sentences

ARTICLE = " ".join(
    f"Sentence number {i} talks about Milan and Allegri today." for i in range(1, 21)
)


def test_chunks_hold_whole_sentences_within_the_size():
    chunks = chunk_text(ARTICLE, size_words=40, overlap_words=0)
    assert len(chunks) == 5
    for chunk in chunks:
        assert len(chunk.text.split()) <= 40
        assert chunk.text.startswith("Sentence number") and chunk.text.endswith("today.")


def test_consecutive_chunks_share_their_overlap_sentences():
    chunks = chunk_text(ARTICLE, size_words=40, overlap_words=16)
    for previous, following in zip(chunks, chunks[1:], strict=False):
        last_sentence = split_sentences(previous.text)[-1]
        assert following.text.startswith(last_sentence)


def test_every_sentence_of_the_article_is_in_some_chunk():
    chunks = chunk_text(ARTICLE, size_words=25, overlap_words=8)
    chunked = " ".join(chunk.text for chunk in chunks)
    for sentence in split_sentences(ARTICLE):
        assert sentence in chunked


def test_positions_count_from_zero():
    assert [c.position for c in chunk_text(ARTICLE, 40, 0)] == [0, 1, 2, 3, 4]


def test_a_sentence_longer_than_a_chunk_is_cut_into_pieces():
    long_sentence = " ".join(["word"] * 95) + "."
    chunks = chunk_text(long_sentence, size_words=40, overlap_words=0)
    assert [len(c.text.split()) for c in chunks] == [40, 40, 15]


def test_paragraph_breaks_survive_inside_a_chunk():
    chunks = chunk_text("First paragraph ends here.\n\n- Second starts with a dash.", 100, 0)
    assert chunks[0].text == "First paragraph ends here.\n\n- Second starts with a dash."


def test_header_names_title_outlet_and_date():
    header = embedding_header("Allegri weighs exit", "Calcio Times", date(2026, 3, 2))
    assert header == "Allegri weighs exit (Calcio Times, 2026-03-02)"
    assert embedding_header("Untitled story", None, None) == "Untitled story"
