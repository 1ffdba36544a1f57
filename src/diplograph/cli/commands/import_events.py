"""`diplograph import icews|gdelt FILE…`: import coded event data, one graph per file."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from diplograph.cli.app import app
from diplograph.errors import UsageError, display_path

import_app = typer.Typer(
    name="import",
    help="Import coded event data (ICEWS, GDELT) as graphs of machine-coded events, one graph per file.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(import_app, name="import")

_OUT_HELP = "Folder to write the graphs to. Default: the project's graphs/ folder, so build, query and merge see them."
_STRICT_HELP = "Exit 1 if any row cannot be imported; a file with such a row is then not written."


def _run(fmt: str, files: list[Path], out: Optional[Path], strict: bool, layout: str = "auto") -> None:
    from diplograph.coded.importer import Importer, SkippedRowsError, output_name
    from diplograph.project import Project

    project = Project.find()
    out_dir = out or project.graphs_dir
    targets = [(source, out_dir / output_name(fmt, source)) for source in files]
    seen: dict[Path, Path] = {}
    for source, target in targets:
        if target in seen:
            raise UsageError(
                f"{display_path(seen[target])} and {display_path(source)} would both be written to "
                f"{display_path(target)}: rename one of them"
            )
        seen[target] = source
    importer = Importer(project)
    skipped = failed_files = 0
    for source, target in targets:
        shown = display_path(source)

        def report(skip, shown=shown) -> None:
            typer.echo(f"{shown}:{skip.line}: {skip.reason}", err=True)

        result = importer.import_file(fmt, source, target, report, strict=strict, layout=layout)
        skipped += result.skipped_total
        written = f"wrote {display_path(target)}" if result.output else "nothing written (--strict)"
        failed_files += result.output is None
        typer.echo(f"{shown}: {result.summary()}; {written}")
    if strict and skipped:
        raise SkippedRowsError(skipped, failed_files)


@import_app.command("icews")
def import_icews(
    files: list[Path] = typer.Argument(..., help="ICEWS event files (.tab: 20 tab-separated columns with a header).", metavar="FILE..."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help=_OUT_HELP, show_default=False),
    strict: bool = typer.Option(False, "--strict", help=_STRICT_HELP),
) -> None:
    """Import ICEWS coded events (the Harvard Dataverse release layout).

    Each file becomes graphs/icews-{name}.ttl: one dg:CodedEvent per row with its actors (states,
    actors affiliated with a state, or unresolved actors), CAMEO code, PLOVER categories, intensity,
    day, place, and story ID, sentence number and publisher. Events between two states point to the
    relationship node of the pair (id/relationship/{ISO3}-{ISO3}), as curated graphs do.
    A row that cannot be imported is one 'file:line: reason' line on stderr; a summary ends each file.
    """
    _run("icews", files, out, strict)


@import_app.command("gdelt")
def import_gdelt(
    files: list[Path] = typer.Argument(..., help="GDELT 1.0 event files (tab-separated, no header).", metavar="FILE..."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help=_OUT_HELP, show_default=False),
    strict: bool = typer.Option(False, "--strict", help=_STRICT_HELP),
    layout: str = typer.Option(
        "auto", "--layout",
        help="Column layout the rows must have: 57 (before April 2013, no source URL), 58 (with SOURCEURL), "
        "or auto (either, row by row).",
    ),
) -> None:
    """Import GDELT 1.0 events.

    Each file becomes graphs/gdelt-{name}.ttl: one dg:CodedEvent per row with its actors, CAMEO code,
    PLOVER categories, Goldstein score, QuadClass, day, place, and source URL (when the row has one),
    NumMentions, NumSources, NumArticles and AvgTone. A row that cannot be imported is one
    'file:line: reason' line on stderr; a summary ends each file.
    """
    from diplograph.coded.gdelt import LAYOUTS

    if layout not in LAYOUTS:
        raise UsageError(f"--layout {layout!r}: expected one of {', '.join(LAYOUTS)}")
    _run("gdelt", files, out, strict, layout)
