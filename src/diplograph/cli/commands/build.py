"""`diplograph build`: the main job; validate, infer, query and write out/."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from diplograph.cli.app import app, console, plural, results_table
from diplograph.cli.options import (
    ALLOW_SERVICE_OPTION, DB_OPTION, ENDPOINT_OPTION, ENGINE_OPTION, PASSWORD_OPTION, STORE_OPTION, USER_OPTION, check_engine, open_store,
)
from diplograph.errors import display_path
from diplograph.project import Project


@app.command()
def build(
    out: Optional[Path] = typer.Option(None, "--out", help="Folder to write. Default: out/ in the project.", show_default=False),
    store: Optional[str] = STORE_OPTION,
    db: Optional[Path] = DB_OPTION,
    endpoint: Optional[str] = ENDPOINT_OPTION,
    user: Optional[str] = USER_OPTION,
    password: Optional[str] = PASSWORD_OPTION,
    engine: str = ENGINE_OPTION,
    allow_service: bool = ALLOW_SERVICE_OPTION,
) -> None:
    """Load every graph, validate, infer, run every named query, and write out/.

    Writes dataset.trig and dataset.nq (all named graphs, inferred included),
    validation-report.ttl and .txt, queries/<name>.csv and .json, and
    network.html. The folder is replaced only when everything is written.
    Exit status: 0 built, 1 the data does not conform (violations table, out/
    untouched), 2 an input file is missing or unreadable.
    """
    from diplograph.build import STAGES, ChecksFailedError, NonConformingError
    from diplograph.build import build as run_build

    check_engine(engine)
    spec = open_store(store, db, endpoint, user, password)
    out_console = console()
    try:
        with out_console.status("building…") as status:

            def progress(stage: str) -> None:
                status.update(f"{stage} ({STAGES.index(stage) + 1}/{len(STAGES)})…")

            report = run_build(Project.find(), out, store=spec, progress=progress, engine=engine,
                               allow_service=allow_service)
    except NonConformingError as err:
        out_console.print(results_table([r for r in err.report.results if r.severity == "Violation"]))
        typer.echo(
            f"does not conform: {plural(err.report.violations, 'violation')}, "
            f"{plural(err.report.warnings, 'warning')}; out/ left as it was",
            err=True,
        )
        raise typer.Exit(1)
    except ChecksFailedError as err:
        for problem in err.problems:
            typer.echo(f"violation: {problem}", err=True)
        typer.echo(f"{plural(len(err.problems), 'check violation')}; out/ left as it was", err=True)
        raise typer.Exit(1)

    table = Table(title=f"Built {display_path(report.out_dir)}/", title_justify="left")
    table.add_column("what")
    table.add_column("how much", justify="right")
    table.add_row("named graphs", str(report.graphs))
    table.add_row("triples asserted", str(report.triples_asserted))
    table.add_row("triples inferred", str(report.triples_inferred))
    table.add_row("shapes checked", f"{report.shapes_checked} ({plural(report.warnings, 'warning')})")
    table.add_row("checks run", str(report.checks_run))
    table.add_row("queries run", str(report.queries_run))
    table.add_row("files written", str(len(report.files)))
    table.add_row("entities reconciled", str(len(report.merge.rewrites)) if report.merge else "0")
    table.add_row("merge conflicts", str(len(report.merge.conflicts)) if report.merge else "0")
    for stage, seconds in report.seconds.items():
        table.add_row(f"time: {stage}", f"{seconds:.2f} s")
    overlapped = sum(report.seconds.values()) > report.total_seconds + 0.05
    table.add_row("time: total" + (" (infer ran beside validation, checks and queries)" if overlapped else ""),
                  f"{report.total_seconds:.2f} s")
    out_console.print(table)
    for db in report.kept:
        typer.echo(f"note: {display_path(db)} is served by diplograph serve: left as it was, "
                   f"the rest of {display_path(report.out_dir)}/ replaced around it", err=True)
    if report.inference is not None:
        for a, b in report.inference.same_as:
            typer.echo(f"warning: owl:sameAs inferred between {a} and {b}: a modelling bug", err=True)
        for message in report.inference.inconsistencies:
            typer.echo(f"warning: the data contradicts the ontology: {message}", err=True)
