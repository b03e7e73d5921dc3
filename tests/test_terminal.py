"""What the terminal shows on real data (issue 12): the diff of the seeds and tass-dev pairs, and the summary
table piped at 80 columns, where ids must stay whole so they can be pasted into `dedup diff --results`."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from dedup import Dedup, Results, load_documents
from dedup.cli import cli
from dedup.records import RELATED
from dedup.render import pair_diff

from .conftest import CORPUS
from .test_render import _assert_each_sentence_in_one_row

NARROW = {"COLUMNS": "80"}
WIDE = {"COLUMNS": "200"}


@pytest.fixture(scope="module")
def seeds_dir(shared_data, use_encoder, tmp_path_factory):
    docs, skipped = load_documents([shared_data / "seeds"])
    return Dedup(encoder=use_encoder).cluster(docs, skipped).write(tmp_path_factory.mktemp("seeds"))


@pytest.fixture(scope="module")
def tass_dir(shared_data, use_encoder, tmp_path_factory):
    docs, skipped = load_documents([shared_data / "tass-dev.jsonl"])
    return Dedup(encoder=use_encoder).cluster(docs, skipped).write(tmp_path_factory.mktemp("tass"))


@pytest.fixture(scope="module")
def sample_dir(sample_results, tmp_path_factory):
    return sample_results.write(tmp_path_factory.mktemp("sample"))


def _invoke(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


# --- diff ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", ["seeds_dir", "tass_dir"])
def test_every_sentence_of_every_pair_is_shown_once_and_added_on_one_side_only(data, request):
    results = Results.read(request.getfixturevalue(data))
    docs = {d.id: d for d in results.documents}
    grouped = 0
    for pair in results.pairs:
        diff = pair_diff(pair, docs[pair.a], docs[pair.b])
        _assert_each_sentence_in_one_row(diff)
        grouped += sum(1 for r in diff.rows if len(r.scores) > 1)
    assert grouped, "no one-to-many alignment in the data: the test would not see the case it is for"


def test_seed_diff_prints_a_sentence_with_three_counterparts_once(seeds_dir):
    """Seeds 000/001: sentence 12 of 000 ("On June 17, Shoigu arrived in Pyongyang") is matched to three
    sentences of 001 in two passages; it used to be printed in two rows and 001's sentences in three."""
    results = Results.read(seeds_dir)
    pair = results.pair("000", "001")
    counterparts = {m.b for p in pair.passages for m in p.matches if m.a == 12}
    assert len(counterparts) >= 2, "the seeds no longer align 000's sentence 12 one-to-many"
    out = _invoke("diff", "--results", str(seeds_dir), "000", "001", env=WIDE)
    assert out.count("On June 17, Shoigu") == 1
    assert out.count("This development follows a meeting") == 1
    assert out.count("Earlier this month, Shoigu had a meeting") == 1


def test_header_says_how_sure_in_the_words_of_the_evidence_never_strength(seeds_dir):
    results = Results.read(seeds_dir)
    assert {p.relation for p in results.pairs} >= {RELATED, "rewrite"}
    for pair in results.pairs:
        for width in (NARROW, WIDE):
            out = _invoke("diff", "--results", str(seeds_dir), pair.a, pair.b, env=width)
            header = " ".join(out.split()[:12])
            summary_sure = re.search(r"\d+% sure of one source", pair.evidence["summary"]).group()
            assert "strength" not in out.split("\ntitle ")[0] and not re.search(r"strength \d", out)
            if pair.relation == RELATED:  # the relation, then why a low percent is no contradiction
                assert header.startswith(f"related not linked · {summary_sure} · "), header
                assert pair.evidence["summary"].startswith("related, not linked: " + summary_sure)
            else:
                assert header.startswith(f"{pair.relation} {summary_sure} · "), header
                assert "not linked" not in header


# --- summary table ---------------------------------------------------------------------------------------


def _table_rows(out: str, results: Results) -> dict[str, list[str]]:
    """The printed lines of each family row of the summary table, by family id."""
    lines = out.splitlines()
    starts = [(k, line.split()[0]) for k, line in enumerate(lines) if line.split() and
              line.split()[0] in {f.id for f in results.families}]
    assert starts, "no line of the table starts with a family id"
    caption = next(k for k, line in enumerate(lines) if k > starts[-1][0] and " documents, " in line)
    ends = [k for k, _ in starts[1:]] + [caption]
    return {fam: lines[k:end] for (k, fam), end in zip(starts, ends, strict=True)}


@pytest.mark.parametrize("data", ["sample_dir", "tass_dir"])
def test_summary_piped_at_80_columns_prints_whole_ids_in_at_most_two_lines_a_family(data, request):
    path = request.getfixturevalue(data)
    results = Results.read(path)
    out = _invoke("summary", str(path), env=NARROW)
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    shown = results.families[:10]
    for fam in shown:  # whole, on one line: a handle to paste
        assert any(fam.id in line and fam.origin in line for line in out.splitlines()), (fam.id, fam.origin)
    rows = _table_rows(out, results)
    assert list(rows) == [f.id for f in shown]
    for fam in shown:
        lines = rows[fam.id]
        assert len(lines) <= 2, lines  # ids on the first line; the title, cut, on a second one if need be
        assert lines[0].split()[:3] == [fam.id, str(fam.size), fam.origin], lines  # whole, pasteable
        pasted = lines[0].split()[2]  # what a user copies from the table into `dedup diff`
        partner = next(p.b if p.a == pasted else p.a for p in results.pairs if pasted in (p.a, p.b))
        _invoke("diff", "--results", str(path), pasted, partner)


def test_summary_with_short_ids_is_one_line_a_family_at_80_and_richer_when_wide(sample_dir):
    results = Results.read(sample_dir)
    narrow = _invoke("summary", str(sample_dir), env=NARROW)
    assert all(len(lines) == 1 for lines in _table_rows(narrow, results).values())
    wide = _invoke("summary", str(sample_dir), env=WIDE)
    header = next(line for line in wide.splitlines() if line.startswith("family"))
    assert header.split()[:5] == ["family", "size", "origin", "agencies", "rule"]
    for fam in results.families:
        line = _table_rows(wide, results)[fam.id][0]
        assert fam.origin_rule in line and results.document(fam.origin).title[:40] in line
    assert "rule" not in next(line for line in narrow.splitlines() if line.startswith("family")).split()


def test_cluster_ends_with_the_same_readable_table_at_80_columns(tmp_path):
    out = _invoke("cluster", str(CORPUS / "sample.jsonl"), "--out", str(tmp_path / "res"), "--model", "hash",
                  env=NARROW)
    results = Results.read(tmp_path / "res")
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    rows = _table_rows(out, results)
    assert rows and all(len(lines) == 1 and fam in lines[0] for fam, lines in rows.items())
    for fam in results.families[:10]:
        assert f" {fam.origin} " in rows[fam.id][0]
