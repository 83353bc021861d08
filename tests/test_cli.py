"""The CLI contract, end to end: scripts and the benchmark depend on these outputs."""

import io
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture
def cli(tmp_path: Path, capsys, warm_model):
    data_dir = tmp_path / "data"

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        try:
            code = main(["--data-dir", str(data_dir), *args])
        finally:
            sys.stdin = sys.__stdin__
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def indexed_cli(cli, articles_dir: Path, jsonl_file: Path):
    assert cli("sources", "add", str(articles_dir), "--name", "articles")[0] == 0
    assert cli("sources", "add", str(jsonl_file), "--kind", "jsonl")[0] == 0
    code, out, err = cli("reindex")
    assert code == 0, err
    return cli


def test_sources_add_and_list(cli, articles_dir: Path):
    code, out, _ = cli("sources", "add", str(articles_dir))
    assert code == 0
    assert out.startswith(f"added source #1 articles [dir] {articles_dir}")
    code, out, _ = cli("sources", "list", "--json")
    [source] = json.loads(out)
    assert source["id"] == 1 and source["kind"] == "dir" and source["name"] == "articles"
    assert source["location"] == str(articles_dir) and source["article_count"] == 0


def test_reindex_prints_counts_time_and_source_problems(cli, articles_dir: Path, jsonl_file: Path):
    cli("sources", "add", str(articles_dir))
    cli("sources", "add", str(jsonl_file))
    code, out, _ = cli("reindex")
    assert code == 0
    assert "warning: bulk.jsonl: line 4: not valid JSON" in out
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("added 7, updated 0, removed 0, unchanged 0; embedded ")
    assert summary.endswith(" s")
    code, out, _ = cli("reindex")
    assert "added 0, updated 0, removed 0, unchanged 7; embedded 0 chunks" in out


def test_ask_prints_an_answer_with_numbered_sources(indexed_cli):
    code, out, _ = indexed_cli("ask", "Is Allegri leaving Milan?")
    assert code == 0
    answer, sources = out.split("\nSources:\n")
    assert "Allegri" in answer and "[1]" in answer
    assert sources.splitlines()[0] == (
        "[1] Allegri weighs Milan exit after difficult spring — Test Calcio Times, 2026-03-02"
        " — https://calcio-times.example/allegri-weighs-milan-exit"
    )


def test_ask_json_follows_the_contract(indexed_cli):
    code, out, _ = indexed_cli("ask", "Is Allegri leaving Milan?", "--json", "-k", "4")
    result = json.loads(out)
    assert set(result) == {"question", "answer", "abstained", "citations", "summary"}
    assert result["question"] == "Is Allegri leaving Milan?"
    assert result["abstained"] is False
    citation = result["citations"][0]
    assert set(citation) == {
        "n",
        "title",
        "url",
        "outlet",
        "published",
        "tier",
        "status",
        "status_cue",
        "quote",
    }
    assert citation["n"] == 1 and citation["published"] == "2026-03-02"
    cited_lines = [line for line in result["answer"].splitlines() if "[1]" in line]
    assert cited_lines and all(
        line.split(": ", 1)[1].removesuffix(" [1]") in citation["quote"] for line in cited_lines
    )


def test_ask_dash_answers_one_question_per_line_from_stdin(indexed_cli):
    questions = "Is Allegri leaving Milan?\n\nWhat is the best banana bread recipe?\n"
    code, out, _ = indexed_cli("ask", "-", "--json", stdin=questions)
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["question"] for line in lines] == [
        "Is Allegri leaving Milan?",
        "What is the best banana bread recipe?",
    ]
    assert [line["abstained"] for line in lines] == [False, True]
    assert lines[1]["citations"] == []


def test_a_bad_question_in_a_batch_is_reported_and_the_rest_answered(indexed_cli):
    questions = "Is Allegri leaving Milan?\n" + "x" * 600 + "\nHas Haaland signed a new deal?\n"
    code, out, err = indexed_cli("ask", "-", "--json", stdin=questions)
    assert code == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 3
    assert "600 characters" in lines[1]["error"]
    assert lines[2]["citations"][0]["title"] == "Haaland signs new Manchester City contract"


def test_rumours_lists_newest_first_and_filters_by_subject(indexed_cli):
    code, out, _ = indexed_cli("rumours", "--json")
    dates = [item["published"] for item in json.loads(out)]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates.index(None) > dates.index(dated[-1]), "undated items come last"
    code, out, _ = indexed_cli("rumours", "--about", "Real Madrid", "--json")
    titles = [item["title"] for item in json.loads(out)]
    assert titles == [
        "Real Madrid make opening bid for Bayer Leverkusen defender",
        "Haaland signs new Manchester City contract",
    ]
    code, out, _ = indexed_cli("rumours", "--limit", "1")
    assert out.startswith("2026-03-02 — Test Calcio Times — rumour: Allegri weighs Milan exit")


