from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from index.embed import Embedder
from index.library import IndexSettings, NewsIndex

FIXTURES = Path(__file__).parent / "fixtures"


class CountingEmbedder(Embedder):
    """The real embedder, also counting how many texts it was asked to embed."""

    def __init__(self, model_name: str = "all-MiniLM-L6-v2") -> None:
        super().__init__(model_name)
        self.texts_embedded = 0

    def encode(self, texts: Sequence[str], on_progress=None) -> np.ndarray:
        self.texts_embedded += len(texts)
        return super().encode(texts, on_progress)


@pytest.fixture(scope="session")
def warm_model() -> None:
    """Load the real model once per test session (later Embedders reuse the loaded model)."""
    Embedder().encode(["warm-up"])


@pytest.fixture
def embedder(warm_model) -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture articles."""
    return Path(shutil.copytree(FIXTURES / "articles", tmp_path / "articles"))


@pytest.fixture
def jsonl_file(tmp_path: Path) -> Path:
    return Path(shutil.copy(FIXTURES / "bulk.jsonl", tmp_path / "bulk.jsonl"))


SMALL_CHUNKS = IndexSettings(chunk_size=40, chunk_overlap=10, embed_batch_chunks=4)


@pytest.fixture
def open_index(tmp_path: Path, embedder: CountingEmbedder):
    """Opens NewsIndex objects on one data dir (as separate runs would); closes them after."""
    opened: list[NewsIndex] = []

    def opener(model_embedder: Embedder | None = None) -> NewsIndex:
        index = NewsIndex(tmp_path / "data", model_embedder or embedder, SMALL_CHUNKS)
        opened.append(index)
        return index

    yield opener
    for index in opened:
        index.close()


@pytest.fixture
def run_cli(capsys, warm_model):
    """Runs `transferdesk --data-dir DATA_DIR ARGS...` in this process: (exit code, out, err)."""
    from bot.cli import main

    def run(data_dir: Path, *args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(data_dir), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def web_server():
    from local_web import LocalWebServer

    server = LocalWebServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def web(web_server):
    """The local web server, with its counters and misbehaviours reset for each test."""
    web_server.reset()
    return web_server


@pytest.fixture
def index(open_index, articles_dir: Path, jsonl_file: Path):
    """A NewsIndex over the fixture articles and the JSONL import, freshly indexed."""
    from index.pipeline import reindex

    index = open_index()
    index.add_source(str(articles_dir))
    index.add_source(str(jsonl_file))
    reindex(index)
    return index


@pytest.fixture(scope="session")
def indexed_data_dir(tmp_path_factory, warm_model) -> Path:
    """A data dir with the fixture articles and the JSONL import indexed, built once."""
    from bot.commands import Engine
    from bot.config import load_settings

    data_dir = tmp_path_factory.mktemp("indexed") / "data"
    engine = Engine(load_settings(data_dir=str(data_dir)))
    articles = tmp_path_factory.mktemp("articles-src") / "articles"
    shutil.copytree(FIXTURES / "articles", articles)
    engine.add_source(str(articles))
    engine.add_source(str(FIXTURES / "bulk.jsonl"))
    engine.reindex()
    engine.close()
    return data_dir


@pytest.fixture
def data_dir(tmp_path: Path, indexed_data_dir: Path) -> Path:
    """A private copy of the indexed data dir."""
    return Path(shutil.copytree(indexed_data_dir, tmp_path / "data"))
