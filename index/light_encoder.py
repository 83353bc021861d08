"""A BERT sentence encoder in NumPy, for questions: the same vectors as sentence-transformers
without importing PyTorch (4-10 s here), so a one-shot `transferdesk ask` starts in a second.

It reads the model folder sentence-transformers reads (config.json, model.safetensors,
tokenizer.json, sentence_bert_config.json, 1_Pooling) and supports what all-MiniLM-L6-v2 and
its BERT relatives need: absolute positions, GELU, mean pooling, normalisation. Anything else
makes `LightEncoder.load` return None, and the caller uses sentence-transformers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_MODULES = [
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
]


class LightEncoder:
    def __init__(self, weights: dict[str, np.ndarray], config: dict, tokenizer, max_length: int):
        self.weights = weights
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.dimension = int(config["hidden_size"])
        self.tokenizer = tokenizer
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))

    @classmethod
    def load(cls, folder: str | Path) -> LightEncoder | None:
        """The encoder for a model folder, or None when the folder needs sentence-transformers."""
        folder = Path(folder)
        try:
            config = json.loads((folder / "config.json").read_text())
            modules = [m["type"] for m in json.loads((folder / "modules.json").read_text())]
            pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
            sbert = json.loads((folder / "sentence_bert_config.json").read_text())
        except (OSError, ValueError, KeyError, TypeError):
            return None
        supported = (
            config.get("model_type") == "bert"
            and config.get("hidden_act") == "gelu"
            and config.get("position_embedding_type", "absolute") == "absolute"
            and modules == _MODULES
            and pooling.get("pooling_mode_mean_tokens") is True
            and not any(
                pooling.get(mode)
                for mode in (
                    "pooling_mode_cls_token",
                    "pooling_mode_max_tokens",
                    "pooling_mode_mean_sqrt_len_tokens",
                )
            )
            and (folder / "model.safetensors").is_file()
            and (folder / "tokenizer.json").is_file()
        )
        if not supported:
            return None
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        weights = {
            # Dense weights stored transposed once, so every product reads contiguous rows.
            key.removeprefix("bert."): np.ascontiguousarray(value.T)
            if key.endswith("dense.weight")
            or key.endswith(("query.weight", "key.weight", "value.weight"))
            else value
            for key, value in load_file(str(folder / "model.safetensors")).items()
        }
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        return cls(weights, config, tokenizer, int(sbert.get("max_seq_length", 256)))

    def encode(self, texts: Sequence[str], batch_size: int = 8) -> np.ndarray:
        """Normalised float32 vectors, one row per text. Texts of similar length are encoded
        together so little time goes on padding."""
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts)) if texts else []
        order = sorted(range(len(texts)), key=lambda i: sum(encodings[i].attention_mask))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            length = max(sum(encodings[i].attention_mask) for i in batch)
            ids = np.array([encodings[i].ids[:length] for i in batch], dtype=np.int64)
            mask = np.array([encodings[i].attention_mask[:length] for i in batch], np.float32)
            result[batch] = self._encode_batch(ids, mask)
        return result

    def _encode_batch(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        hidden = self._embed(ids)
        # Padding gets no attention: a large negative score before the softmax.
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(self.layers):
            hidden = self._layer(hidden, bias, f"encoder.layer.{layer}.")
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / np.maximum(
            mask.sum(axis=1, keepdims=True), 1e-9
        )
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _embed(self, ids: np.ndarray) -> np.ndarray:
        w = self.weights
        positions = np.arange(ids.shape[1])
        hidden = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        return self._norm(hidden, "embeddings.LayerNorm.")

    def _layer(self, hidden: np.ndarray, bias: np.ndarray, prefix: str) -> np.ndarray:
        batch, length, size = hidden.shape
        head_size = size // self.heads

        def heads(name: str) -> np.ndarray:
            projected = self._dense(hidden, f"{prefix}attention.self.{name}.")
            return projected.reshape(batch, length, self.heads, head_size).transpose(0, 2, 1, 3)

        query, key, value = heads("query"), heads("key"), heads("value")
        scores = query @ key.transpose(0, 1, 3, 2) / np.sqrt(head_size) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        attention = scores / scores.sum(axis=-1, keepdims=True)
        context = (attention @ value).transpose(0, 2, 1, 3).reshape(batch, length, size)
        attended = self._norm(
            self._dense(context, f"{prefix}attention.output.dense.") + hidden,
            f"{prefix}attention.output.LayerNorm.",
        )
        inner = _gelu(self._dense(attended, f"{prefix}intermediate.dense."))
        output = self._dense(inner, f"{prefix}output.dense.") + attended
        return self._norm(output, f"{prefix}output.LayerNorm.")

    def _dense(self, x: np.ndarray, prefix: str) -> np.ndarray:
        weight = self.weights[f"{prefix}weight"]
        # One 2-D product: NumPy hands stacked (3-D) products to BLAS far less efficiently.
        flat = x.reshape(-1, x.shape[-1]) @ weight + self.weights[f"{prefix}bias"]
        return flat.reshape(*x.shape[:-1], weight.shape[1])

    def _norm(self, x: np.ndarray, prefix: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        normalised = (x - mean) / np.sqrt(variance + self.eps)
        return normalised * self.weights[f"{prefix}weight"] + self.weights[f"{prefix}bias"]


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU with the error function (BERT's "gelu", not the tanh approximation)."""
    return 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))


def _erf(x: np.ndarray) -> np.ndarray:
    """erf by Abramowitz and Stegun 7.1.26: error below 1.5e-7, under float32 noise."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    result = 1.0 - poly * np.exp(-a * a)
    return sign * result
