"""The NumPy encoder gives the model's own vectors, so questions need not wait for PyTorch."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.embed import Embedder, resolve_model_location
from index.light_encoder import LightEncoder

TEXTS = [
    "Is Allegri leaving Milan?",
    "x",
    "Erling Haaland has signed a new long-term contract with Manchester City, ending "
    "speculation about a move to Real Madrid.",
    "Barça's Pedri — «el mejor» — signs until 2030 ⚽️",
    "Spurs " * 400,  # longer than the model's 256 tokens: truncated the same way
]


@pytest.fixture(scope="module")
def light() -> LightEncoder:
    encoder = LightEncoder.load(resolve_model_location("all-MiniLM-L6-v2"))
    assert encoder is not None
    return encoder


def test_vectors_match_sentence_transformers(light, warm_model):
    reference = Embedder().model.encode(TEXTS, normalize_embeddings=True)
    vectors = light.encode(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape == (len(TEXTS), 384)
    assert np.abs(vectors - reference).max() < 1e-5
    assert (vectors * reference).sum(axis=1).min() > 0.99999


def test_the_order_and_batching_of_texts_do_not_change_a_vector(light):
    one_by_one = np.stack([light.encode([text])[0] for text in TEXTS])
    together = light.encode(list(reversed(TEXTS)), batch_size=2)[::-1]
    assert np.abs(one_by_one - together).max() < 1e-5


def test_nothing_to_encode_gives_an_empty_matrix(light):
    assert light.encode([]).shape == (0, 384)


def test_a_model_it_does_not_support_is_left_to_sentence_transformers(tmp_path: Path):
    folder = Path(shutil.copytree(resolve_model_location("all-MiniLM-L6-v2"), tmp_path / "m"))
    pooling = folder / "1_Pooling" / "config.json"
    pooling.write_text(
        json.dumps(json.loads(pooling.read_text()) | {"pooling_mode_cls_token": True})
    )
    assert LightEncoder.load(folder) is None
    assert LightEncoder.load(tmp_path / "missing") is None


def test_the_embedder_uses_sentence_transformers_once_it_is_loaded(warm_model):
    embedder = Embedder()
    assert embedder.model_loaded, "the session has loaded the model"
    assert Embedder(light_queries=False).light is None
