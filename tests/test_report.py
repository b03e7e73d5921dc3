"""`dedup report`: one offline HTML file rendered from saved results; data, escaping, size and the command."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace
from typing import Any

import pytest
from click.testing import CliRunner

from dedup.cli import cli
from dedup.config import Config
from dedup.families import Numbered, core_and_related
from dedup.records import DocumentRecord, Family, Match, Member, PairRecord, Passage, Span
from dedup.render import diff_rows
from dedup.relate import summarise
from dedup.report import build_report, report_data, script_json, sure_percent
from dedup.results import PairRecords, Results
from dedup.text import split_sentences

from .conftest import CORPUS

PAYLOADS = ('<script>alert("x")</script>', "<img src=x onerror=alert(1)>", "</style>")


def _sentences(k: int, verb: str) -> list[str]:
    return [f"Officials in district {k} {verb} plan {i} on Monday after a long public debate about roads."
            for i in range(6)]


def pair_evidence(relation: str, confidence: float, **evidence: Any) -> dict[str, Any]:
    """A pair's ``evidence`` record as the analysis saves it: defaults, ``evidence``, and its summary sentence."""
    record = {"shared_numbers": [], "shared_names": [], "lead_figures": [], "for": [],
              "against": ["few sentences have a close counterpart"], **evidence}
    record["summary"] = summarise(relation, confidence, record, Config().link_confidence)
    return record


def _document(doc_id: str, text: str, **fields: Any) -> DocumentRecord:
    """A document record as a run saves it, its sentence offsets included."""
    return DocumentRecord(id=doc_id, text=text, sentences=[(s.start, s.end) for s in split_sentences(text)],
                          input={"path": "synthetic", "line": None}, **fields)


def aligned_pair(results: Results, a: str, ka: int, b: str, kb: int, relation: str = "related",
                 confidence: float = 0.0, **evidence: Any) -> PairRecord:
    """A pair record aligning sentence ``ka`` of ``a`` with sentence ``kb`` of ``b`` (one paraphrase passage)."""
    (a_start, a_end), (b_start, b_end) = results.document(a).sentences[ka], results.document(b).sentences[kb]
    return PairRecord(a, b, relation, confidence, jaccard=0.01, doc_cosine=0.7, coverage_a=0.1, coverage_b=0.2,
                      support_a=0.1, support_b=0.2, lead_a=0.0, lead_b=0.0, matched_a=1, matched_b=1,
                      found_by=("embedding",),
                      passages=[Passage(a_start, a_end, b_start, b_end, "paraphrase", 0.6,
                                        [Match(ka, kb, 0.6, 0.6, 0.6)])],
                      features={"support_lo": 0.1}, evidence=pair_evidence(relation, confidence, **evidence))


def decided(results: Results) -> Results:
    """``results`` with its families' core passages numbered and its related groups found, as a run saves them
    (after pairs were added by hand)."""
    docs = results.documents
    # every related pair across families joins a group here: which pairs make a group is tested in test_families
    results.related = core_and_related(results.families, map(Numbered.of, results.pairs),
                                       {d.id: d.text for d in docs},
                                       {d.id: d.sentences for d in docs}, {d.id: d.date for d in docs},
                                       Config(also_min_sentences=1, related_group_link=0.0))
    results.run["counts"]["related_groups"] = len(results.related)
    return results


