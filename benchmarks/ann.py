"""Sentence-search index configurations measured on realistic sentence vectors (issue 13).

The candidate stage looks up, for every distinct sentence text, its
``Config().sentence_neighbours + 1`` nearest texts (itself included). This
script builds the vectors it would see (the distinct content sentences of
``benchmarks.generate`` articles, embedded with the static ``hash`` model or
another encoder, stored as float16), then for each index
configuration measures, in a fresh process each: build seconds, search
seconds (every vector queried, in batches of ``dedup.candidates._BATCH``),
CPU seconds of both (all threads), peak RSS, and recall against exact search
(IndexFlatIP) on a fixed random sample of queries:

* ``recall@k``: the exact top-k neighbours (the query itself left out) that
  the configuration returns;
* ``recall>=min_sim``: the same over the exact neighbours whose cosine passes
  ``Config().neighbour_min_sim``, counted as pairs (these are the ones the
  candidate stage uses);
* ``same by cosine``: the same, but the j-th best neighbour returned counts as
  found when its exact cosine is within 0.01 of the exact j-th best (generated
  sentences often have several neighbours of nearly one cosine, where either
  serves);
* ``max |d cos|``: the largest error of a returned cosine against the exact one.

Configurations (``--configs``, space-separated names of ``CONFIGS`` or specs):

* ``flat``: exact, IndexFlatIP over a float32 copy (the reference);
* ``hnsw:M=16,efc=40,efs=64,store=fp16``: faiss HNSW (``store`` flat/fp16/sq8;
  ``pca`` and ``rerank`` as for ``ivf``);
* ``ivf:nlist=auto,nprobe=8,store=sq8,pca=64,rerank=32``: inverted lists
  (``nlist=auto`` is 4*sqrt(n)), optionally after a projection to ``pca``
  dimensions (``proj=svd``: the top singular vectors of a sample, no centering,
  so inner products keep their meaning; ``proj=faiss``: faiss.PCAMatrix), and
  optionally re-ranked: ``rerank`` candidates fetched, their exact cosines
  computed from the float16 rows, the top k kept;
* ``ivfpq:nprobe=64,kf=4,pq=256``: inverted lists (an HNSW graph over the
  centroids) of 4-bit PQ codes scanned with SIMD (faiss fast scan), the best
  ``kf * k`` re-scored on a float16 copy;
* ``dedup``: ``dedup.candidates.nearest_neighbours(..., sentences=True)`` as
  installed (the code path the pipeline runs; its build time is inside the
  search time).

Passage pairs: for ``--docs`` sampled articles, the document pairs their
sentences' neighbours give (read as ``dedup.candidates`` reads them: copies of
a text first, ``neighbour_min_sim``), and the share of the exact search's pairs
found (all; those with at least two sentence hits).

``python -m benchmarks.ann --n 360000`` (vectors; or ``--articles N``);
``--markdown FILE`` writes the table. Vectors and exact neighbours are cached
in ``--cache`` (default /tmp/dedup-ann). Timings are wall seconds of one
process with ``--threads`` OpenMP/BLAS threads; of ``--repeats`` runs the
middle one by build+search time is reported (of two, the slower), all runs
listed, since the machine may be shared; ids that differ between runs are
flagged.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
SEED = 7
SENTENCES_PER_ARTICLE = 24.2  # distinct content sentence texts per generated article (measured at 2,000)

CONFIGS = {
    "flat": "flat",
    "hnsw-current": "hnsw:M=16,efc=40,efs=64,store=fp16",
    "hnsw-m8": "hnsw:M=8,efc=32,efs=32,store=fp16",
    "hnsw-pca64": "hnsw:M=16,efc=40,efs=32,store=flat,pca=64,rerank=16",
    "ivf-flat": "ivf:nlist=auto,nprobe=8,store=flat",
    "ivf-sq8": "ivf:nlist=auto,nprobe=8,store=sq8",
    "ivf-pca64-sq8": "ivf:nlist=auto,nprobe=8,store=sq8,pca=64,rerank=16",
    "ivf-pca128-sq8": "ivf:nlist=auto,nprobe=8,store=sq8,pca=128,rerank=16",
    "ivfpq": "ivfpq:nprobe=64,kf=4",
    "dedup": "dedup",
}


# ---------------------------------------------------------------- data

def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _sentences(articles: int, seed: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Distinct content sentence texts of ``articles`` generated articles (in order of first appearance, as
    the pipeline numbers them), each content sentence's text row, and its article."""
    from dedup import Config
    from dedup.text import split_sentences

    from .generate import generate

    minimum = Config().min_sentence_chars
    rows: dict[str, int] = {}
    sentence_row, sentence_doc = [], []
    for d, record in enumerate(generate(articles, seed)):
        for s in split_sentences(record["text"]):
            if s.end - s.start >= minimum:
                sentence_row.append(rows.setdefault(s.text, len(rows)))
                sentence_doc.append(d)
    return list(rows), np.array(sentence_row, dtype=np.int64), np.array(sentence_doc, dtype=np.int64)


