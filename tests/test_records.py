"""The results contract (issue 10): typed records round-trip through JSON, a pair seen from its other side swaps
every per-side field, the views import no analysis, older results directories still read, and the defects
the untyped records hid stay fixed."""
from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import CliRunner

from dedup import Dedup, Document, InputError
from dedup.records import (AlsoLink, AlsoPair, DocumentRecord, Family, Match, Member, PairRecord, Passage,
                           RelatedGroup, Span)
from dedup.render import results_diff
from dedup.results import Results

PACKAGE = Path(__file__).resolve().parents[1] / "dedup"
ANALYSIS = {"align", "candidates", "encoders", "families", "judge", "relate", "pipeline", "text", "documents"}


# --- round trips -------------------------------------------------------------------------------------------


def _instances(results: Results) -> dict[type, list[Any]]:
    """Every record of the sample run, by type (pairs decoded from their saved lines)."""
    pairs = list(results.pairs)
    passages = [q for p in pairs for q in p.passages]
    members = [m for f in results.families for m in f.details]
    also = [x for d in results.documents for x in d.also]
    spans = ([s for f in results.families for s in f.core] + [s for m in members for s in m.shared + m.added + m.core]
             + [s for g in results.related for spans in g.passages.values() for s in spans])
    return {
        DocumentRecord: results.documents,
        Match: [m for q in passages for m in q.matches],
        Passage: passages,
        PairRecord: pairs,
        Span: spans,
        Member: members,
        Family: results.families,
        AlsoLink: also,
        AlsoPair: [q for x in also for q in x.pairs],
        RelatedGroup: results.related,
    }


@pytest.mark.parametrize("kind", [DocumentRecord, Match, Passage, PairRecord, Span, Member, Family, AlsoLink,
                                  AlsoPair, RelatedGroup], ids=lambda k: k.__name__)
def test_every_record_of_a_run_round_trips_through_json(sample_results, kind):
    records = _instances(sample_results)[kind]
    assert records, f"the sample run has no {kind.__name__}"
    for record in records:
        assert kind.from_json(json.loads(json.dumps(record.to_json()))) == record


def test_span_and_member_round_trip_their_optional_parts():
    """What the sample may not exercise: a span without partners or number, a member without core passages."""
    for span in (Span(3, 9), Span(0, 4, ["x"]), Span(5, 8, passage=2), Span(1, 2, ["x", "y"], 1)):
        assert Span.from_json(json.loads(json.dumps(span.to_json()))) == span
    member = Member("m", [Span(0, 10, ["o"])], [Span(11, 20)], 10, 9)
    assert Member.from_json(json.loads(json.dumps(member.to_json()))) == member
    assert member.to_json()["added_share"] == member.added_share == round(9 / 19, 4)


def test_a_results_directory_round_trips(sample_results, tmp_path):
    again = Results.read(sample_results.write(tmp_path / "again"))
    assert again.documents == sample_results.documents and again.families == sample_results.families
    assert again.related == sample_results.related and list(again.pairs) == list(sample_results.pairs)
    assert again.skipped == sample_results.skipped


# --- a pair seen from either side --------------------------------------------------------------------------


def _counterpart(name: str) -> str | None:
    """The other side's field of a per-side field name (``a``, ``x_a``, ``a_x``), None for a shared field."""
    if name in ("a", "b"):
        return "b" if name == "a" else "a"
    for mine, theirs in (("_a", "_b"), ("_b", "_a")):
        if name.endswith(mine):
            return name[: -len(mine)] + theirs
    for mine, theirs in (("a_", "b_"), ("b_", "a_")):
        if name.startswith(mine):
            return theirs + name[len(mine):]
    return None


def _per_side(kind: type) -> list[tuple[str, str]]:
    """The per-side field pairs of a record type, ``(a's, b's)``, enumerated from its dataclass fields."""
    names = [f.name for f in dataclasses.fields(kind)]
    pairs = [(n, _counterpart(n)) for n in names if _counterpart(n) and n < _counterpart(n)]
    for mine, theirs in pairs:
        assert theirs in names, f"{kind.__name__}.{mine} has no counterpart {theirs}"
    return pairs


