"""The results directory (issue 11, items 6 and 7): written as one unit, so a crash or a kill leaves the old
results or the new ones, never a mix; read with every record checked, so a damaged directory gives one
ResultsError naming the file and line, never a traceback."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import CliRunner

from dedup.records import Passage, PairRecord
from dedup.results import PairRecords, Results, ResultsError, check_writable

RESULT_NAMES = ("documents.jsonl", "families.jsonl", "pairs.jsonl", "related.jsonl", "skipped.jsonl", "run.json")


@pytest.fixture
def out(sample_results: Results, tmp_path: Path) -> Path:
    """The sample run written to a fresh directory."""
    return sample_results.write(tmp_path / "res")


def _rows(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _edit(path: Path, lineno: int, change: Callable[[Any], Any]) -> None:
    """Change the row on line ``lineno`` (from 1) of a JSONL file in place with ``change(row)``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[lineno - 1])
    change(row)
    lines[lineno - 1] = json.dumps(row, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _set_line(path: Path, lineno: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[lineno - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _renamed(value: Any, old: str, new: str) -> Any:
    """``value`` with every string ``old`` (an id) replaced by ``new``."""
    if isinstance(value, str):
        return new if value == old else value
    if isinstance(value, list):
        return [_renamed(v, old, new) for v in value]
    if isinstance(value, dict):
        return {_renamed(k, old, new): _renamed(v, old, new) for k, v in value.items()}
    return value


def _line_of(path: Path, pick: Callable[[Any], bool]) -> int:
    """The number of the first line of a JSONL file whose row ``pick`` accepts."""
    return next(k for k, row in enumerate(_rows(path), start=1) if pick(row))


def _singleton_line(out: Path) -> int:
    return _line_of(out / "documents.jsonl", lambda d: d["family"] is None)


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _siblings(directory: Path) -> list[str]:
    """What else lies next to ``directory``: the temporary directories a write might leave."""
    return sorted(p.name for p in directory.parent.iterdir() if p.name != directory.name)


# --- damaged directories: one ResultsError naming file and line -------------------------------------------------


def _run_json_list(out: Path) -> tuple[str, int, str]:
    (out / "run.json").write_text("[]\n", encoding="utf-8")
    return "run.json", 1, "expected a JSON object"


def _run_json_counts_list(out: Path) -> tuple[str, int, str]:
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    run["counts"] = []
    (out / "run.json").write_text(json.dumps(run, indent=2), encoding="utf-8")
    lineno = next(k for k, line in enumerate((out / "run.json").read_text().splitlines(), 1) if '"counts"' in line)
    return "run.json", lineno, "'counts'"


def _stale_run_json(out: Path) -> tuple[str, int, str]:
    """run.json of another run (more documents) over these files: the mix the issue's `summary` reported from."""
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    run["counts"]["documents"] += 117
    (out / "run.json").write_text(json.dumps(run, indent=2), encoding="utf-8")
    lineno = next(k for k, line in enumerate((out / "run.json").read_text().splitlines(), 1) if '"documents"' in line)
    return "run.json", lineno, "mixes files of different runs"


def _list_line(name: str, lineno: int) -> Callable[[Path], tuple[str, int, str]]:
    def damage(out: Path) -> tuple[str, int, str]:
        _set_line(out / name, lineno, "[]")
        return name, lineno, "expected a JSON object, got a list"
    damage.__name__ = f"list_line_in_{name}"
    return damage


def _number_line_in_related(out: Path) -> tuple[str, int, str]:
    _set_line(out / "related.jsonl", 1, "42")
    return "related.jsonl", 1, "expected a JSON object, got an integer"


def _list_line_in_skipped(out: Path) -> tuple[str, int, str]:
    (out / "skipped.jsonl").write_text('{"path": "in.jsonl", "line": 3, "id": null, "reason": "no text"}\n[]\n',
                                       encoding="utf-8")
    return "skipped.jsonl", 2, "expected a JSON object"


def _document_without_id(out: Path) -> tuple[str, int, str]:
    _edit(out / "documents.jsonl", 4, lambda d: d.pop("id"))
    return "documents.jsonl", 4, "missing field 'id'"


def _family_without_members(out: Path) -> tuple[str, int, str]:
    _edit(out / "families.jsonl", 2, lambda f: f.pop("members"))
    return "families.jsonl", 2, "missing field 'members'"


def _pair_without_scores(out: Path) -> tuple[str, int, str]:
    _edit(out / "pairs.jsonl", 3, lambda p: p.pop("scores"))
    return "pairs.jsonl", 3, "missing field 'scores'"


def _text_not_a_string(out: Path) -> tuple[str, int, str]:
    _edit(out / "documents.jsonl", 2, lambda d: d.update(text=12345))
    return "documents.jsonl", 2, "field 'text': expected a string, got an integer"


def _title_a_list(out: Path) -> tuple[str, int, str]:
    _edit(out / "documents.jsonl", 5, lambda d: d.update(title=["a", "b"]))
    return "documents.jsonl", 5, "field 'title'"


def _sentence_not_a_pair(out: Path) -> tuple[str, int, str]:
    _edit(out / "documents.jsonl", 3, lambda d: d["sentences"].__setitem__(1, [7]))
    return "documents.jsonl", 3, "sentences[1]"


def _sentence_beyond_text(out: Path) -> tuple[str, int, str]:
    _edit(out / "documents.jsonl", 3, lambda d: d["sentences"].append([0, len(d["text"]) + 50]))
    return "documents.jsonl", 3, "within the text"


def _invalid_date(out: Path) -> tuple[str, int, str]:
    _edit(out / "documents.jsonl", 6, lambda d: d.update(date="2025-13-45"))
    return "documents.jsonl", 6, "is not a date"


def _pair_with_unknown_document(out: Path) -> tuple[str, int, str]:
    _edit(out / "pairs.jsonl", 2, lambda p: p.update(b="no-such-article"))
    return "pairs.jsonl", 2, "'no-such-article' is not in documents.jsonl"


def _family_member_not_in_documents(out: Path) -> tuple[str, int, str]:
    row = _rows(out / "families.jsonl")[0]
    _edit(out / "families.jsonl", 1, lambda f: f.update(_renamed(f, row["members"][-1], "ghost")))
    return "families.jsonl", 1, "member 'ghost' is not in documents.jsonl"


def _document_in_a_family_that_does_not_list_it(out: Path) -> tuple[str, int, str]:
    family = _rows(out / "families.jsonl")[0]["id"]
    lineno = _singleton_line(out)
    _edit(out / "documents.jsonl", lineno, lambda d: d.update(family=family))
    return "documents.jsonl", lineno, "no family lists it"


def _unknown_relation(out: Path) -> tuple[str, int, str]:
    _edit(out / "pairs.jsonl", 1, lambda p: p.update(relation="cousin"))
    return "pairs.jsonl", 1, "unknown relation 'cousin'"


def _unknown_passage_kind(out: Path) -> tuple[str, int, str]:
    lineno = _line_of(out / "pairs.jsonl", lambda p: p["passages"])
    _edit(out / "pairs.jsonl", lineno, lambda p: p["passages"][0].update(kind="copied"))
    return "pairs.jsonl", lineno, "passages[0]: field 'kind': unknown kind 'copied'"


def _passage_outside_text(out: Path) -> tuple[str, int, str]:
    lineno = _line_of(out / "pairs.jsonl", lambda p: p["passages"])
    _edit(out / "pairs.jsonl", lineno, lambda p: p["passages"][0].update(b_end=10 ** 7))
    return "pairs.jsonl", lineno, "passages[0] on side b ends at 10000000"


def _match_beyond_sentences(out: Path) -> tuple[str, int, str]:
    lineno = _line_of(out / "pairs.jsonl", lambda p: p["passages"] and p["passages"][0]["sentences"])
    _edit(out / "pairs.jsonl", lineno, lambda p: p["passages"][0]["sentences"][0].__setitem__("a", 9999))
    return "pairs.jsonl", lineno, "beyond the sentences"


def _match_index_a_string(out: Path) -> tuple[str, int, str]:
    lineno = _line_of(out / "pairs.jsonl", lambda p: p["passages"] and p["passages"][0]["sentences"])
    _edit(out / "pairs.jsonl", lineno, lambda p: p["passages"][0]["sentences"][0].__setitem__("b", "3"))
    return "pairs.jsonl", lineno, "passages[0]: sentences[0]"


def _lead_figures_a_number(out: Path) -> tuple[str, int, str]:
    _edit(out / "pairs.jsonl", 1, lambda p: p["evidence"].update(lead_figures=7))
    return "pairs.jsonl", 1, "evidence: field 'lead_figures'"


def _span_outside_text(out: Path) -> tuple[str, int, str]:
    _edit(out / "families.jsonl", 1, lambda f: f["member_details"][1]["added"].append({"start": 0, "end": 10 ** 6}))
    return "families.jsonl", 1, "member_details[1].added"


def _related_member_unknown(out: Path) -> tuple[str, int, str]:
    _edit(out / "related.jsonl", 1, lambda g: g["members"].append("stranger"))
    return "related.jsonl", 1, "member 'stranger' is not in documents.jsonl"


def _truncated_last_pair(out: Path) -> tuple[str, int, str]:
    data = (out / "pairs.jsonl").read_bytes()
    (out / "pairs.jsonl").write_bytes(data[: len(data) - 300])
    return "pairs.jsonl", data.count(b"\n"), "malformed JSON"


def _truncated_last_document(out: Path) -> tuple[str, int, str]:
    data = (out / "documents.jsonl").read_bytes()
    (out / "documents.jsonl").write_bytes(data[: len(data) - 40])
    return "documents.jsonl", data.count(b"\n"), "malformed JSON"


def _bytes_not_utf8(out: Path) -> tuple[str, int, str]:
    lines = (out / "documents.jsonl").read_bytes().splitlines(keepends=True)
    lines[6] = lines[6].replace(b'"text": "', b'"text": "\xff\xfe', 1)
    (out / "documents.jsonl").write_bytes(b"".join(lines))
    return "documents.jsonl", 7, "not UTF-8"


def _escaped_lone_surrogate(out: Path) -> tuple[str, int, str]:
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    lines[7] = lines[7].replace('"text": "', '"text": "\\ud800', 1)
    (out / "documents.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "documents.jsonl", 8, "lone surrogate"


def _duplicate_document(out: Path) -> tuple[str, int, str]:
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    (out / "documents.jsonl").write_text("\n".join(lines + [lines[0]]) + "\n", encoding="utf-8")
    return "documents.jsonl", len(lines) + 1, "is given twice"


DAMAGES = [_run_json_list, _run_json_counts_list, _stale_run_json, _list_line("documents.jsonl", 3),
           _list_line("families.jsonl", 1), _list_line("pairs.jsonl", 2), _number_line_in_related,
           _list_line_in_skipped, _document_without_id, _family_without_members, _pair_without_scores,
           _text_not_a_string, _title_a_list, _sentence_not_a_pair, _sentence_beyond_text, _invalid_date,
           _pair_with_unknown_document, _family_member_not_in_documents, _document_in_a_family_that_does_not_list_it,
           _unknown_relation, _unknown_passage_kind, _passage_outside_text, _match_beyond_sentences,
           _match_index_a_string, _lead_figures_a_number, _span_outside_text, _related_member_unknown,
           _truncated_last_pair, _truncated_last_document, _bytes_not_utf8, _escaped_lone_surrogate,
           _duplicate_document]


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__.lstrip("_"))
def test_a_damaged_directory_is_one_error_naming_file_and_line(out, damage):
    name, lineno, what = damage(out)
    with pytest.raises(ResultsError) as caught:
        Results.read(out)
    message = str(caught.value)
    assert f"{out / name}:{lineno}: " in message, message
    assert what in message, message
    assert message.endswith("re-run `dedup cluster`"), message


@pytest.mark.parametrize("command", ["summary", "report", "rethreshold", "diff"])
def test_commands_on_a_damaged_directory_exit_with_the_error_not_a_traceback(out, tmp_path, command):
    from dedup.cli import cli

    first = _rows(out / "pairs.jsonl")[0]
    _edit(out / "pairs.jsonl", 2, lambda p: p["passages"][0].update(a_end="end") if p["passages"] else p.pop("a"))
    args = {"summary": ["summary", str(out)], "report": ["report", str(out), "--out", str(tmp_path / "r.html")],
            "rethreshold": ["rethreshold", str(out), "--set", "family_link=0.3", "--out", str(tmp_path / "new")],
            "diff": ["diff", "--results", str(out), first["a"], first["b"]]}[command]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit)
    assert "pairs.jsonl:2:" in result.output and "Traceback" not in result.output


def test_a_checked_directory_decodes_every_pair(out):
    results = Results.read(out)
    assert len(list(results.pairs)) == len(results.pairs) == len(_rows(out / "pairs.jsonl"))


def test_what_core_passages_read_of_a_saved_line_is_what_its_record_gives(sample_results):
    """A run numbers core passages from its spooled lines without decoding whole records: the same pairs,
    relations, aligned sentences and evidence as the records give."""
    from dedup.families import Numbered

    pairs = sample_results.pairs
    numbered = list(pairs.numbered(range(len(pairs))))
    assert numbered == [Numbered.of(p) for p in pairs]
    assert any(n.aligned for n in numbered) and any(n.relation == "related" for n in numbered)


# --- written as one unit -----------------------------------------------------------------------------------------


def _other_run(results: Results, tmp_path: Path) -> Results:
    """Another run: ``results`` with every document and family id renamed, so that every file differs."""
    src = results.write(tmp_path / "other-src")
    ids = [d.id for d in results.documents] + [f.id for f in results.families] + [g.id for g in results.related]
    for name in RESULT_NAMES[:4]:
        rows = _rows(src / name)
        for old in ids:
            rows = _renamed(rows, old, f"{old}-b")
        (src / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return Results.read(src)


def test_a_rerun_replaces_the_results_and_keeps_a_report_in_the_directory(sample_results, out, tmp_path):
    (out / "report.html").write_text("<html>the earlier report</html>", encoding="utf-8")
    (out / "documents.jsonl.tmp").write_text("left by an older dedup", encoding="utf-8")
    new = _other_run(sample_results, tmp_path)
    assert new.write(out) == out
    reference = new.write(tmp_path / "reference")
    assert _files(out) == {**_files(reference), "report.html": b"<html>the earlier report</html>"}
    assert _siblings(out) == ["other-src", "reference"]


def test_a_write_that_fails_midway_leaves_the_old_results_whole(sample_results, out, tmp_path, monkeypatch):
    (out / "report.html").write_text("<html>kept</html>", encoding="utf-8")
    before = _files(out)
    new = _other_run(sample_results, tmp_path)
    real_open = Path.open

    def open_until_related(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode and self.name.startswith("related.jsonl"):  # documents, families and pairs are written
            raise OSError("disk full")
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_until_related)
    with pytest.raises(OSError, match="disk full"):
        new.write(out)
    monkeypatch.undo()
    assert _files(out) == before
    assert Results.read(out).documents == sample_results.documents
    assert _siblings(out) == ["other-src"]


KILLER = """
import os, signal, sys
from pathlib import Path
from dedup import results as module
from dedup.results import Results

source, target, point = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
new = Results.read(source)
if point.startswith("open:"):  # killed when a results file is opened for writing: the ones before it written
    real_open = Path.open
    def open_(self, mode="r", *args, **kwargs):
        if "w" in mode and self.name.startswith(point[5:]):
            os.kill(os.getpid(), signal.SIGKILL)
        return real_open(self, mode, *args, **kwargs)
    Path.open = open_
elif point.startswith("fsync"):  # killed at the n-th fsync: 7 is the new directory's, 8 the parent's after the swap
    n, real = int(point[5:]), os.fsync
    calls = []
    def fsync(fd):
        calls.append(fd)
        if len(calls) == n:
            os.kill(os.getpid(), signal.SIGKILL)
        real(fd)
    os.fsync = fsync
else:  # no atomic swap on this system: killed between its two renames
    module._exchange = lambda a, b: False
    real_rename = Path.rename
    def rename(self, to):
        done = real_rename(self, to)
        if self == target:
            os.kill(os.getpid(), signal.SIGKILL)
        return done
    Path.rename = rename
new.write(target)
"""


@pytest.mark.parametrize("point", ["open:families.jsonl", "open:related.jsonl", "open:run.json", "fsync7", "fsync8",
                                   "between-renames"])
def test_a_kill_leaves_the_old_or_the_new_results_and_the_next_write_cleans_up(sample_results, out, tmp_path,
                                                                            point):
    (out / "report.html").write_text("<html>kept</html>", encoding="utf-8")
    old = _files(out)
    new = _other_run(sample_results, tmp_path)
    source = new.write(tmp_path / "new-src")
    expected_new = {**_files(source), "report.html": b"<html>kept</html>"}
    killed = subprocess.run([sys.executable, "-c", KILLER, str(source), str(out), point], capture_output=True,
                            text=True, timeout=300)
    assert killed.returncode == -9, killed.stderr
    if point == "between-renames":  # the one moment a system without an atomic swap shows no results
        assert not out.exists()
        with pytest.raises(ResultsError, match=r"left the previous results in .*\.res\.old-"):
            Results.read(out)
    else:
        assert _files(out) == (expected_new if point == "fsync8" else old)
        Results.read(out)
    assert any(name.startswith(".res.") for name in _siblings(out))
    new.write(out)  # the previous results set aside are put back first, so the report is carried over
    assert _files(out) == expected_new
    assert not any(name.startswith(".res.") for name in _siblings(out))


def test_without_an_atomic_swap_the_results_are_replaced_by_two_renames(sample_results, out, tmp_path, monkeypatch):
    (out / "report.html").write_text("<html>kept</html>", encoding="utf-8")
    monkeypatch.setattr("dedup.results._exchange", lambda a, b: False)
    new = _other_run(sample_results, tmp_path)
    new.write(out)
    assert Results.read(out).documents == new.documents and (out / "report.html").exists()
    assert _siblings(out) == ["other-src"]


def test_a_folder_that_is_not_a_results_directory_is_not_replaced(sample_results, tmp_path):
    project = tmp_path / "thesis"
    project.mkdir()
    (project / "chapter1.md").write_text("my only copy", encoding="utf-8")
    with pytest.raises(ResultsError, match="not empty and not a dedup results directory") as caught:
        sample_results.write(project)
    assert isinstance(caught.value, OSError)  # what callers handling an unwritable directory catch
    with pytest.raises(ResultsError, match="not empty"):
        check_writable(project)  # the same answer before any work
    assert _files(project) == {"chapter1.md": b"my only copy"} and _siblings(project) == []


def test_a_results_directory_holding_a_folder_is_not_replaced(sample_results, out):
    (out / "notes").mkdir()
    (out / "notes" / "todo.txt").write_text("keep", encoding="utf-8")
    before = _files(out / "notes")
    with pytest.raises(ResultsError, match="holds 'notes', which is not a plain file"):
        sample_results.write(out)
    assert _files(out / "notes") == before and _siblings(out) == []


def test_an_empty_folder_and_a_symlinked_results_directory_are_written(sample_results, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    Results.read(sample_results.write(empty))
    real = sample_results.write(tmp_path / "real")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    sample_results.write(link)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert set(_files(real)) == set(RESULT_NAMES)


def test_a_file_in_the_way_is_an_error(sample_results, tmp_path):
    (tmp_path / "res").write_text("not a folder", encoding="utf-8")
    with pytest.raises(ResultsError, match="is a file"):
        sample_results.write(tmp_path / "res")


def test_the_current_directory_is_not_replaced(sample_results, out, monkeypatch):
    monkeypatch.chdir(out)
    with pytest.raises(ResultsError, match="is the current directory"):
        sample_results.write(".")
    assert os.getcwd() == str(out.resolve())


# --- text that cannot be saved -------------------------------------------------------------------------------


@pytest.mark.parametrize("field,where", [("text", "text"), ("title", "title"), ("meta", "meta.author")])
def test_text_with_a_lone_surrogate_names_the_document_and_leaves_nothing(sample_results, tmp_path, field, where):
    doc = sample_results.documents[4]
    value = {"author": "Ann \ud800"} if field == "meta" else "Moscow \ud800 news"
    bad = dataclasses.replace(sample_results, documents=[*sample_results.documents[:4],
                                                         dataclasses.replace(doc, **{field: value}),
                                                         *sample_results.documents[5:]])
    with pytest.raises(ResultsError) as caught:
        bad.write(tmp_path / "res")
    message = str(caught.value)
    assert f"document {doc.id!r}: {where} holds '\\ud800'" in message and "lone surrogate" in message
    assert isinstance(caught.value, OSError)
    assert list(tmp_path.iterdir()) == []


def test_a_lone_surrogate_over_existing_results_leaves_them_whole(sample_results, out):
    before = _files(out)
    bad = dataclasses.replace(sample_results, documents=[dataclasses.replace(sample_results.documents[0],
                                                                             id="wire\udcff")])
    with pytest.raises(ResultsError, match=r"document 'wire\\udcff': id holds"):
        bad.write(out)
    assert _files(out) == before and _siblings(out) == []


def test_a_pair_with_a_lone_surrogate_names_the_pair():
    pair = PairRecord("a", "b", "rewrite", 0.9, 0.5, 0.9, 0.8, 0.8, 0.8, 0.8, 1.0, 1.0, 3, 3, ("minhash",),
                      [Passage(0, 10, 0, 10, "verbatim", 1.0)], evidence={"shared_names": ["Shoigu", "X\ud83d"]})
    with pytest.raises(ResultsError, match=r"pair 'a' - 'b': evidence.shared_names\[1\] holds"):
        PairRecords([pair])
