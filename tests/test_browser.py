"""The HTML report in a real browser: Debian's Chromium, headless, driven by Playwright.

Skipped on a developer machine without /usr/bin/chromium or the playwright
package; under CI (env CI set) their absence is a failure, never a skip.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from dedup.config import Config
from dedup.records import PairRecord
from dedup.render import pair_diff
from dedup.report import report_data, sure_percent, write_report

from .test_report import PAYLOADS, crowded_family, related_with_reasons, synthetic_results

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = [] if CHROMIUM.exists() else [f"{CHROMIUM} (apt-get install chromium)"]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing.append("the playwright package (pip install playwright)")
    if missing:
        message = "browser tests need " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message + "; they must run under CI", pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def report_file(sample_results, tmp_path_factory) -> Path:
    return write_report(sample_results, tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture(scope="module")
def data(sample_results) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    return report_data(sample_results)


class Watched:
    """A page with what must never happen recorded: dialogs, console errors, network requests."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else self.requests.append(r.url))

    def assert_quiet(self) -> None:
        assert self.dialogs == [] and self.errors == [] and self.requests == []


@pytest.fixture
def watched(browser, report_file) -> Iterator[Watched]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    w = Watched(page)
    page.goto(report_file.as_uri())
    yield w
    page.close()


def _expect(locator: Any) -> Any:
    from playwright.sync_api import expect

    return expect(locator)


def test_index_lists_every_family_largest_first_and_counts_singletons(watched, sample_results, tmp_path):
    page = watched.page
    rows = page.locator("#families tr.fam")
    _expect(rows).to_have_count(len(sample_results.families))
    ordered = sorted(sample_results.families, key=lambda f: (-f.size, f.id))
    assert [rows.nth(k).get_attribute("data-id") for k in range(rows.count())] == [f.id for f in ordered]
    singletons = sample_results.run["counts"]["singletons"]
    _expect(page.locator("#singleton-count b")).to_have_text(str(singletons))
    _expect(page.locator("#singletons tr.single")).to_have_count(singletons)
    counts = sample_results.run["counts"]
    _expect(page.locator("#linked-count b")).to_have_text(str(counts["linked_pairs"]))
    _expect(page.locator("#related-pair-count b")).to_have_text(str(counts["related_pairs"]))
    page.screenshot(path=str(tmp_path / "report-index.png"), full_page=True)
    watched.assert_quiet()


def test_family_view_highlights_match_the_results_and_the_payload_stays_text(watched, sample_results, data, tmp_path):
    page = watched.page
    family = next(f for f in sample_results.families if "dam-voices" in f.members)
    page.locator(f'#families tr.fam[data-id="{family.id}"]').click()
    _expect(page.locator("#members .member")).to_have_count(family.size)
    index, blocks = data
    block = blocks[next(f["block"] for f in index["families"] if f["id"] == family.id)]
    for detail, doc in zip(family.details, block["docs"]):
        column = page.locator(f'.member[data-id="{detail.id}"]')
        _expect(column.locator(".seg.added")).to_have_count(len(detail.added))
        _expect(column.locator(".seg.core")).to_have_count(sum(1 for s in doc["segs"] if s[2] == "core"))
        _expect(column.locator(".added-vs-shared")).to_contain_text(f"{round(detail.added_share * 100)}% added")
    origin = page.locator(f'.member[data-id="{family.origin}"] .seg.core')
    assert len({origin.nth(k).get_attribute("data-p") for k in range(origin.count())}) == block["passages"]
    voices = page.locator('.member[data-id="dam-voices"] .text')
    for payload in PAYLOADS:
        _expect(voices).to_contain_text(payload)
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('.member .text *:not(span.seg)').length") == 0
    assert page.evaluate("document.querySelectorAll('style').length") == 1
    assert page.evaluate("document.scripts.length") == len(blocks) + 2
    origin.first.hover()
    highlighted = page.locator(f'.seg.core.on[data-p="{origin.first.get_attribute("data-p")}"]')
    assert highlighted.count() >= 2  # the same passage lights up in the members that reuse it
    page.screenshot(path=str(tmp_path / "report-family.png"), full_page=True)
    watched.assert_quiet()


