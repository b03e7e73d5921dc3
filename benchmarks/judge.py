"""Fit the same-source judge (``dedup/judge.json``) on the ``tune`` halves of the labelled dev sets.

``python -m benchmarks.judge [--models use,minilm,hash] [--write]``

For each encoder, every dev set's ``tune`` half is clustered on its own
(the judge's features do not depend on its coefficients), and every pair that
shares a passage and is not dated further apart than ``date_window_days``
(the date rule keeps those apart anyway) becomes a training example:
positive when both documents carry the same ``cluster`` label, left out when
one's cluster is in the other's ``also``, negative otherwise. The model is a logistic regression over
:data:`TERMS` (standardised), each dev set weighing the same and, within it,
positives and negatives the same, so no corpus or class prior is built in.

Regularisation is chosen by cross-validation *by story*: stories (clusters)
are dealt into folds, and a pair is predicted by a model fitted without
either of its two stories' folds. The out-of-fold predictions also give the
threshold table printed at the end (pair precision and recall, family ARI
with :func:`dedup.families.average_linkage`), from which ``family_link`` was
chosen (``link_confidence`` is chosen on whole files by the families suite,
:func:`benchmarks.families.chosen_link_confidence`). The ``check`` halves are
never read here.
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import sys
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

import numpy as np

from dedup import Config, Dedup, load_documents, load_encoder
from dedup.families import average_linkage
from dedup.judge import Judge

from .metrics import Gold, score
from .report import PROJECT, SHARED_DATA, dedup_code_state

DEV_SETS = ("tass-dev.jsonl", "news-dev2.jsonl", "counter-urdu-dev.jsonl")
JUDGE_FILE = PROJECT / "dedup" / "judge.json"

SIGNS: dict[str, int] = {
    # evidence for one source report: more of it never lowers the confidence (+1)
    **{f"{f}*known": 1 for f in ("lead_quality_lo", "support_lo", "support_hi", "doc_contrast")},  # cosines mean
    "lead_coverage_lo": 1, "first_sentence_match": 1, "numbers_lo": 1, "numbers_hi": 1,  # little where the
    "lead_numbers": 1, "jaccard": 1, "word_cosine*unknown": 1,  # encoder cannot read the language
    "names_lo": 1, "names_hi": 1, "specific_shared": 1,
    # evidence against it (-1)
    "lead_numbers_disjoint": -1, "days_apart": -1,
    # context that shifts how much the rest says, either way (0)
    "numbers_absent": 0, "unknown": 0, "shorter_length": 0,
}
"""The model's inputs (features, or products with the ``known``/``unknown`` language indicator) and the sign
each coefficient is held to: a monotone model cannot learn from a few stories that sharing more words or
figures makes one report less likely."""
TERMS = tuple(SIGNS)
C_GRID = (0.1, 0.3, 1.0, 3.0)
FOLDS = 5


@dataclass
class Examples:
    """Training pairs of one dev set's half: features, labels, and what family scoring needs."""

    name: str
    features: list[dict[str, float]]
    y: np.ndarray  # 1 same story, 0 not, -1 ambiguous (across `also`)
    fold_a: np.ndarray
    fold_b: np.ndarray
    pairs: list[tuple[int, int]]
    docs: list[Any]
    gold: Gold

    def x(self, terms: tuple[str, ...]) -> np.ndarray:
        """The pairs' values of ``terms`` (rows; NaN where a feature is missing, e.g. an undated pair's days)."""
        probe = Judge(terms, np.full(len(terms), np.nan), np.ones(len(terms)), np.zeros(len(terms)), 0.0, {})
        return np.array([probe.values(f) for f in self.features], dtype=float).reshape(-1, len(terms))


def _fold(cluster: str) -> int:
    return zlib.crc32(cluster.encode("utf-8")) % FOLDS


