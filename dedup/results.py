"""The results directory: JSONL files that carry every decision's evidence.

``documents.jsonl``  one line per input document (singletons too)
``families.jsonl``   one line per family of 2+ documents
``pairs.jsonl``      one line per pair sharing passages (links and related pairs), with its evidence
``related.jsonl``    one line per related group (articles sharing passages across families)
``skipped.jsonl``    input records left out under ``--skip-invalid``
``run.json``         settings, model, counts and schema version of the run

Reports and diffs are rendered from these files, never by recomputing.

Writing is one unit: the files go into a sibling directory ``.NAME.tmp-XXXX``,
are flushed to disk, and that directory is swapped with ``NAME`` in one step
(``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere two renames, between
which ``NAME`` is briefly missing and the old results wait in
``.NAME.old-XXXX``). Plain files a user keeps in a results directory (a
``report.html``) are carried over; a non-empty folder without ``run.json``
or ``documents.jsonl``, or one holding sub-folders, is not replaced. A write
cut short leaves at most such a sibling directory, which the next write of
``NAME`` removes.

Reading checks every record: JSON objects of the right types (see
:mod:`dedup.records`), ids unique and known wherever they are named,
offsets within the texts they point into, each document in the family that
lists it, and the counts of ``run.json`` matching the files. Pairs are kept
as their JSON lines and decoded on access; each line is decoded and checked
once on reading, so later decoding cannot fail. Anything damaged is one
:class:`ResultsError` naming the file and line.
"""
from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
from array import array
from collections.abc import MutableSequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, NoReturn, TypeVar, overload

from .config import saved_config
from .families import Numbered, core_and_related
from .records import DocumentRecord, Family, PairRecord, RecordError, RelatedGroup, Span, json_type
from .text import split_sentences

T = TypeVar("T")

SCHEMA_VERSION = 4
"""3: documents carry their sentence offsets, family members their numbered core passages, and related groups
have their own file; 2 (read, sentences split again) had them worked out by the views; 1 had no confidence."""
FILES = ("documents.jsonl", "families.jsonl", "pairs.jsonl", "related.jsonl", "skipped.jsonl")


class ResultsError(Exception):
    """A results directory is missing or unreadable; the message names the file."""


class ResultsWriteError(ResultsError, OSError):
    """Results cannot be written (the folder is not a results directory, a text cannot be saved); an
    :class:`OSError` too, like any other reason a directory cannot be written."""