def test_filter_narrows_families_and_singletons(watched, sample_results):
    page = watched.page
    box = page.locator("#filter")
    box.fill("vax")
    expected = [f.id for f in sample_results.families if any("vax" in m for m in f.members)]
    _expect(page.locator("#families tr.fam")).to_have_count(len(expected))
    assert page.locator("#families tr.fam").first.get_attribute("data-id") == expected[0]
    _expect(page.locator("#singletons tr.single")).to_have_count(
        sum(1 for d in sample_results.documents if d.family is None and "vax" in d.id))
    group = sample_results.related[0]
    member = group.members[-1]  # an article of a related group: the filter finds its family and its group
    box.fill(member)
    _expect(page.locator("#related tr.rel")).to_have_count(1)
    _expect(page.locator(f'#related tr.rel[data-id="{group.id}"]')).to_have_count(1)
    _expect(page.locator("#families tr.fam")).to_have_count(
        sum(1 for f in sample_results.families if any(member in m for m in f.members)))
    box.fill("zqxv-no-such-story")
    _expect(page.locator("#families tr.fam")).to_have_count(0)
    _expect(page.locator("#families")).to_contain_text("No family matches.")
    _expect(page.locator("#related")).to_contain_text("No related group matches.")
    box.fill("")
    _expect(page.locator("#families tr.fam")).to_have_count(len(sample_results.families))
    watched.assert_quiet()


def test_matrix_cell_opens_the_same_diff_as_the_terminal(watched, sample_results):
    page = watched.page
    family = sample_results.families[0]
    page.locator(f'#families tr.fam[data-id="{family.id}"]').click()
    cell = page.locator("#matrix td.pair").first
    cell.click()
    _expect(page.locator("#pair-title")).to_be_visible()
    a, b = (page.locator("#pair-title").get_attribute(f"data-{side}") for side in "ab")
    pair = sample_results.pair(a, b)
    diff = pair_diff(pair, sample_results.document(a), sample_results.document(b))
    rows = page.locator("#diff .drow:not(.head)")
    _expect(rows).to_have_count(len(diff.rows))
    assert [rows.nth(k).get_attribute("class").split()[-1] for k in range(rows.count())] == \
        [f"k-{r.kind}" for r in diff.rows]
    _expect(page.locator("#diff .chg")).to_have_count(sum(len(r.a.changed) + len(r.b.changed) for r in diff.rows))
    _expect(page.locator(".sides")).to_contain_text(f"{pair.coverage_a:.0%}")
    page.locator("main#view > a").first.click()
    _expect(page.locator("#members .member")).to_have_count(family.size)
    watched.assert_quiet()


def _open_pair(page: Any, pair: PairRecord) -> None:
    page.goto(page.url.split("#")[0] + f"#pair/{pair.a}/{pair.b}")
    _expect(page.locator("#pair-title")).to_have_attribute("data-a", pair.a)


def test_pair_view_says_how_sure_and_which_facts_the_two_share(watched, sample_results, tmp_path):
    page = watched.page
    rewrite = next(p for p in sample_results.pairs if p.relation == "rewrite")
    _open_pair(page, rewrite)
    evidence = rewrite.evidence
    _expect(page.locator("#pair-summary")).to_have_text(evidence["summary"])
    _expect(page.locator("#pair-chips")).to_contain_text(f"one source {sure_percent(rewrite.confidence)}% sure")
    for key, id_ in (("shared_numbers", "shared-numbers"), ("shared_names", "shared-names")):
        items = page.locator(f"#{id_} li")
        _expect(items).to_have_count(len(evidence[key]))
        assert items.all_text_contents() == evidence[key]
    _expect(page.locator("#pair-for")).to_have_text(" · ".join(evidence["for"]) or "none")
    _expect(page.locator("#pair-why")).to_have_count(0)  # a link needs no excuse
    page.screenshot(path=str(tmp_path / "pair-rewrite.png"), full_page=True)

    related = sorted((p for p in sample_results.pairs if p.relation == "related"),
                     key=lambda p: "overruled" not in p.evidence)  # an overruled link first, if any
    for pair in related:
        _open_pair(page, pair)
        _expect(page.locator("#pair-summary")).to_have_text(pair.evidence["summary"])
        why = page.locator("#pair-why")
        _expect(why).to_be_visible()
        _expect(why).to_contain_text("Why not linked: ")
        percent = sure_percent(pair.confidence)
        if "overruled" in pair.evidence:
            _expect(why).to_contain_text(f"the judge was {percent}% sure of one source, "
                                         f"but {pair.evidence['overruled']}")
        else:
            _expect(why).to_contain_text(f"the judge is only {percent}% sure of one source (a link needs "
                                         f"{sure_percent(sample_results.run['config']['link_confidence'])}%)")
        for reason in pair.evidence["against"]:
            _expect(why).to_contain_text(reason)
    page.screenshot(path=str(tmp_path / "pair-related.png"), full_page=True)
    watched.assert_quiet()


