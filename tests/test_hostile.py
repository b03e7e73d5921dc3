"""Hostile but fair input on the command line (issue 11): escape sequences and control characters reach no
terminal raw, user strings are never Rich markup, output paths are checked before any work, and a damaged
results directory is one line of error, never a traceback."""
from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil

import pytest
from click.testing import CliRunner
from rich.console import Console

from dedup import Results
from dedup.cli import cli
from dedup.render import print_summary, terminal_json, terminal_safe

from .conftest import CORPUS

RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What a terminal would act on (C0 but newline and tab, DEL, C1, bidi controls)."""
SGR = re.compile(r"\x1b\[[0-9;]*m")
"""Rich's own colour codes: the only escape sequences allowed in coloured output."""

# clear screen, window title, OSC 52 clipboard write, OSC 8 hyperlink, 8-bit CSI, bidi override and isolate
PAYLOAD = ("\x1b[2J \x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x07 \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ "
           "\x9b31m \u202eevil\u2066 \x7f\x08")
SHOWN = ("␛[2J", "␛]0;pwned␇", "␛]52;c;ZXZpbA==␇", "␛]8;;https://evil.example␛\\click␛]8;;␛\\", "\\x9b31m",
         "\\u202eevil\\u2066", "␡␈")
LINK = "[link=https://evil.example]click me[/link]"
WIRE = "wire\x1b]0;id\x07"
WIDE = {"COLUMNS": "250"}


def raw_controls(output: str) -> list[str]:
    """Control characters in ``output`` a terminal would act on, Rich's colour codes aside."""
    return RAW.findall(SGR.sub("", output))


def words(text: str) -> str:
    return " ".join(text.split())


def invoke(*args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple:
    """Three copies of a sample article with escape sequences and markup in ids, titles and text, in a folder
    whose name is markup, clustered with a broken line skipped: (results dir, cluster output)."""
    base = json.loads((CORPUS / "sample.jsonl").read_text(encoding="utf-8").splitlines()[0])["text"]
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "in[/x]"
    folder.mkdir(parents=True)
    rows = [{"id": WIRE, "title": "Strike\x1b]0;pwned\x07 ends", "text": PAYLOAD + " " + base},
            {"id": LINK, "title": "[/x] \x9b title", "text": base + " " + PAYLOAD},
            {"id": "b[/x]", "title": "\x1b[2J [bold]title[/bold]", "text": base}]
    src = folder / "in.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n", encoding="utf-8")
    out = root / "res"
    result = invoke("cluster", str(src), "--out", str(out), "-q", "--model", "hash", "--skip-invalid", env=WIDE)
    assert result.exit_code == 0, result.output
    return out, result.output


# --- 3. terminal injection ----------------------------------------------------------------------------------


def test_terminal_safe_makes_every_control_visible_and_leaves_text_alone():
    assert terminal_safe(PAYLOAD) == " ".join(SHOWN)
    assert terminal_safe("Ünïcode, tabs\tand\nnewlines [b]stay[/b]") == "Ünïcode, tabs\tand\nnewlines [b]stay[/b]"
    assert terminal_safe("\x00\r\x1b\ud800") == "␀␍␛\\ud800"
    assert not RAW.findall(terminal_json({"t": PAYLOAD})) and json.loads(terminal_json({"t": PAYLOAD})) == {
        "t": PAYLOAD}


def test_cluster_summary_shows_escape_sequences_in_titles_and_ids_visibly(hostile):
    out, printed = hostile
    assert raw_controls(printed) == [] and "F0001" in printed
    assert any(shown in printed for shown in ("␛]0;pwned␇", "\\x9b", "␛[2J"))  # the origin's title, made visible
    for env in (WIDE, {**WIDE, "FORCE_COLOR": "1"}):  # piped, and as on a colour terminal
        result = invoke("summary", str(out), env=env)
        assert result.exit_code == 0 and raw_controls(result.output) == [], result.output


@pytest.mark.parametrize("env", [WIDE, {**WIDE, "FORCE_COLOR": "1"}], ids=["piped", "terminal"])
def test_diff_shows_escape_sequences_in_text_titles_and_ids_visibly(hostile, env):
    out, _ = hostile
    result = invoke("diff", "--results", str(out), WIRE, LINK, env=env)
    assert result.exit_code == 0, result.output
    assert raw_controls(result.output) == []
    plain = SGR.sub("", result.output)
    for shown in (*SHOWN, "wire␛]0;id␇", "Strike␛]0;pwned␇ ends", "[/x] \\x9b title"):
        assert shown in plain, shown


