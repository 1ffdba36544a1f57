"""The ``diplograph`` command line: parse arguments, call one library function, print.

Exit codes:

- 0  success; for ``validate``: the data conforms (warnings allowed)
- 1  the data does not conform to the shapes (at least one violation)
- 2  usage or input error: a missing, empty, unreadable or malformed file,
     or arguments that make no sense; one ``error: …`` line per problem
- 3  internal error: a bug in diplograph, not in your data. One
     ``internal error: …`` line; set ``DIPLOGRAPH_DEBUG=1`` to get the traceback.

Library errors (:mod:`diplograph.errors`) carry their own exit code; this
module only prints them.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path
from typing import Optional

import typer
from rdflib import BNode, Literal, URIRef
from rich.console import Console
from rich.table import Table

from diplograph import __version__
from diplograph.errors import DiplographError, PathNotFoundError, display_path
from diplograph.namespaces import XSD, shorten
from diplograph.project import HOME_ENV, SHARED_ENV, Project

__all__ = ["app", "main"]

INTERNAL_ERROR_EXIT = 3
DEBUG_ENV = "DIPLOGRAPH_DEBUG"

app = typer.Typer(
    name="diplograph",
    help=(
        "Check and explore knowledge graphs of diplomatic relations between states.\n\n"
        "Run inside a diplograph project (a folder holding ontology/diplograph.ttl), "
        f"or point ${HOME_ENV} at one."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"diplograph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="Print the version and exit.", callback=_print_version, is_eager=True
    ),
) -> None:
    """Check and explore knowledge graphs of diplomatic relations between states."""


@app.command()
def validate(
    files: Optional[list[Path]] = typer.Argument(
        None,
        help="Graph files (.ttl, .trig) or folders of them to check. Default: every graphs/*.ttl.",
        metavar="[FILE]...",
        show_default=False,
    ),
) -> None:
    """Check graphs against the project's SHACL shapes (ontology/shapes/*.ttl).

    The reference graphs (graphs/reference/*.ttl) are always checked too, and
    the ontology's class hierarchy is used: a shape asking for a dg:Agent
    accepts a dg:State if the ontology makes State a subclass of Agent.
    Prints one table row per problem, then a summary line. Exit status: 0 conforms (warnings allowed), 1 at least one
    violation, 2 a file is missing, empty or unreadable.
    """
    from diplograph.validate import validate_project

    report = validate_project(Project.find(), files or None)
    if report.results:
        _console().print(_results_table(report.results))
    verdict = "conforms" if report.conforms else "does not conform"
    typer.echo(
        f"{verdict}: {_plural(report.violations, 'violation')}, {_plural(report.warnings, 'warning')}"
        + (f", {_plural(report.count('Info'), 'info')}" if report.count("Info") else "")
        + f" in {_plural(report.graphs_checked, 'graph')}, {_plural(report.shapes_checked, 'shape')}"
    )
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def summary() -> None:
    """Load the ontology and every graph, and count what they hold.

    Prints the number of triples in each named graph (with the file it came
    from) and the number of instances of each dg: class.
    """
    from diplograph.store import load_project_dataset
    from diplograph.summary import summarise

    result = summarise(load_project_dataset(Project.find()))
    console = _console()
    graphs = Table(title="Named graphs", title_justify="left")
    graphs.add_column("graph")
    graphs.add_column("file")
    graphs.add_column("triples", justify="right")
    for g in result.graphs:
        graphs.add_row(shorten(g.name), display_path(g.file) if g.file else "", str(g.triples))
    console.print(graphs)
    classes = Table(title="Instances per dg: class", title_justify="left")
    classes.add_column("class")
    classes.add_column("instances", justify="right")
    for cls, n in result.class_counts:
        classes.add_row(shorten(cls), str(n))
    console.print(classes)
    typer.echo(f"{result.total_triples} distinct triples in {_plural(len(result.graphs), 'named graph')}")


@app.command()
def reference(
    shared: Optional[Path] = typer.Option(
        None,
        "--shared",
        help=f"Folder of shared reference tables (country-codes.csv, …). Default: ../shared/reference, or ${SHARED_ENV}/reference.",
        show_default=False,
    ),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Folder to write the reference graphs to. Default: graphs/reference.", show_default=False
    ),
) -> None:
    """Build the reference graphs (states, organisations, places, memberships).

    Reads the shared reference tables and the project's curated reference/*.csv,
    and writes one Turtle file per kind of reference data; prints each file written.
    """
    project = Project.find()
    shared_dir = shared or project.shared_reference_dir
    if not shared_dir.is_dir():
        raise PathNotFoundError(shared_dir, "no such folder (the shared reference tables)")
    from diplograph.reference import write_reference_graphs  # lazy: only this command needs it

    written = write_reference_graphs(shared_dir, project.curated_reference_dir, out or project.reference_dir)
    for path in written:
        typer.echo(f"wrote {display_path(path)}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``diplograph`` script: run the CLI and map errors to exit codes."""
    _route_library_warnings()
    try:
        app(args=argv, prog_name="diplograph")
    except DiplographError as err:
        for problem in err.problems:
            typer.echo(f"error: {problem}", err=True)
        sys.exit(err.exit_code)
    except Exception as err:  # a bug, not bad data: say so in one line
        if os.environ.get(DEBUG_ENV):
            raise
        typer.echo(
            f"internal error: {type(err).__name__}: {_one_line(str(err))} (set {DEBUG_ENV}=1 for the traceback)",
            err=True,
        )
        sys.exit(INTERNAL_ERROR_EXIT)


# --- presentation helpers ------------------------------------------------------


def _console() -> Console:
    # Wide enough that IRIs and messages rarely wrap when output goes to a file or CI log.
    return Console(width=None if sys.stdout.isatty() else 160, highlight=False)


def _results_table(results) -> Table:
    table = Table(show_lines=False)
    for column in ("severity", "focus node", "path", "value", "message", "file"):
        table.add_column(column, overflow="fold")
    for r in results:
        table.add_row(
            r.severity,
            _term(r.focus_node),
            _term(r.path),
            _term(r.value),
            r.message,
            display_path(r.source_file) if r.source_file else "",
        )
    return table


def _term(node: object) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return "[blank node]"
    if isinstance(node, Literal):
        text = f'"{node}"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype and node.datatype != XSD.string:
            return f"{text}^^{shorten(node.datatype)}"
        return text
    if isinstance(node, URIRef):
        return shorten(node)
    return str(node)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _OneLineWarnings(logging.Handler):
    """Print library log warnings (rdflib's "Failed to convert Literal…") as one line, no traceback."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"warning: {_one_line(record.getMessage())}", err=True)


def _route_library_warnings() -> None:
    logger = logging.getLogger("rdflib")
    if not any(isinstance(h, _OneLineWarnings) for h in logger.handlers):
        logger.addHandler(_OneLineWarnings(logging.WARNING))
    logger.propagate = False
