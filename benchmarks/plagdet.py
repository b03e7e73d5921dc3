"""PAN text-alignment evaluation (plagdet) and PAN XML input/output.

Reproduces PAN's official `pan13-text-alignment-eval` script (Potthast et al.,
"An Evaluation Framework for Plagiarism Detection", 2010), so our scores are
comparable with published PAN results. Conventions copied from that script:

- cases and detections are sets: exact duplicates count once;
- a detection and a case overlap only if they share both documents and their
  ranges intersect on the suspicious side AND on the source side;
- recall of a case counts its characters (suspicious plus source side) covered
  by the detections overlapping it; precision swaps cases and detections;
- recall is 1 if there are neither cases nor detections and 0 if only one
  side is empty; precision likewise (no detections but some cases gives 0);
- granularity is 1 when nothing is detected;
- micro counts pool characters per document name and side, so source text
  shared by several suspicious documents is counted once.
"""
from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

FEATURE_NAMES = ("plagiarism", "detected-plagiarism")
"""Feature names read as annotations: truth cases and system detections."""


@dataclass(frozen=True)
class Annotation:
    """A plagiarism case or detection: a suspicious range aligned with a source range."""

    susp: str
    src: str
    this_offset: int
    this_length: int
    source_offset: int
    source_length: int

    @property
    def this_end(self) -> int:
        """End (exclusive) of the suspicious-side range."""
        return self.this_offset + self.this_length

    @property
    def source_end(self) -> int:
        """End (exclusive) of the source-side range."""
        return self.source_offset + self.source_length


@dataclass
class Scores:
    """PAN text-alignment scores; recall and precision are macro-averaged as PAN ranks."""

    plagdet: float
    recall: float
    precision: float
    granularity: float
    micro_recall: float
    micro_precision: float
    plagdet_micro: float
    cases: int
    detections: int


def read_xml(path: str | Path) -> list[Annotation]:
    """Read the cases or detections of one PAN XML file; other features are ignored."""
    root = ET.parse(path).getroot()
    susp = root.get("reference")
    if susp is None:  # the official script ignores such files too
        return []
    annotations = []
    for feature in root:
        if feature.get("name") not in FEATURE_NAMES:
            continue
        try:
            annotations.append(Annotation(
                susp=susp,
                src=feature.attrib["source_reference"],
                this_offset=int(feature.attrib["this_offset"]),
                this_length=int(feature.attrib["this_length"]),
                source_offset=int(feature.attrib["source_offset"]),
                source_length=int(feature.attrib["source_length"]),
            ))
        except KeyError as missing:
            raise ValueError(f"{path}: feature lacks attribute {missing}") from None
    return annotations


def read_folder(folder: str | Path) -> list[Annotation]:
    """Read all `*.xml` in a folder and, as the official script does, in its direct subfolders."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"not a folder: {folder}")
    files = sorted(folder.glob("*.xml")) + sorted(folder.glob("*/*.xml"))
    return [annotation for path in files for annotation in read_xml(path)]


def write_detections(
    path: str | Path,
    susp_name: str,
    src_name: str,
    detections: list[tuple[int, int, int, int]],
) -> None:
    """Write detections `(this_offset, this_length, source_offset, source_length)` as PAN XML."""
    document = ET.Element("document", reference=susp_name)
    for this_offset, this_length, source_offset, source_length in detections:
        ET.SubElement(document, "feature", {
            "name": "detected-plagiarism",
            "this_offset": str(this_offset),
            "this_length": str(this_length),
            "source_reference": src_name,
            "source_offset": str(source_offset),
            "source_length": str(source_length),
        })
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(document).write(path, encoding="utf-8", xml_declaration=True)


def evaluate(cases: list[Annotation], detections: list[Annotation]) -> Scores:
    """Score detections against cases exactly as PAN's official script does."""
    cases = list(dict.fromkeys(cases))
    detections = list(dict.fromkeys(detections))
    case_hits = _overlapping(cases, detections)
    detection_hits = _overlapping(detections, cases)
    recall = _macro_recall(cases, detections, case_hits)
    precision = _macro_recall(detections, cases, detection_hits)
    granularity = _granularity(case_hits)
    micro_recall, micro_precision = _micro_recall_precision(cases, detections, case_hits)
    return Scores(
        plagdet=_plagdet(recall, precision, granularity),
        recall=recall,
        precision=precision,
        granularity=granularity,
        micro_recall=micro_recall,
        micro_precision=micro_precision,
        plagdet_micro=_plagdet(micro_recall, micro_precision, granularity),
        cases=len(cases),
        detections=len(detections),
    )


