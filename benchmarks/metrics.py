"""Clustering measures against labelled families: ARI, pairwise P/R/F1, B-cubed, origin accuracy.

Labels come from JSONL records with ``id``, ``cluster`` and optionally
``role`` and ``also`` (see ../shared/data/README.md). A pair (x, y) is
*ambiguous* when x's cluster is in y's ``also`` or vice versa: such a pair
counts neither as a hit nor as an error in the pairwise measures. ARI and
B-cubed are per-document measures and count every document.

Pair counts come from the contingency table, so they cost O(N + cells)
rather than O(N²); only the ambiguous pairs are enumerated.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from sklearn.metrics import adjusted_rand_score

from dedup.records import DocumentRecord


@dataclass(frozen=True)
class Gold:
    """Reference labels: each document's cluster, role and `also` clusters."""

    cluster: dict[str, str]
    role: dict[str, str | None] = field(default_factory=dict)
    also: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> "Gold":
        """Labels from dicts with ``id``, ``cluster`` and optional ``role``/``also``."""
        cluster: dict[str, str] = {}
        role: dict[str, str | None] = {}
        also: dict[str, frozenset[str]] = {}
        for r in records:
            doc_id = str(r["id"])
            if "cluster" not in r:
                raise ValueError(f"record {doc_id!r} has no 'cluster' label")
            cluster[doc_id] = str(r["cluster"])
            role[doc_id] = r.get("role")
            also[doc_id] = frozenset(str(c) for c in r.get("also") or ())
        return cls(cluster, role, also)

    @classmethod
    def from_jsonl(cls, path: str | Path) -> "Gold":
        """Labels of a JSONL file (one object per line)."""
        with Path(path).open(encoding="utf-8-sig") as fh:
            return cls.from_records(json.loads(line) for line in fh if line.strip())


@dataclass(frozen=True)
class PairCounts:
    """Pairwise confusion counts with ambiguous pairs left out."""

    tp: int
    fp: int
    fn: int
    ambiguous: int

    @property
    def precision(self) -> float:
        """Share of predicted same-family pairs that are right (0 when none is predicted)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Share of labelled same-cluster pairs that are predicted together."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def ambiguous_pairs(gold: Gold) -> set[tuple[str, str]]:
    """Pairs (x, y), x < y, where one document's cluster is in the other's `also`."""
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id, c in gold.cluster.items():
        members[c].append(doc_id)
    out: set[tuple[str, str]] = set()
    for y, clusters in gold.also.items():
        for c in clusters:
            for x in members.get(c, ()):
                if x != y:
                    out.add((x, y) if x < y else (y, x))
    return out


def pair_counts(pred: Mapping[str, str], gold: Gold) -> PairCounts:
    """Pairwise TP/FP/FN of predicted labels (``pred[id]``) against ``gold``, ambiguous pairs excluded."""
    ids = list(gold.cluster)
    missing = [i for i in ids if i not in pred]
    if missing:
        raise KeyError(f"no prediction for {len(missing)} labelled document(s), e.g. {missing[0]!r}")
    cells = Counter((pred[i], gold.cluster[i]) for i in ids)
    pred_sizes = Counter(pred[i] for i in ids)
    gold_sizes = Counter(gold.cluster[i] for i in ids)
    both = sum(_pairs(n) for n in cells.values())
    same_pred = sum(_pairs(n) for n in pred_sizes.values())
    same_gold = sum(_pairs(n) for n in gold_sizes.values())
    tp, fp, fn = both, same_pred - both, same_gold - both
    ambiguous = ambiguous_pairs(gold)
    for x, y in ambiguous:
        sp, sg = pred[x] == pred[y], gold.cluster[x] == gold.cluster[y]
        tp -= sp and sg
        fp -= sp and not sg
        fn -= sg and not sp
    return PairCounts(tp, fp, fn, len(ambiguous))


def bcubed_f1(pred: Mapping[str, str], gold: Gold) -> float:
    """B-cubed F1 (Bagga & Baldwin): harmonic mean of mean per-document precision and recall."""
    ids = list(gold.cluster)
    if not ids:
        return 0.0
    cells = Counter((pred[i], gold.cluster[i]) for i in ids)
    pred_sizes = Counter(pred[i] for i in ids)
    gold_sizes = Counter(gold.cluster[i] for i in ids)
    precision = sum(n * n / pred_sizes[p] for (p, _), n in cells.items()) / len(ids)
    recall = sum(n * n / gold_sizes[g] for (_, g), n in cells.items()) / len(ids)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def ari(pred: Mapping[str, str], gold: Gold) -> float:
    """Adjusted Rand index (sklearn) over all labelled documents."""
    ids = list(gold.cluster)
    return float(adjusted_rand_score([gold.cluster[i] for i in ids], [pred[i] for i in ids]))


def origin_accuracy(documents: Iterable[DocumentRecord], gold: Gold) -> float | None:
    """Share of ``role: source`` documents predicted as their family's origin (None without sources).

    ``documents`` are dedup's document records (``id``, ``family``, ``is_origin``);
    a source left as a singleton counts as a miss.
    """
    by_id = {d.id: d for d in documents}
    sources = [i for i, r in gold.role.items() if r == "source"]
    if not sources:
        return None
    hits = sum(1 for i in sources if by_id[i].family is not None and by_id[i].is_origin)
    return hits / len(sources)


def labels_from_results(documents: Iterable[DocumentRecord]) -> dict[str, str]:
    """Predicted label per document id from dedup's document records; a singleton is its own cluster."""
    return {d.id: d.family if d.family is not None else f"singleton:{d.id}" for d in documents}


def labels_from_groups(ids: list[str], group_of: list[int]) -> dict[str, str]:
    """Predicted label per id from a parallel list of group numbers."""
    return {doc_id: f"g{g}" for doc_id, g in zip(ids, group_of)}


def score(pred: Mapping[str, str], gold: Gold) -> dict[str, float]:
    """All label-only measures of one prediction, as a flat dict."""
    counts = pair_counts(pred, gold)
    return {
        "ari": ari(pred, gold),
        "pair_precision": counts.precision,
        "pair_recall": counts.recall,
        "pair_f1": counts.f1,
        "bcubed_f1": bcubed_f1(pred, gold),
    }
