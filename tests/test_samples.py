"""The bundled samples, indexed through config.example.toml, answer the demo question."""

from pathlib import Path

from bot.commands import Engine
from bot.config import load_settings

REPO = Path(__file__).resolve().parent.parent


def test_the_demo_question_is_answered_from_the_samples_with_citations(tmp_path, warm_model):
    settings = load_settings(str(REPO / "config.example.toml"), data_dir=str(tmp_path / "data"))
    engine = Engine(settings)
    report = engine.reindex()
    articles = [p for p in (REPO / "samples").iterdir() if p.suffix in (".md", ".html")]
    assert report.added == len(articles) - 1, "every sample but the README is indexed"
    assert report.problems == []
    answer = engine.ask("Is Allegri leaving Milan?")
    assert not answer.abstained
    assert "Allegri" in answer.text and "[1]" in answer.text
    assert all(c.outlet and c.published and c.url.startswith("https://") for c in answer.citations)
    assert any("agree to part ways" in c.title for c in answer.citations)
    engine.close()
