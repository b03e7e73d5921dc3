"""Alignment over worker processes: the same results, byte for byte, as one process."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from dedup import Dedup, load_documents, pipeline

from .conftest import CORPUS

TASS_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "tass-dev.jsonl"


def _written(results, out: Path) -> dict[str, bytes]:
    results.write(out)
    files = {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "run.json"}
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    run.pop("seconds")
    files["run.json"] = json.dumps(run, sort_keys=True).encode()
    return files


_BATCH = pipeline._lines_of


def _logged(bounds: tuple[int, int]) -> tuple[list[bytes], int]:
    """The workers' task, noting which process ran it."""
    with open(os.environ["DEDUP_TEST_PID_LOG"], "a") as fh:
        fh.write(f"{os.getpid()}\n")
    return _BATCH(bounds)


_ENCODE = pipeline._encode_batch


def _logged_encode(start: int):
    """The embedding workers' task, noting which process ran it."""
    with open(os.environ["DEDUP_TEST_PID_LOG"], "a") as fh:
        fh.write(f"{os.getpid()}\n")
    return _ENCODE(start)


_PROFILE = pipeline._profile_batch


def _logged_profile(start: int):
    """The profiling workers' task, noting which process ran it."""
    with open(os.environ["DEDUP_TEST_PID_LOG"], "a") as fh:
        fh.write(f"{os.getpid()}\n")
    return _PROFILE(start)


@pytest.mark.parametrize("corpus", [CORPUS / "sample.jsonl", TASS_DEV], ids=["sample", "tass-dev"])
def test_two_workers_write_the_same_results_as_one(corpus, use_encoder, tmp_path, monkeypatch):
    if not corpus.exists():
        pytest.skip(f"{corpus} is absent")
    docs, skipped = load_documents([corpus])
    one = Dedup(encoder=use_encoder, workers=1).cluster(docs, skipped)
    log = tmp_path / "pids"
    monkeypatch.setenv("DEDUP_TEST_PID_LOG", str(log))
    monkeypatch.setattr(pipeline, "_lines_of", _logged)
    two = Dedup(encoder=use_encoder, workers=2).cluster(docs, skipped)
    assert len(set(log.read_text().split()) - {str(os.getpid())}) == 2, "two worker processes aligned"
    assert one.run["counts"]["candidate_pairs"] >= 8, "too few pairs to give each worker batches"
    assert _written(two, tmp_path / "two") == _written(one, tmp_path / "one")


def test_two_embedding_workers_give_the_same_vectors_as_one(use_encoder, tmp_path, monkeypatch):
    # the sample is small: smaller batches, and fork however few texts each worker gets
    monkeypatch.setattr(pipeline, "_EMBED_BATCH", 32)
    monkeypatch.setattr(pipeline, "_MIN_TEXTS_PER_WORKER", 1)
    docs, skipped = load_documents([CORPUS / "sample.jsonl"])
    profiles = [pipeline.profile(d.text) for d in docs]
    vectors, rows = Dedup(encoder=use_encoder, workers=1).embed(profiles)
    assert len(vectors) > 4 * pipeline._EMBED_BATCH, "too few texts to give each worker batches"
    log = tmp_path / "pids"
    monkeypatch.setenv("DEDUP_TEST_PID_LOG", str(log))
    monkeypatch.setattr(pipeline, "_encode_batch", _logged_encode)
    two_vectors, two_rows = Dedup(encoder=use_encoder, workers=None).embed(profiles)
    assert len(set(log.read_text().split()) - {str(os.getpid())}) == 2, "two worker processes embedded"
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
    """Texts split and profiled in two processes: the same profiles, and a sentence repeated in texts that
    different processes profiled is still stored once."""
    monkeypatch.setattr(pipeline, "_PROFILE_BATCH", 8)
    monkeypatch.setattr(pipeline, "_MIN_PROFILES_PER_WORKER", 1)
    docs, _ = load_documents([CORPUS / "sample.jsonl"])
    texts = [d.text for d in docs] * 2  # the second copy of each text goes to another task
    assert len(texts) > 4 * pipeline._PROFILE_BATCH, "too few texts to give each worker batches"
    one = pipeline._profiled(texts, 1, lambda n: None)
    log = tmp_path / "pids"
    monkeypatch.setenv("DEDUP_TEST_PID_LOG", str(log))
    monkeypatch.setattr(pipeline, "_profile_batch", _logged_profile)
    advanced = []
    two = pipeline._profiled(texts, 2, advanced.append)
    assert len(set(log.read_text().split()) - {str(os.getpid())}) == 2, "two worker processes profiled"
    assert two == one and sum(advanced) == len(texts)
    half = len(docs)
    assert all(a is b for first, again in zip(two[:half], two[half:]) for a, b in zip(first.norm, again.norm))
    assert all(a is b for first, again in zip(two[:half], two[half:]) for a, b in zip(first.names, again.names))
