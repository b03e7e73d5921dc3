"""The HTML report in a real browser: Debian's Chromium, headless, driven by Playwright.

Skipped on a developer machine without /usr/bin/chromium or the playwright
package; under CI (env CI set) their absence is a failure, never a skip.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from dedup.records import PairRecord
from dedup.render import pair_diff
from dedup.report import report_data, sure_percent, write_report

from .test_report import PAYLOADS, related_with_reasons, synthetic_results

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
    box.fill("unrel-budget")  # a singleton in a related group: the filter finds both
    _expect(page.locator("#related tr.rel")).to_have_count(1)
    _expect(page.locator("#singletons tr.single")).to_have_count(1)
    box.fill("no such story anywhere")
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
        _expect(why).to_contain_text("Why not one report: ")
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
        "Why not one report: the judge is only 46% sure of one source (a link needs 50%); the leads report different "
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


def test_seeds_report_shows_one_family_and_the_related_group_of_003_and_004(browser, seeds_report, tmp_path):
    """000+001 are the family; 003 and 004 share the regiment passage: the report shows them related, not a family."""
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
    hrefs = [page.locator(f'#singletons tr.single[data-id="{d}"] td:last-child a').get_attribute("href")
             for d in ("003", "004")]
    assert hrefs[0] and hrefs[0] == hrefs[1]  # both singletons link to one related group
    group = hrefs[0].split("/")[-1]
    row = page.locator(f'#related tr.rel[data-id="{group}"]')
    _expect(row).to_contain_text("003")
    _expect(row).to_contain_text("004")
    _expect(page.locator("#related-count b")).to_have_text(str(page.locator("#related tr.rel").count()))
    page.locator('#singletons tr.single[data-id="003"] td:last-child a').click()
    _expect(page.locator("#related-label")).to_have_text(
        "related — share passages, rewrite different reports (not a family)")
    numbers = {}
    for doc_id in ("003", "004"):
        segs = page.locator(f'#related-members .member[data-id="{doc_id}"] .text .seg.passage')
        assert segs.count() > 0
        numbers[doc_id] = {segs.nth(k).get_attribute("data-p"): segs.nth(k).text_content() for k in range(segs.count())}
    shared = numbers["003"].keys() & numbers["004"].keys()
    assert shared  # one colour for the regiment passage in both texts
    for doc_id in ("003", "004"):
        assert any("Ministry of Defense" in numbers[doc_id][p] for p in shared)
    passage = next(p for p in shared if "Ministry of Defense" in numbers["004"][p])
    page.locator(f'#related-members .member[data-id="004"] .seg[data-p="{passage}"]').hover()
    assert page.locator(f'#related-members .seg.on[data-p="{passage}"]').count() >= 2
    page.screenshot(path=str(tmp_path / "seeds-related.png"), full_page=True)
    page.locator("#related-pairs a", has_text="003 ↔ 004").click()
    _expect(page.locator("#pair-title")).to_contain_text("related")
    _expect(page.locator("#pair-summary")).to_have_text(results.pair("003", "004").evidence["summary"])
    _expect(page.locator("#pair-why")).to_contain_text("Why not one report: ")
    _expect(page.locator("main#view > a").first).to_have_text(f"← Related group {group}")
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
