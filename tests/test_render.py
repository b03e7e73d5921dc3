"""`dedup diff`: the shared diff model, the terminal rendering and the command, as a user runs them."""
from __future__ import annotations

import dataclasses
import io
import json
import re

import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from rich.console import Console

from dedup import Dedup, load_documents
from dedup.cli import cli
from dedup.records import LINKS, Match, Passage
from dedup.render import ADDED, DiffError, pair_diff, print_diff, print_summary, results_diff, word_changes
from dedup.text import split_sentences


@pytest.fixture(scope="module")
def results_dir(sample_results, tmp_path_factory):
    """The sample results as a directory on disk, for the command line."""
    return sample_results.write(tmp_path_factory.mktemp("render-results"))


def _docs(results):
    return {d.id: d for d in results.documents}


def _words(text: str) -> str:
    """Text with every run of whitespace as one space: wrapped output compares with the sentence it wraps."""
    return " ".join(text.split())


def _unlinked(results) -> tuple[str, str]:
    ids = [d.id for d in results.documents]
    return next((a, b) for a in ids for b in ids if a < b and results.pair(a, b) is None)


def _rows_of_sentences(diff, side: str) -> dict[int, list[int]]:
    """For each sentence index of one side, the rows (indices) whose shown ranges hold any of it."""
    doc = diff.doc_a if side == "a" else diff.doc_b
    return {i: [k for k, r in enumerate(diff.rows) if any(x < e and s < y for x, y in getattr(r, side).spans)]
            for i, (s, e) in enumerate(doc.sentences)}


def _assert_each_sentence_in_one_row(diff) -> None:
    """Each sentence of each side in exactly one row, whole; added rows one-sided; no matched sentence added."""
    for side in ("a", "b"):
        doc = diff.doc_a if side == "a" else diff.doc_b
        matched = {getattr(m, side) for p in diff.pair.passages for m in p.matches}
        for i, rows in _rows_of_sentences(diff, side).items():
            s, e = doc.sentences[i]
            where = (diff.pair.a, diff.pair.b, side, i, doc.text[s:e][:60])
            assert len(rows) == 1, (*where, [diff.rows[k].kind for k in rows])
            assert any(x <= s and e <= y for x, y in getattr(diff.rows[rows[0]], side).spans), where
            if i in matched:
                assert diff.rows[rows[0]].kind != ADDED, where
    for r in diff.rows:
        if r.kind == ADDED:
            assert bool(r.a.spans) != bool(r.b.spans), "an added row holds sentences of both sides"
        else:
            assert r.a.spans and r.b.spans


def test_every_sentence_is_in_one_row_and_every_passage_is_shown(sample_results):
    docs = _docs(sample_results)
    for pair in sample_results.pairs:
        diff = pair_diff(pair, docs[pair.a], docs[pair.b])
        _assert_each_sentence_in_one_row(diff)
        aligned = [r for r in diff.rows if r.kind != ADDED]
        assert 0 < len(aligned) <= len(pair.passages) == sum(len(r.scores) for r in aligned)
        for side, start, end in (("a", "a_start", "a_end"), ("b", "b_start", "b_end")):
            for r in diff.rows:
                if r.kind == ADDED:  # added text lies outside every passage
                    for x, y in getattr(r, side).spans:
                        assert not any(getattr(p, start) < y and x < getattr(p, end) for p in pair.passages)


