"""Feeds and web pages, end to end against a real HTTP server on 127.0.0.1."""

from pathlib import Path

import pytest
from local_web import WEB_FIXTURES

from index.errors import SourceError
from index.fetch import FetchSettings
from index.library import IndexSettings, NewsIndex
from index.netguard import RefusedAddressError
from index.pipeline import reindex
from index.sources.web import parse_feed

LOCAL_FETCH = FetchSettings(
    timeout_seconds=0.5, retries=1, backoff_seconds=0.01, allowed_networks=("127.0.0.1/32",)
)


@pytest.fixture
def index(tmp_path: Path, embedder):
    settings = IndexSettings(chunk_size=40, chunk_overlap=10, fetch=LOCAL_FETCH)
    index = NewsIndex(tmp_path / "data", embedder, settings)
    yield index
    index.close()


def articles(index) -> dict[str, tuple]:
    rows = index.store._query(
        "SELECT title, url, outlet, author, published, summary_only, text, source_id FROM articles"
    )
    return {row[0]: row[1:] for row in rows}


def test_feed_entries_are_indexed_from_their_linked_pages(index, web):
    index.add_source(web.url("/feeds/rss2.xml"))
    report = reindex(index)
    assert report.added == 3
    stored = articles(index)
    url, outlet, author, published, summary_only, text, _ = stored[
        "Milan open talks over Allegri successor"
    ]
    assert url == web.url("/articles/milan-successor"), "tracking parameters dropped"
    assert (outlet, author, published, summary_only) == (
        "Local Football Post",
        "Pat Writer",
        "2026-03-09",
        0,
    )
    assert "Rossoneri hierarchy met representatives" in text
    for boilerplate in (
        "cookies",
        "Podcast",
        "See also",
        "bargain signings",
        "Registered in England",
    ):
        assert boilerplate not in text


def test_an_entry_whose_page_cannot_be_fetched_is_indexed_from_its_summary(index, web):
    index.add_source(web.url("/feeds/rss2.xml"), name="Local Post")
    report = reindex(index)
    url, _, _, published, summary_only, text, _ = articles(index)[
        "Spurs close in on Dutch midfielder"
    ]
    assert summary_only == 1
    assert text == (
        "Tottenham are close to agreeing a deal for an Eredivisie midfielder, "
        "with a fee of 30 million euros under discussion."
    )
    assert published == "2026-03-07"
    [problem] = [str(p) for p in report.problems]
    assert problem.startswith(
        f"Local Post: entry {web.url('/articles/gone-missing')}: page not fetched"
    )
    assert "404" in problem and problem.endswith("indexed its feed summary instead")


def test_an_unchanged_feed_costs_one_conditional_request_and_no_embedding(index, web, embedder):
    index.add_source(web.url("/feeds/rss2.xml"))
    reindex(index)
    web.hits.clear()
    embedder.texts_embedded = 0
    report = reindex(index)
    assert dict(web.hits) == {"/feeds/rss2.xml": 1}
    assert (report.added, report.updated, report.unchanged) == (0, 0, 3)
    assert embedder.texts_embedded == 0


def test_a_feed_without_validators_does_not_refetch_unchanged_entries(index, web):
    index.add_source(web.url("/feeds/atom.xml"))
    reindex(index)
    web.hits.clear()
    report = reindex(index)
    assert dict(web.hits) == {"/feeds/atom.xml": 1}
    assert report.unchanged == 2


def test_a_changed_entry_is_fetched_again_and_re_embedded(index, web, embedder):
    index.add_source(web.url("/feeds/rss2.xml"))
    reindex(index)
    web.feed_etag = '"feed-v2"'
    web.feed_replacements["Sun, 08 Mar 2026 19:30:00"] = "Mon, 09 Mar 2026 10:00:00"
    web.page_overrides["liverpool-winger"] = [
        "Liverpool have now rejected a second, improved offer for their Egyptian winger."
    ]
    web.hits.clear()
    embedder.texts_embedded = 0
    report = reindex(index)
    assert (report.updated, report.unchanged) == (1, 2)
    assert web.hits["/articles/liverpool-winger"] == 1
    assert web.hits["/articles/milan-successor"] == 0
    assert 0 < embedder.texts_embedded == report.chunks_embedded
    assert "second, improved offer" in articles(index)["Liverpool reject Saudi offer for winger"][5]


def test_the_same_story_from_two_feeds_is_stored_once(index, web):
    index.add_source(web.url("/feeds/rss2.xml"))
    index.add_source(web.url("/feeds/atom.xml"))
    reindex(index)
    stored = articles(index)
    assert len(stored) == 4
    assert stored["Milan open talks over Allegri successor"][0] == web.url(
        "/articles/milan-successor"
    )


@pytest.mark.parametrize("feed", ["rss2.xml", "atom.xml", "rss1.xml", "rss091.xml"])
def test_every_feed_format_is_read(feed, web):
    entries = parse_feed(
        (WEB_FIXTURES / feed).read_text().replace("{base}", web.base).encode(), feed
    )
    assert entries
    for entry in entries:
        assert entry.link.startswith(web.base + "/articles/") and entry.title
    if feed != "rss091.xml":
        assert all(entry.published for entry in entries)


