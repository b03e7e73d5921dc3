"""Suite `families`: rewrite families on the labelled dev sets, each half apart, dedup against peer methods.

Every labelled set in ``../shared/data`` (tass-dev, news-dev2, counter-urdu-dev)
carries a fixed split by story (``half``: ``tune``/``check``). Each half is
clustered on its own, as a corpus of its own. dedup runs one set of defaults
for every corpus, chosen on the ``tune`` halves (its judge was fitted there:
``python -m benchmarks.judge``); peers whose method has a threshold get the
one that scores best on the ``tune`` half, applied unchanged to ``check``. So
every ``check`` row is held out for everyone. A file without halves (the
sample corpus) is one half, ``all``, and peers are then tuned on it.

Measures come from :mod:`benchmarks.metrics`; peers from :mod:`benchmarks.baselines`.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from dedup import Config, Dedup, Results, load_documents, load_encoder
from dedup.documents import Document
from dedup.records import LINKS, RELATIONS, PairRecord

from . import baselines
from .metrics import Gold, labels_from_groups, labels_from_results, origin_accuracy, score
from .report import SHARED_DATA, Section, Table, display_path, machine, median_time, plot_path

DEV_SETS = ("tass-dev.jsonl", "news-dev2.jsonl", "counter-urdu-dev.jsonl")
DEFAULT_DATA = tuple(SHARED_DATA / name for name in DEV_SETS)
MODELS = ("use", "minilm", "hash")
GRID = np.round(np.arange(0.05, 1.0, 0.01), 2)
DEFAULT = "dedup (default, model=use)"
WHOLE_FILE = "dedup (default, model=use), whole file"
"""The default run on every article of a file at once, scored on each half's articles: what a user (and a judge
of unseen data) gets from a whole network, where each story has more neighbours on its topic than in a half."""
LINK_GRID = tuple(round(0.5 + 0.05 * k, 2) for k in range(9))
"""The ``link_confidence`` values the whole-file runs are rethresholded at, on their tune articles."""
LINK_TARGET = 0.8
"""The ``rewrite`` precision ``link_confidence`` is chosen to reach: the issue's goal for an unseen network."""
SEEDS = SHARED_DATA / "seeds"
SEEDS_LINK = ("000", "001")
"""The seeds' one rewrite (tests/test_seeds.py): ``link_confidence`` may not hide it."""
COLUMNS = ["method", "half", "ARI", "pair P", "pair R", "pair F1", "B³ F1", "rewrite P", "(near-)dup P",
           "related same-source", "origin acc", "seconds", "notes"]


def default_text_dedup_python() -> str | None:
    """$TEXT_DEDUP_PYTHON, else /tmp/td-venv/bin/python if that throwaway venv exists."""
    env = os.environ.get("TEXT_DEDUP_PYTHON")
    if env is not None:
        return env or None
    candidate = Path("/tmp/td-venv/bin/python")
    return str(candidate) if candidate.exists() else None


@dataclass
class Half:
    """One half of a labelled file: its documents and their labels."""

    name: str
    docs: list[Document]
    gold: Gold

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.docs]

    @property
    def texts(self) -> list[str]:
        return [d.text for d in self.docs]


