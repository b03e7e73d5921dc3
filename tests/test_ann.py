"""The approximate sentence search (above ``_EXACT_LIMIT``) against the exact one, on generated articles.

The limit is lowered to a few thousand vectors so that the approximate index
is built on a corpus small enough for the suite (and only ``_PROBE`` of its
~200 inverted lists are scanned, as at 10^6 vectors); ``benchmarks/ann.py``
measures it at 10^5-10^6 vectors.
"""
from __future__ import annotations

import numpy as np
import pytest

from benchmarks.generate import generate
from dedup import Config, Dedup, Document, candidates, load_encoder
from dedup.records import LINKS
from dedup.text import split_sentences

LIMIT = 2_000
RECALL_BAR = 0.97  # measured 0.99+ at this size; 0.95-0.98 at 60k-2.4M vectors (benchmarks/RESULTS.md)


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return generate(120, seed=3)


@pytest.fixture(scope="module")
def vectors(articles) -> np.ndarray:
    """Float16 vectors of the distinct content sentences, as the pipeline keeps them."""
    minimum = Config().min_sentence_chars
    texts = list(dict.fromkeys(s.text for r in articles for s in split_sentences(r["text"])
                               if s.end - s.start >= minimum))
    out = load_encoder("hash").encode(texts).astype(np.float16)
    assert len(out) > LIMIT + 500
    return out


def _exact(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    return candidates.nearest_neighbours(vectors, k, sentences=True)


def _approximate(vectors: np.ndarray, k: int, monkeypatch, rows=None, limit: int = LIMIT) -> tuple[np.ndarray,
                                                                                                    np.ndarray]:
    with monkeypatch.context() as m:
        m.setattr(candidates, "_EXACT_LIMIT", limit)
        m.setattr(candidates, "_SCAN", 0)  # _PROBE lists of the ~200: short lists would all be scanned
        return candidates.nearest_neighbours(vectors, k, rows, sentences=True)


def test_approximate_search_finds_the_exact_neighbours_that_count(vectors, monkeypatch):
    config = Config()
    k = config.sentence_neighbours
    exact_s, exact_i = _exact(vectors, k)
    sims, ids = _approximate(vectors, k, monkeypatch)
    assert ids.shape == exact_i.shape == (len(vectors), k + 1)
    found = total = 0
    for q in range(len(vectors)):
        want = exact_i[q][(exact_s[q] >= config.neighbour_min_sim) & (exact_i[q] != q)]
        found += np.isin(want, ids[q]).sum()
        total += len(want)
    assert total > 5_000
    assert found / total >= RECALL_BAR, f"recall {found / total:.4f} of {total} neighbour pairs"
    # every text finds itself, and the cosines returned are the float16 rows' own (re-scored, not the codes')
    assert (ids[:, 0] == np.arange(len(vectors))).mean() > 0.99
    valid = ids >= 0
    true = np.einsum("ij,ikj->ik", vectors.astype(np.float32), vectors[np.clip(ids, 0, None)].astype(np.float32))
    assert np.abs(true - sims)[valid].max() < 2e-3


def test_approximate_search_is_the_same_every_run(vectors, monkeypatch):
    first = _approximate(vectors, 10, monkeypatch)
    second = _approximate(vectors, 10, monkeypatch)
    assert np.array_equal(first[1], second[1])
    assert np.array_equal(first[0], second[0])


def test_approximate_search_over_chosen_rows_numbers_them_like_rows(vectors, monkeypatch):
    rows = np.arange(0, len(vectors), 2)  # every other text: ids index into rows
    assert len(rows) > LIMIT // 2
    sims, ids = _approximate(vectors, 5, monkeypatch, rows, limit=LIMIT // 2)
    assert ids.max() < len(rows)
    picked = vectors[rows].astype(np.float32)
    true = np.einsum("ij,ikj->ik", picked, picked[np.clip(ids, 0, None)])
    assert np.abs(true - sims)[ids >= 0].max() < 2e-3


@pytest.mark.parametrize("limit", [LIMIT, 10 ** 9], ids=["approximate", "exact"])
def test_searching_for_some_rows_gives_their_rows_of_the_whole_search(vectors, monkeypatch, limit):
    """Only the articles' leads look for neighbours: each answer is the one the search for every row gives."""
    queries = np.arange(3, len(vectors), 7)
    whole = _approximate(vectors, 10, monkeypatch, limit=limit)
    with monkeypatch.context() as m:
        m.setattr(candidates, "_EXACT_LIMIT", limit)
        m.setattr(candidates, "_SCAN", 0)
        sims, ids = candidates.nearest_neighbours(vectors, 10, sentences=True, queries=queries)
    assert ids.shape == (len(queries), 11)
    assert np.array_equal(ids, whole[1][queries])
    assert np.allclose(sims, whole[0][queries], atol=1e-5)  # BLAS blocks batches of another size otherwise


def test_candidates_keep_every_pair_the_pipeline_links(articles, monkeypatch):
    """The pipeline run with exact search links some pairs; the candidate stage with the approximate search
    on the same inputs proposes every one of them."""
    docs = [Document(id=r["id"], text=r["text"], title=r["title"], date=r["date"]) for r in articles]
    assert len({d.text for d in docs}) == len(docs), "candidate pairs number the documents as given"
    calls = []
    real = candidates.find_candidates

    def recording(*args, **kwargs):
        out = real(*args, **kwargs)
        calls.append((args, kwargs, out))
        return out

    from dedup import pipeline

    monkeypatch.setattr(pipeline, "find_candidates", recording)
    results = Dedup(model="hash", workers=1).cluster(docs)
    (args, kwargs, exact), = calls
    assert len(args[2]) > LIMIT, "more sentence texts than the lowered limit"
    with monkeypatch.context() as m:
        m.setattr(candidates, "_EXACT_LIMIT", LIMIT)
        m.setattr(candidates, "_SCAN", 0)
        approximate = real(*args, **kwargs)
    index = {d.id: k for k, d in enumerate(docs)}
    linked = {tuple(sorted((index[p.a], index[p.b]))) for p in results.pairs if p.relation in LINKS}
    assert len(linked) > 50
    proposed_exact = set(zip(exact.a.tolist(), exact.b.tolist()))
    proposed = set(zip(approximate.a.tolist(), approximate.b.tolist()))
    assert linked <= proposed_exact
    assert linked <= proposed, sorted(linked - proposed)[:10]
    assert len(proposed & proposed_exact) >= 0.97 * len(proposed_exact)
