"""Whatever members type and sources send, the answer is an answer or a clear message: never an
unhandled exception, a broken embed or a ping. Property-based: hypothesis writes the input."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answer import Answer, Citation
from bot.commands import Engine
from bot.config import load_settings
from bot.discord_app.render import EMBED_DESCRIPTION, EMBED_TOTAL, answer_embed, safe
from bot.transfer_status import read_status
from index.errors import SourceError, TransferDeskError
from index.extract import extract_article, html_to_text
from index.sources.jsonl import parse_line, read_jsonl
from index.sources.web import parse_feed

# Unicode of every kind, control characters included, plus what chat users paste.
HOSTILE_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "@everyone is Mbappe joining?",
            "<@123456789012345678> <@&98765> <#42> is Kane leaving?",
            "**bold** __under__ ~~strike~~ `code` ```block``` [link](https://evil.example)",
            '"unbalanced quote',
            "Is Allegri leaving Milan?\x00\x07\x1b[31m",
            "\u202eRTL override\u200b zero width\ufeff",
            "AND OR NOT NEAR ( ) * : ^ \" '",
            "🏟️⚽️🔥" * 50,
            " \t\n ",
        ]
    ),
)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def engine(indexed_data_dir: Path, tmp_path_factory):
    copy = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(indexed_data_dir, copy)
    opened = Engine(load_settings(data_dir=str(copy)))
    yield opened
    opened.close()


@SETTINGS
@given(question=HOSTILE_TEXT)
def test_any_question_gets_an_answer_or_a_clear_message(engine, question):
    try:
        answer = engine.ask(question)
    except TransferDeskError as error:
        assert str(error) and "Traceback" not in str(error)
        return
    assert isinstance(answer, Answer)
    assert answer.abstained or answer.citations


# Words as a search meets them: apostrophes, hyphens, combining accents, ligatures, digits of
# other scripts, NULs, letters whose lowercase is longer, and words too long to index.
ODD_WORDS = st.lists(
    st.one_of(
        HOSTILE_TEXT,
        st.text(alphabet="aZé'’-_ 0ß\u0301İﬁ١\x00日ǅ", max_size=30),
        st.sampled_from(["'s", "o'neill", "-", "''", "x" * 70, "x" * 70 + "-kane", "a-b-c-d"]),
    ),
    max_size=12,
)


@SETTINGS
@given(terms=ODD_WORDS)
def test_any_search_terms_find_ranked_chunks_or_nothing(engine, terms):
    found = engine.index.lexical_search(terms, 10)
    assert all(isinstance(chunk_id, int) for chunk_id, _ in found)
    assert [score for _, score in found] == sorted((score for _, score in found), reverse=True)
    assert engine.index.lexical().broken is None  # no term was taken for a damaged index


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(size=st.integers(min_value=501, max_value=100_000))
def test_huge_questions_are_refused_with_their_length(engine, size):
    with pytest.raises(TransferDeskError, match=f"{size} characters long"):
        engine.ask("x" * size)


@SETTINGS
@given(subject=HOSTILE_TEXT)
def test_any_rumours_or_timeline_subject_gets_a_list_or_a_clear_message(engine, subject):
    assert isinstance(engine.rumours(subject, limit=3), list)
    try:
        assert isinstance(engine.timeline(subject, limit=3), list)
    except TransferDeskError as error:
        assert "Name a player or club" in str(error)


@given(line=st.one_of(st.text(max_size=400), st.binary(max_size=400).map(repr)))
def test_any_jsonl_line_is_an_article_or_a_reason(line):
    try:
        article, warning = parse_line(line, Path("bulk.jsonl"))
    except ValueError as error:
        assert str(error)
    else:
        assert article.text and article.title


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=2000))
def test_any_jsonl_file_is_read_with_problems_reported(tmp_path: Path, content):
    path = tmp_path / "bulk.jsonl"
    path.write_bytes(content)
    result = read_jsonl(path)
    assert all(problem.startswith("line ") for problem in result.problems)


HTML_PIECES = st.lists(
    st.sampled_from(
        [
            "<html>",
            "<body>",
            "<article>",
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<script>",
            "</script>",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "<title>Haaland</title>",
            "Kane agrees deal.",
            "&amp;",
            "&#0;",
            "&#xD800;",
            "\x00",
            "<meta charset='x'>",
            "<p>Erling Haaland has signed a new contract with Manchester City.</p>",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=60, deadline=None)
@given(html=st.one_of(HTML_PIECES, st.text(max_size=500)))
def test_any_page_is_an_article_or_nothing(html):
    page = extract_article(html, "https://news.example/a")
    assert page is None or page.text.strip()
    assert isinstance(html_to_text(html), str)


FEED_PIECES = st.lists(
    st.sampled_from(
        [
            '<?xml version="1.0"?>',
            "<rss>",
            "<channel>",
            "<item>",
            "</item>",
            "<title>",
            "</title>",
            "<link>https://news.example/a</link>",
            "<link>javascript:x</link>",
            "<pubDate>not a date</pubDate>",
            "<pubDate>Tue, 02 Mar 2026 10:00:00 GMT</pubDate>",
            "<description>Kane &lt;b&gt;bid&lt;/b&gt;</description>",
            "</channel>",
            "</rss>",
            "<feed xmlns='http://www.w3.org/2005/Atom'>",
            "<entry>",
            "</entry>",
            "\x00",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=60, deadline=None)
@given(body=st.one_of(FEED_PIECES.map(str.encode), st.binary(max_size=500)))
def test_any_feed_body_parses_to_entries_or_a_clear_reason(body):
    try:
        entries = parse_feed(body, "https://news.example/feed")
    except SourceError as error:
        assert str(error).startswith("https://news.example/feed is not ")
    else:
        assert all(isinstance(entry.title, str) for entry in entries)


@given(text=HOSTILE_TEXT)
def test_article_text_in_an_embed_pings_nobody_and_cannot_format(text):
    shown = safe(text)
    assert "@everyone" not in shown and "@here" not in shown
    assert not re.search(r"<@[!&]?\d{17,20}>", shown)  # Discord ids are 17-20 digits
    assert "](" not in shown


@given(text=st.text(min_size=1, max_size=9000), title=st.text(min_size=1, max_size=400))
def test_any_answer_fits_in_one_embed(text, title):
    citation = Citation(1, title, "https://news.example/a", title, date(2026, 1, 1), text)
    embed = answer_embed(Answer(text, text, False, (citation,) * 12, summary=text))
    assert len(embed.description or "") <= EMBED_DESCRIPTION
    assert len(embed) <= EMBED_TOTAL


@given(text=st.text(max_size=2000))
def test_any_text_has_a_status(text):
    assert read_status(text).status is not None
