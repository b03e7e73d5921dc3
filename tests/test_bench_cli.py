"""`python -m benchmarks`: smoke run on the bundled sample corpus into a temporary --out."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def _bench(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TEXT_DEDUP_PYTHON": ""}
    return subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_families_quick_run_writes_results(tmp_path):
    done = _bench("families", "--data", "corpus/sample.jsonl", "--quick", "--models", "hash", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    md = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "## families" in md and "| dedup (model=hash) |" in md and "text-dedup MinHash" in md
    assert f" on {os.cpu_count()} cores (" in md  # the machine line beside the timings
    rows = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["suites"]["families"]["data"]["rows"]
    dedup_row = rows[0]
    assert dedup_row["method"] == "dedup (model=hash)" and 0 < dedup_row["ari"] <= 1
    assert "| dedup (model=hash) |" in done.stdout  # tables are printed too


def test_missing_data_is_skipped_and_other_sections_are_kept(tmp_path):
    assert _bench("families", "--data", "corpus/sample.jsonl", "--quick", "--models", "hash",
                  "--out", str(tmp_path)).returncode == 0
    done = _bench("msrp", str(tmp_path / "absent.txt"), "--out", str(tmp_path))
    assert done.returncode == 0
    assert "[msrp] skipped: data not found" in done.stdout
    assert "## families" in (tmp_path / "RESULTS.md").read_text(encoding="utf-8")


def test_usage_errors():
    assert _bench("nonsense").returncode == 2
    assert _bench("families", "msrp", "--data", "x.jsonl").returncode == 2


def test_dedup_bench_runs_the_harness(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from dedup.cli import cli

    monkeypatch.setenv("TEXT_DEDUP_PYTHON", "none")
    monkeypatch.chdir(PROJECT)
    done = CliRunner().invoke(cli, ["bench", "families", "corpus/sample.jsonl", "--quick", "--models", "hash",
                                    "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert "| dedup (model=hash) |" in (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert CliRunner().invoke(cli, ["bench", "nonsense"]).exit_code == 2
