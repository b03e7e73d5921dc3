"""Load articles from JSONL, CSV, .txt/.md files, saved web pages (.html, WARC archives) or folders of them.

The article text is kept exactly as read (only line endings are normalised to
``\\n``), so every character offset in the results points into the text a
user can open; for a web page that text is the one extracted from it (saved in
the results, ``meta.extracted_from`` naming ``html`` or ``warc``), never the
HTML. Bad input stops the run with the file and line named, or, with
``skip_invalid``, is reported as a :class:`Skipped` record: nothing is lost
silently. Records are decoded and checked one by one, so one bad byte or one
broken record costs that record only, never the rest of its file.

Dates are read with python-dateutil and stored as the calendar date written in
the source's own time zone; values that are not dates leave the document
undated and are reported once per file and field (see :func:`load_documents`).
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import dateutil.parser

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
"""Saved web pages: the article's main text, title, date, site and URL are extracted with trafilatura."""
WARC_SUFFIXES = (".warc", ".warc.gz")
"""Web archives (read with warcio): each HTML page captured in a response record is one article."""
FOLDER_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + WARC_SUFFIXES
"""The files a folder is read for; other files are skipped with a warning naming them."""
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
KNOWN_FIELDS = {"id", "text", "title", "url", "source", "site", "published", "date"}
FIELD_NAMES = ("id", "text", "title", "url", "source", "date")
"""The fields whose input names ``load_documents(fields=...)`` (``--id-field`` ...) can give."""
STDIN = "-"
# The largest field limit csv accepts on every platform (a C long); any article fits.
CSV_FIELD_LIMIT = 2**31 - 1
# Numbers from here on are Unix times in seconds (1973-03-03 on), from EPOCH_MS on in milliseconds;
# smaller numbers (a year, 20251228) go to dateutil like any other string.
EPOCH_MIN = 1e8
EPOCH_MS = 1e11

_SURROGATE = re.compile("[\ud800-\udfff]")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_DOTTED_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}\b")
_JSON_SPACE = " \t\r"
# Two different defaults: a date string that parses differently under them lacks a part (e.g. "Dec 2025").
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


class InputError(Exception):
    """A user input problem; ``str()`` names the file (and line) and what is wrong."""

    def __init__(self, path: str | Path, line: int | None, reason: str) -> None:
        self.path = _printable_path(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


Record = dict[str, Any]
Row = tuple[int, "Record | InputError"]


class DedupInputWarning(UserWarning):
    """Input that loaded with something left out, e.g. dates that could not be read."""


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


def _printable_path(path: str | Path) -> str:
    """The path as text that can be printed and written as UTF-8 (undecodable bytes of a file name as U+FFFD)."""
    return _SURROGATE.sub("\ufffd", str(path))


# --- fields ----------------------------------------------------------------------------------------------------

def _parse_date(value: Any) -> str | None:
    """The ISO calendar date (YYYY-MM-DD) of a news date value, or None when it is not a full date.

    Strings go to dateutil: ISO 8601 with or without a zone, RFC 2822, ``28 December 2025`` and
    the like. Dotted numeric dates are day first (``28.12.2025``); slashed ones month first
    (``12/28/2025``, so ``05/06/2025`` is 6 May) unless the first number is over 12 (``28/12/2025``).
    The date is the one written, in the source's own time zone (a story at 23:30+03:00 keeps its
    day; zones are not converted). Numbers from 10^8 on are Unix times in seconds (milliseconds
    from 10^11), read in UTC as they carry no zone. A value missing its day (``Dec 2025``) is None.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = str(value).strip()
    if _NUMBER.fullmatch(text) and float(text) >= EPOCH_MIN:
        seconds = float(text) / (1000 if float(text) >= EPOCH_MS else 1)
        try:
            return datetime.fromtimestamp(seconds, timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    dayfirst = bool(_DOTTED_DATE.match(text))
    try:
        first, second = (dateutil.parser.parse(text, dayfirst=dayfirst, ignoretz=True, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    return first.date().isoformat() if first == second else None


def _unpaired_surrogate(value: Any) -> str | None:
    """Where ``value`` (a string, or one inside a list/dict) holds a lone surrogate, which UTF-8 cannot write."""
    pending = [value]  # a stack, not recursion: JSON nests as deep as the parser allows
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            m = _SURROGATE.search(item)
            if m:
                return f"an unpaired surrogate (\\u{ord(m.group()):04x}) at character {m.start() + 1}"
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


def _has_value(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _string_field(record: Record, name: str, path: Path, line: int | None) -> str | None:
    """A text field (numbers become their digits); a list, object or boolean is an InputError, never its repr."""
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        kind = {bool: "a boolean", list: "a list", dict: "an object"}.get(type(value), type(value).__name__)
        raise InputError(path, line, f"'{name}' must be text or a number, not {kind}")
    return str(value).strip() or None


def _raw_id(record: Any) -> str | None:
    """The record's id for a Skipped entry, when it is usable text."""
    if isinstance(record, Document):
        return record.id
    if not isinstance(record, dict):
        return None
    try:
        doc_id = _string_field(record, "id", Path(), None)
    except InputError:
        return None
    return None if doc_id is None or _SURROGATE.search(doc_id) else doc_id


def _record_to_document(record: Any, path: Path, line: int | None) -> tuple[Document, tuple[str, Any] | None]:
    """Validate one JSONL/CSV record; raise InputError with the reason.

    Returns the document and, when its date field holds something that is not a date,
    ``(field name, raw value)`` for the warning.
    """
    if not isinstance(record, dict):
        raise InputError(path, line, "expected a JSON object with 'id' and 'text'")
    for key, value in record.items():
        found = _unpaired_surrogate(key)
        if found:
            raise InputError(path, line, f"a field name contains {found}")
        found = _unpaired_surrogate(value)
        if found:
            raise InputError(path, line, f"{key!r} contains {found}")
    doc_id = _string_field(record, "id", path, line)
    if doc_id is None:
        raise InputError(path, line, "missing 'id'")
    text = record.get("text")
    if text is None:
        raise InputError(path, line, f"document {doc_id!r} has no 'text' field")
    if not isinstance(text, str):
        raise InputError(path, line, f"document {doc_id!r}: 'text' must be a string")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, line, f"document {doc_id!r} has empty text")
    source_key = next((k for k in ("source", "site") if _has_value(record.get(k))), None)
    date_key = next((k for k in ("published", "date") if _has_value(record.get(k))), None)
    # An alternative field not used (site beside source, date beside published) stays in meta: nothing is dropped.
    meta = {k: v for k, v in record.items()
            if k not in KNOWN_FIELDS or (k in ("source", "site", "published", "date")
                                         and k not in (source_key, date_key) and _has_value(v))}
    iso = bad_date = None
    if date_key is not None:
        raw = record[date_key]
        iso = _parse_date(raw)
        if iso is None:
            bad_date = (date_key, raw)
        if raw != iso:  # kept as written (under its own name if the record has a 'date_raw' of its own)
            meta["date_raw" if "date_raw" not in meta else date_key] = raw
    doc = Document(
        id=doc_id,
        text=text,
        title=_string_field(record, "title", path, line),
        url=_string_field(record, "url", path, line),
        source=_string_field(record, source_key, path, line) if source_key else None,
        date=iso,
        meta=meta,
        path=_printable_path(path),
        line=line,
    )
    return doc, bad_date


