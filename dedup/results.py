"""The results directory: JSONL files that carry every decision's evidence.

``documents.jsonl``  one line per input document (singletons too)
``families.jsonl``   one line per family of 2+ documents
``pairs.jsonl``      one line per pair sharing passages (links and related pairs), with its evidence
``related.jsonl``    one line per related group (articles sharing passages across families)
``skipped.jsonl``    input records left out under ``--skip-invalid``
``run.json``         settings, model, counts and schema version of the run

Reports and diffs are rendered from these files, never by recomputing.
"""
from __future__ import annotations

import json
from collections.abc import MutableSequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar, overload

from .families import core_and_related
from .records import DocumentRecord, Family, PairRecord, RelatedGroup
from .text import split_sentences

T = TypeVar("T")

SCHEMA_VERSION = 3
"""3: documents carry their sentence offsets, family members their numbered core passages, and related groups
have their own file; 2 (read, sentences split again) had them worked out by the views; 1 had no confidence."""
FILES = ("documents.jsonl", "families.jsonl", "pairs.jsonl", "related.jsonl", "skipped.jsonl")


class ResultsError(Exception):
    """A results directory is missing or unreadable; the message names the file."""


class PairRecords(MutableSequence[PairRecord]):
    """The pair records of a run, kept as their JSON lines and decoded on access.

    A corpus run links tens of pairs per article; as objects each pair
    record takes about 3 KB, as one UTF-8 JSON line a fifth of that. Reading
    an item yields a fresh record: to change one, assign it back.
    """

    def __init__(self, rows: Iterable[PairRecord] = ()) -> None:
        self._lines: list[bytes] = [_encode(r.to_json()) for r in rows]

    @classmethod
    def from_lines(cls, lines: Iterable[bytes]) -> "PairRecords":
        """Records from their saved JSON lines (each checked when decoded)."""
        out = cls()
        out._lines = list(lines)
        return out

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, k: int) -> PairRecord: ...

    @overload
    def __getitem__(self, k: slice) -> list[PairRecord]: ...

    def __getitem__(self, k: int | slice) -> PairRecord | list[PairRecord]:
        if isinstance(k, slice):
            return [PairRecord.from_json(json.loads(line)) for line in self._lines[k]]
        return PairRecord.from_json(json.loads(self._lines[k]))

    def __setitem__(self, k: Any, value: Any) -> None:
        self._lines[k] = [_encode(r.to_json()) for r in value] if isinstance(k, slice) else _encode(value.to_json())

    def __delitem__(self, k: int | slice) -> None:
        del self._lines[k]

    def insert(self, k: int, value: PairRecord) -> None:
        self._lines.insert(k, _encode(value.to_json()))

    def __iter__(self) -> Iterator[PairRecord]:
        return (PairRecord.from_json(json.loads(line)) for line in self._lines)

    def offsets_only(self) -> Iterator[PairRecord]:
        """The records without their sentence matches and features (what family building reads)."""
        return (PairRecord.from_json(json.loads(line), matches=False) for line in self._lines)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, PairRecords)) and len(self) == len(other) and all(
            x == y for x, y in zip(self, other))

    def __repr__(self) -> str:
        return f"PairRecords({len(self)} records)"

    def lines(self) -> Iterator[str]:
        """The records as JSON lines (without newlines), as written to disk."""
        return (line.decode("utf-8") for line in self._lines)


