"""Command line: parse, call the library, format, exit code.

Exit codes: 0 success, 1 bad input or results (message names file and
line), 2 usage error (click), 3 a model could not be loaded.
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .config import Config, ConfigError
from .documents import InputError, load_documents
from .encoders import ALIASES, EncoderError, load_encoder
from .pipeline import Dedup
from .progress import Task
from .render import DiffError, file_diff, print_diff, print_summary, results_diff
from .report import write_report
from .results import Results, ResultsError

EXIT_INPUT, EXIT_MODEL = 1, 3


def _fail(message: str, code: int = EXIT_INPUT) -> None:
    Console(stderr=True, highlight=False).print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    sys.exit(code)


@contextmanager
def _rich_progress(console: Console, enabled: bool) -> Iterator:
    """A ``progress(description, total)`` factory drawing one bar per stage on stderr."""
    if not enabled:
        from .progress import silent

        yield silent
        return
    with Progress(TextColumn("{task.description:<11}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as bars:

        @contextmanager
        def stage(description: str, total: int) -> Iterator[Task]:
            task_id = bars.add_task(description, total=max(total, 1))

            class _Task:
                def advance(self, n: int = 1) -> None:
                    bars.advance(task_id, n)

            yield _Task()
            bars.update(task_id, completed=max(total, 1))

        yield stage


def _parse_settings(settings: tuple[str, ...], base: Config | None = None) -> Config:
    """``base`` (default: the defaults) with the ``--set NAME=VALUE`` overrides applied."""
    values: dict[str, float | int] = {}
    for item in settings:
        name, sep, raw = item.partition("=")
        if not sep:
            raise ConfigError(f"--set expects NAME=VALUE, got {item!r}")
        try:
            value: float | int = int(raw) if raw.strip().lstrip("-").isdigit() else float(raw)
        except ValueError:
            raise ConfigError(f"--set {name}: {raw!r} is not a number") from None
        values[name.strip()] = value
    return (base or Config()).replace(**values)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedup")
def cli() -> None:
    """Find rewrite families in syndicated news and show the shared passages behind them."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("results"), show_default=True,
              help="Results directory (documents.jsonl, families.jsonl, pairs.jsonl, skipped.jsonl, run.json).")
@click.option("--model", default="use", show_default=True,
              help=f"Sentence encoder: {', '.join(ALIASES)} (use = multilingual USE v3, minilm = packaged "
                   "all-MiniLM-L6-v2, hash = static lexical) or any sentence-transformers name/path.")
@click.option("--skip-invalid", is_flag=True,
              help="Skip bad records (listed in skipped.jsonl) instead of stopping at the first one.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Override a threshold of dedup.Config, e.g. --set family_link=0.25 (repeatable).")
@click.option("--top", default=10, show_default=True, help="Families shown in the summary table.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), default=None,
              help="Also write the HTML report (one offline file) to this path.")
def cluster(inputs: tuple[Path, ...], out: Path, model: str, skip_invalid: bool, settings: tuple[str, ...],
            top: int, quiet: bool, report_path: Path | None) -> None:
    """Cluster INPUTS (JSONL, CSV, .txt/.md files or folders) into rewrite families.

    Every input document appears in OUT/documents.jsonl, singletons too.
    """
    err = Console(stderr=True)
    try:
        config = _parse_settings(settings)
        docs, skipped = load_documents(inputs, skip_invalid=skip_invalid)
    except (InputError, ConfigError) as exc:
        _fail(str(exc))
    if not docs:
        _fail("no valid documents to cluster" + (f" ({len(skipped)} skipped)" if skipped else ""))
    for s in skipped:
        where = f"{s.path}:{s.line}" if s.line is not None else s.path
        err.print(f"[yellow]skipped[/] {where}: {s.reason}", markup=True, highlight=False)
    try:
        with _rich_progress(err, enabled=not quiet and err.is_terminal) as progress:
            results = Dedup(config, model=model).cluster(docs, skipped, progress)
    except EncoderError as exc:
        _fail(str(exc), EXIT_MODEL)
    try:
        results.write(out)
    except OSError as exc:
        _fail(f"{out}: cannot write results: {exc.strerror or exc}")
    if report_path is not None:
        _write_report(results, report_path)
    console = Console()
    print_summary(results, console, top=top)
    console.print(f"results: {out}/", highlight=False)
    if report_path is not None:
        console.print(f"report: {report_path}", highlight=False, soft_wrap=True)


