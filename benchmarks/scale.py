"""Suite `scale`: dedup end to end on generated corpora of growing size, with per-stage timing.

Each (method, N) run is a fresh subprocess (``python -m benchmarks.scale
--worker METHOD N``), so its peak RSS is its own. The corpus comes from
:mod:`benchmarks.generate` (seeded), written to a JSONL file by a process of
its own and read by the worker as ``dedup cluster`` reads it
(:func:`dedup.load_documents`, timed apart), so the generator's memory is
not the run's.
Methods: dedup with each model, and text-dedup's MinHash LSH
(:func:`benchmarks.baselines.text_dedup_minhash`) on the same corpus as the
lexical reference. Stage times come from the ``progress`` callback of
``Dedup.cluster``: each stage is timed from entering to leaving its context.
"""
from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from .report import ONCE_OVER, PROJECT, Section, Table, load, machine, plot_path

if TYPE_CHECKING:
    from .metrics import Gold

SIZES = (1000, 10_000, 100_000)
SYNDICATION = {"copy": (1000, 5000, 20_000), "light": (1000, 5000)}
"""Republications of one wire story measured by default: verbatim copies, and light rewrites."""
STAGES = ("sentences", "embedding", "minhash", "candidates", "aligning", "families")
MINHASH = "minhash"
SEED = 7


class _Task:
    def advance(self, n: int = 1) -> None:
        return None


class StageTimer:
    """A ``progress`` callable for ``Dedup.cluster`` that records wall and CPU seconds per stage (CPU of
    this process and of the worker processes it waited for: both cores), and this process's peak RSS when each
    stage ends (a high-water mark: the first stage that reaches the run's peak holds it)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.peak_rss: dict[str, float] = {}

    @contextmanager
    def __call__(self, description: str, total: int) -> Iterator[_Task]:
        started, cpu = time.perf_counter(), _cpu_seconds()
        try:
            yield _Task()
        finally:
            self.seconds[description] = self.seconds.get(description, 0.0) + time.perf_counter() - started
            self.cpu[description] = self.cpu.get(description, 0.0) + _cpu_seconds() - cpu
            self.peak_rss[description] = _peak_rss_mib()


def _proc_mib(path: str, field: str) -> float | None:
    """A ``field: N kB`` line of a Linux /proc file, in MiB (None where there is no such file or line)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def _peak_rss_mib() -> float:
    """Peak RSS of this process image: VmHWM on Linux (reset by exec, unlike ``ru_maxrss``, which a child
    inherits from the parent it was forked from), else ``ru_maxrss``."""
    peak = _proc_mib("/proc/self/status", "VmHWM")
    if peak is not None:
        return peak
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)


def _cpu_seconds() -> float:
    """User+system seconds of this process and of its finished children (alignment and embedding workers)."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


class TreeMemory:
    """Peak proportional set size (PSS) summed over this process and its children, sampled every ``interval``
    seconds while in use, or less often where a sample costs more than ``overhead`` of that time (Linux; None
    elsewhere).

    Forked workers share the main process's pages until they write to them,
    and CPython writes the reference count of every object it reads, so
    no one process's peak RSS says what the machine needs, and a sum of RSS
    counts every shared page once per process. PSS splits each shared page
    among the processes that map it, so the sum is the memory in use.
    """

    def __init__(self, interval: float = 1.0, overhead: float = 0.02) -> None:
        self.interval, self.overhead = interval, overhead
        self.peak_mib: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "TreeMemory":
        if Path("/proc/self/smaps_rollup").exists():
            self.peak_mib = 0.0
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join()

    def _sample(self) -> None:
        while True:
            started = time.perf_counter()
            # a child that has just ended has no file left: it counts 0
            total = sum(_proc_mib(f"/proc/{pid}/smaps_rollup", "Pss") or 0.0 for pid in ["self", *_children()])
            self.peak_mib = max(self.peak_mib or 0.0, total)
            # the kernel walks each process's page tables to sum PSS (~80 ms for three 5 GB processes, with their
            # memory map locked): the pause grows with the sample's cost, so sampling takes at most ``overhead``
            # of one core from the run it measures (at 10^5 articles it took 67 CPU s at one sample a second)
            if self._stop.wait(max(self.interval, (time.perf_counter() - started) / self.overhead)):
                return


def _children() -> list[str]:
    """Process ids of this process's children (of all its threads)."""
    found: list[str] = []
    for listing in Path("/proc/self/task").glob("*/children"):
        try:
            found += listing.read_text().split()
        except OSError:
            pass
    return found