def test_related_pair_with_different_lead_figures_says_why_as_text(browser, tmp_path):
    results = related_with_reasons()
    path = write_report(results, tmp_path / "why.html")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    w = Watched(page)
    page.goto(path.as_uri() + "#pair/s0-wire/s1-wire")
    evidence = results.pair("s0-wire", "s1-wire").evidence
    _expect(page.locator("#pair-summary")).to_have_text(evidence["summary"])
    _expect(page.locator("#pair-why")).to_have_text(
        f"Why not linked: the judge is only 46% sure of one source (a link needs {Config().link_confidence:.0%}); "
        "the leads report different "
        f"figures (s0-wire: 622 vs s1-wire: 812); the aligned passages miss the leads; {PAYLOADS[0]}.")
    assert page.locator("#shared-names li").all_text_contents() == ["Officials", PAYLOADS[1]]
    _expect(page.locator("#pair-for")).to_have_text("published close together")
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('#view script').length") == 0
    page.goto(path.as_uri() + "#doc/s0-wire")
    _expect(page.locator("#doc-pairs")).to_contain_text("s1-wire (related, 46% sure)")
    w.assert_quiet()
    page.close()


def test_singleton_and_payload_documents_render_as_text(watched, sample_results):
    page = watched.page
    single = next(d for d in sample_results.documents if d.family is None)
    page.locator(f'#singletons tr.single[data-id="{single.id}"]').click()
    _expect(page.locator("#doc-text")).to_have_text(single.text)
    page.goto(page.url.split("#")[0] + "#doc/dam-voices")
    voices = sample_results.document("dam-voices")
    _expect(page.locator("#doc-text")).to_have_text(voices.text)
    assert page.evaluate("document.querySelectorAll('#doc-text *:not(span)').length") == 0
    watched.assert_quiet()


def test_report_of_10000_families_opens_in_seconds(browser, tmp_path):
    path = write_report(synthetic_results(10_000, 2_000), tmp_path / "large.html")
    page = browser.new_page()
    w = Watched(page)
    started = time.perf_counter()
    page.goto(path.as_uri(), timeout=60_000)
    _expect(page.locator("#families tr.fam")).to_have_count(200)  # first page; the rest on demand
    opened = time.perf_counter() - started
    assert opened < 5.0, f"opening took {opened:.1f}s"
    _expect(page.locator("#families")).to_contain_text("F00001")
    page.locator("#filter").fill("F09999")
    _expect(page.locator("#families tr.fam")).to_have_count(1)
    page.locator("#families tr.fam").click()
    _expect(page.locator("#members .member")).to_have_count(3)
    w.assert_quiet()
    page.close()


@pytest.fixture(scope="module")
def seeds_report(shared_data, use_encoder, tmp_path_factory) -> tuple[Any, Path]:
    """The five seed articles clustered with the default encoder, and their report."""
    from dedup import Dedup, load_documents

    docs, _ = load_documents([shared_data / "seeds"])
    results = Dedup(encoder=use_encoder).cluster(docs)
    return results, write_report(results, tmp_path_factory.mktemp("seeds") / "report.html")


