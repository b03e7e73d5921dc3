"""Terminal rendering of saved results (rich), and the pair-diff model the HTML report shares.

The diff model (:func:`pair_diff`) turns one pair record and the two saved
document records into rows: aligned sentences side by side, and the sentences
one side added in between, each sentence of either side in exactly one row
(passages that share a sentence are one row). It only reads saved offsets and
sentence matches (nothing is split or aligned again), and it is the single
source of rows for ``dedup diff`` and for the pair view of ``dedup report``.

The summary table is laid out for the terminal's width: ids whole, one line
per family where they leave room for a title.

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
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from .records import NEAR_VERBATIM, PARAPHRASE, RELATED, VERBATIM, DocumentRecord, Offsets, PairRecord, Passage
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
            title = results.document(fam.origin).heading
        except KeyError:
            title = ""
        families.append({"id": fam.id, "size": fam.size, "origin": fam.origin, "origin_rule": fam.origin_rule,
                         "agencies": fam.agencies, "title": title})
    counts = {"documents": len(results.documents), "families": len(results.families),
              "linked_pairs": len(results.pairs), **results.run.get("counts", {})}
    return {"counts": counts, "families": families, "shown": len(families)}


_SEP = 2
"""Columns between two columns of the summary table (its right padding and the box's blank divider)."""
_TITLE_MIN = 24
"""Fewest columns a title gets beside the ids on one line; below that it goes under the origin id."""
_TITLE_MAX = 80
"""Most columns a title takes, however wide the terminal."""
_EXTRA = (("agencies", _TITLE_MIN), ("rule", 2 * _TITLE_MIN))
"""The less important columns, in the order they are given room, each only while the title keeps that many
columns (the origin rule, up to 59 characters, comes after a readable title)."""


def summary_table(results: Results, top: int = 10, width: int | None = None) -> Table:
    """Counts of the run and its largest families with their origin, laid out for ``width`` columns.

    Family and origin ids are handles a user pastes into ``dedup diff``:
    they are always printed in full, on one line (folded only when an id is
    wider than the whole terminal). Every family gets one line: ids, size,
    then as many of agencies and origin rule as fit whole, and the origin's
    title cut to the rest with an ellipsis. When not even a short title fits
    beside the ids (an 80-column pipe with long URL-like ids), the title goes
    on a second line under the origin id. ``width`` None lays out for a
    terminal wide enough for every column.
    """
    data = summary_data(results, top)
    counts = data["counts"]
    rows = [{"family": terminal_safe(fam["id"]), "size": str(fam["size"]), "origin": terminal_safe(fam["origin"]),
             "rule": terminal_safe(fam["origin_rule"]), "agencies": terminal_safe(", ".join(fam["agencies"]) or "-"),
             "title": terminal_safe(" ".join(fam["title"].split()))} for fam in data["families"]]
    heads = {"family": "family", "size": "size", "origin": "origin", "agencies": "agencies", "rule": "rule",
             "title": "title of origin"}
    natural = {key: max([cell_len(heads[key])] + [cell_len(r[key]) for r in rows]) for key in heads}
    natural["title"] = min(natural["title"], _TITLE_MAX)
    width = width or sum(natural.values()) + _SEP * (len(natural) - 1)
    used = natural["family"] + natural["size"] + natural["origin"] + 2 * _SEP
    title_min = min(natural["title"], _TITLE_MIN)
    extra = []
    for key, keep in _EXTRA:  # shown whole or not at all
        if used + natural[key] + _SEP + _SEP + min(natural["title"], keep) <= width:
            extra.append(key)
            used += natural[key] + _SEP
    stacked = used + _SEP + title_min > width

    table = Table(title="dedup: rewrite families", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  padding=(0, 1, 0, 0))
    table.add_column("family", style="bold", no_wrap=True, min_width=natural["family"], overflow="fold")
    table.add_column("size", justify="right", no_wrap=True)
    if stacked:  # the ids first, whole; the title under the origin, cut to the column
        column = max(1, width - natural["family"] - natural["size"] - 2 * _SEP)
        table.add_column("origin / title of origin", width=column, overflow="fold")
        for r in rows:
            title = Text(r["title"], style="dim", no_wrap=True, overflow="ellipsis")
            title.truncate(max(1, column), overflow="ellipsis")
            table.add_row(Text(r["family"]), Text(r["size"]), Text.assemble(r["origin"], "\n", title))
    else:
        table.add_column("origin", no_wrap=True, min_width=natural["origin"], overflow="fold")
        for key in extra:
            table.add_column(heads[key], style="dim" if key == "rule" else "", no_wrap=True, width=natural[key])
        table.add_column(heads["title"], no_wrap=True, overflow="ellipsis",
                         width=max(1, min(natural["title"], width - used - _SEP)))
        for r in rows:
            table.add_row(*(Text(r[key]) for key in ("family", "size", "origin", *extra, "title")))
    caption = (f"{counts['documents']} documents, {counts['families']} families "
               f"({counts.get('in_families', 0)} documents), {counts.get('singletons', 0)} singletons, "
               f"{counts['linked_pairs']} linked pairs, {counts.get('skipped', 0)} skipped")
    if len(results.families) > top:
        caption += f"; showing the {top} largest families"
    table.caption = _plain(caption)
    return table


def print_summary(results: Results, console: Console, top: int = 10) -> None:
    """Print the summary table to ``console``, laid out for its width (80 columns when piped)."""
    console.print(summary_table(results, top, console.width))


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
    """Aligned sentences (both sides) or what one side added between them (``kind`` = added, other side empty).

    An aligned row is one passage, or several that share a sentence: its
    ``kind`` is the loosest of theirs, ``score`` the lowest and ``scores``
    each passage's (empty for added rows).
    """

    kind: str
    score: float | None
    a: Side
    b: Side
    scores: list[float] = field(default_factory=list)


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
            "rows": [{"kind": r.kind, "score": r.score, "passage_scores": r.scores, "a": side(r.a, self.doc_a.text),
                      "b": side(r.b, self.doc_b.text)} for r in self.rows],
        }


