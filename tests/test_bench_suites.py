"""PAN and MSRP adapters, the scale worker, on tiny inputs built here (hash encoder only)."""
from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import pytest

from benchmarks import generate, msrp, pan13, scale
from benchmarks.plagdet import read_xml
from dedup import Config

SOURCE = ("The reservoir above the valley was built in 1962 to hold spring floods. Engineers warned in 2019 that "
          "its spillway could not cope with a storm of the kind seen twice in the last decade. The regional council "
          "postponed the repairs three times because the cost had risen to 41 million. Residents downstream were "
          "never told about the warnings, according to documents seen by reporters.")
FILLER = ("Our town library opens a new reading room for children this autumn. The room has two hundred new "
          "books and a corner for puzzles. Volunteers will read stories every Saturday morning.")


def _pan_layout(root: Path) -> None:
    (root / "src").mkdir(parents=True)
    (root / "susp").mkdir()
    (root / "02-no-obfuscation").mkdir()
    (root / "01-no-plagiarism").mkdir()
    susp = FILLER + "\n\n" + SOURCE + "\n\n" + FILLER
    (root / "src" / "source-document1.txt").write_text(SOURCE, encoding="utf-8")
    (root / "susp" / "suspicious-document1.txt").write_text(susp, encoding="utf-8")
    (root / "src" / "source-document2.txt").write_text(FILLER.replace("library", "museum"), encoding="utf-8")
    short = SOURCE.replace("reservoir", "old dam")[:60]
    (root / "susp" / "suspicious-document2.txt").write_text(short, encoding="utf-8")
    (root / "pairs").write_text("suspicious-document1.txt source-document1.txt\n"
                                "suspicious-document2.txt source-document2.txt\n", encoding="utf-8")
    start = susp.index(SOURCE)
    (root / "02-no-obfuscation" / "suspicious-document1-source-document1.xml").write_text(
        f'<document reference="suspicious-document1.txt"><feature name="plagiarism" this_offset="{start}" '
        f'this_length="{len(SOURCE)}" source_reference="source-document1.txt" source_offset="0" '
        f'source_length="{len(SOURCE)}"/></document>', encoding="utf-8")
    (root / "01-no-plagiarism" / "suspicious-document2-source-document2.xml").write_text(
        '<document reference="suspicious-document2.txt"></document>', encoding="utf-8")


def test_pan_layout_pairs_get_their_class(tmp_path):
    _pan_layout(tmp_path)
    pairs = pan13.read_pairs(tmp_path)
    assert [(p.klass, p.xml_name) for p in pairs] == [
        ("02-no-obfuscation", "suspicious-document1-source-document1.xml"),
        ("01-no-plagiarism", "suspicious-document2-source-document2.xml")]
    assert read_xml(tmp_path / "02-no-obfuscation" / pairs[0].xml_name)[0].this_length == len(SOURCE)


def test_pan_verbatim_copy_is_found(tmp_path):
    _pan_layout(tmp_path)
    section = pan13.run(tmp_path, encoder_name="hash")
    raw = {r["class"]: r for r in section.data["raw"]}
    assert raw["02-no-obfuscation"]["plagdet"] > 0.9
    assert raw["01-no-plagiarism"]["detections"] == 0
    assert raw["overall"]["cases"] == 1 and raw["overall"]["pairs"] == 2


def test_pan_missing_truth_is_named(tmp_path):
    _pan_layout(tmp_path)
    (tmp_path / "01-no-plagiarism" / "suspicious-document2-source-document2.xml").unlink()
    with pytest.raises(FileNotFoundError, match="suspicious-document2-source-document2.xml"):
        pan13.read_pairs(tmp_path)


def test_msrp_reader_and_run(tmp_path):
    path = tmp_path / "msrp.txt"
    path.write_text("\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
                    f"1\t1\t2\t{SOURCE.split('. ')[0]}.\t{SOURCE.split('. ')[0]} indeed.\n"
                    '0\t3\t4\tShe said "no" to the plan on Monday.\tThe weather in the hills stayed dry all week.\n',
                    encoding="utf-8")
    assert msrp.read_msrp(path)[1][1] == 'She said "no" to the plan on Monday.'
    section = msrp.run(path, None, encoder_name="hash")
    aligner = section.data["rows"][0]
    assert aligner["accuracy"] == 1.0 and aligner["f1"] == 1.0


