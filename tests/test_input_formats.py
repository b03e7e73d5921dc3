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
