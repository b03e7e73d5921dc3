"""Terminal rendering of saved results (rich), and the pair-diff model the HTML report shares.

The diff model (:func:`pair_diff`) turns one pair record and the two saved
document records into rows: aligned passages side by side, and the sentences
either side added in between. It only reads saved offsets (of passages and
sentences; nothing is split or aligned again), and it is the single source of
rows for ``dedup diff`` and for the pair view of ``dedup report``.

Everything printed comes from records or the user (article text, titles, ids, paths, evidence) and is
untrusted: it is never markup (always built as :class:`rich.text.Text`) and passes through
:func:`terminal_safe`, so no escape sequence or control character reaches the terminal.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from rapidfuzz.distance import Levenshtein
from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from .records import NEAR_VERBATIM, PARAPHRASE, RELATED, VERBATIM, DocumentRecord, Offsets, PairRecord
from .results import Results
from .text import normalise

ADDED = "added"
KINDS = (VERBATIM, NEAR_VERBATIM, PARAPHRASE, ADDED)
Span = tuple[int, int]

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What must not reach a terminal raw: C0 controls but newline and tab (ESC starts every CSI/OSC sequence),
DEL, C1 controls (U+009B is an 8-bit CSI), bidi embeddings/overrides and isolates, and lone surrogates
(which cannot be encoded)."""


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ESC is ␛, BEL ␇, CR ␍
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control character and escape sequence made visible, for terminal output.

    C0 controls (except newline and tab) and DEL become their Unicode control
    pictures, one character each: ``\\x1b[2J`` shows as ``␛[2J``, an OSC
    title ``\\x1b]0;t\\x07`` as ``␛]0;t␇``. C1 controls, bidi overrides and
    isolates (U+202A-U+202E, U+2066-U+2069) and lone surrogates have no
    picture and show as ``\\x9b`` / ``\\u202e`` / ``\\ud800``. Text without
    them is returned unchanged.
    """
    return _UNSAFE.sub(_visible, text)


def terminal_json(value: Any) -> str:
    """``value`` as indented JSON that is safe on a terminal and decodes to the same value.

    ``json.dumps`` escapes C0 controls but leaves DEL, C1 controls, bidi
    controls and lone surrogates raw; they occur only inside strings, where
    ``\\uXXXX`` is their exact JSON escape.
    """
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _plain(value: Any) -> Text:
    """An untrusted value as terminal-safe plain text (never markup)."""
    return Text(terminal_safe(str(value)))


def summary_data(results: Results, top: int = 10) -> dict[str, Any]:
    """What the summary shows, as plain data (``--json``): the run's counts and its ``top`` largest families."""
    families = []
    for fam in results.families[:top]:
        try:
            origin = results.document(fam.origin)
            first = " ".join(origin.sentence_text(0).split()) if origin.sentences else ""
            title = origin.title or first  # untitled input (folders of .txt, feeds): its first sentence
        except KeyError:
            title = ""
        families.append({"id": fam.id, "size": fam.size, "origin": fam.origin, "origin_rule": fam.origin_rule,
                         "agencies": fam.agencies, "title": title})
    counts = {"documents": len(results.documents), "families": len(results.families),
              "linked_pairs": len(results.pairs), **results.run.get("counts", {})}
    return {"counts": counts, "families": families, "shown": len(families)}


def summary_table(results: Results, top: int = 10) -> Table:
    """Counts of the run and its largest families with their origin."""
    data = summary_data(results, top)
    counts = data["counts"]
    table = Table(title="dedup: rewrite families", show_lines=False)
    table.add_column("family", style="bold")
    table.add_column("size", justify="right")
    table.add_column("origin")
    table.add_column("rule", style="dim")
    table.add_column("agencies")
    table.add_column("title of origin", overflow="fold")
    for fam in data["families"]:
        table.add_row(*map(_plain, (fam["id"], fam["size"], fam["origin"], fam["origin_rule"],
                                     ", ".join(fam["agencies"]) or "-", fam["title"][:80])))
    caption = (f"{counts['documents']} documents, {counts['families']} families "
               f"({counts.get('in_families', 0)} documents), {counts.get('singletons', 0)} singletons, "
               f"{counts['linked_pairs']} linked pairs, {counts.get('skipped', 0)} skipped")
    if len(results.families) > top:
        caption += f"; showing the {top} largest families"
    table.caption = _plain(caption)
    return table


