"""The HTML report: one self-contained static file rendered from saved results, never by recomputing.

The file is a small shell (CSS, one script allowed by its hash in the
Content-Security-Policy, which forbids all network) plus JSON data:

* an index block (run counts, one summary per family, per related group and
  per singleton), parsed when the page opens;
* one block per family and per singleton (texts, highlight segments, pairs
  with their diff rows) and one per related group (highlight segments and
  pair ids only), parsed only when opened.

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

Family highlights: aligned sentences connected (through any pair inside the
family) to a sentence of the origin form one *core passage*, drawn in the
same colour in every member; sentences no other member shares are *added*.

Related groups: articles linked by ``related`` pairs across families or
singletons (they share passages but rewrite different reports, so they are
not a family). The page shows each group like a family, labelled as not
one, with the sentences the related pairs align joined into *shared
passages*, one colour each across members.
"""
from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from .records import LINKS, RELATED
from .render import diff_rows
from .results import Results, ResultsError
from .text import Sentence, split_sentences

Segment = list[Any]
"""``[start, end, kind]`` or ``[start, end, "core" | "passage", number]``; kind is core, passage, shared or added."""


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` can end it or open a tag."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def sure_percent(confidence: float) -> int:
    """The judge's confidence as a whole percent, rounded as the evidence summary writes it (``{:.0%}``)."""
    return round(confidence * 100)


def _compact_rows(pair: dict[str, Any], text_a: str, text_b: str,
                  sentences: tuple[list[Sentence], list[Sentence]]) -> list[list[Any]]:
    """Diff rows as ``[kind, score, a spans, b spans, a changes, b changes]`` with flat offset lists."""
    def flat(spans: list[tuple[int, int]]) -> list[int]:
        return [x for span in spans for x in span]

    return [[r.kind, r.score, flat(r.a.spans), flat(r.b.spans), flat(r.a.changed), flat(r.b.changed)]
            for r in diff_rows(pair, text_a, text_b, sentences)]


def _sentence_roots(pairs: list[dict[str, Any]]) -> dict[tuple[str, int], tuple[str, int]]:
    """Join sentences that any pair aligns (union-find): ``(document id, sentence index)`` -> its group's root."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        for passage in p["passages"]:
            for m in passage["sentences"]:
                ra, rb = find((p["a"], m[0])), find((p["b"], m[1]))
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in list(parent)}


def _numbered(roots: dict[tuple[str, int], tuple[str, int]],
              number: dict[tuple[str, int], int]) -> dict[str, dict[int, int]]:
    """Document id -> sentence index -> passage number, for the sentences whose root is numbered."""
    out: dict[str, dict[int, int]] = {}
    for node, root in roots.items():
        if root in number:
            out.setdefault(node[0], {})[node[1]] = number[root]
    return out


def core_passages(family: dict[str, Any], pairs: list[dict[str, Any]]) -> dict[str, dict[int, int]]:
    """Number the core passages of ``family``: document id -> sentence index -> passage number.

    Sentences are joined when any pair inside the family aligns them; a joined
    group that reaches an origin sentence is a core passage, numbered in the
    order of the origin text, so one number (colour) follows a quote through
    every rewrite.
    """
    roots = _sentence_roots(pairs)
    origin = family["origin"]
    first: dict[tuple[str, int], int] = {}
    for node, root in roots.items():
        if node[0] == origin:
            first[root] = min(first.get(root, node[1]), node[1])
    return _numbered(roots, {root: k for k, root in enumerate(sorted(first, key=first.__getitem__))})


def shared_passages(members: list[str], pairs: list[dict[str, Any]]) -> tuple[dict[str, dict[int, int]], int]:
    """Number the passages that the ``pairs`` of a related group share, and count them.

    Sentences are joined through any of the pairs, so a passage that three
    members share is one passage (one colour) in all three; passages are
    numbered in the order of the members, then of their text.
    """
    roots = _sentence_roots(pairs)
    rank = {m: k for k, m in enumerate(members)}
    first: dict[tuple[str, int], tuple[int, int]] = {}
    for node, root in roots.items():
        key = (rank[node[0]], node[1])
        first[root] = min(first.get(root, key), key)
    return _numbered(roots, {root: k for k, root in enumerate(sorted(first, key=first.__getitem__))}), len(first)


def related_groups(pairs: list[dict[str, Any]], family_of: dict[str, str]) -> list[list[dict[str, Any]]]:
    """The ``related`` pairs of each related group, largest group first (``family_of`` omits singletons).

    A related group is a connected component (union-find, linear in the
    pairs) of the related pairs that link different families or singletons:
    articles that share passages without being one family. A related pair
    inside one family is that family's evidence and joins no group.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def apart(p: dict[str, Any]) -> bool:
        return family_of.get(p["a"]) is None or family_of.get(p["a"]) != family_of.get(p["b"])

    links = [p for p in pairs if p["relation"] == RELATED and apart(p)]
    for p in links:
        ra, rb = find(p["a"]), find(p["b"])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[dict[str, Any]]] = {}
    for p in links:
        groups.setdefault(find(p["a"]), []).append(p)
    size = {root: len({x for p in group for x in (p["a"], p["b"])}) for root, group in groups.items()}
    return [groups[root] for root in sorted(groups, key=lambda r: (-size[r], r))]


def _subtract(span: tuple[int, int], painted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of ``span`` that no painted range covers."""
    pieces = [span]
    for ps, pe in painted:
        pieces = [part for s, e in pieces
                  for part in ((s, min(e, ps)), (max(s, pe), e)) if part[1] > part[0]]
    return pieces


def _passage_spans(text: str, sentences: list[Sentence], passages: dict[int, int]) -> list[tuple[int, int, int]]:
    """``(start, end, passage)`` spans of numbered sentences; neighbours in one passage make one span."""
    spans: list[tuple[int, int, int]] = []
    for k, s in enumerate(sentences):
        if k not in passages:
            continue
        if spans and spans[-1][2] == passages[k] and not text[spans[-1][1]:s.start].strip():
            spans[-1] = (spans[-1][0], s.end, passages[k])
        else:
            spans.append((s.start, s.end, passages[k]))
    return spans


def member_segments(text: str, sentences: list[Sentence], passages: dict[int, int],
                    detail: dict[str, Any]) -> list[Segment]:
    """Highlight segments of one member: core passages, then added spans, then other shared text.

    ``passages`` maps a sentence index to its core passage; ``detail`` is the
    member's record in ``member_details`` (its added spans are shown exactly).
    """
    layers = [("core", _passage_spans(text, sentences, passages)),
              ("added", [(x["start"], x["end"], None) for x in detail["added"]]),
              ("shared", [(x["start"], x["end"], None) for x in detail["shared"]])]
    painted: list[tuple[int, int]] = []
    out: list[Segment] = []
    for kind, spans in layers:
        for start, end, number in spans:
            for s, e in _subtract((start, end), painted):
                if not text[s:e].strip():
                    continue
                out.append([s, e, kind, number] if kind == "core" else [s, e, kind])
                painted.append((s, e))
    return sorted(out)


def _doc_view(doc: dict[str, Any], links: list[list[Any]], segments: list[Segment],
              detail: dict[str, Any] | None) -> dict[str, Any]:
    """What the page needs of one document: its record, linked partners, highlights and added share."""
    view = {key: doc.get(key) for key in ("id", "title", "source", "url", "date", "agencies", "text", "family",
                                          "is_origin")}
    view["also"] = [{**also, "sure": sure_percent(also["confidence"]),
                     "pairs": [{**q, "sure": sure_percent(q["confidence"])} for q in also["pairs"]]}
                    for also in doc.get("also") or []]
    view["links"] = links
    view["segs"] = segments
    if detail is not None:
        view.update(shared_chars=detail["shared_chars"], added_chars=detail["added_chars"],
                    added_share=detail["added_share"])
    return view


def _dates(docs: list[dict[str, Any]]) -> list[str] | None:
    """First and last publication date, or None when no document is dated."""
    dated = sorted(d["date"] for d in docs if d.get("date"))
    return [dated[0], dated[-1]] if dated else None


def _sites(docs: list[dict[str, Any]]) -> list[str]:
    """Distinct sites that published the documents."""
    return sorted({d["source"] for d in docs if d.get("source")})


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
    docs = {d["id"]: d for d in results.documents}
    named = {x for p in results.pairs for x in (p["a"], p["b"])} | {m for f in results.families for m in f["members"]}
    missing = sorted(named - docs.keys())
    if missing:
        raise ResultsError(f"documents.jsonl lacks {len(missing)} document(s) that families or pairs name "
                           f"(first: {missing[0]!r}); re-run `dedup cluster`")
    sentences: dict[str, list[Sentence]] = {}

    def sents(doc_id: str) -> list[Sentence]:
        if doc_id not in sentences:
            sentences[doc_id] = split_sentences(docs[doc_id]["text"])
        return sentences[doc_id]

    families = sorted(results.families, key=lambda f: (-f["size"], f["id"]))
    block_of = {member: n for n, fam in enumerate(families) for member in fam["members"]}
    singles = [d for d in results.documents if d["id"] not in block_of]
    block_of.update((d["id"], n) for n, d in enumerate(singles, start=len(families)))
    blocks: list[dict[str, Any]] = [{"docs": [], "pairs": []} for _ in range(len(families) + len(singles))]
    links: dict[str, list[list[Any]]] = {}
    inside: list[list[dict[str, Any]]] = [[] for _ in families]
    for p in results.pairs:
        a, b, sure = p["a"], p["b"], sure_percent(p["confidence"])
        links.setdefault(a, []).append([b, p["relation"], sure])
        links.setdefault(b, []).append([a, p["relation"], sure])
        if block_of[a] == block_of[b] and block_of[a] < len(families):
            inside[block_of[a]].append(p)
        record = {key: p[key] for key in ("a", "b", "relation", "confidence", "evidence", "scores", "features",
                                          "found_by")}
        record["sure"] = sure
        record["rows"] = _compact_rows(p, docs[a]["text"], docs[b]["text"], (sents(a), sents(b)))
        blocks[block_of[a]]["pairs"].append(record)

    index_families = []
    for n, fam in enumerate(families):
        numbering = core_passages(fam, inside[n])
        details = {m["id"]: m for m in fam["member_details"]}
        for m in fam["members"]:
            segments = member_segments(docs[m]["text"], sents(m), numbering.get(m, {}), details[m])
            blocks[n]["docs"].append(_doc_view(docs[m], links.get(m, []), segments, details[m]))
        blocks[n]["passages"] = len(set(numbering.get(fam["origin"], {}).values()))  # each holds an origin sentence
        member_docs = [docs[m] for m in fam["members"]]
        index_families.append({
            "id": fam["id"], "block": n, "size": fam["size"], "origin": fam["origin"],
            "origin_rule": fam["origin_rule"], "title": docs[fam["origin"]].get("title"),
            "members": fam["members"], "sites": _sites(member_docs), "dates": _dates(member_docs),
            "relations": fam["relations"], "agencies": fam["agencies"],
        })
    index_singles = []
    for n, d in enumerate(singles, start=len(families)):
        blocks[n]["docs"].append(_doc_view(d, links.get(d["id"], []), [], None))
        index_singles.append({"id": d["id"], "block": n, "title": d.get("title"), "source": d.get("source"),
                              "date": d.get("date"), "pairs": len(links.get(d["id"], []))})
    index_related = []
    family_of = {member: fam["id"] for fam in families for member in fam["members"]}
    for n, group in enumerate(related_groups(results.pairs, family_of), start=len(blocks)):
        ids = {x for p in group for x in (p["a"], p["b"])}
        members = sorted(ids, key=lambda m: (docs[m].get("date") is None, docs[m].get("date") or "", m))
        numbering, passages = shared_passages(members, group)
        blocks.append({
            "members": [{"id": m, "segs": [[start, end, "passage", k] for start, end, k in
                                            _passage_spans(docs[m]["text"], sents(m), numbering.get(m, {}))]}
                        for m in members],
            "links": [[p["a"], p["b"], len(p["passages"]), p["scores"]["coverage_a"], p["scores"]["coverage_b"],
                       sure_percent(p["confidence"]), p["evidence"].get("overruled")] for p in group],
        })
        member_docs = [docs[m] for m in members]
        index_related.append({
            "id": f"R{len(index_related) + 1:04d}", "block": n, "size": len(members),
            "members": [{"id": m, "title": docs[m].get("title"), "source": docs[m].get("source"),
                         "date": docs[m].get("date"), "family": family_of.get(m)} for m in members],
            "families": sorted({family_of[m] for m in members if m in family_of}),
            "singletons": sum(1 for m in members if m not in family_of),
            "pairs": len(group), "passages": passages, "sites": _sites(member_docs), "dates": _dates(member_docs),
        })
    counts = results.run.get("counts", {})
    link_confidence = results.run.get("config", {}).get("link_confidence")
    index = {
        "run": {"model": results.run.get("model"), "version": results.run.get("dedup_version"),
                "link_sure": None if link_confidence is None else sure_percent(link_confidence)},
        "counts": {
            "documents": len(results.documents),
            "families": len(families),
            "in_families": len(results.documents) - len(singles),
            "singletons": len(singles),
            "related_groups": len(index_related),
            "linked_pairs": sum(1 for p in results.pairs if p["relation"] in LINKS),
            "related_pairs": sum(1 for p in results.pairs if p["relation"] == RELATED),
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