def _distinct(record: Any) -> Any:
    """``record`` with every per-side pair of equal values made different (so a field left unswapped shows)."""
    changes = {}
    for mine, theirs in _per_side(type(record)):
        if getattr(record, mine) == getattr(record, theirs):
            changes[mine], changes[theirs] = ("a side", mine), ("b side", theirs)
    return dataclasses.replace(record, **changes) if changes else record


def _asymmetric_pair(results: Results) -> PairRecord:
    """The sample pair with passages whose two sides differ most (coverage always)."""
    sided = [p for p in results.pairs if p.passages and p.coverage_a != p.coverage_b]
    assert sided, "no pair of the sample has passages and asymmetric coverage"
    return max(sided, key=lambda p: sum(getattr(p, x) != getattr(p, y) for x, y in _per_side(PairRecord)))


def test_the_per_side_fields_are_the_ones_a_reader_sees_per_side():
    assert _per_side(PairRecord) == [("a", "b"), ("coverage_a", "coverage_b"), ("support_a", "support_b"),
                                     ("lead_a", "lead_b"), ("matched_a", "matched_b")]
    assert _per_side(Passage) == [("a_start", "b_start"), ("a_end", "b_end")]
    assert _per_side(Match) == [("a", "b")]


def test_seen_from_the_other_side_swaps_every_per_side_field(sample_results):
    stored = _asymmetric_pair(sample_results)
    evidence = {**stored.evidence, "lead_figures": stored.evidence.get("lead_figures") or [["622"], ["812", "9.25"]]}
    p = _distinct(dataclasses.replace(
        stored, evidence=evidence,
        passages=[dataclasses.replace(_distinct(q), matches=[_distinct(m) for m in q.matches]) for q in stored.passages]))
    q = p.seen_from(p.b)
    assert (q.a, q.b) == (p.b, p.a)
    for mine, theirs in _per_side(PairRecord):
        assert getattr(q, mine) == getattr(p, theirs) and getattr(q, theirs) == getattr(p, mine), mine
    shared = [f.name for f in dataclasses.fields(PairRecord)
              if not _counterpart(f.name) and f.name not in ("passages", "evidence")]
    assert shared and all(getattr(q, n) == getattr(p, n) for n in shared)
    assert len(q.passages) == len(p.passages) > 0
    for seen, saved in zip(q.passages, p.passages):
        for mine, theirs in _per_side(Passage):
            assert getattr(seen, mine) == getattr(saved, theirs) and getattr(seen, theirs) == getattr(saved, mine)
        assert (seen.kind, seen.score) == (saved.kind, saved.score)
        assert len(seen.matches) == len(saved.matches) > 0
        for m, n in zip(seen.matches, saved.matches):
            for mine, theirs in _per_side(Match):
                assert getattr(m, mine) == getattr(n, theirs) and getattr(m, theirs) == getattr(n, mine)
            assert (m.score, m.semantic, m.lexical) == (n.score, n.semantic, n.lexical)
    assert q.evidence["lead_figures"] == p.evidence["lead_figures"][::-1]
    assert {k: v for k, v in q.evidence.items() if k != "lead_figures"} == \
        {k: v for k, v in p.evidence.items() if k != "lead_figures"}
    assert q.seen_from(p.a) == p and p.seen_from(p.a) == p
    assert p.evidence == evidence  # seeing a pair from the other side leaves the record itself as it was
    with pytest.raises(KeyError, match="nobody"):
        p.seen_from("nobody")


def test_results_pair_is_seen_from_the_first_id(sample_results):
    stored = _asymmetric_pair(sample_results)
    assert sample_results.pair(stored.a, stored.b) == stored
    assert sample_results.pair(stored.b, stored.a) == stored.seen_from(stored.b)


# --- the views paint, they do not analyse ------------------------------------------------------------------


