"""The keep/drop policy saved with each document, and `dedup select` that reads it."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from dedup import Dedup, Results, load_documents
from dedup.cli import cli
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def saved(sample_results: Results, tmp_path_factory: pytest.TempPathFactory):
    """The sample results written to a directory `dedup select` can read."""
    out = tmp_path_factory.mktemp("select") / "results"
    sample_results.write(out)
    return out


def _select(saved, *args: str) -> str:
    result = CliRunner().invoke(cli, ["select", str(saved), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_document_has_a_decision_and_a_reason(sample_results):
    for d in sample_results.documents:
        assert d.decision in ("keep", "drop") and d.decision_reason, d.id


def test_origins_and_singletons_are_kept(sample_results):
    docs = {d.id: d for d in sample_results.documents}
    for f in sample_results.families:
        assert docs[f.origin].decision == "keep"
        assert docs[f.origin].decision_reason == f"origin of family {f.id}"
    singletons = [d for d in sample_results.documents if d.family is None]
    assert singletons
    for d in singletons:
        assert (d.decision, d.decision_reason) == ("keep", "not in a family")


def test_a_rewrite_adding_much_is_kept(sample_results):
    docs = {d.id: d for d in sample_results.documents}
    rich = [m for f in sample_results.families for m in f.details
            if m.id != f.origin and m.added_share >= 0.5]
    assert rich
    for m in rich:
        assert docs[m.id].decision == "keep", (m.id, docs[m.id].decision_reason)
        assert "new material" in docs[m.id].decision_reason or "translation" in docs[m.id].decision_reason


def test_an_exact_copy_is_dropped_naming_what_it_duplicates(use_encoder):
    docs, skipped = load_documents([CORPUS / "sample.jsonl"])
    original = next(d for d in docs if d.id == "dam-wire")
    copy = replace(original, id="dam-wire-copy", date=None)
    results = Dedup(encoder=use_encoder).cluster([*docs, copy], skipped)
    by_id = {d.id: d for d in results.documents}
    assert by_id["dam-wire-copy"].family == by_id["dam-wire"].family
    assert by_id["dam-wire"].decision == "keep"
    assert by_id["dam-wire-copy"].decision == "drop"
    assert by_id["dam-wire-copy"].decision_reason.startswith("duplicate of dam-wire, adds 0%")


def test_keep_and_drop_partition_every_id(saved, sample_results):
    kept = _select(saved, "--keep").splitlines()
    dropped = _select(saved, "--drop").splitlines()
    assert not set(kept) & set(dropped)
    assert sorted(kept + dropped) == sorted(d.id for d in sample_results.documents)


def test_jsonl_and_csv_parse(saved, sample_results):
    kept = _select(saved, "--keep").splitlines()
    rows = [json.loads(line) for line in _select(saved, "--keep", "--format", "jsonl").splitlines()]
    assert [r["id"] for r in rows] == kept and all(r["decision"] == "keep" for r in rows)
    table = list(csv.DictReader(io.StringIO(_select(saved, "--drop", "--format", "csv"))))
    docs = {d.id: d for d in sample_results.documents}
    assert [r["id"] for r in table] == _select(saved, "--drop").splitlines()
    for r in table:
        assert list(r) == ["id", "family", "decision", "reason", "title", "url"]
        assert (r["decision"], r["reason"], r["family"]) == ("drop", docs[r["id"]].decision_reason,
                                                             docs[r["id"]].family)


def test_select_needs_a_side_and_sound_results(saved, tmp_path):
    assert CliRunner().invoke(cli, ["select", str(saved)]).exit_code == 2
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for f in saved.iterdir():
        (damaged / f.name).write_bytes(f.read_bytes())
    (damaged / "documents.jsonl").write_text("{not json\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["select", str(damaged), "--keep"])
    assert result.exit_code == 1 and result.output.count("\n") == 1


def test_results_saved_before_decisions_say_how_to_add_them(saved, tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    for f in saved.iterdir():
        (old / f.name).write_bytes(f.read_bytes())
    rows = [json.loads(line) for line in (old / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    (old / "documents.jsonl").write_text("".join(
        json.dumps({k: v for k, v in r.items() if k not in ("decision", "decision_reason")}) + "\n" for r in rows),
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["select", str(old), "--drop"])
    assert result.exit_code == 1 and "re-run `dedup cluster` or `dedup rethreshold`" in result.output


def test_a_copy_of_a_dropped_rewrite_is_dropped_too():
    from dedup import Dedup, Document

    from .test_syndication import WIRE

    thin = WIRE.replace("raised", "lifted") + " Markets closed higher."
    docs = [Document(id="wire", text=WIRE, date="2024-05-03"), Document(id="thin", text=thin, date="2024-05-04"),
            Document(id="thin-copy", text=thin, date="2024-05-05")]
    decisions = {d.id: (d.decision, d.decision_reason) for d in Dedup(model="hash").cluster(docs).documents}
    assert decisions["wire"][0] == "keep" and decisions["thin"][0] == "drop"
    assert decisions["thin-copy"] == ("drop", "same text as thin, which is dropped")