def test_seeds_report_shows_one_family_and_the_related_pair_of_003_and_004(browser, seeds_report, tmp_path):
    """000+001 are the family; 003 and 004 share the regiment passage: the report shows them related, not a family,
    and in a related group only when the run saved one (one shared sentence is too little to group them)."""
    results, path = seeds_report
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    w = Watched(page)
    page.goto(path.as_uri())
    _expect(page.locator("#families tr.fam")).to_have_count(1)
    page.locator("#families tr.fam").click()
    _expect(page.locator("#members .member")).to_have_count(2)
    members = page.locator("#members .member").evaluate_all("els => els.map((e) => e.dataset.id)")
    assert sorted(members) == ["000", "001"]
    page.go_back()
    group_of = {m: g.id for g in results.related for m in g.members}
    for doc_id in ("003", "004"):
        cell = page.locator(f'#singletons tr.single[data-id="{doc_id}"] td:last-child')
        _expect(cell).to_have_text(group_of.get(doc_id, "–"))
    _expect(page.locator("#related-count b")).to_have_text(str(len(results.related)))
    page.locator('#singletons tr.single[data-id="003"] td:first-child a').click()
    _expect(page.locator("#doc-pairs")).to_contain_text(
        f"004 (related, {sure_percent(results.pair('003', '004').confidence)}% sure)")
    page.locator("#doc-pairs a", has_text="004").click()
    _expect(page.locator("#pair-title")).to_contain_text("related")
    _expect(page.locator("#pair-summary")).to_have_text(results.pair("003", "004").evidence["summary"])
    _expect(page.locator("#pair-why")).to_contain_text("Why not linked: ")
    regiment = page.locator("#diff .drow:not(.head):not(.k-added)")
    assert regiment.count() >= 1 and "Ministry of Defense" in " ".join(regiment.all_text_contents())
    page.screenshot(path=str(tmp_path / "seeds-related.png"), full_page=True)
    w.assert_quiet()
    page.close()


def test_huge_related_group_pages_its_members(browser, tmp_path):
    path = write_report(synthetic_results(1500, related_chain=1500), tmp_path / "chain.html")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    w = Watched(page)
    page.goto(path.as_uri(), timeout=60_000)
    row = page.locator("#related tr.rel")
    _expect(row).to_have_count(1)
    _expect(row).to_contain_text("+ 1496 more")
    row.locator("td:first-child a").click()
    _expect(page.locator("#related-members .member")).to_have_count(20)
    page.locator("#related-more").click()
    _expect(page.locator("#related-members .member")).to_have_count(40)
    _expect(page.locator("#related-pairs tr")).to_have_count(200)
    _expect(page.locator(".heat-note")).to_contain_text("Showing the first 60 of 1500 members.")
    w.assert_quiet()
    page.close()


WIDTHS = [pytest.param((1400, 900), id="1400px"), pytest.param((390, 844), id="390px")]

BOXES = """(sel) => [...document.querySelectorAll(sel)].map((e) => {
  const r = e.getBoundingClientRect();
  return {text: e.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
})"""


SPILLS = """(sel) => [...document.querySelectorAll(sel + ', ' + sel + ' *')].filter((e) => {
  const style = getComputedStyle(e);
  return style.display !== 'inline' && !['hidden', 'clip'].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 1;
}).map((e) => e.textContent)"""


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5 and \
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5


def _no_sideways_scroll(page: Any) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner + 1, f"{page.url.split('#')[-1] or 'index'}: the page is {width}px wide at {inner}px"


