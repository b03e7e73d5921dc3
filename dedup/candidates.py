"""Candidate pairs for alignment: MinHash LSH plus embedding neighbours.

Recall comes from three sub-quadratic searches, each bounded per document:

1. MinHash LSH over word shingles (datasketch) finds verbatim and lightly
   edited copies;
2. nearest documents by mean sentence embedding (faiss; exact below
   ``_EXACT_LIMIT`` vectors, HNSW above) finds whole-text paraphrases;
3. nearest *sentences* finds articles that share a single paraphrased or
   translated passage, which document vectors dilute.

Only the pairs found here are aligned; the cap per document keeps the work
linear in corpus size.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import Config
from .progress import Progress, silent
from .text import shingles, words

_EXACT_LIMIT = 50_000
_SCHEME = "affine32"  # datasketch >= 2: bijective permutations, 32-bit values


@dataclass
class CandidateScores:
    """Why a pair was proposed: the scores of each search that found it."""

    jaccard: float = 0.0
    doc_cosine: float = 0.0
    sentence_hits: int = 0
    best_sentence_cosine: float = 0.0
    found_by: tuple[str, ...] = ()

    def priority(self) -> float:
        """Rank used to cap candidates per document."""
        return max(self.jaccard, self.doc_cosine, self.best_sentence_cosine) + 0.05 * min(self.sentence_hits, 10)


def minhash_signatures(texts: list[str], config: Config, progress: Progress = silent) -> np.ndarray:
    """MinHash signatures (N x num_perm, uint32) of word shingles, via datasketch."""
    from datasketch import MinHash

    with progress("minhash", len(texts)) as task:
        rows = []
        batch = 1000
        for start in range(0, len(texts), batch):
            chunk = texts[start: start + batch]
            sets = [[s.encode("utf-8") for s in shingles(words(t), config.shingle_size)] or [b""] for t in chunk]
            rows.extend(m.hashvalues for m in MinHash.bulk(sets, num_perm=config.num_perm, seed=1, scheme=_SCHEME))
            task.advance(len(chunk))
    return np.asarray(rows, dtype=np.uint32).reshape(len(texts), config.num_perm)


def lsh_pairs(signatures: np.ndarray, config: Config) -> set[tuple[int, int]]:
    """Pairs sharing at least one LSH band (datasketch MinHashLSH)."""
    from datasketch import MinHashLSH
    from datasketch.lean_minhash import LeanMinHash

    lsh = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm)
    sketches = [LeanMinHash(seed=1, hashvalues=row, scheme=_SCHEME) for row in signatures]
    with lsh.insertion_session() as session:
        for i, m in enumerate(sketches):
            session.insert(i, m, check_duplication=False)
    pairs: set[tuple[int, int]] = set()
    for i, m in enumerate(sketches):
        for j in lsh.query(m):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def nearest_neighbours(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k inner-product neighbours of each row (exact or HNSW by size)."""
    import faiss

    n, dim = vectors.shape
    k = min(k + 1, n)
    data = np.ascontiguousarray(vectors, dtype=np.float32)
    if n <= _EXACT_LIMIT:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = max(64, 2 * k)
    index.add(data)
    sims, ids = [], []
    for start in range(0, n, 8192):
        s, i = index.search(data[start: start + 8192], k)
        sims.append(s)
        ids.append(i)
    return np.vstack(sims), np.vstack(ids)


def find_candidates(
    signatures: np.ndarray,
    doc_vectors: np.ndarray,
    sentence_vectors: np.ndarray,
    sentence_doc: np.ndarray,
    config: Config,
    progress: Progress = silent,
) -> dict[tuple[int, int], CandidateScores]:
    """All candidate pairs (i < j) with the evidence of the searches that found them.

    ``sentence_doc[s]`` is the document index of row ``s`` of ``sentence_vectors``.
    """
    n = len(signatures)
    found: dict[tuple[int, int], CandidateScores] = {}

    def get(i: int, j: int) -> CandidateScores:
        key = (i, j) if i < j else (j, i)
        if key not in found:
            found[key] = CandidateScores()
        return found[key]

    with progress("candidates", 3) as task:
        for pair in lsh_pairs(signatures, config):
            get(*pair).found_by += ("minhash",)
        task.advance()
        if n > 1 and len(doc_vectors):
            sims, ids = nearest_neighbours(doc_vectors, config.doc_neighbours)
            src = np.repeat(np.arange(n)[:, None], ids.shape[1], axis=1)
            keep = (ids >= 0) & (ids != src) & (sims >= config.doc_min_sim)
            for a, b, sim in zip(src[keep].tolist(), ids[keep].tolist(), sims[keep].tolist()):
                c = get(a, b)
                c.doc_cosine = max(c.doc_cosine, sim)
                if "embedding" not in c.found_by:
                    c.found_by += ("embedding",)
        task.advance()
        if len(sentence_vectors) > 1:
            for (a, b), hits, best in _sentence_hits(sentence_vectors, sentence_doc, n, config):
                c = get(a, b)
                c.sentence_hits = hits
                c.best_sentence_cosine = best
                c.found_by += ("passage",)
        task.advance()

    keys = np.array(list(found), dtype=np.int64).reshape(-1, 2)
    for start in range(0, len(keys), 65536):
        chunk = keys[start: start + 65536]
        estimates = (signatures[chunk[:, 0]] == signatures[chunk[:, 1]]).mean(axis=1)
        for (i, j), jac in zip(chunk.tolist(), estimates.tolist()):
            found[(i, j)].jaccard = jac
    return _cap_per_document(found, config.max_candidates_per_doc)


def _sentence_hits(vectors: np.ndarray, sentence_doc: np.ndarray, n_docs: int,
                   config: Config) -> list[tuple[tuple[int, int], int, float]]:
    """Document pairs whose sentences are near neighbours: (pair, hits, best cosine), vectorised."""
    sims, ids = nearest_neighbours(vectors, config.sentence_neighbours)
    src = np.repeat(sentence_doc[:, None], ids.shape[1], axis=1)
    dst = np.where(ids >= 0, sentence_doc[np.clip(ids, 0, None)], -1)
    keep = (ids >= 0) & (sims >= config.neighbour_min_sim) & (dst != src)
    lo = np.minimum(src[keep], dst[keep]).astype(np.int64)
    hi = np.maximum(src[keep], dst[keep]).astype(np.int64)
    if not len(lo):
        return []
    keys, inverse, counts = np.unique(lo * n_docs + hi, return_inverse=True, return_counts=True)
    best = np.full(len(keys), -1.0, dtype=np.float32)
    np.maximum.at(best, inverse, sims[keep])
    return [((int(k // n_docs), int(k % n_docs)), int(c), float(b)) for k, c, b in zip(keys, counts, best)]


def _cap_per_document(found: dict[tuple[int, int], CandidateScores], cap: int) -> dict[tuple[int, int], CandidateScores]:
    """Keep a pair if it is among the top ``cap`` candidates of either document."""
    by_doc: dict[int, list[tuple[float, tuple[int, int]]]] = {}
    for key, c in found.items():
        p = c.priority()
        by_doc.setdefault(key[0], []).append((p, key))
        by_doc.setdefault(key[1], []).append((p, key))
    keep: set[tuple[int, int]] = set()
    for items in by_doc.values():
        items.sort(key=lambda x: (-x[0], x[1]))
        keep.update(key for _, key in items[:cap])
    return {key: found[key] for key in sorted(keep)}