_WORD = re.compile(r"\w+", re.UNICODE)


def _tokens(text: str, spans: Sequence[Span]) -> list[tuple[int, int, str]]:
    return [(s + m.start(), s + m.end(), normalise(m.group())) for s, e in spans for m in _WORD.finditer(text[s:e])]


def _changes(text_a: str, spans_a: Sequence[Span], text_b: str,
             spans_b: Sequence[Span]) -> tuple[list[Span], list[Span]]:
    """Character ranges of the words that differ between the text of ``spans_a`` and of ``spans_b``."""
    ta, tb = _tokens(text_a, spans_a), _tokens(text_b, spans_b)
    out_a: list[Span] = []
    out_b: list[Span] = []
    for op in Levenshtein.opcodes([t[2] for t in ta], [t[2] for t in tb]):
        if op.tag == "equal":
            continue
        if op.src_end > op.src_start:
            out_a.extend(_within(ta[op.src_start:op.src_end], spans_a))
        if op.dest_end > op.dest_start:
            out_b.extend(_within(tb[op.dest_start:op.dest_end], spans_b))
    return out_a, out_b


def _within(words: list[tuple[int, int, str]], spans: Sequence[Span]) -> list[Span]:
    """One range per run of changed words, split where the words cross from one shown span to the next."""
    out: list[Span] = []
    for s, e in spans:
        inside = [w for w in words if s <= w[0] and w[1] <= e]
        if inside:
            out.append((inside[0][0], inside[-1][1]))
    return out


def word_changes(text_a: str, span_a: Span, text_b: str, span_b: Span) -> tuple[list[Span], list[Span]]:
    """Character ranges of the words that differ between two passages (Levenshtein opcodes over words).

    Words compare case-folded and NFKC-normalised; runs of changed words
    become one range, so an edit reads as a phrase, not word by word.
    """
    return _changes(text_a, [span_a], text_b, [span_b])