def halves(path: Path) -> list[Half]:
    """The file's halves (``tune`` then ``check``), or the whole file as ``all`` when it has none."""
    records = {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8-sig").splitlines()) if r}
    docs, _ = load_documents([path])
    names = sorted({str(r.get("half") or "all") for r in records.values()}, key=lambda h: ("tune", "check").index(h)
                   if h in ("tune", "check") else 2)
    out = []
    for name in names:
        chosen = [d for d in docs if str(records[d.id].get("half") or "all") == name]
        out.append(Half(name, chosen, Gold.from_records(records[d.id] for d in chosen)))
    return out


def relation_precision(pairs: Iterable[PairRecord], gold: Gold) -> dict[str, tuple[float | None, int]]:
    """For each relation: the share of its pairs whose two articles share a cluster or an `also` label, and
    how many pairs it has."""
    pairs = list(pairs)
    out = {}
    for relation in RELATIONS:
        chosen = [p for p in pairs if p.relation == relation]
        same = sum(gold.cluster[p.a] == gold.cluster[p.b] or gold.cluster[p.a] in gold.also[p.b]
                   or gold.cluster[p.b] in gold.also[p.a] for p in chosen)
        out[relation] = (same / len(chosen) if chosen else None, len(chosen))
    return out


def _row(method: str, half: Half, pred: dict[str, str], seconds: float, runs: int, notes: str = "",
         origin: float | None = None, relations: dict[str, tuple[float | None, int]] | None = None) -> dict[str, Any]:
    return {"method": method, "half": half.name, **score(pred, half.gold), "origin_accuracy": origin,
            "relations": relations, "seconds": round(seconds, 3), "runs": runs, "notes": notes}


def _share(relations: dict[str, tuple[float | None, int]] | None, *names: str) -> str | None:
    """``precision (n)`` over the pairs of ``names`` together, '–' without relations."""
    if relations is None:
        return None
    n = sum(relations[r][1] for r in names)
    if not n:
        return "– (0)"
    hits = sum((relations[r][0] or 0.0) * relations[r][1] for r in names)
    return f"{hits / n:.3f} ({n})"


def _timed_groups(fn: Callable[[], list[int]], ids: list[str], repeats: int) -> tuple[dict[str, str], float, int]:
    groups, seconds, times = median_time(fn, repeats)
    return labels_from_groups(ids, groups), seconds, len(times)


def run(data: Sequence[Path] | Path = DEFAULT_DATA, out_dir: Path | None = None, *, models: Sequence[str] = MODELS,
        repeats: int = 3, quick: bool = False, text_dedup_python: str | None = None) -> Section:
    """Cluster each half of each file in ``data`` with dedup and every peer; one table per file."""
    started = time.perf_counter()
    files = [data] if isinstance(data, Path) else [p for p in data if p.exists()]
    repeats = 1 if quick else repeats
    encoders = {m: _loaded(m) for m in models}
    tables, notes, all_rows, sweeps, scans = [], [], [], {}, {}
    for path in files:
        rows, sweep, scan = _one_file(path, encoders, repeats, quick, text_dedup_python, notes)
        all_rows += [{**r, "data": path.name} for r in rows]
        sweeps[path.stem] = sweep
        if scan:
            scans[path.name] = scan
        tables.append(Table(f"{path.name}", COLUMNS, [
            [r["method"], r["half"], r["ari"], r["pair_precision"], r["pair_recall"], r["pair_f1"], r["bcubed_f1"],
             _share(r["relations"], "rewrite"), _share(r["relations"], "duplicate", "near-duplicate"),
             _share(r["relations"], "related"), r["origin_accuracy"], r["seconds"], r["notes"]] for r in rows]))
    ceiling = seeds_link_confidence(encoders["use"][0]) if scans else None
    if scans:
        tables.append(_scan_table(scans))
        notes.append(_scan_note(scans, ceiling))
    notes += [
        "Each half is clustered as a corpus of its own, and (the whole-file rows) the whole file at once, scored "
        "on each half's articles (relation precision over every pair with an article in the half, so a link "
        "into the other half's stories counts against both): a story has more articles on its topic around it "
        "there, as in the unseen networks dedup is judged on; ARI (sklearn) and B³ F1 count every document (a predicted "
        "singleton is its own cluster); pairwise P/R/F1 leave out pairs across `also` labels.",
        "dedup rows: the default Config, one set of defaults for every corpus, chosen on the tune halves; the "
        "judge (dedup/judge.json) was fitted on the tune halves only (`python -m benchmarks.judge`), so the check "
        "rows are held out. Seconds are `Dedup.cluster()` with the encoder loaded (load time in the notes).",
        "rewrite P / (near-)dup P: share of the pairs dedup labels with that relation in pairs.jsonl whose two "
        "articles share a cluster or an `also` label (their number in brackets): a link shown to a user must be "
        "right. related same-source: the same share for `related` pairs (links dedup did not make).",
        "Peers with a threshold (document cosine) take the one with the best ARI on the tune half (0.01 grid) "
        "and keep it on check; on a file without halves they are tuned on the file itself (an upper bound).",
    ]
    section = Section(
        suite="families",
        title="families: rewrite families on labelled news, tune and check halves",
        about=["Data: " + ", ".join(f"`{display_path(p)}`" for p in files) + " (labels `cluster`/`role`/`also`, "
               "split by story into `half`: tune/check).",
               "Ran: " + "; ".join(_ran(models, any(r["method"].startswith("text-dedup 0.4.0") for r in all_rows)))
               + "."],
        tables=tables,
        notes=notes,
        data={"rows": all_rows, "sweeps": sweeps, "link_scan": scans, "seeds_link_confidence": ceiling,
              "repeats": repeats},
        machine=machine(),
    )
    if out_dir is not None and any(sweeps.values()):
        section.plots.append(_plot_sweeps(out_dir, sweeps, all_rows))
    section.data["suite_seconds"] = round(time.perf_counter() - started, 1)
    return section


def _scan_table(scans: dict[str, list[dict[str, Any]]]) -> Table:
    """Each file's :func:`link_scan`: ``rewrite`` precision (pairs) at each ``link_confidence``."""
    return Table("link_confidence: rewrite P (pairs) on the tune articles of each whole file",
                 ["file"] + [f"{t:.2f}" for t in LINK_GRID],
                 [[name] + [f"{'–' if r['precision'] is None else format(r['precision'], '.3f')} ({r['pairs']})"
                            for r in scan] for name, scan in scans.items()])


def _scan_note(scans: dict[str, list[dict[str, Any]]], ceiling: float | None) -> str:
    """How the default ``link_confidence`` follows from the scan, and whether it still does."""
    chosen, default = chosen_link_confidence(scans, ceiling), Config().link_confidence
    agree = "the default" if chosen == default else f"NOT the default ({default:g})"
    seeds = ("" if ceiling is None else f", among the values that keep the seeds' rewrite {'–'.join(SEEDS_LINK)} "
             f"(judged {ceiling:.3f}) a link")
    return (f"link_confidence is chosen on the tune articles of the whole files (check is never looked at){seeds}: "
            f"per file the lowest value whose rewrite precision reaches {LINK_TARGET:.2f} (where none does, the one "
            f"with the highest), then the highest over files. This run gives {chosen:g}, {agree}. Families do not "
            f"move with it (a merge needs family_anchor, {Config().family_anchor:g}); a pair below it shows as "
            f"related.")


def _loaded(model: str) -> tuple[Any, float]:
    t0 = time.perf_counter()
    encoder = load_encoder(model)
    encoder.encode(["warm-up"])
    return encoder, time.perf_counter() - t0


def _one_file(path: Path, encoders: dict[str, tuple[Any, float]], repeats: int, quick: bool,
              text_dedup_python: str | None, notes: list[str]
              ) -> tuple[list[dict[str, Any]], dict[str, Any], list[dict[str, Any]]]:
    parts = halves(path)
    tune = next((h for h in parts if h.name == "tune"), parts[0])
    rows: list[dict[str, Any]] = []
    for model, (encoder, load_seconds) in encoders.items():
        for half in parts:
            results, seconds, times = median_time(lambda: Dedup(encoder=encoder).cluster(half.docs), repeats)
            label = DEFAULT if model == "use" else f"dedup (model={model})"
            rows.append(_row(label, half, labels_from_results(results.documents), seconds, len(times),
                             f"model load {load_seconds:.1f} s not included",
                             origin_accuracy(results.documents, half.gold),
                             relation_precision(results.pairs, half.gold)))
    scan: list[dict[str, Any]] = []
    if "use" in encoders and len(parts) > 1:
        whole, scan = _whole_file(path, parts, *encoders["use"], repeats)
        rows += whole
    setting = baselines.MinHashSetting()
    for half in parts:
        pred, seconds, runs = _timed_groups(lambda: baselines.text_dedup_minhash(half.texts, setting), half.ids,
                                            repeats)
        rows.append(_row("text-dedup MinHash (re-implemented, datasketch)", half, pred, seconds, runs,
                         "256 perm, word 2-grams, t=0.45, union-find over LSH hits"))
        if text_dedup_python and not quick:
            try:
                cli, seconds, runs = _timed_groups(
                    lambda: baselines.run_text_dedup_cli(text_dedup_python, half.ids, half.texts, setting),
                    half.ids, repeats)
            except (RuntimeError, OSError) as exc:
                notes.append(f"{path.name} {half.name}: the real text-dedup CLI could not run ({exc}).")
            else:
                same = _partition(cli) == _partition(pred)
                rows.append(_row("text-dedup 0.4.0 CLI (real, separate venv)", half, cli, seconds, runs,
                                 "same setting; time includes process start; partition "
                                 + ("identical to" if same else "DIFFERENT from") + " the re-implementation's"))
    sweep: dict[str, Any] = {}
    for model in [m for m in encoders if m in ("minilm", "use")]:
        embed = baselines.document_embedder(model)
        name = {"minilm": "MiniLM-L6 doc cosine", "use": "USE-m3 doc cosine"}[model]
        vectors = {h.name: median_time(lambda: embed(h.texts), repeats) for h in parts}
        curve = {h.name: baselines.sweep(vectors[h.name][0], h.ids, h.gold, GRID) for h in parts}
        t_best, _ = baselines.best(curve[tune.name])
        sweep[model] = {h: {"thresholds": [t for t, _ in c], "ari": [s["ari"] for _, s in c]} for h, c in curve.items()}
        for half in parts:
            vecs, embed_seconds, times = vectors[half.name]
            pred, comp_seconds, _ = _timed_groups(lambda: baselines.threshold_components(vecs, t_best), half.ids,
                                                  repeats)
            chosen = "tuned on this half" if half is tune or len(parts) == 1 else "threshold from the tune half"
            rows.append(_row(f"{name} @ t={t_best:.2f}", half, pred, embed_seconds + comp_seconds, len(times),
                             chosen + " (best ARI)"))
    for half in parts:
        pred, seconds, runs = _timed_groups(lambda: baselines.exact_hash(half.texts), half.ids, repeats)
        rows.append(_row("exact hash (whitespace-normalised)", half, pred, seconds, runs))
    return rows, sweep, scan


def chosen_link_confidence(scans: dict[str, list[dict[str, Any]]], ceiling: float | None = None) -> float:
    """The rule the default ``link_confidence`` is chosen by, from each file's :func:`link_scan`, among the
    thresholds up to ``ceiling`` (the seeds' rewrite's confidence, when known): per file, the lowest threshold
    whose ``rewrite`` precision reaches :data:`LINK_TARGET` (where none does, the one with the highest
    precision: a higher threshold only hides more links there); over files, the highest of these, so every
    file gets its best."""
    def per_file(scan: list[dict[str, Any]]) -> float:
        allowed = [r for r in scan if ceiling is None or r["link_confidence"] <= ceiling] or scan[:1]
        reached = [r["link_confidence"] for r in allowed
                   if r["precision"] is not None and r["precision"] >= LINK_TARGET]
        if reached:
            return min(reached)
        return max(allowed, key=lambda r: (r["precision"] or 0.0, -r["link_confidence"]))["link_confidence"]

    return max(per_file(scan) for scan in scans.values())


def seeds_link_confidence(encoder: Any) -> float | None:
    """The judge's confidence in the seeds' rewrite :data:`SEEDS_LINK`, None without the seeds."""
    if not SEEDS.exists():
        return None
    docs, _ = load_documents([SEEDS])
    return Dedup(encoder=encoder).cluster(docs).pair(*SEEDS_LINK).confidence


def link_scan(results: Results, half: Half, gold: Gold) -> list[dict[str, Any]]:
    """``rewrite`` precision over the pairs touching ``half``'s articles when ``results`` are rethresholded at
    each of :data:`LINK_GRID` (``gold`` labels the whole file). Families do not move with it: what a merge
    needs is ``family_anchor``."""
    mine = set(half.ids)
    out = []
    for threshold in LINK_GRID:
        again = Dedup(encoder=None, config=Config(link_confidence=threshold)).rethreshold(results)
        precision, n = relation_precision([p for p in again.pairs if p.a in mine or p.b in mine], gold)["rewrite"]
        out.append({"link_confidence": threshold, "precision": precision, "pairs": n})
    return out


def _whole_file(path: Path, parts: list[Half], encoder: Any, load_seconds: float,
                repeats: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """:data:`WHOLE_FILE` rows: the file's articles clustered at once, each half scored on its own articles, and
    the relations of every pair with an article in that half (a link into the other half joins two stories,
    since the halves split by story, unless an `also` label joins them: it counts against both halves); the
    notes count those links. Also the :func:`link_scan` of the tune half."""
    docs, _ = load_documents([path])
    results, seconds, times = median_time(lambda: Dedup(encoder=encoder).cluster(docs), repeats)
    pred = labels_from_results(results.documents)
    half_of = {doc_id: h.name for h in parts for doc_id in h.ids}
    links = [p for p in results.pairs if p.relation in LINKS]
    across = [p for p in links if half_of[p.a] != half_of[p.b]]
    gold = Gold.from_jsonl(path)
    wrong = sum(gold.cluster[p.b] not in gold.also[p.a] and gold.cluster[p.a] not in gold.also[p.b] for p in across)
    rows = []
    for half in parts:
        mine = set(half.ids)
        rows.append(_row(WHOLE_FILE, half, {k: v for k, v in pred.items() if k in mine}, seconds, len(times),
                         f"all {len(docs)} articles at once (seconds for all); {wrong} of its {len(links)} links "
                         f"join two halves' stories; model load {load_seconds:.1f} s not included",
                         origin_accuracy([d for d in results.documents if d.id in mine], half.gold),
                         relation_precision([p for p in results.pairs if p.a in mine or p.b in mine], gold)))
    return rows, link_scan(results, next(h for h in parts if h.name == "tune"), gold)


def _ran(models: Sequence[str], cli: bool) -> list[str]:
    parts = [f"dedup with model {', '.join(models)}" if models else "no dedup model",
             "text-dedup's MinHash news setting (re-implemented" + (", and the real CLI)" if cli else ")")]
    peers = [{"minilm": "MiniLM", "use": "multilingual USE"}[m] for m in models if m in ("minilm", "use")]
    if peers:
        parts.append(f"document cosine with {' and '.join(peers)} at the threshold best on the tune half")
    return parts + ["exact hash"]


def _partition(pred: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for doc_id, label in pred.items():
        groups.setdefault(label, set()).add(doc_id)
    return {frozenset(g) for g in groups.values()}


def _plot_sweeps(out_dir: Path, sweeps: dict[str, dict[str, Any]], rows: list[dict[str, Any]]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path, link = plot_path(out_dir, "families_threshold_sweep")
    files = [f for f, s in sweeps.items() if s]
    fig, axes = plt.subplots(1, len(files), figsize=(5 * len(files), 4), squeeze=False)
    for ax, name in zip(axes[0], files):
        for model, by_half in sweeps[name].items():
            for half, s in by_half.items():
                ax.plot(s["thresholds"], s["ari"], linestyle="-" if half != "check" else "--",
                        label=f"{model} doc cosine, {half}")
        for r in rows:
            if r["data"].startswith(name) and r["method"] == DEFAULT:
                ax.axhline(r["ari"], linestyle="-" if r["half"] != "check" else "--", linewidth=1, color="gray")
                ax.annotate(f"dedup {r['half']}", (0.06, r["ari"]), fontsize=7, va="bottom")
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("cosine threshold t")
        ax.set_ylabel("ARI")
        ax.legend(fontsize=7, loc="upper right")
    fig.suptitle("Document-cosine peers vs threshold (grey: dedup defaults; dashed: check half)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return link