# --- readers ---------------------------------------------------------------------------------------------------

def _read_bytes(path: Path) -> bytes:
    """The file's bytes: standard input for ``-``, decompressed for ``.gz``."""
    try:
        data = sys.stdin.buffer.read() if str(path) == STDIN else path.read_bytes()
        return gzip.decompress(data) if path.suffix.lower() == ".gz" else data
    except OSError as exc:  # gzip.BadGzipFile is an OSError
        raise InputError(path, None, f"cannot read file: {exc.strerror or exc}") from None
    except EOFError:
        raise InputError(path, None, "cannot read file: the gzip stream ends early (truncated?)") from None


def _bad_utf8(byte: int, where: str) -> str:
    return f"invalid UTF-8 (byte 0x{byte:02X} {where}); re-encode the file as UTF-8"


def _read_text(path: Path) -> str:
    """A whole file as text (a .txt/.md article is one record)."""
    data = _read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, line, _bad_utf8(data[exc.start], f"at offset {exc.start}")) from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json object hook: a key given twice would silently lose the first value."""
    keys: set[str] = set()
    for key, _ in pairs:
        if key in keys:
            raise ValueError(f"key {key!r} appears twice in one object")
        keys.add(key)
    return dict(pairs)


def _iter_jsonl(path: Path) -> Iterator[Row]:
    """One record (or error) per non-blank line; each line is decoded on its own."""
    data = _read_bytes(path).removeprefix(codecs.BOM_UTF8)
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield lineno, InputError(path, lineno, _bad_utf8(raw[exc.start], f"at column {exc.start + 1}"))
            continue
        if not line.strip(_JSON_SPACE):
            continue
        try:
            yield lineno, json.loads(line, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as exc:
            yield lineno, InputError(path, lineno, f"malformed JSON: {exc.msg} (column {exc.colno})")
        except ValueError as exc:
            yield lineno, InputError(path, lineno, f"malformed JSON: {exc}")
        except RecursionError:
            yield lineno, InputError(path, lineno, "malformed JSON: nested too deeply")


def _iter_parquet(path: Path) -> Iterator[Row]:
    """One record per Parquet row (numbered from 1, as lines are), read batch by batch with pyarrow.

    Missing values (null, NaN) count as absent fields; timestamps and dates
    become ISO strings, read like any other date.
    """
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(path, None, "reading Parquet needs pyarrow: pip install 'dedup[parquet]'") from None
    try:
        batches = pq.ParquetFile(path).iter_batches(batch_size=4096)
        row = 0
        for batch in batches:
            for record in batch.to_pylist():
                row += 1
                yield row, {k: v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in record.items()
                            if v is not None and not (isinstance(v, float) and v != v)}
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid / ArrowIOError are both
        raise InputError(path, None, f"not a readable Parquet file ({exc})") from None


def _unclosed_quote_line(lines: list[str], start: int) -> int:
    """The line where the quoted field left open by the record starting on line ``start`` begins.

    Read leniently, that record's last field is everything from the opening quote to the
    end of the file, so the quote is as many lines above the end as that field spans.
    """
    rest = io.StringIO("".join(lines[start - 1:]), newline="")
    open_field = next(csv.reader(rest))[-1]
    return len(lines) - max(len(io.StringIO(open_field, newline="").readlines()), 1) + 1


def _csv_records(path: Path, lines: list[str]) -> Iterator[tuple[int, list[str] | InputError]]:
    """The fields of each CSV record (or its error) with the physical line where the record starts.

    The reader is strict, so a broken record is an error of its own. A quote left open ends
    the file's records: every later line would belong to it, and reading on from a guess
    could turn article text into records.
    """
    reader = csv.reader(lines, strict=True)
    while True:
        first = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "unexpected end of data" not in str(exc):
                yield first, InputError(path, first, f"malformed CSV: {exc}")
                continue
            quote = _unclosed_quote_line(lines, first)
            unread = f"line {quote} was" if quote == len(lines) else f"lines {quote}-{len(lines)} were"
            yield first, InputError(path, quote, f"malformed CSV: a quoted field opens on this line and is never "
                                                 f"closed; {unread} not read as records")
            return
        if fields:
            yield first, fields


def _undecodable(value: str) -> int | None:
    """The first byte that was not UTF-8 (kept by ``surrogateescape``), or None."""
    m = re.search("[\udc80-\udcff]", value)
    return ord(m.group()) - 0xDC00 if m else None


def _iter_csv(path: Path) -> Iterator[Row]:
    """One record (or error) per CSV record, read with the csv module as ``newline=''`` text.

    Bad bytes are kept as surrogate escapes while parsing, so they fail their own record only.
    """
    text = _read_bytes(path).decode("utf-8-sig", errors="surrogateescape")
    lines = io.StringIO(text, newline="").readlines()
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    records = _csv_records(path, lines)
    top, header = next(records, (1, []))
    if isinstance(header, InputError):
        yield top, header
        return
    byte = _undecodable("".join(header))
    if byte is not None:
        yield top, InputError(path, top, _bad_utf8(byte, "in the header"))
        return
    if "text" not in header or "id" not in header:
        yield top, InputError(path, top, "CSV header must name at least the columns 'id' and 'text'")
        return
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        yield top, InputError(path, top, f"CSV header names the column(s) {', '.join(map(repr, twice))} "
                                         "more than once")
        return
    for lineno, fields in records:
        if isinstance(fields, InputError):
            yield lineno, fields
        elif len(fields) > len(header):
            yield lineno, InputError(path, lineno, f"row has {len(fields)} fields but the header names "
                                                   f"{len(header)} columns (an unquoted comma?)")
        else:
            bad = next(((name, b) for name, value in zip(header, fields)
                        if (b := _undecodable(value)) is not None), None)
            if bad:
                yield lineno, InputError(path, lineno, _bad_utf8(bad[1], f"in column {bad[0]!r}"))
            else:
                yield lineno, dict(zip(header, fields))  # a short row: the missing columns are absent


def _text_file_document(path: Path, root: Path) -> Document:
    """A .txt/.md article: id from the relative path, title from a short first line."""
    rel = path.relative_to(root) if path != root else Path(path.name)
    doc_id = rel.with_suffix("").as_posix()
    if _SURROGATE.search(doc_id):
        raise InputError(path, None, "file name is not valid UTF-8; rename the file")
    text = _read_text(path).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, None, "file has empty text")
    first = text.strip().split("\n", 1)[0].strip().lstrip("#").strip()
    title = first if 0 < len(first) <= 200 and not first.endswith((".", "!", "?", "。", "۔")) else None
    return Document(id=doc_id, text=text, title=title, path=_printable_path(path))


class _Notice(str):
    """A warning a reader yields among its records (e.g. the files of a folder that were not read)."""


def _extract_page(data: bytes | str, path: Path, where: str = "", url: str | None = None,
                  max_date: str | None = None) -> tuple[str, Any]:
    """The main text of a saved page and trafilatura's metadata for it (title, date, sitename, url).

    The text is the extracted paragraphs joined by blank lines: offsets point into it, not into the HTML.
    ``where`` begins error reasons (a WARC record's place); ``max_date`` is the latest page date htmldate
    may find (a captured page was not published after its capture).
    """
    try:
        import trafilatura
    except ImportError as exc:  # a declared dependency; a broken install should still say what is missing
        raise InputError(path, None, f"reading saved pages needs trafilatura, which cannot be imported: {exc}") from None
    params = None if max_date is None else {"original_date": True, "extensive_search": True, "max_date": max_date}
    page = trafilatura.bare_extraction(data, url=url, with_metadata=True, date_extraction_params=params)
    lines = [line.strip() for line in (page.text or "").split("\n")] if page is not None else []
    text = "\n\n".join(line for line in lines if line)
    if not text:
        raise InputError(path, None, f"{where}no article text found in the page")
    return text, page


def _html_document(path: Path, root: Path) -> Document:
    """A saved news page: its main text (paragraphs, without menus, ads and footers), title, date, site and
    canonical URL, as trafilatura extracts them; offsets point into that extracted text."""
    rel = path.relative_to(root) if path != root else Path(path.name)
    doc_id = rel.with_suffix("").as_posix()
    if _SURROGATE.search(doc_id):
        raise InputError(path, None, "file name is not valid UTF-8; rename the file")
    text, page = _extract_page(_read_bytes(path), path)
    return Document(id=doc_id, text=text, title=page.title or None, url=page.url or None,
                    source=page.sitename or None, date=_parse_date(page.date) if page.date else None,
                    meta={"extracted_from": "html"}, path=_printable_path(path))


# --- WARC ------------------------------------------------------------------------------------------------------

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# A body with no Content-Type is taken for a page when it starts like one.
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_WARC_CHUNK = 1 << 16
_WARC_REQUIRED = ("WARC-Type", "WARC-Record-ID", "WARC-Date", "Content-Length")
"""The header fields every WARC record has (WARC 1.1, section 5)."""


def _is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def _warc_place(number: int, offset: int, uri: str | None = None) -> str:
    """Where a WARC record is: its number in the file (from 1) and the byte offset where it starts (in the
    compressed file for .warc.gz, as CDX indexes and ``warcio extract FILE OFFSET`` count)."""
    return f"record {number} at offset {offset}" + (f" ({uri})" if uri else "")


def _warc_records(path: Path, stream: Any) -> Iterator[tuple[int, int, Any]]:
    """``(number, offset, record)`` for each record of an open WARC file, read with warcio.

    warcio reads what it can and stops quietly at a damaged or cut record; here each record must hold
    the bytes its Content-Length gives and the last one must end the file, else an InputError names the
    record where reading stopped (nothing after it can be located).
    """
    import contextlib

    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    records = ArchiveIterator(stream)
    number, previous = 0, 0
    while True:
        number += 1
        chatter = io.StringIO()  # warcio prints to stderr when a record does not end where its length says
        try:
            with contextlib.redirect_stderr(chatter):
                record = next(records, None)
        except Exception as exc:  # noqa: BLE001 -- warcio raises ArchiveLoadFailed, or AttributeError/ValueError/
            # zlib.error on damaged bytes: any of them means this record cannot be read
            offset = records.offset  # warcio moves it to the record's start before parsing the record
            if "non-chunked gzip" in str(exc):
                raise InputError(path, None, "the WARC file is gzip-compressed as one stream, not record by record "
                                             "as WARC readers need; decompress it (gunzip) and give the .warc, or "
                                             "run `warcio recompress` on it") from None
            told = isinstance(exc, (ArchiveLoadFailed, StatusAndHeadersParserException, ValueError))
            lines = str(exc).strip().splitlines() if told else []  # the others say nothing a user can act on
            detail = lines[0].strip() if lines else ""
            if number == 1:
                raise InputError(path, None, "not a WARC file: it does not start with a WARC/1.x record") from None
            raise InputError(path, None, f"{_warc_place(number, offset)}: not a readable WARC record"
                                         f"{f' ({detail})' if detail else ''}; the file is damaged or truncated "
                                         "there, the rest of it was not read") from None
        if chatter.getvalue().strip():
            raise InputError(path, None, f"{_warc_place(number - 1, previous)}: the record does not end where its "
                                         "Content-Length says; the file is damaged there, the rest of it was not "
                                         "read")
        if record is None:
            break
        offset = records.offset
        missing = [name for name in _WARC_REQUIRED if not (record.rec_headers.get_header(name) or "").strip()]
        if record.format != "warc" or missing:  # a header cut short (or ARC data)
            raise InputError(path, None, f"{_warc_place(number, offset)}: not a complete WARC record (its header "
                                         f"has no {', '.join(missing) or 'WARC/1.x line'}); the file is damaged or "
                                         "truncated there, the rest of it was not read")
        yield number, offset, record
        _warc_complete(path, number, offset, record)
        previous = offset
    if records.offset < os.fstat(stream.fileno()).st_size:
        raise InputError(path, None, f"{_warc_place(number, records.offset)}: not a readable WARC record; the file "
                                     "is damaged or truncated there, the rest of it was not read")


def _warc_complete(path: Path, number: int, offset: int, record: Any) -> None:
    """Read the rest of a record; an InputError when the file ends before its Content-Length does."""
    from warcio.limitreader import LimitReader

    body = record.raw_stream
    while body.read(_WARC_CHUNK):
        pass
    if isinstance(body, LimitReader) and body.limit > 0:
        raise InputError(path, None, f"{_warc_place(number, offset)}: the record ends after "
                                     f"{record.length - body.limit} of the {record.length} bytes its "
                                     "Content-Length gives; the file is truncated")


def _content_type(value: str | None) -> tuple[str, str | None]:
    """The media type (lower case) and the charset of a Content-Type header value."""
    parts = (value or "").split(";")
    charset = next((p.split("=", 1)[1].strip().strip("\"'") for p in parts[1:]
                    if p.strip().lower().startswith("charset=")), None)
    return parts[0].strip().lower(), charset or None


def _warc_page(record: Any, path: Path, where: str) -> tuple[bytes | str | None, str]:
    """The HTML of a response or resource record, or ``(None, why it is not read as a page)``.

    A page body that cannot be decoded (a compression warcio cannot undo, a broken chunk) is an InputError.
    """
    from warcio.bufferedreaders import BufferedReader

    http = record.http_headers if record.rec_type == "response" else None
    if record.rec_type == "response":
        if http is None:
            return None, "response without HTTP headers"
        status = http.get_statuscode()
        if not status.startswith("2"):
            return None, f"response HTTP {status}"
    mime, charset = _content_type(http.get_header("Content-Type") if http is not None
                                  else record.rec_headers.get_header("Content-Type"))
    if mime and mime not in _HTML_TYPES:
        return None, f"{record.rec_type} {mime}"
    encoding = (http.get_header("Content-Encoding") or "").strip().lower() if http is not None else ""
    if encoding not in ("", "identity") and encoding not in BufferedReader.get_supported_decompressors():
        hint = " (pip install brotli)" if encoding == "br" else ""
        raise InputError(path, None, f"{where}: the page is compressed as {encoding!r}, which cannot be "
                                     f"decoded{hint}")
    try:
        data = record.content_stream().read()
    except Exception as exc:  # noqa: BLE001 -- warcio's decoders raise zlib.error, ValueError, ... on a damaged body
        raise InputError(path, None, f"{where}: the page body cannot be decoded ({exc or type(exc).__name__})") \
            from None
    if not data.strip():
        return None, f"{record.rec_type} with no body"
    if not mime and not _HTML_START.match(data[:4096]):
        return None, f"{record.rec_type} without Content-Type, not HTML"
    if charset:
        try:
            return data.decode(charset), ""
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown charset: trafilatura finds the encoding in the bytes
    return data, ""


def _warc_document(path: Path, record: Any, data: bytes | str, number: int, offset: int) -> Document:
    """The article of one captured page: id and url its WARC-Target-URI, the date the page's own or else the
    capture's (``meta.date_from`` says which), ``meta`` the record's number, offset and capture time."""
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
    where = _warc_place(number, offset, uri or None)
    if not uri:
        raise InputError(path, None, f"{where}: an HTML page with no WARC-Target-URI, so no id")
    if _SURROGATE.search(uri):
        raise InputError(path, None, f"{where}: WARC-Target-URI is not valid UTF-8")
    captured = record.rec_headers.get_header("WARC-Date")
    capture_day = _parse_date(captured) if captured else None
    text, page = _extract_page(data, path, f"{where}: ", url=uri, max_date=capture_day)
    page_day = _parse_date(page.date) if page.date else None
    meta: dict[str, Any] = {"extracted_from": "warc", "warc_record": number, "warc_offset": offset,
                            "warc_date": captured, "date_from": "page" if page_day else "warc_date" if capture_day
                            else None}
    if page.url and page.url != uri:
        meta["canonical_url"] = page.url
    return Document(id=uri, text=text, title=page.title or None, url=uri, source=page.sitename or None,
                    date=page_day or capture_day, meta={k: v for k, v in meta.items() if v is not None},
                    path=_printable_path(path))


def _warc_documents(path: Path) -> Iterator[Document | InputError | _Notice]:
    """The HTML pages captured in a WARC file (``.warc`` or ``.warc.gz``), one Document each.

    Response (and resource) records of an HTML page with a 2xx status are read through the same
    extraction as saved pages; the other records (requests, warcinfo, metadata, revisits, images, PDFs,
    redirects and error pages) are counted in one notice. A page that cannot be read is an InputError of
    its own; a damaged or truncated file ends with one naming the record, and the pages before it are kept.
    """
    try:
        import warcio  # noqa: F401
    except ImportError as exc:  # a declared dependency; a broken install should still say what is missing
        yield InputError(path, None, f"reading WARC files needs warcio, which cannot be imported: {exc}")
        return
    other: dict[str, int] = {}
    pages = count = 0
    try:
        with open(path, "rb") as stream:
            for count, offset, record in _warc_records(path, stream):
                data, why, failed = None, record.rec_type, None
                if record.rec_type in ("response", "resource"):
                    try:
                        uri = record.rec_headers.get_header("WARC-Target-URI")
                        data, why = _warc_page(record, path, _warc_place(count, offset, uri))
                    except InputError as exc:
                        failed = exc
                _warc_complete(path, count, offset, record)  # a page cut short is the file's error, not the page's
                if data is None and failed is None:
                    other[why] = other.get(why, 0) + 1
                    continue
                pages += 1
                try:
                    if failed is not None:
                        raise failed
                    yield _warc_document(path, record, data, count, offset)
                except InputError as exc:
                    yield exc
    except OSError as exc:
        yield InputError(path, None, f"cannot read file: {exc.strerror or exc}")
        return
    except InputError as exc:
        yield exc
        return
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(other.items(), key=lambda kv: (-kv[1], kv[0])))
    if not count:
        yield InputError(path, None, "empty file: no WARC record in it")
    elif not pages:
        yield InputError(path, None, f"no HTML page among its {count} WARC record{'s' * (count != 1)}"
                                     + (f" ({kinds})" if kinds else ""))
    elif other:
        skipped = count - pages
        yield _Notice(f"{_printable_path(path)}: {pages} HTML page{'s' * (pages != 1)} read; {skipped} other WARC "
                      f"record{'s' * (skipped != 1)} skipped ({kinds})")


def _file_document(path: Path, root: Path) -> Document:
    """One article per file: a saved page (.html) or plain text (.txt/.md)."""
    return _html_document(path, root) if path.suffix.lower() in HTML_SUFFIXES else _text_file_document(path, root)


_SHOWN_NAMES = 5
"""How many skipped names a folder's warning lists for each reason."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


# Why the folder reader leaves an entry out: (one entry, several entries, the reason given).
_FOLDER_SKIPS = {
    "hidden": ("hidden entry", "hidden entries", "the name starts with '.'"),
    "format": ("file", "files", ""),  # the reason lists the suffixes found
    "empty": ("empty file", "empty files", "0 bytes"),
    "special": ("entry", "entries", "neither a file nor a folder"),
}


def _skipped_notices(root: Path, skipped: dict[str, list[str]]) -> list[_Notice]:
    """One warning per reason the folder reader left entries out, naming the first few of them."""
    notices = []
    for reason, (one, several, why) in _FOLDER_SKIPS.items():
        names = sorted(skipped.get(reason, []))
        if not names:
            continue
        shown = ", ".join(names[:_SHOWN_NAMES]) + (f" and {len(names) - _SHOWN_NAMES} more"
                                                    if len(names) > _SHOWN_NAMES else "")
        if reason == "format":
            suffixes: dict[str, int] = {}
            for name in names:
                suffix = _suffix(Path(name)) or "no extension"
                suffixes[suffix] = suffixes.get(suffix, 0) + 1
            kinds = ", ".join(f"{n} {s}" if n > 1 else s
                              for s, n in sorted(suffixes.items(), key=lambda kv: (-kv[1], kv[0])))
            why = (f"not a format read from a folder: {kinds}; a folder is read for {' '.join(FOLDER_SUFFIXES)} "
                   "files, give .jsonl, .csv or .parquet files by name")
        notices.append(_Notice(f"{_printable_path(root)}: skipped {len(names)} {one if len(names) == 1 else several}"
                               f": {_printable_path(shown)} ({why})"))
    return notices


def _suffix(path: Path) -> str:
    """The file's format suffix in lower case: ``.txt``, ``.warc.gz``, ``.jsonl.gz``; '' for none."""
    name = path.name.lower()
    suffix = Path(name).suffix
    return Path(name[: -len(suffix)]).suffix + suffix if suffix == ".gz" else suffix


def _folder_files(root: Path) -> tuple[list[Path | InputError], list[_Notice]]:
    """The .txt/.md/.html/.warc files under ``root`` in path order, with an InputError for each entry that
    cannot be read, and a warning for each kind of entry left out: hidden files and folders (the name starts
    with '.'), files of other formats, empty files, and entries that are neither files nor folders.

    Symlinked folders are followed once: every real folder is read once, by its plain path when
    it has one (links are followed after the plain tree), so a link back up the tree ends.
    """
    seen: set[str] = set()
    found: list[tuple[tuple[str, ...], Path | InputError]] = []
    skipped: dict[str, list[str]] = {}
    plain, links = [root], []
    while plain or links:
        links.sort()
        folder = plain.pop() if plain else links.pop(0)
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    path = Path(entry.path)
                    rel = path.relative_to(root)
                    try:
                        reason = None
                        if entry.name.startswith("."):
                            reason = "hidden"
                        elif entry.is_dir():
                            (links if entry.is_symlink() else plain).append(path)
                        elif _suffix(path) not in FOLDER_SUFFIXES:
                            reason = "format"
                        elif not entry.is_file() and not entry.is_symlink():
                            reason = "special"  # a pipe or a device: reading it could block or never end
                        elif entry.stat().st_size == 0:  # a broken link raises here: an error, as a file given
                            reason = "empty"
                        else:
                            found.append((rel.parts, path))
                        if reason:
                            shown = rel.as_posix() + ("/" if reason == "hidden" and entry.is_dir() else "")
                            skipped.setdefault(reason, []).append(shown)
                    except OSError as exc:
                        found.append((rel.parts, InputError(path, None, f"cannot read: {exc.strerror or exc}")))
        except OSError as exc:
            found.append((folder.relative_to(root).parts,
                          InputError(folder, None, f"cannot read folder: {exc.strerror or exc}")))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])], _skipped_notices(root, skipped)