def _imported_modules(path: Path) -> set[str]:
    """The ``dedup`` modules a source file imports (``from .x import``, ``from . import x``, ``import dedup.x``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.split(".")[0] == "dedup":
                parts = node.module.split(".")
                found.update([parts[1]] if len(parts) > 1 else [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names
                         if alias.name.startswith("dedup.") and alias.name.count(".") >= 1)
    return found


@pytest.mark.parametrize(("view", "allowed"), [("render", {"records", "results"}),
                                                ("report", {"records", "results", "render"})])
def test_views_import_no_analysis_module(view, allowed):
    source = PACKAGE / f"{view}.py"
    imported = _imported_modules(source)
    assert imported, f"dedup/{view}.py imports nothing of dedup?"
    # The one exception: the diff compares words as the aligner does (text.normalise: case, NFKC, quotes), a
    # pure string function; nothing that splits, aligns or decides.
    shared = {(node.module, alias.name) for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
              if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == "text"
              for alias in node.names}
    assert shared <= {("text", "normalise")}, shared
    imported -= {"text"} if shared else set()
    assert imported <= allowed, f"dedup/{view}.py imports {sorted(imported - allowed)}"
    assert not imported & ANALYSIS


def test_import_scan_sees_every_form(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("from .text import x\nfrom . import judge\nfrom dedup.align.news import y\nimport dedup.relate\n"
                    "from dedup import families\nimport json\nfrom rich import box\n", encoding="utf-8")
    assert _imported_modules(path) == {"text", "judge", "align", "relate", "families"}


# --- an older results directory ----------------------------------------------------------------------------


def _rewrite_jsonl(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        change(row)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _as_schema_2(row: dict[str, Any]) -> None:
    """A family line as schema 2 wrote it: ``core`` the origin's shared spans (no passage numbers), no member
    ``core``."""
    origin = next(m for m in row["member_details"] if m["id"] == row["origin"])
    row["core"] = origin["shared"]
    for member in row["member_details"]:
        del member["core"]


def test_a_schema_2_directory_reads_as_schema_3(sample_results, tmp_path):
    new = sample_results.write(tmp_path / "schema3")
    old = sample_results.write(tmp_path / "schema2")
    run = json.loads((old / "run.json").read_text(encoding="utf-8"))
    (old / "run.json").write_text(json.dumps({**run, "schema": 2}), encoding="utf-8")
    _rewrite_jsonl(old / "documents.jsonl", lambda row: row.pop("sentences"))
    _rewrite_jsonl(old / "families.jsonl", _as_schema_2)
    (old / "related.jsonl").unlink()
    assert "sentences" not in (old / "documents.jsonl").read_text(encoding="utf-8")
    assert '"passage"' not in (old / "families.jsonl").read_text(encoding="utf-8")

    read_new, read_old = Results.read(new), Results.read(old)
    assert read_new.documents == sample_results.documents
    assert [d.sentences for d in read_old.documents] == [d.sentences for d in read_new.documents]
    assert all(d.sentences for d in read_old.documents)
    assert [f.core for f in read_old.families] == [f.core for f in read_new.families]
    assert [[m.core for m in f.details] for f in read_old.families] == \
        [[m.core for m in f.details] for f in read_new.families]
    assert all(f.passages for f in read_old.families)
    assert read_old.related == read_new.related and read_old.related
    assert read_old.documents == read_new.documents and read_old.families == read_new.families
    assert list(read_old.pairs) == list(read_new.pairs)


def _as_schema_3(row: dict[str, Any]) -> None:
    """A pair line as schema 3 wrote it: each aligned sentence pair a positional ``[a, b, score, semantic,
    lexical]`` list."""
    for passage in row["passages"]:
        passage["sentences"] = [[m["a"], m["b"], m["score"], m["semantic"], m["lexical"]]
                                for m in passage["sentences"]]


def test_a_schema_3_directory_reads_with_named_matches_and_explained_related_groups(sample_results, tmp_path):
    new = sample_results.write(tmp_path / "schema4")
    old = sample_results.write(tmp_path / "schema3")
    run = json.loads((old / "run.json").read_text(encoding="utf-8"))
    (old / "run.json").write_text(json.dumps({**run, "schema": 3}), encoding="utf-8")
    _rewrite_jsonl(old / "pairs.jsonl", _as_schema_3)
    # schema 3's related groups were connected components without a summary: one hairball line here
    members = [d.id for d in sample_results.documents]
    (old / "related.jsonl").write_text(json.dumps({"id": "R0001", "size": len(members), "members": members,
                                                   "pairs": [], "passages": {}}) + "\n", encoding="utf-8")
    assert '"semantic"' in (new / "pairs.jsonl").read_text(encoding="utf-8")
    assert '"semantic"' not in (old / "pairs.jsonl").read_text(encoding="utf-8")

    read_new, read_old = Results.read(new), Results.read(old)
    assert list(read_old.pairs) == list(read_new.pairs)
    assert read_old.related == read_new.related and all(g.summary for g in read_old.related)
    assert read_old.run["counts"]["related_groups"] == len(read_new.related)


# --- defects the untyped records hid -----------------------------------------------------------------------


def test_cluster_rejects_two_documents_with_one_id():
    docs = [Document("wire", "The port reopened on Monday after a strike. Ships queued outside.", path="a.jsonl",
                     line=1),
            Document("other", "Rain is expected in the hills on Tuesday."),
            Document("wire", "The port reopened on Monday. Dockers went back to work.", path="b.jsonl", line=4)]
    with pytest.raises(InputError, match="'wire'") as caught:
        Dedup(model="hash").cluster(docs)
    assert "a.jsonl:1" in str(caught.value) and "b.jsonl:4" in str(caught.value)


def _stored_b_side(results: Results) -> PairRecord:
    """A stored pair whose two sides differ in coverage, support, lead coverage and matched sentences."""
    pair = next((p for p in results.pairs if p.coverage_a != p.coverage_b and p.support_a != p.support_b
                 and p.lead_a != p.lead_b and p.matched_a != p.matched_b), None)
    assert pair is not None, "no pair of the sample differs on every side"
    return pair


def _assert_shown_from(data: dict[str, Any], stored: PairRecord) -> None:
    """``data`` (the diff as JSON) shows ``stored.b`` as side a, with b's own figures."""
    assert data["a"]["id"] == stored.b and data["b"]["id"] == stored.a
    assert data["a"]["coverage"] == round(stored.coverage_b, 4) and data["b"]["coverage"] == round(stored.coverage_a, 4)
    scores = data["scores"]
    assert (scores["coverage_a"], scores["coverage_b"]) == (stored.coverage_b, stored.coverage_a)
    assert (scores["support_a"], scores["support_b"]) == (stored.support_b, stored.support_a)
    assert (scores["lead_coverage_a"], scores["lead_coverage_b"]) == (stored.lead_b, stored.lead_a)
    assert (scores["matched_sentences_a"], scores["matched_sentences_b"]) == (stored.matched_b, stored.matched_a)
    figures = stored.evidence.get("lead_figures")
    assert data["evidence"].get("lead_figures") == (figures[::-1] if figures else figures)


