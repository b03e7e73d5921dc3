"""Result sections, machine facts and the RESULTS.md / results.json writer shared by all suites.

Each suite returns a :class:`Section`. Sections are merged into
``results.json`` by suite name, so running one suite replaces only its own
section; RESULTS.md is rendered from the merged JSON. Every section records
when it ran and on what machine.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, TypeVar

PROJECT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT.parent / "shared" / "data"
SUITE_ORDER = ("families", "pan13", "msrp", "scale")
T = TypeVar("T")


@dataclass
class Table:
    """A result table: column names and rows of already formatted or numeric cells."""

    title: str
    columns: list[str]
    rows: list[list[Any]]

    def markdown(self) -> str:
        head = "| " + " | ".join(self.columns) + " |"
        numeric = [all(isinstance(r[i], (int, float)) or r[i] is None for r in self.rows)
                   for i in range(len(self.columns))]
        rule = "|" + "|".join("---:" if n and self.rows else "---" for n in numeric) + "|"
        body = ["| " + " | ".join(fmt(c) for c in row) + " |" for row in self.rows]
        return "\n".join([f"**{self.title}**", "", head, rule, *body])


@dataclass
class Section:
    """One suite's results: what was run on what, tables, notes, plots and raw numbers."""

    suite: str
    title: str
    about: list[str]
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    plots: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=dict)

    def markdown(self) -> str:
        parts = [f"## {self.title}", ""]
        parts += [p + "\n" for p in self.about]
        for t in self.tables:
            parts += [t.markdown(), ""]
        if self.notes:
            parts += ["Notes:", ""] + [f"- {n}" for n in self.notes] + [""]
        parts += [f"![{Path(p).stem}]({p})\n" for p in self.plots]
        m = self.machine
        if m:
            parts.append(f"_Run {m['date']} on {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, "
                         f"Python {m['python']}, dedup code {m['dedup_code']}; suite wall time "
                         f"{self.data.get('suite_seconds', '?')} s._\n")
        return "\n".join(parts)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Section":
        return cls(**{**d, "tables": [Table(**t) for t in d["tables"]]})


def display_path(path: Path) -> str:
    """``path`` relative to the project root when possible (``../shared/data/...``)."""
    try:
        return os.path.relpath(path.resolve(), PROJECT)
    except ValueError:
        return str(path)


def fmt(value: Any) -> str:
    """A table cell: floats to 3 decimals below 10, 1 below 100, none above; None as an en dash."""
    if value is None:
        return "–"
    if isinstance(value, float):
        digits = 3 if abs(value) < 10 else 1 if abs(value) < 100 else 0
        return f"{value:,.{digits}f}"
    return str(value)


ONCE_OVER = 60.0
"""A measurement whose first run takes longer than this many seconds is not repeated."""


def median_time(fn: Callable[[], T], repeats: int, once_over: float = ONCE_OVER) -> tuple[T, float, list[float]]:
    """Run ``fn`` up to ``repeats`` times (once if the first run exceeds ``once_over`` s).

    Returns the last result, the median seconds and every run's seconds.
    """
    times: list[float] = []
    while True:
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
        if len(times) >= repeats or times[0] > once_over:
            return result, statistics.median(times), times


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def dedup_digest() -> str:
    """Short SHA-1 of dedup/*.py and the shipped judge (names and contents): changes exactly when the measured
    code does."""
    digest = hashlib.sha1()
    for path in sorted([*(PROJECT / "dedup").glob("*.py"), *(PROJECT / "dedup").glob("*.json")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:10]


def dedup_code_state() -> str:
    """Git commit of the project plus :func:`dedup_digest`, so numbers can be tied to code."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "dedup"], cwd=PROJECT, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "unknown", ""
    return f"{commit}{' + uncommitted changes' if dirty else ''} (dedup/*.py sha1 {dedup_digest()})"


def machine() -> dict[str, Any]:
    """Facts about this machine and run, stated beside every timing."""
    import psutil

    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "dedup_code": dedup_code_state(),
    }


def load(out_dir: Path) -> dict[str, Section]:
    """Sections already in ``out_dir/results.json`` (none if absent or unreadable)."""
    path = out_dir / "results.json"
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {name: Section.from_dict(s) for name, s in raw.get("suites", {}).items()}
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        print(f"warning: ignoring unreadable {path} ({exc})", file=sys.stderr)
        return {}


def write(out_dir: Path, sections: dict[str, Section]) -> None:
    """Write results.json and RESULTS.md from all sections, in suite order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ordered = [sections[s] for s in SUITE_ORDER if s in sections]
    payload = {"suites": {s.suite: asdict(s) for s in ordered}}
    (out_dir / "results.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    header = [
        "# dedup benchmarks",
        "",
        "Written by `dedup bench` / `python -m benchmarks` (`make bench`); do not edit by hand.",
        "Each section states its data, what ran, and the machine and dedup code it ran on. Baselines",
        "whose threshold was picked on the evaluation data itself say so (\"threshold tuned on this data\"):",
        "they are upper bounds for those methods, not fair held-out numbers. Timings are medians over the",
        f"stated number of runs (`--repeats`, default 3; a measurement whose first run takes over {ONCE_OVER:.0f} s "
        "runs once).",
        "",
        "Run one suite with `dedup bench SUITE` (families, pan13, msrp, scale); other data with",
        "`dedup bench families --data FILE.jsonl` or `dedup bench pan13 PAN_CORPUS_DIR`.",
        "Larger runs: `--scale-max 100000` (adds N=100k), `--scale-use-max 10000` (the USE model at 10k too);",
        "`--quick` for a fast smoke run; `--out DIR` to write elsewhere. See `dedup bench --help`.",
        "",
    ]
    body = [s.markdown() for s in ordered]
    (out_dir / "RESULTS.md").write_text("\n".join(header + body), encoding="utf-8")


def plot_path(out_dir: Path, name: str) -> tuple[Path, str]:
    """Where a plot goes (``out_dir/plots/name.png``) and its link relative to RESULTS.md."""
    folder = out_dir / "plots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png", f"plots/{name}.png"

