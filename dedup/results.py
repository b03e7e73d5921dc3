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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

SCHEMA_VERSION = 1
FILES = ("documents.jsonl", "families.jsonl", "pairs.jsonl", "skipped.jsonl")


class ResultsError(Exception):
    """A results directory is missing or unreadable; the message names the file."""


@dataclass
class Results:
    """A clustering run as plain records, exactly as written to disk."""

    documents: list[dict[str, Any]]
    families: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
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
        return cls(
            documents=_read_jsonl(out / "documents.jsonl"),
            families=_read_jsonl(out / "families.jsonl"),
            pairs=_read_jsonl(out / "pairs.jsonl"),
            skipped=_read_jsonl(out / "skipped.jsonl", required=False),
            run=run,
        )


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
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