def collect(path: Path, half: str, encoder: Any) -> Examples:
    """Cluster one half of a dev set and turn every pair sharing a passage into an example."""
    records = {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r}
    docs, _ = load_documents([path])
    docs = [d for d in docs if records[d.id]["half"] == half]
    gold = Gold.from_records(records[d.id] for d in docs)
    # every pair sharing a passage, also those the shipped judge puts under the floor a run saves
    results = Dedup(Config(related_min_confidence=0.0), encoder=encoder).cluster(docs)
    index = {d.id: k for k, d in enumerate(docs)}
    window = math.log1p(Config().date_window_days)
    rows, labels, fa, fb, pairs = [], [], [], [], []
    for p in results.pairs:
        a, b = p.a, p.b
        if p.features.get("days_apart", 0.0) > window:
            continue  # the date window already keeps such pairs apart: the judge decides the pairs it leaves open
        ca, cb = gold.cluster[a], gold.cluster[b]
        labels.append(1 if ca == cb else -1 if ca in gold.also[b] or cb in gold.also[a] else 0)
        rows.append(p.features)
        fa.append(_fold(ca))
        fb.append(_fold(cb))
        pairs.append((index[a], index[b]))
    return Examples(path.stem, rows, np.array(labels), np.array(fa), np.array(fb), pairs, docs, gold)


def _weights(y: np.ndarray) -> np.ndarray:
    """Each class of one dev set weighs half of that set's pairs."""
    pos, neg = max(1, int((y == 1).sum())), max(1, int((y == 0).sum()))
    return np.where(y == 1, 0.5 / pos, 0.5 / neg) * len(y)


def fit(sets: list[Examples], c: float, keep: Callable[[Examples], np.ndarray] | None = None,
        terms: tuple[str, ...] = TERMS) -> Judge:
    """L2-regularised logistic regression on the (kept, unambiguous) pairs of ``sets``, each set weighing the
    same, each coefficient held to its sign in :data:`SIGNS` (L-BFGS-B with bounds)."""
    from scipy.optimize import minimize

    xs, ys, ws = [], [], []
    for s in sets:
        mask = (s.y >= 0) & (keep(s) if keep else True)
        xs.append(s.x(terms)[mask])
        ys.append(s.y[mask])
        ws.append(_weights(s.y[mask]))
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    mean = np.nan_to_num(np.nanmean(x, axis=0))
    x = np.where(np.isnan(x), mean, x)  # a missing feature takes the mean: it pulls neither way (as in Judge)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    w = w / w.sum()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        logit = z @ theta[1:] + theta[0]
        p = 1.0 / (1.0 + np.exp(-logit))
        value = float(w @ (np.logaddexp(0.0, logit) - y * logit)) + theta[1:] @ theta[1:] / (2 * c * len(y))
        grad = np.concatenate([[w @ (p - y)], z.T @ (w * (p - y)) + theta[1:] / (c * len(y))])
        return value, grad

    bounds = [(None, None)] + [{1: (0.0, None), -1: (None, 0.0), 0: (None, None)}[SIGNS.get(t, 0)] for t in terms]
    theta = minimize(loss, np.zeros(len(terms) + 1), jac=True, method="L-BFGS-B", bounds=bounds).x
    return Judge(terms, mean, scale, theta[1:], float(theta[0]), {})


def out_of_fold(sets: list[Examples], c: float, terms: tuple[str, ...] = TERMS) -> list[np.ndarray]:
    """Each pair's probability from a model fitted without the folds of both its stories."""
    out = [np.zeros(len(s.y)) for s in sets]
    xs = [s.x(terms) for s in sets]
    for held in itertools.chain(((f,) for f in range(FOLDS)), itertools.combinations(range(FOLDS), 2)):
        judge = fit(sets, c, keep=lambda s: ~np.isin(s.fold_a, held) & ~np.isin(s.fold_b, held), terms=terms)
        for s, x, o in zip(sets, xs, out):
            lo, hi = np.minimum(s.fold_a, s.fold_b), np.maximum(s.fold_a, s.fold_b)
            target = (lo == held[0]) & (hi == held[-1])
            z = ((np.where(np.isnan(x[target]), judge.mean, x[target]) - judge.mean) / judge.scale) @ judge.coef \
                + judge.intercept
            o[target] = 1.0 / (1.0 + np.exp(-z))
    return out


