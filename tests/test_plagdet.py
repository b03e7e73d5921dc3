"""PAN plagdet: reproduces the official script on a real fixture, plus hand-made edge cases."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from benchmarks.plagdet import (
    Annotation,
    evaluate,
    evaluate_folders,
    read_folder,
    read_xml,
    write_detections,
)

CLASSES = ("04-translation-obfuscation", "05-summary-obfuscation")
COMBINED = "04+05 combined (truth/* vs detections_sanchezperez/*)"
FIELDS = {
    "plagdet": "plagdet",
    "macro_recall": "recall",
    "macro_precision": "precision",
    "granularity": "granularity",
    "micro_recall": "micro_recall",
    "micro_precision": "micro_precision",
    "plagdet_micro": "plagdet_micro",
}


def _assert_matches_official(scores, expected: dict) -> None:
    assert scores.cases == expected["n_cases"]
    assert scores.detections == expected["n_detections"]
    for key, field in FIELDS.items():
        assert getattr(scores, field) == pytest.approx(expected[key], abs=1e-4), key


@pytest.fixture(scope="module")
def fixture_dir(shared_data: Path) -> Path:
    return shared_data / "pan13-metric-fixture"


@pytest.fixture(scope="module")
def expected(fixture_dir: Path) -> dict:
    return json.loads((fixture_dir / "expected_official_script.json").read_text())


@pytest.mark.parametrize("name", CLASSES)
def test_reproduces_official_script_per_class(
    fixture_dir: Path, expected: dict, name: str
) -> None:
    scores = evaluate_folders(
        fixture_dir / "truth" / name, fixture_dir / "detections_sanchezperez" / name
    )
    _assert_matches_official(scores, expected[name])


def test_reproduces_official_script_combined(fixture_dir: Path, expected: dict) -> None:
    cases = [a for name in CLASSES for a in read_folder(fixture_dir / "truth" / name)]
    detections = [
        a for name in CLASSES for a in read_folder(fixture_dir / "detections_sanchezperez" / name)
    ]
    _assert_matches_official(evaluate(cases, detections), expected[COMBINED])
    # The official script also reads one level of subfolders, so the parent folders give the same.
    scores = evaluate_folders(fixture_dir / "truth", fixture_dir / "detections_sanchezperez")
    _assert_matches_official(scores, expected[COMBINED])


def _ann(this_offset: int, this_length: int, source_offset: int, source_length: int,
         susp: str = "s.txt", src: str = "r.txt") -> Annotation:
    return Annotation(susp, src, this_offset, this_length, source_offset, source_length)


CASE = _ann(100, 200, 1000, 400)


def test_perfect_detection() -> None:
    scores = evaluate([CASE], [CASE])
    assert (scores.recall, scores.precision, scores.granularity) == (1.0, 1.0, 1.0)
    assert scores.plagdet == 1.0
    assert scores.plagdet_micro == 1.0


def test_case_detected_in_two_halves() -> None:
    halves = [_ann(100, 100, 1000, 200), _ann(200, 100, 1200, 200)]
    scores = evaluate([CASE], halves)
    assert scores.recall == scores.precision == 1.0
    assert scores.granularity == 2.0
    assert scores.plagdet == pytest.approx(1 / math.log2(3))


def test_no_detections() -> None:
    scores = evaluate([CASE], [])
    assert scores.recall == scores.precision == scores.plagdet == 0.0
    assert scores.granularity == 1.0
    assert scores.detections == 0


def test_false_positive_lowers_precision_only() -> None:
    elsewhere = _ann(5000, 100, 9000, 100)
    scores = evaluate([CASE], [CASE, elsewhere])
    assert scores.recall == 1.0
    assert scores.precision == 0.5
    assert scores.micro_precision == pytest.approx(600 / 800)
    assert scores.granularity == 1.0


def test_overlap_needs_both_sides_and_same_documents() -> None:
    wrong_source_range = _ann(100, 200, 3000, 400)
    wrong_source_doc = _ann(100, 200, 1000, 400, src="other.txt")
    for detection in (wrong_source_range, wrong_source_doc):
        scores = evaluate([CASE], [detection])
        assert scores.recall == scores.precision == scores.plagdet == 0.0


def test_partial_detection_counts_both_sides() -> None:
    # Covers half the suspicious side and a quarter of the source side: (100 + 100) / 600.
    scores = evaluate([CASE], [_ann(100, 100, 1000, 100)])
    assert scores.recall == pytest.approx(200 / 600)
    assert scores.precision == 1.0


def test_duplicates_count_once() -> None:
    scores = evaluate([CASE, CASE], [CASE, CASE])
    assert (scores.cases, scores.detections, scores.granularity, scores.plagdet) == (1, 1, 1.0, 1.0)


def test_empty_truth_and_detections_is_perfect() -> None:
    assert evaluate([], []).plagdet == 1.0


def test_write_read_round_trip(tmp_path: Path) -> None:
    susp, src = 'susp & "quoted" <1>.txt', "src 'é' & <2>.txt"
    spans = [(0, 10, 5, 7), (123, 45, 678, 9)]
    path = tmp_path / "out" / "pair.xml"
    write_detections(path, susp, src, spans)
    raw = path.read_text(encoding="utf-8")
    assert "&amp;" in raw and "&lt;" in raw and "&quot;" in raw
    assert read_xml(path) == [Annotation(susp, src, *span) for span in spans]


def test_read_xml_ignores_other_features(tmp_path: Path) -> None:
    path = tmp_path / "truth.xml"
    path.write_text(
        '<document reference="s.txt">'
        '<feature name="about" authors="x"/><feature name="md5" value="y"/>'
        '<feature name="plagiarism" this_offset="1" this_length="2" source_reference="r.txt"'
        ' source_offset="3" source_length="4"/></document>',
        encoding="utf-8",
    )
    assert read_xml(path) == [_ann(1, 2, 3, 4)]