def _workers_peak_rss_mib() -> float:
    """Peak RSS of the largest finished child (a profiling, MinHash, embedding or alignment worker; pages it
    shares with the parent copy-on-write count in both)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)


def corpus_file(n: int, seed: int, corpus: str, folder: Path) -> Path:
    """The generated corpus as JSONL in ``folder`` (``news``, or one story syndicated as ``copy`` / ``light``
    republications), written by a process of its own the first time it is asked for."""
    path = folder / f"{corpus}-{n}-seed{seed}.jsonl"
    if not path.exists():
        partial = path.with_suffix(".part")
        subprocess.run([sys.executable, "-m", "benchmarks.generate", str(n), "--seed", str(seed), "--corpus", corpus,
                        "--out", str(partial)], cwd=PROJECT, check=True)
        partial.rename(path)
    return path


def _records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def worker(method: str, n: int, seed: int = SEED, corpus: str = "news", folder: Path | None = None) -> dict[str, Any]:
    """One measured run in this process: read the generated corpus (:func:`corpus_file`, in ``folder``, else
    in a temporary one), (load model,) cluster, score."""
    from dedup import load_documents

    from . import baselines
    from .metrics import Gold, labels_from_groups, labels_from_results, origin_accuracy, score

    with tempfile.TemporaryDirectory() if folder is None else nullcontext(str(folder)) as where:
        path = corpus_file(n, seed, corpus, Path(where))
        out: dict[str, Any] = {"method": method, "n": n}
        documents = None
        if method == MINHASH:
            ids, texts = map(list, zip(*((r["id"], r["text"]) for r in _records(path))))
            out["rss_before_mib"] = _peak_rss_mib()
            started, cpu = time.perf_counter(), _cpu_seconds()
            groups = baselines.text_dedup_minhash(texts)
            out["wall"], out["cpu"] = time.perf_counter() - started, _cpu_seconds() - cpu
            del texts
            predicted = labels_from_groups(ids, groups)
        else:
            started = time.perf_counter()
            docs, _ = load_documents([path])  # as `dedup cluster` reads it
            out["read_seconds"] = time.perf_counter() - started
            documents = _clustered(method, docs, out)
            predicted = labels_from_results(documents)
        # the labels are read after the run, so the run holds only what `dedup cluster` would
        records = _records(path)
    gold = Gold.from_records(records)
    out["words"] = sum(len(r["text"].split()) for r in records)
    out.update(score(predicted, gold))
    if documents is not None:  # (the MinHash peer chains most stories at 10^5: its ARI says enough)
        out["joined_wrongly"] = joined_wrongly(predicted, gold)
        out["origin_accuracy"] = origin_accuracy(documents, gold)
    out["corpus"] = corpus
    out["peak_rss_mib"] = _peak_rss_mib()
    return out


def joined_wrongly(predicted: Mapping[str, str], gold: "Gold", at_most: int = 5,
                   shown: int = 5) -> list[list[dict[str, Any]]]:
    """Up to ``at_most`` predicted groups that join documents of different generated stories: each as its
    stories (smallest share first), with how many of the group's documents are that story's and the first
    ``shown`` of their ids. Where to look when ARI is under 1."""
    groups: dict[str, dict[str, list[str]]] = {}
    for doc_id, label in predicted.items():
        groups.setdefault(label, {}).setdefault(gold.cluster[doc_id], []).append(doc_id)
    mixed = [sorted(({"story": story, "documents": len(ids), "ids": sorted(ids)[:shown]}
                     for story, ids in parts.items()), key=lambda part: (part["documents"], part["ids"]))
             for parts in groups.values() if len(parts) > 1]
    return sorted(mixed, key=lambda parts: parts[0]["ids"])[:at_most]


def _clustered(method: str, docs: list[Any], out: dict[str, Any]) -> list[Any]:
    """Cluster ``docs`` with dedup and ``method``'s model, recording the run's measurements in ``out``; the
    run's document records."""
    from dedup import Dedup, load_encoder

    started = time.perf_counter()
    encoder = load_encoder(method)
    encoder.encode(["warm-up"])
    out["load_seconds"] = time.perf_counter() - started
    out["rss_before_mib"] = _peak_rss_mib()
    timer = StageTimer()
    started, cpu = time.perf_counter(), _cpu_seconds()
    with TreeMemory() as tree:
        results = Dedup(encoder=encoder).cluster(docs, (), timer)
    out["wall"], out["cpu"] = time.perf_counter() - started, _cpu_seconds() - cpu
    out["tree_peak_pss_mib"] = tree.peak_mib
    out["stages"] = timer.seconds
    out["stage_cpu"] = timer.cpu
    out["stage_peak_rss_mib"] = timer.peak_rss
    out["workers_peak_rss_mib"] = _workers_peak_rss_mib()
    out["counts"] = results.run["counts"]
    out["family_sizes"] = sorted((f.size for f in results.families), reverse=True)[:5]
    out["singletons"] = results.run["counts"]["singletons"]
    return results.documents