def _iter_path(path: Path) -> Iterator[tuple[Path, int | None, Record | Document | InputError | _Notice]]:
    """Yield (file, line, record-or-Document-or-InputError-or-warning) for one input path."""
    if path.is_dir():
        files, notices = _folder_files(path)
        for notice in notices:
            yield path, None, notice
        for item in files:
            if isinstance(item, InputError):
                yield Path(item.path), None, item
            elif _is_warc(item):
                for page in _warc_documents(item):
                    yield item, None, page
            else:
                try:
                    yield item, None, _file_document(item, path)
                except InputError as exc:
                    yield item, None, exc
        if not files:
            yield path, None, InputError(path, None, f"folder has no {', '.join(FOLDER_SUFFIXES)} files")
        return
    if str(path) != STDIN and not path.exists():
        yield path, None, InputError(path, None, "no such file or folder")
        return
    if _is_warc(path):
        for page in _warc_documents(path):
            yield path, None, page
        return
    suffix = JSONL_SUFFIXES[0] if str(path) == STDIN else Path(path.stem).suffix.lower() if path.suffix.lower() == ".gz" \
        else path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            rows: Iterable[Row] = _iter_jsonl(path)
        elif suffix == ".csv":
            rows = _iter_csv(path)
        elif suffix == ".parquet":
            rows = _iter_parquet(path)
        elif suffix in TEXT_SUFFIXES + HTML_SUFFIXES:
            yield path, None, _file_document(path, path)
            return
        else:
            yield path, None, InputError(path, None, "unsupported input; give a .jsonl or .csv file (or either "
                                                     "as .gz), a .parquet file, .txt/.md/.html files, .warc/.warc.gz web archives, "
                                                     "a folder, or - for JSONL on stdin")
            return
        for lineno, record in rows:
            yield path, lineno, record
    except InputError as exc:
        yield path, exc.line, exc


