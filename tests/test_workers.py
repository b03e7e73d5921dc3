"""Alignment over worker processes: the same results, byte for byte, as one process."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from dedup import Config, Dedup, HashingEncoder, load_documents, pipeline
from dedup.progress import silent

from .conftest import CORPUS

TASS_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "tass-dev.jsonl"


def _written(results, out: Path) -> dict[str, bytes]:
    results.write(out)
    files = {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "run.json"}
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    run.pop("seconds")
    files["run.json"] = json.dumps(run, sort_keys=True).encode()
    return files


_TASK = pipeline._run_task


def _logged(item):
    """A worker's task, noting which process ran it and on what (alignment's items are pairs of bounds)."""
    with open(os.environ["DEDUP_TEST_PID_LOG"], "a") as fh:
        fh.write(f"{os.getpid()} {'pairs' if isinstance(item, tuple) else 'texts'}\n")
    return _TASK(item)


def _two_ran(log: Path, task: str) -> bool:
    """Whether this process and forked workers ran ``task`` ('pairs' or 'texts'); alignment forks a worker for
    each of its two rounds (the searches' candidates, then the shared links')."""
    ran = {pid for pid, what in (line.split() for line in log.read_text().splitlines()) if what == task}
    return len(ran) >= 2 and str(os.getpid()) in ran


@pytest.mark.parametrize("corpus", [CORPUS / "sample.jsonl", TASS_DEV], ids=["sample", "tass-dev"])
def test_two_workers_write_the_same_results_as_one(corpus, use_encoder, tmp_path, monkeypatch):
    if not corpus.exists():
        pytest.skip(f"{corpus} is absent")
    docs, skipped = load_documents([corpus])
    one = Dedup(encoder=use_encoder, workers=1).cluster(docs, skipped)
    log = tmp_path / "pids"
    monkeypatch.setenv("DEDUP_TEST_PID_LOG", str(log))
    monkeypatch.setattr(pipeline, "_run_task", _logged)
    two = Dedup(encoder=use_encoder, workers=2).cluster(docs, skipped)
    assert _two_ran(log, "pairs"), "this process and a forked worker aligned"
    assert one.run["counts"]["candidate_pairs"] >= 8, "too few pairs to give each worker batches"
    assert _written(two, tmp_path / "two") == _written(one, tmp_path / "one")


@pytest.mark.parametrize("model", ["use", "hash"])
def test_two_embedding_workers_give_the_same_vectors_as_one(model, request, tmp_path, monkeypatch):
    encoder = request.getfixturevalue("use_encoder") if model == "use" else HashingEncoder()
    # the sample is small: smaller batches, and fork however few texts each worker gets
    monkeypatch.setattr(pipeline, "_EMBED_BATCH", 32)
    monkeypatch.setattr(pipeline, "_MIN_TEXTS_PER_WORKER", 1)
    docs, skipped = load_documents([CORPUS / "sample.jsonl"])
    profiles = [pipeline.profile(d.text) for d in docs]
    vectors, rows = Dedup(encoder=encoder, workers=1).embed(profiles)
    assert len(vectors) > 4 * pipeline._EMBED_BATCH, "too few texts to give each worker batches"
    log = tmp_path / "pids"
    monkeypatch.setenv("DEDUP_TEST_PID_LOG", str(log))
    monkeypatch.setattr(pipeline, "_run_task", _logged)
    two_vectors, two_rows = Dedup(encoder=encoder, workers=None).embed(profiles)
    assert _two_ran(log, "texts"), "this process and a forked worker embedded"
    assert np.array_equal(two_rows, rows)
    assert np.array_equal(two_vectors.codes, vectors.codes)
    assert np.array_equal(two_vectors.inverse_norm.view(np.uint32), vectors.inverse_norm.view(np.uint32))


def test_workers_must_be_a_positive_whole_number():
    for bad in (0, -1, 1.5, "2"):
        with pytest.raises(ValueError, match="workers"):
            Dedup(model="hash", workers=bad)


def test_cli_workers_option(tmp_path):
    from click.testing import CliRunner

    from dedup.cli import cli

    runner = CliRunner()
    outs = []
    for n in ("1", "2"):
        out = tmp_path / f"w{n}"
        result = runner.invoke(cli, ["cluster", str(CORPUS / "sample.jsonl"), "--model", "hash", "--workers", n,
                                     "-q", "-o", str(out)])
        assert result.exit_code == 0, result.output
        outs.append({p.name: p.read_bytes() for p in out.iterdir() if p.name != "run.json"})
    assert outs[0] == outs[1]
    bad = runner.invoke(cli, ["cluster", str(CORPUS / "sample.jsonl"), "--workers", "0", "-o", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "--workers" in bad.output


def test_two_profiling_workers_give_the_same_profiles_as_one(tmp_path, monkeypatch):
    """Texts split and profiled in two processes: the same profiles, a sentence repeated in texts that
    different processes profiled is still stored once, and the sentences index this process's own texts
    (no copy of a text comes back from a worker)."""
    monkeypatch.setattr(pipeline, "_PROFILE_BATCH", 8)
    monkeypatch.setattr(pipeline, "_MIN_PROFILES_PER_WORKER", 1)
    docs, _ = load_documents([CORPUS / "sample.jsonl"])
    texts = [d.text for d in docs] * 2  # the second copy of each text goes to another task
    assert len(texts) > 4 * pipeline._PROFILE_BATCH, "too few texts to give each worker batches"
    one = pipeline._profiled(texts, 1, lambda n: None)
    log = tmp_path / "pids"
    monkeypatch.setenv("DEDUP_TEST_PID_LOG", str(log))
    monkeypatch.setattr(pipeline, "_run_task", _logged)
    advanced = []
    two = pipeline._profiled(texts, 2, advanced.append)
    assert _two_ran(log, "texts"), "this process and a forked worker profiled"
    assert two == one and sum(advanced) == len(texts)
    half = len(docs)
    assert all(a is b for first, again in zip(two[:half], two[half:]) for a, b in zip(first.norm, again.norm))
    assert all(a is b for first, again in zip(two[:half], two[half:]) for a, b in zip(first.names, again.names))
    assert all(p.sentences.text is text for p, text in zip(two, texts))


def test_two_minhash_workers_give_the_same_signatures_as_one(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "_SIGN_BATCH", 4)
    docs, _ = load_documents([CORPUS / "sample.jsonl"])
    texts = [d.text for d in docs]
    assert len(texts) > 4 * pipeline._SIGN_BATCH, "too few texts to give each worker batches"
    one = pipeline._signed(texts, Config(), 1, silent)
    log = tmp_path / "pids"
    monkeypatch.setenv("DEDUP_TEST_PID_LOG", str(log))
    monkeypatch.setattr(pipeline, "_run_task", _logged)
    two = pipeline._signed(texts, Config(), 2, silent)
    assert _two_ran(log, "texts"), "this process and a forked worker signed"
    assert np.array_equal(two, one) and len({row.tobytes() for row in one}) > len(texts) // 2


def test_an_error_in_a_worker_stops_the_stage_with_that_error():
    parent = os.getpid()

    def fails_in_a_worker(item: int) -> int:
        if os.getpid() == parent:
            time.sleep(0.05)  # this process is slow, so the worker takes item 7
        elif item == 7:
            raise ValueError("bad item 7")
        return item * item

    with pytest.raises(ValueError, match="bad item 7"):
        list(pipeline._forked(fails_in_a_worker, range(40), 2))


def test_a_worker_that_dies_is_reported_not_waited_for():
    parent = os.getpid()

    def dies(item: int) -> int:
        if os.getpid() != parent:
            os._exit(3)  # as when the kernel kills a worker out of memory
        time.sleep(0.05)
        return item

    with pytest.raises(RuntimeError, match="worker process stopped"):
        list(pipeline._forked(dies, range(40), 2))


def test_results_come_in_order_whoever_made_them():
    assert list(pipeline._forked(lambda k: (k, k * k), range(500), 2)) == [(k, k * k) for k in range(500)]
