"""Benchmark measures on hand-made labelings: perfect, all-singletons, ambiguous `also` pairs."""
from __future__ import annotations

import itertools
import random

import pytest

from benchmarks.metrics import (
    Gold,
    ambiguous_pairs,
    ari,
    bcubed_f1,
    labels_from_results,
    origin_accuracy,
    pair_counts,
    score,
)
from dedup.records import DocumentRecord

GOLD = Gold.from_records([
    {"id": "a1", "cluster": "A", "role": "source"},
    {"id": "a2", "cluster": "A", "role": "rewrite"},
    {"id": "a3", "cluster": "A", "role": "rewrite"},
    {"id": "b1", "cluster": "B", "role": "source"},
    {"id": "b2", "cluster": "B", "role": "rewrite"},
    {"id": "d1", "cluster": "distractor-1", "role": "distractor"},
])


def test_perfect_prediction_scores_one():
    s = score(dict(GOLD.cluster), GOLD)
    assert s == {"ari": 1.0, "pair_precision": 1.0, "pair_recall": 1.0, "pair_f1": 1.0, "bcubed_f1": 1.0}


def test_label_names_do_not_matter():
    renamed = {i: f"x-{c}" for i, c in GOLD.cluster.items()}
    assert score(renamed, GOLD) == score(dict(GOLD.cluster), GOLD)


def test_all_singletons_have_zero_pairwise_recall():
    singletons = {i: i for i in GOLD.cluster}
    counts = pair_counts(singletons, GOLD)
    assert (counts.tp, counts.fp, counts.fn) == (0, 0, 4)
    assert counts.recall == 0.0 and counts.precision == 0.0 and counts.f1 == 0.0
    assert ari(singletons, GOLD) == pytest.approx(0.0)


def test_one_blob_has_full_recall_and_low_precision():
    blob = {i: "all" for i in GOLD.cluster}
    counts = pair_counts(blob, GOLD)
    assert (counts.tp, counts.fp, counts.fn) == (4, 11, 0)
    assert counts.recall == 1.0
    assert counts.precision == pytest.approx(4 / 15)


def test_bcubed_by_hand():
    # a3 wrongly joins B: A-docs a1,a2 have P=1,R=2/3; a3: P=1/3,R=1/3; b1,b2: P=2/3,R=1; d1: 1,1
    pred = {"a1": "p", "a2": "p", "a3": "q", "b1": "q", "b2": "q", "d1": "r"}
    precision = (1 + 1 + 1 / 3 + 2 / 3 + 2 / 3 + 1) / 6
    recall = (2 / 3 + 2 / 3 + 1 / 3 + 1 + 1 + 1) / 6
    assert bcubed_f1(pred, GOLD) == pytest.approx(2 * precision * recall / (precision + recall))


def test_pairs_across_also_labels_count_neither_way():
    gold = Gold.from_records([
        {"id": "x1", "cluster": "X"}, {"id": "x2", "cluster": "X"},
        {"id": "y1", "cluster": "Y"}, {"id": "mix", "cluster": "X", "also": ["Y"]},
    ])
    assert ambiguous_pairs(gold) == {("mix", "y1")}
    # joining the mixed article with Y is not a false positive ...
    together = {"x1": "p", "x2": "p", "mix": "p", "y1": "p"}
    assert pair_counts(together, gold).fp == 2  # x1-y1 and x2-y1 only
    # ... and the (ambiguous) mix-y1 pair is not a true positive either
    assert pair_counts(together, gold).tp == 3
    apart = {"x1": "p", "x2": "p", "mix": "p", "y1": "q"}
    counts = pair_counts(apart, gold)
    assert (counts.tp, counts.fp, counts.fn, counts.ambiguous) == (3, 0, 0, 1)


def test_contingency_counts_match_brute_force():
    rng = random.Random(3)
    records = [{"id": f"d{i}", "cluster": rng.choice("ABCDE"),
                "also": [rng.choice("ABCDE")] if rng.random() < 0.2 else []} for i in range(40)]
    gold = Gold.from_records(records)
    pred = {r["id"]: rng.choice("pqrs") for r in records}
    ambiguous = ambiguous_pairs(gold)
    tp = fp = fn = 0
    for x, y in itertools.combinations(sorted(gold.cluster), 2):
        if (x, y) in ambiguous:
            continue
        sp, sg = pred[x] == pred[y], gold.cluster[x] == gold.cluster[y]
        tp += sp and sg
        fp += sp and not sg
        fn += sg and not sp
    counts = pair_counts(pred, gold)
    assert (counts.tp, counts.fp, counts.fn) == (tp, fp, fn)


def test_missing_prediction_is_an_error():
    with pytest.raises(KeyError, match="no prediction"):
        pair_counts({"a1": "x"}, GOLD)


def test_origin_accuracy_counts_sources_chosen_as_origin():
    docs = [
        DocumentRecord("a1", "", [], family="F1", is_origin=True),
        DocumentRecord("a2", "", [], family="F1"),
        DocumentRecord("a3", "", [], family="F1"),
        DocumentRecord("b1", "", []),  # a source left alone is a miss
        DocumentRecord("b2", "", []),
        DocumentRecord("d1", "", []),
    ]
    assert origin_accuracy(docs, GOLD) == 0.5
    assert labels_from_results(docs)["b1"] == "singleton:b1"
    assert origin_accuracy(docs, Gold({"a1": "A"}, {"a1": "rewrite"})) is None
