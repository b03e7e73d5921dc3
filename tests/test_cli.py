"""The command line as a user runs it: files written, clear errors, exit codes."""
from __future__ import annotations

import json

from click.testing import CliRunner

from dedup.cli import cli

from .conftest import CORPUS


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_cluster_writes_every_document_and_a_summary(tmp_path):
    out = tmp_path / "res"
    result = CliRunner().invoke(cli, ["cluster", str(CORPUS / "sample.jsonl"), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    docs = read_jsonl(out / "documents.jsonl")
    ids = [json.loads(line)["id"] for line in (CORPUS / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [d["id"] for d in docs] == ids
    families = read_jsonl(out / "families.jsonl")
    pairs = read_jsonl(out / "pairs.jsonl")
    assert families and pairs
    for p in pairs:
        a, b = next(d for d in docs if d["id"] == p["a"]), next(d for d in docs if d["id"] == p["b"])
        for ps in p["passages"]:
            assert 0 <= ps["a_start"] < ps["a_end"] <= len(a["text"])
            assert 0 <= ps["b_start"] < ps["b_end"] <= len(b["text"])
            assert ps["kind"] in {"verbatim", "near-verbatim", "paraphrase"}
        assert p["relation"] in {"duplicate", "near-duplicate", "rewrite", "related"}
        assert {"minhash_jaccard", "embedding_cosine", "coverage_a", "coverage_b"} <= set(p["scores"])
    assert "families" in result.output and families[0]["id"] in result.output
    run = json.loads((out / "run.json").read_text())
    assert run["counts"]["documents"] == len(ids) and run["config"]["family_link"] > 0


def test_bad_input_names_file_and_line_without_traceback(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": "a", "text": "Fine text here."}\n{"id": "b"}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["cluster", str(f), "--out", str(tmp_path / "r"), "-q"])
    assert result.exit_code == 1
    assert f"{f}:2" in result.output and "no 'text'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r").exists()


def test_skip_invalid_reports_and_lists_skipped_records(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": "a", "text": "Fine text here."}\n{broken\n{"id": "c", "text": "Another one."}\n',
                 encoding="utf-8")
    out = tmp_path / "r"
    result = CliRunner().invoke(cli, ["cluster", str(f), "--out", str(out), "--skip-invalid", "-q",
                                      "--model", "hash"])
    assert result.exit_code == 0, result.output
    assert [d["id"] for d in read_jsonl(out / "documents.jsonl")] == ["a", "c"]
    skipped = read_jsonl(out / "skipped.jsonl")
    assert skipped == [{"path": str(f), "line": 2, "id": None, "reason": skipped[0]["reason"]}]
    assert "malformed JSON" in skipped[0]["reason"]
    assert "1 skipped" in result.output


def test_unknown_setting_and_missing_model_are_clear_errors(tmp_path):
    src = str(CORPUS / "sample.jsonl")
    result = CliRunner().invoke(cli, ["cluster", src, "--set", "famly_link=0.2", "-q"])
    assert result.exit_code == 1 and "unknown setting(s): famly_link" in result.output
    result = CliRunner().invoke(cli, ["cluster", src, "--out", str(tmp_path / "r"), "-q",
                                      "--model", str(tmp_path / "no-such-model")])
    assert result.exit_code == 3 and "cannot load sentence-transformers model" in result.output
    assert "Traceback" not in result.output
    one = tmp_path / "one.txt"
    one.write_text("A sentence long enough to align with itself.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(one), str(one), "--model", "hash", "--set", "long_text_chars=x"])
    assert result.exit_code == 1 and "long_text_chars" in result.output and "Traceback" not in result.output


def test_help_lists_commands_and_options():
    result = CliRunner().invoke(cli, ["cluster", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--model", "--skip-invalid", "--set"):
        assert option in result.output


def test_rethreshold_rewrites_families_from_saved_results(tmp_path):
    out, again = tmp_path / "res", tmp_path / "strict"
    runner = CliRunner()
    assert runner.invoke(cli, ["cluster", str(CORPUS / "sample.jsonl"), "--out", str(out), "-q"]).exit_code == 0
    result = runner.invoke(cli, ["rethreshold", str(out), "--set", "family_link=0.99", "--out", str(again)])
    assert result.exit_code == 0, result.output
    before, after = read_jsonl(out / "families.jsonl"), read_jsonl(again / "families.jsonl")
    assert sum(f["size"] for f in after) < sum(f["size"] for f in before)
    assert len(read_jsonl(again / "documents.jsonl")) == len(read_jsonl(out / "documents.jsonl"))
    run = json.loads((again / "run.json").read_text())
    assert run["config"]["family_link"] == 0.99 and run["model"] == "use"
    bad = runner.invoke(cli, ["rethreshold", str(tmp_path / "nope"), "--set", "family_link=0.2", "--out", str(again)])
    assert bad.exit_code == 1 and "not a results directory" in bad.output
