"""The command line as a user runs it: files written, clear errors, exit codes."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dedup.cli import cli
from dedup.config import SETTINGS

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
    result = CliRunner().invoke(cli, ["cluster", src, "--out", str(tmp_path / "r"), "--set", "famly_link=0.2", "-q"])
    assert result.exit_code == 2 and "unknown setting 'famly_link'; did you mean family_link?" in result.output
    assert not (tmp_path / "r").exists()
    result = CliRunner().invoke(cli, ["cluster", src, "--out", str(tmp_path / "r"), "-q",
                                      "--model", str(tmp_path / "no-such-model")])
    assert result.exit_code == 3 and "cannot load sentence-transformers model" in result.output
    assert "Traceback" not in result.output
    one = tmp_path / "one.txt"
    one.write_text("A sentence long enough to align with itself.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(one), str(one), "--model", "hash", "--set", "long_text_chars=x"])
    assert result.exit_code == 2 and "long_text_chars: 'x' is not a number" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("setting", "message"), [
    ("num_perm=128.5", "num_perm is a whole number of permutations, got 128.5"),
    ("num_perm=100000000", "num_perm must be in 16-4096 (permutations), got 100000000"),
    ("semantic_strong=0.3", "semantic_match (0.5) must be at most semantic_strong (0.3)"),
    ("lexical_match=72", "lexical_match must be in 0-1 (rapidfuzz ratio), got 72; on the 0-1 scale 72% is 0.72"),
    ("family_link=nan", "family_link must be a finite number in 0-1 (mean confidence), got nan"),
    ("lexical_mach=0.7", "unknown setting 'lexical_mach'; did you mean lexical_match?"),
    ("family_link", "expected NAME=VALUE, got 'family_link'"),
])
def test_a_bad_setting_is_a_usage_error_before_anything_runs(tmp_path, setting, message):
    out = tmp_path / "r"
    result = CliRunner().invoke(cli, ["cluster", str(CORPUS / "sample.jsonl"), "--out", str(out), "-q",
                                      "--model", "hash", "--set", setting])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--set'" in result.output and message in " ".join(result.output.split())
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not out.exists()


def test_a_whole_number_setting_given_as_a_float_is_used(tmp_path):
    out = tmp_path / "r"
    result = CliRunner().invoke(cli, ["cluster", str(CORPUS / "sample.jsonl"), "--out", str(out), "-q",
                                      "--model", "hash", "--set", "num_perm=128.0"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "run.json").read_text())["config"]["num_perm"] == 128


def test_settings_lists_every_setting_with_default_range_and_unit():
    result = CliRunner().invoke(cli, ["settings"])
    assert result.exit_code == 0, result.output
    for s in SETTINGS.values():
        assert f"  {s.name} = {s.default!r}  ({s.range} {s.unit})" in result.output
    assert ("Relations: how a pair's relation is decided from its saved evidence; `dedup rethreshold` can change "
            "these.") in " ".join(result.output.split())
    one = CliRunner().invoke(cli, ["settings", "lexical_match"])
    assert one.exit_code == 0 and "lexical_match = 0.72  (0-1 rapidfuzz ratio)" in one.output
    assert "num_perm" not in one.output and "needs a new `dedup cluster` run" in " ".join(one.output.split())
    wrong = CliRunner().invoke(cli, ["settings", "lexical_mach"])
    assert wrong.exit_code == 2 and "did you mean lexical_match?" in wrong.output


def test_user_strings_are_printed_as_given_not_as_markup(tmp_path):
    missing = tmp_path / "[red]missing[/red].jsonl"
    result = CliRunner().invoke(cli, ["cluster", str(missing), "-q", "--model", "hash"])
    assert result.exit_code == 1 and "[red]missing[/red].jsonl" in result.output
    out = tmp_path / "[bold]res"
    result = CliRunner().invoke(cli, ["cluster", str(CORPUS / "sample.jsonl"), "--out", str(out), "-q",
                                      "--model", "hash"])
    assert result.exit_code == 0 and f"results: {out}/" in result.output


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


@pytest.fixture(scope="module")
def hash_results(tmp_path_factory):
    """The sample corpus clustered once with the fast lexical encoder."""
    out = tmp_path_factory.mktemp("hash") / "res"
    result = CliRunner().invoke(cli, ["cluster", str(CORPUS / "sample.jsonl"), "--out", str(out), "-q",
                                      "--model", "hash"])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("setting", ["semantic_match=0.95", "num_perm=64", "long_text_chars=0"])
def test_rethreshold_refuses_settings_that_need_a_new_alignment(tmp_path, hash_results, setting):
    run = (hash_results / "run.json").read_bytes()
    again = tmp_path / "again"
    result = CliRunner().invoke(cli, ["rethreshold", str(hash_results), "--set", setting, "--out", str(again)])
    assert result.exit_code == 2, result.output
    said, name = " ".join(result.output.split()), setting.partition("=")[0]
    assert f"{name} is a setting of the {SETTINGS[name].stage} stage: changing it needs a new `dedup cluster` run" \
        in said
    assert "accepts only link_confidence, related_min_confidence, duplicate_coverage" in said
    assert not again.exists() and (hash_results / "run.json").read_bytes() == run


def test_rethreshold_checks_new_values_against_the_saved_ones(tmp_path, hash_results):
    again = tmp_path / "again"
    result = CliRunner().invoke(cli, ["rethreshold", str(hash_results), "--set", "duplicate_coverage=0.7",
                                      "--out", str(again)])
    assert result.exit_code == 2 and "near_duplicate_coverage (0.8) must be at most duplicate_coverage (0.7)" in \
        " ".join(result.output.split())
    assert not again.exists()
    help_text = CliRunner().invoke(cli, ["rethreshold", "--help"]).output
    assert "link_confidence, related_min_confidence, duplicate_coverage, near_duplicate_coverage, family_anchor, " \
        "family_link" in \
        " ".join(help_text.split())


def test_rethreshold_cannot_bring_back_pairs_a_run_did_not_save(tmp_path, hash_results):
    again = tmp_path / "again"
    result = CliRunner().invoke(cli, ["rethreshold", str(hash_results), "--set", "related_min_confidence=0",
                                      "--out", str(again)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2 and "related_min_confidence (0) is below the 0.01 these results were saved with" \
        in said and "run `dedup cluster` again" in said
    assert not again.exists()


def test_rethreshold_reads_a_run_saved_with_0_100_ratios(tmp_path, hash_results):
    old = tmp_path / "old"
    old.mkdir()
    for f in hash_results.iterdir():
        (old / f.name).write_bytes(f.read_bytes())
    run = json.loads((old / "run.json").read_text())
    run["config"].update(lexical_match=72.0, verbatim_ratio=98.0, near_verbatim_ratio=75.0, lexical_override=90.0)
    (old / "run.json").write_text(json.dumps(run))
    again = tmp_path / "again"
    result = CliRunner().invoke(cli, ["rethreshold", str(old), "--set", "family_link=0.5", "--out", str(again)])
    assert result.exit_code == 0, result.output
    config = json.loads((again / "run.json").read_text())["config"]
    assert (config["lexical_match"], config["verbatim_ratio"], config["family_link"]) == (0.72, 0.98, 0.5)


def test_unreadable_dates_are_reported_once_and_a_foreign_folder_is_never_replaced(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Police said 5 people died in Kazan on Monday.", "date": "yesterday"}\n'
                   '{"id": "b", "text": "Police said 5 people died in Kazan on Monday.", "date": "soon"}\n',
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["cluster", str(src), "--out", str(tmp_path / "res"), "--model", "hash"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "2 'date' values could not be read" in warnings[0] and "'yesterday'" in warnings[0]
    mine = tmp_path / "project"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes", encoding="utf-8")
    result = CliRunner().invoke(cli, ["cluster", str(src), "--out", str(mine), "--model", "hash"])
    assert result.exit_code == 2 and "not a dedup results directory" in result.output
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_cluster_and_summary_speak_json_for_pipelines(tmp_path):
    out = tmp_path / "res"
    result = CliRunner().invoke(cli, ["cluster", str(CORPUS / "sample.jsonl"), "--out", str(out), "--model", "hash",
                                      "--json", "--top", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"]["documents"] == 30 and data["results"] == str(out) and data["shown"] == 3
    assert all(f["title"] for f in data["families"])
    again = CliRunner().invoke(cli, ["summary", str(out), "--json", "--top", "3"])
    assert again.exit_code == 0 and {k: v for k, v in json.loads(again.output).items()} == {
        k: v for k, v in data.items() if k not in ("results", "report")}