def synthetic_results(n_families: int, n_singletons: int = 0, related_chain: int = 0) -> Results:
    """Results records of a large run without clustering it.

    Each family has an origin, a verbatim copy with one added sentence and a
    near-verbatim edit; singletons are short unrelated notes. The origins of
    the first ``related_chain`` families are chained by related pairs (last
    sentence of one, first of the next): one related group of that size.
    Core passages and related groups come from :func:`dedup.families.core_and_related`, as in a run.
    """
    documents: list[DocumentRecord] = []
    families: list[Family] = []
    pairs: list[PairRecord] = []
    for k in range(n_families):
        fid = f"F{k + 1:05d}"
        origin = _sentences(k, "approved")
        texts = {f"s{k}-wire": " ".join(origin),
                 f"s{k}-copy": " ".join(origin + [f"Readers of paper {k} wrote in with their own view."]),
                 f"s{k}-edit": " ".join(_sentences(k, "passed"))}
        ids = list(texts)
        for n, (doc_id, text) in enumerate(texts.items()):
            documents.append(_document(doc_id, text, family=fid, is_origin=n == 0, title=f"Plan {k} approved",
                                       source=f"site{n}.example", url=f"https://site{n}.example/{k}",
                                       date=f"2024-01-{n + 1:02d}"))
        end = len(texts[ids[0]])
        for other, kind in ((ids[1], "verbatim"), (ids[2], "near-verbatim")):
            pairs.append(PairRecord(
                ids[0], other, "near-duplicate", 1.0, jaccard=0.8, doc_cosine=0.95, coverage_a=1.0, coverage_b=0.9,
                support_a=1.0, support_b=0.9, lead_a=1.0, lead_b=1.0, matched_a=6, matched_b=6,
                found_by=("minhash",),
                passages=[Passage(0, end, 0, len(texts[other]) if kind == "near-verbatim" else end, kind, 0.95,
                                  [Match(i, i, 0.95, 0.95, 0.95) for i in range(6)])],
                features={"support_lo": 1.0, "support_hi": 1.0},
                evidence=pair_evidence("near-duplicate", 1.0, shared_names=[f"District{k}"], against=[],
                                       **{"for": ["most sentences have a close counterpart"]})))
        copy_end = len(texts[ids[1]])
        details = [Member(doc_id, [Span(0, size, [ids[0]])], [], size, 0)
                   for doc_id, size in ((ids[0], end), (ids[1], end), (ids[2], len(texts[ids[2]])))]
        details[1].added, details[1].added_chars = [Span(end + 1, copy_end)], copy_end - end - 1
        families.append(Family(fid, ids, ids[0], "earliest date", [], {"near-duplicate": 2}, [], details))
    for k in range(n_singletons):
        documents.append(_document(f"single-{k}", f"A lone note number {k} about the weather in the hills.",
                                   title=f"Note {k}", source="solo.example"))
    counts = {"documents": len(documents), "families": n_families, "skipped": 0}
    results = Results(documents=documents, families=families, pairs=PairRecords(pairs),
                      run={"model": "hash", "counts": counts, "config": {"link_confidence": Config().link_confidence}})
    results.pairs += [aligned_pair(results, f"s{k}-wire", 5, f"s{k + 1}-wire", 0) for k in range(related_chain - 1)]
    return decided(results)


CROWDED_DATES = ("2025-12-01", "2025-12-01", "2025-12-01", "2025-12-02", "2025-12-03", "2025-12-09", None)


def long_id(k: int, chars: int = 60) -> str:
    """A ``chars``-character id like a scraped URL slug; the ids of one site differ only at their end."""
    stem = "world-europe-officials-in-the-district-approve-the-road-plan-after-a-long-debate-"
    return stem[:chars - 5] + f"-{k:04d}"


def crowded_family(n_members: int = 50, id_chars: int = 60) -> Results:
    """One family of ``n_members`` articles with ``id_chars``-character ids, as syndicated news gives: a third of
    them published the origin's day, the rest over the next eight days, one in seven undated.

    The origin is neither the first nor the last of its day by id (so a stack of that day's dots would hide
    it); every member copies the origin and adds a sentence of its own.
    """
    origin_k = n_members // 3
    origin_text = " ".join(_sentences(0, "approved"))
    documents, details, pairs = [], [], []
    ids = [long_id(k, id_chars) for k in range(n_members)]
    for k, doc_id in enumerate(ids):
        text = origin_text if k == origin_k else f"{origin_text} Paper {k} added a line of its own about the vote."
        day = "2025-12-01" if k == origin_k else CROWDED_DATES[k % len(CROWDED_DATES)]
        documents.append(_document(doc_id, text, family="F00001", is_origin=k == origin_k, title=f"Plan approved ({k})",
                                   source=f"site{k}.example", date=day))
        end = len(origin_text)
        added = [Span(end + 1, len(text))] if len(text) > end else []
        details.append(Member(doc_id, [Span(0, end, [ids[origin_k]])], added, end, len(text) - end - 1 if added else 0))
        if k != origin_k:
            pairs.append(PairRecord(
                ids[origin_k], doc_id, "near-duplicate", 0.97, jaccard=0.9, doc_cosine=0.98, coverage_a=1.0,
                coverage_b=0.93, support_a=1.0, support_b=0.95, lead_a=1.0, lead_b=1.0, matched_a=6, matched_b=6,
                found_by=("minhash",),
                passages=[Passage(0, end, 0, end, "verbatim", 0.99, [Match(i, i, 0.99, 0.99, 0.99) for i in range(6)])],
                features={"support_lo": 0.95}, evidence=pair_evidence("near-duplicate", 0.97, against=[],
                                                                      **{"for": ["most sentences match"]})))
    family = Family("F00001", ids, ids[origin_k], "earliest date, then wire dateline", ["TASS"],
                    {"near-duplicate": n_members - 1}, [], details)
    counts = {"documents": n_members, "families": 1, "skipped": 0}
    return decided(Results(documents=documents, families=[family], pairs=PairRecords(pairs),
                           run={"model": "hash", "counts": counts,
                                "config": {"link_confidence": Config().link_confidence, "verbatim_ratio": 0.98,
                                           "near_verbatim_ratio": 0.75, "min_sentence_chars": 20}}))