@pytest.mark.parametrize("size", WIDTHS)
def test_timeline_of_50_members_with_long_ids_keeps_every_label_apart_inside_its_card(browser, tmp_path, size):
    results = crowded_family(50, 60)
    family = results.families[0]
    path = write_report(results, tmp_path / "crowded.html")
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    w = Watched(page)
    page.goto(path.as_uri() + f"#family/{family.id}")
    rows = page.locator("#timeline .tl-rows .tl-row")
    _expect(rows).to_have_count(50)
    card = page.locator(".timeline-card").bounding_box()
    labels = page.evaluate(BOXES, "#timeline .tl-text")
    assert len(labels) >= 50 * 2 + 1  # an id and a date per member, the origin mark, the axis dates
    for box in labels:
        assert card["x"] - 0.5 <= box["left"] and box["right"] <= card["x"] + card["width"] + 0.5, box
        assert card["y"] - 0.5 <= box["top"] and box["bottom"] <= card["y"] + card["height"] + 0.5, box
        assert box["right"] - box["left"] > 20, box  # shrunk, never squashed to nothing
    clashes = [(a["text"], b["text"]) for k, a in enumerate(labels) for b in labels[k + 1:] if _overlap(a, b)]
    assert clashes == []
    assert page.evaluate(SPILLS, "#timeline .tl-text") == []  # no text runs out of its box unclipped
    # every row names its member: the start and the end of the id show (ids of one site differ at the end),
    # the full id is its tooltip, and its date is written beside it
    dates = {d.id: d.date or "undated" for d in results.documents}
    shown = page.evaluate("""() => [...document.querySelectorAll('#timeline .tl-rows .tl-row')].map((row) => {
      const label = row.querySelector('.tl-label'), tail = label.querySelector('.tail'), r = label.getBoundingClientRect();
      const t = tail.getBoundingClientRect();
      return {id: row.dataset.id, title: label.title, tail: tail.textContent, date: row.querySelector('.tl-date').textContent,
              tailInside: t.left >= r.left - 0.5 && t.right <= r.right + 0.5 && t.width > 0};
    })""")
    assert sorted(r["id"] for r in shown) == sorted(family.members)
    for r in shown:
        assert r["title"] == r["id"] and r["tail"] == r["id"][-8:] and r["tailInside"], r
        assert r["date"] == dates[r["id"]]
    order = [dates[r["id"]] for r in shown]
    assert order == sorted(order, key=lambda d: (d == "undated", d))  # earliest first, undated last
    # the origin is marked and its dot is not hidden by the other dots of its day
    origin = page.locator(f'#timeline .tl-row.is-origin[data-id="{family.origin}"]')
    _expect(origin).to_have_count(1)
    _expect(origin.locator(".tl-origin")).to_have_text("origin")
    origin.evaluate("row => row.scrollIntoView({block: 'center'})")
    dot = origin.locator(".tl-dot.origin").bounding_box()
    on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).matches('.tl-dot.origin')",
                           [dot["x"] + dot["width"] / 2, dot["y"] + dot["height"] / 2])
    assert on_top
    # a later date sits further right on the one axis
    x = {r["date"]: page.locator(f'#timeline .tl-row[data-id="{r["id"]}"] .tl-dot').bounding_box()["x"]
         for r in shown if r["date"] != "undated"}
    assert x["2025-12-01"] < x["2025-12-02"] < x["2025-12-03"] < x["2025-12-09"]
    _no_sideways_scroll(page)
    w.assert_quiet()
    page.close()


def _searchable_word(results: Any) -> str:
    """A word of some article's text that no id, title, site, date, agency, url or summary holds."""
    meta = " ".join([" ".join(filter(None, [d.id, d.title, d.source, d.date, d.url, " ".join(d.agencies)]))
                     for d in results.documents] + [f.id + " " + f.origin_rule for f in results.families]
                    + [g.id + " " + g.summary for g in results.related]).lower()
    counts: dict[str, int] = {}
    for d in results.documents:
        for word in set(re.findall(r"[a-z]{7,}", d.text.lower())):
            if word not in meta:
                counts[word] = counts.get(word, 0) + 1
    return min(counts, key=lambda word: (abs(counts[word] - 3), word))  # in a few articles, not one or all


