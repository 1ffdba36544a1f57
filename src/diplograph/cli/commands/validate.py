"""`diplograph validate`: check graphs against the SHACL shapes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from diplograph.cli.app import app, console, plural, result_line, results_table
from diplograph.cli.options import (
    ALLOW_SERVICE_OPTION, DB_OPTION, ENDPOINT_OPTION, ENGINE_OPTION, PASSWORD_OPTION, STORE_OPTION, USER_OPTION, check_engine, open_store,
)
from diplograph.errors import UsageError
from diplograph.project import Project


@app.command()
def validate(
    files: Optional[list[Path]] = typer.Argument(
        None,
        help="Graph files (.ttl, .trig) or folders of them to check. Default: every graphs/*.ttl.",
        metavar="[FILE]...",
        show_default=False,
    ),
    output: str = typer.Option(
        "auto", "--format",
        help="How to list problems: 'table', or 'lines' (one line per problem: file, severity, node, path, value, "
        "message). Default: a table on a terminal, lines otherwise.",
    ),
    info: bool = typer.Option(
        False, "--info", help="Also list informational notes (statements that carry an editor's dg:note)."
    ),
    store: Optional[str] = STORE_OPTION,
    db: Optional[Path] = DB_OPTION,
    endpoint: Optional[str] = ENDPOINT_OPTION,
    user: Optional[str] = USER_OPTION,
    password: Optional[str] = PASSWORD_OPTION,
    engine: str = ENGINE_OPTION,
    allow_service: bool = ALLOW_SERVICE_OPTION,
) -> None:
    """Check graphs against the project's SHACL shapes (ontology/shapes/*.ttl).

    The reference graphs (graphs/reference/*.ttl) are always checked too, and
    the ontology's class hierarchy is used: a shape asking for a dg:Agent
    accepts a dg:State if the ontology makes State a subclass of Agent.
    The ontology itself is checked too (every dg: term labelled and defined).
    Prints one table row per problem, the conformance policy (only violations fail a run), then a
    summary line. Exit status: 0 conforms (warnings allowed), 1 at least one violation, 2 a file
    is missing, empty or unreadable.
    """
    from diplograph.validation.project import validate_project

    if output not in ("auto", "table", "lines"):
        raise UsageError(f"--format must be 'table' or 'lines', not {output!r}")
    check_engine(engine)
    spec = open_store(store, db, endpoint, user, password)
    report = validate_project(Project.find(), files or None, store=spec, engine=engine)
    shown = [r for r in report.results if info or r.severity != "Info"]
    if output == "table" or (output == "auto" and sys.stdout.isatty()):
        if shown:
            console().print(results_table(shown))
    else:
        for r in shown:
            typer.echo(result_line(r))
    verdict = "conforms" if report.conforms else "does not conform"
    typer.echo(f"policy {report.policy.name}: {report.policy.description}")
    typer.echo(
        f"{verdict}: {plural(report.violations, 'violation')}, {plural(report.warnings, 'warning')}"
        + (f", {plural(report.count('Info'), 'info')}" if report.count("Info") else "")
        + f" in {plural(report.graphs_checked, 'graph')} ({plural(report.triples_checked, 'triple')}),"
        f" {plural(report.shapes_checked, 'shape')}"
    )
    for note in report.notes:
        typer.echo(f"note: {note}")
    raise typer.Exit(0 if report.conforms else 1)