@pytest.fixture(scope="module")
def sample_html(sample_results) -> str:
    return build_report(sample_results)


def _blocks(page: str) -> dict[str, Any]:
    """The JSON data blocks of a report, by element id."""
    found = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page, flags=re.S)
    return {name: json.loads(body) for name, body in found}


def test_report_is_one_offline_file_with_a_strict_csp(sample_html):
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', sample_html).group(1)
    assert "default-src 'none'" in csp and "img-src data:" in csp and "style-src 'unsafe-inline'" in csp
    scripts = re.findall(r"<script>(.*?)</script>", sample_html, flags=re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    markup = re.sub(r"<script[^>]*>.*?</script>", "", sample_html, flags=re.S)
    assert not re.search(r"(src|href)=\"(https?:)?//|@import|url\(", markup)
    assert "fetch(" not in scripts[0] and "XMLHttpRequest" not in scripts[0] and "innerHTML" not in scripts[0]


def test_untrusted_text_cannot_leave_its_json_block(sample_html):
    for payload in PAYLOADS[:2]:
        assert payload not in sample_html
    assert sample_html.count("</style>") == 1  # the report's own stylesheet
    assert sample_html.count("</script>") == sample_html.count("<script")
    texts = [d["text"] for block in _blocks(sample_html).values() for d in block.get("docs", [])]
    voices = next(t for t in texts if "Anger has spilled" in t)
    assert all(payload in voices for payload in PAYLOADS)


def test_script_json_escapes_markup_and_round_trips():
    value = {"t": '</script><!-- <img onerror=x> & \u2028'}
    encoded = script_json(value)
    assert not set("<>&") & set(encoded) and "\u2028" not in encoded
    assert json.loads(encoded) == value


def test_report_data_matches_the_results(sample_results, sample_html):
    index, blocks = report_data(sample_results)
    assert [f["id"] for f in index["families"]] == [f.id for f in sorted(sample_results.families,
                                                                        key=lambda f: (-f.size, f.id))]
    singles = [d.id for d in sample_results.documents if d.family is None]
    assert [s["id"] for s in index["singletons"]] == singles
    assert index["counts"]["singletons"] == sample_results.run["counts"]["singletons"] == len(singles)
    assert _blocks(sample_html)["dedup-index"] == index
    for entry, fam in zip(index["families"], sorted(sample_results.families, key=lambda f: (-f.size, f.id))):
        block = blocks[entry["block"]]
        assert [d["id"] for d in block["docs"]] == fam.members
        assert block["passages"] > 0
        for doc, detail in zip(block["docs"], fam.details):
            added = [[s.start, s.end] for s in detail.added]
            assert [seg[:2] for seg in doc["segs"] if seg[2] == "added"] == added
            assert doc["added_share"] == detail.added_share
        origin = block["docs"][0]
        assert origin["id"] == fam.origin
        assert sorted({seg[3] for seg in origin["segs"] if seg[2] == "core"}) == list(range(block["passages"]))
    placed = [p for block in blocks for p in block.get("pairs", [])]
    assert sorted((p["a"], p["b"]) for p in placed) == sorted((p.a, p.b) for p in sample_results.pairs)


def test_core_passages_keep_their_number_across_members(sample_results):
    """A verbatim copy shows the origin's passages in the origin's order and colours."""
    index, blocks = report_data(sample_results)
    pair = next(p for p in sample_results.pairs if p.relation == "duplicate")
    entry = next(f for f in index["families"] if pair.a in f["members"])
    docs = {d["id"]: d for d in blocks[entry["block"]]["docs"]}
    origin, copy = (pair.a, pair.b) if docs[pair.a]["is_origin"] else (pair.b, pair.a)
    numbers = [[seg[3] for seg in docs[d]["segs"] if seg[2] == "core"] for d in (origin, copy)]
    assert numbers[0] and numbers[0] == numbers[1]
    texts = [[docs[d]["text"][s:e] for s, e, kind, *_ in docs[d]["segs"] if kind == "core"] for d in (origin, copy)]
    assert texts[0] == texts[1]


def test_pair_rows_are_the_terminal_diff_rows(sample_results):
    _, blocks = report_data(sample_results)
    docs = {d.id: d for d in sample_results.documents}
    for block in blocks:
        for placed in block.get("pairs", []):  # related-group blocks only point at pairs
            pair = sample_results.pair(placed["a"], placed["b"])
            a, b = docs[pair.a], docs[pair.b]
            rows = diff_rows(pair, a.text, b.text, a.sentences, b.sentences)
            assert [[r[0], r[1]] for r in placed["rows"]] == [[r.kind, r.score] for r in rows]
            assert [r[2] for r in placed["rows"]] == [[x for span in r.a.spans for x in span] for r in rows]
            assert [r[5] for r in placed["rows"]] == [[x for span in r.b.changed for x in span] for r in rows]


def test_report_size_grows_linearly_with_families():
    small, large = (len(build_report(synthetic_results(n, n // 2)).encode()) for n in (300, 1200))
    assert 3.8 < large / small < 4.2


def test_report_command_writes_the_file(sample_results, tmp_path):
    results_dir = sample_results.write(tmp_path / "res")
    result = CliRunner().invoke(cli, ["report", str(results_dir)])
    assert result.exit_code == 0, result.output
    assert (results_dir / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    out = tmp_path / "deep" / "r.html"
    result = CliRunner().invoke(cli, ["report", str(results_dir), "-o", str(out)])
    assert result.exit_code == 0 and out.exists() and str(out) in result.output
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "not a results directory" in result.output and "Traceback" not in result.output


def test_cluster_report_option_writes_the_report_beside_results(tmp_path):
    out, report = tmp_path / "res", tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["cluster", str(CORPUS / "sample.jsonl"), "--out", str(out), "-q",
                                      "--model", "hash", "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert f"report: {report}" in result.output
    index = _blocks(report.read_text(encoding="utf-8"))["dedup-index"]
    assert index["counts"]["documents"] == len(Results.read(out).documents)
    assert len(index["families"]) == len(Results.read(out).families)


def test_report_of_inconsistent_results_is_a_clear_error(tmp_path):
    results = synthetic_results(2)
    results.documents = [d for d in results.documents if d.id != "s1-edit"]
    results.write(tmp_path / "res")
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "res")])
    assert result.exit_code == 1 and "'s1-edit'" in result.output and "Traceback" not in result.output


def test_related_group_joins_families_and_singletons_that_share_passages():
    """Related pairs across families and singletons form one group; a pair inside a family or a rewrite does not."""
    results = synthetic_results(3, 2)
    lone = results.document("single-0")
    lone.text = (f"{PAYLOADS[0]} Officials in district 1 passed plan 5 on Monday after a long public debate "
                 f"about roads. {PAYLOADS[1]} {PAYLOADS[2]}")
    lone.sentences = [(s.start, s.end) for s in split_sentences(lone.text)]
    lone_k = next(k for k, (s, e) in enumerate(lone.sentences) if "plan 5" in lone.text[s:e])
    results.pairs += [aligned_pair(results, "s0-copy", 0, "s1-wire", 0),
                      aligned_pair(results, "s1-wire", 5, "single-0", lone_k),
                      aligned_pair(results, "s2-wire", 1, "s2-edit", 2),  # inside one family
                      aligned_pair(results, "s2-copy", 3, "single-1", 0, relation="rewrite")]
    index, blocks = report_data(decided(results))
    assert index["counts"]["related_groups"] == 1 == len(index["related"])
    group = index["related"][0]
    assert [m["id"] for m in group["members"]] == ["s1-wire", "s0-copy", "single-0"]  # by date, undated last
    assert [m["family"] for m in group["members"]] == ["F00002", "F00001", None]
    assert group["families"] == ["F00001", "F00002"] and group["singletons"] == 1
    assert group["pairs"] == 2 and group["passages"] == 2 and group["size"] == 3
    block = blocks[group["block"]]
    assert sorted((x, y) for x, y, *_ in block["links"]) == [("s0-copy", "s1-wire"), ("s1-wire", "single-0")]
    texts = {d.id: d.text for d in results.documents}
    painted = {m["id"]: {k: texts[m["id"]][s:e] for s, e, kind, k in m["segs"]} for m in block["members"]}
    first = split_sentences(texts["s1-wire"])
    assert painted["s1-wire"] == {0: texts["s1-wire"][first[0].start:first[0].end],
                                  1: texts["s1-wire"][first[5].start:first[5].end]}
    assert list(painted["s0-copy"]) == [0] and "district 1 passed plan 5" in painted["single-0"][1]
    singles = {s["id"]: s for s in index["singletons"]}
    assert set(singles) == {"single-0", "single-1"}  # a related group is no family: its singletons stay singletons
    page = build_report(results)
    assert not any(payload in page for payload in PAYLOADS[:2]) and page.count("</style>") == 1
    assert _blocks(page)[f"dedup-b{group['block']}"] == block
    assert lone.text in [d["text"] for b in _blocks(page).values() for d in b.get("docs", [])]


def test_related_groups_of_the_sample_cross_families_and_partition_documents(sample_results):
    index, blocks = report_data(sample_results)
    family_of = {m: f.id for f in sample_results.families for m in f.members}
    groups = {m["id"]: g["id"] for g in index["related"] for m in g["members"]}
    assert len(groups) == sum(g["size"] for g in index["related"])  # no document in two groups
    crossing = [p for p in sample_results.pairs if p.relation == "related"
                and (family_of.get(p.a) is None or family_of.get(p.a) != family_of.get(p.b))
                and p.a in groups and groups[p.a] == groups.get(p.b)]
    assert crossing and all(g.summary for g in sample_results.related)
    for g in index["related"]:
        units = {m["family"] or m["id"] for m in g["members"]}
        assert len(units) >= 2  # never all in one family
        assert g["pairs"] == sum(1 for p in crossing if groups[p.a] == g["id"])
        numbers = [{k for *_, k in m["segs"]} for m in blocks[g["block"]]["members"]]
        assert set().union(*numbers) == set(range(g["passages"])) and all(numbers)


@pytest.mark.parametrize("confidence", [0.0, 0.005, 0.125, 0.375, 0.465, 0.4999, 0.5, 0.6187, 0.995, 0.9999, 1.0])
def test_sure_percent_rounds_as_the_summary_sentence_does(confidence):
    assert f"{sure_percent(confidence)}%" == f"{confidence:.0%}"


def test_pairs_carry_their_saved_evidence_and_confidence_in_percent(sample_results, sample_html):
    """The page paints the evidence the analysis saved (never recomputed) and says how sure in the summary's percent."""
    embedded = _blocks(sample_html)
    index = embedded["dedup-index"]
    counts = sample_results.run["counts"]
    assert index["counts"]["linked_pairs"] == counts["linked_pairs"]
    assert index["counts"]["related_pairs"] == counts["related_pairs"]
    assert index["counts"]["linked_pairs"] + index["counts"]["related_pairs"] == len(sample_results.pairs)
    assert index["run"]["link_sure"] == sure_percent(sample_results.run["config"]["link_confidence"])
    placed = {(p["a"], p["b"]): p for block in embedded.values() for p in block.get("pairs", [])}
    assert len(placed) == len(sample_results.pairs)
    for pair in sample_results.pairs:
        record = placed[pair.a, pair.b]
        assert record["evidence"] == pair.evidence and record["features"] == pair.features
        assert record["sure"] == sure_percent(pair.confidence)
        assert f"{record['sure']}%" in record["evidence"]["summary"]
    related = [p for p in sample_results.pairs if p.relation == "related"]
    assert related and all(placed[p.a, p.b]["evidence"]["summary"].startswith("related, not linked")
                           for p in related)
    for p in related:
        if "overruled" in p.evidence:
            assert p.evidence["overruled"] in placed[p.a, p.b]["evidence"]["summary"]
    for group in index["related"]:
        for x, y, *_, percent, overruled in embedded[f"dedup-b{group['block']}"]["links"]:
            pair = sample_results.pair(x, y)
            assert percent == sure_percent(pair.confidence) and overruled == pair.evidence.get("overruled")
    docs = {d["id"]: d for block in embedded.values() for d in block.get("docs", [])}
    for pair in sample_results.pairs:
        for x, y in ((pair.a, pair.b), (pair.b, pair.a)):
            assert [y, pair.relation, sure_percent(pair.confidence)] in docs[x]["links"]
    mixed = [d for d in sample_results.documents if d.also]
    assert mixed
    for d in mixed:
        shown = docs[d.id]["also"]
        assert [[q["sure"] for q in a["pairs"]] for a in shown] == \
            [[sure_percent(q.confidence) for q in a.pairs] for a in d.also]


def related_with_reasons() -> Results:
    """Two families whose origins share one passage: a related pair with different lead figures, reasons
    against one report, and untrusted markup in its evidence strings."""
    results = synthetic_results(2)
    results.pairs.append(aligned_pair(
        results, "s0-wire", 5, "s1-wire", 0, confidence=0.46,
        shared_numbers=["5"], shared_names=["Officials", PAYLOADS[1]], lead_figures=[["622"], ["812"]],
        against=["the leads report different figures", "the aligned passages miss the leads", PAYLOADS[0]],
        **{"for": ["published close together"]}))
    return decided(results)


def test_related_pair_says_why_it_is_not_one_report_and_its_evidence_stays_text():
    results = related_with_reasons()
    page = build_report(results)
    assert not any(payload in page for payload in PAYLOADS[:2]) and page.count("</style>") == 1
    record = next(p for b in _blocks(page).values() for p in b.get("pairs", []) if p["relation"] == "related")
    evidence = results.pair("s0-wire", "s1-wire").evidence
    assert record["evidence"] == evidence and record["sure"] == 46
    needs = f"{Config().link_confidence:.0%}"
    assert record["evidence"]["summary"].startswith(f"related, not linked: 46% sure of one source, a link needs "
                                                    f"{needs}; the leads report different figures (622 vs 812)")
    assert PAYLOADS[1] in record["evidence"]["shared_names"] and PAYLOADS[0] in record["evidence"]["against"]


def test_index_carries_each_related_groups_saved_summary_and_the_thresholds_explanations_quote(sample_results):
    """The page paints a group's summary and what it joins as the run saved them, and quotes the run's own
    thresholds when it explains a metric (never defaults of its own)."""
    index, _ = report_data(sample_results)
    assert index["related"] and len(index["related"]) == len(sample_results.related)
    for entry, group in zip(index["related"], sample_results.related):
        assert entry["summary"] == group.summary and group.summary
        assert entry["joins"] == group.families
    config = sample_results.run["config"]
    assert index["run"]["verbatim"] == sure_percent(config["verbatim_ratio"])
    assert index["run"]["near_verbatim"] == sure_percent(config["near_verbatim_ratio"])
    assert index["run"]["min_sentence_chars"] == config["min_sentence_chars"]
    stricter = crowded_family(3)
    stricter.run["config"]["verbatim_ratio"] = 0.9
    assert report_data(stricter)[0]["run"]["verbatim"] == 90


def test_an_untitled_origin_is_named_by_its_first_sentence_as_in_the_terminal_summary(sample_results):
    from dedup.render import summary_data

    results = Results(documents=[replace(d, title=None) for d in sample_results.documents],
                      families=sample_results.families, pairs=sample_results.pairs,
                      related=sample_results.related, run=sample_results.run)
    index, _ = report_data(results)
    terminal = {f["id"]: f["title"] for f in summary_data(results, top=len(results.families))["families"]}
    for family in index["families"]:
        origin = results.document(family["origin"] if "origin" in family else results.family(family["id"]).origin)
        assert family["title"] == terminal[family["id"]] == " ".join(origin.sentence_text(0).split())
