(() => {
"use strict";
const INDEX = JSON.parse(document.getElementById("dedup-index").textContent);
const PAGE = 200, COLOURS = 12, MATRIX_MAX = 60, MEMBER_PAGE = 20, LIST_MEMBERS = 4, PARTNERS_MAX = 12;
const KIND_LABEL = {"verbatim": "verbatim", "near-verbatim": "near-verbatim", "paraphrase": "paraphrase", "added": "+ added"};
const RELATIONS = ["duplicate", "near-duplicate", "rewrite", "related"];
const TIMELINE_MAX = 60;
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
const route = (...parts) => "#" + parts.map(encodeURIComponent).join("/");
const link = (href, ...kids) => h("a", {href}, ...kids);
const rowLink = (href, ...kids) => h("a", {href, onclick: (e) => e.stopPropagation()}, ...kids);
const pct = (v) => (v === null || v === undefined) ? "–" : Math.round(v * 100) + "%";
const sure = (percent) => percent + "% sure";  // percents come rounded from the page data, as the summaries write them
const plural = (n, word, words) => n.toLocaleString("en") + " " + (n === 1 ? word : words || word + "s");
const span = (dates) => !dates ? "undated" : dates[0] === dates[1] ? dates[0] : dates[0] + " → " + dates[1];
const external = (url) => /^https?:\/\//i.test(url || "") ?
  h("a", {href: url, target: "_blank", rel: "noopener noreferrer"}, url) : (url || null);

// --- what every figure means, in plain words (shown as tooltips and in each view's "What the figures mean") ---
const RUN = INDEX.run, known = (v) => v !== null && v !== undefined;
const LINK_SURE = known(RUN.link_sure) ? " A pair is taken for one report (a link) from " + RUN.link_sure + "% on." : "";
const VERBATIM = known(RUN.verbatim) ? RUN.verbatim + "%" : "nearly all", NEAR = known(RUN.near_verbatim) ? RUN.near_verbatim + "%" : "most";
const CONTENT = known(RUN.min_sentence_chars) ? "sentences of " + RUN.min_sentence_chars + "+ characters" : "its sentences";
const EXPLAIN = {
  "one source": "How sure the judge is that both articles derive from one source report (its probability, in %)." + LINK_SURE,
  "sure": "How sure the judge is that the two articles derive from one source report (its probability, in %)." + LINK_SURE,
  "coverage": "Share of the article's content (" + CONTENT + ", by length) that lies in passages aligned " +
    "with the other article. 100% = everything it says is in the other one.",
  "support": "Soft coverage: each content sentence counts by how close its best counterpart in the other article is " +
    "(0 for unlike, 1 for a close match, partly in between), so heavy paraphrase and translation still count.",
  "lead coverage": "Coverage weighted towards the top: a news story gives its own facts first, so early sentences count " +
    "more (a sentence's weight halves every 4 sentences).",
  "matched sentences": "Sentences of the article aligned with a sentence of the other one.",
  "minhash Jaccard": "Overlap of the two texts' word sequences (estimated with MinHash), 0-1: near 1 for copies, " +
    "near 0 when the wording differs.",
  "embedding cosine": "Similarity in meaning of the two whole texts (cosine of their embedding vectors), 0-1: " +
    "high for the same topic, even in other words or another language.",
  "passages": "Runs of aligned sentences that the two articles share.",
  "found by": "Which search proposed the pair for alignment: minhash (shared word sequences), embedding (similar " +
    "whole texts), passage (one similar sentence); same text: identical texts.",
  "verbatim": "Verbatim passage: the same text on both sides (" + VERBATIM + " or more of the characters match, " +
    "ignoring case, spacing and quote marks).",
  "near-verbatim": "Near-verbatim passage: a lightly edited copy (" + NEAR + " or more of the characters match); the " +
    "words that differ are highlighted.",
  "paraphrase": "Paraphrase: the same content in other words (or another language), aligned by meaning; fewer " +
    "characters match than in a near-verbatim passage (" + NEAR + ").",
  "added": "Added: sentences of one side with no counterpart on the other, i.e. what that article has and the other lacks.",
  "words that differ": "Words that differ between the two sides of a verbatim or near-verbatim passage.",
  "passage score": "Strength of the passage: mean match score (0-1) of its aligned sentence pairs; 1 = the same sentences.",
  "added share": "Share of this member's text that it added: not in any passage shared with another member. " +
    "The rest is shared (copied or rewritten from the family's material).",
  "core passage": "A passage of the origin that members reuse, numbered: one colour follows one passage through every member.",
  "shared other": "Text this member shares with other members but not with the origin.",
  "origin": "The article the family's other members derive from, picked by the rule shown (e.g. earliest date).",
  "relations": "The pairs inside the family by relation: duplicate (verbatim copy), near-duplicate (lightly edited " +
    "copy), rewrite (one source report, rewritten), related (shares passages, not linked: the judge is not sure enough " +
    "of one source report, or the families keep the two apart).",
  "duplicate": "Duplicate: both articles are almost entirely the same text (verbatim passages).",
  "near-duplicate": "Near-duplicate: both articles are mostly the same text, lightly edited.",
  "rewrite": "Rewrite: the judge takes both articles for one source report, rewritten with other wording or material.",
  "related": "Related: the articles share passages but are not taken for one source report.",
  "agencies": "News agencies credited in the text (e.g. TASS, Reuters, AP).",
  "sites": "Sites that published the articles.",
  "dates": "First and last publication date.",
  "size": "Number of articles in the family or group.",
  "similarity": "Each cell: % of the row article covered by passages aligned with the column article (its coverage). " +
    "Click a cell for the side-by-side diff.",
  "timeline": "Publication date of every member, one row each, earliest first; the bar runs from the first " +
    "publication to the member's date.",
  "shared passage": "Sentences the group's related pairs align, numbered: one colour per passage in every member.",
  "shared figures": "Numbers that both articles' aligned sentences state: shared specific facts.",
  "shared names": "Names (people, places, organisations) that both articles' aligned sentences mention.",
  "lead figures": "Numbers in each article's lead (first sentences) when they differ: a sign of two different reports.",
  "for one report": "The judge's strongest reasons to take both articles for one source report.",
  "against one report": "The judge's strongest reasons against one source report.",
  "judge inputs": "The measures the judge reads to decide (each 0-1 unless a count; _lo / _hi: the lower / higher " +
    "of the two articles' values).",
  "pairs": "Pairs of articles sharing at least one passage, of any relation.",
  "documents": "Articles in the input.",
  "families": "Groups of articles built on one source report (2 or more articles).",
  "documents in families": "Articles that belong to a family.",
  "related groups": "Articles that share passages across families or singletons without being one family.",
  "singletons": "Articles in no family.",
  "linked pairs": "Pairs taken for one source report: duplicate, near-duplicate or rewrite.",
  "related pairs": "Pairs that share passages but are not taken for one source report.",
  "skipped records": "Input records left out as invalid (--skip-invalid); see skipped.jsonl.",
  "aligned passages": "Runs of aligned sentences the related pair shares.",
  "members": "The articles of the group, one column each.",
  "core": "Passages of the origin reused by other members, counted once however many reuse them.",
  "shared": "Passages the group's related pairs align, counted once however many members share them.",
  "origin rule": "How the origin was chosen.",
  "joins": "The families, and the single articles in no family, whose articles this group links by related pairs.",
};
const explain = (key) => EXPLAIN[key] || EXPLAIN[key.toLowerCase()] || "";
// A metric's name with its explanation as a tooltip (dotted underline).
const term = (key, label, props) => h("span", {class: "term", title: explain(key), ...(props || {})}, label === undefined ? key : label);
const dt = (key, label) => h("dt", {class: "term", title: explain(key)}, label === undefined ? key[0].toUpperCase() + key.slice(1) : label);
const th = (key, label, props) => h("th", {...(props || {}), title: explain(key)}, h("span", {class: "term"}, label));
// The terms of a view spelled out, for readers without a mouse (touch screens show no tooltips).
function glossary(keys) {
  return h("details", {class: "glossary"}, h("summary", null, "What the figures mean"),
    h("dl", {class: "facts"}, keys.map((k) => [h("dt", null, k), h("dd", null, explain(k))])));
}

function mixBar(relations) {
  const total = RELATIONS.reduce((t, r) => t + (relations[r] || 0), 0) || 1;
  const words = RELATIONS.filter((r) => relations[r]).map((r) => relations[r] + " " + r);
  return h("div", {class: "mixbar", title: (words.join(", ") || "no pairs") + ". " + explain("relations")},
    h("div", {class: "mix"}, RELATIONS.filter((r) => relations[r]).map((r) =>
      h("span", {class: "rel-" + r, style: "width:" + (100 * relations[r] / total) + "%"}))),
    h("div", {class: "muted small"}, words.join(" · ") || "–"));
}
function relBadge(relation) { return h("span", {class: "badge rel rel-" + relation, title: explain(relation)}, relation); }

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
      props.title = (kind === "core" ? "core passage " : "shared passage ") + (p + 1) + ": " +
        explain(kind === "core" ? "core passage" : "shared passage");
    } else {
      props.title = kind === "added" ? "added by this article: in no passage it shares with another member" :
        explain("shared other");
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
  h("span", {class: "run"}, "model " + (RUN.model || "?") + " · dedup " + (RUN.version || "?"))),
  indexEl, view]);