def print_summary(results: Results, console: Console, top: int = 10) -> None:
    """Print the summary table to ``console``."""
    console.print(summary_table(results, top))


# --- the diff model, shared with dedup.report -------------------------------------------------


class DiffError(Exception):
    """A diff cannot be shown (unknown id, no linked pair, unsupported file); the message says why."""


@dataclass
class Side:
    """One side of a diff row: character ranges of the document shown, and the words that differ."""

    spans: list[Span] = field(default_factory=list)
    changed: list[Span] = field(default_factory=list)

    def text(self, doc_text: str) -> str:
        """The shown text, separate ranges on separate lines."""
        return "\n".join(doc_text[s:e] for s, e in self.spans)


@dataclass
class Row:
    """An aligned passage (both sides) or what each side added between passages (``kind`` = added)."""

    kind: str
    score: float | None
    a: Side
    b: Side


@dataclass
class PairDiff:
    """Two documents, the pair record linking them (seen from ``doc_a``: its side a is ``doc_a``), and the rows."""

    pair: PairRecord
    doc_a: DocumentRecord
    doc_b: DocumentRecord
    rows: list[Row]

    def to_json(self) -> dict[str, Any]:
        """Plain JSON for machines: header, then rows with offsets and the text they point to."""
        pair = self.pair.to_json()

        def doc(d: DocumentRecord, coverage: float) -> dict[str, Any]:
            return {"id": d.id, "title": d.title, "source": d.source, "url": d.url, "date": d.date,
                    "agencies": d.agencies, "coverage": round(coverage, 4)}

        def side(s: Side, text: str) -> dict[str, Any]:
            return {"spans": [list(x) for x in s.spans], "text": s.text(text),
                    "changed": [list(x) for x in s.changed]}

        return {
            "a": doc(self.doc_a, self.pair.coverage_a),
            "b": doc(self.doc_b, self.pair.coverage_b),
            "relation": pair["relation"],
            "confidence": pair["confidence"],
            "evidence": pair["evidence"],
            "scores": pair["scores"],
            "found_by": pair["found_by"],
            "rows": [{"kind": r.kind, "score": r.score, "a": side(r.a, self.doc_a.text),
                      "b": side(r.b, self.doc_b.text)} for r in self.rows],
        }


_WORD = re.compile(r"\w+", re.UNICODE)


def word_changes(text_a: str, span_a: Span, text_b: str, span_b: Span) -> tuple[list[Span], list[Span]]:
    """Character ranges of the words that differ between two passages (Levenshtein opcodes over words).

    Words compare case-folded and NFKC-normalised; runs of changed words
    become one range, so an edit reads as a phrase, not word by word.
    """
    def tokens(text: str, span: Span) -> list[tuple[int, int, str]]:
        s, e = span
        return [(s + m.start(), s + m.end(), normalise(m.group())) for m in _WORD.finditer(text[s:e])]

    ta, tb = tokens(text_a, span_a), tokens(text_b, span_b)
    out_a: list[Span] = []
    out_b: list[Span] = []
    for op in Levenshtein.opcodes([t[2] for t in ta], [t[2] for t in tb]):
        if op.tag == "equal":
            continue
        if op.src_end > op.src_start:
            out_a.append((ta[op.src_start][0], ta[op.src_end - 1][1]))
        if op.dest_end > op.dest_start:
            out_b.append((tb[op.dest_start][0], tb[op.dest_end - 1][1]))
    return out_a, out_b


