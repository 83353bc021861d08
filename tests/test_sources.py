from datetime import date
from pathlib import Path

import pytest

from index.dates import parse_date
from index.errors import SourceError
from index.sources import guess_local_kind, normalise_location, read_source
from index.sources.directory import read_directory
from index.sources.jsonl import read_jsonl
from index.sources.markdown import parse_markdown


def by_title(articles):
    return {article.title: article for article in articles}


class TestFolderSource:
    def test_reads_txt_md_and_html_articles(self, articles_dir: Path):
        content = read_directory(articles_dir)
        assert sorted(by_title(content.articles)) == [
            "Allegri weighs Milan exit after difficult spring",
            "Arsenal step up chase for Sporting striker",
            "Haaland signs new Manchester City contract",
            "Real Madrid make opening bid for Bayer Leverkusen defender",
        ]
        assert content.problems == []

    def test_readme_and_hidden_files_are_not_articles(self, articles_dir: Path):
        texts = " ".join(a.text for a in read_directory(articles_dir).articles)
        assert "must never be indexed" not in texts
        assert "hidden file" not in texts

    def test_txt_first_line_is_the_title_and_the_url_is_a_file_url(self, articles_dir: Path):
        article = by_title(read_directory(articles_dir).articles)[
            "Arsenal step up chase for Sporting striker"
        ]
        assert article.url == (articles_dir / "arsenal-striker.txt").resolve().as_uri()
        assert article.url.startswith("file://")
        assert article.text.startswith("Arsenal have opened talks with Sporting Lisbon")

    def test_markdown_front_matter_gives_metadata(self, articles_dir: Path):
        article = by_title(read_directory(articles_dir).articles)[
            "Allegri weighs Milan exit after difficult spring"
        ]
        assert article.outlet == "Test Calcio Times"
        assert article.author == "Giulia Rossi"
        assert article.published == date(2026, 3, 2)
        assert article.url == "https://calcio-times.example/allegri-weighs-milan-exit"
        assert "**" not in article.text and "transfer policy" in article.text
        assert not article.text.startswith("Allegri weighs Milan exit"), "heading repeated in body"

    def test_html_article_keeps_the_story_and_drops_the_boilerplate(self, articles_dir: Path):
        article = by_title(read_directory(articles_dir).articles)[
            "Haaland signs new Manchester City contract"
        ]
        assert "Erling Haaland has signed a new long-term contract" in article.text
        assert "Pep Guardiola described the extension" in article.text
        for boilerplate in (
            "cookies",
            "Live scores",
            "Ten things we learned",
            "Golden Boot",
            "Advertisement",
            "newsletter",
            "All rights reserved",
            "Privacy policy",
        ):
            assert boilerplate not in article.text
        assert article.outlet == "Test Premier Wire"
        assert article.author == "Tom Baker"
        assert article.published == date(2026, 1, 17)
        assert article.url == "https://premier-wire.example/haaland-new-city-contract"

    def test_a_bad_file_is_reported_and_the_rest_still_read(self, articles_dir: Path):
        (articles_dir / "empty.txt").write_text("")
        (articles_dir / "title-only.txt").write_text("Just a headline\n")
        (articles_dir / "nav-only.html").write_text("<html><body><nav>Home</nav></body></html>")
        content = read_directory(articles_dir)
        assert len(content.articles) == 4
        assert sorted(p.split(":")[0] for p in content.problems) == [
            "empty.txt",
            "nav-only.html",
            "title-only.txt",
        ]

    def test_non_utf8_text_is_still_read(self, articles_dir: Path):
        (articles_dir / "latin1.txt").write_bytes("Fee agreed\n\nThe fee is £30m.".encode("cp1252"))
        article = by_title(read_directory(articles_dir).articles)["Fee agreed"]
        assert article.text == "The fee is £30m."

    def test_a_missing_folder_is_an_error_for_the_whole_source(self, tmp_path: Path):
        with pytest.raises(SourceError, match="folder not found"):
            read_source("dir", str(tmp_path / "gone"))


