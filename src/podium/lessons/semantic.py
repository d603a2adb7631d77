"""Semantic vectors of lessons from a small local embedding model (optional).

The model is WordLlama (the ``semantic`` extra): its weights ship inside the wheel, so it
loads offline and nothing is downloaded at run time. Without it (not installed, or it
fails to load) every function here answers None and search uses full text only.

The model is loaded once per process, on first use. Vectors are L2-normalised float32,
stored as bytes on :class:`~podium.lessons.models.Lesson`; cosine similarity is then a
dot product.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "available",
    "decode",
    "embed",
    "embed_one",
    "encode",
    "lesson_text",
    "reset",
]

log = logging.getLogger(__name__)

Vector = npt.NDArray[np.float32]

_lock = threading.Lock()
_state: dict[str, Any] = {}


def _load() -> Any:
    """Import and load WordLlama from the weights inside its package (no network)."""
    import wordllama

    return wordllama.WordLlama.load(
        cache_dir=Path(wordllama.__file__).parent, disable_download=True
    )


def _model() -> Any:
    if "model" not in _state:
        with _lock:
            if "model" not in _state:
                try:
                    _state["model"] = _load()
                except ImportError:
                    log.info("wordllama is not installed: lessons search uses full text only")
                    _state["model"] = None
                except Exception:  # a broken install must not break search
                    log.exception("wordllama failed to load: lessons search uses full text only")
                    _state["model"] = None
    return _state["model"]


def reset() -> None:
    """Forget the loaded model (tests switch it off and on)."""
    _state.clear()


def available() -> bool:
    return _model() is not None


def embed(texts: Sequence[str]) -> npt.NDArray[np.float32] | None:
    """One normalised row per text, or None without the model."""
    model = _model()
    if model is None:
        return None
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = np.asarray(model.embed(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: npt.NDArray[np.float32] = (vectors / norms).astype(np.float32)
    return normalised


def embed_one(text: str) -> Vector | None:
    rows = embed([text])
    return None if rows is None else rows[0]


def encode(vector: Vector) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def decode(raw: bytes | memoryview | None) -> Vector | None:
    if not raw:
        return None
    return np.frombuffer(bytes(raw), dtype=np.float32)


def lesson_text(lesson: Any) -> str:
    """The text a lesson is embedded from: what happened, why, and what to do."""
    parts = [
        lesson.title, lesson.description, lesson.root_cause, lesson.recommendation,
        lesson.tags.replace(",", " "),
    ]  # fmt: skip
    return "\n".join(p for p in parts if p)
