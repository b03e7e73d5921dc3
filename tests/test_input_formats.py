"""Inputs as users have them: other field names, gzip-compressed files, standard input."""
from __future__ import annotations

import gzip
import io
import json
import sys

import pytest

from dedup import InputError, load_documents

ROWS = [{"article_id": "a1", "body": "Police said 5 people died in Kazan on Monday.", "headline": "Kazan",
         "text": "teaser only", "pubDate": "Sun, 28 Dec 2025 10:00:00 +0300"},
        {"article_id": "a2", "body": "Officials said 7 people were hurt in Omsk.", "headline": "Omsk"}]


def _jsonl(rows):
    return "".join(json.dumps(r) + "\n" for r in rows)


def test_fields_are_named_as_the_input_has_them(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(_jsonl(ROWS), encoding="utf-8")
    docs, _ = load_documents([path], fields={"id": "article_id", "text": "body", "title": "headline",
                                            "date": "pubDate"})
    assert [(d.id, d.title, d.date) for d in docs] == [("a1", "Kazan", "2025-12-28"), ("a2", "Omsk", None)]
    assert docs[0].text == ROWS[0]["body"]
    assert docs[0].meta["input_text"] == "teaser only"  # the field of the standard name is kept, not lost
    with pytest.raises(ValueError, match="unknown field 'body'"):
        load_documents([path], fields={"body": "text"})


def test_gzip_files_are_read_like_the_plain_ones(tmp_path):
    plain, packed = tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz"
    rows = [{"id": r["article_id"], "text": r["body"]} for r in ROWS]
    plain.write_text(_jsonl(rows), encoding="utf-8")
    packed.write_bytes(gzip.compress(_jsonl([{**r, "id": r["id"] + "-gz"} for r in rows]).encode("utf-8")))
    csv_packed = tmp_path / "c.csv.gz"
    csv_packed.write_bytes(gzip.compress(b'id,text\nc1,"Police said 5 people\ndied in Kazan."\n'))
    docs, _ = load_documents([plain, packed, csv_packed])
    assert [d.id for d in docs] == ["a1", "a2", "a1-gz", "a2-gz", "c1"]
    assert docs[4].text == "Police said 5 people\ndied in Kazan."
    broken = tmp_path / "d.jsonl.gz"
    broken.write_bytes(gzip.compress(b'{"id": "x", "text": "y"}\n')[:-6])
    with pytest.raises(InputError, match="d.jsonl.gz: cannot read file"):
        load_documents([broken])


def test_parquet_is_read_with_its_own_field_names_and_types(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    from datetime import datetime, timezone

    table = pa.table({"article_id": ["a1", "a2", "a3"],
                      "content": [ROWS[0]["body"], ROWS[1]["body"], None],
                      "headline": ["Kazan", None, "Empty"],
                      "published": pa.array([datetime(2025, 12, 28, 7, tzinfo=timezone.utc), None,
                                             datetime(2025, 12, 29, tzinfo=timezone.utc)],
                                            pa.timestamp("s", tz="UTC"))})
    path = tmp_path / "feed.parquet"
    pq.write_table(table, path, row_group_size=2)
    docs, skipped = load_documents([path], skip_invalid=True, fields={"id": "article_id", "text": "content",
                                                                      "title": "headline"})
    assert [(d.id, d.title, d.date, d.line) for d in docs] == [("a1", "Kazan", "2025-12-28", 1),
                                                               ("a2", None, None, 2)]
    assert [(s.line, s.id) for s in skipped] == [(3, "a3")] and "text" in skipped[0].reason
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(InputError, match="broken.parquet: not a readable Parquet file"):
        load_documents([broken])


def test_the_cli_clusters_a_parquet_file(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    from click.testing import CliRunner

    from dedup.cli import cli

    from .conftest import CORPUS

    rows = [json.loads(line) for line in (CORPUS / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "sample.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": r["id"], "body": r["text"]} for r in rows]), path)
    result = CliRunner().invoke(cli, ["cluster", str(path), "--text-field", "body", "--model", "hash", "-q",
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    saved = [json.loads(line) for line in (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8")
             .splitlines()]
    assert sorted(d["id"] for d in saved) == sorted(r["id"] for r in rows)
    assert any(d["family"] for d in saved)


def test_standard_input_is_read_as_jsonl(monkeypatch):
    rows = [{"id": r["article_id"], "text": r["body"]} for r in ROWS]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_jsonl(rows).encode("utf-8"))))
    docs, _ = load_documents(["-"])
    assert [(d.id, d.path, d.line) for d in docs] == [("a1", "-", 1), ("a2", "-", 2)]


def test_the_cli_reads_stdin_with_the_input_own_field_names(tmp_path):
    from click.testing import CliRunner

    from dedup.cli import cli

    feed = _jsonl([{"article_id": "a1", "body": ROWS[0]["body"]}, {"article_id": "a2", "body": ROWS[0]["body"]}])
    out = tmp_path / "res"
    result = CliRunner().invoke(cli, ["cluster", "-", "--out", str(out), "--model", "hash", "--id-field",
                                      "article_id", "--text-field", "body"], input=feed)
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["id"] for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids == ["a1", "a2"]
    clash = CliRunner().invoke(cli, ["cluster", "-", "--out", str(tmp_path / "x"), "--id-field", "body",
                                     "--text-field", "body"], input=feed)
    assert clash.exit_code == 2 and "already used" in clash.output and not (tmp_path / "x").exists()


def test_records_in_memory_are_clustered_and_checked_like_a_file():
    from dedup import Dedup

    records = [{"guid": "a1", "body": ROWS[0]["body"], "headline": "Kazan"},
               {"guid": "a2", "body": ROWS[0]["body"]},
               {"guid": "a3", "body": "   "}]
    results = Dedup(model="hash").cluster_records(records, fields={"id": "guid", "text": "body", "title": "headline"},
                                                  skip_invalid=True)
    assert [d.id for d in results.documents] == ["a1", "a2"]
    assert results.documents[0].title == "Kazan" and results.documents[0].family == results.documents[1].family
    assert [(s["path"], s["line"], s["id"]) for s in results.skipped] == [("records", 3, "a3")]
    with pytest.raises(InputError, match="records:3: document 'a3' has empty text"):
        Dedup(model="hash").cluster_records(records, fields={"id": "guid", "text": "body"})


def test_a_dataframe_is_clustered_with_its_missing_values_absent():
    pandas = pytest.importorskip("pandas")
    from dedup import Dedup

    frame = pandas.DataFrame({"id": ["a1", "a2"], "text": [ROWS[0]["body"]] * 2, "title": ["Kazan", None]})
    results = Dedup(model="hash").cluster_records(frame)
    assert [(d.id, d.title) for d in results.documents] == [("a1", "Kazan"), ("a2", None)]


def test_saved_news_pages_cluster_like_their_text_versions(use_encoder):
    """corpus/pages holds eight sample articles as saved pages: menus, cookie banner, ads, 'most read', footer."""
    from dedup import Dedup

    from .conftest import CORPUS

    pages, skipped = load_documents([CORPUS / "pages"])
    assert len(pages) == 8 and not skipped
    wire = next(d for d in pages if d.id == "dam-wire")
    assert wire.source == "wiredesk.example" and wire.url.startswith("https://wiredesk.example/")
    assert wire.date == "2024-03-04" and wire.meta == {"extracted_from": "html"}
    assert not any(junk in d.text for d in pages for junk in ("cookies", "Most read", "All rights reserved",
                                                                "Advertisement", "Opinion"))
    texts = [d for d in load_documents([CORPUS / "sample.jsonl"])[0] if d.id in {p.id for p in pages}]

    def families(docs):
        return sorted(sorted(f.members) for f in Dedup(encoder=use_encoder).cluster(docs).families)

    assert families(pages) == families(texts) == [["dam-farm", "dam-ledger", "dam-wire"],
                                                   ["port-farm", "port-herald", "port-nna"]]


# --- WARC web archives -----------------------------------------------------------------------------------------

def _write_warc(path, pages, *, gz=True, extra=True):
    """A crawler's WARC: for each (uri, html bytes) a request and a response record; with ``extra`` also a
    warcinfo record and an image response, which are not pages."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        if extra:
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test-crawler/1.0"}))
        items = [(uri, body, "text/html; charset=utf-8") for uri, body in pages]
        if extra:
            items.insert(1, ("https://mirror.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png"))
        for uri, body, content_type in items:
            request = writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", uri.split("/")[2])], is_http_request=True))
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            response = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
            writer.write_record(request)
            writer.write_record(response)
    return path


def _mirror(stem):
    return f"https://mirror.example/news/{stem}?utm_source=feed"


def _cluster(*args):
    from click.testing import CliRunner

    from dedup.cli import cli

    return CliRunner().invoke(cli, ["cluster", *map(str, args), "-q", "--model", "hash"])


def _records(out, name="documents.jsonl"):
    return [json.loads(line) for line in (out / name).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """corpus/pages crawled into a WARC (with a second URL serving the wire story verbatim) and clustered, and
    the same pages as .html files in a folder, clustered too."""
    from .conftest import CORPUS

    tmp = tmp_path_factory.mktemp("crawl")
    pages = {p.stem: p.read_bytes() for p in sorted((CORPUS / "pages").glob("*.html"))}
    pages["dam-wire-copy"] = pages["dam-wire"]
    folder = tmp / "pages"
    folder.mkdir()
    for stem, body in pages.items():
        (folder / f"{stem}.html").write_bytes(body)
    warc = _write_warc(tmp / "crawl.warc.gz", [(_mirror(stem), body) for stem, body in pages.items()])
    runs = {name: (_cluster(src, "--out", tmp / name), tmp / name) for name, src in (("warc", warc), ("html", folder))}
    return warc, runs


def test_a_warc_clusters_like_the_same_pages_as_html_files(crawl):
    warc, runs = crawl
    for result, _ in runs.values():
        assert result.exit_code == 0, result.output

    def families(out, name):
        members: dict[str, list[str]] = {}
        for d in _records(out):
            if d["family"]:
                members.setdefault(d["family"], []).append(name(d["id"]))
        return sorted(sorted(m) for m in members.values())

    stem = {_mirror(s): s for s in [p.stem for p in (runs["html"][1].parent / "pages").glob("*.html")]}
    assert families(runs["warc"][1], stem.__getitem__) == families(runs["html"][1], str) == [
        ["dam-farm", "dam-ledger", "dam-wire", "dam-wire-copy"], ["port-farm", "port-herald", "port-nna"]]
    # the records that are not pages are counted, not silently dropped
    assert (f"{warc}: 9 HTML pages read; 12 other WARC records skipped (10 request, 1 response image/png, "
            "1 warcinfo)") in " ".join(runs["warc"][0].stderr.split())


def test_a_warc_page_keeps_its_url_date_and_record(crawl):
    from warcio.archiveiterator import ArchiveIterator

    warc, runs = crawl
    docs = {d["id"]: d for d in _records(runs["warc"][1])}
    wire = docs[_mirror("dam-wire")]
    assert wire["url"] == _mirror("dam-wire")  # the URL it was captured from, as the crawler saw it
    assert wire["meta"]["canonical_url"] == "https://wiredesk.example/world/2024/03/04/dam-breach-drevin-kills-11"
    assert wire["date"] == "2024-03-04" and wire["meta"]["date_from"] == "page"
    assert wire["meta"]["extracted_from"] == "warc" and wire["input"]["path"] == str(warc)
    html = {d["id"]: d for d in _records(runs["html"][1])}["dam-wire"]
    assert (wire["title"], wire["source"], wire["text"]) == (html["title"], html["source"], html["text"])
    with open(warc, "rb") as fh:  # the saved offset is where the record starts (what `warcio extract` takes)
        fh.seek(wire["meta"]["warc_offset"])
        record = next(iter(ArchiveIterator(fh)))
        assert record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == wire["url"]


def test_passage_offsets_point_into_the_saved_extracted_text(crawl):
    """documents.jsonl holds the text extracted from the page, and every passage's offsets are into that text."""
    _, runs = crawl
    for name, (_, out) in runs.items():
        docs = {d["id"]: d for d in _records(out)}
        assert {d["meta"]["extracted_from"] for d in docs.values()} == {name}
        assert not any("<" in d["text"] or "cookies" in d["text"] for d in docs.values())
        copy = next(p for p in _records(out, "pairs.jsonl") if {docs[p["a"]]["id"], docs[p["b"]]["id"]} == {
            _mirror("dam-wire") if name == "warc" else "dam-wire", _mirror("dam-wire-copy") if name == "warc"
            else "dam-wire-copy"})
        assert copy["relation"] == "duplicate" and copy["passages"]
        a, b = docs[copy["a"]]["text"], docs[copy["b"]]["text"]
        for passage in copy["passages"]:
            shared = a[passage["a_start"]:passage["a_end"]]
            assert shared == b[passage["b_start"]:passage["b_end"]] and len(shared) > 100
        assert a[copy["passages"][0]["a_start"]:].startswith("Dam breach in Valdoria's Drevin province kills 11")


@pytest.mark.parametrize("gz", [False, True])
def test_a_truncated_warc_is_an_error_naming_the_record(tmp_path, gz):
    from .conftest import CORPUS

    pages = [(_mirror(p.stem), p.read_bytes()) for p in sorted((CORPUS / "pages").glob("*.html"))[:3]]
    whole = _write_warc(tmp_path / "whole.warc", pages, gz=gz, extra=False)
    data = whole.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    cut.write_bytes(data[:len(data) - 2000])  # inside the last page
    from warcio.archiveiterator import ArchiveIterator

    with open(whole, "rb") as fh:
        records = ArchiveIterator(fh)
        offsets = [records.offset for _ in records]
    result = _cluster(cut, "--out", tmp_path / "res")
    assert result.exit_code == 1 and "Traceback" not in result.output
    message = " ".join(result.stderr.split())
    assert message.startswith(f"error: {cut}: record 6 at offset {offsets[5]}: ")  # the last page's response
    assert message.endswith("bytes its Content-Length gives; the file is truncated" if not gz else
                            "the file is damaged or truncated there, the rest of it was not read")
    assert not (tmp_path / "res").exists()
    kept = _cluster(cut, "--out", tmp_path / "res", "--skip-invalid")  # the pages before it are read
    assert kept.exit_code == 0, kept.output
    assert [d["id"] for d in _records(tmp_path / "res")] == [pages[0][0], pages[1][0]]
    assert [s["reason"] for s in _records(tmp_path / "res", "skipped.jsonl")] == [message.split(": ", 2)[2]]


def test_a_file_that_is_not_a_warc_is_an_error(tmp_path):
    from .conftest import CORPUS

    page = tmp_path / "page.warc"
    page.write_bytes((CORPUS / "pages" / "dam-wire.html").read_bytes())
    one_stream = tmp_path / "one-stream.warc.gz"
    one_stream.write_bytes(gzip.compress(_write_warc(tmp_path / "plain.warc", [
        (_mirror(p.stem), p.read_bytes()) for p in sorted((CORPUS / "pages").glob("*.html"))[:2]], gz=False,
        extra=False).read_bytes()))
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    for path, said in ((page, "not a WARC file: it does not start with a WARC/1.x record"),
                       (one_stream, "the WARC file is gzip-compressed as one stream, not record by record"),
                       (empty, "empty file: no WARC record in it")):
        with pytest.raises(InputError) as caught:
            load_documents([path])
        assert str(caught.value).startswith(f"{path}: {said}")


def test_warc_pages_ids_and_dates(tmp_path):
    """The id is the captured URL: a URL captured twice is a duplicate id, as anywhere else (--skip-invalid
    keeps the first capture); a page that gives no date is dated by its capture, and meta says so."""
    undated = b"<html><body><article><p>" + b"Officials in Omsk said seven people were hurt when a bus " \
              b"overturned on an icy road outside the city.</p></article></body></html>"
    dated = b"<html><head><meta property='article:published_time' content='2025-01-14'></head><body><article>" \
            b"<p>The port of Beirut will be rebuilt over five years, the transport minister said.</p></article>" \
            b"</body></html>"
    warc = _write_warc(tmp_path / "crawl.warc", [("https://a.example/omsk", undated),
                                                 ("https://a.example/beirut", dated),
                                                 ("https://a.example/omsk", undated)], gz=False, extra=False)
    with pytest.raises(InputError) as caught:
        load_documents([warc])
    assert str(caught.value).startswith(f"{warc}: record 6 at offset ")
    assert "duplicate id 'https://a.example/omsk' (first seen at " + f"{warc}, record 2 at offset " in str(caught.value)
    said: list[str] = []
    docs, skipped = load_documents([warc], skip_invalid=True, on_warning=said.append)
    assert said == [f"{warc}: 3 HTML pages read; 3 other WARC records skipped (3 request)"]
    assert [d.id for d in docs] == ["https://a.example/omsk", "https://a.example/beirut"]
    assert [s.reason.split(":")[0] for s in skipped] == [str(caught.value).split(": ")[1]]
    omsk, beirut = docs
    assert omsk.date == omsk.meta["warc_date"][:10] and omsk.meta["date_from"] == "warc_date"
    assert beirut.date == "2025-01-14" and beirut.meta["date_from"] == "page"