// What the filter searches: each item's metadata (q) at once, its documents' texts (ids) from the first keystroke.
const norm = (text) => String(text).toLowerCase().replace(/\s+/g, " ");
for (const f of INDEX.families) {
  f.q = norm([f.id, f.origin, f.title, f.sites.join(" "), f.agencies.join(" "), f.members.join(" "), span(f.dates)].join(" "));
  f.ids = f.members;
}
for (const g of INDEX.related) {
  g.q = norm([g.id, g.summary, g.families.join(" "), span(g.dates),
    g.members.map((m) => [m.id, m.title, m.source, m.date].join(" ")).join(" ")].join(" "));
  g.ids = g.members.map((m) => m.id);
}
for (const d of INDEX.singletons) { d.q = norm([d.id, d.title, d.source, d.date, groupOf.get(d.id)].join(" ")); d.ids = [d.id]; }

// Every document's searchable text (title, site, date, agencies, url, text), read from the data blocks once, on the
// first search: opening the report parses only the index. Blocks parsed for it are not kept.
let texts = null;
function textIndex() {
  if (texts) return texts;
  texts = new Map();
  for (const item of [...INDEX.families, ...INDEX.singletons]) {
    const b = cache.get(item.block) || JSON.parse(document.getElementById("dedup-b" + item.block).textContent);
    for (const d of b.docs) texts.set(d.id, norm([d.title, d.source, d.date, (d.agencies || []).join(" "), d.url, d.text]
      .filter(Boolean).join(" \u0000 ")));
  }
  return texts;
}
// Search terms: words, or "quoted phrases", lower-cased.
function searchTerms(query) {
  const out = [];
  for (const m of norm(query).matchAll(/"([^"]*)"?|(\S+)/g)) {
    const t = (m[1] !== undefined ? m[1] : m[2]).trim();
    if (t) out.push(t);
  }
  return out;
}
// Null when a term is nowhere in the item; else the terms found only in a document's text, with that document.
function textHits(item, terms) {
  const hits = [];
  for (const t of terms) {
    if (item.q.includes(t)) continue;
    const id = item.ids.find((x) => (texts.get(x) || "").includes(t));
    if (id === undefined) return null;
    hits.push([t, id]);
  }
  return hits;
}
let lastHits = new Map();
const escapeRe = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// Where the first term found only in an article's text occurs: a few words around it, the term marked.
function snippet(item) {
  const hits = lastHits.get(item);
  if (!hits || !hits.length) return null;
  const [t, id] = hits[0], d = docById(id);
  let m = null;
  try { m = d ? new RegExp(t.split(" ").map(escapeRe).join("\\s+"), "iu").exec(d.text) : null; } catch (e) { m = null; }
  const where = m ? ["… " + d.text.slice(Math.max(0, m.index - 60), m.index), h("mark", null, m[0]),
    d.text.slice(m.index + m[0].length, m.index + m[0].length + 60) + " …"] : "“" + t + "”";
  return h("div", {class: "snippet small"}, h("span", {class: "muted"}, "in the text of " + id + ": "), where);
}

