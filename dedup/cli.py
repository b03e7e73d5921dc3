"""Command line: parse, call the library, format, exit code.

Exit codes: 0 success, 1 bad input or results (message names file and
line), 2 usage error (click; also output paths that would overwrite an input
or a results file, checked before any work), 3 a model could not be loaded.
Every message passes through :func:`dedup.render.terminal_safe`: ids and
paths it quotes can carry no escape sequence or markup.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from . import __version__
from .config import (
    RETHRESHOLD_STAGES,
    SETTINGS,
    STAGES,
    Config,
    ConfigError,
    find_setting,
    parse_settings,
    saved_config,
)
from .documents import FIELD_NAMES, FOLDER_SUFFIXES, TEXT_SUFFIXES, Document, InputError, load_documents
from .encoders import ALIASES, EncoderError, load_encoder
from .pipeline import Dedup
from .progress import Task
from .render import (
    DiffError,
    pair_diff,
    print_diff,
    print_summary,
    summary_data,
    results_diff,
    terminal_json,
    terminal_safe,
)
from .report import write_report
from .results import FILES, Results, ResultsError, check_writable

EXIT_INPUT, EXIT_MODEL = 1, 3
RESULT_FILES = (*FILES, "run.json")


RETHRESHOLD_NAMES = [s.name for s in SETTINGS.values() if s.rethreshold]


def _fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """Print ``error: message`` on one line of stderr and exit with ``code``."""
    # the message quotes paths and values as given: printed as safe text, never read as markup
    Console(stderr=True, highlight=False).print(Text.assemble(("error:", "bold red"), " ", terminal_safe(message)),
                                                soft_wrap=True)
    sys.exit(code)


def _say(console: Console, message: str) -> None:
    """Print a plain line that quotes paths or ids: never markup, no control characters."""
    console.print(terminal_safe(message), markup=False, highlight=False, soft_wrap=True)


def _usage(message: str, param_hint: str) -> NoReturn:
    """A usage error (exit 2) about ``param_hint``, its message made terminal-safe."""
    raise click.BadParameter(terminal_safe(message), click.get_current_context(), param_hint=param_hint)


def _same_path(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file or folder (after symlinks; hard links too)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _blocking_file(path: Path) -> Path | None:
    """The existing non-folder that ``path`` would have to be created under, if any."""
    for parent in path.absolute().parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


def _check_out_dir(out: Path, inputs: Sequence[Path] = ()) -> None:
    """Refuse, before any work, a results directory that is a file, lies under one or holds an input file."""
    if out.exists() and not out.is_dir():
        _usage(f"{out} is a file, not a results directory", "'--out'")
    if (blocker := _blocking_file(out)) is not None:
        _usage(f"{out}: {blocker} is a file, so no results directory can be made in it", "'--out'")
    for src in inputs:
        if src.name in RESULT_FILES and _same_path(src.parent, out):
            _usage(f"{out}: writing results there would overwrite the input file {src}; give another --out",
                   "'--out'")
    try:
        check_writable(out)
    except ResultsError as exc:
        _usage(str(exc), "'--out'")


def _check_report_path(path: Path, hint: str, results_dir: Path, inputs: Sequence[Path] = ()) -> None:
    """Refuse, before any work, a report path that is a folder, lies under a file, or would overwrite an
    input file (given, or read from an input folder) or a results file."""
    if _same_path(path, results_dir):
        _usage(f"{path} is the results directory; give the HTML file to write", hint)
    if path.is_dir():
        _usage(f"{path} is a folder; give the HTML file to write", hint)
    if (blocker := _blocking_file(path)) is not None:
        _usage(f"{path}: {blocker} is a file, so the report cannot be written in it", hint)
    if path.name in RESULT_FILES and (_same_path(path.parent, results_dir) or (path.parent / "run.json").is_file()):
        _usage(f"{path} is a results file; the report would overwrite it", hint)
    for src in inputs:
        in_folder = (src.is_dir() and path.name.lower().endswith(FOLDER_SUFFIXES)
                     and not path.name.startswith(".") and src.resolve() in path.resolve().parents)
        if _same_path(path, src) or (in_folder and path.is_file()):
            _usage(f"{path} is an input file; the report would overwrite it", hint)
        if in_folder:
            _usage(f"{path} is in the input folder {src}: the next run would read the report as a saved page; "
                   "write it elsewhere", hint)


def _read_results(results_dir: Path) -> Results:
    """The saved results in ``results_dir``; a missing, damaged or unreadable directory exits 1 with one line."""
    try:
        return Results.read(results_dir)
    except ResultsError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename or results_dir}: cannot read results: {exc.strerror or exc}")


def _write_results(results: Results, out: Path) -> None:
    """Write ``results`` into ``out``; an unwritable directory exits 1 with one line."""
    try:
        results.write(out)
    except ResultsError as exc:  # says which file and why
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{out}: cannot write results: {exc.strerror or exc}")


@contextmanager
def _rich_progress(console: Console, enabled: bool) -> Iterator:
    """A ``progress(description, total)`` factory drawing one bar per stage on stderr."""
    if not enabled:
        from .progress import silent

        yield silent
        return
    with Progress(TextColumn("{task.description:<11}", markup=False), BarColumn(), MofNCompleteColumn(),
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


def _set_values(ctx: click.Context, param: click.Parameter, items: tuple[str, ...]) -> dict[str, int | float]:
    """``--set NAME=VALUE`` values, each checked against its declaration; a mistake is a usage error (exit 2)."""
    try:
        return parse_settings(items)
    except ConfigError as exc:
        raise click.BadParameter(terminal_safe(str(exc)), ctx, param) from None


def _rethreshold_values(ctx: click.Context, param: click.Parameter,
                        items: tuple[str, ...]) -> dict[str, int | float]:
    """``--set`` values of relation and family settings only: others need a new alignment."""
    values = _set_values(ctx, param, items)
    for name in values:
        if not SETTINGS[name].rethreshold:
            raise click.BadParameter(
                f"{name} is a setting of the {SETTINGS[name].stage} stage: changing it needs a new `dedup cluster` "
                f"run. rethreshold re-decides relations and families from the saved evidence and accepts only "
                f"{', '.join(RETHRESHOLD_NAMES)}.", ctx, param)
    return values


def _configure(values: dict[str, int | float], base: Config | None = None) -> Config:
    """``base`` (default: the defaults) with the ``--set`` values; settings that contradict are a usage error."""
    try:
        return (base or Config()).replace(**values)
    except ConfigError as exc:
        _usage(str(exc), "'--set'")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedup")
def cli() -> None:
    """Find rewrite families in syndicated news and show the shared passages behind them."""


def _field_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--id-field``, ``--text-field``, ... : the input's own name for each standard field."""
    standard = {"source": "source, else site", "date": "published, else date"}
    for name in reversed(FIELD_NAMES):
        command = click.option(f"--{name}-field", default=None, metavar="NAME",
                               help=f"The input's field holding the {name} (default: "
                                    f"{standard.get(name, name)}).")(command)
    return command


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("results"), show_default=True,
              help="Results directory (documents.jsonl, families.jsonl, pairs.jsonl, skipped.jsonl, run.json).")