def family_ari(s: Examples, p: np.ndarray, link: float) -> float:
    """ARI of average-linkage families over the pairs' probabilities (14-day window, as the pipeline)."""
    weights: dict[tuple[int, int], float] = {}
    for (i, j), q in zip(s.pairs, p):
        key = (min(i, j), max(i, j))
        weights[key] = max(weights.get(key, 0.0), float(q))
    days = [d.day for d in s.docs]
    groups = average_linkage(len(s.docs), weights, link, days, 14, anchor=Config().family_anchor)
    pred = {s.docs[k].id: f"g{g}" for g, members in enumerate(groups) for k in members}
    return score(pred, s.gold)["ari"]


def _average_precision(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    keep = y >= 0
    return float(average_precision_score(y[keep], p[keep]))


def train(encoder_name: str, data: Path, *, verbose: bool = True) -> Judge:
    """Fit the judge for one encoder on the tune halves; print the CV table."""
    encoder = load_encoder(encoder_name)
    sets = [collect(data / name, "tune", encoder) for name in DEV_SETS if (data / name).exists()]
    cv: dict[float, list[np.ndarray]] = {c: out_of_fold(sets, c) for c in C_GRID}
    mean_ap = {c: float(np.mean([_average_precision(s.y, p) for s, p in zip(sets, cv[c])])) for c in C_GRID}
    best_c = max(C_GRID, key=lambda c: mean_ap[c])
    judge = fit(sets, best_c)
    table = []
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
        for link in (0.3, 0.4, 0.5, 0.6, 0.7):
            row = {"link_confidence": threshold, "family_link": link}
            for s, p in zip(sets, cv[best_c]):
                chosen = (p >= threshold) & (s.y >= 0)
                row[s.name] = {
                    "precision": round(float(s.y[chosen].mean()), 3) if chosen.any() else None,
                    "recall": round(float(s.y[chosen].sum() / max(1, (s.y == 1).sum())), 3),
                    "ari": round(family_ari(s, p, link), 3),
                }
            table.append(row)
    about = {
        "encoder": encoder_name,
        "fitted_on": [f"{s.name} tune" for s in sets],
        "pairs": {s.name: {"positive": int((s.y == 1).sum()), "negative": int((s.y == 0).sum())} for s in sets},
        "C": best_c,
        "cv_average_precision": {str(c): round(v, 4) for c, v in mean_ap.items()},
        "code": dedup_code_state(),
        "date": date.today().isoformat(),
    }
    judge = Judge(judge.terms, judge.mean, judge.scale, judge.coef, judge.intercept, {**about, "cv": table})
    if verbose:
        print(f"[{encoder_name}] C={best_c}; CV average precision by C: {about['cv_average_precision']}")
        names = [s.name for s in sets]
        print("link_conf family_link  " + "  ".join(f"{n[:14]:>24}" for n in names) + "   (precision/recall/ARI)")
        for row in table:
            print(f"{row['link_confidence']:>9} {row['family_link']:>11}  " + "  ".join(
                f"{_fmt(row[n]['precision'])}/{row[n]['recall']:.3f}/{row[n]['ari']:.3f}".rjust(24) for n in names))
        for t, c in sorted(zip(judge.terms, judge.coef), key=lambda tc: -abs(tc[1])):
            print(f"   {t:32s} {c:+.3f}")
    return judge


def _fmt(v: float | None) -> str:
    return "  -  " if v is None else f"{v:.3f}"


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(prog="python -m benchmarks.judge", description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="use,minilm,hash", help="encoders to fit a judge for")
    parser.add_argument("--data", type=Path, default=SHARED_DATA, help="folder with the labelled dev sets")
    parser.add_argument("--write", action="store_true", help=f"write the fitted judges into {JUDGE_FILE}")
    args = parser.parse_args(argv)
    if not all((args.data / n).exists() for n in DEV_SETS):
        print(f"dev sets not found in {args.data}", file=sys.stderr)
        return 1
    models = json.loads(JUDGE_FILE.read_text(encoding="utf-8")) if JUDGE_FILE.exists() else {}
    for name in [m.strip() for m in args.models.split(",") if m.strip()]:
        models[name] = train(name, args.data).to_dict()
    if args.write:
        JUDGE_FILE.write_text(json.dumps(models, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {JUDGE_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