class TestJsonlImport:
    def test_good_lines_are_imported(self, jsonl_file: Path):
        articles = by_title(read_jsonl(jsonl_file).articles)
        chelsea = articles["Chelsea open to loaning out young winger"]
        assert chelsea.url == "https://gossip.example/chelsea-loan"
        assert chelsea.outlet == "Test Gossip Weekly"
        assert chelsea.author == "Sam Lee"
        assert chelsea.published == date(2026, 1, 5)
        juventus = articles["Juventus hold talks over midfielder renewal"]
        assert juventus.url is None, "no url given, none invented"
        assert juventus.published == date(2026, 1, 12)

    def test_bad_lines_are_reported_with_their_numbers_and_skipped(self, jsonl_file: Path):
        content = read_jsonl(jsonl_file)
        assert len(content.articles) == 3
        problems = "\n".join(content.problems)
        assert "line 4: not valid JSON" in problems
        assert "line 5: missing 'text'" in problems
        assert "line 6: needs a 'url' or a 'title'" in problems
        assert "line 7: expected a JSON object" in problems

    def test_an_unreadable_date_keeps_the_article_without_a_date(self, jsonl_file: Path):
        content = read_jsonl(jsonl_file)
        bayern = by_title(content.articles)["Bayern monitor Premier League full-back"]
        assert bayern.published is None
        assert any(p.startswith("line 8: 'published' is not a date") for p in content.problems)

    def test_a_repeated_article_keeps_the_later_line(self, tmp_path: Path):
        path = tmp_path / "dupes.jsonl"
        path.write_text(
            '{"url": "https://x.example/a", "title": "Old", "text": "First version."}\n'
            '{"url": "https://x.example/a", "title": "New", "text": "Second version."}\n'
        )
        content = read_jsonl(path)
        assert [a.title for a in content.articles] == ["New"]
        assert content.problems == ["line 2: same article as line 1; the later line is kept"]

    def test_title_defaults_to_the_first_sentence(self, tmp_path: Path):
        path = tmp_path / "untitled.jsonl"
        path.write_text(
            '{"url": "https://x.example/b", "text": "Spurs sack their manager. More."}\n'
        )
        assert read_jsonl(path).articles[0].title == "Spurs sack their manager."


class TestSourceKinds:
    def test_kind_is_guessed_from_the_path(self, articles_dir: Path, jsonl_file: Path):
        assert guess_local_kind(str(articles_dir)) == "dir"
        assert guess_local_kind(str(jsonl_file)) == "jsonl"

    def test_unknown_paths_and_kinds_get_clear_errors(self, tmp_path: Path):
        with pytest.raises(SourceError, match="no such file or folder"):
            guess_local_kind(str(tmp_path / "nothing-here"))
        with pytest.raises(SourceError, match="unknown source kind 'ftp'"):
            normalise_location("ftp", str(tmp_path))
        with pytest.raises(SourceError, match="not a folder"):
            normalise_location("dir", str(tmp_path / "missing"))

    def test_web_kinds_need_http_urls_and_local_kinds_need_paths(self, articles_dir: Path):
        with pytest.raises(SourceError, match="needs an http:// or https:// URL"):
            normalise_location("rss", "ftp://example.com/feed")
        with pytest.raises(SourceError, match="is a local path, not a URL"):
            normalise_location("dir", "https://example.com/")
        assert normalise_location("page", "HTTPS://Example.com/a?utm_medium=x") == (
            "https://example.com/a"
        )


def test_markdown_without_front_matter_takes_its_title_from_the_first_heading():
    document = parse_markdown("# Spurs name new boss\n\nTottenham have **appointed** a [coach](x).")
    assert document.title == "Spurs name new boss"
    assert document.text == "Tottenham have appointed a coach."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-02", date(2026, 3, 2)),
        ("2026-03-02T10:00:00Z", date(2026, 3, 2)),
        ("1 February 2021", date(2021, 2, 1)),
        ("Tue, 10 Jun 2025 08:00:00 +0000", date(2025, 6, 10)),
        ("", None),
    ],
)
def test_dates_are_read_in_common_forms(text, expected):
    assert parse_date(text) == expected


def test_text_that_is_not_a_date_is_refused():
    with pytest.raises(ValueError):
        parse_date("sometime in spring")