@click.option("--model", default="use", show_default=True,
              help=f"Sentence encoder: {', '.join(ALIASES)} (use = multilingual USE v3, minilm = packaged "
                   "all-MiniLM-L6-v2, hash = static lexical) or any sentence-transformers name/path.")
@click.option("--skip-invalid", is_flag=True,
              help="Skip bad records (listed in skipped.jsonl) instead of stopping at the first one.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", callback=_set_values,
              help="Change a setting, e.g. --set family_link=0.25 (repeatable); `dedup settings` lists them all "
                   "with ranges and units.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=0),
              help="Families shown in the summary table.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), default=None,
              help="Also write the HTML report (one offline file) to this path.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON instead of a table.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that split and profile the texts, sign them (MinHash), embed sentences (use, hash) "
                   "and align candidate pairs (default: one per core once there is enough work); the results are "
                   "the same whatever the number.")
@_field_options
def cluster(inputs: tuple[Path, ...], out: Path, model: str, skip_invalid: bool, settings: dict[str, int | float],
            top: int, quiet: bool, report_path: Path | None, as_json: bool, workers: int | None,
            **field_names: str | None) -> None:
    """Cluster INPUTS (JSONL, CSV, .txt/.md files, saved .html pages, .warc web archives, or folders of
    them) into rewrite families.

    Every input document appears in OUT/documents.jsonl, singletons too. Files a
    folder holds that are not read (other formats, hidden, empty) are named in
    a warning.
    """
    err = Console(stderr=True)
    config = _configure(settings)
    _check_out_dir(out, inputs)
    if report_path is not None:
        _check_report_path(report_path, "'--report'", out, inputs)
    try:
        fields = {name.removesuffix("_field"): given for name, given in field_names.items() if given}
        docs, skipped = load_documents(inputs, skip_invalid=skip_invalid, fields=fields, on_warning=lambda message: err.print(
            Text.assemble(("warning", "yellow"), terminal_safe(f" {message}")), highlight=False, soft_wrap=True))
    except InputError as exc:
        _fail(str(exc))
    except ValueError as exc:  # the field names given do not fit together
        _usage(str(exc), "'--*-field'")
    if not docs:
        _fail("no valid documents to cluster" + (f" ({len(skipped)} skipped)" if skipped else ""))
    for s in skipped:
        where = f"{s.path}:{s.line}" if s.line is not None else s.path
        err.print(Text.assemble(("skipped", "yellow"), terminal_safe(f" {where}: {s.reason}")), highlight=False,
                  soft_wrap=True)
    try:
        with _rich_progress(err, enabled=not quiet and err.is_terminal) as progress:
            results = Dedup(config, model=model, workers=workers).cluster(docs, skipped, progress)
    except EncoderError as exc:
        _fail(str(exc), EXIT_MODEL)
    _write_results(results, out)
    if report_path is not None:
        _write_report(results, report_path)
    if as_json:
        click.echo(terminal_json({**summary_data(results, top), "results": str(out),
                                  "report": None if report_path is None else str(report_path)}))
        return
    console = Console()
    print_summary(results, console, top=top)
    _say(console, f"results: {out}/")
    if report_path is not None:
        _say(console, f"report: {report_path}")