@pytest.mark.parametrize("size", WIDTHS)
def test_filter_searches_article_text_and_says_when_nothing_matches(browser, report_file, sample_results, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    w = Watched(page)
    page.goto(report_file.as_uri())
    word = _searchable_word(sample_results)
    norm = {d.id: " ".join(d.text.lower().split()) for d in sample_results.documents}
    families = [f.id for f in sorted(sample_results.families, key=lambda f: (-f.size, f.id))
                if any(word in norm[m] for m in f.members)]
    singles = [d.id for d in sample_results.documents if d.family is None and word in norm[d.id]]
    assert families or singles
    page.locator("#filter").fill(word.upper())  # any case
    _expect(page.locator("#families tr.fam")).to_have_count(len(families))
    assert page.locator("#families tr.fam").evaluate_all("rows => rows.map((r) => r.dataset.id)") == families
    _expect(page.locator("#singletons tr.single")).to_have_count(len(singles))
    # each row says where the text matched, the word marked
    marks = page.locator("#index .snippet mark")
    _expect(marks).to_have_count(len(families) + len(singles) + sum(
        1 for g in sample_results.related if any(word in norm[m] for m in g.members)))
    assert {m.lower() for m in marks.all_text_contents()} == {word}
    _expect(page.locator("#filter-empty")).to_be_hidden()
    _expect(page.locator("#filter-status")).to_contain_text(f"{len(families)} famil")
    # a phrase in quotes: words in that order only
    doc = next(d for d in sample_results.documents if word in norm[d.id])
    phrase = re.search(r"(\w+ \w+ \w+)", norm[doc.id][norm[doc.id].index(word):]).group(1)
    page.locator("#filter").fill(f'"{phrase}"')
    row = (f'#families tr.fam[data-id="{doc.family}"]' if doc.family else f'#singletons tr.single[data-id="{doc.id}"]')
    _expect(page.locator(row)).to_have_count(1)
    _expect(page.locator(row + " .snippet mark").first).to_have_text(re.compile(re.escape(phrase), re.I))
    # nothing matches: a note says so, every table says so
    page.locator("#filter").fill(f"{word} zqxvj")
    _expect(page.locator("#filter-empty")).to_be_visible()
    _expect(page.locator("#filter-empty")).to_contain_text("No matches")
    _expect(page.locator("#filter-empty")).to_contain_text(f"“{word}” and “zqxvj”")
    _expect(page.locator("#families tr.fam")).to_have_count(0)
    _expect(page.locator("#singletons")).to_contain_text("No singleton matches.")
    _no_sideways_scroll(page)
    page.locator("#filter").fill("")
    _expect(page.locator("#filter-empty")).to_be_hidden()
    _expect(page.locator("#families tr.fam")).to_have_count(len(sample_results.families))
    _expect(page.locator("#index .snippet")).to_have_count(0)
    w.assert_quiet()
    page.close()


EXPLAINED = """() => {
  // every place a metric is named or shown: labels, column heads, chips, bars, scores, legends, badges
  const sel = ['.facts dt', '.chip', '#pair-evidence dt', 'table.sides td.term', '.drow:not(.head) .gutter .term',
    '.legend > span', '.legend[title]', '.stat', 'table.list thead th', '.added-vs-shared', '.share', '.mixbar',
    '#matrix td.pair', '.badge', '.tl-origin', 'h4.term', 'td.num'];
  const names = new Set(['Family', 'Group', 'Document', 'Title', 'Site', 'Date', 'Related group', 'Families',
    'Pair (click for the diff)']);  // column heads that name no metric
  const seen = [];
  for (const el of document.querySelectorAll(sel.join(','))) {
    if (el.closest('.glossary') || (el.matches('th') && names.has(el.textContent.trim()))) continue;
    const title = (el.closest('[title]') || el.querySelector('[title]') || {title: ''}).title;
    seen.push([el.textContent.trim().slice(0, 40), title || '']);
  }
  return seen;
}"""

PAIR_METRICS = ("one source", "minhash Jaccard", "embedding cosine", "passages", "found by", "coverage", "support",
                "lead coverage", "matched sentences", "verbatim", "near-verbatim", "paraphrase", "+ added")


def _explained(page: Any) -> list[str]:
    """The metric labels of the page, each checked to carry an explanation of some words."""
    seen = page.evaluate(EXPLAINED)
    assert seen
    missing = [label for label, title in seen if len(title.strip()) < 20]
    assert missing == [], f"metrics without an explanation: {missing}"
    return [label for label, _ in seen]


def test_every_metric_in_the_pair_family_and_group_views_says_what_it_means(watched, sample_results):
    page = watched.page
    pair = max((p for p in sample_results.pairs if p.relation == "rewrite"),
               key=lambda p: len({q.kind for q in p.passages}))
    _open_pair(page, pair)
    seen = _explained(page)
    named = {label.split(" ")[0] if label[0].isdigit() else label for label in seen}
    for metric in ("coverage", "support", "lead coverage", "matched sentences", "paraphrase", "+ added"):
        assert metric in named, metric
    assert any(label.startswith("one source") for label in seen)
    coverage = page.locator("table.sides td.term", has_text=re.compile("^coverage$")).get_attribute("title")
    support = page.locator("table.sides td.term", has_text=re.compile("^support$")).get_attribute("title")
    assert "share" in coverage.lower() and coverage != support
    _expect(page.locator("table.sides")).to_contain_text(f"{pair.lead_a:.0%}")  # lead coverage is shown too
    score = page.locator("#diff .gutter .score").first
    assert "strength" in score.get_attribute("title").lower()
    glossary = page.locator(".glossary")
    glossary.locator("summary").click()
    for metric in PAIR_METRICS:
        if metric != "+ added":
            _expect(glossary.locator("dt", has_text=re.compile(f"^{re.escape(metric)}$"))).to_have_count(1)
    assert all(len(text) > 20 for text in glossary.locator("dd").all_text_contents())
    verbatim = glossary.locator("dt", has_text=re.compile("^verbatim$")).locator("xpath=following-sibling::dd[1]")
    _expect(verbatim).to_contain_text(f"{sure_percent(sample_results.run['config']['verbatim_ratio'])}%")  # the run's

    family = sample_results.families[0]
    page.goto(page.url.split("#")[0] + f"#family/{family.id}")
    _expect(page.locator("#members .member")).to_have_count(family.size)
    seen = _explained(page)
    for label in ("Origin", "Relations", "Core", "Similarity", "Timeline", "origin"):
        assert label in seen, label
    assert sum(1 for label in seen if re.match(r"\d+% added vs \d+% shared", label)) == family.size
    page.goto(page.url.split("#")[0] + f"#related/{sample_results.related[0].id}")
    _expect(page.locator("#related-title")).to_be_visible()
    seen = _explained(page)
    for label in ("Joins", "Shared", "Coverage", "One source", "Aligned passages"):
        assert label in seen, label
    page.goto(page.url.split("#")[0])
    seen = _explained(page)
    assert {"documents", "linked pairs", "related pairs", "Size", "Relations"} <= \
        {re.sub(r"^[\d,]+", "", label) for label in seen}
    watched.assert_quiet()


@pytest.fixture(scope="module")
def tass_run(shared_data, tmp_path_factory) -> tuple[Any, Path]:
    """tass-dev clustered by `dedup cluster` with default settings, its results and its report."""
    from click.testing import CliRunner

    from dedup import Results
    from dedup.cli import cli

    source = shared_data / "tass-dev.jsonl"
    if not source.is_file():
        pytest.skip(f"{source} is absent")
    out = tmp_path_factory.mktemp("tass-dev")
    result = CliRunner().invoke(cli, ["cluster", str(source), "--out", str(out / "results"), "-q",
                                      "--report", str(out / "report.html")])
    assert result.exit_code == 0, result.output
    return Results.read(out / "results"), out / "report.html"


def _views(results: Any) -> list[str]:
    """The index, the largest family, the pair with the longest ids, the largest related group."""
    family = min(results.families, key=lambda f: (-f.size, f.id))
    pair = max(results.pairs, key=lambda p: (len(p.a) + len(p.b), p.a, p.b))
    views = ["", f"#family/{family.id}", f"#pair/{pair.a}/{pair.b}", f"#doc/{max(family.members, key=len)}"]
    if results.related:
        views.append(f"#related/{max(results.related, key=lambda g: (len(g.members), g.id)).id}")
    return views


def test_no_page_scrolls_sideways_on_a_phone(browser, report_file, sample_results):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    w = Watched(page)
    for view in _views(sample_results):
        page.goto(report_file.as_uri() + view)
        page.wait_for_selector("#view h2" if view else "#families tr.fam")
        _no_sideways_scroll(page)
    w.assert_quiet()
    page.close()


def test_no_page_of_the_tass_dev_report_scrolls_sideways_on_a_phone(browser, tass_run):
    results, report = tass_run
    page = browser.new_page(viewport={"width": 390, "height": 844})
    w = Watched(page)
    for view in _views(results):
        page.goto(report.as_uri() + view)
        page.wait_for_selector("#view h2" if view else "#families tr.fam")
        _no_sideways_scroll(page)
    w.assert_quiet()
    page.close()


@pytest.mark.parametrize("size", WIDTHS)
def test_largest_related_group_of_tass_dev_is_small_explained_and_fits_a_phone(browser, tass_run, size):
    results, report = tass_run
    assert results.related, "tass-dev has articles that share passages across families"
    group = max(results.related, key=lambda g: (len(g.members), g.id))
    assert len(group.members) <= 20 and group.summary
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    w = Watched(page)
    page.goto(report.as_uri())
    row = page.locator(f'#related tr.rel[data-id="{group.id}"]')
    _expect(row.locator(".group-summary")).to_have_text(group.summary)
    row.locator("td:first-child a").click()
    _expect(page.locator("#related-summary")).to_have_text(group.summary)
    summary, title = (page.locator(sel).bounding_box() for sel in ("#related-summary", "#related-title"))
    assert summary["y"] < size[1] and summary["y"] > title["y"]  # at the top, seen without scrolling
    _expect(page.locator("#related-members .member")).to_have_count(len(group.members))
    _expect(page.locator("#related-joins a")).to_have_count(len(group.families))
    assert page.locator("#related-joins a").all_text_contents() == group.families
    _no_sideways_scroll(page)
    w.assert_quiet()
    page.close()