def _encode(row: dict[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False).encode("utf-8")


@dataclass
class Results:
    """A clustering run as typed records (:mod:`dedup.records`), exactly what is written to disk."""

    documents: list[DocumentRecord]
    families: list[Family]
    pairs: PairRecords
    related: list[RelatedGroup] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    run: dict[str, Any] = field(default_factory=dict)

    def document(self, doc_id: str) -> DocumentRecord:
        """The document record with ``doc_id`` (KeyError names the id)."""
        index = self.__dict__.get("_index")
        if index is None or len(index) != len(self.documents):
            index = self.__dict__["_index"] = {d.id: d for d in self.documents}
        return index[doc_id]

    def family(self, family_id: str) -> Family:
        """The family with ``family_id`` (KeyError names the id)."""
        for f in self.families:
            if f.id == family_id:
                return f
        raise KeyError(family_id)

    def pair(self, a: str, b: str) -> PairRecord | None:
        """The pair record of ``a`` and ``b`` seen from ``a`` (every per-side field on a's side), if any."""
        for p in self.pairs:
            if {p.a, p.b} == {a, b}:
                return p.seen_from(a)
        return None

    def write(self, out_dir: str | Path) -> Path:
        """Write all files into ``out_dir`` (created if needed)."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        _write_lines(out / "documents.jsonl", (_dumps(d.to_json()) for d in self.documents))
        _write_lines(out / "families.jsonl", (_dumps(f.to_json()) for f in self.families))
        _write_lines(out / "pairs.jsonl", self.pairs.lines())
        _write_lines(out / "related.jsonl", (_dumps(g.to_json()) for g in self.related))
        _write_lines(out / "skipped.jsonl", (_dumps(s) for s in self.skipped))
        (out / "run.json").write_text(json.dumps({**self.run, "schema": SCHEMA_VERSION}, indent=2,
                                                 ensure_ascii=False) + "\n", encoding="utf-8")
        return out

    @classmethod
    def read(cls, out_dir: str | Path) -> "Results":
        """Load a results directory written by :meth:`write` (or by the previous schema, 2)."""
        out = Path(out_dir)
        if not out.is_dir():
            raise ResultsError(f"{out}: not a results directory (run `dedup cluster ... --out {out}` first)")
        run_path = out / "run.json"
        try:
            run = json.loads(run_path.read_text(encoding="utf-8")) if run_path.exists() else {}
        except json.JSONDecodeError as exc:
            raise ResultsError(f"{run_path}:{exc.lineno}: malformed JSON ({exc.msg})") from None
        schema = run.get("schema", SCHEMA_VERSION)
        if schema > SCHEMA_VERSION:
            raise ResultsError(f"{run_path}: written by a newer dedup (schema {schema}); upgrade dedup")
        if schema < 2:
            raise ResultsError(f"{run_path}: written by an older dedup (schema {schema}, before pairs had a "
                               f"same-source confidence); run `dedup cluster` again to renew {out}")
        documents = [_decode(path, line, row, DocumentRecord.from_json)
                     for path, line, row in _read_jsonl(out / "documents.jsonl")]
        results = cls(
            documents=documents,
            families=[_decode(path, line, row, Family.from_json) for path, line, row in
                      _read_jsonl(out / "families.jsonl")],
            pairs=PairRecords.from_lines(_read_lines(out / "pairs.jsonl")),
            related=[_decode(path, line, row, RelatedGroup.from_json) for path, line, row in
                     _read_jsonl(out / "related.jsonl", required=schema >= 3)],
            skipped=[row for _, _, row in _read_jsonl(out / "skipped.jsonl", required=False)],
            run=run,
        )
        if schema < 3:
            _upgrade(results)
        return results


def _upgrade(results: Results) -> None:
    """Schema 2 saved no sentence offsets, core passage numbers or related groups: work them out once, on
    reading. The only place a saved text is split into sentences again (right while the splitter is the
    one the run used)."""
    for d in results.documents:
        d.sentences = [(s.start, s.end) for s in split_sentences(d.text)]
    results.related = core_and_related(results.families, results.pairs, {d.id: d.text for d in results.documents},
                                       {d.id: d.sentences for d in results.documents},
                                       {d.id: d.date for d in results.documents})


def _dumps(row: Any) -> str:
    return json.dumps(row, ensure_ascii=False)


def _write_lines(path: Path, lines: Iterable[str]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")
    tmp.replace(path)


def _decode(path: Path, lineno: int, row: Any, build: Callable[[Any], T]) -> T:
    try:
        return build(row)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ResultsError(f"{path}:{lineno}: not a dedup record ({type(exc).__name__}: {exc}); "
                           "re-run `dedup cluster`") from None


def _read_lines(path: Path) -> list[bytes]:
    if not path.exists():
        raise ResultsError(f"{path}: missing; is this a dedup results directory?")
    return [line.rstrip(b"\r\n") for line in path.read_bytes().splitlines() if line.strip()]


def _read_jsonl(path: Path, required: bool = True) -> Iterator[tuple[Path, int, Any]]:
    if not path.exists():
        if required:
            raise ResultsError(f"{path}: missing; is this a dedup results directory?")
        return
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield path, lineno, json.loads(line)
            except json.JSONDecodeError as exc:
                raise ResultsError(f"{path}:{lineno}: malformed JSON ({exc.msg})") from None