def _runs(text: str, sentences: list[Span]) -> list[Span]:
    """Merge sentences separated only by whitespace into one range."""
    out: list[Span] = []
    for s, e in sentences:
        if out and not text[out[-1][1]:s].strip():
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def diff_rows(pair: PairRecord, text_a: str, text_b: str, sentences_a: Sequence[Offsets],
              sentences_b: Sequence[Offsets]) -> list[Row]:
    """Rows of a pair (side a = left): its passages in the order of a, with added sentences between.

    A sentence is added when no passage range covers it. Added sentences of a
    go before the first passage that starts after them; those of b after the
    passage whose b range ends last before them, so reordered rewrites still
    show their additions next to the material they follow.
    """
    passages = sorted(pair.passages, key=lambda p: (p.a_start, p.b_start))
    slots_a: list[list[Span]] = [[] for _ in range(len(passages) + 1)]
    slots_b: list[list[Span]] = [[] for _ in range(len(passages) + 1)]
    for start, end in sentences_a:
        if not any(p.a_start < end and start < p.a_end for p in passages):
            slots_a[sum(1 for p in passages if p.a_start < start)].append((start, end))
    for start, end in sentences_b:
        if any(p.b_start < end and start < p.b_end for p in passages):
            continue
        before = [(p.b_end, k) for k, p in enumerate(passages) if p.b_end <= start]
        slots_b[max(before)[1] + 1 if before else 0].append((start, end))
    rows: list[Row] = []
    for k in range(len(passages) + 1):
        if slots_a[k] or slots_b[k]:
            rows.append(Row(ADDED, None, Side(_runs(text_a, slots_a[k])), Side(_runs(text_b, slots_b[k]))))
        if k == len(passages):
            break
        p = passages[k]
        span_a, span_b = (p.a_start, p.a_end), (p.b_start, p.b_end)
        changed_a: list[Span] = []
        changed_b: list[Span] = []
        if p.kind in (VERBATIM, NEAR_VERBATIM):
            changed_a, changed_b = word_changes(text_a, span_a, text_b, span_b)
        rows.append(Row(p.kind, p.score, Side([span_a], changed_a), Side([span_b], changed_b)))
    return rows


def pair_diff(pair: PairRecord, doc_a: DocumentRecord, doc_b: DocumentRecord) -> PairDiff:
    """The diff of two document records linked by ``pair`` (either orientation), ``doc_a`` on the left."""
    pair = pair.seen_from(doc_a.id)
    return PairDiff(pair, doc_a, doc_b, diff_rows(pair, doc_a.text, doc_b.text, doc_a.sentences, doc_b.sentences))


def results_diff(results: Results, a: str, b: str) -> PairDiff:
    """The saved diff of documents ``a`` and ``b`` of a results directory; no recomputation."""
    docs = []
    for doc_id in (a, b):
        try:
            docs.append(results.document(doc_id))
        except KeyError:
            raise DiffError(f"no document {doc_id!r} in documents.jsonl") from None
    pair = results.pair(a, b)
    if pair is None:
        raise DiffError(f"{a} and {b} have no linked pair in pairs.jsonl: no passage of one aligns with the other")
    return pair_diff(pair, docs[0], docs[1])


# --- terminal diff ----------------------------------------------------------------------------

_STYLE = {VERBATIM: "cyan", NEAR_VERBATIM: "yellow", PARAPHRASE: "magenta", ADDED: "green"}
_LABEL = {VERBATIM: "verbatim", NEAR_VERBATIM: "near-verbatim", PARAPHRASE: "paraphrase", ADDED: "+ added"}
_CHANGED = "bold reverse"
_NARROW = 80


def _cell(side: Side, text: str, kind: str, marks: tuple[str, str] | None) -> Text:
    """The text of one side, styled by kind, changed words highlighted (or bracketed without colour)."""
    out = Text(style=_STYLE[kind])
    for n, (start, end) in enumerate(side.spans):
        if n:
            out.append("\n")
        if kind == ADDED:
            out.append("+ ")
        pos = start
        for cs, ce in side.changed:
            if ce <= start or cs >= end:
                continue
            out.append(terminal_safe(text[pos:cs]))
            if marks:
                out.append(marks[0] + terminal_safe(text[cs:ce]) + marks[1])
            else:
                out.append(terminal_safe(text[cs:ce]), style=_CHANGED)
            pos = ce
        out.append(terminal_safe(text[pos:end]))
    return out


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _fact(value: Any) -> Text:
    """A header value as terminal-safe plain text (never markup); missing values show as '-'."""
    return _plain("-" if value in (None, "") else value)


def _why_related(evidence: dict[str, Any]) -> Table:
    """Why a related pair is not taken for one report: the family-level reason that overruled the judge's
    link (if so), and the judge's own reasons against one report."""
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    if evidence.get("overruled"):
        grid.add_row(Text("why related"), _plain(evidence["overruled"]))
    if evidence.get("against"):
        grid.add_row(Text("against"), _plain("; ".join(evidence["against"])))
    return grid


