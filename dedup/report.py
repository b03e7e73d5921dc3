"""The HTML report: one self-contained static file rendered from saved results, never by recomputing.

The file is a small shell (CSS, one script allowed by its hash in the
Content-Security-Policy, which forbids all network) plus JSON data:

* an index block (run counts, one summary per family and per singleton),
  parsed when the page opens;
* one block per family and per singleton (texts, highlight segments, pairs
  with their diff rows), parsed only when opened.

So a report of 10,000 families opens in seconds and its size grows linearly
with the corpus. Article text is untrusted: it travels as JSON with ``<``,
``>`` and ``&`` escaped (``</script>`` cannot close a block) and reaches the
page only through ``textContent`` and DOM APIs.

Family highlights: aligned sentences connected (through any pair inside the
family) to a sentence of the origin form one *core passage*, drawn in the
same colour in every member; sentences no other member shares are *added*.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from pathlib import Path
from typing import Any

from .render import diff_rows
from .results import Results
from .text import Sentence, split_sentences

Segment = list[Any]
"""``[start, end, kind]`` or ``[start, end, "core", passage]``; kind is core, shared or added."""


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` can end it or open a tag."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _compact_rows(pair: dict[str, Any], text_a: str, text_b: str,
                  sentences: tuple[list[Sentence], list[Sentence]]) -> list[list[Any]]:
    """Diff rows as ``[kind, score, a spans, b spans, a changes, b changes]`` with flat offset lists."""
    def flat(spans: list[tuple[int, int]]) -> list[int]:
        return [x for span in spans for x in span]

    return [[r.kind, r.score, flat(r.a.spans), flat(r.b.spans), flat(r.a.changed), flat(r.b.changed)]
            for r in diff_rows(pair, text_a, text_b, sentences)]


def core_passages(family: dict[str, Any], pairs: list[dict[str, Any]]) -> dict[tuple[str, int], int]:
    """Number the core passages of ``family``: (document id, sentence index) -> passage number.

    Sentences are joined when any pair inside the family aligns them; a joined
    group that reaches an origin sentence is a core passage, numbered in the
    order of the origin text, so one number (colour) follows a quote through
    every rewrite.
    """
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
    origin = family["origin"]
    first: dict[tuple[str, int], int] = {}
    for node in parent:
        if node[0] == origin:
            root = find(node)
            first[root] = min(first.get(root, node[1]), node[1])
    number = {root: k for k, root in enumerate(sorted(first, key=first.__getitem__))}
    return {node: number[find(node)] for node in parent if find(node) in number}


def _subtract(span: tuple[int, int], painted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of ``span`` that no painted range covers."""
    pieces = [span]
    for ps, pe in painted:
        pieces = [part for s, e in pieces
                  for part in ((s, min(e, ps)), (max(s, pe), e)) if part[1] > part[0]]
    return pieces


def member_segments(text: str, sentences: list[Sentence], passages: dict[int, int],
                    detail: dict[str, Any]) -> list[Segment]:
    """Highlight segments of one member: core passages, then added spans, then other shared text.

    ``passages`` maps a sentence index to its core passage; ``detail`` is the
    member's record in ``member_details`` (its added spans are shown exactly).
    """
    layers: list[tuple[str, list[tuple[int, int, int | None]]]] = []
    core: list[tuple[int, int, int | None]] = []
    for k, s in enumerate(sentences):
        if k not in passages:
            continue
        if core and core[-1][2] == passages[k] and not text[core[-1][1]:s.start].strip():
            core[-1] = (core[-1][0], s.end, passages[k])
        else:
            core.append((s.start, s.end, passages[k]))
    layers.append(("core", core))
    layers.append(("added", [(x["start"], x["end"], None) for x in detail["added"]]))
    layers.append(("shared", [(x["start"], x["end"], None) for x in detail["shared"]]))
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
    view = {key: doc.get(key) for key in ("id", "title", "source", "url", "date", "agencies", "text", "family",
                                          "is_origin", "also")}
    view["links"] = links
    view["segs"] = segments
    if detail is not None:
        view.update(shared_chars=detail["shared_chars"], added_chars=detail["added_chars"],
                    added_share=detail["added_share"])
    return view


def _dates(docs: list[dict[str, Any]]) -> list[str] | None:
    dated = sorted(d["date"] for d in docs if d.get("date"))
    return [dated[0], dated[-1]] if dated else None


def _sites(docs: list[dict[str, Any]]) -> list[str]:
    return sorted({d["source"] for d in docs if d.get("source")})


def report_data(results: Results) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The index and the data blocks: one per family (largest first), then one per singleton.

    Each pair record goes to the block of its ``a`` document, with its diff
    rows; the index maps every document to its block through the families'
    members and the singletons.
    """
    docs = {d["id"]: d for d in results.documents}
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
        a, b = p["a"], p["b"]
        links.setdefault(a, []).append([b, p["relation"], p["strength"]])
        links.setdefault(b, []).append([a, p["relation"], p["strength"]])
        if block_of[a] == block_of[b] < len(families):
            inside[block_of[a]].append(p)
        record = {key: p[key] for key in ("a", "b", "relation", "strength", "scores", "found_by")}
        record["rows"] = _compact_rows(p, docs[a]["text"], docs[b]["text"], (sents(a), sents(b)))
        blocks[block_of[a]]["pairs"].append(record)

    index_families = []
    for n, fam in enumerate(families):
        numbering = core_passages(fam, inside[n])
        details = {m["id"]: m for m in fam["member_details"]}
        for m in fam["members"]:
            passages = {k: number for (doc_id, k), number in numbering.items() if doc_id == m}
            segments = member_segments(docs[m]["text"], sents(m), passages, details[m])
            blocks[n]["docs"].append(_doc_view(docs[m], links.get(m, []), segments, details[m]))
        blocks[n]["passages"] = len(set(numbering.values()))
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
                              "date": d.get("date"), "links": len(links.get(d["id"], []))})
    counts = results.run.get("counts", {})
    index = {
        "run": {"model": results.run.get("model"), "version": results.run.get("dedup_version"),
                "seconds": results.run.get("seconds")},
        "counts": {
            "documents": len(results.documents),
            "families": len(families),
            "in_families": len(results.documents) - len(singles),
            "singletons": len(singles),
            "linked_pairs": len(results.pairs),
            "skipped": counts.get("skipped", len(results.skipped)),
        },
        "families": index_families,
        "singletons": index_singles,
    }
    return index, blocks


def _csp_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def build_report(results: Results, title: str = "dedup report") -> str:
    """The report as one HTML string (see the module docstring for its layout)."""
    index, blocks = report_data(results)
    csp = (f"default-src 'none'; script-src '{_csp_hash(_JS)}'; style-src 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="referrer" content="no-referrer">\n<link rel="icon" href="data:,">\n',
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n",
        '<noscript><p class="noscript">This report needs JavaScript, which runs locally: '
        "the page loads nothing from the network.</p></noscript>\n",
        '<div id="app"></div>\n',
        f'<script type="application/json" id="dedup-index">{script_json(index)}</script>\n',
    ]
    parts.extend(f'<script type="application/json" id="dedup-b{n}">{script_json(block)}</script>\n'
                 for n, block in enumerate(blocks))
    parts.append(f"<script>{_JS}</script>\n</body>\n</html>\n")
    return "".join(parts)


def write_report(results: Results, path: str | Path) -> Path:
    """Write the report to ``path`` (parent folders created) and return the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(build_report(results), encoding="utf-8")
    tmp.replace(out)
    return out