@cli.command()
@click.argument("results_dir", type=click.Path(path_type=Path))
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=0), help="Families shown.")
@click.option("--json", "as_json", is_flag=True, help="The summary as JSON (counts and the largest families).")
def summary(results_dir: Path, top: int, as_json: bool) -> None:
    """Print the summary of a saved results directory."""
    results = _read_results(results_dir)
    if as_json:
        click.echo(terminal_json(summary_data(results, top)))
    else:
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
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", callback=_set_values,
              help="Change an alignment setting for two files, e.g. --set long_text_chars=0 "
                   "(align any length as documents: seed, extend, summaries); see `dedup settings`.")
def diff(a: str, b: str, results_dir: Path | None, model: str, fmt: str, settings: dict[str, int | float]) -> None:
    """Show what A and B share and what each added, aligned passages side by side.

    A and B are .txt/.md files (aligned now), or with --results two document
    ids whose saved pair is shown.
    """
    config = _configure(settings)
    try:
        if results_dir is not None:
            result = results_diff(_read_results(results_dir), a, b)
        else:
            doc_a, doc_b = _text_files(Path(a), Path(b))
            result = pair_diff(*Dedup(config, encoder=load_encoder(model)).compare(doc_a, doc_b))
    except (DiffError, InputError) as exc:
        _fail(str(exc))
    except EncoderError as exc:
        _fail(str(exc), EXIT_MODEL)
    if fmt == "json":
        click.echo(terminal_json(result.to_json()))
    else:
        print_diff(result, Console())


def _text_files(*paths: Path) -> list[Document]:
    """The documents of two .txt/.md files given to ``dedup diff``."""
    docs = []
    for path in paths:
        if path.suffix.lower() not in TEXT_SUFFIXES:
            raise DiffError(f"{path}: give two .txt/.md files, or --results DIR and two document ids")
        (doc,), _ = load_documents([path])
        docs.append(doc)
    return docs


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
    if out is not None:
        _check_report_path(out, "'--out'", results_dir)
    results = _read_results(results_dir)
    out = out or results_dir / "report.html"
    _write_report(results, out)
    _say(Console(), f"report: {out} ({len(results.families)} families, {len(results.documents)} documents)")


@cli.command()
@click.argument("results_dir", type=click.Path(path_type=Path))
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", required=True, callback=_rethreshold_values,
              help=f"Relation or family setting to change, e.g. --set family_link=0.25 (repeatable): "
                   f"{', '.join(RETHRESHOLD_NAMES)}.")
@click.option("--out", "-o", type=click.Path(path_type=Path), required=True, help="Where to write the new results.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=0),
              help="Families shown in the summary table.")
