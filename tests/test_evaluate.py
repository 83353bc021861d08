"""`transferdesk eval` measures each retriever on a question set, in one run."""

import json
from pathlib import Path

import pytest
from conftest import FIXTURES

from bot.cli import main
from bot.evaluate import load_questions
from index.errors import TransferDeskError


@pytest.fixture
def indexed_cli(tmp_path: Path, capsys, articles_dir: Path, warm_model):
    data = ["--data-dir", str(tmp_path / "data")]
    main([*data, "sources", "add", str(articles_dir)])
    main([*data, "reindex"])
    capsys.readouterr()

    def run(*args: str) -> tuple[int, str, str]:
        code = main([*data, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_eval_scores_every_retriever_in_one_run(indexed_cli):
    code, out, _ = indexed_cli("eval", str(FIXTURES / "eval.jsonl"), "--json")
    assert code == 0
    scores = {s["mode"]: s for s in json.loads(out)}
    assert set(scores) == {"dense", "lexical", "hybrid"}
    for mode in scores.values():
        assert (mode["answerable"], mode["unanswerable"]) == (4, 2)
        assert 0 <= mode["recall_at_1"] <= mode["recall_at_5"] <= 1
        assert mode["mrr_at_10"] >= mode["recall_at_1"]
    assert scores["dense"]["recall_at_5"] == 1.0
    assert scores["hybrid"]["abstention_accuracy"] == 1.0


def test_eval_prints_a_table(indexed_cli):
    code, out, _ = indexed_cli("eval", str(FIXTURES / "eval.jsonl"))
    header, *rows, footer = out.strip().splitlines()
    assert header.split()[:3] == ["retriever", "recall@1", "recall@5"]
    assert [row.split()[0] for row in rows] == ["dense", "lexical", "hybrid"]
    assert footer.startswith("4 answerable, 2 unanswerable questions")


def test_eval_lists_what_the_hybrid_retriever_got_wrong(indexed_cli, tmp_path: Path):
    questions = tmp_path / "q.jsonl"
    lines = (FIXTURES / "eval.jsonl").read_text().splitlines()
    wrong = {"question": "Who is the Leverkusen centre-back?", "expected": ["never-indexed.md"]}
    questions.write_text("\n".join([*lines, json.dumps(wrong)]) + "\n")
    code, out, _ = indexed_cli("eval", str(questions), "--misses")
    assert code == 0
    listed = out.split("what hybrid got wrong:\n")[1].splitlines()
    assert listed == ["  not found: Who is the Leverkusen centre-back?"]
    code, out, _ = indexed_cli("eval", str(questions), "--misses", "--json")
    report = json.loads(out)
    assert {m["mode"] for m in report["misses"]} <= {"dense", "lexical", "hybrid"}
    assert len(report["scores"]) == 3


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"question": "x"', "line 2: not valid JSON"),
        ('{"expected": ["a"]}', 'line 2: needs a "question"'),
        ('{"question": "x"}', 'line 2: needs "expected"'),
        ('{"question": "x", "unanswerable": true, "expected": ["a"]}', "cannot expect articles"),
    ],
)
def test_a_bad_question_line_is_named(tmp_path: Path, line, message):
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "fine", "unanswerable": true}\n' + line + "\n")
    with pytest.raises(TransferDeskError, match=message):
        load_questions(path)