def _header(diff: PairDiff) -> RenderableType:
    """The verdict, then the two documents side by side: title, site, date, coverage, lead figures, agencies.

    The verdict is the relation, how sure the judge is of one source and the
    scores behind it, then the evidence summary in words (which figures and
    names the two share) and, for a related pair, why it is not one report.
    """
    p, evidence = diff.pair, diff.pair.evidence
    line = Text()
    line.append(f" {terminal_safe(p.relation)} ", style="bold reverse")
    line.append(f"  {p.confidence:.0%} sure of one source")
    line.append(f" · minhash Jaccard {p.jaccard:.2f} · embedding cosine {p.doc_cosine:.2f}")
    line.append(f" · {len(p.passages)} passage" + ("" if len(p.passages) == 1 else "s"))
    if p.found_by:
        line.append(f" · found by {terminal_safe(', '.join(p.found_by))}")
    verdict: list[RenderableType] = [line]
    if evidence.get("summary"):
        verdict.append(_plain(evidence["summary"]))
    if p.relation == RELATED and (evidence.get("overruled") or evidence.get("against")):
        verdict.append(_why_related(evidence))
    facts = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    facts.add_column("", style="dim", no_wrap=True)
    facts.add_column(Text(terminal_safe(diff.doc_a.id), style="bold"), ratio=1, overflow="fold")
    facts.add_column(Text(terminal_safe(diff.doc_b.id), style="bold"), ratio=1, overflow="fold")
    a, b = diff.doc_a, diff.doc_b
    rows = [
        ("title", a.title, b.title),
        ("site", a.source, b.source),
        ("date", a.date, b.date),
        ("coverage", _pct(p.coverage_a), _pct(p.coverage_b)),
        ("support", _pct(p.support_a), _pct(p.support_b)),
        ("sentences", p.matched_a, p.matched_b),
    ]
    if evidence.get("lead_figures"):  # the leads report different figures: which side says what
        rows.append(("lead figures", *(", ".join(side) for side in evidence["lead_figures"])))
    rows.append(("agencies", ", ".join(a.agencies), ", ".join(b.agencies)))
    for label, va, vb in rows:
        facts.add_row(Text(label), _fact(va), _fact(vb))
    return Group(*verdict, facts)


def diff_renderable(diff: PairDiff, width: int, color: bool) -> RenderableType:
    """Header and rows; side by side from ``_NARROW`` columns up, stacked below (text wraps, never cut).

    Without colour, kinds are named in the gutter and changed words are
    bracketed ``[-a-]`` / ``{+b+}`` so the output still reads when piped.
    """
    marks_a = None if color else ("[-", "-]")
    marks_b = None if color else ("{+", "+}")
    ta, tb = diff.doc_a.text, diff.doc_b.text
    id_a, id_b = terminal_safe(diff.doc_a.id), terminal_safe(diff.doc_b.id)
    table = Table(box=box.SIMPLE_HEAD if color else box.ASCII2, show_lines=True, expand=True, pad_edge=False)
    table.add_column("kind", no_wrap=True, width=13)
    wide = width >= _NARROW
    if wide:
        table.add_column(Text(id_a, style="bold"), ratio=1, overflow="fold")
        table.add_column(Text(id_b, style="bold"), ratio=1, overflow="fold")
    else:
        table.add_column(Text(f"{id_a} / {id_b}", style="bold"), ratio=1, overflow="fold")
    for row in diff.rows:
        gutter = Text(_LABEL[row.kind], style=f"bold {_STYLE[row.kind]}")
        if row.score is not None:
            gutter.append(f"\n{row.score:.2f}", style="dim")
        left = _cell(row.a, ta, row.kind, marks_a)
        right = _cell(row.b, tb, row.kind, marks_b)
        if wide:
            table.add_row(gutter, left, right)
        else:
            stacked = Text()
            for name, cell in ((id_a, left), (id_b, right)):
                if cell.plain:
                    if stacked.plain:
                        stacked.append("\n")
                    stacked.append(f"{name}: ", style="bold")
                    stacked.append_text(cell)
            table.add_row(gutter, stacked)
    legend = Text("kinds: ", style="dim")
    for kind in KINDS:
        legend.append(_LABEL[kind], style=_STYLE[kind])
        legend.append("  ")
    legend.append("changed words: ", style="dim")
    legend.append("highlighted" if color else "[-left-] {+right+}", style=_CHANGED if color else "")
    return Group(_header(diff), table, legend)


def print_diff(diff: PairDiff, console: Console) -> None:
    """Print ``diff`` to ``console``: colour on a terminal, plain when piped."""
    console.print(diff_renderable(diff, console.width, console.color_system is not None))
