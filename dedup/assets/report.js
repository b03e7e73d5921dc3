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