def _undated_message(path: Path, name: str, count: int, line: int | None, raw: Any) -> str:
    """The one warning for a file's date field whose values could not be read (raw value shown escaped)."""
    shown = repr(raw) if len(repr(raw)) <= 60 else repr(raw)[:57] + "..."
    values, dates, who = (("values", "dates", "those documents are") if count > 1
                          else ("value", "a date", "that document is"))
    return (f"{_printable_path(path)}: {count} '{name}' {values} could not be read as {dates} "
            f"(first: line {line}, {shown}); {who} undated")


def _field_names(fields: Mapping[str, str] | None) -> dict[str, str]:
    """Input field name -> standard name, checked: only the standard names can be mapped, each once."""
    names: dict[str, str] = {}
    for standard, given in (fields or {}).items():
        if standard not in FIELD_NAMES:
            raise ValueError(f"unknown field {standard!r}; fields that can be named: {', '.join(FIELD_NAMES)}")
        if not given or given in names:
            raise ValueError(f"field name {given!r} given for {standard!r} is empty or already used")
        if given != standard:
            names[given] = standard
    return names


def _renamed(record: Any, names: Mapping[str, str]) -> Any:
    """``record`` with the input's field names in place of the standard ones (see :func:`load_documents`)."""
    if not names or not isinstance(record, dict):
        return record
    taken = set(names.values())
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in names:
            out[names[key]] = value
        elif key in taken or key == "site" and "source" in taken or key == "published" and "date" in taken:
            out[f"input_{key}"] = value
        else:
            out[key] = value
    return out


