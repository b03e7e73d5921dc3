"""Suite `msrp`: the aligner's sentence matcher on the Microsoft Research Paraphrase Corpus.

For each sentence pair, ``dedup.align_texts(s1, s2, encoder, Config())``
predicts "paraphrase" iff it returns at least one passage. For comparison,
plain USE cosine of the two sentences and the rapidfuzz ratio of their
normalised text are swept over thresholds on the same pairs; their best
thresholds are tuned on this data.
"""
from __future__ import annotations

import csv
import random
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from rapidfuzz import fuzz

from dedup import Config, align_texts, load_encoder
from dedup.text import normalise, numbers, split_sentences

from .encoding import CachedEncoder
from .report import SHARED_DATA, Section, Table, display_path, machine, plot_path

DEFAULT_DATA = SHARED_DATA / "msrp" / "msr_paraphrase_train.txt"
COLUMNS = ["method", "accuracy", "precision", "recall", "F1", "predicted positive", "notes"]
SEED = 13


def read_msrp(path: Path) -> list[tuple[int, str, str]]:
    """(quality, sentence 1, sentence 2) per row of an MSRP TSV (UTF-8 with BOM, header row)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    header, body = rows[0], rows[1:]
    if header[:1] != ["Quality"] or len(header) < 5:
        raise ValueError(f"{path}: expected MSRP columns Quality, #1 ID, #2 ID, #1 String, #2 String")
    return [(int(r[0]), r[3], r[4]) for r in body if len(r) >= 5]


def classification(gold: Sequence[int], pred: Sequence[bool]) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of the positive class (paraphrase)."""
    g = np.asarray(gold, dtype=bool)
    p = np.asarray(pred, dtype=bool)
    tp, fp, fn = int((g & p).sum()), int((~g & p).sum()), int((g & ~p).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"accuracy": float((g == p).mean()) if len(g) else 0.0, "precision": precision, "recall": recall,
            "f1": f1, "positive_rate": float(p.mean()) if len(p) else 0.0}


def threshold_sweep(gold: Sequence[int], values: np.ndarray, thresholds: np.ndarray) -> list[dict[str, float]]:
    """Scores of predicting paraphrase iff value >= t, for each t."""
    return [{"threshold": float(t), **classification(gold, values >= t)} for t in thresholds]


def run(path: Path = DEFAULT_DATA, out_dir: Path | None = None, encoder_name: str = "use",
        sample: int | None = None) -> Section:
    """Score the aligner and the two swept peers on all pairs (or a seeded sample)."""
    started = time.perf_counter()
    pairs = read_msrp(path)
    total = len(pairs)
    if sample is not None and sample < total:
        pairs = random.Random(SEED).sample(pairs, sample)
    gold = [q for q, _, _ in pairs]
    config = Config()
    encoder = CachedEncoder(load_encoder(encoder_name))
    encoder.encode(["warm-up"])

    t0 = time.perf_counter()
    strings = [s for _, a, b in pairs for s in (a, b)]
    encoder.encode(list(dict.fromkeys([x.text for s in strings for x in split_sentences(s)] + strings)))
    alignments = [align_texts(a, b, encoder, config) for _, a, b in pairs]
    aligner_seconds = time.perf_counter() - t0
    aligned = [bool(al.passages) for al in alignments]

    vectors = encoder.encode(strings)
    cosine = np.einsum("ij,ij->i", vectors[0::2], vectors[1::2])
    ratio = np.array([fuzz.ratio(normalise(a), normalise(b)) for _, a, b in pairs]) / 100.0
    grid = np.round(np.arange(0.0, 1.001, 0.01), 2)
    sweeps = {"use_cosine": threshold_sweep(gold, cosine, grid), "rapidfuzz_ratio": threshold_sweep(gold, ratio, grid)}

    rows: list[dict[str, Any]] = [
        {"method": f"dedup aligner (≥1 passage, encoder={encoder_name}, default Config)",
         **classification(gold, aligned), "notes": f"untuned; {aligner_seconds:.0f} s incl. encoding"}]
    for key, label in (("use_cosine", f"{encoder_name.upper()} cosine of the two sentences"),
                       ("rapidfuzz_ratio", "rapidfuzz ratio of normalised sentences")):
        for target in ("accuracy", "f1"):
            top = max(sweeps[key], key=lambda r: (r[target], -r["threshold"]))
            scores = {k: v for k, v in top.items() if k != "threshold"}
            rows.append({"method": f"{label} ≥ {top['threshold']:.2f}", **scores,
                         "notes": f"threshold tuned on this data (best {target})"})
    rows.append({"method": "always paraphrase (majority class)", **classification(gold, [True] * len(gold)),
                 "notes": "trivial reference"})

    notes = [
        f"{len(pairs)} pairs{f' (seeded sample of {total})' if len(pairs) < total else ''}, "
        f"{sum(gold)} labelled paraphrase ({sum(gold) / len(gold):.1%}). MSRP's positive class is the majority, "
        "so F1 is high even for trivial rules; accuracy against the majority rate is the informative number.",
        "The aligner is run exactly as on articles: both strings are split into sentences, sentences under "
        f"`min_sentence_chars` ({config.min_sentence_chars}) cannot match, and a semantic match needs "
        f"cosine ≥ {config.semantic_match} plus a shared number/name, or cosine ≥ {config.semantic_strong}, and no "
        f"contradicting numbers; a lexical match needs ratio ≥ {config.lexical_match:.2f}.",
        "MSRP labels a pair negative when one sentence carries clearly more information than the other, even if "
        "both state the same fact; for passage alignment such a shared fact is a wanted match, so MSRP's false "
        "alarms overstate the aligner's precision problem on rewrites.",
        *_error_notes(pairs, gold, aligned, cosine, ratio),
    ]
    section = Section(
        suite="msrp",
        title="msrp: sentence-level paraphrase matching (MSRP train)",
        about=[f"Data: `{display_path(path)}` (Microsoft Research Paraphrase Corpus, train split).",
               "Ran: dedup's aligner as a paraphrase classifier, against swept cosine and rapidfuzz thresholds."],
        tables=[Table("Paraphrase classification", COLUMNS,
                      [[r["method"], r["accuracy"], r["precision"], r["recall"], r["f1"], r["positive_rate"],
                        r["notes"]] for r in rows])],
        notes=notes,
        data={"rows": rows, "pairs": len(pairs), "sample": sample, "seed": SEED, "aligner_seconds": aligner_seconds},
        machine=machine(),
    )
    if out_dir is not None:
        section.plots.append(_plot(out_dir, sweeps, rows[0]))
    section.data["suite_seconds"] = round(time.perf_counter() - started, 1)
    return section


