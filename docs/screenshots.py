"""Screenshots of the HTML report for the README: the index, a family and a pair, at 1400x900 and on a phone (390x844).

    .venv/bin/python docs/screenshots.py            # clusters corpus/sample.jsonl, writes docs/report-*.png
    .venv/bin/python docs/screenshots.py RESULTS/   # from saved results instead

Needs Chromium (``--chromium``, default /usr/bin/chromium) and the playwright
package, as the browser tests do. The report is written to a temporary
folder; only the PNG files land in docs/. With Pillow installed they are
reduced to 256 colours, which keeps each well under 300 KB.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "corpus" / "sample.jsonl"
SIZES = {"1400": (1400, 900), "390": (390, 844)}
FAMILY_OF = "dam-wire"  # the sample's dam-breach story: five members, a translation, rewrites that add material
PAIR = ("dam-wire", "dam-farm")  # the wire report and a rewrite that wraps it in commentary


def _results(path: Path | None, scratch: Path):
    from dedup import Dedup, Results, load_documents

    if path is not None:
        return Results.read(path)
    docs, skipped = load_documents([CORPUS])
    return Results.read(Dedup().cluster(docs, skipped).write(scratch / "results"))


def _views(results) -> dict[str, str]:
    """Route of each view: the index, the family of FAMILY_OF (else the largest), PAIR (else its most varied pair)."""
    families = sorted(results.families, key=lambda f: (-f.size, f.id))
    family = next((f for f in families if FAMILY_OF in f.members), families[0])
    inside = [p for p in results.pairs if p.a in family.members and p.b in family.members]
    pair = next((p for p in inside if {p.a, p.b} == set(PAIR)), None) or max(
        inside, key=lambda p: (len({q.kind for q in p.passages}), p.relation == "rewrite", p.confidence))
    return {"index": "", "family": f"#family/{family.id}", "pair": f"#pair/{pair.a}/{pair.b}"}


def _small(path: Path) -> None:
    """The PNG reduced to 256 colours when Pillow is there (text and flat colours survive it)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    reduced.save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", type=Path, help="saved results (default: cluster the sample corpus)")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the PNG files (default: docs/)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from dedup.report import write_report

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        results = _results(args.results, scratch)
        report = write_report(results, scratch / "report.html")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--headless"])
            for view, route in _views(results).items():
                for name, (width, height) in SIZES.items():
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(report.as_uri() + route)
                    page.wait_for_selector("#view h2" if route else "#families tr.fam")
                    out = args.out / f"report-{view}-{name}.png"
                    page.screenshot(path=str(out))
                    page.close()
                    _small(out)
                    print(f"{out} ({out.stat().st_size // 1024} KB) {route or '#'}")
            browser.close()


if __name__ == "__main__":
    main()
