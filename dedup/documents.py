"""Load articles from JSONL, CSV or a folder of .txt/.md files.

The article text is kept exactly as read (only line endings are normalised to
``\\n``), so every character offset in the results points into the text a
user can open. Bad input stops the run with the file and line named, or, with
``skip_invalid``, is reported as a :class:`Skipped` record: nothing is lost
silently.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

TEXT_SUFFIXES = (".txt", ".md")
KNOWN_FIELDS = {"id", "text", "title", "url", "source", "site", "published", "date"}
_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


class InputError(Exception):
    """A user input problem; ``str()`` names the file (and line) and what is wrong."""

    def __init__(self, path: str | Path, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Document:
    """One article: its text, optional metadata, and where it was read from."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    line: int | None = None

    @property
    def day(self) -> int | None:
        """The publication date as a day number (None when unknown), for date differences."""
        return date.fromisoformat(self.date).toordinal() if self.date else None


@dataclass(frozen=True)
class Skipped:
    """An input record left out under ``--skip-invalid``, with the reason."""

    path: str
    line: int | None
    reason: str
    id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "id": self.id, "reason": self.reason}


def _normalise_date(value: Any) -> str | None:
    """ISO date prefix (YYYY-MM-DD) of a date/time string, or None."""
    if value is None:
        return None
    m = _DATE_RE.match(str(value))
    if not m:
        return None
    iso = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    try:
        date.fromisoformat(iso)
    except ValueError:
        return None
    return iso


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _record_to_document(record: dict[str, Any], path: Path, line: int | None) -> Document:
    """Validate one JSONL/CSV record; raise InputError with the reason."""
    if not isinstance(record, dict):
        raise InputError(path, line, "expected a JSON object with 'id' and 'text'")
    raw_id = record.get("id")
    if raw_id is None or str(raw_id).strip() == "":
        raise InputError(path, line, "missing 'id'")
    doc_id = str(raw_id).strip()
    text = record.get("text")
    if text is None:
        raise InputError(path, line, f"document {doc_id!r} has no 'text' field")
    if not isinstance(text, str):
        raise InputError(path, line, f"document {doc_id!r}: 'text' must be a string")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, line, f"document {doc_id!r} has empty text")
    meta = {k: v for k, v in record.items() if k not in KNOWN_FIELDS}
    return Document(
        id=doc_id,
        text=text,
        title=_clean(record.get("title")),
        url=_clean(record.get("url")),
        source=_clean(record.get("source") or record.get("site")),
        date=_normalise_date(record.get("published") or record.get("date")),
        meta=meta,
        path=str(path),
        line=line,
    )


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, None, f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, line, f"invalid UTF-8 (byte {exc.start}); re-encode the file as UTF-8") from None
    return text


def _iter_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    for lineno, line in enumerate(_read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as exc:
            yield lineno, InputError(path, lineno, f"malformed JSON: {exc.msg} (column {exc.colno})")


def _iter_csv(path: Path) -> Iterator[tuple[int, Any]]:
    text = _read_text(path)
    reader = csv.DictReader(text.splitlines(keepends=True))
    if not reader.fieldnames or "text" not in reader.fieldnames or "id" not in reader.fieldnames:
        yield 1, InputError(path, 1, "CSV header must name at least the columns 'id' and 'text'")
        return
    try:
        for row in reader:
            yield reader.line_num, {k: v for k, v in row.items() if k is not None}
    except csv.Error as exc:
        yield reader.line_num, InputError(path, reader.line_num, f"malformed CSV: {exc}")


def _text_file_document(path: Path, root: Path) -> Document:
    """A .txt/.md article: id from the relative path, title from a short first line."""
    text = _read_text(path).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, None, "file has empty text")
    first = text.strip().split("\n", 1)[0].strip().lstrip("#").strip()
    title = first if 0 < len(first) <= 200 and not first.endswith((".", "!", "?", "。", "۔")) else None
    rel = path.relative_to(root) if path != root else Path(path.name)
    return Document(id=rel.with_suffix("").as_posix(), text=text, title=title, path=str(path))


def _iter_path(path: Path) -> Iterator[tuple[Path, int | None, Any]]:
    """Yield (file, line, record-or-Document-or-InputError) for one input path."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
        if not files:
            yield path, None, InputError(path, None, "folder has no .txt or .md files")
        for f in files:
            try:
                yield f, None, _text_file_document(f, path)
            except InputError as exc:
                yield f, None, exc
        return
    if not path.exists():
        yield path, None, InputError(path, None, "no such file or folder")
        return
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson", ".json"):
            rows: Iterable[tuple[int, Any]] = _iter_jsonl(path)
        elif suffix == ".csv":
            rows = _iter_csv(path)
        elif suffix in TEXT_SUFFIXES:
            yield path, None, _text_file_document(path, path)
            return
        else:
            yield path, None, InputError(path, None, "unsupported input; give a .jsonl, .csv, .txt/.md file or a folder")
            return
        for lineno, record in rows:
            yield path, lineno, record
    except InputError as exc:
        yield path, exc.line, exc


def load_documents(paths: Iterable[str | Path], skip_invalid: bool = False) -> tuple[list[Document], list[Skipped]]:
    """Read every document from ``paths``.

    Raises :class:`InputError` on the first bad record unless ``skip_invalid``,
    in which case bad records are returned as :class:`Skipped`. Duplicate ids
    are an error (or skipped: the first occurrence is kept).
    """
    docs: list[Document] = []
    skipped: list[Skipped] = []
    seen: dict[str, tuple[str, int | None]] = {}
    for path in paths:
        for file, lineno, item in _iter_path(Path(path)):
            try:
                if isinstance(item, InputError):
                    raise item
                doc = item if isinstance(item, Document) else _record_to_document(item, file, lineno)
                if doc.id in seen:
                    first_path, first_line = seen[doc.id]
                    where = f"{first_path}:{first_line}" if first_line is not None else first_path
                    raise InputError(file, lineno, f"duplicate id {doc.id!r} (first seen at {where})")
            except InputError as exc:
                if not skip_invalid:
                    raise
                raw_id = item.get("id") if isinstance(item, dict) else None
                skipped.append(Skipped(exc.path, exc.line, exc.reason, None if raw_id is None else str(raw_id)))
                continue
            seen[doc.id] = (str(file), lineno)
            docs.append(doc)
    return docs, skipped