def test_scale_worker_times_every_stage():
    out = scale.worker("hash", 40)
    assert out["read_seconds"] >= 0 and out["words"] > 40 * 100
    assert set(scale.STAGES) <= set(out["stages"])
    assert out["wall"] >= sum(out["stages"].values()) * 0.99
    assert out["peak_rss_mib"] >= out["rss_before_mib"] > 0
    assert out["tree_peak_pss_mib"] is None or out["tree_peak_pss_mib"] > 0
    assert 0 <= out["pair_f1"] <= 1
    assert out["joined_wrongly"] == [] or out["ari"] < 1
    assert "joined_wrongly" not in scale.worker(scale.MINHASH, 40)
    assert scale.exponent([(1000, 2.0), (10_000, 20.0)]) == pytest.approx(1.0)
    assert scale.exponent([(1000, 2.0)]) is None


def test_scale_run_names_the_documents_it_joined_across_stories():
    """Where ARI falls under 1, the run says which generated stories it joined, and through which articles."""
    from benchmarks.metrics import Gold

    gold = Gold({"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"})
    predicted = {"a1": "f1", "a2": "f1", "a3": "f1", "b1": "f1", "b2": "f2", "c1": "singleton:c1"}
    assert scale.joined_wrongly(predicted, gold) == [[{"story": "B", "documents": 1, "ids": ["b1"]},
                                                      {"story": "A", "documents": 3, "ids": ["a1", "a2", "a3"]}]]
    everything = scale.joined_wrongly({k: "one" for k in gold.cluster}, gold, shown=2)
    assert [[(p["story"], p["documents"], p["ids"]) for p in parts] for parts in everything] == [
        [("C", 1, ["c1"]), ("B", 2, ["b1", "b2"]), ("A", 3, ["a1", "a2"])]]
    assert scale.joined_wrongly({k: k for k in gold.cluster}, gold) == []


def test_scale_corpus_is_the_generators_written_once(tmp_path):
    path = scale.corpus_file(5, 1, "copy", tmp_path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert rows == generate.syndicated(5, "copy", 1)
    assert len({r["text"] for r in rows}) == 1
    written = path.stat().st_mtime_ns
    assert scale.corpus_file(5, 1, "copy", tmp_path).stat().st_mtime_ns == written
    assert list(tmp_path.iterdir()) == [path]


def _hold_64_mib(seconds: float) -> None:
    block = b"x" * (64 << 20)  # written, so every page is the child's own
    time.sleep(seconds)
    del block


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="PSS is read from Linux's /proc")
def test_process_tree_memory_counts_a_workers_own_pages():
    with scale.TreeMemory(interval=0.05, overhead=1.0) as alone:  # (no pause for the samples' cost here)
        time.sleep(0.3)
    with scale.TreeMemory(interval=0.05, overhead=1.0) as tree:
        child = multiprocessing.get_context("fork").Process(target=_hold_64_mib, args=(0.6,))
        child.start()
        child.join()
    assert alone.peak_mib > 0
    assert tree.peak_mib >= alone.peak_mib + 50, "the worker's 64 MiB are in the tree's peak"


def test_real_data_readers(shared_data):
    pairs = pan13.read_pairs(shared_data / "pan13-subset")
    assert len(pairs) == 230 and {p.klass for p in pairs} == {
        "01-no-plagiarism", "02-no-obfuscation", "03-random-obfuscation", "04-translation-obfuscation",
        "05-summary-obfuscation"}
    rows = msrp.read_msrp(shared_data / "msrp" / "msr_paraphrase_train.txt")
    assert len(rows) == 4076 and sum(q for q, _, _ in rows) == 2753


