"""A sentence-vector cache in front of a dedup encoder, so each distinct sentence is encoded once."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from dedup import Encoder


class CachedEncoder:
    """Wraps an :class:`dedup.Encoder`; ``dedup.align_texts`` can use it unchanged.

    PAN source documents recur across pairs and MSRP sentences recur across
    pairs: the cache makes the cost one encoding per distinct sentence.
    """

    def __init__(self, encoder: Encoder) -> None:
        self.inner = encoder
        self.name = encoder.name
        self.languages = getattr(encoder, "languages", None)
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit row vectors of ``texts``, encoding only those not seen before."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if todo:
            self._cache.update(zip(todo, self.inner.encode(todo, batch_size=batch_size)))
        if not texts:
            return self.inner.encode([])
        return np.vstack([self._cache[t] for t in texts])