def evaluate_folders(truth_dir: str | Path, detections_dir: str | Path) -> Scores:
    """Score a folder of detection XMLs against a folder of truth XMLs (one PAN class)."""
    return evaluate(read_folder(truth_dir), read_folder(detections_dir))


def _is_overlapping(a: Annotation, b: Annotation) -> bool:
    """Whether a and b share documents and intersect on both the suspicious and source side."""
    return (
        a.susp == b.susp and a.src == b.src
        and b.this_offset < a.this_end and b.this_end > a.this_offset
        and b.source_offset < a.source_end and b.source_end > a.source_offset
    )


def _overlapping(
    annotations: list[Annotation], others: list[Annotation]
) -> dict[Annotation, list[Annotation]]:
    """Map each annotation to the others overlapping it; grouped by document pair for speed."""
    by_pair: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for other in others:
        by_pair[other.susp, other.src].append(other)
    return {
        a: [b for b in by_pair.get((a.susp, a.src), ()) if _is_overlapping(a, b)]
        for a in annotations
    }


def _union_length(spans: list[tuple[int, int]]) -> int:
    """Number of positions covered by half-open spans, overlaps counted once."""
    total, reached = 0, None
    for start, end in sorted(spans):
        if reached is not None and start < reached:
            start = reached
        if end > start:
            total += end - start
            reached = end
    return total


def _covered_chars(a: Annotation, others: list[Annotation]) -> int:
    """Characters of a (both sides) covered by the others."""
    this = [(max(o.this_offset, a.this_offset), min(o.this_end, a.this_end)) for o in others]
    source = [
        (max(o.source_offset, a.source_offset), min(o.source_end, a.source_end)) for o in others
    ]
    return _union_length(this) + _union_length(source)


def _macro_recall(
    annotations: list[Annotation],
    others: list[Annotation],
    hits: dict[Annotation, list[Annotation]],
) -> float:
    """Mean share of each annotation's characters covered by the others overlapping it."""
    if not annotations and not others:
        return 1.0
    if not annotations or not others:
        return 0.0
    covered = sum(
        _covered_chars(a, hits[a]) / (a.this_length + a.source_length)
        for a in annotations if hits[a]
    )
    return covered / len(annotations)


def _granularity(case_hits: dict[Annotation, list[Annotation]]) -> float:
    """Mean number of detections per detected case; 1 if none is detected."""
    counts = [len(detections) for detections in case_hits.values() if detections]
    return sum(counts) / len(counts) if counts else 1.0


def _count_chars(annotations: list[Annotation]) -> int:
    """Characters covered per document name and side, overlaps counted once."""
    this: dict[str, list[tuple[int, int]]] = defaultdict(list)
    source: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for a in annotations:
        this[a.susp].append((a.this_offset, a.this_end))
        source[a.src].append((a.source_offset, a.source_end))
    return sum(map(_union_length, this.values())) + sum(map(_union_length, source.values()))


def _micro_recall_precision(
    cases: list[Annotation],
    detections: list[Annotation],
    case_hits: dict[Annotation, list[Annotation]],
) -> tuple[float, float]:
    """Character-level recall and precision over all cases and detections."""
    if not cases and not detections:
        return 1.0, 1.0
    if not cases or not detections:
        return 0.0, 0.0
    true_parts = [
        Annotation(
            case.susp, case.src,
            max(case.this_offset, d.this_offset),
            min(case.this_end, d.this_end) - max(case.this_offset, d.this_offset),
            max(case.source_offset, d.source_offset),
            min(case.source_end, d.source_end) - max(case.source_offset, d.source_offset),
        )
        for case, hits in case_hits.items() for d in hits
    ]
    detected = _count_chars(true_parts)
    plagiarized, reported = _count_chars(cases), _count_chars(detections)
    return (
        detected / plagiarized if plagiarized else 0.0,
        detected / reported if reported else 0.0,
    )


def _plagdet(recall: float, precision: float, granularity: float) -> float:
    """F1 of recall and precision, discounted by log2(1 + granularity)."""
    if recall + precision == 0:
        return 0.0
    return 2 * recall * precision / (recall + precision) / math.log2(1 + granularity)