def _record_place(doc: Document) -> str:
    """The WARC record a document was read from (``record 3 at offset 1234``), or ''."""
    if doc.line is None and doc.meta.get("extracted_from") == "warc" and isinstance(doc.meta.get("warc_record"), int) \
            and isinstance(doc.meta.get("warc_offset"), int):
        return _warc_place(doc.meta["warc_record"], doc.meta["warc_offset"])
    return ""


def _warn(message: str) -> None:
    warnings.warn(message, DedupInputWarning, stacklevel=3)


def load_documents(paths: Iterable[str | Path], skip_invalid: bool = False, *,
                   on_warning: Callable[[str], None] | None = None,
                   fields: Mapping[str, str] | None = None) -> tuple[list[Document], list[Skipped]]:
    """Read every document from ``paths`` (``-`` reads JSONL from standard input; ``.gz`` files are read
    decompressed).

    ``fields`` names the input's own fields for ``id``, ``text``, ``title``,
    ``url``, ``source`` and ``date`` (e.g. ``{"text": "body"}``); a record's
    field of the standard name, when another field stands for it, is kept in
    ``meta`` under ``input_<name>``.

    Raises :class:`InputError` on the first bad record unless ``skip_invalid``,
    in which case bad records are returned as :class:`Skipped`. Duplicate ids
    are an error (or skipped: the first occurrence is kept).

    A folder is read recursively for .txt/.md files, saved pages (.html/.htm) and
    WARC archives (.warc/.warc.gz, each HTML page captured in it one document);
    what it holds besides is named in warnings, one per reason (hidden, other
    format, empty). A WARC's other records (requests, images, redirects, ...)
    are counted in one warning.

    Documents whose date cannot be read load undated; once each input file is
    read, one message per date field gives the count and the first such value.
    Warnings go to ``on_warning`` when given, else to :func:`warnings.warn` as
    a :class:`DedupInputWarning`.
    """
    return _load(((Path(p), _iter_path(Path(p))) for p in paths), skip_invalid, on_warning, fields)