class PairRecords(MutableSequence[PairRecord]):
    """The pair records of a run, kept as their JSON lines in a temporary file and decoded on access.

    A corpus run links tens of pairs per article: at 10^5 articles millions
    of records, gigabytes even as JSON lines. They are spooled to an unnamed
    temporary file (in ``$TMPDIR``, gone when the process ends) as they are
    decided; memory holds only each line's offset and length. Reading an
    item yields a fresh record: to change one, assign it back (the new line
    is appended to the file and the index points at it).
    """

    def __init__(self, rows: Iterable[PairRecord] = ()) -> None:
        self._file = tempfile.TemporaryFile(prefix="dedup-pairs-")
        self._end = 0
        self._offsets = array("q")
        self._lengths = array("q")
        self.extend_lines(encode_pair(r) for r in rows)

    @classmethod
    def from_lines(cls, lines: Iterable[bytes]) -> "PairRecords":
        """Records from their saved JSON lines (each checked when decoded)."""
        out = cls()
        out.extend_lines(lines)
        return out

    def _store(self, line: bytes) -> tuple[int, int]:
        """Append ``line`` to the spool file; its offset and length."""
        at = self._end
        self._file.seek(at)
        self._file.write(line)
        self._end += len(line)
        return at, len(line)

    def extend_lines(self, lines: Iterable[bytes]) -> None:
        """Append encoded record lines (as :func:`encode_pair` makes them), in one buffered write."""
        self._file.seek(self._end)
        for line in lines:
            self._offsets.append(self._end)
            self._lengths.append(len(line))
            self._file.write(line)
            self._end += len(line)
        self._file.flush()

    def _line(self, k: int) -> bytes:
        self._file.flush()
        return os.pread(self._file.fileno(), self._lengths[k], self._offsets[k])

    def raw_lines(self) -> Iterator[bytes]:
        """The records' JSON lines in order (UTF-8, no newline), read from the spool file in large blocks."""
        self._file.flush()
        fd = self._file.fileno()
        for start in range(0, len(self), 4096):
            stop = min(start + 4096, len(self))
            offsets, lengths = self._offsets[start:stop], self._lengths[start:stop]
            contiguous = all(offsets[x + 1] == offsets[x] + lengths[x] for x in range(len(offsets) - 1))
            if contiguous and len(offsets):
                block = os.pread(fd, offsets[-1] + lengths[-1] - offsets[0], offsets[0])
                at = 0
                for length in lengths:
                    yield block[at: at + length]
                    at += length
            else:
                for offset, length in zip(offsets, lengths):
                    yield os.pread(fd, length, offset)

    def __len__(self) -> int:
        return len(self._offsets)

    @overload
    def __getitem__(self, k: int) -> PairRecord: ...

    @overload
    def __getitem__(self, k: slice) -> list[PairRecord]: ...

    def __getitem__(self, k: int | slice) -> PairRecord | list[PairRecord]:
        if isinstance(k, slice):
            return [self[x] for x in range(*k.indices(len(self)))]
        k = range(len(self))[k]  # negative indices, IndexError
        return PairRecord.from_json(json.loads(self._line(k)))

    def __setitem__(self, k: Any, value: Any) -> None:
        if isinstance(k, slice):
            targets = range(*k.indices(len(self)))
            values = list(value)
            if len(values) != len(targets):
                raise ValueError("PairRecords slices are assigned item for item")
            for x, record in zip(targets, values):
                self[x] = record
            return
        k = range(len(self))[k]
        self._offsets[k], self._lengths[k] = self._store(encode_pair(value))

    def __delitem__(self, k: int | slice) -> None:
        del self._offsets[k], self._lengths[k]

    def insert(self, k: int, value: PairRecord) -> None:
        at, length = self._store(encode_pair(value))
        self._offsets.insert(k, at)
        self._lengths.insert(k, length)

    def __iter__(self) -> Iterator[PairRecord]:
        return (PairRecord.from_json(json.loads(line)) for line in self.raw_lines())

    def offsets_only(self) -> Iterator[PairRecord]:
        """The records without their sentence matches, features and evidence (what family building reads)."""
        return (PairRecord.from_json(json.loads(line), matches=False) for line in self.raw_lines())

    def numbered(self, chosen: Iterable[int]) -> Iterator[Numbered]:
        """What core passages and related groups read of the ``chosen`` records (:class:`Numbered`), read
        straight from the lines this run wrote."""
        return (Numbered.from_json(json.loads(self._line(k))) for k in chosen)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, PairRecords)) and len(self) == len(other) and all(
            x == y for x, y in zip(self, other))

    def __repr__(self) -> str:
        return f"PairRecords({len(self)} records)"

    def lines(self) -> Iterator[str]:
        """The records as JSON lines (without newlines), as written to disk."""
        return (line.decode("utf-8") for line in self.raw_lines())


