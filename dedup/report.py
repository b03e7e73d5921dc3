"""The HTML report: one self-contained static file rendered from saved results, never by recomputing.

The file is a small shell (CSS, one script allowed by its hash in the
Content-Security-Policy, which forbids all network) plus JSON data:

* an index block (run counts, one summary per family, per related group and
  per singleton), parsed when the page opens;
* one block per family and per singleton (texts, highlight segments, pairs
  with their diff rows) and one per related group (highlight segments and
  pair ids only), parsed only when opened.

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
from pathlib import Path
from typing import Any

from .relate import LINKS, RELATED
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


def build_report(results: Results) -> str:
    """The report as one HTML string (see the module docstring for its layout)."""
    index, blocks = report_data(results)
    csp = (f"default-src 'none'; script-src '{_csp_hash(_JS)}'; style-src 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n',  # constants, no double quote
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="referrer" content="no-referrer">\n<link rel="icon" href="data:,">\n',
        f"<title>dedup report: {len(index['families'])} families, {len(index['related'])} related groups, "
        f"{len(index['singletons'])} singletons</title>\n",
        f"<style>{_CSS}</style>\n</head>\n<body>\n",
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


_CSS = r"""
:root { --ink: #1f2430; --muted: #667085; --line: #e4e7ec; --bg: #f4f5f7; --card: #fff; --accent: #2f5bd3;
  --verbatim: #0f766e; --verbatim-bg: #e3f4f1; --near: #b45309; --near-bg: #fdf1de; --para: #6d28d9;
  --para-bg: #efe9fd; --added: #15803d; --added-bg: #e7f6ec; --changed: #ffd84d; }
* { box-sizing: border-box; }
html { font-size: 14px; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: var(--ink); background: var(--bg); line-height: 1.45; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.noscript { padding: 2rem; }
header.top { display: flex; align-items: baseline; gap: 1rem; padding: .7rem 1.5rem; background: #1d2433;
  color: #fff; position: sticky; top: 0; z-index: 5; }
header.top .brand { color: #fff; font-weight: 700; font-size: 1.15rem; letter-spacing: .02em; }
header.top .sub { color: #c6cbd6; }
header.top .run { margin-left: auto; color: #98a2b3; font-size: .85rem; }
main { padding: 1.2rem 1.5rem 3rem; max-width: 1500px; margin: 0 auto; }
h2 { font-size: 1.35rem; margin: .2rem 0 .6rem; }
h3 { font-size: 1rem; margin: 0; }
h4 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 1.4rem 0 .5rem; }
.muted { color: var(--muted); }
.small { font-size: .85rem; }
.nowrap { white-space: nowrap; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; }
.stats { display: flex; flex-wrap: wrap; gap: .8rem; margin-bottom: 1rem; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .6rem 1rem; min-width: 120px; }
.stat b { display: block; font-size: 1.5rem; font-variant-numeric: tabular-nums; }
.stat span { color: var(--muted); font-size: .85rem; }
.toolbar { display: flex; align-items: center; gap: 1rem; margin: .4rem 0 .8rem; }
.toolbar input { flex: 1; max-width: 560px; font: inherit; padding: .5rem .75rem; border: 1px solid #cfd4dc;
  border-radius: 6px; background: #fff; }
.toolbar input:focus { outline: 2px solid #b7c8f5; border-color: var(--accent); }
table.list { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line);
  border-radius: 8px; overflow: hidden; }
table.list th { text-align: left; font-size: .78rem; text-transform: uppercase; letter-spacing: .05em;
  color: var(--muted); background: #f9fafb; padding: .55rem .7rem; border-bottom: 1px solid var(--line); }
table.list td { padding: .55rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; }
table.list tbody tr { cursor: pointer; }
table.list tbody tr:hover { background: #f5f8ff; }
td.num, th.num, table.list th.num { text-align: right; font-variant-numeric: tabular-nums; }
td .title { font-weight: 600; }
.more { margin: .6rem 0; font: inherit; padding: .4rem .9rem; border: 1px solid #cfd4dc; border-radius: 6px;
  background: #fff; cursor: pointer; }
.mix { display: flex; width: 120px; height: 8px; border-radius: 4px; overflow: hidden; background: #eef0f3; margin: .3rem 0 .2rem; }
.mix span { display: block; height: 100%; }
.rel-duplicate { background: #1e40af; } .rel-near-duplicate { background: #3b82f6; }
.rel-rewrite { background: #8b5cf6; } .rel-related { background: #a3aab8; }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; padding: .08rem .5rem; border-radius: 999px;
  color: #fff; vertical-align: middle; margin-left: .4rem; }
.badge.origin { background: #1d2433; }
.badge.rel { text-transform: none; }
.badge.not-family { background: #6b7280; font-weight: 500; }
.related-note { margin: 0 0 1rem; padding: .6rem .9rem; border-left: 4px solid #a3aab8; background: var(--card); }
.member .partners { margin-top: .3rem; font-size: .85rem; }
td .members-list div + div { margin-top: .15rem; }
.back { display: inline-block; margin-bottom: .6rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.2rem; margin: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.overview { display: grid; grid-template-columns: minmax(360px, 1fr) minmax(0, max-content); gap: 1rem; align-items: start; }
.overview > .card { min-width: 0; overflow-x: auto; }
.overview .heat-note { max-width: 34rem; }
.timeline svg { display: block; overflow: visible; }
.timeline .axis { stroke: #98a2b3; stroke-width: 1.5; }
.timeline .tick { fill: var(--muted); font-size: 11px; }
.timeline .dot { fill: #8b5cf6; stroke: #fff; stroke-width: 2; }
.timeline .dot.origin { fill: #1d2433; }
.timeline .label { fill: var(--ink); font-size: 11px; }
table.heat { border-collapse: separate; border-spacing: 2px; font-size: .8rem; }
table.heat th { font-weight: 500; color: var(--muted); padding: 0 .4rem; text-align: right; white-space: nowrap; }
table.heat thead th { text-align: center; }
table.heat td { width: 42px; height: 30px; text-align: center; border-radius: 3px; font-variant-numeric: tabular-nums; }
table.heat td.pair { cursor: pointer; }
table.heat td.pair:hover { outline: 2px solid #1d2433; }
table.heat td.self { background: #1d2433; opacity: .12; }
table.heat td.none { color: #c0c5cf; background: #f6f7f9; }
.legend { display: flex; flex-wrap: wrap; align-items: center; gap: .35rem 1rem; font-size: .85rem;
  color: var(--muted); margin: .4rem 0 .8rem; }
.legend .sw { display: inline-block; width: 1.6em; height: 1em; border-radius: 3px; vertical-align: -2px; margin-right: .35em; }
.swatches { display: inline-flex; gap: 2px; margin-right: .35em; vertical-align: -2px; }
.swatches .sw { width: .8em; margin: 0; }
.members { display: flex; gap: 1rem; overflow-x: auto; padding-bottom: .8rem; align-items: flex-start; }
.member { flex: 0 0 390px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
.member.is-origin { border-color: #1d2433; box-shadow: 0 0 0 1px #1d2433; }
.member .head { padding: .75rem .9rem .6rem; border-bottom: 1px solid var(--line); }
.member .head .title { font-weight: 600; margin: .25rem 0; }
.member .text, .doc-text { padding: .8rem .9rem; white-space: pre-wrap; overflow-wrap: anywhere; font-size: .93rem; line-height: 1.6; }
.share { display: flex; height: 7px; border-radius: 4px; overflow: hidden; background: #eef0f3; margin: .45rem 0 .2rem; }
.share .sh { background: #7c8db5; } .share .ad { background: var(--added); }
.also { margin-top: .3rem; font-size: .85rem; }
.seg { border-radius: 2px; padding: 1px 0; }
.seg.core, .seg.passage { cursor: default; }
.seg.added { background: repeating-linear-gradient(-45deg, #dff3e5 0 5px, #f4fbf6 5px 10px); border-bottom: 2px solid var(--added); }
.seg.shared { background: #eceef2; border-bottom: 1px dotted #8a93a6; }
.focus .seg[data-p]:not(.on) { background: transparent; }
.seg.on { box-shadow: 0 0 0 2px #1d2433; }
.c0 { background: #ffd8a8; } .c1 { background: #a5d8ff; } .c2 { background: #fcc2d7; } .c3 { background: #fff08a; }
.c4 { background: #d0bfff; } .c5 { background: #96f2e4; } .c6 { background: #ffa8a8; } .c7 { background: #d8f5a2; }
.c8 { background: #bac8ff; } .c9 { background: #e6cfa3; } .c10 { background: #f3b8fb; } .c11 { background: #c9e4f5; }
.ev-summary { font-size: 1.08rem; margin: .2rem 0 .6rem; padding: .6rem .9rem; background: var(--card);
  border: 1px solid var(--line); border-left: 4px solid #8b5cf6; border-radius: 6px; }
.ev-summary.is-related { border-left-color: #a3aab8; }
.why { margin: 0 0 .6rem; padding: .5rem .9rem; background: #fff7ed; border-left: 4px solid #d97706; border-radius: 6px; }
.evidence { padding: .7rem 1.2rem; }
.evidence details { margin-top: .6rem; }
.evidence summary { cursor: pointer; color: var(--muted); }
.evidence .inputs { margin-top: .4rem; grid-template-columns: repeat(auto-fill, 12rem 5rem); gap: .2rem .8rem;
  font-variant-numeric: tabular-nums; }
ul.tags { display: flex; flex-wrap: wrap; gap: .3rem; list-style: none; margin: 0; padding: 0; }
ul.tags li { background: #eef0f3; border-radius: 4px; padding: 0 .45rem; font-size: .85rem; font-variant-numeric: tabular-nums; }
.chips { display: flex; flex-wrap: wrap; gap: .4rem; margin: .8rem 0 1rem; }
.chip { background: var(--card); border: 1px solid var(--line); border-radius: 999px; padding: .15rem .7rem; font-size: .85rem; }
.chip b { font-variant-numeric: tabular-nums; }
table.sides { width: 100%; table-layout: fixed; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); }
table.sides th, table.sides td { text-align: left; padding: .4rem .7rem; border-bottom: 1px solid var(--line);
  vertical-align: top; overflow-wrap: anywhere; }
table.sides th:first-child, table.sides td:first-child { width: 7rem; color: var(--muted); overflow-wrap: normal; }
.diff { margin-top: 1rem; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; background: var(--card); }
.drow { display: grid; grid-template-columns: 120px 1fr 1fr; border-bottom: 1px solid var(--line); }
.drow.head { background: #f9fafb; font-weight: 600; }
.drow > div { padding: .55rem .75rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.drow .cell + .cell { border-left: 1px solid var(--line); }
.drow .gutter { font-size: .78rem; font-weight: 600; }
.drow .gutter .score { display: block; font-weight: 400; color: var(--muted); }
.k-verbatim { background: var(--verbatim-bg); } .k-verbatim .gutter { color: var(--verbatim); border-left: 4px solid var(--verbatim); }
.k-near-verbatim { background: var(--near-bg); } .k-near-verbatim .gutter { color: var(--near); border-left: 4px solid var(--near); }
.k-paraphrase { background: var(--para-bg); } .k-paraphrase .gutter { color: var(--para); border-left: 4px solid var(--para); }
.k-added { background: #fff; } .k-added .gutter { color: var(--added); border-left: 4px solid var(--added); }
.k-added .part { background: var(--added-bg); border-left: 3px solid var(--added); padding-left: .5rem; }
.part + .part { margin-top: .5rem; }
.chg { background: var(--changed); border-radius: 2px; box-shadow: 0 0 0 1px #e2b600; }
.sw.k-verbatim { background: var(--verbatim); } .sw.k-near-verbatim { background: var(--near); }
.sw.k-paraphrase { background: var(--para); } .sw.k-added { background: var(--added); } .sw.chg { background: var(--changed); }
.empty { padding: 2rem; text-align: center; color: var(--muted); }
@media (max-width: 800px) {
  .overview { grid-template-columns: 1fr; }
  .drow { grid-template-columns: 1fr; }
  .drow.head, .drow .cell:empty { display: none; }
  .drow .cell::before { content: attr(data-label); display: block; font-size: .75rem; font-weight: 600; color: var(--muted); }
  .drow .cell + .cell { border-left: 0; border-top: 1px dashed var(--line); }
  .member { flex-basis: 86vw; }
}
"""

_JS = r"""
(() => {
"use strict";
const INDEX = JSON.parse(document.getElementById("dedup-index").textContent);
const PAGE = 200, COLOURS = 12, MATRIX_MAX = 60, MEMBER_PAGE = 20, LIST_MEMBERS = 4, PARTNERS_MAX = 12;
const KIND_LABEL = {"verbatim": "verbatim", "near-verbatim": "near-verbatim", "paraphrase": "paraphrase", "added": "+ added"};
const RELATIONS = ["duplicate", "near-duplicate", "rewrite", "related"];
const SVG = "http://www.w3.org/2000/svg";
const blockOf = new Map(), familyById = new Map(), groupById = new Map(), groupOf = new Map(), cache = new Map();
for (const f of INDEX.families) { familyById.set(f.id, f); for (const m of f.members) blockOf.set(m, f.block); }
for (const s of INDEX.singletons) blockOf.set(s.id, s.block);
for (const g of INDEX.related) { groupById.set(g.id, g); for (const m of g.members) groupOf.set(m.id, g.id); }

// --- data access: blocks are parsed on first use ---
function block(n) {
  if (!cache.has(n)) cache.set(n, JSON.parse(document.getElementById("dedup-b" + n).textContent));
  return cache.get(n);
}
function docById(id) {
  const n = blockOf.get(id);
  return n === undefined ? null : block(n).docs.find((d) => d.id === id) || null;
}
function pairOf(x, y) {
  for (const id of [x, y]) {
    const n = blockOf.get(id);
    if (n === undefined) continue;
    const p = block(n).pairs.find((q) => (q.a === x && q.b === y) || (q.a === y && q.b === x));
    if (p) return p;
  }
  return null;
}

// --- DOM helpers: text only ever enters as text nodes or attribute values ---
function add(el, kids) {
  for (const kid of kids) {
    if (kid === null || kid === undefined || kid === false) continue;
    if (Array.isArray(kid)) add(el, kid);
    else el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}
function attrs(el, props) {
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  return el;
}
const h = (tag, props, ...kids) => add(attrs(document.createElement(tag), props), kids);
const s = (tag, props, ...kids) => add(attrs(document.createElementNS(SVG, tag), props), kids);
const route = (...parts) => "#" + parts.map(encodeURIComponent).join("/");
const link = (href, ...kids) => h("a", {href}, ...kids);
const rowLink = (href, ...kids) => h("a", {href, onclick: (e) => e.stopPropagation()}, ...kids);
const pct = (v) => (v === null || v === undefined) ? "–" : Math.round(v * 100) + "%";
const sure = (percent) => percent + "% sure";  // percents come rounded from the page data, as the summaries write them
const plural = (n, word, words) => n.toLocaleString("en") + " " + (n === 1 ? word : words || word + "s");
const span = (dates) => !dates ? "undated" : dates[0] === dates[1] ? dates[0] : dates[0] + " → " + dates[1];
const external = (url) => /^https?:\/\//i.test(url || "") ?
  h("a", {href: url, target: "_blank", rel: "noopener noreferrer"}, url) : (url || null);

function mixBar(relations) {
  const total = RELATIONS.reduce((t, r) => t + (relations[r] || 0), 0) || 1;
  const words = RELATIONS.filter((r) => relations[r]).map((r) => relations[r] + " " + r);
  return h("div", {title: words.join(", ")},
    h("div", {class: "mix"}, RELATIONS.filter((r) => relations[r]).map((r) =>
      h("span", {class: "rel-" + r, style: "width:" + (100 * relations[r] / total) + "%"}))),
    h("div", {class: "muted small"}, words.join(" · ") || "–"));
}
function relBadge(relation) { return h("span", {class: "badge rel rel-" + relation}, relation); }

// Paint [start, end, kind, passage] segments of a text; the gaps stay plain text.
function paint(text, segs) {
  const frag = document.createDocumentFragment();
  let pos = 0;
  for (const [start, end, kind, p] of segs) {
    if (start > pos) frag.append(text.slice(pos, start));
    const props = {class: "seg " + kind};
    if (kind === "core" || kind === "passage") {
      props.class += " c" + (p % COLOURS);
      props["data-p"] = p;
      props.title = (kind === "core" ? "core passage " : "shared passage ") + (p + 1);
    } else {
      props.title = kind === "added" ? "added by this article" : "shared with other members, not with the origin";
    }
    frag.append(h("span", props, text.slice(start, end)));
    pos = end;
  }
  frag.append(text.slice(pos));
  return frag;
}

// --- index ---
const app = document.getElementById("app");
const view = h("main", {id: "view"});
const indexEl = h("main", {id: "index"});
add(app, [h("header", {class: "top"}, h("a", {class: "brand", href: "#"}, "dedup"),
  h("span", {class: "sub"}, "rewrite families"),
  h("span", {class: "run"}, "model " + (INDEX.run.model || "?") + " · dedup " + (INDEX.run.version || "?"))),
  indexEl, view]);

for (const f of INDEX.families)
  f.q = [f.id, f.origin, f.title, f.sites.join(" "), f.agencies.join(" "), f.members.join(" "), span(f.dates)].join(" ").toLowerCase();
for (const g of INDEX.related)
  g.q = [g.id, g.families.join(" "), span(g.dates), g.members.map((m) => [m.id, m.title, m.source, m.date].join(" ")).join(" ")]
    .join(" ").toLowerCase();
for (const d of INDEX.singletons) d.q = [d.id, d.title, d.source, d.date, groupOf.get(d.id)].join(" ").toLowerCase();

function stat(n, label, id) {
  return h("div", {class: "stat", id}, h("b", null, n.toLocaleString("en")), h("span", null, label));
}

function paged(tbody, items, row, more) {
  let shown = 0;
  function next() {
    const frag = document.createDocumentFragment();
    for (const item of items.slice(shown, shown + PAGE)) frag.append(row(item));
    tbody.append(frag);
    shown = Math.min(items.length, shown + PAGE);
    more.hidden = shown >= items.length;
    more.textContent = "Show " + Math.min(PAGE, items.length - shown) + " more (" + (items.length - shown) + " left)";
  }
  tbody.replaceChildren();
  more.onclick = next;
  next();
}

function familyRow(f) {
  const sites = f.sites.slice(0, 3).join(", ") + (f.sites.length > 3 ? " +" + (f.sites.length - 3) : "");
  return h("tr", {class: "fam", "data-id": f.id, onclick: () => { location.hash = route("family", f.id); }},
    h("td", null, link(route("family", f.id), f.id)),
    h("td", {class: "num"}, f.size),
    h("td", null, h("div", {class: "title", dir: "auto"}, f.title || f.origin),
      h("div", {class: "muted small"}, f.origin + " · " + f.origin_rule)),
    h("td", {class: "small"}, sites || "–"),
    h("td", {class: "nowrap small"}, span(f.dates)),
    h("td", null, mixBar(f.relations)),
    h("td", {class: "small"}, f.agencies.join(", ") || "–"));
}
function singleRow(d) {
  return h("tr", {class: "single", "data-id": d.id, onclick: () => { location.hash = route("doc", d.id); }},
    h("td", null, link(route("doc", d.id), d.id)),
    h("td", null, h("div", {class: "title", dir: "auto"}, d.title || "–")),
    h("td", {class: "small"}, d.source || "–"),
    h("td", {class: "nowrap small"}, d.date || "undated"),
    h("td", {class: "num"}, d.pairs),
    h("td", null, groupOf.has(d.id) ? rowLink(route("related", groupOf.get(d.id)), groupOf.get(d.id)) : "–"));
}
function relatedRow(g) {
  const cut = g.members.length > LIST_MEMBERS + 1 ? LIST_MEMBERS : g.members.length;
  const listed = g.members.slice(0, cut).map((m) => h("div", null, rowLink(route("doc", m.id), m.id),
    h("span", {class: "title", dir: "auto"}, " " + (m.title || "")),
    h("span", {class: "muted small"}, " · " + [m.source, m.date || "undated"].filter(Boolean).join(" · "))));
  const rest = g.members.length - cut;
  return h("tr", {class: "rel", "data-id": g.id, onclick: () => { location.hash = route("related", g.id); }},
    h("td", null, link(route("related", g.id), g.id)),
    h("td", {class: "num"}, g.size),
    h("td", null, h("div", {class: "members-list"}, listed, rest > 0 ? h("div", {class: "muted small"}, "+ " + rest + " more") : null)),
    h("td", {class: "small"}, g.families.map((f, k) => [k ? ", " : "", rowLink(route("family", f), f)]),
      g.families.length && g.singletons ? ", " : "", g.singletons ? plural(g.singletons, "singleton") : ""),
    h("td", {class: "num"}, g.passages, h("div", {class: "muted small"}, "in " + plural(g.pairs, "pair"))),
    h("td", {class: "nowrap small"}, span(g.dates)));
}

function buildIndex() {
  const c = INDEX.counts;
  const input = h("input", {id: "filter", type: "search", placeholder: "Filter by id, title, site, agency or date  ( / )",
    "aria-label": "Filter families, related groups and singletons", autocomplete: "off"});
  const status = h("span", {id: "filter-status", class: "muted small"});
  const famBody = h("tbody", {id: "families"}), famMore = h("button", {class: "more"});
  const relBody = h("tbody", {id: "related"}), relMore = h("button", {class: "more"});
  const relHead = h("h4", {id: "related-head"});
  const singleBody = h("tbody", {id: "singletons"}), singleMore = h("button", {class: "more"});
  const singleHead = h("h4", {id: "singletons-head"});
  add(indexEl, [
    h("div", {class: "stats"}, stat(c.documents, "documents"), stat(c.families, "families"),
      stat(c.in_families, "documents in families"), stat(c.related_groups, "related groups", "related-count"),
      stat(c.singletons, "singletons", "singleton-count"),
      stat(c.linked_pairs, "linked pairs", "linked-count"), stat(c.related_pairs, "related pairs", "related-pair-count"),
      c.skipped ? stat(c.skipped, "skipped records") : null),
    h("div", {class: "toolbar"}, input, status),
    h("h4", null, "Families, largest first"),
    h("table", {class: "list"}, h("thead", null, h("tr", null, h("th", null, "Family"), h("th", {class: "num"}, "Size"),
      ["Origin", "Sites", "Dates", "Relations", "Agencies"].map((name) => h("th", null, name)))), famBody),
    famMore, relHead,
    h("p", {class: "muted small"}, "Articles that share passages but rewrite different reports: linked only by " +
      "related pairs across families and singletons, so not a family."),
    h("table", {class: "list"}, h("thead", null, h("tr", null, h("th", null, "Group"), h("th", {class: "num"}, "Size"),
      h("th", null, "Members"), h("th", null, "Families"), h("th", {class: "num"}, "Shared passages"), h("th", null, "Dates"))),
      relBody),
    relMore, singleHead,
    h("table", {class: "list"}, h("thead", null, h("tr", null, h("th", null, "Document"), h("th", null, "Title"),
      h("th", null, "Site"), h("th", null, "Date"),
      h("th", {class: "num", title: "pairs sharing passages with it, of any relation"}, "Pairs"), h("th", null, "Related group"))),
      singleBody),
    singleMore]);
  function apply() {
    const terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    const keep = (item) => terms.every((t) => item.q.includes(t));
    const fams = INDEX.families.filter(keep), groups = INDEX.related.filter(keep), singles = INDEX.singletons.filter(keep);
    paged(famBody, fams, familyRow, famMore);
    paged(relBody, groups, relatedRow, relMore);
    paged(singleBody, singles, singleRow, singleMore);
    status.textContent = terms.length ? plural(fams.length, "family", "families") + ", " +
      plural(groups.length, "related group") + " and " + plural(singles.length, "singleton") + " match" : "";
    relHead.textContent = "Related groups (" + groups.length.toLocaleString("en") +
      (terms.length ? " of " + INDEX.related.length.toLocaleString("en") : "") + ")";
    if (!groups.length) relBody.append(h("tr", null, h("td", {colspan: 6, class: "empty"},
      INDEX.related.length ? "No related group matches." : "No related pair links different families or singletons.")));
    singleHead.textContent = "Singletons: documents in no family (" + singles.length.toLocaleString("en") +
      (terms.length ? " of " + INDEX.singletons.length.toLocaleString("en") : "") + ")";
    if (!fams.length) famBody.append(h("tr", null, h("td", {colspan: 7, class: "empty"}, "No family matches.")));
  }
  let timer = 0;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(apply, 120); });
  document.addEventListener("keydown", (e) => {
    if (e.key === "/" && document.activeElement !== input && !indexEl.hidden) { e.preventDefault(); input.focus(); }
  });
  apply();
}

// --- family ---
function timeline(docs) {
  const dated = docs.filter((d) => d.date).sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
  if (!dated.length) return null;
  const time = (d) => Date.parse(d.date + "T00:00:00Z");
  const min = time(dated[0]), max = time(dated[dated.length - 1]);
  const axis = 24;  // x in % of the drawn width, so labels keep their size at any width
  const x = (d) => (max === min ? 50 : 9 + (time(d) - min) / (max - min) * 82) + "%";
  const stacks = new Map();
  for (const d of dated) { if (!stacks.has(d.date)) stacks.set(d.date, []); stacks.get(d.date).push(d); }
  const depth = Math.max(...[...stacks.values()].map((v) => v.length));
  const labels = docs.length <= 30;
  const H = axis + 22 + (labels ? depth * 15 : 0);
  const svg = s("svg", {width: "100%", height: H, role: "img", "aria-label": "publication timeline"},
    s("line", {class: "axis", x1: "3%", x2: "97%", y1: axis, y2: axis}));
  for (const [date, group] of stacks) {
    const cx = x(group[0]);
    add(svg, [s("text", {class: "tick", x: cx, y: axis - 10, "text-anchor": "middle"}, date)]);
    group.forEach((d, k) => {
      add(svg, [s("circle", {class: "dot" + (d.is_origin ? " origin" : ""), cx, cy: axis, r: 6 - Math.min(k, 3)},
        s("title", null, d.id + " · " + d.date))]);
      if (labels) add(svg, [s("text", {class: "label", x: cx, y: axis + 22 + k * 15, "text-anchor": "middle"}, d.id)]);
    });
  }
  const undated = docs.filter((d) => !d.date).map((d) => d.id);
  return h("div", {class: "timeline"}, svg,
    undated.length ? h("div", {class: "muted small"}, "undated: " + undated.join(", ")) : null);
}

function coverageOf(p, id) { return p.a === id ? p.scores.coverage_a : p.scores.coverage_b; }

function matrix(docs, pairs, total = docs.length) {
  const shown = docs.slice(0, MATRIX_MAX);
  const byKey = new Map();
  for (const p of pairs) { byKey.set(p.a + "\u0000" + p.b, p); byKey.set(p.b + "\u0000" + p.a, p); }
  const head = h("tr", null, h("th"), shown.map((d, j) => h("th", {title: d.id}, j + 1)));
  const rows = shown.map((row, i) => h("tr", null, h("th", {title: row.title || ""}, (i + 1) + " " + row.id),
    shown.map((col) => {
      if (col.id === row.id) return h("td", {class: "self"});
      const p = byKey.get(row.id + "\u0000" + col.id);
      if (!p) return h("td", {class: "none", title: "no linked pair"}, "·");
      const v = coverageOf(p, row.id);
      return h("td", {class: "pair", style: "background:hsl(222,70%," + (97 - 55 * v) + "%);color:" + (v > 0.55 ? "#fff" : "#1f2430"),
        title: row.id + " is " + pct(v) + " covered by passages aligned with " + col.id + " · " + p.relation +
          " · " + sure(p.sure) + " of one source — click for the diff",
        onclick: () => { location.hash = route("pair", row.id, col.id); }}, Math.round(v * 100));
    })));
  return h("div", null, h("table", {class: "heat", id: "matrix"}, h("thead", null, head), h("tbody", null, rows)),
    h("div", {class: "muted small heat-note"}, "Cell: % of the row article covered by passages aligned with " +
      "the column article. Click for the side-by-side diff." +
      (total > MATRIX_MAX ? " Showing the first " + MATRIX_MAX + " of " + total + " members." : "")));
}

function memberColumn(d, f) {
  const share = d.added_share || 0;
  const also = (d.also || []).map((a) => h("div", {class: "also"}, "also mixes in ",
    familyById.has(a.family) ? link(route("family", a.family), a.family) : a.family, " via ",
    a.pairs.map((p, k) => [k ? ", " : "", link(route("pair", d.id, p.with), p.with), " (" + p.relation + ", " + sure(p.sure) + ")"])));
  const group = groupOf.get(d.id);
  return h("div", {class: "member" + (d.id === f.origin ? " is-origin" : ""), "data-id": d.id},
    h("div", {class: "head"},
      h("h3", null, link(route("doc", d.id), d.id),
        d.id === f.origin ? h("span", {class: "badge origin", title: f.origin_rule}, "origin") : null),
      h("div", {class: "title", dir: "auto"}, d.title || ""),
      h("div", {class: "muted small"}, [d.source, d.date || "undated", (d.agencies || []).join(", ")].filter(Boolean).join(" · ")),
      h("div", {class: "share", title: pct(share) + " added, " + pct(1 - share) + " shared"},
        h("span", {class: "sh", style: "width:" + (100 * (1 - share)) + "%"}),
        h("span", {class: "ad", style: "width:" + (100 * share) + "%"})),
      h("div", {class: "small added-vs-shared"}, h("b", null, pct(share) + " added"), " vs " + pct(1 - share) + " shared",
        h("span", {class: "muted"},
          " · " + plural(d.added_chars, "char") + " added, " + d.shared_chars.toLocaleString("en") + " shared")),
      also, group ? h("div", {class: "also"}, "shares passages with other reports: ",
        link(route("related", group), "related group " + group)) : null),
    h("div", {class: "text", dir: "auto"}, paint(d.text, d.segs)));
}

// Hovering a numbered passage lights it up in every column of ``members``.
function followPassages(members) {
  members.addEventListener("mouseover", (e) => {
    const seg = e.target.closest && e.target.closest(".seg[data-p]");
    for (const el of members.querySelectorAll(".seg.on")) el.classList.remove("on");
    members.classList.toggle("focus", !!seg);
    if (seg) for (const el of members.querySelectorAll('.seg[data-p="' + seg.dataset.p + '"]')) el.classList.add("on");
  });
  members.addEventListener("mouseleave", () => members.classList.remove("focus"));
  return members;
}

function familyView(id) {
  const f = familyById.get(id);
  if (!f) return notFound("No family " + id + " in this report.");
  const b = block(f.block);
  const origin = b.docs.find((d) => d.id === f.origin);
  const legend = h("div", {class: "legend"},
    h("span", null,
      h("span", {class: "swatches"}, Array.from({length: Math.min(COLOURS, b.passages)}, (_, k) => h("span", {class: "sw c" + k}))),
      plural(b.passages, "core passage") + ": one colour per passage of the origin, the same in every member (hover to follow it)"),
    h("span", null, h("span", {class: "sw seg added"}), "added by that member"),
    h("span", null, h("span", {class: "sw seg shared"}), "shared with other members only"));
  const members = followPassages(h("div", {class: "members", id: "members"}, b.docs.map((d) => memberColumn(d, f))));
  return [
    link("#", "← All families"),
    h("h2", {id: "family-title"}, f.id + " · " + plural(f.size, "article"),
      h("span", {class: "muted", dir: "auto"}, " — " + (origin.title || origin.id))),
    h("div", {class: "overview"},
      h("div", {class: "card"}, h("dl", {class: "facts"},
        h("dt", null, "Origin"),
        h("dd", null, link(route("doc", f.origin), f.origin), h("span", {class: "muted"}, " · " + f.origin_rule)),
        h("dt", null, "Sites"), h("dd", null, f.sites.join(", ") || "–"),
        h("dt", null, "Dates"), h("dd", null, span(f.dates)),
        h("dt", null, "Agencies"), h("dd", null, f.agencies.join(", ") || "none credited"),
        h("dt", null, "Relations"), h("dd", null, mixBar(f.relations)),
        h("dt", null, "Core"), h("dd", null, plural(b.passages, "passage") + " of the origin reused")),
        h("h4", null, "Timeline"), timeline(b.docs) || h("div", {class: "muted"}, "No member is dated.")),
      h("div", {class: "card"}, h("h4", {style: "margin-top:0"}, "Similarity"), matrix(b.docs, b.pairs))),
    h("h4", null, "Members"), legend, members,
  ];
}

// --- related group ---
const NOT_FAMILY = "related — share passages, rewrite different reports (not a family)";

function relatedColumn(m, partners) {
  const d = docById(m.id), others = partners.get(d.id) || [];
  return h("div", {class: "member", "data-id": d.id},
    h("div", {class: "head"},
      h("h3", null, link(route("doc", d.id), d.id)),
      h("div", {class: "title", dir: "auto"}, d.title || ""),
      h("div", {class: "muted small"}, [d.source, d.date || "undated", (d.agencies || []).join(", ")].filter(Boolean).join(" · ")),
      h("div", {class: "small"}, d.family ? ["member of family ", link(route("family", d.family), d.family)] : "singleton: in no family"),
      h("div", {class: "partners"}, "shares passages with ", others.slice(0, PARTNERS_MAX).map((other, k) =>
        [k ? ", " : "", link(route("pair", d.id, other), other)]),
        others.length > PARTNERS_MAX ? " and " + (others.length - PARTNERS_MAX) + " more" : null)),
    h("div", {class: "text", dir: "auto"}, paint(d.text, m.segs)));
}

function relatedView(id) {
  const g = groupById.get(id);
  if (!g) return notFound("No related group " + id + " in this report.");
  const b = block(g.block);
  const partners = new Map(), familyOf = new Map(g.members.map((m) => [m.id, m.family]));
  for (const [x, y] of b.links) for (const [u, v] of [[x, y], [y, x]]) {
    if (!partners.has(u)) partners.set(u, []);
    partners.get(u).push(v);
  }
  const members = followPassages(h("div", {class: "members", id: "related-members"}));
  const more = h("button", {class: "more", id: "related-more"});
  let shown = 0;
  function next() {
    add(members, [b.members.slice(shown, shown + MEMBER_PAGE).map((m) => relatedColumn(m, partners))]);
    shown = Math.min(b.members.length, shown + MEMBER_PAGE);
    more.hidden = shown >= b.members.length;
    more.textContent = "Show " + Math.min(MEMBER_PAGE, b.members.length - shown) + " more members (" +
      (b.members.length - shown) + " left)";
  }
  more.onclick = next;
  next();
  const first = b.members.slice(0, MATRIX_MAX).map((m) => docById(m.id));
  const near = new Set(first.map((d) => d.id)), pairs = [];
  for (const d of first) for (const [other] of d.links) if (near.has(other) && d.id < other) pairs.push(pairOf(d.id, other));
  const pairBody = h("tbody", {id: "related-pairs"}), pairMore = h("button", {class: "more"});
  paged(pairBody, b.links, ([x, y, passages, coverX, coverY, percent, overruled]) => h("tr", {class: "rel-pair"},
    h("td", null, link(route("pair", x, y), x + " ↔ " + y)),
    h("td", {class: "small"}, [x, y].map((m) => familyOf.get(m) || "singleton").join(" · ")),
    h("td", {class: "num"}, passages), h("td", {class: "num"}, pct(coverX) + " / " + pct(coverY)),
    h("td", {class: "num"}, percent + "%", overruled ? h("div", {class: "muted small"}, "overruled: " + overruled) : null)),
    pairMore);
  const legend = h("div", {class: "legend"},
    h("span", {class: "swatches"}, Array.from({length: Math.min(COLOURS, g.passages)}, (_, k) => h("span", {class: "sw c" + k}))),
    plural(g.passages, "shared passage") + ": sentences the related pairs align, one colour per passage in every member " +
      "(hover to follow it)");
  return [
    link("#", "← All families"),
    h("h2", {id: "related-title"}, g.id + " · " + plural(g.size, "article"), h("span", {class: "badge not-family"}, "not a family")),
    h("p", {class: "related-note", id: "related-label"}, NOT_FAMILY),
    h("div", {class: "overview"},
      h("div", {class: "card"}, h("dl", {class: "facts"},
        h("dt", null, "Families"), h("dd", null, g.families.length ?
          g.families.map((f, k) => [k ? ", " : "", link(route("family", f), f)]) : "none"),
        h("dt", null, "Singletons"), h("dd", null, g.singletons.toLocaleString("en")),
        h("dt", null, "Sites"), h("dd", null, g.sites.join(", ") || "–"),
        h("dt", null, "Dates"), h("dd", null, span(g.dates)),
        h("dt", null, "Shared"), h("dd", null, plural(g.passages, "passage") + " in " + plural(g.pairs, "related pair"))),
        h("h4", null, "Timeline"), timeline(g.members) || h("div", {class: "muted"}, "No member is dated.")),
      h("div", {class: "card"}, h("h4", {style: "margin-top:0"}, "Similarity"), matrix(first, pairs, g.size))),
    h("h4", null, "Related pairs"),
    h("table", {class: "list"}, h("thead", null, h("tr", null, h("th", null, "Pair (click for the diff)"),
      h("th", null, "Families"), h("th", {class: "num"}, "Aligned passages"),
      h("th", {class: "num", title: "share of each article covered by the passages"}, "Coverage"),
      h("th", {class: "num", title: "how sure the judge is that both derive from one source report"}, "One source"))),
      pairBody),
    pairMore,
    h("h4", null, "Members"), legend, members, more,
  ];
}

// --- pair ---
function diffCell(label, text, spans, changed) {
  const cell = h("div", {class: "cell", dir: "auto", "data-label": label});
  for (let i = 0; i < spans.length; i += 2) {
    const [start, end] = [spans[i], spans[i + 1]];
    const part = h("div", {class: "part"});
    let pos = start;
    for (let k = 0; k < changed.length; k += 2) {
      const [cs, ce] = [changed[k], changed[k + 1]];
      if (ce <= start || cs >= end) continue;
      part.append(text.slice(pos, cs));
      part.append(h("span", {class: "chg", title: "differs from the other side"}, text.slice(cs, ce)));
      pos = ce;
    }
    part.append(text.slice(pos, end));
    cell.append(part);
  }
  return cell;
}

// Items as a short list of tags, or "none".
function tags(id, items) {
  return items && items.length ? h("ul", {class: "tags", id}, items.map((x) => h("li", {dir: "auto"}, x))) :
    h("span", {class: "muted", id}, "none");
}

// Why a related pair is not taken for one report, from its saved evidence: the overruling or the judge's
// confidence, the different lead figures, then the reasons against (each said once).
function whyNot(p, A, B) {
  const ev = p.evidence, lead = ev.lead_figures || [];
  const items = [ev.overruled ? "the judge was " + sure(p.sure) + " of one source, but " + ev.overruled :
    "the judge is only " + sure(p.sure) + " of one source" +
      (INDEX.run.link_sure === null ? "" : " (a link needs " + INDEX.run.link_sure + "%)")];
  if (lead.length) items.push("the leads report different figures (" + A.id + ": " + lead[0].join(", ") + " vs " +
    B.id + ": " + lead[1].join(", ") + ")");
  for (const reason of ev.against || []) if (!items.some((item) => item.includes(reason))) items.push(reason);
  return h("p", {class: "why", id: "pair-why"}, h("b", null, "Why not one report: "), items.join("; ") + ".");
}

// The saved evidence in words: summary, why not one report (related pairs), shared facts, reasons.
function evidenceView(p, A, B) {
  const ev = p.evidence, related = p.relation === "related", lead = ev.lead_figures || [];
  const reasons = (id, items) => items && items.length ? h("span", {id}, items.join(" · ")) : h("span", {class: "muted", id}, "none");
  const features = Object.entries(p.features || {});
  return [
    h("p", {class: "ev-summary" + (related ? " is-related" : ""), id: "pair-summary"}, ev.summary || ""),
    related ? whyNot(p, A, B) : null,
    h("div", {class: "card evidence"}, h("dl", {class: "facts", id: "pair-evidence"},
      h("dt", null, "Shared figures"), h("dd", null, tags("shared-numbers", ev.shared_numbers)),
      h("dt", null, "Shared names"), h("dd", null, tags("shared-names", ev.shared_names)),
      !related && lead.length ? [h("dt", null, "Lead figures"),
        h("dd", null, A.id + ": " + lead[0].join(", ") + " vs " + B.id + ": " + lead[1].join(", "))] : null,
      h("dt", null, "For one report"), h("dd", null, reasons("pair-for", ev.for)),
      related ? null : [h("dt", null, "Against one report"), h("dd", null, reasons("pair-against", ev.against))]),
      features.length ? h("details", {class: "small"}, h("summary", null, "Judge inputs"),
        h("dl", {class: "facts inputs"}, features.map(([k, v]) => [h("dt", null, k), h("dd", null, String(v))]))) : null),
  ];
}

function pairView(x, y) {
  const p = pairOf(x, y);
  if (!p) return notFound(x + " and " + y + " have no pair: no passage of one aligns with the other.");
  const A = docById(p.a), B = docById(p.b), sc = p.scores;
  const same = A.family && A.family === B.family;
  const group = !same && groupOf.get(A.id) === groupOf.get(B.id) ? groupOf.get(A.id) : undefined;
  const row = (label, a, b) => h("tr", null, h("td", null, label), h("td", null, a || "–"), h("td", null, b || "–"));
  const chips = [["one source", sure(p.sure)], ["minhash Jaccard", sc.minhash_jaccard], ["embedding cosine", sc.embedding_cosine],
    ["passages", p.rows.filter((r) => r[0] !== "added").length], ["found by", (p.found_by || []).join(", ")]]
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => h("span", {class: "chip"}, k + " ", h("b", null, typeof v === "number" && !Number.isInteger(v) ? v.toFixed(2) : v)));
  const legend = h("div", {class: "legend"}, ["verbatim", "near-verbatim", "paraphrase", "added"].map((k) =>
    h("span", null, h("span", {class: "sw k-" + k}), KIND_LABEL[k])), h("span", null, h("span", {class: "sw chg"}), "words that differ"));
  return [
    same ? link(route("family", A.family), "← Family " + A.family) :
      group ? link(route("related", group), "← Related group " + group) : link("#", "← All families"),
    h("h2", {id: "pair-title", "data-a": A.id, "data-b": B.id}, A.id + " ↔ " + B.id, relBadge(p.relation)),
    evidenceView(p, A, B),
    h("div", {class: "chips", id: "pair-chips"}, chips),
    h("table", {class: "sides"},
      h("thead", null, h("tr", null, h("th"), [A, B].map((d) => h("th", null, link(route("doc", d.id), d.id))))),
      h("tbody", null, row("title", A.title, B.title), row("site", A.source, B.source), row("url", external(A.url), external(B.url)),
        row("date", A.date || "undated", B.date || "undated"), row("coverage", pct(sc.coverage_a), pct(sc.coverage_b)),
        row("support", pct(sc.support_a), pct(sc.support_b)), row("sentences", sc.matched_sentences_a, sc.matched_sentences_b),
        row("agencies", (A.agencies || []).join(", "), (B.agencies || []).join(", ")),
        row("family", ...[A, B].map((d) => d.family ? link(route("family", d.family), d.family) : "none")))),
    legend,
    h("div", {class: "diff", id: "diff"},
      h("div", {class: "drow head"}, h("div", {class: "gutter"}, "kind"), [A, B].map((d) => h("div", {class: "cell"}, d.id))),
      p.rows.map(([kind, score, sa, sb, ca, cb]) => h("div", {class: "drow k-" + kind},
        h("div", {class: "gutter"}, KIND_LABEL[kind], score === null ? null : h("span", {class: "score"}, score.toFixed(2))),
        diffCell(A.id, A.text, sa, ca), diffCell(B.id, B.text, sb, cb)))),
  ];
}

// --- document ---
function docView(id) {
  const d = docById(id);
  if (!d) return notFound("No document " + id + " in this report.");
  const links = d.links.slice().sort((a, b) => b[2] - a[2]);  // surest first
  return [
    d.family ? link(route("family", d.family), "← Family " + d.family) :
      groupOf.has(d.id) ? link(route("related", groupOf.get(d.id)), "← Related group " + groupOf.get(d.id)) :
      link("#", "← All families"),
    h("h2", {id: "doc-title"}, d.id, d.is_origin ? h("span", {class: "badge origin"}, "origin") : null),
    h("div", {class: "card"}, h("dl", {class: "facts"},
      h("dt", null, "Title"), h("dd", null, d.title || "–"), h("dt", null, "Site"), h("dd", null, d.source || "–"),
      h("dt", null, "URL"), h("dd", null, external(d.url) || "–"), h("dt", null, "Date"), h("dd", null, d.date || "undated"),
      h("dt", null, "Agencies"), h("dd", null, (d.agencies || []).join(", ") || "none credited"),
      h("dt", null, "Family"), h("dd", null, d.family ? link(route("family", d.family), d.family) : "none (singleton)"),
      h("dt", null, "Related group"), h("dd", null, groupOf.has(d.id) ?
        [link(route("related", groupOf.get(d.id)), groupOf.get(d.id)),
          h("span", {class: "muted"}, " · shares passages, not a family")] : "none"),
      h("dt", null, "Pairs"), h("dd", {id: "doc-pairs"}, links.length ? links.map(([other, rel, percent], k) =>
        [k ? ", " : "", link(route("pair", d.id, other), other), " (" + rel + ", " + sure(percent) + ")"]) : "none"))),
    h("h4", null, "Text"),
    h("div", {class: "card doc-text", id: "doc-text", dir: "auto"}, paint(d.text, d.segs)),
  ];
}

function notFound(message) { return [link("#", "← All families"), h("p", {class: "empty"}, message)]; }

function show() {
  const [name, ...args] = location.hash.slice(1).split("/").map((part) => {
    try { return decodeURIComponent(part); } catch (e) { return part; }
  });
  const render = {family: familyView, related: relatedView, pair: pairView, doc: docView}[name];
  indexEl.hidden = !!render;
  view.hidden = !render;
  view.replaceChildren();
  if (render) add(view, [render(...args)]);
  window.scrollTo(0, 0);
}
buildIndex();
window.addEventListener("hashchange", show);
show();
})();
"""