def _error_notes(pairs: list[tuple[int, str, str]], gold: list[int], aligned: list[bool],
                 cosine: np.ndarray, ratio: np.ndarray) -> list[str]:
    """Where the aligner errs: number conflicts and cosine of its misses, and a few examples."""
    fn = [i for i, (g, p) in enumerate(zip(gold, aligned)) if g and not p]
    fp = [i for i, (g, p) in enumerate(zip(gold, aligned)) if not g and p]

    def conflict(i: int) -> bool:
        na, nb = numbers(pairs[i][1]), numbers(pairs[i][2])
        return bool(na and nb and not na & nb)

    def example(i: int) -> str:
        _, a, b = pairs[i]
        return f"“{a}” / “{b}” (cosine {cosine[i]:.2f}, ratio {ratio[i]:.2f})"

    rng = random.Random(SEED)
    out = []
    if fn:
        out.append(f"Missed paraphrases: {len(fn)}; {sum(map(conflict, fn))} of them have numbers on both sides with "
                   f"none shared (a semantic match is then ruled out); median sentence cosine "
                   f"{np.median(cosine[fn]):.2f}, {int((cosine[fn] >= 0.7).sum())} have cosine ≥ 0.70. "
                   "Examples: " + "; ".join(example(i) for i in rng.sample(fn, min(2, len(fn)))) + ".")
    if fp:
        out.append(f"False alarms: {len(fp)}; median sentence cosine {np.median(cosine[fp]):.2f}. Examples: "
                   + "; ".join(example(i) for i in rng.sample(fp, min(2, len(fp)))) + ".")
    return out


def _plot(out_dir: Path, sweeps: dict[str, list[dict[str, float]]], aligner: dict[str, Any]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path, link = plot_path(out_dir, "msrp_threshold_sweep")
    fig, ax = plt.subplots(figsize=(7, 4))
    for key, label in (("use_cosine", "cosine"), ("rapidfuzz_ratio", "rapidfuzz ratio")):
        t = [r["threshold"] for r in sweeps[key]]
        ax.plot(t, [r["accuracy"] for r in sweeps[key]], label=f"{label}: accuracy")
        ax.plot(t, [r["f1"] for r in sweeps[key]], linestyle=":", label=f"{label}: F1")
    ax.axhline(aligner["accuracy"], color="gray", linestyle="--", linewidth=1)
    ax.annotate(f"dedup aligner accuracy {aligner['accuracy']:.3f}", (0.01, aligner["accuracy"]), fontsize=7,
                va="bottom")
    ax.set_xlabel("threshold")
    ax.set_ylabel("score")
    ax.set_title("MSRP: thresholded peers (tuned on this data) vs the untuned aligner")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return link