function stat(n, label, id) {
  return h("div", {class: "stat", id, title: explain(label)}, h("b", null, n.toLocaleString("en")),
    h("span", {class: "term"}, label));
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

// A table cell named for narrow screens, where each row is shown as a card of labelled cells.
const td = (label, props, ...kids) => h("td", {"data-label": label, ...(props || {})}, ...kids);

function familyRow(f) {
  const sites = f.sites.slice(0, 3).join(", ") + (f.sites.length > 3 ? " +" + (f.sites.length - 3) : "");
  return h("tr", {class: "fam", "data-id": f.id, onclick: () => { location.hash = route("family", f.id); }},
    td("Family", {class: "id"}, link(route("family", f.id), f.id)),
    td("Size", {class: "num", title: explain("size")}, f.size),
    td("Origin", {class: "wide"}, h("div", {class: "title", dir: "auto"}, f.title || f.origin),
      h("div", {class: "muted small ids"}, f.origin + " · " + f.origin_rule), snippet(f)),
    td("Sites", {class: "small"}, sites || "–"),
    td("Dates", {class: "nowrap small"}, span(f.dates)),
    td("Relations", null, mixBar(f.relations)),
    td("Agencies", {class: "small"}, f.agencies.join(", ") || "–"));
}
function singleRow(d) {
  return h("tr", {class: "single", "data-id": d.id, onclick: () => { location.hash = route("doc", d.id); }},
    td("Document", {class: "id"}, link(route("doc", d.id), d.id)),
    td("Title", {class: "wide"}, h("div", {class: "title", dir: "auto"}, d.title || "–"), snippet(d)),
    td("Site", {class: "small"}, d.source || "–"),
    td("Date", {class: "nowrap small"}, d.date || "undated"),
    td("Pairs", {class: "num", title: explain("pairs")}, d.pairs),
    td("Related group", null, groupOf.has(d.id) ? rowLink(route("related", groupOf.get(d.id)), groupOf.get(d.id)) : "–"));
}
function relatedRow(g) {
  const cut = g.members.length > LIST_MEMBERS + 1 ? LIST_MEMBERS : g.members.length;
  const listed = g.members.slice(0, cut).map((m) => h("div", null, rowLink(route("doc", m.id), m.id),
    h("span", {class: "title", dir: "auto"}, " " + (m.title || "")),
    h("span", {class: "muted small"}, " · " + [m.source, m.date || "undated"].filter(Boolean).join(" · "))));
  const rest = g.members.length - cut;
  return h("tr", {class: "rel", "data-id": g.id, onclick: () => { location.hash = route("related", g.id); }},
    td("Group", {class: "id"}, link(route("related", g.id), g.id)),
    td("Size", {class: "num", title: explain("size")}, g.size),
    td("Members", {class: "wide"}, g.summary ? h("div", {class: "group-summary", dir: "auto"}, g.summary) : null,
      h("div", {class: "members-list"}, listed, rest > 0 ? h("div", {class: "muted small"}, "+ " + rest + " more") : null),
      snippet(g)),
    td("Families", {class: "small"}, g.families.map((f, k) => [k ? ", " : "", rowLink(route("family", f), f)]),
      g.families.length && g.singletons ? ", " : "", g.singletons ? plural(g.singletons, "singleton") : ""),
    td("Shared passages", {class: "num", title: explain("shared")}, g.passages,
      h("div", {class: "muted small"}, "in " + plural(g.pairs, "pair"))),
    td("Dates", {class: "nowrap small"}, span(g.dates)));
}

function buildIndex() {
  const c = INDEX.counts;
  const input = h("input", {id: "filter", type: "search",
    placeholder: "Filter by id, title, site, agency, date or article text  ( / )",
    "aria-label": "Filter families, related groups and singletons by metadata or article text", autocomplete: "off"});
  const status = h("span", {id: "filter-status", class: "muted small", "aria-live": "polite"});
  const empty = h("p", {id: "filter-empty", class: "filter-empty", hidden: true});
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
    empty,
    h("h4", null, "Families, largest first"),
    h("table", {class: "list"}, h("thead", null, h("tr", null, h("th", null, "Family"), th("size", "Size", {class: "num"}),
      th("origin", "Origin"), th("sites", "Sites"), th("dates", "Dates"), th("relations", "Relations"),
      th("agencies", "Agencies"))), famBody),
    famMore, relHead,
    h("p", {class: "muted small"}, "Articles that share passages but rewrite different reports: linked only by " +
      "related pairs across families and singletons, so not a family."),
    h("table", {class: "list"}, h("thead", null, h("tr", null, h("th", null, "Group"), th("size", "Size", {class: "num"}),
      th("members", "Members"), h("th", null, "Families"), th("shared", "Shared passages", {class: "num"}),
      th("dates", "Dates"))), relBody),
    relMore, singleHead,
    h("table", {class: "list"}, h("thead", null, h("tr", null, h("th", null, "Document"), h("th", null, "Title"),
      h("th", null, "Site"), h("th", null, "Date"), th("pairs", "Pairs", {class: "num"}), h("th", null, "Related group"))),
      singleBody),
    singleMore]);
  function apply() {
    const terms = searchTerms(input.value);
    if (terms.length) textIndex();
    lastHits = new Map();
    const keep = (item) => {
      const hits = terms.length ? textHits(item, terms) : [];
      if (hits === null) return false;
      if (hits.length) lastHits.set(item, hits);
      return true;
    };
    const fams = INDEX.families.filter(keep), groups = INDEX.related.filter(keep), singles = INDEX.singletons.filter(keep);
    paged(famBody, fams, familyRow, famMore);
    paged(relBody, groups, relatedRow, relMore);
    paged(singleBody, singles, singleRow, singleMore);
    status.textContent = terms.length ? plural(fams.length, "family", "families") + ", " +
      plural(groups.length, "related group") + " and " + plural(singles.length, "singleton") + " match" : "";
    const none = terms.length > 0 && !fams.length && !groups.length && !singles.length;
    empty.hidden = !none;
    empty.textContent = none ? "No matches: no id, title, site, agency, date or article text contains " +
      terms.map((t) => "“" + t + "”").join(terms.length > 2 ? ", " : " and ") + (terms.length > 1 ? " together." : ".") : "";
    relHead.textContent = "Related groups (" + groups.length.toLocaleString("en") +
      (terms.length ? " of " + INDEX.related.length.toLocaleString("en") : "") + ")";
    if (!groups.length) relBody.append(h("tr", null, h("td", {colspan: 6, class: "empty"},
      INDEX.related.length ? "No related group matches." : "No related pair links different families or singletons.")));
    singleHead.textContent = "Singletons: documents in no family (" + singles.length.toLocaleString("en") +
      (terms.length ? " of " + INDEX.singletons.length.toLocaleString("en") : "") + ")";
    if (!singles.length && INDEX.singletons.length) singleBody.append(h("tr", null, h("td", {colspan: 6, class: "empty"},
      "No singleton matches.")));
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
// An id as a label that fits any width: the start shrinks behind an ellipsis, the last characters (where ids of one
// site differ) stay; the full id is the tooltip.
function idLabel(id, props) {
  const cut = id.length > 18 ? id.length - 8 : id.length;
  return h("a", {class: "tl-label tl-text", href: route("doc", id), title: id, ...(props || {})},
    h("span", {class: "head"}, id.slice(0, cut)), cut < id.length ? h("span", {class: "tail"}, id.slice(cut)) : null);
}

// Publication timeline: one row per member, earliest first (undated last): its id, a bar from the first
// publication to its date on a shared axis, the date. The origin's row is marked. Rows never share a line, so
// no label or dot hides another, at any width and any number of members.
function timeline(docs, origin) {
  const order = (a, b) => (a.date || "\uffff").localeCompare(b.date || "\uffff") || a.id.localeCompare(b.id);
  const all = docs.slice().sort(order), dated = all.filter((d) => d.date);
  if (!dated.length) return null;
  const time = (d) => Date.parse(d.date + "T00:00:00Z");
  const min = time(dated[0]), max = time(dated[dated.length - 1]);
  const x = (d) => max === min ? 0 : (time(d) - min) / (max - min) * 100;
  const days = Math.round((max - min) / 864e5);
  function row(d) {
    const mark = d.id === origin;
    const where = d.date ? (max === min ? "" : " · " + (time(d) === min ? "first day" :
      "+" + plural(Math.round((time(d) - min) / 864e5), "day"))) : "";
    return h("div", {class: "tl-row" + (mark ? " is-origin" : ""), "data-id": d.id},
      h("div", {class: "tl-name"}, mark ? h("span", {class: "tl-origin tl-text", title: explain("origin")}, "origin") : null,
        idLabel(d.id)),
      h("div", {class: "tl-track", title: d.id + " · " + (d.date || "undated") + where}, d.date ? [
        h("span", {class: "tl-bar", style: "width:" + x(d) + "%"}),
        h("span", {class: "tl-dot" + (mark ? " origin" : ""), style: "left:" + x(d) + "%"})] : null),
      h("span", {class: "tl-date tl-text" + (d.date ? "" : " muted")}, d.date || "undated"));
  }
  const rows = h("div", {class: "tl-rows"});
  let shown = 0;
  const more = h("button", {class: "more", id: "timeline-more"});
  function next(n) {
    add(rows, [all.slice(shown, shown + n).map(row)]);
    shown = Math.min(all.length, shown + n);
    more.hidden = shown >= all.length;
    more.textContent = "Show all " + all.length + " members (" + (all.length - shown) + " more)";
  }
  more.onclick = () => next(all.length);
  next(TIMELINE_MAX);
  const axis = h("div", {class: "tl-row tl-axis"}, h("div", {class: "tl-name muted small"},
    max === min ? "published" : "published over " + plural(days, "day")),
    h("div", {class: "tl-track"}, h("span", {class: "tl-tick tl-text first"}, dated[0].date),
      max === min ? null : h("span", {class: "tl-tick tl-text last"}, dated[dated.length - 1].date)),
    h("span", {class: "tl-date"}));
  return h("div", {class: "timeline", id: "timeline", role: "list", "aria-label": "publication timeline"}, axis, rows, more);
}

function coverageOf(p, id) { return p.a === id ? p.scores.coverage_a : p.scores.coverage_b; }

function matrix(docs, pairs, total = docs.length) {
  const shown = docs.slice(0, MATRIX_MAX);
  const byKey = new Map();
  for (const p of pairs) { byKey.set(p.a + "\u0000" + p.b, p); byKey.set(p.b + "\u0000" + p.a, p); }
  const head = h("tr", null, h("th"), shown.map((d, j) => h("th", {title: d.id}, j + 1)));
  const rows = shown.map((row, i) => h("tr", null, h("th", {title: row.id + (row.title ? " · " + row.title : "")},
    h("span", {class: "row-id"}, (i + 1) + " " + row.id)),
    shown.map((col) => {
      if (col.id === row.id) return h("td", {class: "self"});
      const p = byKey.get(row.id + "\u0000" + col.id);
      if (!p) return h("td", {class: "none", title: "no pair: no passage of one aligns with the other"}, "·");
      const v = coverageOf(p, row.id);
      return h("td", {class: "pair", style: "background:hsl(222,70%," + (97 - 55 * v) + "%);color:" + (v > 0.55 ? "#fff" : "#1f2430"),
        title: row.id + " is " + pct(v) + " covered by passages aligned with " + col.id + " · " + p.relation +
          " · " + sure(p.sure) + " of one source — click for the diff",
        onclick: () => { location.hash = route("pair", row.id, col.id); }}, Math.round(v * 100));
    })));
  return h("div", null, h("table", {class: "heat", id: "matrix"}, h("thead", null, head), h("tbody", null, rows)),
    h("div", {class: "muted small heat-note", title: explain("coverage")}, "Cell: % of the row article covered by passages aligned with " +
      "the column article. Click for the side-by-side diff." +
      (total > MATRIX_MAX ? " Showing the first " + MATRIX_MAX + " of " + total + " members." : "")));
}

function memberColumn(d, f) {
  const share = d.added_share || 0;
  const also = (d.also || []).map((a) => h("div", {class: "also"}, "also mixes in ",
    familyById.has(a.family) ? link(route("family", a.family), a.family) : a.family, " via ",
    a.pairs.map((p, k) => [k ? ", " : "", link(route("pair", d.id, p.with), p.with), " (",
      term(p.relation), ", ", term("sure", sure(p.sure)), ")"])));
  const group = groupOf.get(d.id);
  return h("div", {class: "member" + (d.id === f.origin ? " is-origin" : ""), "data-id": d.id},
    h("div", {class: "head"},
      h("h3", null, link(route("doc", d.id), d.id),
        d.id === f.origin ? h("span", {class: "badge origin", title: explain("origin") + " Here: " + f.origin_rule + "."},
          "origin") : null),
      h("div", {class: "title", dir: "auto"}, d.title || ""),
      h("div", {class: "muted small"}, [d.source, d.date || "undated", (d.agencies || []).join(", ")].filter(Boolean).join(" · ")),
      h("div", {class: "share", title: pct(share) + " added, " + pct(1 - share) + " shared. " + explain("added share")},
        h("span", {class: "sh", style: "width:" + (100 * (1 - share)) + "%"}),
        h("span", {class: "ad", style: "width:" + (100 * share) + "%"})),
      h("div", {class: "small added-vs-shared", title: explain("added share")}, h("b", {class: "term"}, pct(share) + " added"),
        " vs " + pct(1 - share) + " shared",
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
    h("span", {title: explain("core passage")},
      h("span", {class: "swatches"}, Array.from({length: Math.min(COLOURS, b.passages)}, (_, k) => h("span", {class: "sw c" + k}))),
      plural(b.passages, "core passage") + ": one colour per passage of the origin, the same in every member (hover to follow it)"),
    h("span", {title: explain("added share")}, h("span", {class: "sw seg added"}), "added by that member"),
    h("span", {title: explain("shared other")}, h("span", {class: "sw seg shared"}), "shared with other members only"));
  const members = followPassages(h("div", {class: "members", id: "members"}, b.docs.map((d) => memberColumn(d, f))));
  return [
    link("#", "← All families"),
    h("h2", {id: "family-title"}, f.id + " · " + plural(f.size, "article"),
      h("span", {class: "muted", dir: "auto"}, " — " + (origin.title || origin.id))),
    h("div", {class: "overview"},
      h("div", {class: "card facts-card"}, h("dl", {class: "facts"},
        dt("origin"),
        h("dd", null, link(route("doc", f.origin), f.origin), h("span", {class: "muted"}, " · " + f.origin_rule)),
        dt("sites"), h("dd", null, f.sites.join(", ") || "–"),
        dt("dates"), h("dd", null, span(f.dates)),
        dt("agencies"), h("dd", null, f.agencies.join(", ") || "none credited"),
        dt("relations"), h("dd", null, mixBar(f.relations)),
        dt("core"), h("dd", null, plural(b.passages, "passage") + " of the origin reused"))),
      h("div", {class: "card matrix-card"}, h("h4", {style: "margin-top:0", class: "term", title: explain("similarity")},
        "Similarity"), matrix(b.docs, b.pairs)),
      h("div", {class: "card timeline-card"}, h("h4", {style: "margin-top:0", class: "term", title: explain("timeline")},
        "Timeline"), timeline(b.docs, f.origin) || h("div", {class: "muted"}, "No member is dated."))),
    h("h4", null, "Members"), legend, members,
    glossary(["origin", "added share", "core passage", "relations", "duplicate", "near-duplicate", "rewrite", "related",
      "sure", "similarity", "coverage", "agencies"]),
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
  // the families and singletons the group joins, as saved (older results: worked out from the members)
  const joins = g.joins && g.joins.length ? g.joins :
    [...g.families, ...g.members.filter((m) => !m.family).map((m) => m.id)];
  paged(pairBody, b.links, ([x, y, passages, coverX, coverY, percent, overruled]) => h("tr", {class: "rel-pair"},
    td("Pair", {class: "wide ids"}, link(route("pair", x, y), x + " ↔ " + y)),
    td("Families", {class: "small"}, [x, y].map((m) => familyOf.get(m) || "singleton").join(" · ")),
    td("Aligned passages", {class: "num", title: explain("aligned passages")}, passages),
    td("Coverage", {class: "num", title: explain("coverage")}, pct(coverX) + " / " + pct(coverY)),
    td("One source", {class: "num", title: explain("one source")}, percent + "%",
      overruled ? h("div", {class: "muted small"}, "overruled: " + overruled) : null)),
    pairMore);
  const legend = h("div", {class: "legend", title: explain("shared passage")},
    h("span", {class: "swatches"}, Array.from({length: Math.min(COLOURS, g.passages)}, (_, k) => h("span", {class: "sw c" + k}))),
    plural(g.passages, "shared passage") + ": sentences the related pairs align, one colour per passage in every member " +
      "(hover to follow it)");
  return [
    link("#", "← All families"),
    h("h2", {id: "related-title"}, g.id + " · " + plural(g.size, "article"), h("span", {class: "badge not-family", title: explain("related groups")}, "not a family")),
    g.summary ? h("p", {class: "ev-summary is-related", id: "related-summary", dir: "auto"}, g.summary) : null,
    h("p", {class: "related-note", id: "related-label"}, NOT_FAMILY),
    h("div", {class: "overview"},
      h("div", {class: "card facts-card"}, h("dl", {class: "facts"},
        dt("joins"), h("dd", {id: "related-joins"}, joins.map((u, k) => [k ? ", " : "", familyById.has(u) ?
          [link(route("family", u), u), h("span", {class: "muted"}, " (family of " + familyById.get(u).size + ")")] :
          [link(route("doc", u), u), h("span", {class: "muted"}, " (single article)")]])),
        dt("sites"), h("dd", null, g.sites.join(", ") || "–"),
        dt("dates"), h("dd", null, span(g.dates)),
        dt("shared"), h("dd", null, plural(g.passages, "passage") + " in " + plural(g.pairs, "related pair")))),
      h("div", {class: "card matrix-card"}, h("h4", {style: "margin-top:0", class: "term", title: explain("similarity")},
        "Similarity"), matrix(first, pairs, g.size)),
      h("div", {class: "card timeline-card"}, h("h4", {style: "margin-top:0", class: "term", title: explain("timeline")},
        "Timeline"), timeline(g.members) || h("div", {class: "muted"}, "No member is dated."))),
    h("h4", null, "Related pairs"),
    h("table", {class: "list"}, h("thead", null, h("tr", null, h("th", null, "Pair (click for the diff)"),
      h("th", null, "Families"), th("aligned passages", "Aligned passages", {class: "num"}),
      th("coverage", "Coverage", {class: "num"}), th("one source", "One source", {class: "num"}))),
      pairBody),
    pairMore,
    h("h4", null, "Members"), legend, members, more,
    glossary(["related", "shared passage", "aligned passages", "coverage", "one source", "similarity"]),
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
      part.append(h("span", {class: "chg", title: explain("words that differ")}, text.slice(cs, ce)));
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

// Why a related pair is not linked, from its saved evidence: the overruling or the judge's
// confidence, the different lead figures, then the reasons against (each said once).
function whyNot(p, A, B) {
  const ev = p.evidence, lead = ev.lead_figures || [];
  const items = [ev.overruled ? "the judge was " + sure(p.sure) + " of one source, but " + ev.overruled :
    "the judge is only " + sure(p.sure) + " of one source" +
      (INDEX.run.link_sure === null ? "" : " (a link needs " + INDEX.run.link_sure + "%)")];
  if (lead.length) items.push("the leads report different figures (" + A.id + ": " + lead[0].join(", ") + " vs " +
    B.id + ": " + lead[1].join(", ") + ")");
  for (const reason of ev.against || []) if (!items.some((item) => item.includes(reason))) items.push(reason);
  return h("p", {class: "why", id: "pair-why"}, h("b", null, "Why not linked: "), items.join("; ") + ".");
}

// The saved evidence in words: summary, why not linked (related pairs), shared facts, reasons.
function evidenceView(p, A, B) {
  const ev = p.evidence, related = p.relation === "related", lead = ev.lead_figures || [];
  const reasons = (id, items) => items && items.length ? h("span", {id}, items.join(" · ")) : h("span", {class: "muted", id}, "none");
  const features = Object.entries(p.features || {});
  return [
    h("p", {class: "ev-summary" + (related ? " is-related" : ""), id: "pair-summary"}, ev.summary || ""),
    related ? whyNot(p, A, B) : null,
    h("div", {class: "card evidence"}, h("dl", {class: "facts", id: "pair-evidence"},
      dt("shared figures"), h("dd", null, tags("shared-numbers", ev.shared_numbers)),
      dt("shared names"), h("dd", null, tags("shared-names", ev.shared_names)),
      !related && lead.length ? [dt("lead figures"),
        h("dd", null, A.id + ": " + lead[0].join(", ") + " vs " + B.id + ": " + lead[1].join(", "))] : null,
      dt("for one report"), h("dd", null, reasons("pair-for", ev.for)),
      related ? null : [dt("against one report"), h("dd", null, reasons("pair-against", ev.against))]),
      features.length ? h("details", {class: "small"}, h("summary", {title: explain("judge inputs")}, "Judge inputs"),
        h("dl", {class: "facts inputs"}, features.map(([k, v]) => [h("dt", {title: explain("judge inputs")}, k),
          h("dd", null, String(v))]))) : null),
  ];
}

function pairView(x, y) {
  const p = pairOf(x, y);
  if (!p) return notFound(x + " and " + y + " have no pair: no passage of one aligns with the other.");
  const A = docById(p.a), B = docById(p.b), sc = p.scores;
  const same = A.family && A.family === B.family;
  const group = !same && groupOf.get(A.id) === groupOf.get(B.id) ? groupOf.get(A.id) : undefined;
  const row = (label, a, b) => h("tr", null, h("td", explain(label) ? {class: "term", title: explain(label)} : null, label),
    h("td", null, a === 0 ? "0" : a || "–"), h("td", null, b === 0 ? "0" : b || "–"));
  const chips = [["one source", sure(p.sure)], ["minhash Jaccard", sc.minhash_jaccard], ["embedding cosine", sc.embedding_cosine],
    ["passages", p.passage_count], ["found by", (p.found_by || []).join(", ")]]
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => h("span", {class: "chip", title: explain(k)}, h("span", {class: "term"}, k), " ",
      h("b", null, typeof v === "number" && !Number.isInteger(v) ? v.toFixed(2) : v)));
  const legend = h("div", {class: "legend"}, ["verbatim", "near-verbatim", "paraphrase", "added"].map((k) =>
    h("span", {title: explain(k)}, h("span", {class: "sw k-" + k}), KIND_LABEL[k])),
    h("span", {title: explain("words that differ")}, h("span", {class: "sw chg"}), "words that differ"),
    h("span", {title: explain("passage score")}, h("span", {class: "score-eg"}, "0.87"), "passage score"));
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
        row("support", pct(sc.support_a), pct(sc.support_b)),
        row("lead coverage", pct(sc.lead_coverage_a), pct(sc.lead_coverage_b)),
        row("matched sentences", sc.matched_sentences_a, sc.matched_sentences_b),
        row("agencies", (A.agencies || []).join(", "), (B.agencies || []).join(", ")),
        row("family", ...[A, B].map((d) => d.family ? link(route("family", d.family), d.family) : "none")))),
    legend,
    h("div", {class: "diff", id: "diff"},
      h("div", {class: "drow head"}, h("div", {class: "gutter"}, "kind"), [A, B].map((d) => h("div", {class: "cell"}, d.id))),
      p.rows.map(([kind, score, sa, sb, ca, cb]) => h("div", {class: "drow k-" + kind},
        h("div", {class: "gutter"}, h("span", {class: "term", title: explain(kind)}, KIND_LABEL[kind]),
          score === null ? null : h("span", {class: "score term", title: explain("passage score")}, score.toFixed(2))),
        diffCell(A.id, A.text, sa, ca), diffCell(B.id, B.text, sb, cb)))),
    glossary(["one source", "minhash Jaccard", "embedding cosine", "passages", "found by", "coverage", "support",
      "lead coverage", "matched sentences", "verbatim", "near-verbatim", "paraphrase", "added", "passage score",
      "words that differ", "shared figures", "shared names", "lead figures", "for one report", "against one report",
      "judge inputs"]),
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
      dt("agencies"), h("dd", null, (d.agencies || []).join(", ") || "none credited"),
      h("dt", null, "Family"), h("dd", null, d.family ? link(route("family", d.family), d.family) : "none (singleton)"),
      h("dt", null, "Related group"), h("dd", null, groupOf.has(d.id) ?
        [link(route("related", groupOf.get(d.id)), groupOf.get(d.id)),
          h("span", {class: "muted"}, " · shares passages, not a family")] : "none"),
      dt("pairs"), h("dd", {id: "doc-pairs"}, links.length ? links.map(([other, rel, percent], k) =>
        [k ? ", " : "", link(route("pair", d.id, other), other), " (", term(rel), ", ", term("sure", sure(percent)), ")"]) :
        "none"))),
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