def test_diff_json_shows_the_requested_first_document_on_side_a(sample_results):
    stored = _stored_b_side(sample_results)
    data = json.loads(json.dumps(results_diff(sample_results, stored.b, stored.a).to_json()))
    _assert_shown_from(data, stored)


def test_diff_command_json_shows_the_first_id_with_its_own_figures(sample_results, tmp_path):
    from dedup.cli import cli

    stored = _stored_b_side(sample_results)
    out = sample_results.write(tmp_path / "res")
    result = CliRunner().invoke(cli, ["diff", "--results", str(out), stored.b, stored.a, "--format", "json"])
    assert result.exit_code == 0, result.output
    _assert_shown_from(json.loads(result.output), stored)


# --- the public API ------------------------------------------------------------------------------------------


def test_public_api_is_curated_and_importable():
    import importlib.metadata

    import dedup

    assert sorted(dedup.__all__) == [
        "Alignment", "Config", "ConfigError", "Dedup", "Document", "DocumentRecord", "Encoder", "EncoderError",
        "Family", "HashingEncoder", "InputError", "PairRecord", "Passage", "RelatedGroup", "Results",
        "ResultsError", "Skipped", "__version__", "align_texts", "load_documents", "load_encoder"]
    assert all(hasattr(dedup, name) for name in dedup.__all__)
    assert dedup.__version__ == importlib.metadata.version("dedup")  # one version source