def rethreshold(results_dir: Path, settings: dict[str, int | float], out: Path, top: int) -> None:
    """Re-decide relations and families of saved results with new thresholds.

    Reads only the saved evidence: no model is loaded, nothing is embedded or
    aligned again, so only relation and family settings can change (see
    `dedup settings`); the others keep the saved run's values and need a new
    `dedup cluster` run to change.
    """
    _check_out_dir(out)
    results = _read_results(results_dir)
    try:
        saved = saved_config(results.run.get("config", {}))
    except ConfigError as exc:
        _fail(f"{results_dir / 'run.json'}: saved settings: {exc}")
    try:
        new = Dedup(_configure(settings, saved)).rethreshold(results)
    except ConfigError as exc:
        _usage(str(exc), "'--set'")
    _write_results(new, out)
    console = Console()
    print_summary(new, console, top=top)
    _say(console, f"results: {out}/")


@cli.command()
@click.argument("results_dir", type=click.Path(path_type=Path))
@click.option("--keep", "decision", flag_value="keep", help="The documents the keep/drop policy keeps.")
@click.option("--drop", "decision", flag_value="drop", help="The documents it drops.")
@click.option("--format", "fmt", type=click.Choice(["ids", "jsonl", "csv"]), default="ids", show_default=True,
              help="ids: one per line; jsonl: the document records; csv: id, family, decision, reason, title, url.")
def select(results_dir: Path, decision: str | None, fmt: str) -> None:
    """Print the documents of a saved results directory that the keep/drop policy keeps (--keep) or drops (--drop).

    The policy (saved with each document in documents.jsonl): a document in
    no family is kept; in a family the origin is kept, and each other member
    is kept when enough of it (the keep_share setting) is not in a member kept
    before it, or when it is a translation; copies and rewrites adding little
    are dropped, the reason naming the kept article they repeat.
    """
    if decision is None:
        _usage("give --keep or --drop", "'--keep' / '--drop'")
    results = _read_results(results_dir)
    if any(d.decision is None for d in results.documents):
        _fail(f"{results_dir}: saved before keep/drop decisions existed; re-run `dedup cluster` or "
              "`dedup rethreshold` to add them")
    chosen = [d for d in results.documents if d.decision == decision]
    if fmt == "ids":
        for d in chosen:
            click.echo(d.id)
    elif fmt == "jsonl":
        for d in chosen:
            click.echo(json.dumps(d.to_json()))  # ASCII escapes: no raw control or bidi character reaches a terminal
    else:
        table = io.StringIO()
        writer = csv.writer(table, lineterminator="\n")
        writer.writerow(["id", "family", "decision", "reason", "title", "url"])
        for d in chosen:
            writer.writerow([d.id, d.family or "", d.decision, d.decision_reason, d.title or "", d.url or ""])
        click.echo(table.getvalue(), nl=False)


@cli.command("settings")
@click.argument("names", nargs=-1)
def settings_command(names: tuple[str, ...]) -> None:
    """List the settings `--set` accepts: stage, default, range, unit and meaning.

    With NAMES, only those. Relation and family settings can be changed on
    saved results by `dedup rethreshold`; the others need a new `dedup cluster` run.
    """
    try:
        chosen = [find_setting(name) for name in names] if names else list(SETTINGS.values())
    except ConfigError as exc:
        _usage(str(exc), "NAMES")
    width = max(40, min(shutil.get_terminal_size().columns, 100))
    for stage, purpose in STAGES.items():
        shown = [s for s in chosen if s.stage == stage]
        if not shown:
            continue
        how = ("`dedup rethreshold` can change these" if stage in RETHRESHOLD_STAGES
               else "changing these needs a new `dedup cluster` run")
        click.echo(textwrap.fill(f"{stage.capitalize()}: {purpose}; {how}.", width, subsequent_indent="  "))
        for s in shown:
            click.echo(f"  {s.name} = {s.default!r}  ({s.range} {s.unit})")
            click.echo(textwrap.fill(s.help, width, initial_indent="      ", subsequent_indent="      "))
        click.echo()


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                              "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def bench(args: tuple[str, ...]) -> None:
    """Run the benchmark suites (families, pan13, msrp, scale): `dedup bench pan13 PATH`, `dedup bench --help`.

    Writes benchmarks/RESULTS.md, results.json and plots, and prints the
    tables; needs a source checkout (the `benchmarks` package) with the
    `bench` extra installed (`make bench` does both).
    """
    checkout = Path(__file__).resolve().parent.parent  # the benchmarks live beside the package, not in it
    if (checkout / "benchmarks" / "__main__.py").is_file() and str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))
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