def _runs(text: str, sentences: list[Span]) -> list[Span]:
    """Merge sentences separated only by whitespace into one range."""
    out: list[Span] = []
    for s, e in sorted(sentences):
        if out and not text[out[-1][1]:s].strip():
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


_LOOSENESS = {VERBATIM: 0, NEAR_VERBATIM: 1, PARAPHRASE: 2}


def _groups(passages: list[Passage]) -> list[list[int]]:
    """Passages (indices) joined when they share a matched sentence on either side, in passage order.

    One-to-many alignments (a sentence matched to two or three sentences of
    the other text, in separate passages) so become one group: each sentence
    is shown once, beside all its counterparts.
    """
    parent = list(range(len(passages)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    first: dict[tuple[str, int], int] = {}
    for k, p in enumerate(passages):
        for m in p.matches:
            for key in (("a", m.a), ("b", m.b)):
                if key in first:
                    parent[root(k)] = root(first[key])
                else:
                    first[key] = k
    groups: dict[int, list[int]] = {}
    for k in range(len(passages)):
        groups.setdefault(root(k), []).append(k)
    return sorted(groups.values())


def _owners(sentences: Sequence[Offsets], passages: list[Passage], groups: list[list[int]], side: str) -> list[int]:
    """The group of each sentence of one side, -1 for an added one: the group of its match, else (a sentence
    in no match but inside a passage's range, which the aligner allows as a gap) the first group whose
    passages' range holds it."""
    owner = [-1] * len(sentences)
    for g, group in enumerate(groups):
        for k in group:
            for m in passages[k].matches:
                owner[getattr(m, side)] = g
    for i, (start, end) in enumerate(sentences):
        if owner[i] < 0:
            owner[i] = next((g for g, group in enumerate(groups)
                             if any(_overlaps((start, end), passages[k], side) for k in group)), -1)
    return owner


def _range(p: Passage, side: str) -> Span:
    return (p.a_start, p.a_end) if side == "a" else (p.b_start, p.b_end)


def _shown(text: str, sentences: Sequence[Offsets], owned: list[int], passages: list[Passage],
           side: str) -> list[Span]:
    """The ranges a row shows on one side: its sentences, merged where only whitespace separates them; for
    a side without sentences (a text of one emoji), its passages' own ranges."""
    return _runs(text, [tuple(sentences[i]) for i in owned] or [_range(p, side) for p in passages])


def diff_rows(pair: PairRecord, text_a: str, text_b: str, sentences_a: Sequence[Offsets],
              sentences_b: Sequence[Offsets]) -> list[Row]:
    """Rows of a pair (side a = left): aligned sentences in the order of a, with added sentences between.

    Every sentence of either side is in exactly one row. Passages that share
    a matched sentence (one-to-many alignments) are one row, the sentence
    shown once beside all its counterparts; the row's kind is the loosest of
    theirs and its score the lowest (``scores`` has each one's), and the
    words that differ are marked within each verbatim or near-verbatim
    passage. A sentence in no match but inside a passage's range (the
    aligner allows gaps) is shown in that passage's row. The other sentences
    are added, in rows of one side only: those of a before the first aligned
    row that starts after them, those of b after the row that shows the b
    text just before them, so reordered rewrites still show their additions
    next to the material they follow.
    """
    passages = sorted(pair.passages, key=lambda p: (p.a_start, p.b_start))
    groups = _groups(passages)
    owner_a = _owners(sentences_a, passages, groups, "a")
    owner_b = _owners(sentences_b, passages, groups, "b")
    matched_a = {m.a for p in passages for m in p.matches}
    matched_b = {m.b for p in passages for m in p.matches}
    aligned: list[Row] = []
    for g, group in enumerate(groups):
        own_a = [i for i, o in enumerate(owner_a) if o == g]
        own_b = [i for i, o in enumerate(owner_b) if o == g]
        members = [passages[k] for k in group]
        changed_a: list[Span] = []
        changed_b: list[Span] = []
        for k in group:
            p = passages[k]
            if p.kind not in (VERBATIM, NEAR_VERBATIM):
                continue
            # this passage's own sentences of the row: matched in it, or gaps inside its range
            in_a = {m.a for m in p.matches}
            in_b = {m.b for m in p.matches}
            mine_a = [i for i in own_a if i in in_a or (i not in matched_a and _overlaps(sentences_a[i], p, "a"))]
            mine_b = [i for i in own_b if i in in_b or (i not in matched_b and _overlaps(sentences_b[i], p, "b"))]
            ca, cb = _changes(text_a, _shown(text_a, sentences_a, mine_a, [p], "a"),
                              text_b, _shown(text_b, sentences_b, mine_b, [p], "b"))
            changed_a += ca
            changed_b += cb
        kind = max((p.kind for p in members), key=_LOOSENESS.__getitem__)
        scores = [p.score for p in members]
        aligned.append(Row(kind, min(scores),
                           Side(_shown(text_a, sentences_a, own_a, members, "a"), sorted(set(changed_a))),
                           Side(_shown(text_b, sentences_b, own_b, members, "b"), sorted(set(changed_b))), scores))
    aligned.sort(key=lambda r: (r.a.spans[0], r.b.spans[0]))
    slots_a: list[list[Span]] = [[] for _ in range(len(aligned) + 1)]
    slots_b: list[list[Span]] = [[] for _ in range(len(aligned) + 1)]
    for i, (start, end) in enumerate(sentences_a):
        if owner_a[i] < 0:
            slots_a[sum(1 for r in aligned if r.a.spans[0][0] < start)].append((start, end))
    for i, (start, end) in enumerate(sentences_b):
        if owner_b[i] < 0:
            before = [(e, k) for k, r in enumerate(aligned) for _, e in r.b.spans if e <= start]
            slots_b[max(before)[1] + 1 if before else 0].append((start, end))
    rows: list[Row] = []
    for k in range(len(aligned) + 1):
        if slots_a[k]:
            rows.append(Row(ADDED, None, Side(_runs(text_a, slots_a[k])), Side()))
        if slots_b[k]:
            rows.append(Row(ADDED, None, Side(), Side(_runs(text_b, slots_b[k]))))
        if k < len(aligned):
            rows.append(aligned[k])
    return rows


def _overlaps(sentence: Offsets, p: Passage, side: str) -> bool:
    start, end = _range(p, side)
    return sentence[0] < end and start < sentence[1]


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
        elif n:
            out.append("… ")  # not next to the range above: the text between is in another row
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


def sure_percent(confidence: float) -> int:
    """The judge's confidence as a whole percent, rounded as the evidence summary writes it (``{:.0%}``);
    the terminal and the report both say it this way."""
    return round(confidence * 100)


def verdict_words(relation: str, confidence: float) -> str:
    """How sure the judge is, in the words of the evidence summary and the report: a link says only how
    sure it is of one source; a related pair says first that it is not linked, so its percent reads as the
    reason, not as a contradiction ("not linked · 12% sure of one source")."""
    sure = f"{sure_percent(confidence)}% sure of one source"
    return f"not linked · {sure}" if relation == RELATED else sure


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _fact(value: Any) -> Text:
    """A header value as terminal-safe plain text (never markup); missing values show as '-'."""
    return _plain("-" if value in (None, "") else value)


def _why_related(evidence: dict[str, Any]) -> Table:
    """Why a related pair is not linked: the family-level reason that overruled the judge (if so), and the
    judge's own reasons against one report."""
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
    names the two share) and, for a related pair, why it is not linked.
    """
    p, evidence = diff.pair, diff.pair.evidence
    line = Text()
    line.append(f" {terminal_safe(p.relation)} ", style="bold reverse")
    line.append("  " + verdict_words(p.relation, p.confidence))
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
        if len(row.scores) > 1:  # passages that share a sentence, shown as one row
            gutter.append(f"\n{len(row.scores)} passages\n{min(row.scores):.2f}-{max(row.scores):.2f}", style="dim")
        elif row.score is not None:
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