def encode_pair(record: PairRecord) -> bytes:
    """A pair record as its saved JSON line (UTF-8, no newline)."""
    row = record.to_json()
    return _utf8(f"pair {row['a']!r} - {row['b']!r}", _dumps(row), row)


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
        """Write all files into ``out_dir`` as one unit (parent folders created).

        The files go into a temporary sibling directory, are flushed to disk,
        and the directory then takes the place of ``out_dir`` in one step (see
        the module docstring): a reader, or a kill at any moment, sees the old
        results or the new ones, never a mix. Files of an earlier run's directory that are not
        results (a ``report.html``) are kept. A folder that is not empty and
        holds no results is refused (:class:`ResultsWriteError`), as is text
        that cannot be saved as UTF-8 (a lone surrogate); then nothing is
        left behind.
        """
        _remove_leftovers(Path(out_dir).resolve())
        target = check_writable(out_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        new = target.parent / f".{target.name}{_TMP}{secrets.token_hex(4)}"
        new.mkdir()
        try:
            self._write_files(new)
            if target.exists():
                _carry_over(target, new)
            _swap(new, target)
        finally:
            shutil.rmtree(new, ignore_errors=True)  # after the swap: the previous results
        return Path(out_dir)

    def _write_files(self, out: Path) -> None:
        _write_jsonl(out / "documents.jsonl", ((f"document {d.id!r}", d.to_json()) for d in self.documents))
        _write_jsonl(out / "families.jsonl", ((f"family {f.id!r}", f.to_json()) for f in self.families))
        with _durable(out / "pairs.jsonl") as fh:
            for line in self.pairs.raw_lines():
                fh.write(line + b"\n")
        _write_jsonl(out / "related.jsonl", ((f"related group {g.id!r}", g.to_json()) for g in self.related))
        _write_jsonl(out / "skipped.jsonl", ((f"skipped record {s.get('id') or s.get('path')!r}", s)
                                             for s in self.skipped))
        with _durable(out / "run.json") as fh:
            fh.write(_utf8("run.json", json.dumps({**self.run, "schema": SCHEMA_VERSION}, indent=2,
                                                  ensure_ascii=False) + "\n", self.run))
        _fsync_dir(out)

    @classmethod
    def read(cls, out_dir: str | Path) -> "Results":
        """Load a results directory written by :meth:`write` (or by the previous schema, 2).

        Every record is checked (see the module docstring); anything damaged
        raises one :class:`ResultsError` naming the file and line.
        """
        out = Path(out_dir)
        if not out.is_dir():
            aside = sorted(out.parent.glob(f".{out.name}{_OLD}*"))
            hint = f"; a write was interrupted and left the previous results in {aside[0]}" if aside else ""
            raise ResultsError(f"{out}: not a results directory (run `dedup cluster ... --out {out}` first){hint}")
        run_path = out / "run.json"
        run = _read_run(run_path) if run_path.exists() else {}
        schema = run.get("schema", SCHEMA_VERSION)
        if schema > SCHEMA_VERSION:
            raise ResultsError(f"{run_path}: written by a newer dedup (schema {schema}); upgrade dedup")
        if schema < 2:
            raise ResultsError(f"{run_path}: written by an older dedup (schema {schema}, before pairs had a "
                               f"same-source confidence); run `dedup cluster` again to renew {out}")
        docs_path = out / "documents.jsonl"
        documents = [(line, _decode(docs_path, line, row, DocumentRecord.from_json))
                     for line, row in _read_jsonl(docs_path)]
        docs: dict[str, DocumentRecord] = {}
        for line, d in documents:
            if docs.setdefault(d.id, d) is not d:
                _damaged(docs_path, line, f"document {d.id!r} is given twice")
            if schema < 3:  # schema 2 saved no sentence offsets: split the texts again, once
                d.sentences = [(s.start, s.end) for s in split_sentences(d.text)]
        pairs_path = out / "pairs.jsonl"
        pairs = PairRecords.from_lines(_checked_pairs(pairs_path, docs))
        families_path = out / "families.jsonl"
        families = [(line, _decode(families_path, line, row, Family.from_json))
                    for line, row in _read_jsonl(families_path)]
        family_of = _check_families(families_path, families, docs)
        _check_documents(docs_path, documents, family_of, docs)
        related_path = out / "related.jsonl"
        # related groups before schema 4 were connected components (hairballs) without a summary: found again
        related = [(line, _decode(related_path, line, row, RelatedGroup.from_json))
                   for line, row in _read_jsonl(related_path, required=True)] if schema >= 4 else []
        for line, group in related:
            _check_related(related_path, line, group, docs)
        skipped_path = out / "skipped.jsonl"
        results = cls(
            documents=[d for _, d in documents],
            families=[f for _, f in families],
            pairs=pairs,
            related=[g for _, g in related],
            skipped=[_decode(skipped_path, line, row, _skipped) for line, row in
                     _read_jsonl(skipped_path, required=False)],
            run=run,
        )
        _check_counts(run_path, results)
        if schema < 4:
            results.related = core_and_related(results.families, map(Numbered.of, results.pairs),
                                               {d.id: d.text for d in docs.values()},
                                               {d.id: d.sentences for d in docs.values()},
                                               {d.id: d.date for d in docs.values()}, saved_config(run.get("config", {})))
            results.run.setdefault("counts", {})["related_groups"] = len(results.related)
        return results


_TMP, _OLD = ".tmp-", ".old-"
"""Infixes of the sibling directories a write works in: ``.NAME.tmp-XXXX`` (new results being written, or
the previous ones after the swap) and ``.NAME.old-XXXX`` (the previous ones, where no atomic swap exists)."""
_OWN = {*FILES, "run.json"} | {f"{name}.tmp" for name in (*FILES, "run.json")}
"""Names of a results directory that a write replaces (with the ``.tmp`` files older versions left)."""


def check_writable(out_dir: str | Path) -> Path:
    """The directory :meth:`Results.write` would replace (``out_dir``, symlinks followed); raises
    :class:`ResultsWriteError` where replacing it could lose other files. Callers may check before long work."""
    out = Path(out_dir)
    target = out.resolve()
    if target.exists() and not target.is_dir():
        raise ResultsWriteError(f"{out}: is a file, not a results directory")
    if target == Path.cwd():
        raise ResultsWriteError(f"{out}: is the current directory; results replace their directory as a whole, "
                                "so write them from outside it")
    entries = list(target.iterdir()) if target.is_dir() else []
    if entries and not any((target / name).is_file() for name in ("run.json", "documents.jsonl")):
        raise ResultsWriteError(f"{out}: not empty and not a dedup results directory (no run.json or "
                                "documents.jsonl); give a new or empty folder")
    for entry in entries:
        if entry.name not in _OWN and (entry.is_symlink() or not entry.is_file()):
            raise ResultsWriteError(f"{out}: holds {entry.name!r}, which is not a plain file; results replace "
                                    "their directory as a whole and keep only plain files put in it: move it out "
                                    "first")
    return target


def _remove_leftovers(target: Path) -> None:
    """Remove the sibling directories an interrupted write of ``target`` left behind; previous results set
    aside by a write killed between its two renames are put back first (they hold the user's other files)."""
    for pattern in (f".{target.name}{_OLD}*", f".{target.name}{_TMP}*"):
        for leftover in sorted(target.parent.glob(pattern)):
            if not leftover.is_dir() or leftover.is_symlink():
                continue
            if pattern.endswith(f"{_OLD}*") and not target.exists():
                leftover.rename(target)
            else:
                shutil.rmtree(leftover, ignore_errors=True)


def _carry_over(old: Path, new: Path) -> None:
    """Link (or copy) into ``new`` the files of ``old`` that are not results, such as a ``report.html``."""
    for entry in old.iterdir():
        if entry.name in _OWN:
            continue
        try:
            os.link(entry, new / entry.name)
        except OSError:
            shutil.copy2(entry, new / entry.name)


def _swap(new: Path, target: Path) -> None:
    """Put directory ``new`` in the place of ``target``; the previous ``target``, if any, ends up at ``new``."""
    if not target.exists():
        new.rename(target)
    elif not _exchange(new, target):  # two renames: for a moment target is missing, the old results aside
        aside = target.parent / f".{target.name}{_OLD}{secrets.token_hex(4)}"
        target.rename(aside)
        try:
            new.rename(target)
        except BaseException:
            aside.rename(target)
            raise
        aside.rename(new)
    _fsync_dir(target.parent)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where the
    system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextmanager
def _durable(path: Path) -> Iterator[BinaryIO]:
    """``path`` opened for writing bytes, flushed to disk when the block ends."""
    with path.open("wb") as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    """Make the entries of directory ``path`` durable (POSIX; elsewhere a rename is as far as it goes)."""
    if os.name == "posix":
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_jsonl(path: Path, rows: Iterable[tuple[str, Any]]) -> None:
    """One JSON line per ``(name, row)``; ``name`` says whose text cannot be saved, if one cannot."""
    with _durable(path) as fh:
        for name, row in rows:
            fh.write(_utf8(name, _dumps(row) + "\n", row))


def _utf8(name: str, line: str, row: Any) -> bytes:
    try:
        return line.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ResultsWriteError(f"{name}: {_unencodable(row) or 'a text'} holds {exc.object[exc.start]!r}, "
                                "a lone surrogate that cannot be saved as UTF-8 (invalid Unicode text)") from None


def _unencodable(value: Any, where: str = "") -> str | None:
    """The field of ``value`` (``text``, ``meta.author``, ...) holding a string that is not valid Unicode."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where or "a text"
    elif isinstance(value, dict):
        for key, item in value.items():
            found = _unencodable(key, f"a field name in {where or 'the record'}") or _unencodable(
                item, f"{where}.{key}" if where else str(key))
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for k, item in enumerate(value):
            if found := _unencodable(item, f"{where}[{k}]"):
                return found
    return None


def _dumps(row: Any) -> str:
    return json.dumps(row, ensure_ascii=False)


# --- reading: every record checked, errors as file:line ------------------------------------------------------


def _damaged(path: Path, lineno: int, what: str) -> NoReturn:
    raise ResultsError(f"{path}:{lineno}: {what}; re-run `dedup cluster`")


def _decode(path: Path, lineno: int, row: Any, build: Callable[[Any], T]) -> T:
    try:
        return build(row)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        _damaged(path, lineno, str(exc) if isinstance(exc, RecordError) else
                 f"not a dedup record ({type(exc).__name__}: {exc})")


_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")
"""A lone surrogate may hide in a line as a JSON escape or as UTF-8-style bytes (which ``json`` lets pass)."""


def _parse(path: Path, lineno: int, line: bytes) -> Any:
    """The JSON value of one line; malformed JSON, bytes that are not UTF-8 or text that is not valid
    Unicode (an escaped lone surrogate) are errors naming the line."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        _damaged(path, lineno + exc.lineno - 1, f"malformed JSON ({exc.msg}, column {exc.colno})")
    except UnicodeDecodeError:
        _damaged(path, lineno, "not UTF-8 text")
    except RecursionError:
        _damaged(path, lineno, "JSON nested too deeply")
    if (b"\\u" in line or b"\xed" in line) and _SURROGATE.search(line) and _unencodable(value):
        _damaged(path, lineno, f"{_unencodable(value)} holds a lone surrogate (invalid Unicode text)")
    return value


def _read_run(path: Path) -> dict[str, Any]:
    """``run.json``: an object whose ``schema``, ``counts``, ``config`` and ``model`` have their types."""
    run = _parse(path, 1, path.read_bytes())
    if type(run) is not dict:
        _damaged(path, 1, f"expected a JSON object, got {json_type(run)}")
    checks: dict[str, tuple[str, Callable[[Any], bool]]] = {
        "schema": ("a whole number", lambda v: type(v) is int),
        "counts": ("an object of counts", lambda v: type(v) is dict and all(
            type(n) is int and n >= 0 for n in v.values())),
        "config": ("an object", lambda v: type(v) is dict),
        "model": ("a string or null", lambda v: v is None or type(v) is str),
        "dedup_version": ("a string or null", lambda v: v is None or type(v) is str),
    }
    for key, (expected, ok) in checks.items():
        if key in run and not ok(run[key]):
            _damaged(path, _line_of(path, key), f"field {key!r}: expected {expected}")
    return run


def _line_of(path: Path, key: str) -> int:
    """The line of ``path`` where field ``key`` is written first (1 if not found)."""
    needle = json.dumps(key).encode("utf-8") + b":"
    for lineno, line in enumerate(path.read_bytes().splitlines(), start=1):
        if needle in line:
            return lineno
    return 1


def _numbered_lines(path: Path, required: bool = True) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of ``path`` with their numbers (nothing for a missing file not ``required``)."""
    if not path.exists():
        if required:
            raise ResultsError(f"{path}: missing; is this a dedup results directory?")
        return
    with path.open("rb") as fh:
        for lineno, line in enumerate(fh, start=1):
            if line.strip():
                yield lineno, line.rstrip(b"\r\n")


def _read_jsonl(path: Path, required: bool = True) -> Iterator[tuple[int, Any]]:
    for lineno, line in _numbered_lines(path, required):
        yield lineno, _parse(path, lineno, line)


def _within(path: Path, lineno: int, what: str, end: int, doc: DocumentRecord) -> None:
    if end > len(doc.text):
        _damaged(path, lineno, f"{what} ends at {end}, after the end of {doc.id!r} ({len(doc.text)} characters)")


def _known(path: Path, lineno: int, doc_id: str, docs: dict[str, DocumentRecord], role: str) -> DocumentRecord:
    try:
        return docs[doc_id]
    except KeyError:
        _damaged(path, lineno, f"{role} {doc_id!r} is not in documents.jsonl")


def _checked_pairs(path: Path, docs: dict[str, DocumentRecord]) -> Iterator[bytes]:
    """The lines of ``pairs.jsonl``, each decoded once and checked against the documents: read lazily
    afterwards, the records decode without error."""
    for lineno, line in _numbered_lines(path):
        pair = _decode(path, lineno, _parse(path, lineno, line), PairRecord.from_json)
        a, b = (_known(path, lineno, x, docs, "document") for x in pair.ids)
        for k, passage in enumerate(pair.passages):
            _within(path, lineno, f"passages[{k}] on side a", passage.a_end, a)
            _within(path, lineno, f"passages[{k}] on side b", passage.b_end, b)
            for m in passage.matches:
                if m.a >= len(a.sentences) or m.b >= len(b.sentences):
                    _damaged(path, lineno, f"passages[{k}]: sentence match {m.a}-{m.b} is beyond the sentences "
                                           f"of {a.id!r} ({len(a.sentences)}) or {b.id!r} ({len(b.sentences)})")
        yield line


def _spans(path: Path, lineno: int, what: str, spans: list[Span], doc: DocumentRecord,
           docs: dict[str, DocumentRecord]) -> None:
    for k, span in enumerate(spans):
        _within(path, lineno, f"{what}[{k}]", span.end, doc)
        for other in span.shared_with:
            _known(path, lineno, other, docs, f"{what}[{k}]: shared with")


def _check_families(path: Path, families: list[tuple[int, Family]],
                    docs: dict[str, DocumentRecord]) -> dict[str, str]:
    """Members known, spans within their texts, each document in one family; returns the family of each."""
    family_of: dict[str, str] = {}
    ids: set[str] = set()
    for lineno, f in families:
        if f.id in ids:
            _damaged(path, lineno, f"family {f.id!r} is given twice")
        ids.add(f.id)
        for member in f.members:
            _known(path, lineno, member, docs, "member")
            if family_of.setdefault(member, f.id) != f.id:
                _damaged(path, lineno, f"member {member!r} is in family {family_of[member]!r} too")
        _spans(path, lineno, "core", f.core, docs[f.origin], docs)
        for k, m in enumerate(f.details):
            for part in ("shared", "added", "core"):
                _spans(path, lineno, f"member_details[{k}].{part}", getattr(m, part), docs[m.id], docs)
    return family_of


def _check_documents(path: Path, documents: list[tuple[int, DocumentRecord]], family_of: dict[str, str],
                     docs: dict[str, DocumentRecord]) -> None:
    """Each document's family is the one that lists it; the documents and families it mixes in exist."""
    families = set(family_of.values())
    for lineno, d in documents:
        if d.family != family_of.get(d.id):
            where = f"family {family_of[d.id]!r} lists it" if d.id in family_of else "no family lists it"
            _damaged(path, lineno, f"document {d.id!r} says family {d.family!r}, but {where}")
        for link in d.also:
            if link.family not in families:
                _damaged(path, lineno, f"also: family {link.family!r} is not in families.jsonl")
            for pair in link.pairs:
                _known(path, lineno, pair.other, docs, "also: document")


def _check_related(path: Path, lineno: int, group: RelatedGroup, docs: dict[str, DocumentRecord]) -> None:
    for member in group.members:
        _known(path, lineno, member, docs, "member")
    for pair in group.pairs:
        for doc_id in pair:
            _known(path, lineno, doc_id, docs, "pair document")
    for member, spans in group.passages.items():
        _spans(path, lineno, f"passages[{member!r}]", spans, docs[member], docs)


def _skipped(row: Any) -> dict[str, Any]:
    """A ``skipped.jsonl`` record: where (``path``, ``line``), which ``id`` and why (``reason``)."""
    if type(row) is not dict:
        raise RecordError(f"expected a JSON object, got {json_type(row)}")
    for key, expected, ok in (("path", "a string", lambda v: type(v) is str),
                              ("reason", "a string", lambda v: type(v) is str),
                              ("line", "a line number or null", lambda v: v is None or type(v) is int),
                              ("id", "a string or null", lambda v: v is None or type(v) is str)):
        if not ok(row.get(key)):
            raise RecordError(f"field {key!r}: expected {expected}, got {json_type(row.get(key))}")
    return row


def _check_counts(path: Path, results: Results) -> None:
    """The counts ``run.json`` saved match the files: a directory mixing two runs is not read as one."""
    counts = results.run.get("counts", {})
    for key, found, where in (("documents", len(results.documents), "documents.jsonl"),
                              ("families", len(results.families), "families.jsonl"),
                              ("skipped", len(results.skipped), "skipped.jsonl")):
        if key in counts and counts[key] != found:
            _damaged(path, _line_of(path, key), f"the run counted {counts[key]} {key}, but {where} has {found}: "
                                                "the directory mixes files of different runs")