def test_one_to_many_alignment_shows_each_sentence_once_beside_all_its_counterparts(sample_results):
    """A sentence of a matched to two sentences of b in two passages, and ranges that overlap: the aligner's
    one-to-many output. Each sentence is printed once; the many are grouped beside the one."""
    a_text = ("Officials said 4,200 dockworkers walked out on Monday. Analysts expect a long dispute. "
              "The union wants a 14 percent raise.")
    b_text = ("About 4,200 dock workers went on strike on Monday, officials said. Shops near the port were quiet. "
              "The walkout by 4,200 dockworkers began Monday. Union leaders demand a 14 percent raise.")
    sentences_a = [(s.start, s.end) for s in split_sentences(a_text)]
    sentences_b = [(s.start, s.end) for s in split_sentences(b_text)]
    assert sentences_b[2] == (99, 145) and b_text[99:145] == "The walkout by 4,200 dockworkers began Monday."
    docs = _docs(sample_results)
    template = sample_results.pairs[0]
    doc_a = dataclasses.replace(docs[template.a], text=a_text, sentences=sentences_a)
    doc_b = dataclasses.replace(docs[template.b], text=b_text, sentences=sentences_b)
    passages = [
        Passage(0, 54, 0, 66, "paraphrase", 0.8, [Match(0, 0, 0.8, 0.8, 0.5)]),
        Passage(0, 54, 99, 145, "paraphrase", 0.7, [Match(0, 2, 0.7, 0.7, 0.4)]),  # a0 again
        Passage(87, 122, 99, 186, "near-verbatim", 0.9, [Match(2, 3, 0.9, 0.9, 0.9)]),  # b2 inside its range
    ]
    pair = dataclasses.replace(template, passages=passages, relation="rewrite")
    diff = pair_diff(pair, doc_a, doc_b)
    _assert_each_sentence_in_one_row(diff)
    texts = [(r.kind, r.a.text(a_text), r.b.text(b_text)) for r in diff.rows]
    assert texts[0] == ("paraphrase", a_text[0:54], b_text[0:66] + "\n" + b_text[99:145])
    assert diff.rows[0].scores == [0.8, 0.7] and diff.rows[0].score == 0.7
    assert texts[1] == (ADDED, "Analysts expect a long dispute.", "")
    assert texts[2] == (ADDED, "", "Shops near the port were quiet.")
    assert texts[3] == ("near-verbatim", "The union wants a 14 percent raise.",
                        "Union leaders demand a 14 percent raise.")
    assert [a_text[s:e] for s, e in diff.rows[3].a.changed] == ["The union wants"]
    out = io.StringIO()
    print_diff(diff, Console(file=out, width=120, color_system=None))
    printed = out.getvalue()
    for word in ("walkout", "Officials", "Shops", "Analysts"):  # one sentence each, printed once
        assert printed.count(word) == 1, word
    assert "2 passages" in printed


def test_diff_is_oriented_by_the_requested_order(sample_results):
    docs = _docs(sample_results)
    pair = sample_results.pairs[0]
    pair = dataclasses.replace(pair, evidence={**pair.evidence, "lead_figures": [["622"], ["812", "9.25"]]})
    flipped = pair_diff(pair, docs[pair.b], docs[pair.a])
    assert flipped.pair.a == pair.b and flipped.pair.b == pair.a and flipped.doc_a.id == pair.b
    for name in ("coverage", "support", "lead", "matched"):
        assert getattr(flipped.pair, f"{name}_a") == getattr(pair, f"{name}_b")
        assert getattr(flipped.pair, f"{name}_b") == getattr(pair, f"{name}_a")
    assert flipped.pair.evidence["lead_figures"] == [["812", "9.25"], ["622"]]
    assert flipped.pair.evidence["summary"] == pair.evidence["summary"]
    straight = pair_diff(pair, docs[pair.a], docs[pair.b])
    assert sorted((r.a.spans, r.b.spans) for r in flipped.rows if r.kind != ADDED) == \
        sorted((r.b.spans, r.a.spans) for r in straight.rows if r.kind != ADDED)


def test_word_changes_mark_only_the_words_that_differ():
    a = "The bank raised its key rate by 75 basis points on Wednesday, officials said."
    b = "The Bank hiked its key rate by 75 basis points on Tuesday, officials said."
    changed_a, changed_b = word_changes(a, (0, len(a)), b, (0, len(b)))
    assert [a[s:e] for s, e in changed_a] == ["raised", "Wednesday"]
    assert [b[s:e] for s, e in changed_b] == ["hiked", "Tuesday"]


def test_near_verbatim_rows_carry_word_changes(sample_results):
    diff = results_diff(sample_results, "rate-wire", "rate-digest")
    near = [r for r in diff.rows if r.kind == "near-verbatim"]
    assert near and any(r.a.changed for r in near)
    changed = [diff.doc_a.text[s:e] for r in near for s, e in r.a.changed]
    assert "Feb 21" in changed


def test_results_diff_errors_name_the_problem(sample_results):
    with pytest.raises(DiffError, match="no document 'nope'"):
        results_diff(sample_results, "nope", "rate-wire")
    a, b = _unlinked(sample_results)
    with pytest.raises(DiffError, match="no linked pair"):
        results_diff(sample_results, a, b)


def test_terminal_diff_in_colour_highlights_kinds_and_changed_words(sample_results):
    out = io.StringIO()
    console = Console(file=out, width=140, force_terminal=True, color_system="truecolor")
    print_diff(results_diff(sample_results, "rate-wire", "rate-digest"), console)
    text = out.getvalue()
    assert "\x1b[" in text and "\x1b[1;7" in text  # bold reverse: a changed word
    assert "[-" not in text


