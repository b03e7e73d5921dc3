"""Readers that lose nothing (issue 11, items 5, 6 and 9).

Each test gives the loader input a user can give it and checks what they get back: the
records kept, the line named, the reason given. A bad record costs that record only; a
value that cannot be kept as given is an error or a warning, never a silent change.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dedup import InputError, load_documents


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def loaded(docs) -> list[tuple[str, int | None]]:
    return [(d.id, d.line) for d in docs]


# --- item 5: good records lost -------------------------------------------------------------------------------

def test_bad_byte_in_jsonl_costs_its_line_only(tmp_path):
    good = [json.dumps({"id": i, "text": f"Story {i}."}).encode() for i in "abc"]
    f = tmp_path / "in.jsonl"
    f.write_bytes(b"\n".join([*good, b'{"id": "d", "text": "caf\xe9"}', b'{"id": "e", "text": "After."}']) + b"\n")
    docs, skipped = load_documents([f], skip_invalid=True)
    assert loaded(docs) == [("a", 1), ("b", 2), ("c", 3), ("e", 5)]
    assert [(s.line, s.reason) for s in skipped] == [
        (4, "invalid UTF-8 (byte 0xE9 at column 25); re-encode the file as UTF-8")]
    with pytest.raises(InputError, match=r"in\.jsonl:4: invalid UTF-8"):
        load_documents([f])


def test_bad_byte_in_csv_costs_its_record_only(tmp_path):
    f = tmp_path / "in.csv"
    f.write_bytes(b'id,text\n1,One.\n2,"Two,\nstill two."\n3,caf\xe9\n4,Four.\n')
    docs, skipped = load_documents([f], skip_invalid=True)
    assert loaded(docs) == [("1", 2), ("2", 3), ("4", 6)]
    assert [(s.line, s.id, s.reason) for s in skipped] == [
        (5, None, "invalid UTF-8 (byte 0xE9 in column 'text'); re-encode the file as UTF-8")]
    with pytest.raises(InputError, match=r"in\.csv:5: invalid UTF-8"):
        load_documents([f])


def test_csv_field_over_131072_characters_loads_with_the_rows_after_it(tmp_path):
    long_text = "A long article. " * 20_000  # 320,000 characters
    f = tmp_path / "in.csv"
    f.write_text(f'id,text\n1,Short.\n2,{long_text}\n3,"Three\nlines\nhere."\n4,After.\n', encoding="utf-8")
    docs, skipped = load_documents([f])
    assert loaded(docs) == [("1", 2), ("2", 3), ("3", 4), ("4", 7)]  # the line each record starts on
    assert docs[1].text == long_text and docs[2].text == "Three\nlines\nhere."
    assert skipped == []


@pytest.mark.parametrize("rows, quote_line", [
    ('1,Fine.\n2,"Never closed.\n3,Swallowed?\n4,Also.\n', 3),
    ('1,Fine.\n2,"Two\nlines",x\n3,"Opens here.\n4,Swallowed?\n', 5),  # record 2 is fine; record 3 opens
])
def test_unclosed_csv_quote_is_an_error_on_its_line(tmp_path, rows, quote_line):
    f = tmp_path / "in.csv"
    f.write_text("id,text,source\n" + rows, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_documents([f])
    assert str(caught.value) == (f"{f}:{quote_line}: malformed CSV: a quoted field opens on this line and is never "
                                 f"closed; lines {quote_line}-{rows.count(chr(10)) + 1} were not read as records")
    docs, skipped = load_documents([f], skip_invalid=True)
    assert [d.text for d in docs] == (["Fine."] if quote_line == 3 else ["Fine.", "Two\nlines"])
    assert [s.line for s in skipped] == [quote_line]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"])
def test_unicode_line_separators_do_not_split_csv_records(tmp_path, separator):
    f = tmp_path / "in.csv"
    f.write_text(f"id,text,source\n1,First part{separator}second part.,wire\n2,Next.,site\n", encoding="utf-8")
    docs, skipped = load_documents([f])
    assert [(d.id, d.line, d.text, d.source) for d in docs] == [
        ("1", 2, f"First part{separator}second part.", "wire"), ("2", 3, "Next.", "site")]
    assert skipped == []


def test_symlinked_folders_are_followed_once(tmp_path):
    news, elsewhere = tmp_path / "news", tmp_path / "elsewhere"
    (news / "plain").mkdir(parents=True)
    elsewhere.mkdir()
    (news / "a.txt").write_text("Story a.\n", encoding="utf-8")
    (news / "plain" / "b.txt").write_text("Story b.\n", encoding="utf-8")
    (elsewhere / "c.txt").write_text("Story c.\n", encoding="utf-8")
    (news / "linked").symlink_to(elsewhere)
    (news / "again").symlink_to(news / "plain")  # a second way to a folder already read
    (news / "plain" / "loop").symlink_to(news)  # back up the tree
    (elsewhere / "loop").symlink_to(elsewhere)
    docs, skipped = load_documents([news])
    assert [d.id for d in docs] == ["a", "linked/c", "plain/b"]
    assert skipped == []


def test_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    news = tmp_path / "news"
    (news / "locked").mkdir(parents=True)
    (news / "locked" / "hidden.txt").write_text("Never read.\n", encoding="utf-8")
    (news / "a.txt").write_text("Story a.\n", encoding="utf-8")
    scandir = os.scandir

    def refuse_locked(path):  # root reads every folder, so the refusal is simulated
        if Path(path) == news / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_locked)
    docs, skipped = load_documents([news], skip_invalid=True)
    assert [d.id for d in docs] == ["a"]
    assert [s.to_dict() for s in skipped] == [
        {"path": str(news / "locked"), "line": None, "id": None, "reason": "cannot read folder: Permission denied"}]
    with pytest.raises(InputError, match="locked: cannot read folder: Permission denied"):
        load_documents([news])


# --- item 6: lone surrogates ----------------------------------------------------------------------------------

@pytest.mark.parametrize("field, value, where", [
    ("text", "Bad \ud800 here.", "'text' contains an unpaired surrogate (\\ud800) at character 5"),
    ("title", "\udfff", "'title' contains an unpaired surrogate (\\udfff) at character 1"),
    ("id", "b\udc80", "'id' contains an unpaired surrogate (\\udc80) at character 2"),
    ("tags", ["ok", "x\ud800"], "'tags' contains an unpaired surrogate (\\ud800) at character 2"),
])
def test_lone_surrogate_is_rejected_with_its_place(tmp_path, field, value, where):
    record = {"id": "b", "text": "Body.", field: value}
    f = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Fine."}, record])  # json escapes it: \ud800
    with pytest.raises(InputError) as caught:
        load_documents([f])
    assert str(caught.value) == f"{f}:2: {where}"
    docs, skipped = load_documents([f], skip_invalid=True)
    assert [d.id for d in docs] == ["a"] and [(s.line, s.reason) for s in skipped] == [(2, where)]
    json.dumps([s.to_dict() for s in skipped], ensure_ascii=False).encode("utf-8")  # writable as UTF-8


# --- item 9: silent field loss --------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, iso", [
    ("Sun, 28 Dec 2025 10:00:00 +0300", "2025-12-28"),
    ("28.12.2025", "2025-12-28"),
    ("05.06.2025 10:00", "2025-06-05"),  # dotted: day first
    ("06/05/2025", "2025-06-05"),  # slashed: month first...
    ("28/12/2025", "2025-12-28"),  # ...unless the first number cannot be a month
    ("2025-12-28T23:30:00+03:00", "2025-12-28"),  # the day as written there, not converted to UTC
    ("28 December 2025", "2025-12-28"),
    (1766916000, "2025-12-28"),  # epoch seconds
    (1766916000123, "2025-12-28"),  # epoch milliseconds
    ("1766916000", "2025-12-28"),
    (1766916000.5, "2025-12-28"),
])
def test_news_date_formats_are_read_and_the_raw_value_kept(tmp_path, raw, iso):
    f = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Body.", "published": raw}])
    (doc,), _ = load_documents([f], on_warning=pytest.fail)
    assert doc.date == iso
    assert doc.meta == {"date_raw": raw}


def test_unreadable_dates_are_warned_once_per_field_with_a_count(tmp_path):
    f = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "text": "A.", "published": "2025-12-28"},
        {"id": "b", "text": "B.", "published": "yesterday"},
        {"id": "c", "text": "C.", "date": "Dec 2025"},  # no day: not guessed
        {"id": "d", "text": "D.", "published": "soon"},
    ])
    messages: list[str] = []
    docs, _ = load_documents([f], on_warning=messages.append)
    assert [d.date for d in docs] == ["2025-12-28", None, None, None]
    assert messages == [
        (f"{f}: 2 'published' values could not be read as dates (first: line 2, 'yesterday'); "
         "those documents are undated"),
        f"{f}: 1 'date' value could not be read as a date (first: line 3, 'Dec 2025'); that document is undated",
    ]
    from dedup.documents import DedupInputWarning

    with pytest.warns(DedupInputWarning) as caught:  # without on_warning: Python's warnings
        load_documents([f])
    assert [str(w.message) for w in caught] == messages


@pytest.mark.parametrize("field, value, kind", [
    ("title", ["Breaking", "news"], "a list"),
    ("url", {"href": "https://example.com"}, "an object"),
    ("id", ["a"], "a list"),
    ("id", True, "a boolean"),
    ("source", {"name": "wire"}, "an object"),
    ("site", ["wire"], "a list"),
])
def test_list_or_object_in_a_text_field_is_rejected_not_stored_as_repr(tmp_path, field, value, kind):
    f = write_jsonl(tmp_path / "in.jsonl", [{"id": "x", "text": "Body.", field: value}])
    with pytest.raises(InputError) as caught:
        load_documents([f])
    assert str(caught.value) == f"{f}:1: '{field}' must be text or a number, not {kind}"


def test_numbers_as_id_and_unused_alternative_fields_are_kept(tmp_path):
    f = write_jsonl(tmp_path / "in.jsonl", [{"id": 12, "text": "Body.", "source": "wire", "site": "mirror.example",
                                             "published": "2025-12-28", "date": "2025-12-29"}])
    (doc,), _ = load_documents([f])
    assert (doc.id, doc.source, doc.date) == ("12", "wire", "2025-12-28")
    assert doc.meta == {"site": "mirror.example", "date": "2025-12-29"}


def test_a_key_given_twice_is_an_error_not_a_lost_value(tmp_path):
    f = write_jsonl(tmp_path / "in.jsonl", ['{"id": "a", "text": "First.", "text": "Second."}'])
    with pytest.raises(InputError, match=r"in\.jsonl:1: malformed JSON: key 'text' appears twice in one object"):
        load_documents([f])


def test_csv_row_with_more_fields_than_columns_is_an_error(tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("id,text\n1,Hello, world.\n2,Fine.\n", encoding="utf-8")
    docs, skipped = load_documents([f], skip_invalid=True)
    assert [d.id for d in docs] == ["2"]
    assert [(s.line, s.reason) for s in skipped] == [
        (2, "row has 3 fields but the header names 2 columns (an unquoted comma?)")]


# --- issue 12: the folder reader says what it left out --------------------------------------------------------

def test_a_folder_names_the_files_it_skips_and_why(tmp_path):
    from click.testing import CliRunner

    from dedup.cli import cli

    news = tmp_path / "news"
    (news / ".git").mkdir(parents=True)
    (news / ".git" / "notes.txt").write_text("Not an article.\n", encoding="utf-8")
    (news / "photos").mkdir()
    story = "Police said five people died in Kazan on Monday after a gas explosion in a block of flats.\n"
    for name in ("a.txt", "b.md", "photos/c.txt"):
        (news / name).write_text(story, encoding="utf-8")
    for name in ("notes.pdf", "brief.pdf", "photos/scene.jpg", "README", "feed.jsonl"):
        (news / name).write_bytes(b"%PDF or whatever")
    (news / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (news / "draft.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["cluster", str(news), "--out", str(tmp_path / "res"), "-q", "--model", "hash"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning {news}: skipped 2 hidden entries: .DS_Store, .git/ (the name starts with '.')",
        (f"warning {news}: skipped 5 files: README, brief.pdf, feed.jsonl, notes.pdf, photos/scene.jpg (not a "
         "format read from a folder: 2 .pdf, .jpg, .jsonl, no extension; a folder is read for .txt .md .html .htm "
         ".warc .warc.gz files, give .jsonl, .csv or .parquet files by name)"),
        f"warning {news}: skipped 1 empty file: draft.txt (0 bytes)"]
    ids = [json.loads(line)["id"] for line in (tmp_path / "res" / "documents.jsonl").read_text().splitlines()]
    assert sorted(ids) == ["a", "b", "photos/c"]


def test_many_skipped_files_are_summarised_in_one_line(tmp_path):
    (tmp_path / "a.txt").write_text("Story a.\n", encoding="utf-8")
    for k in range(40):
        (tmp_path / f"img{k:02}.png").write_bytes(b"\x89PNG")
    said: list[str] = []
    docs, _ = load_documents([tmp_path], on_warning=said.append)
    assert [d.id for d in docs] == ["a"]
    assert said == [(f"{tmp_path}: skipped 40 files: img00.png, img01.png, img02.png, img03.png, img04.png and 35 "
                     "more (not a format read from a folder: 40 .png; a folder is read for .txt .md .html .htm .warc "
                     ".warc.gz files, give .jsonl, .csv or .parquet files by name)")]


def test_a_folder_with_nothing_readable_says_what_it_holds(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF")
    said: list[str] = []
    with pytest.raises(InputError) as caught:
        load_documents([tmp_path], on_warning=said.append)
    assert str(caught.value) == f"{tmp_path}: folder has no .txt, .md, .html, .htm, .warc, .warc.gz files"
    assert said and "scan.pdf" in said[0]


def test_a_warc_in_a_folder_is_read_for_its_pages(tmp_path):
    from .test_input_formats import _write_warc

    page = (b"<html><body><article><p>The port of Beirut will be rebuilt over five years, the transport "
            b"minister said on Wednesday.</p></article></body></html>")
    _write_warc(tmp_path / "crawl.warc.gz", [("https://a.example/beirut", page)], extra=False)
    (tmp_path / "a.txt").write_text("Story a.\n", encoding="utf-8")
    docs, _ = load_documents([tmp_path], on_warning=lambda message: None)
    assert [(d.id, d.url, d.meta["extracted_from"] if d.meta else None) for d in docs] == [
        ("a", None, None), ("https://a.example/beirut", "https://a.example/beirut", "warc")]


def test_a_report_is_not_written_where_the_folder_reader_would_read_it(tmp_path):
    from click.testing import CliRunner

    from dedup.cli import cli

    news = tmp_path / "news"
    news.mkdir()
    (news / "a.html").write_text("<html><body><article><p>Police said five people died in Kazan on Monday after a "
                                 "gas explosion.</p></article></body></html>", encoding="utf-8")
    before = (news / "a.html").read_bytes()
    for report, said in ((news / "a.html", "is an input file; the report would overwrite it"),
                         (news / "report.html", "the next run would read the report as a saved page")):
        result = CliRunner().invoke(cli, ["cluster", str(news), "--out", str(tmp_path / "res"), "-q", "--model",
                                          "hash", "--report", str(report)])
        assert result.exit_code == 2 and said in " ".join(result.output.split()), result.output
    assert (news / "a.html").read_bytes() == before and not (news / "report.html").exists()
    assert not (tmp_path / "res").exists()
