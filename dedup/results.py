"""The results directory: JSONL files that carry every decision's evidence.

``documents.jsonl``  one line per input document (singletons too)
``families.jsonl``   one line per family of 2+ documents
``pairs.jsonl``      one line per linked pair with its aligned passages
``skipped.jsonl``    input records left out under ``--skip-invalid``
``run.json``         settings, model, counts and schema version of the run

Reports and diffs are rendered from these files, never by recomputing.
"""
from __future__ import annotations

import json
from collections.abc import MutableSequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, overload

SCHEMA_VERSION = 2
"""2: pairs carry the judge's ``confidence``, its ``features`` and the ``evidence`` in words (1 had ``strength``)."""
FILES = ("documents.jsonl", "families.jsonl", "pairs.jsonl", "skipped.jsonl")


class ResultsError(Exception):
    """A results directory is missing or unreadable; the message names the file."""


class JsonRecords(MutableSequence[dict[str, Any]]):
    """A list of records kept as their JSON lines, decoded on access.

    A corpus run links tens of pairs per article; as nested dicts each pair
    record takes about 3 KB, as one UTF-8 JSON line a fifth of that. Reading
    an item yields a fresh dict: to change a record, assign it back.
    """

    def __init__(self, rows: Iterable[dict[str, Any]] = ()) -> None:
        self._lines: list[bytes] = [_encode(r) for r in rows]

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, k: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, k: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, k: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(k, slice):
            return [json.loads(line) for line in self._lines[k]]
        return json.loads(self._lines[k])

    def __setitem__(self, k: Any, value: Any) -> None:
        self._lines[k] = [_encode(r) for r in value] if isinstance(k, slice) else _encode(value)

    def __delitem__(self, k: int | slice) -> None:
        del self._lines[k]

    def insert(self, k: int, value: dict[str, Any]) -> None:
        self._lines.insert(k, _encode(value))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (json.loads(line) for line in self._lines)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, JsonRecords)) and len(self) == len(other) and all(
            x == y for x, y in zip(self, other))

    def __repr__(self) -> str:
        return f"JsonRecords({len(self)} records)"

    def lines(self) -> Iterator[str]:
        """The records as JSON lines (without newlines), as written to disk."""
        return (line.decode("utf-8") for line in self._lines)


def _encode(row: dict[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False).encode("utf-8")


@dataclass
class Results:
    """A clustering run as plain records, exactly as written to disk."""

    documents: list[dict[str, Any]]
    families: list[dict[str, Any]]
    pairs: MutableSequence[dict[str, Any]]  # a list, or JsonRecords from a corpus run
    skipped: list[dict[str, Any]] = field(default_factory=list)
    run: dict[str, Any] = field(default_factory=dict)

    def document(self, doc_id: str) -> dict[str, Any]:
        """The document record with ``doc_id`` (KeyError names the id)."""
        for d in self.documents:
            if d["id"] == doc_id:
                return d
        raise KeyError(doc_id)

    def pair(self, a: str, b: str) -> dict[str, Any] | None:
        """The pair record linking ``a`` and ``b`` (either order), if any."""
        for p in self.pairs:
            if {p["a"], p["b"]} == {a, b}:
                return p
        return None

    def write(self, out_dir: str | Path) -> Path:
        """Write all files into ``out_dir`` (created if needed)."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        _write_jsonl(out / "documents.jsonl", self.documents)
        _write_jsonl(out / "families.jsonl", self.families)
        _write_jsonl(out / "pairs.jsonl", self.pairs)
        _write_jsonl(out / "skipped.jsonl", self.skipped)
        (out / "run.json").write_text(json.dumps({"schema": SCHEMA_VERSION, **self.run}, indent=2,
                                                 ensure_ascii=False) + "\n", encoding="utf-8")
        return out

    @classmethod
    def read(cls, out_dir: str | Path) -> "Results":
        """Load a results directory written by :meth:`write`."""
        out = Path(out_dir)
        if not out.is_dir():
            raise ResultsError(f"{out}: not a results directory (run `dedup cluster ... --out {out}` first)")
        run_path = out / "run.json"
        try:
            run = json.loads(run_path.read_text(encoding="utf-8")) if run_path.exists() else {}
        except json.JSONDecodeError as exc:
            raise ResultsError(f"{run_path}:{exc.lineno}: malformed JSON ({exc.msg})") from None
        if run.get("schema", SCHEMA_VERSION) > SCHEMA_VERSION:
            raise ResultsError(f"{run_path}: written by a newer dedup (schema {run['schema']}); upgrade dedup")
        if run.get("schema", SCHEMA_VERSION) < SCHEMA_VERSION:
            raise ResultsError(f"{run_path}: written by an older dedup (schema {run['schema']}, before pairs had a "
                               f"same-source confidence); run `dedup cluster` again to renew {out}")
        return cls(
            documents=_read_jsonl(out / "documents.jsonl"),
            families=_read_jsonl(out / "families.jsonl"),
            pairs=_read_jsonl(out / "pairs.jsonl"),
            skipped=_read_jsonl(out / "skipped.jsonl", required=False),
            run=run,
        )


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    lines = rows.lines() if isinstance(rows, JsonRecords) else (json.dumps(r, ensure_ascii=False) for r in rows)
    with tmp.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")
    tmp.replace(path)


def _read_jsonl(path: Path, required: bool = True) -> list[dict[str, Any]]:
    if not path.exists():
        if required:
            raise ResultsError(f"{path}: missing; is this a dedup results directory?")
        return []
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ResultsError(f"{path}:{lineno}: malformed JSON ({exc.msg})") from None
    return rows