@cli.command()
@click.argument("results_dir", type=click.Path(path_type=Path))
@click.option("--top", default=10, show_default=True, help="Families shown.")
def summary(results_dir: Path, top: int) -> None:
    """Print the summary of a saved results directory."""
    try:
        results = Results.read(results_dir)
    except ResultsError as exc:
        _fail(str(exc))
    print_summary(results, Console(), top=top)


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--results", "results_dir", type=click.Path(path_type=Path), default=None,
              help="Diff two document ids of this results directory, as saved (nothing is recomputed).")
@click.option("--model", default="use", show_default=True,
              help="Sentence encoder used to align two files (see `dedup cluster --help`).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: side by side for people; json: header and rows for machines.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Override an alignment threshold for two files, e.g. --set long_text_chars=0 "
                   "(align any length as documents: seed, extend, summaries).")
def diff(a: str, b: str, results_dir: Path | None, model: str, fmt: str, settings: tuple[str, ...]) -> None:
    """Show what A and B share and what each added, aligned passages side by side.

    A and B are .txt/.md files (aligned now), or with --results two document
    ids whose saved pair is shown.
    """
    try:
        if results_dir is not None:
            result = results_diff(Results.read(results_dir), a, b)
        else:
            config = _parse_settings(settings)
            result = file_diff(Path(a), Path(b), load_encoder(model), config)
    except (ResultsError, DiffError, ConfigError) as exc:
        _fail(str(exc))
    except EncoderError as exc:
        _fail(str(exc), EXIT_MODEL)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_diff(result, Console())


def _write_report(results: Results, path: Path) -> None:
    try:
        write_report(results, path)
    except ResultsError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{path}: cannot write report: {exc.strerror or exc}")


@cli.command()
@click.argument("results_dir", type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), default=None,
              help="HTML file to write  [default: RESULTS_DIR/report.html]")
def report(results_dir: Path, out: Path | None) -> None:
    """Write the HTML report of a saved results directory: one self-contained file that works offline."""
    try:
        results = Results.read(results_dir)
    except ResultsError as exc:
        _fail(str(exc))
    out = out or results_dir / "report.html"
    _write_report(results, out)
    Console().print(f"report: {out} ({len(results.families)} families, {len(results.documents)} documents)",
                    highlight=False, soft_wrap=True)


@cli.command()
@click.argument("results_dir", type=click.Path(path_type=Path))
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", required=True,
              help="Relation/family threshold to change, e.g. --set family_link=0.25 (repeatable).")
@click.option("--out", "-o", type=click.Path(path_type=Path), required=True, help="Where to write the new results.")
@click.option("--top", default=10, show_default=True, help="Families shown in the summary table.")
def rethreshold(results_dir: Path, settings: tuple[str, ...], out: Path, top: int) -> None:
    """Re-decide relations and families of saved results with new thresholds.

    Reads only the saved evidence: no model is loaded, nothing is embedded or
    aligned again. Alignment thresholds (semantic_*, lexical_*) need a new
    `dedup cluster` run; the other settings start from the saved run's values.
    """
    try:
        results = Results.read(results_dir)
        known = Config().to_dict()
        saved = Config().replace(**{k: v for k, v in results.run.get("config", {}).items() if k in known})
        new = Dedup(_parse_settings(settings, saved)).rethreshold(results)
        new.write(out)
    except (ResultsError, ConfigError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{out}: cannot write results: {exc.strerror or exc}")
    console = Console()
    print_summary(new, console, top=top)
    console.print(f"results: {out}/", highlight=False)


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                              "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def bench(args: tuple[str, ...]) -> None:
    """Run the benchmark suites (families, pan13, msrp, scale): `dedup bench pan13 PATH`, `dedup bench --help`.

    Writes benchmarks/RESULTS.md, results.json and plots, and prints the
    tables; needs a source checkout (the `benchmarks` package) with the
    `bench` extra installed (`make bench` does both).
    """
    try:
        from benchmarks.__main__ import main as bench_main
    except ImportError as exc:
        _fail(f"dedup bench needs the benchmarks package of a source checkout and its extra "
              f"(pip install -e '.[bench]'): {exc}")
    sys.exit(bench_main(list(args), prog="dedup bench"))


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":
    main()
