"""The HTML report: one self-contained static file rendered from saved results, never by recomputing.

The file is a small shell (CSS, one script allowed by its hash in the
Content-Security-Policy, which forbids all network) plus JSON data:

* an index block (run counts, one summary per family, per related group and
  per singleton), parsed when the page opens;
* one block per family and per singleton (texts, highlight segments, pairs
  with their diff rows) and one per related group (highlight segments and
  pair ids only), parsed only when opened, or once when the filter first
  searches article text (it searches ids, titles, sites, agencies, dates and
  every article's text).

The CSS and the script are package data, ``dedup/assets/report.css`` and
``dedup/assets/report.js``, inlined as they are; this module builds the page
around them.

So a report of 10,000 families opens in seconds and its size grows linearly
with the corpus. A pair shows the analysis' evidence as saved (``evidence``:
its summary sentence, shared figures and names, reasons for and against one
source report, why a related pair is not one); the page only paints it, and
every confidence appears as the whole percent the summary sentence writes.
Article text and evidence strings are untrusted: they travel as JSON with
``<``, ``>`` and ``&`` escaped (``</script>`` cannot close a block) and reach
the page only through ``textContent`` and DOM APIs.

Family highlights are the members' numbered core passages as the families
stage saved them (sentences connected, through any pair inside the family, to
a sentence of the origin), drawn in the same colour in every member; added
spans are the member's own additions.

Related groups (saved in ``related.jsonl``): articles linked by ``related``
pairs across families or singletons (they share passages but rewrite
different reports, so they are not a family). The page shows each group
like a family, labelled as not one, with its saved summary sentence (what
its articles share, why they are not one family) and the families and
singletons it joins, its saved shared passages one colour each across members.

A family's timeline is one row per member (id, a bar to its date on one
axis, the date), so 50 members with 60-character ids stay readable on a phone.
Every metric the page shows carries its meaning in plain words (a tooltip,
and a "What the figures mean" list in each view); the thresholds those
explanations quote are the run's saved settings.
"""
from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from .records import LINKS, RELATED, DocumentRecord, Member, PairRecord, Span
from .render import diff_rows, sure_percent
from .results import Results, ResultsError