def test_a_malformed_feed_fails_its_source_and_the_others_go_on(index, web, articles_dir: Path):
    broken = index.add_source(web.url("/feeds/malformed.xml"), kind="rss", name="broken")
    index.add_source(str(articles_dir))
    report = reindex(index)
    assert report.added == 4
    assert str(report.problems[0]).startswith("broken: ")
    assert "not a valid feed" in str(report.problems[0])
    reindex(index)
    source = index.store.get_source(broken.id)
    assert source.failures == 2 and "not a valid feed" in source.last_error
    assert source.last_failure is not None and source.last_indexed is None
    assert index.stats().failing_sources == 1


def test_a_source_that_recovers_clears_its_error(index, web):
    source = index.add_source(web.url("/flaky"), kind="page")
    web.flaky_failures_left = 10
    reindex(index)
    assert index.store.get_source(source.id).failures == 1
    web.flaky_failures_left = 0
    reindex(index)
    recovered = index.store.get_source(source.id)
    assert (recovered.failures, recovered.last_error) == (0, None)
    assert recovered.last_indexed is not None


def test_a_page_full_of_boilerplate_indexes_only_the_story(index, web):
    index.add_source(web.url("/news/newcastle-keeper"), kind="page", tier=2, outlet="Tyne Sport")
    reindex(index)
    [(title, (url, outlet, author, published, _, text, _))] = articles(index).items()
    assert title == "Newcastle agree fee for Brentford goalkeeper"
    assert (outlet, author, published) == ("Tyne Sport Live", "Alan Shore", "2026-01-28")
    assert text.startswith("Newcastle United have agreed a fee of 25 million pounds")
    assert "registered in time for the weekend" in text
    for boilerplate in (
        "842 partners", "Sign in", "Subscribe", "Club shop", "BREAKING", "free bets",
        "Share on", "READ MORE", "Most popular", "Quiz", "newsletter", "Comments",
        "knee pain", "Sponsored", "Cookie settings", "All rights reserved",
    ):  # fmt: skip
        assert boilerplate not in text, boilerplate


def test_a_page_reached_through_a_redirect_is_keyed_by_its_canonical_url(index, web):
    index.add_source(web.url("/hop"), kind="page")
    reindex(index)
    assert articles(index)["Bayern agree deal for Stuttgart forward"][0] == web.url(
        "/articles/bayern-forward"
    )


def test_a_changed_page_is_re_embedded_and_an_unchanged_one_is_not(index, web):
    index.add_source(web.url("/articles/bayern-forward"), kind="page")
    reindex(index)
    assert reindex(index).unchanged == 1
    web.page_overrides["bayern-forward"] = [
        "Bayern Munich have completed the signing of the Stuttgart forward on a five-year deal."
    ]
    report = reindex(index)
    assert report.updated == 1


def test_a_page_that_is_not_html_is_refused_with_its_content_type(index, web):
    index.add_source(web.url("/brochure.pdf"), kind="page")
    report = reindex(index)
    assert "is not a web page (content type application/pdf)" in str(report.problems[0])


def test_a_page_that_times_out_is_recorded_on_its_source(index, web):
    source = index.add_source(web.url("/slow"), kind="page")
    reindex(index)
    assert "timed out after 0.5 s" in index.store.get_source(source.id).last_error


class TestAddingWebSources:
    def test_the_kind_is_guessed_from_the_response(self, index, web):
        assert index.add_source(web.url("/feeds/atom.xml")).kind == "rss"
        assert index.add_source(web.url("/feeds/rss1.xml")).kind == "rss"
        page = index.add_source(web.url("/articles/liverpool-winger"), name="LFC", tier=1)
        assert (page.kind, page.name, page.tier) == ("page", "LFC", 1)

    def test_a_url_that_is_neither_feed_nor_page_is_refused(self, index, web):
        with pytest.raises(SourceError, match="neither a feed nor a web page"):
            index.add_source(web.url("/brochure.pdf"))

    def test_only_http_and_https_urls_are_accepted(self, index):
        for url in ("ftp://example.com/feed.xml", "file:///etc/passwd", "gopher://x"):
            with pytest.raises(SourceError, match="only http:// and https://"):
                index.add_source(url)

    def test_a_private_address_is_refused_when_adding(self, tmp_path: Path, embedder, web):
        guarded = NewsIndex(tmp_path / "guarded", embedder, IndexSettings())
        with pytest.raises(RefusedAddressError, match="refused to fetch from 127.0.0.1: it is a"):
            guarded.add_source(web.url("/feeds/rss2.xml"))
        guarded.close()

    def test_tier_must_be_one_to_four(self, index, web):
        with pytest.raises(SourceError, match="tier must be 1"):
            index.add_source(web.url("/feeds/rss2.xml"), tier=5)


def test_reindex_of_one_source_reads_only_that_source(index, web):
    index.add_source(web.url("/feeds/rss2.xml"))
    atom = index.add_source(web.url("/feeds/atom.xml"))
    web.hits.clear()
    reindex(index, source_id=atom.id)
    assert web.hits["/feeds/rss2.xml"] == 0 and web.hits["/feeds/atom.xml"] == 1