def test_timeline_lists_dated_reports_about_a_subject_with_their_status(indexed_cli):
    code, out, _ = indexed_cli("timeline", "Real Madrid")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "Reports about Real Madrid, newest first:"
    assert lines[1].startswith("2026-02-01  bid                 Test Madrid Daily: Real Madrid ")
    assert lines[2].startswith("2026-01-17  contract extension  Test Premier Wire: ")
    code, out, _ = indexed_cli("timeline", "Los Blancos", "--json")
    assert [item["status"] for item in json.loads(out)] == ["bid", "contract extension"]


def test_timeline_of_someone_absent_says_so(indexed_cli):
    code, out, _ = indexed_cli("timeline", "Zinedine Zidane")
    assert code == 0
    assert out.strip() == "No dated reports about 'Zinedine Zidane' in the index."


def test_stats_json(indexed_cli):
    code, out, _ = indexed_cli("stats", "--json")
    stats = json.loads(out)
    assert stats["articles"] == 7 and stats["sources"] == 2
    assert stats["chunks"] == stats["vectors"] > 0
    assert stats["model"] == "all-MiniLM-L6-v2"
    assert stats["index_bytes"] > 0 and stats["db_bytes"] > 0


def test_sources_remove_drops_the_articles(indexed_cli):
    code, out, _ = indexed_cli("sources", "remove", "2")
    assert code == 0 and out.startswith("removed source #2 bulk.jsonl and its 3 articles")
    assert json.loads(indexed_cli("stats", "--json")[1])["articles"] == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "   "), "Ask a question, for example"),
        (("ask", "x" * 501), "501 characters long; please keep it under 500"),
        (("sources", "remove", "9"), "no source with id 9"),
        (("rumours", "--limit", "0"), "--limit must be at least 1"),
    ],
)
def test_bad_input_gets_a_one_line_message_and_a_failing_exit(indexed_cli, args, message):
    code, out, err = indexed_cli(*args)
    assert code == 1
    assert err.startswith("transferdesk: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_asking_an_empty_index_says_how_to_fill_it(cli):
    code, _, err = cli("ask", "Is Allegri leaving Milan?")
    assert code == 1
    assert "The index is empty" in err and "sources add" in err


def test_adding_a_path_that_does_not_exist_is_refused(cli, tmp_path: Path):
    code, _, err = cli("sources", "add", str(tmp_path / "nowhere"))
    assert code == 1 and "no such file or folder" in err


def test_adding_the_same_source_twice_is_refused(cli, articles_dir: Path):
    cli("sources", "add", str(articles_dir))
    code, _, err = cli("sources", "add", str(articles_dir))
    assert code == 1 and "already source #1" in err


def test_a_changed_model_is_explained(indexed_cli, tmp_path: Path):
    from index.embed import resolve_model_location

    config = tmp_path / "other-model.toml"
    config.write_text(f'[embedding]\nmodel = "{resolve_model_location("all-MiniLM-L6-v2")}"\n')
    code, _, err = indexed_cli("--config", str(config), "ask", "Is Allegri leaving Milan?")
    assert code == 1
    assert "built with the embedding model 'all-MiniLM-L6-v2'" in err
    assert "transferdesk reindex --full" in err


def test_an_invalid_config_is_a_one_line_error(cli, tmp_path: Path):
    config = tmp_path / "bad.toml"
    config.write_text("[retrieval]\ntop_k = 'many'\n")
    code, _, err = cli("--config", str(config), "stats")
    assert code == 1
    assert err == "transferdesk: bad.toml: 'retrieval.top_k' must be an integer, got 'many'\n"


def test_stats_and_sources_answer_without_importing_the_model_machinery(tmp_path: Path):
    script = (
        "import sys; from bot.cli import main; "
        f"main(['--data-dir', {str(tmp_path / 'd')!r}, 'stats', '--json']); "
        f"main(['--data-dir', {str(tmp_path / 'd')!r}, 'sources', 'list']); "
        "print(sorted(m for m in ('torch', 'sentence_transformers') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_python_dash_m_bot_runs_the_cli(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--data-dir", str(tmp_path / "d"), "stats", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["articles"] == 0
    help_text = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    for command in ("sources", "reindex", "ask", "rumours", "stats"):
        assert command in help_text


def test_a_real_process_indexes_and_answers(tmp_path: Path, articles_dir: Path):
    """The installed entry point, end to end, as a user runs it."""

    def transferdesk(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", "--data-dir", str(tmp_path / "data"), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert transferdesk("sources", "add", str(articles_dir)).returncode == 0
    indexed = transferdesk("reindex")
    assert indexed.returncode == 0, indexed.stderr
    assert "added 4, updated 0, removed 0, unchanged 0" in indexed.stdout
    asked = transferdesk("ask", "-", stdin="Is Allegri leaving Milan?\nAre Real Madrid bidding?\n")
    assert asked.returncode == 0, asked.stderr
    first, second = asked.stdout.split("> ")[1:]
    assert first.startswith("Is Allegri leaving Milan?\n")
    assert "[1] Allegri weighs Milan exit after difficult spring" in first
    assert "[1] Real Madrid make opening bid for Bayer Leverkusen defender" in second


@pytest.fixture
def local_config(tmp_path: Path) -> Path:
    config = tmp_path / "local.toml"
    config.write_text(
        '[fetch]\nallowed_networks = ["127.0.0.1/32"]\ntimeout_seconds = 0.5\nretries = 0\n'
    )
    return config


def test_web_sources_are_added_with_tier_and_outlet_and_listed_with_their_health(
    cli, web, local_config: Path
):
    config = ["--config", str(local_config)]
    code, out, err = cli(*config, "sources", "add", web.url("/feeds/rss2.xml"), "--tier", "1")
    assert code == 0, err
    assert f"[rss] {web.url('/feeds/rss2.xml')}" in out
    cli(*config, "sources", "add", web.url("/slow"), "--kind", "page", "--outlet", "Slow FC")
    code, out, _ = cli(*config, "reindex")
    assert "warning: 127.0.0.1:" in out and "/slow: " in out and "timed out after 0.5 s" in out
    code, out, _ = cli(*config, "sources", "list")
    assert "[rss, tier 1]" in out and "3 articles" in out
    assert "[page, Slow FC]" in out
    assert "last error (1 failure in a row, " in out and "timed out" in out
    code, out, _ = cli(*config, "stats")
    assert "(1 failing: see `sources list`)" in out


def test_reindex_source_refreshes_one_source(cli, web, local_config: Path):
    config = ["--config", str(local_config)]
    cli(*config, "sources", "add", web.url("/feeds/rss2.xml"))
    cli(*config, "sources", "add", web.url("/feeds/atom.xml"))
    web.hits.clear()
    code, out, _ = cli(*config, "reindex", "--source", "2")
    assert code == 0 and "added 2" in out
    assert web.hits["/feeds/rss2.xml"] == 0


def test_a_refused_url_says_it_was_refused_and_why(cli, web):
    code, _, err = cli("sources", "add", web.url("/feeds/rss2.xml"))
    assert code == 1
    assert "refused to fetch from 127.0.0.1: it is a loopback address" in err


def test_a_non_web_url_is_refused(cli):
    code, _, err = cli("sources", "add", "ftp://example.com/feed.xml")
    assert code == 1 and "only http:// and https:// URLs can be sources" in err


def test_reindex_watch_keeps_the_index_fresh_until_interrupted(tmp_path: Path, articles_dir: Path):
    config = tmp_path / "watch.toml"
    config.write_text("[refresh]\ninterval_minutes = 0.01\n")
    base = [sys.executable, "-m", "bot", "--config", str(config), "--data-dir", str(tmp_path / "d")]
    subprocess.run([*base, "sources", "add", str(articles_dir)], check=True, timeout=60)
    watcher = subprocess.Popen(
        [*base, "reindex", "--watch"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines = []
    while len(lines) < 3:  # the banner, then one line per refresh
        line = watcher.stdout.readline()
        assert line, watcher.stderr.read()
        lines.append(line)
    (articles_dir / "late.txt").write_text(
        "Late story\n\nNewcastle have agreed a fee for a keeper."
    )
    while "added 1" not in lines[-1]:
        lines.append(watcher.stdout.readline())
    watcher.send_signal(signal.SIGINT)
    out, err = watcher.communicate(timeout=60)
    assert lines[0].startswith("refreshing every 0.01 minutes")
    assert "added 4, updated 0" in lines[1]
    assert "added 0, updated 0, removed 0, unchanged 4" in lines[2]
    assert watcher.returncode == 130
    assert "interrupted; everything committed so far is kept" in err


def test_run_without_a_token_says_how_to_get_one(cli, monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    code, _, err = cli("run")
    assert code == 1
    assert err.startswith("transferdesk: DISCORD_TOKEN is not set")
    assert "transferdesk chat" in err and "Traceback" not in err


def test_feedback_exports_the_votes_with_questions_and_citations(cli, tmp_path: Path):
    from bot.discord_app.state import BotState

    cli("stats")  # creates the store
    state = BotState(tmp_path / "data" / "transferdesk.db")
    citation = {"n": 1, "title": "Allegri weighs exit", "url": "https://x.example/a"}
    state.record_answer(11, 1, 2, "Is Allegri leaving Milan?", "He may. [1]", [citation])
    state.record_answer(12, 1, 2, "Unvoted question?", "Answer. [1]", [citation])
    state.record_vote(11, 100, +1)
    state.record_vote(11, 101, -1)
    state.record_vote(11, 101, +1)  # a member changing their vote
    state.close()
    code, out, _ = cli("feedback", "--json")
    [record] = json.loads(out)
    assert record["question"] == "Is Allegri leaving Milan?"
    assert (record["up"], record["down"]) == (2, 0)
    assert record["citations"] == [citation]
