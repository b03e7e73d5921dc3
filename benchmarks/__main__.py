"""`dedup bench` / `python -m benchmarks [SUITE [PATH] ...] [options]`: run suites, write RESULTS.md, results.json, plots.

Suites: families, pan13, msrp, scale (all when none is named). A path right
after a suite name is that suite's data (``python -m benchmarks pan13 PATH``
scores any corpus in the PAN layout); ``--data`` does the same for a single
named suite. A suite whose data is absent is skipped with a message. Results
of earlier runs of other suites in ``--out`` are kept.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Callable

from . import report

SUITES = report.SUITE_ORDER


def _parse(argv: list[str], prog: str) -> tuple[argparse.Namespace, dict[str, Path | None]]:
    parser = argparse.ArgumentParser(
        prog=prog, description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", metavar="SUITE [PATH]",
                        help=f"suites to run ({', '.join(SUITES)}; default all), each optionally followed by "
                        "its data path")
    parser.add_argument("--data", type=Path, help="data for the one suite named (families: labelled JSONL; "
                        "pan13: a PAN-layout folder; msrp: the MSRP TSV)")
    parser.add_argument("--quick", action="store_true",
                        help="fast run: 1 timing run, msrp subsampled to --msrp-sample pairs, scale at 1k only, "
                        "no text-dedup CLI")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="where RESULTS.md, results.json and plots/ go (default: benchmarks/)")
    parser.add_argument("--repeats", type=int, default=3, help="timing runs per method; the median is reported")
    parser.add_argument("--models", default="use,minilm,hash",
                        help="families: dedup models (and doc-cosine peers for minilm/use), comma-separated")
    parser.add_argument("--encoder", default="use", help="pan13/msrp: sentence encoder of the aligner")
    parser.add_argument("--msrp-sample", type=int, default=1000, help="pairs sampled (seeded) by msrp --quick")
    parser.add_argument("--scale-max", type=int, default=10_000,
                        help="largest corpus size of the scale suite (sizes 1k, 10k, 100k up to it; default "
                        "10000 as in `make bench`, ~15 min on 2 cores; 100000 adds ~55 min and ~14 GB RAM)")
    parser.add_argument("--scale-models", default="hash,use",
                        help="scale: dedup models; 'use' runs only up to --scale-use-max")
    parser.add_argument("--scale-use-max", type=int, default=1000, help="largest N run with the use model")
    parser.add_argument("--text-dedup-python", default=None,
                        help="Python of a venv with text-dedup installed, for the real text-dedup row "
                        "(default: $TEXT_DEDUP_PYTHON or /tmp/td-venv/bin/python if present; 'none' disables)")
    args = parser.parse_args(argv)

    chosen: dict[str, Path | None] = {}
    last: str | None = None
    for item in args.targets:
        if item in SUITES:
            chosen[item] = None
            last = item
        elif last is not None and chosen[last] is None:
            chosen[last] = Path(item)
        else:
            parser.error(f"{item!r} is not a suite ({', '.join(SUITES)}) nor a path following one")
    if args.data is not None:
        if len(chosen) != 1:
            parser.error("--data needs exactly one suite named, e.g. `families --data FILE`")
        (name,) = chosen
        chosen[name] = args.data
    if not chosen:
        chosen = {s: None for s in SUITES}
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args, chosen


def _runner(name: str, path: Path | None, args: argparse.Namespace) -> tuple[Path | None, Callable[[], report.Section]]:
    """The data path a suite needs (None if it needs none) and a thunk that runs it."""
    out = args.out
    if name == "families":
        from . import families

        data = [path] if path else [p for p in families.DEFAULT_DATA if p.exists()]
        td = args.text_dedup_python or families.default_text_dedup_python()
        td = None if td == "none" else td
        models = [m.strip() for m in args.models.split(",") if m.strip()]
        return (data[0] if data else families.DEFAULT_DATA[0]), lambda: families.run(
            data, out, models=models, repeats=args.repeats, quick=args.quick, text_dedup_python=td)
    if name == "pan13":
        from . import pan13

        data = path or pan13.DEFAULT_DATA
        return data, lambda: pan13.run(data, encoder_name=args.encoder)
    if name == "msrp":
        from . import msrp

        data = path or msrp.DEFAULT_DATA
        return data, lambda: msrp.run(data, out, encoder_name=args.encoder,
                                      sample=args.msrp_sample if args.quick else None)
    from . import scale

    sizes = [n for n in scale.SIZES if n <= (1000 if args.quick else args.scale_max)]
    models = [m.strip() for m in args.scale_models.split(",") if m.strip()]
    syndication = {style: counts[:1] for style, counts in scale.SYNDICATION.items()} if args.quick else scale.SYNDICATION
    return None, lambda: scale.run(out, sizes=sizes, models=models, use_max=args.scale_use_max,
                                   repeats=1 if args.quick else args.repeats, syndication=syndication)


def main(argv: list[str] | None = None, prog: str = "python -m benchmarks") -> int:
    """Run the chosen suites, print their tables, and write the results into ``--out``."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    args, chosen = _parse(sys.argv[1:] if argv is None else argv, prog)
    sections = report.load(args.out)
    ran = 0
    for name, path in chosen.items():
        data, thunk = _runner(name, path, args)
        if data is not None and not data.exists():
            print(f"[{name}] skipped: data not found at {data}", flush=True)
            continue
        print(f"[{name}] running" + (f" on {data}" if data else "") + " ...", flush=True)
        started = time.perf_counter()
        code_before, digest_before = report.dedup_code_state(), report.dedup_digest()
        section = thunk()
        if report.dedup_digest() != digest_before:
            section.machine["dedup_code"] = f"{code_before} at start, {section.machine['dedup_code']} at end " \
                "(**dedup changed during this suite**)"
        sections[name] = section
        report.write(args.out, sections)
        ran += 1
        print(section.markdown(), flush=True)
        print(f"[{name}] done in {time.perf_counter() - started:.0f} s", flush=True)
    if ran:
        print(f"wrote {args.out / 'RESULTS.md'} and {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
