"""Terminal rendering of saved results (rich). Article text is escaped, never markup."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .results import Results


def summary_table(results: Results, top: int = 10) -> Table:
    """Counts of the run and its largest families with their origin."""
    counts = results.run.get("counts", {})
    docs = {d["id"]: d for d in results.documents}
    table = Table(title="dedup: rewrite families", show_lines=False)
    table.add_column("family", style="bold")
    table.add_column("size", justify="right")
    table.add_column("origin")
    table.add_column("rule", style="dim")
    table.add_column("agencies")
    table.add_column("title of origin", overflow="fold")
    for fam in results.families[:top]:
        origin = docs.get(fam["origin"], {})
        table.add_row(
            escape(fam["id"]), str(fam["size"]), escape(fam["origin"]), escape(fam["origin_rule"]),
            escape(", ".join(fam["agencies"]) or "-"), escape((origin.get("title") or "")[:80]),
        )
    caption = (f"{counts.get('documents', len(results.documents))} documents, "
               f"{counts.get('families', len(results.families))} families "
               f"({counts.get('in_families', 0)} documents), {counts.get('singletons', 0)} singletons, "
               f"{counts.get('linked_pairs', len(results.pairs))} linked pairs, {counts.get('skipped', 0)} skipped")
    if len(results.families) > top:
        caption += f"; showing the {top} largest families"
    table.caption = caption
    return table


def print_summary(results: Results, console: Console, top: int = 10) -> None:
    """Print the summary table to ``console``."""
    console.print(summary_table(results, top))