def documents_from_records(records: Iterable[Mapping[str, Any]], skip_invalid: bool = False, *,
                           on_warning: Callable[[str], None] | None = None,
                           fields: Mapping[str, str] | None = None,
                           name: str = "records") -> tuple[list[Document], list[Skipped]]:
    """Documents from in-memory records (dicts), checked exactly as JSONL lines are: a record's "line" is
    its position from 1, its "file" ``name``. Arguments as for :func:`load_documents`."""
    where = Path(name)
    rows = ((where, k, dict(r) if isinstance(r, Mapping) else r) for k, r in enumerate(records, start=1))
    return _load([(where, rows)], skip_invalid, on_warning, fields)


def _load(sources: Iterable[tuple[Path, Iterable[tuple[Path, int | None, Record | Document | InputError]]]],
          skip_invalid: bool, on_warning: Callable[[str], None] | None,
          fields: Mapping[str, str] | None) -> tuple[list[Document], list[Skipped]]:
    """Documents and skipped records of each source's items (see :func:`load_documents`)."""
    warn = on_warning or _warn
    names = _field_names(fields)
    docs: list[Document] = []
    skipped: list[Skipped] = []
    seen: dict[str, tuple[str, int | None]] = {}
    for path, items in sources:
        undated: dict[str, tuple[int, int | None, Any]] = {}
        for file, lineno, item in items:
            if isinstance(item, _Notice):
                warn(str(item))
                continue
            item = _renamed(item, names)
            try:
                if isinstance(item, InputError):
                    raise item
                doc, bad_date = (item, None) if isinstance(item, Document) else \
                    _record_to_document(item, file, lineno)
                if doc.id in seen:
                    record = _record_place(doc)
                    raise InputError(file, lineno, f"{record}: " * bool(record) + f"duplicate id {doc.id!r} (first "
                                                   f"seen at {seen[doc.id]})" + (
                                                       "; a page captured twice: --skip-invalid keeps the first "
                                                       "capture" if record else ""))
            except InputError as exc:
                if not skip_invalid:
                    raise
                skipped.append(Skipped(exc.path, exc.line, exc.reason, _raw_id(item)))
                continue
            where = doc.path or _printable_path(file)
            seen[doc.id] = f"{where}:{lineno}" if lineno is not None else \
                f"{where}, {_record_place(doc)}" if _record_place(doc) else where
            docs.append(doc)
            if bad_date:
                name, raw = bad_date
                count, first_line, first_raw = undated.get(name, (0, lineno, raw))
                undated[name] = (count + 1, first_line, first_raw)
        for name, (count, line, raw) in undated.items():
            warn(_undated_message(path, name, count, line, raw))
    return docs, skipped