def sentence_rows(articles: int, seed: int = SEED, cache: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each content sentence's text row and article (see :func:`_sentences`), cached."""
    path = cache / f"rows-{articles}-{seed}.npz" if cache else None
    if path is not None and path.exists():
        data = np.load(path)
        return data["row"], data["doc"]
    _, row, doc = _sentences(articles, seed)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, row=row, doc=doc)
    return row, doc


def sentence_vectors(articles: int, model: str = "hash", seed: int = SEED, cache: Path | None = None) -> np.ndarray:
    """Float16 vectors of the distinct content sentences (``min_sentence_chars``) of ``articles`` generated
    articles, in order of first appearance (as the pipeline numbers them), cached."""
    path = cache / f"vectors-{model}-{articles}-{seed}.npy" if cache else None
    if path is not None and path.exists():
        return np.load(path)
    from dedup.encoders import load_encoder

    texts, _, _ = _sentences(articles, seed)
    encoder = load_encoder(model)
    vectors = np.empty((len(texts), 0), dtype=np.float16)
    for start in range(0, len(texts), 4096):
        part = np.asarray(encoder.encode(texts[start: start + 4096]), dtype=np.float16)
        if not start:
            vectors = np.empty((len(texts), part.shape[1]), dtype=np.float16)
        vectors[start: start + len(part)] = part
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def sample_docs(sentence_row: np.ndarray, sentence_doc: np.ndarray, n: int, size: int) -> np.ndarray:
    """Articles (fixed random choice) all of whose sentences are among the first ``n`` text rows."""
    bad = np.unique(sentence_doc[sentence_row >= n])
    docs = np.setdiff1d(np.unique(sentence_doc), bad)
    return np.sort(np.random.default_rng(1).choice(docs, size=min(size, len(docs)), replace=False))


def doc_pairs(sims: np.ndarray, ids: np.ndarray, texts: np.ndarray, sentence_row: np.ndarray,
              sentence_doc: np.ndarray, docs: np.ndarray, n: int, k: int, min_sim: float) -> dict[tuple[int, int], int]:
    """Passage pairs (document, other document) -> sentence hits, found from the sentences of ``docs`` given the
    neighbours (``sims``, ``ids``) of text rows ``texts``, read as the candidate stage reads them."""
    from dedup.candidates import _as_sentences

    keep = sentence_row < n
    sentence_row, sentence_doc = sentence_row[keep], sentence_doc[keep]
    full_s = np.zeros((n, k), dtype=np.float32)
    full_i = np.full((n, k), -1, dtype=np.int64)
    full_s[texts], full_i[texts] = sims, ids
    listed, listed_s = _as_sentences(full_s, full_i, sentence_row, k)
    out: dict[tuple[int, int], int] = {}
    for s in np.flatnonzero(np.isin(sentence_doc, docs)):
        src, t = int(sentence_doc[s]), int(sentence_row[s])
        for j, sim in zip(listed[t], listed_s[t]):
            if j >= 0 and sim >= min_sim and sentence_doc[j] != src:
                pair = (src, int(sentence_doc[j]))
                out[pair] = out.get(pair, 0) + 1
    return out


def sample_rows(n: int, size: int) -> np.ndarray:
    return np.sort(np.random.default_rng(0).choice(n, size=min(size, n), replace=False))