def test_diff_marks_changed_words_at_their_offsets_after_escaping(tmp_path):
    (tmp_path / "a.txt").write_text("\x9b\u202e\x1b[2J The port authority said 4,200 dockworkers walked off the job "
                                    "at 6 a.m. on Monday, union leaders said.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The port authority said 4,300 dockworkers walked off the job at 6 a.m. on "
                                    "Tuesday, union leaders said.\n", encoding="utf-8")
    args = ("diff", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--model", "hash")
    result = invoke(*args, env=WIDE)
    assert result.exit_code == 0, result.output
    assert raw_controls(result.output) == []
    for marked in ("\\x9b\\u202e␛[[-2J-] The port authority said 4,[-200-] dockworkers", "on [-Monday-],",
                   "4,{+300+} dockworkers", "on {+Tuesday+},"):
        assert marked in result.output, marked
    data = invoke(*args, "--format", "json")
    assert raw_controls(data.output) == []  # json.dumps leaves DEL, C1 and bidi controls raw
    assert json.loads(data.output)["rows"][0]["a"]["text"].startswith("\x9b\u202e\x1b[2J The port")


def test_error_and_skipped_lines_quote_paths_visibly(tmp_path):
    missing = tmp_path / "gone\x1b]0;pwned\x07.jsonl"
    result = invoke("cluster", str(missing), "--out", str(tmp_path / "r"), "-q", "--model", "hash")
    assert result.exit_code == 1 and "gone␛]0;pwned␇.jsonl" in result.output and raw_controls(result.output) == []
    src = tmp_path / "in\x1b[2J.jsonl"
    src.write_text('{"id": "a", "text": "Fine text here."}\n{broken\n', encoding="utf-8")
    result = invoke("cluster", str(src), "--out", str(tmp_path / "r"), "-q", "--model", "hash", "--skip-invalid")
    assert result.exit_code == 0 and "skipped " in result.output and "in␛[2J.jsonl:2" in result.output
    assert raw_controls(result.output) == []


# --- 4. Rich markup injection -------------------------------------------------------------------------------


def test_markup_in_ids_titles_and_paths_prints_literally(hostile):
    out, printed = hostile
    assert "in[/x]/in.jsonl:4" in printed  # the skipped line, under --skip-invalid
    result = invoke("diff", "--results", str(out), "b[/x]", LINK, env=WIDE)
    assert result.exit_code == 0, result.output
    for literal in (LINK, "b[/x]", "[/x] \\x9b title", "␛[2J [bold]title[/bold]"):
        assert literal in result.output, literal
    missing = invoke("diff", "--results", str(out), LINK, "[/x]")
    assert missing.exit_code == 1 and "no document '[/x]'" in missing.output


def test_summary_prints_saved_strings_and_counts_as_given_never_as_markup(hostile):
    results = Results.read(hostile[0])
    origin = results.families[0].origin
    title = "C:\\news\\ [link=https://evil.example]click me[/link] \\"
    results.documents = [dataclasses.replace(d, title=title) if d.id == origin else d for d in results.documents]
    results.run["counts"] = {**results.run["counts"], "documents": "[/x]", "singletons": "[red]9"}
    for colour in (None, "truecolor"):
        out = io.StringIO()
        print_summary(results, Console(file=out, width=250, force_terminal=colour is not None, color_system=colour))
        printed = SGR.sub("", out.getvalue())
        assert title in printed and "C:\\news\\\\" not in printed  # not markup, no backslash doubled
        assert "[/x] documents" in printed and "[red]9 singletons" in printed


# --- 8. paths checked before any work -----------------------------------------------------------------------


@pytest.fixture
def no_work(monkeypatch):
    """Fail the test if the pipeline is built: a refused path must stop the command before any work."""
    def boom(*args, **kwargs):
        raise AssertionError("work started before the output paths were checked")

    monkeypatch.setattr("dedup.cli.Dedup", boom)
    monkeypatch.setattr("dedup.cli.load_documents", boom)


def _snapshot(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_out_that_is_a_file_fails_before_any_work(tmp_path, no_work):
    src = tmp_path / "in.jsonl"
    shutil.copy(CORPUS / "sample.jsonl", src)
    before = src.read_bytes()
    for out, said in ((src, "is a file, not a results directory"), (src / "res", "is a file, so no results")):
        result = invoke("cluster", str(src), "--out", str(out), "-q", "--model", "hash")
        assert result.exit_code == 2 and said in words(result.output), result.output
    result = invoke("rethreshold", str(tmp_path), "--set", "family_link=0.3", "--out", str(src))
    assert result.exit_code == 2 and "is a file, not a results directory" in words(result.output)
    assert src.read_bytes() == before


def test_report_never_overwrites_an_input_file(tmp_path, no_work):
    src = tmp_path / "in.jsonl"
    shutil.copy(CORPUS / "sample.jsonl", src)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("A short article about the port strike.", encoding="utf-8")
    for inputs, report in (([src], src), ([src], tmp_path / "." / "in.jsonl"), ([folder], folder / "one.txt")):
        result = invoke("cluster", *map(str, inputs), "--out", str(tmp_path / "res"), "-q", "--model", "hash",
                        "--report", str(report))
        assert result.exit_code == 2 and "is an input file; the report would overwrite it" in words(result.output)
    assert src.read_bytes() == (CORPUS / "sample.jsonl").read_bytes()
    assert (folder / "one.txt").read_text(encoding="utf-8") == "A short article about the port strike."
    assert not (tmp_path / "res").exists()


def test_report_never_overwrites_a_results_file(tmp_path, hostile, no_work):
    res = tmp_path / "res"
    shutil.copytree(hostile[0], res)
    before = _snapshot(res)
    src = tmp_path / "in.jsonl"
    shutil.copy(CORPUS / "sample.jsonl", src)
    for name in ("documents.jsonl", "pairs.jsonl", "run.json", "skipped.jsonl"):
        result = invoke("cluster", str(src), "--out", str(res), "-q", "--model", "hash",
                        "--report", str(res / name))
        assert result.exit_code == 2 and "is a results file" in words(result.output), result.output
        result = invoke("report", str(res), "--out", str(res / name))
        assert result.exit_code == 2 and "is a results file" in words(result.output), result.output
    result = invoke("cluster", str(src), "--out", str(tmp_path / "new"), "-q", "--report",
                    str(tmp_path / "new" / "families.jsonl"))
    assert result.exit_code == 2 and "is a results file" in words(result.output)
    result = invoke("cluster", str(res / "documents.jsonl"), "--out", str(res), "-q")
    assert result.exit_code == 2 and "would overwrite the input file" in words(result.output)
    result = invoke("report", str(res), "--out", str(res))
    assert result.exit_code == 2 and "is the results directory" in words(result.output)
    assert _snapshot(res) == before


# --- 6. a damaged results directory is one line of error ----------------------------------------------------


def _edit_first_line(res, file: str, edit) -> str:
    lines = (res / file).read_text(encoding="utf-8").splitlines()
    lines[0] = edit(lines[0])
    (res / file).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return file


def _run_json_list(res) -> str:
    (res / "run.json").write_text("[]\n", encoding="utf-8")
    return "run.json"


def _without_id(line: str) -> str:
    row = json.loads(line)
    del row["id"]
    return json.dumps(row)


def _documents_folder(res) -> str:
    (res / "documents.jsonl").unlink()
    (res / "documents.jsonl").mkdir()
    return "documents.jsonl"


DAMAGE = {  # how the results directory is damaged -> the file the error must name
    "run.json is []": _run_json_list,
    "documents.jsonl line []": lambda res: _edit_first_line(res, "documents.jsonl", lambda _: "[]"),
    "document without id": lambda res: _edit_first_line(res, "documents.jsonl", _without_id),
    "invalid date": lambda res: _edit_first_line(
        res, "documents.jsonl", lambda line: json.dumps({**json.loads(line), "date": "2024-13-45"})),
    "truncated pairs line": lambda res: _edit_first_line(res, "pairs.jsonl", lambda line: line[:60]),
    "documents.jsonl is a folder": _documents_folder,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_results_are_one_line_of_error_in_every_command(tmp_path, hostile, damage):
    res = tmp_path / "res"
    shutil.copytree(hostile[0], res)
    file = DAMAGE[damage](res)
    for args in (["summary", str(res)], ["report", str(res), "--out", str(tmp_path / "r.html")],
                 ["rethreshold", str(res), "--set", "family_link=0.3", "--out", str(tmp_path / "again")],
                 ["diff", "--results", str(res), WIRE, LINK]):
        result = invoke(*args)  # no traceback, whatever the damage
        if result.exit_code:
            lines = result.output.strip().splitlines()
            assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("error: "), (args, lines)
            assert file in lines[0] and raw_controls(lines[0]) == [], (args, lines)
    assert invoke("report", str(res)).exit_code == 1  # the report reads every file: the damage is found