def _measure(method: str, n: int, repeats: int, seed: int, folder: Path, corpus: str = "news") -> dict[str, Any]:
    """Median-wall run of up to ``repeats`` fresh worker processes (one if the first exceeds ``ONCE_OVER`` s),
    on the corpus kept in ``folder``."""
    results: list[dict[str, Any]] = []
    while len(results) < repeats and not (results and results[0]["wall"] > ONCE_OVER):
        cmd = [sys.executable, "-m", "benchmarks.scale", "--worker", method, str(n), "--seed", str(seed),
               "--corpus", corpus, "--corpus-dir", str(folder)]
        done = subprocess.run(cmd, cwd=PROJECT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"scale worker {method} N={n} failed: {done.stderr.strip()[-2000:]}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    results.sort(key=lambda r: r["wall"])
    chosen = dict(results[len(results) // 2])
    chosen["run_wall"] = chosen["wall"]  # the wall of the run whose stage times are reported
    chosen["walls"] = [r["wall"] for r in results]
    chosen["wall"] = statistics.median(chosen["walls"])
    chosen["peak_rss_mib"] = statistics.median(r["peak_rss_mib"] for r in results)
    chosen["runs"] = len(results)
    return chosen


def unrelated_jaccard(n: int, seed: int, pairs: int = 2000) -> tuple[float, float]:
    """Median and 99th percentile word-2-gram Jaccard of random pairs of different clusters in the corpus."""
    import random

    from .baselines import text_dedup_tokens
    from .generate import generate

    records = generate(n, seed)
    tokens = [text_dedup_tokens(r["text"], 2, 5) for r in records]
    rng = random.Random(seed)
    values = []
    while len(values) < pairs:
        i, j = rng.sample(range(n), 2)
        if records[i]["cluster"] != records[j]["cluster"]:
            values.append(len(tokens[i] & tokens[j]) / max(1, len(tokens[i] | tokens[j])))
    values.sort()
    return statistics.median(values), values[int(0.99 * len(values))]


def exponent(points: Sequence[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) against log(N); None with fewer than two sizes."""
    pts = [(math.log(n), math.log(t)) for n, t in points if t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def _use_note(measured: list[dict[str, Any]], sizes: Sequence[int], use_max: int) -> list[str]:
    """Why `use` stops at ``use_max``, with its embedding speed measured in this run."""
    skipped = [n for n in sizes if n > use_max]
    runs = [r for r in measured if r["method"] == "use"]
    if not skipped or not runs:
        return []
    r = max(runs, key=lambda x: x["n"])
    rate = r["counts"]["sentences"] / r["stages"]["embedding"]
    n = skipped[0]
    minutes = r["counts"]["sentences"] / r["n"] * n / rate / 60
    return [f"`use` runs up to N={use_max:,} by default: its embedding stage ran at {rate:.0f} sentences/s here, so "
            f"N={n:,} would spend about {minutes:.0f} min embedding alone; pass `--scale-use-max {n}` to run it."]


def _joined_note(measured: list[dict[str, Any]]) -> list[str]:
    """Which generated stories each run under ARI 1 joined (document ids by story), if any."""
    notes = []
    for r in measured:
        if r.get("joined_wrongly"):
            groups = "; ".join(" + ".join(f"{part['story']} ({', '.join(part['ids'])}"
                                          f"{', …' if part['documents'] > len(part['ids']) else ''})"
                                          for part in parts) for parts in r["joined_wrongly"])
            notes.append(f"{_label(r['method'])} at N={r['n']:,} joined articles of different generated stories "
                         f"(ARI {r['ari']:.5f}): {groups}.")
    return notes


def _baseline(out_dir: Path | None) -> dict[str, Any] | None:
    """The curve to plot the new one against: the baseline the previous scale section carried, else that
    section's own runs (wall and peak RSS per method and N, with the code they ran)."""
    previous = load(out_dir).get("scale") if out_dir is not None else None
    if previous is None:
        return None
    if previous.data.get("baseline"):
        return previous.data["baseline"]
    return {"code": previous.machine.get("dedup_code"), "date": previous.machine.get("date"),
            "runs": [{k: r[k] for k in ("method", "n", "wall", "peak_rss_mib")}
                     for r in previous.data.get("runs", [])]}


def _label(method: str) -> str:
    return "text-dedup MinHash LSH (datasketch)" if method == MINHASH else f"dedup (model={method})"


def run(out_dir: Path | None = None, sizes: Sequence[int] = SIZES[:2], models: Sequence[str] = ("hash", "use"),
        use_max: int = 1000, repeats: int = 3, seed: int = SEED,
        syndication: dict[str, Sequence[int]] = SYNDICATION) -> Section:
    """Measure every method at every size (``use`` only up to ``use_max``), and one story syndicated
    ``syndication[style]`` times (dedup with the hash model, one run each), and build the section."""
    started = time.perf_counter()
    baseline = _baseline(out_dir)
    measured: list[dict[str, Any]] = []
    syndicated = []
    with tempfile.TemporaryDirectory(prefix="dedup-scale-") as where:  # each corpus written once, for every run
        folder = Path(where)
        for n in sizes:
            for method in [*models, MINHASH]:
                if method == "use" and n > use_max:
                    continue
                print(f"  [scale] {_label(method)} N={n} ...", flush=True)
                measured.append(_measure(method, n, repeats, seed, folder))
        for style, counts in syndication.items():
            for n in counts:
                print(f"  [scale] one story, {n} {style} republications ...", flush=True)
                syndicated.append(_measure("hash", n, 1, seed, folder, style))
    syndication_rows = []
    for style in syndication:
        runs = [r for r in syndicated if r["corpus"] == style]
        slope = exponent([(r["n"], r["wall"]) for r in runs])
        memory = exponent([(r["n"], r["peak_rss_mib"] - r["rss_before_mib"]) for r in runs])
        for r in runs:
            syndication_rows.append([style, r["n"], round(r["wall"], 1), round(r["n"] / r["wall"], 1),
                                     round(r["peak_rss_mib"]), round(r["peak_rss_mib"] - r["rss_before_mib"]),
                                     ", ".join(map(str, r["family_sizes"])) or "-", r["singletons"],
                                     r.get("counts", {}).get("candidate_pairs"), slope, memory])

    main_rows, stage_rows, cpu_rows = [], [], []
    for r in measured:
        workers_rss, tree_pss = r.get("workers_peak_rss_mib"), r.get("tree_peak_pss_mib")
        main_rows.append([_label(r["method"]), r["n"], round(r["wall"], 2), round(r["cpu"], 1), r["runs"],
                          round(r["n"] / r["wall"], 1),
                          round(r["peak_rss_mib"]), round(r["peak_rss_mib"] - r["rss_before_mib"]),
                          round(workers_rss) if workers_rss else "-", round(tree_pss) if tree_pss else "-",
                          r["ari"],
                          r["pair_f1"], r.get("origin_accuracy"),
                          *(r.get("counts", {}).get(k) for k in ("candidate_pairs", "scored_pairs", "aligned_pairs"))])
        if "stages" in r:
            other = r["run_wall"] - sum(r["stages"].values())
            times = [r["stages"].get(s, 0.0) for s in STAGES]
            cells = [f"{t:.2f} ({r['n'] / max(t, 1e-9):,.0f})" for t in times]
            stage_rows.append([_label(r["method"]), r["n"], *cells, f"{other:.2f}", f"{r['read_seconds']:.1f}",
                               f"{r['load_seconds']:.1f}"])
            if "stage_cpu" in r:
                cpu_rows.append([_label(r["method"]), r["n"],
                                 *[f"{r['stage_cpu'].get(s, 0.0):.1f} ({r['stage_cpu'].get(s, 0.0) / max(t, 1e-9):.1f}×)"
                                   for s, t in zip(STAGES, times)]])

    methods = list(dict.fromkeys(r["method"] for r in measured))
    wall = {(r["method"], r["n"]): r["wall"] for r in measured}
    scaling_rows = []
    for m in methods:
        points = [(n, wall[m, n]) for n in sizes if (m, n) in wall]
        ratios = [f"{n:,}: {wall[m, n] / wall[MINHASH, n]:.0f}×" for n in sizes
                  if (m, n) in wall and (MINHASH, n) in wall and m != MINHASH]
        scaling_rows.append([_label(m), ", ".join(f"{n:,}" for n, _ in points), exponent(points),
                             "; ".join(ratios) or None])

    tables = [
        Table("End to end", ["method", "N", "wall s", "CPU s", "runs", "docs/s", "peak RSS MiB", "RSS added MiB",
                             "workers' peak RSS MiB", "process tree peak PSS MiB", "ARI", "pair F1", "origin acc",
                             "candidate pairs", "scored pairs", "aligned pairs"], main_rows),
        Table("dedup per stage: seconds (docs/s)", ["method", "N", *STAGES, "other s", "corpus read s", "model load s"],
              stage_rows),
        Table("dedup per stage: CPU seconds, both cores (CPU / wall)", ["method", "N", *STAGES], cpu_rows),
        Table("Scaling", ["method", "sizes", "exponent (slope of log time vs log N)", "time vs MinHash LSH"],
              scaling_rows),
        Table("One story syndicated N times (dedup, model=hash)",
              ["republications", "N", "wall s", "docs/s", "peak RSS MiB", "RSS added MiB", "largest families",
               "singletons", "candidate pairs", "time exponent", "memory exponent"], syndication_rows),
    ]
    words = {r["n"]: r["words"] for r in measured}
    median_jaccard, p99_jaccard = unrelated_jaccard(min(sizes), seed)
    section = Section(
        suite="scale",
        title="scale: throughput, stages and memory on generated corpora",
        about=[f"Data: `benchmarks/generate.py` (seed {seed}): news-like articles in rewrite families (verbatim "
               "copies, light and heavy synonym/reorder/drop/padding rewrites) and same-beat distractors; "
               + ", ".join(f"N={n:,}: {w / n:.0f} words/doc" for n, w in words.items()) + ".",
               "Ran: `Dedup(model=…).cluster(docs)` end to end with the default Config, and text-dedup's MinHash "
               "LSH setting (256 permutations, word 2-grams, threshold 0.45) on the same corpus, at N = "
               + ", ".join(f"{n:,}" for n in sizes) + f" (`--scale-max {max(sizes)}`)."],
        tables=tables,
        notes=[
            "Each run is a fresh subprocess: peak RSS (VmHWM) covers imports, the corpus (generated by another "
            "process into JSONL, read as `dedup cluster` reads it), the model and clustering; `RSS added` is the "
            "growth after the corpus and model were loaded.",
            f"Wall time excludes reading the corpus and loading the model (shown apart); it is the median of "
            f"up to {repeats} runs, and of one run where the first took over {ONCE_OVER:.0f} s. `CPU s` is the "
            "worker's user+system time over the same span (of the median run), its worker processes' "
            "(profiling; MinHash; embedding; alignment) included: up to 2× wall on 2 cores; CPU well below wall "
            "means other processes were competing for the machine during that run. `workers' peak RSS` is the largest worker "
            "process's (forked: the pages it shares with the main process count in both, so the two do not add "
            "up). `process tree peak PSS` is the memory the run needs from the machine: proportional set size "
            "(each shared page split among the processes mapping it) summed over the main process and its "
            "workers, sampled once a second during clustering, or less often where a sample costs more than 2% "
            "of that, as the kernel walks each process's page tables (~80 ms for three 5 GB processes). Workers "
            "copy the pages of the Python objects they read, as CPython writes their reference counts.",
            "`scored pairs`: the candidate pairs whose sentence pairs were scored (cosine and rapidfuzz ratio); "
            "the others were settled by the judge's ceiling (no alignment could bring their confidence to "
            "`related_min_confidence`, so they would not be saved): mostly pairs months apart with other "
            "figures, as the generated articles' dates spread over 700 days. A day's news, all dated alike, is "
            "settled less often (3-13% of the candidates on the dev sets). `aligned pairs`: the scored pairs "
            "whose sentences were then matched into passages; the rest were settled by the ceiling read again "
            "with their support known (runs before a524551 have no scored pairs: all were aligned).",
            *_use_note(measured, sizes, use_max),
            *_joined_note(measured),
            "ARI / pair F1 against the generator's labels are a sanity check only: the corpus is synthetic. "
            f"Unrelated generated articles are lexically closer than real news: the word-2-gram Jaccard "
            f"(text-dedup tokens) of 2,000 random unrelated pairs has median {median_jaccard:.3f} and 99th "
            f"percentile {p99_jaccard:.3f} (tass-dev.jsonl: 0.005 and 0.057), so MinHash LSH collisions between "
            "unrelated articles, which union-find chains, grow with N faster than on real news.",
            "Per-stage docs/s is N divided by the stage's seconds; `other` is wall time outside the stages "
            "(document vectors, anchor weights, records); stage times are those of the median run. The exponent "
            "is fitted over the sizes listed. Larger sizes: `--scale-max 10000` (or 100000).",
            "Syndication: `benchmarks.generate.syndicated` — one generated wire story and N republications over "
            "five days, verbatim (`copy`: compared once as one text, each copy kept as a duplicate record) or "
            "`light` rewrites (12% of words swapped, 5% of sentences dropped, up to one padding sentence); "
            "every article should land in one family. Exponents are slopes of log wall time / log RSS added "
            "against log N over the sizes measured (1 = linear).",
        ],
        data={"runs": measured, "sizes": list(sizes), "seed": seed, "syndication": syndicated,
              "baseline": baseline},
        machine=machine(),
    )
    if baseline:
        section.notes.append(f"Plots: dashed lines are the baseline the curves are compared with, dedup code "
                             f"{baseline['code']} measured {baseline['date']} (kept from run to run until "
                             f"`results.json` loses its scale section).")
    if out_dir is not None:
        section.plots += _plots(out_dir, measured, methods, baseline)
    section.data["suite_seconds"] = round(time.perf_counter() - started, 1)
    return section


def _plots(out_dir: Path, measured: list[dict[str, Any]], methods: list[str],
           baseline: dict[str, Any] | None = None) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    links = []
    for key, ylabel, name in (("wall", "wall seconds", "scale_time"),
                              ("peak_rss_mib", "peak RSS (MiB)", "scale_memory")):
        path, link = plot_path(out_dir, name)
        fig, ax = plt.subplots(figsize=(6, 4))
        for m in methods:
            pts = sorted((r["n"], r[key]) for r in measured if r["method"] == m)
            line, = ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=_label(m))
            old = sorted((r["n"], r[key]) for r in (baseline or {}).get("runs", []) if r["method"] == m)
            if old and m != MINHASH:
                ax.plot([p[0] for p in old], [p[1] for p in old], marker="x", linestyle="--", color=line.get_color(),
                        label=f"{_label(m)}, baseline")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("documents (N)")
        ax.set_ylabel(ylabel)
        ax.set_title(f"{ylabel} vs corpus size")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)
        links.append(link)
    return links


def main(argv: list[str] | None = None) -> int:
    """Worker entry point: print one JSON line with the measurements of one run."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale")
    parser.add_argument("--worker", nargs=2, metavar=("METHOD", "N"), required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--corpus", default="news", choices=("news", "copy", "light"))
    parser.add_argument("--corpus-dir", type=Path, help="where the generated corpus is kept (default: a "
                        "temporary folder, removed after the run)")
    args = parser.parse_args(argv)
    method, n = args.worker[0], int(args.worker[1])
    print(json.dumps(worker(method, n, args.seed, args.corpus, args.corpus_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
