"""Shared fixtures: the evaluation data in ../shared/data (skipped only when absent)."""
from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT.parent / "shared" / "data"
CORPUS = PROJECT / "corpus"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ../shared/data; tests using it skip on a user checkout without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is absent (user checkout)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def use_encoder():
    """The default multilingual encoder, loaded once for the session."""
    from dedup import load_encoder

    return load_encoder("use")


@pytest.fixture(scope="session")
def sample_labels() -> dict[str, dict]:
    """Labels of the bundled sample corpus (cluster, role, also) by id."""
    import json

    rows = [json.loads(line) for line in (CORPUS / "sample.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["id"]: r for r in rows}


@pytest.fixture(scope="session")
def sample_results(tmp_path_factory, use_encoder):
    """The sample corpus clustered once with default settings, written and read back."""
    from dedup import Dedup, Results, load_documents

    docs, skipped = load_documents([CORPUS / "sample.jsonl"])
    out = tmp_path_factory.mktemp("sample-results")
    Dedup(encoder=use_encoder).cluster(docs, skipped).write(out)
    return Results.read(out)