def test_whole_file_rows_score_each_half_on_its_articles_and_count_links_across(tmp_path):
    """The families suite's whole-file rows: the labelled file clustered at once, each half scored on its own
    articles and on every pair touching them, and the links that join two halves' stories (wrong by
    construction) counted."""
    from benchmarks import families
    from benchmarks.metrics import Gold, ari
    from dedup import Dedup, load_documents, load_encoder

    rows = [json.loads(line) for line in Path("corpus/sample.jsonl").read_text(encoding="utf-8").splitlines()]
    stories = sorted({r["cluster"] for r in rows})
    for r in rows:  # split by story, as the dev sets are
        r["half"] = "tune" if stories.index(r["cluster"]) % 2 == 0 else "check"
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    encoder = load_encoder("hash")
    out, scan = families._whole_file(path, families.halves(path), encoder, 0.0, 1)
    assert [(r["method"], r["half"]) for r in out] == [(families.WHOLE_FILE, "tune"), (families.WHOLE_FILE, "check")]
    results = Dedup(encoder=encoder).cluster(load_documents([path])[0])
    family = {d.id: d.family or d.id for d in results.documents}
    half_of = {r["id"]: r["half"] for r in rows}
    for row, name in zip(out, ("tune", "check")):
        mine = [r for r in rows if r["half"] == name]
        assert row["ari"] == pytest.approx(ari({r["id"]: family[r["id"]] for r in mine}, Gold.from_records(mine)))
        assert sum(n for _, n in row["relations"].values()) == sum(name in (half_of[p.a], half_of[p.b])
                                                                   for p in results.pairs)
    gold = Gold.from_records(rows)
    across = sum(p.relation in ("rewrite", "near-duplicate", "duplicate") and half_of[p.a] != half_of[p.b]
                 and gold.cluster[p.a] not in gold.also[p.b] and gold.cluster[p.b] not in gold.also[p.a]
                 for p in results.pairs)
    links = sum(p.relation in ("rewrite", "near-duplicate", "duplicate") for p in results.pairs)
    assert f"{across} of its {links} links join two halves' stories" in out[0]["notes"]
    # the link_confidence scan: at the default it counts the run's own rewrite pairs touching the tune half,
    # and a higher threshold only ever shows fewer
    at_default = next(r for r in scan if r["link_confidence"] == Config().link_confidence)
    assert at_default["pairs"] == sum(p.relation == "rewrite" and "tune" in (half_of[p.a], half_of[p.b])
                                      for p in results.pairs)
    assert [r["pairs"] for r in scan] == sorted((r["pairs"] for r in scan), reverse=True)


def test_link_confidence_rule_takes_the_lowest_threshold_reaching_the_target_on_every_file():
    """The rule the default link_confidence is chosen by: per file the lowest threshold whose rewrite precision
    reaches the target (else the most precise), then the highest over files; never above the seeds' rewrite."""
    from benchmarks.families import LINK_TARGET, chosen_link_confidence

    def scan(*precisions):
        return [{"link_confidence": t, "precision": p, "pairs": 10} for t, p in zip((0.5, 0.6, 0.7, 0.8), precisions)]

    assert chosen_link_confidence({"a": scan(0.9, 0.95, 1.0, 1.0)}) == 0.5
    assert chosen_link_confidence({"a": scan(0.9, 0.95, 1.0, 1.0),
                                   "b": scan(LINK_TARGET - 0.1, LINK_TARGET - 0.01, LINK_TARGET, 0.9)}) == 0.7
    # a file that never reaches the target asks for its most precise threshold, not for the highest
    assert chosen_link_confidence({"a": scan(0.6, 0.75, 0.7, 0.7)}) == 0.6
    assert chosen_link_confidence({"a": scan(None, None, None, None)}) == 0.5
    # nor may it hide the seeds' rewrite: thresholds above its confidence are out
    assert chosen_link_confidence({"a": scan(0.6, 0.7, 0.75, 0.9)}, ceiling=0.75) == 0.7
    assert chosen_link_confidence({"a": scan(0.6, 0.7, 0.75, 0.9)}, ceiling=0.3) == 0.5


def test_default_link_confidence_is_what_the_rule_gives_on_the_saved_families_run():
    """RESULTS.md's families run and the shipped default agree: re-running the suite after a change to the judge
    or the pipeline and not revisiting link_confidence fails here."""
    from benchmarks.families import chosen_link_confidence

    saved = json.loads(Path("benchmarks/results.json").read_text(encoding="utf-8"))["suites"]["families"]["data"]
    assert set(saved["link_scan"]) == {"tass-dev.jsonl", "news-dev2.jsonl", "counter-urdu-dev.jsonl"}
    assert saved["seeds_link_confidence"] >= Config().link_confidence
    assert chosen_link_confidence(saved["link_scan"], saved["seeds_link_confidence"]) == Config().link_confidence
