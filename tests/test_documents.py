"""Loading: every format, and bad input named by file and line."""
from __future__ import annotations

import json

import pytest

from dedup import InputError, load_documents
from dedup.documents import DedupInputWarning


def write_jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_jsonl_keeps_metadata_and_normalises_dates(tmp_path):
    f = write_jsonl(tmp_path / "a.jsonl", [
        {"id": "x1", "text": "Body one.", "title": "T", "site": "news.example", "date": "2025-12-28T10:00:00Z",
         "cluster": "c1"},
        {"id": 7, "text": "Тело два.", "published": "2025-12-29"},
    ])
    docs, skipped = load_documents([f])
    assert [d.id for d in docs] == ["x1", "7"]
    assert docs[0].source == "news.example" and docs[0].date == "2025-12-28"
    assert docs[0].meta == {"cluster": "c1", "date_raw": "2025-12-28T10:00:00Z"}  # the raw value, as it differs
    assert docs[1].date == "2025-12-29" and docs[1].text == "Тело два."
    assert skipped == []


def test_unparseable_dates_are_dropped_not_fatal(tmp_path):
    f = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": "x.", "date": "2025-13-45"},
                                            {"id": "b", "text": "y.", "date": "yesterday"}])
    docs, _ = load_documents([f], on_warning=lambda message: None)
    assert [d.date for d in docs] == [None, None]
    assert [d.meta["date_raw"] for d in docs] == ["2025-13-45", "yesterday"]


def test_folder_of_text_files_takes_title_from_first_line(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Headline here\n\nFirst sentence. Second one.\n", encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text("Body without a headline starts here.\n", encoding="utf-8")
    (tmp_path / "ignored.json").write_text("{}", encoding="utf-8")
    with pytest.warns(DedupInputWarning, match=r"skipped 1 file: ignored\.json \(not a format read from a folder"):
        docs, _ = load_documents([tmp_path])
    assert [d.id for d in docs] == ["a", "sub/b"]
    assert docs[0].title == "Headline here"
    assert docs[1].title is None
    assert docs[0].text.startswith("Headline here")  # offsets refer to the whole file


def test_csv_with_same_columns(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text('id,text,source\n1,"Hello, world. Second.",wire\n2,Other text.,site\n', encoding="utf-8")
    docs, _ = load_documents([f])
    assert [(d.id, d.source) for d in docs] == [("1", "wire"), ("2", "site")]
    assert docs[0].text == "Hello, world. Second."


@pytest.mark.parametrize("bad_line, reason", [
    ('{"id": "b", "text": "unterminated', "malformed JSON"),
    ('{"id": "b"}', "no 'text'"),
    ('{"id": "b", "text": "   "}', "empty text"),
    ('{"text": "no id"}', "missing 'id'"),
    ('{"id": "a", "text": "same id again"}', "duplicate id 'a'"),
])
def test_bad_record_names_file_and_line(tmp_path, bad_line, reason):
    f = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Fine."}, "", bad_line])
    with pytest.raises(InputError) as exc:
        load_documents([f])
    assert str(exc.value).startswith(f"{f}:3: ")
    assert reason in str(exc.value)


def test_skip_invalid_keeps_good_records_and_reports_bad_ones(tmp_path):
    f = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Fine."}, "{oops", {"id": "a", "text": "dup"},
                                            {"id": "c", "text": "Also fine."}])
    docs, skipped = load_documents([f], skip_invalid=True)
    assert [d.id for d in docs] == ["a", "c"]
    assert [(s.line, s.id) for s in skipped] == [(2, None), (3, "a")]
    assert "duplicate id" in skipped[1].reason


def test_invalid_utf8_is_reported_with_line(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "caf\xe9"}\n')
    with pytest.raises(InputError, match=r"in\.jsonl:2: invalid UTF-8"):
        load_documents([f])


def test_missing_path_and_unsupported_suffix(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_documents([tmp_path / "nope.jsonl"])
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match="unsupported input"):
        load_documents([tmp_path / "x.pdf"])