def test_narrow_terminal_wraps_every_line_and_keeps_the_words(sample_results):
    diff = results_diff(sample_results, "dam-wire", "dam-voices")
    out = io.StringIO()
    print_diff(diff, Console(file=out, width=44, color_system=None))
    lines = out.getvalue().splitlines()
    assert lines and max(cell_len(line) for line in lines) <= 44
    words = _words(out.getvalue())
    for phrase in ("Anger", "spilled", "HydroVald", "onerror=alert(1)>", "near-verbatim", "+ added",
                   _words(diff.pair.evidence["summary"])):
        assert phrase in words
    related = next(p for p in sample_results.pairs if p.relation == "related" and p.evidence.get("overruled"))
    out = io.StringIO()
    print_diff(results_diff(sample_results, related.a, related.b), Console(file=out, width=44, color_system=None))
    assert max(cell_len(line) for line in out.getvalue().splitlines()) <= 44
    assert f"why related {related.evidence['overruled']}" in _words(out.getvalue())


def test_diff_command_from_results_is_plain_when_piped(results_dir, sample_results):
    result = CliRunner().invoke(cli, ["diff", "--results", str(results_dir), "dam-wire", "dam-voices"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "\x1b[" not in out
    pair = sample_results.pair("dam-wire", "dam-voices")
    for expected in (pair.relation, "coverage", "agencies", "Reuters", "2024-03-04", "2024-03-07",
                     "dam-wire", "dam-voices", "+ added", '<script>alert("x")</script>'):
        assert expected in out
    assert f"{pair.coverage_a:.0%}" in out and f"{pair.coverage_b:.0%}" in out


def test_diff_header_says_how_sure_a_link_is_and_which_facts_the_two_share(results_dir, sample_results):
    pair = sample_results.pair("port-nna", "port-farm")
    evidence = pair.evidence
    assert pair.relation in LINKS and evidence["shared_numbers"] and evidence["shared_names"]
    result = CliRunner().invoke(cli, ["diff", "--results", str(results_dir), "port-nna", "port-farm"])
    assert result.exit_code == 0, result.output
    out, words = result.output, _words(result.output)
    assert "\x1b[" not in out
    assert f"{pair.relation}   {pair.confidence:.0%} sure of one source" in out
    assert _words(evidence["summary"]) in words
    for fact in evidence["shared_numbers"][:2] + evidence["shared_names"][:2]:
        assert fact in evidence["summary"]
    assert "why related" not in out and "lead figures" not in out


def test_diff_header_says_why_a_related_pair_is_not_one_report(results_dir, sample_results):
    related = [p for p in sample_results.pairs if p.relation == "related"]
    assert any(p.evidence.get("overruled") for p in related), "no related pair of the sample was a link overruled"
    assert any(p.evidence["lead_figures"] for p in related), "no related pair of the sample has differing leads"
    for pair in related:
        evidence = pair.evidence
        result = CliRunner().invoke(cli, ["diff", "--results", str(results_dir), pair.b, pair.a])
        assert result.exit_code == 0, result.output
        out, words = result.output, _words(result.output)
        assert f"related   not linked · {pair.confidence:.0%} sure of one source" in out
        assert _words(evidence["summary"]) in words
        if evidence.get("overruled"):
            assert f"why related {evidence['overruled']}" in words
        if evidence["against"]:
            assert f"against {'; '.join(evidence['against'])}" in words
        if evidence["lead_figures"]:  # shown on the side that reports them: b on the left here
            line = _words(next(x for x in out.splitlines() if x.startswith("lead figures")))
            mine, theirs = (", ".join(side) for side in evidence["lead_figures"])
            assert line == f"lead figures {theirs} {mine}", line


def test_evidence_from_records_is_text_never_markup(sample_results):
    docs = _docs(sample_results)
    pair = sample_results.pair("port-nna", "port-farm")
    pair = dataclasses.replace(pair, relation="related", evidence={
        **pair.evidence, "summary": "[bold red]not markup[/] said [link=x]", "overruled": "[/]",
        "against": ["[/bold]"], "lead_figures": [["[b]1"], ["2[/b]"]]})
    diff = pair_diff(pair, docs["port-nna"], docs["port-farm"])
    for color in ("truecolor", None):
        out = io.StringIO()
        print_diff(diff, Console(file=out, width=120, force_terminal=color is not None, color_system=color))
        words = _words(re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue()))
        for literal in ("[bold red]not markup[/] said [link=x]", "why related [/]", "against [/bold]", "[b]1",
                        "2[/b]"):
            assert literal in words, (color, literal)


def test_diff_command_json_for_machines(results_dir, sample_results):
    result = CliRunner().invoke(cli, ["diff", "--results", str(results_dir), "rate-digest", "rate-wire",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    docs = _docs(sample_results)
    assert data["a"]["id"] == "rate-digest" and data["b"]["id"] == "rate-wire"
    pair = sample_results.pair("rate-wire", "rate-digest")
    assert data["relation"] == pair.relation
    assert data["confidence"] == pair.confidence and "strength" not in data
    assert data["evidence"]["summary"] == pair.evidence["summary"]
    assert data["evidence"]["shared_numbers"] == pair.evidence["shared_numbers"]
    assert {r["kind"] for r in data["rows"]} <= {"verbatim", "near-verbatim", "paraphrase", "added"}
    for row in data["rows"]:
        for side in ("a", "b"):
            text = docs[data[side]["id"]].text
            assert row[side]["text"] == "\n".join(text[s:e] for s, e in row[side]["spans"])


def test_diff_command_errors_exit_1_without_traceback(results_dir, sample_results, tmp_path):
    a, b = _unlinked(sample_results)
    csv = tmp_path / "a.csv"
    csv.write_text("id,text\n1,hello\n", encoding="utf-8")
    missing = str(tmp_path / "none.txt")
    for args, message in (
        (["--results", str(results_dir), a, b], "no linked pair"),
        (["--results", str(results_dir), "rate-wire", "missing-id"], "no document 'missing-id'"),
        (["--results", str(tmp_path / "nowhere"), "x", "y"], "not a results directory"),
        ([str(csv), str(csv), "--model", "hash"], ".txt/.md"),
        ([missing, missing, "--model", "hash"], "no such file"),
    ):
        result = CliRunner().invoke(cli, ["diff", *args])
        assert result.exit_code == 1 and message in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_diff_command_aligns_two_files_on_the_fly(tmp_path):
    shared = ("The port authority said 4,200 dockworkers walked off the job at 6 a.m. on Monday. "
              "Union chairwoman Ilse Varga demanded a 14 percent wage increase over two years. ")
    (tmp_path / "one.txt").write_text(shared + "Analysts expect a long dispute over the coming weeks.", encoding="utf-8")
    (tmp_path / "two.md").write_text(shared + "Local shops reported fewer customers near the harbour.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(tmp_path / "one.txt"), str(tmp_path / "two.md"),
                                      "--model", "hash", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["a"]["id"] == "one" and data["b"]["id"] == "two"
    assert 0 < data["scores"]["minhash_jaccard"] < 1  # computed for the two texts: two of three sentences shared
    assert 0 <= data["confidence"] <= 1 and data["relation"] in data["evidence"]["summary"]
    assert data["rows"][0]["kind"] == "verbatim" and "4,200 dockworkers" in data["rows"][0]["a"]["text"]
    added_a, added_b = data["rows"][-2:]  # each side's additions in a row of its own
    assert added_a["kind"] == added_b["kind"] == "added"
    assert "Analysts" in added_a["a"]["text"] and added_a["b"]["text"] == ""
    assert "Local shops" in added_b["b"]["text"] and added_b["a"]["text"] == ""


def test_seed_diff_shows_shared_shoigu_material_and_each_side_additions(shared_data, use_encoder):
    (a, b), _ = load_documents([shared_data / "seeds" / "000.txt", shared_data / "seeds" / "001.txt"])
    diff = pair_diff(*Dedup(encoder=use_encoder).compare(a, b))
    assert diff.doc_a.id == "000" and diff.doc_b.id == "001"
    ta, tb = diff.doc_a.text, diff.doc_b.text
    aligned = [(r.a.text(ta), r.b.text(tb)) for r in diff.rows if r.kind != ADDED]
    assert any("1,000 engineers" in a and "1,000 demining troops" in b for a, b in aligned)
    assert any("arrived in Pyongyang for a high-level meeting" in a and "meeting in Pyongyang" in b for a, b in aligned)
    assert any("According to TASS" in a for a, _ in aligned)
    added_a = " ".join(r.a.text(ta) for r in diff.rows if r.kind == ADDED)
    added_b = " ".join(r.b.text(tb) for r in diff.rows if r.kind == ADDED)
    assert "Analysts suggest" in added_a and "Political commentator Andrei Pinchuk" in added_a
    assert "AFP contributed to this report." in added_b and "memorial complex" in added_b
    assert "AFP contributed" not in " ".join(b for _, b in aligned)
    assert diff.pair.relation in {"rewrite", "related"} and "AFP" in diff.doc_b.agencies
    assert "TASS" in diff.doc_a.agencies


def test_an_untitled_origin_is_named_by_its_first_sentence_in_the_summary():
    from dedup import Dedup, Document

    text = "Police said 5 people died in Kazan on Monday. More details were not given."
    results = Dedup(model="hash").cluster([Document(id="a", text=text), Document(id="b", text=text)])
    out = io.StringIO()
    print_summary(results, Console(file=out, width=200, color_system=None))
    assert "Police said 5 people died in Kazan on Monday." in out.getvalue()