Segment = list[Any]
"""``[start, end, kind]`` or ``[start, end, "core" | "passage", number]``; kind is core, passage, shared or added.
Numbers count from 0 on the page (colour ``c0``, ``c1``, ...), from 1 in the records."""


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` can end it or open a tag."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _compact_rows(pair: PairRecord, doc_a: DocumentRecord, doc_b: DocumentRecord) -> list[list[Any]]:
    """Diff rows as ``[kind, score, a spans, b spans, a changes, b changes]`` with flat offset lists."""
    def flat(spans: list[tuple[int, int]]) -> list[int]:
        return [x for span in spans for x in span]

    return [[r.kind, r.score, flat(r.a.spans), flat(r.b.spans), flat(r.a.changed), flat(r.b.changed)]
            for r in diff_rows(pair, doc_a.text, doc_b.text, doc_a.sentences, doc_b.sentences)]


def _subtract(span: tuple[int, int], painted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of ``span`` that no painted range covers."""
    pieces = [span]
    for ps, pe in painted:
        pieces = [part for s, e in pieces
                  for part in ((s, min(e, ps)), (max(s, pe), e)) if part[1] > part[0]]
    return pieces


def _numbered(spans: list[Span], kind: str) -> list[Segment]:
    return [[x.start, x.end, kind, (x.passage or 1) - 1] for x in spans]


def member_segments(text: str, member: Member) -> list[Segment]:
    """Highlight segments of one member: its core passages, then added spans, then other shared text."""
    layers = [("core", [(x.start, x.end, x.passage) for x in member.core]),
              ("added", [(x.start, x.end, None) for x in member.added]),
              ("shared", [(x.start, x.end, None) for x in member.shared])]
    painted: list[tuple[int, int]] = []
    out: list[Segment] = []
    for kind, spans in layers:
        for start, end, number in spans:
            for s, e in _subtract((start, end), painted):
                if not text[s:e].strip():
                    continue
                out.append([s, e, kind, (number or 1) - 1] if kind == "core" else [s, e, kind])
                painted.append((s, e))
    return sorted(out)


def _doc_view(doc: DocumentRecord, links: list[list[Any]], segments: list[Segment],
              member: Member | None) -> dict[str, Any]:
    """What the page needs of one document: its record, linked partners, highlights and added share."""
    view: dict[str, Any] = {"id": doc.id, "title": doc.title, "source": doc.source, "url": doc.url,
                            "date": doc.date, "agencies": doc.agencies, "text": doc.text, "family": doc.family,
                            "is_origin": doc.is_origin}
    view["also"] = [{**also.to_json(), "sure": sure_percent(also.confidence),
                     "pairs": [{**q.to_json(), "sure": sure_percent(q.confidence)} for q in also.pairs]}
                    for also in doc.also]
    view["links"] = links
    view["segs"] = segments
    if member is not None:
        view.update(shared_chars=member.shared_chars, added_chars=member.added_chars,
                    added_share=member.added_share)
    return view


def _dates(docs: list[DocumentRecord]) -> list[str] | None:
    """First and last publication date, or None when no document is dated."""
    dated = sorted(d.date for d in docs if d.date)
    return [dated[0], dated[-1]] if dated else None


def _sites(docs: list[DocumentRecord]) -> list[str]:
    """Distinct sites that published the documents."""
    return sorted({d.source for d in docs if d.source})


def report_data(results: Results) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The index and the data blocks: one per family (largest first), one per singleton, one per related group.

    Each pair record goes to the block of its ``a`` document, with its saved
    evidence, its confidence as a whole percent (``sure``) and its diff rows;
    the index maps every document to its block through the families' members
    and the singletons. A related group's block holds no text, only its
    members' highlight segments and its links (pair ids, passage count,
    coverage, percent sure, why a link is overruled); the page reads texts
    and pairs from the members' own blocks.
    """
    docs = {d.id: d for d in results.documents}
    named = ({x for p in results.pairs for x in (p.a, p.b)} | {m for f in results.families for m in f.members}
             | {m for g in results.related for m in g.members})
    missing = sorted(named - docs.keys())
    if missing:
        raise ResultsError(f"documents.jsonl lacks {len(missing)} document(s) that families or pairs name "
                           f"(first: {missing[0]!r}); re-run `dedup cluster`")
    families = sorted(results.families, key=lambda f: (-f.size, f.id))
    block_of = {member: n for n, fam in enumerate(families) for member in fam.members}
    singles = [d for d in results.documents if d.id not in block_of]
    block_of.update((d.id, n) for n, d in enumerate(singles, start=len(families)))
    blocks: list[dict[str, Any]] = [{"docs": [], "pairs": []} for _ in range(len(families) + len(singles))]
    links: dict[str, list[list[Any]]] = {}
    grouped = {pair for g in results.related for pair in g.pairs}
    group_links: dict[tuple[str, str], list[Any]] = {}
    for p in results.pairs:
        a, b, sure = p.a, p.b, sure_percent(p.confidence)
        links.setdefault(a, []).append([b, p.relation, sure])
        links.setdefault(b, []).append([a, p.relation, sure])
        record = p.to_json()
        del record["passages"]
        record["sure"] = sure
        record["passage_count"] = len(p.passages)  # rows group passages that share a sentence
        record["rows"] = _compact_rows(p, docs[a], docs[b])
        blocks[block_of[a]]["pairs"].append(record)
        if (a, b) in grouped:
            group_links[(a, b)] = [a, b, len(p.passages), record["scores"]["coverage_a"],
                                   record["scores"]["coverage_b"], sure, p.evidence.get("overruled")]

    index_families = []
    for n, fam in enumerate(families):
        detail = {member.id: member for member in fam.details}  # one lookup per member: families can hold 20,000
        for m in fam.members:
            member = detail[m]
            blocks[n]["docs"].append(_doc_view(docs[m], links.get(m, []), member_segments(docs[m].text, member),
                                               member))
        blocks[n]["passages"] = fam.passages
        member_docs = [docs[m] for m in fam.members]
        index_families.append({
            "id": fam.id, "block": n, "size": fam.size, "origin": fam.origin,
            "origin_rule": fam.origin_rule, "title": docs[fam.origin].heading,
            "members": fam.members, "sites": _sites(member_docs), "dates": _dates(member_docs),
            "relations": fam.relations, "agencies": fam.agencies,
        })
    index_singles = []
    for n, d in enumerate(singles, start=len(families)):
        blocks[n]["docs"].append(_doc_view(d, links.get(d.id, []), [], None))
        index_singles.append({"id": d.id, "block": n, "title": d.title, "source": d.source,
                              "date": d.date, "pairs": len(links.get(d.id, []))})
    index_related = []
    family_of = {member: fam.id for fam in families for member in fam.members}
    for n, group in enumerate(results.related, start=len(blocks)):
        blocks.append({
            "members": [{"id": m, "segs": _numbered(group.passages.get(m, []), "passage")} for m in group.members],
            "links": [group_links[pair] for pair in group.pairs if pair in group_links],
        })
        member_docs = [docs[m] for m in group.members]
        index_related.append({
            "id": group.id, "block": n, "size": len(group.members), "summary": group.summary, "joins": group.families,
            "members": [{"id": m, "title": docs[m].title, "source": docs[m].source,
                         "date": docs[m].date, "family": family_of.get(m)} for m in group.members],
            "families": sorted({family_of[m] for m in group.members if m in family_of}),
            "singletons": sum(1 for m in group.members if m not in family_of),
            "pairs": len(group.pairs), "passages": group.passage_count, "sites": _sites(member_docs),
            "dates": _dates(member_docs),
        })
    counts = results.run.get("counts", {})
    config = results.run.get("config", {})

    def percent(name: str) -> int | None:
        return None if config.get(name) is None else sure_percent(config[name])

    index = {
        "run": {"model": results.run.get("model"), "version": results.run.get("dedup_version"),
                "link_sure": percent("link_confidence"),  # the thresholds the page's explanations quote
                "verbatim": percent("verbatim_ratio"), "near_verbatim": percent("near_verbatim_ratio"),
                "min_sentence_chars": config.get("min_sentence_chars")},
        "counts": {
            "documents": len(results.documents),
            "families": len(families),
            "in_families": len(results.documents) - len(singles),
            "singletons": len(singles),
            "related_groups": len(index_related),
            "linked_pairs": sum(1 for p in results.pairs if p.relation in LINKS),
            "related_pairs": sum(1 for p in results.pairs if p.relation == RELATED),
            "skipped": counts.get("skipped", len(results.skipped)),
        },
        "families": index_families,
        "related": index_related,
        "singletons": index_singles,
    }
    return index, blocks


def _csp_hash(script: str) -> str:
    """CSP source allowing exactly ``script`` inline, and no other script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


@cache
def _asset(name: str) -> str:
    """A file of ``dedup/assets`` (the page's CSS or script), read once."""
    return (files("dedup") / "assets" / name).read_text(encoding="utf-8")


def build_report(results: Results) -> str:
    """The report as one HTML string (see the module docstring for its layout)."""
    index, blocks = report_data(results)
    script = "\n" + _asset("report.js")  # exactly the inline text, which the CSP hash allows
    csp = (f"default-src 'none'; script-src '{_csp_hash(script)}'; style-src 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n',  # constants, no double quote
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="referrer" content="no-referrer">\n<link rel="icon" href="data:,">\n',
        (f"<title>dedup report: {len(index['families'])} families, {len(index['related'])} related groups, "
         f"{len(index['singletons'])} singletons</title>\n"),
        f"<style>\n{_asset('report.css')}</style>\n</head>\n<body>\n",
        ('<noscript><p class="noscript">This report needs JavaScript, which runs locally: '
         "the page loads nothing from the network.</p></noscript>\n"),
        '<div id="app"></div>\n',
        f'<script type="application/json" id="dedup-index">{script_json(index)}</script>\n',
    ]
    parts.extend(f'<script type="application/json" id="dedup-b{n}">{script_json(block)}</script>\n'
                 for n, block in enumerate(blocks))
    parts.append(f"<script>{script}</script>\n</body>\n</html>\n")
    return "".join(parts)


def write_report(results: Results, path: str | Path) -> Path:
    """Write the report to ``path`` (parent folders created) and return the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(build_report(results), encoding="utf-8")
    tmp.replace(out)
    return out