def exact_neighbours(vectors: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k inner products of rows ``queries`` against all rows (float32 blocks of both, BLAS)."""
    q = vectors[queries].astype(np.float32)
    best_s = np.full((len(q), k), -np.inf, dtype=np.float32)
    best_i = np.full((len(q), k), -1, dtype=np.int64)
    for start in range(0, len(vectors), 65536):
        block = vectors[start: start + 65536].astype(np.float32)
        for lo in range(0, len(q), 1024):
            s = q[lo: lo + 1024] @ block.T
            width = min(k, s.shape[1])
            top = np.argpartition(-s, width - 1, axis=1)[:, :width]
            cand_s = np.concatenate([best_s[lo: lo + 1024], np.take_along_axis(s, top, 1)], axis=1)
            cand_i = np.concatenate([best_i[lo: lo + 1024], top + start], axis=1)
            order = np.argsort(-cand_s, axis=1, kind="stable")[:, :k]
            best_s[lo: lo + 1024] = np.take_along_axis(cand_s, order, 1)
            best_i[lo: lo + 1024] = np.take_along_axis(cand_i, order, 1)
    return best_s, best_i


def recall(vectors: np.ndarray, ids: np.ndarray, sims: np.ndarray, queries: np.ndarray, exact_s: np.ndarray,
           exact_i: np.ndarray, min_sim: float) -> dict[str, float]:
    """Recall of the exact neighbours (the query itself left out) among ``ids`` (rows of the sampled queries).

    ``recall`` and ``recall_min_sim`` count neighbour ids; many generated sentences have several neighbours of
    (nearly) the same cosine, where either is as good, so ``recall_by_cosine`` also counts the j-th best
    neighbour returned as found when its exact cosine is within 0.01 of the exact j-th best (above min_sim).
    """
    found = total = found_t = total_t = close = 0
    err = 0.0
    for q, got, got_s, want, want_s in zip(queries, ids, sims, exact_i, exact_s):
        keep = want != q
        want, want_s = want[keep], want_s[keep]
        hit = np.isin(want, got)
        found += int(hit.sum())
        total += len(want)
        above = want_s >= min_sim
        found_t += int((hit & above).sum())
        total_t += int(above.sum())
        other = (got >= 0) & (got != q)
        if other.any():
            true = vectors[got[other]].astype(np.float32) @ vectors[q].astype(np.float32)
            err = max(err, float(np.abs(true - got_s[other]).max()))
            best = np.sort(true)[::-1][: int(above.sum())]
            close += int((best >= want_s[above][: len(best)] - 0.01).sum())
    return {"recall": found / max(total, 1), "recall_min_sim": found_t / max(total_t, 1),
            "recall_by_cosine": close / max(total_t, 1), "pairs_min_sim": total_t, "max_cos_error": err}


def pair_recall(exact: dict[tuple[int, int], int], got: dict[tuple[int, int], int]) -> dict[str, float]:
    """Share of the exact search's passage pairs (all; with >= 2 sentence hits) that the approximate one finds."""
    strong = [p for p, hits in exact.items() if hits >= 2]
    return {"doc_pairs": len(exact), "doc_pair_recall": sum(p in got for p in exact) / max(len(exact), 1),
            "doc_pairs_2": len(strong), "doc_pair_recall_2": sum(p in got for p in strong) / max(len(strong), 1)}


# ---------------------------------------------------------------- configurations

def parse(spec: str) -> tuple[str, dict[str, str]]:
    spec = CONFIGS.get(spec, spec)
    kind, _, rest = spec.partition(":")
    return kind, dict(p.split("=", 1) for p in rest.split(",") if p)


def _projection(vectors: np.ndarray, dims: int, how: str, train: np.ndarray):
    """A function mapping float16 rows to float32 rows in ``dims`` dimensions, fitted on rows ``train``."""
    import faiss

    sample = vectors[train].astype(np.float32)
    if how == "faiss":
        pca = faiss.PCAMatrix(vectors.shape[1], dims)
        pca.train(sample)
        return lambda x: pca.apply(np.ascontiguousarray(x, dtype=np.float32))
    # top right singular vectors of the sample, uncentred: x @ P keeps inner products as well as any
    # d-dimensional projection can, and without a mean shift that would change the ranking
    _, vecs = np.linalg.eigh(sample.T.astype(np.float64) @ sample)
    basis = np.ascontiguousarray(vecs[:, ::-1][:, :dims], dtype=np.float32)
    return lambda x: np.asarray(x, dtype=np.float32) @ basis


def rerank(vectors: np.ndarray, rows: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosines (from the float16 rows) of candidate ``ids`` of query ``rows``; the top k kept."""
    q = vectors[rows].astype(np.float32)
    c = vectors[np.clip(ids, 0, None)].astype(np.float32)
    s = np.einsum("ij,ikj->ik", q, c)
    s[ids < 0] = -np.inf
    order = np.argsort(-s, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(s, order, 1), np.take_along_axis(ids, order, 1)


def run_config(vectors: np.ndarray, spec: str, k: int, batch: int) -> tuple[dict[str, Any], np.ndarray,
                                                                             np.ndarray]:
    """Build and search one configuration; returns timings and all (sims, ids)."""
    import faiss

    kind, p = parse(spec)
    n, dim = vectors.shape
    out: dict[str, Any] = {}
    if kind == "dedup":
        from dedup import candidates

        started, cpu = time.perf_counter(), _cpu()
        sims, ids = candidates.nearest_neighbours(vectors, k - 1, sentences=True)
        out["build_s"], out["build_cpu"] = 0.0, 0.0
        out["search_s"], out["search_cpu"] = time.perf_counter() - started, _cpu() - cpu
        return out, sims, ids

    started, cpu = time.perf_counter(), _cpu()
    train = sample_rows(n, int(p.get("train", 0)) or 0)
    project = None
    dims = dim
    if "pca" in p:
        dims = int(p["pca"])
        project = _projection(vectors, dims, p.get("proj", "svd"), sample_rows(n, 65536))

    def part(start: int, rows: np.ndarray | None = None) -> np.ndarray:
        x = vectors[start: start + batch] if rows is None else vectors[rows]
        return project(x) if project else np.ascontiguousarray(x, dtype=np.float32)

    store = {"flat": None, "fp16": faiss.ScalarQuantizer.QT_fp16, "sq8": faiss.ScalarQuantizer.QT_8bit}[
        p.get("store", "flat")]
    metric = faiss.METRIC_INNER_PRODUCT
    if kind == "flat":
        index = faiss.IndexFlatIP(dims)
    elif kind == "hnsw":
        m = int(p.get("M", 16))
        index = faiss.IndexHNSWFlat(dims, m, metric) if store is None else faiss.IndexHNSWSQ(dims, store, m, metric)
        index.hnsw.efConstruction = int(p.get("efc", 40))
        index.hnsw.efSearch = int(p.get("efs", 64))
    elif kind == "ivf":
        nlist = int(4 * math.sqrt(n)) if p.get("nlist", "auto") == "auto" else int(p["nlist"])
        quantizer = faiss.IndexFlatIP(dims)
        if store is None:
            index = faiss.IndexIVFFlat(quantizer, dims, nlist, metric)
        else:
            index = faiss.IndexIVFScalarQuantizer(quantizer, dims, nlist, store, metric)
        index.cp.seed = 1234
        index.cp.niter = int(p.get("niter", 10))
        index.cp.max_points_per_centroid = int(p.get("per_list", 32))
        index.nprobe = int(p.get("nprobe", 8))
        out["nlist"] = nlist
        train = sample_rows(n, nlist * index.cp.max_points_per_centroid)
    elif kind == "ivfpq":
        # inverted lists (HNSW over the centroids) of 4-bit PQ codes scanned with SIMD (fast scan), the best
        # k * kf re-scored on a float16 copy
        nlist = int(4 * math.sqrt(n)) if p.get("nlist", "auto") == "auto" else int(p["nlist"])
        factory = f"IVF{nlist}_HNSW32,PQ{p.get('pq', 256)}x4fs,Refine(SQfp16)"
        index = faiss.index_factory(dims, factory, metric)
        ivf = faiss.extract_index_ivf(index)
        ivf.cp.seed = 1234
        ivf.cp.niter = int(p.get("niter", 10))
        ivf.cp.max_points_per_centroid = int(p.get("per_list", 16))
        out["nlist"] = nlist
        train = sample_rows(n, nlist * ivf.cp.max_points_per_centroid)
    else:
        raise ValueError(f"unknown configuration {spec!r}")
    if not index.is_trained:
        index.train(part(0, train if len(train) else np.arange(min(n, batch))))
    for start in range(0, n, batch):
        index.add(part(start))
    out["build_s"], out["build_cpu"] = time.perf_counter() - started, _cpu() - cpu
    out["rss_after_build_mib"] = _rss_mib()

    started, cpu = time.perf_counter(), _cpu()
    wide = max(k, int(p.get("rerank", 0)))
    params = None
    if kind == "ivfpq":
        faiss.downcast_index(faiss.extract_index_ivf(index).quantizer).hnsw.efSearch = int(p.get("efq", 64))
        params = faiss.IndexRefineSearchParameters(k_factor=float(p.get("kf", 4)),
                                                   base_index_params=faiss.SearchParametersIVF(
                                                       nprobe=int(p.get("nprobe", 32))))
    sims = np.empty((n, k), dtype=np.float32)
    ids = np.empty((n, k), dtype=np.int64)
    for start in range(0, n, batch):
        s, i = index.search(part(start), wide, params=params)
        if "rerank" in p:
            s, i = rerank(vectors, np.arange(start, start + len(i)), i, k)
        sims[start: start + len(s)] = s[:, :k]
        ids[start: start + len(i)] = i[:, :k]
    out["search_s"], out["search_cpu"] = time.perf_counter() - started, _cpu() - cpu
    return out, sims, ids


# ---------------------------------------------------------------- driver

def worker(args: argparse.Namespace) -> dict[str, Any]:
    import faiss

    faiss.omp_set_num_threads(args.threads)
    from dedup import Config, candidates

    config = Config()
    k = config.sentence_neighbours + 1
    vectors = sentence_vectors(args.articles, args.model, args.seed, args.cache)[: args.n or None]
    truth = np.load(args.truth)
    queries = sample_rows(len(vectors), args.sample)
    base = _peak_rss_mib()
    out, sims, ids = run_config(vectors, args.worker, k, candidates._BATCH)
    out["peak_rss_mib"] = _peak_rss_mib()
    digest = int(np.bitwise_xor.reduce(ids.ravel() * 2654435761 % (1 << 61))) if len(ids) else 0
    out.update(recall(vectors, ids[queries], sims[queries], queries, truth["sims"], truth["ids"],
                      config.neighbour_min_sim))
    row, doc = sentence_rows(args.articles, args.seed, args.cache)
    texts = truth["doc_texts"]
    exact = doc_pairs(truth["doc_sims"], truth["doc_ids"], texts, row, doc, truth["docs"], len(vectors), k,
                      config.neighbour_min_sim)
    got = doc_pairs(sims[texts], ids[texts], texts, row, doc, truth["docs"], len(vectors), k, config.neighbour_min_sim)
    out.update(pair_recall(exact, got))
    out.update(config=args.worker, n=len(vectors), dim=vectors.shape[1], threads=args.threads,
               vectors_rss_mib=base, ids_digest=digest)
    return out


def measure(args: argparse.Namespace, spec: str) -> dict[str, Any]:
    runs = []
    for _ in range(args.repeats):
        cmd = [sys.executable, "-m", "benchmarks.ann", "--worker", spec, "--articles", str(args.articles),
               "--n", str(args.n), "--model", args.model, "--seed", str(args.seed), "--cache", str(args.cache),
               "--threads", str(args.threads), "--sample", str(args.sample), "--truth", str(args.truth),
               "--docs", str(args.docs)]
        env = dict(os.environ, PYTHONPATH=str(PROJECT), OMP_NUM_THREADS=str(args.threads),
                   OPENBLAS_NUM_THREADS=str(args.threads))
        done = subprocess.run(cmd, cwd=PROJECT, capture_output=True, text=True, env=env, check=False)
        if done.returncode:
            raise RuntimeError(f"{spec}: {done.stderr[-3000:]}")
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        r = runs[-1]
        print(f"  {spec}: build {r['build_s']:.1f} s ({r['build_cpu']:.0f} CPU s), search {r['search_s']:.1f} s "
              f"({r['search_cpu']:.0f} CPU s), peak {r['peak_rss_mib']:.0f} MiB, recall {r['recall']:.4f} / "
              f"{r['recall_min_sim']:.4f} / {r['recall_by_cosine']:.4f}, doc pairs {r['doc_pair_recall']:.4f} / "
              f"{r['doc_pair_recall_2']:.4f}", file=sys.stderr, flush=True)
    runs.sort(key=lambda r: r["build_s"] + r["search_s"])
    chosen = dict(runs[len(runs) // 2])
    chosen["totals"] = [round(r["build_s"] + r["search_s"], 1) for r in runs]
    chosen["deterministic"] = len({r["ids_digest"] for r in runs}) == 1
    return chosen


def markdown(results: list[dict[str, Any]], command: str) -> str:
    lines = [("| configuration | n | build s | search s | CPU s | peak RSS MiB (vectors alone) | recall@k "
              "| recall >= min_sim (pairs) | same by cosine | passage doc pairs (>= 2 hits) | max \\|d cos\\| "
              "| runs: build+search s |"),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        spec = CONFIGS.get(r["config"], r["config"])
        name = r["config"] if spec == r["config"] else f"{r['config']} `{spec}`"
        build = "in search" if r["config"] == "dedup" else f"{r['build_s']:.1f}"
        lines.append(
            f"| {name} | {r['n']:,} | {build} | {r['search_s']:.1f} | "
            f"{r['build_cpu'] + r['search_cpu']:.0f} | {r['peak_rss_mib']:,.0f} ({r['vectors_rss_mib']:,.0f}) | "
            f"{r['recall']:.3f} | {r['recall_min_sim']:.3f} ({r['pairs_min_sim']:,}) | {r['recall_by_cosine']:.3f} | "
            f"{r['doc_pair_recall']:.3f} ({r['doc_pair_recall_2']:.3f}) | {r['max_cos_error']:.3f} | "
            f"{', '.join(map(str, r['totals']))}{'' if r['deterministic'] else ' (ids differ run to run)'} |")
    return "\n".join(lines) + f"\n\n`{command}`\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ann", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=0, help="vectors (distinct sentence texts); sets --articles")
    parser.add_argument("--articles", type=int, default=0, help="generated articles (default: enough for --n)")
    parser.add_argument("--model", default="hash", help="encoder (hash; use is slow: keep --n small)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--configs", nargs="*", default=["hnsw-current", "ivf-sq8", "hnsw-pca64", "ivfpq", "dedup"],
                        help="names of CONFIGS or specs (space-separated)")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sample", type=int, default=2000, help="queries checked against exact search")
    parser.add_argument("--docs", type=int, default=200, help="articles whose passage pairs are checked")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/dedup-ann"))
    parser.add_argument("--markdown", type=Path, help="append the table to this file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--truth", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.articles:
        args.articles = max(100, math.ceil((args.n or 360_000) / SENTENCES_PER_ARTICLE * 1.02))
    if args.worker:
        print(json.dumps(worker(args)))
        return 0

    from dedup import Config

    started = time.perf_counter()
    vectors = sentence_vectors(args.articles, args.model, args.seed, args.cache)[: args.n or None]
    print(f"{len(vectors):,} vectors of dim {vectors.shape[1]} from {args.articles:,} articles "
          f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    k = Config().sentence_neighbours + 1
    args.truth = args.cache / (f"truth2-{args.model}-{args.articles}-{args.seed}-{len(vectors)}-{args.sample}-"
                              f"{args.docs}-{k}.npz")
    if not args.truth.exists():
        started = time.perf_counter()
        s, i = exact_neighbours(vectors, sample_rows(len(vectors), args.sample), k)
        row, doc = sentence_rows(args.articles, args.seed, args.cache)
        docs = sample_docs(row, doc, len(vectors), args.docs)
        texts = np.unique(row[np.isin(doc, docs)])
        ds, di = exact_neighbours(vectors, texts, k)
        np.savez(args.truth, sims=s, ids=i, docs=docs, doc_texts=texts, doc_sims=ds, doc_ids=di)
        print(f"exact neighbours of {args.sample} queries and of the {len(texts):,} texts of {len(docs)} articles: "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    del vectors
    results = [measure(args, spec) for spec in args.configs]
    command = "PYTHONPATH=. .venv/bin/python -m benchmarks.ann " + " ".join(argv if argv is not None else sys.argv[1:])
    table = markdown(results, command)
    print(table)
    if args.markdown:
        with args.markdown.open("a") as f:
            f.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
