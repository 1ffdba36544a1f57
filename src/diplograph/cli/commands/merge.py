"""`diplograph merge`: merge graphs of several relationships into one dataset, reconciling entities."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from diplograph.cli.app import app, plural
from diplograph.errors import DiplographError, UsageError, display_path


@app.command()
def merge(
    graphs: list[Path] = typer.Argument(..., help="Graph files (.ttl, .trig, .nq) or folders of them.", metavar="GRAPH..."),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write the merge: a .trig or .nq file."),
    strict: bool = typer.Option(False, "--strict", help="Treat a conflict or type clash as an error (exit 1; nothing written but the report)."),
    report: Optional[Path] = typer.Option(None, "--report", help="Also write the reconciliation report (JSON) here.", show_default=False),
    reference: bool = typer.Option(True, "--reference/--no-reference", help="Merge the project's graphs/reference/*.ttl too."),
    loaded_at: Optional[str] = typer.Option(
        None, "--loaded-at", metavar="DATETIME",
        help="Record this time (ISO 8601, e.g. 2025-01-31T12:00:00Z) as prov:generatedAtTime of every graph. "
        "Left out by default, so the same inputs give byte-identical output; the report always has the load times.",
        show_default=False),
) -> None:
    """Merge graphs into one dataset, one named graph per source, shared entities reconciled by key.

    States, organisations, people, places, events, relationships and memberships that sources
    name with different IRIs are rewritten to the canonical IRI (id/state/{ISO3}, …); every
    rewrite, conflict (two values for a single-valued fact), type clash and unreconciled node is
    reported. Output is canonical: the same inputs in any order give the same bytes.
    Exit status: 0 merged (warnings allowed), 1 conflicts with --strict, 2 unreadable input or bad arguments.
    """
    import datetime as dt

    from diplograph.files import write_atomically
    from diplograph.loading import expand_paths
    from diplograph.merge import MergeConflictError, merge_sources, write_merged
    from diplograph.project import Project

    if output.suffix.lower() not in (".trig", ".nq"):
        raise UsageError(f"{display_path(output)}: write the merge to a .trig or .nq file")
    if loaded_at is not None:
        try:
            dt.datetime.fromisoformat(loaded_at.replace("Z", "+00:00"))
        except ValueError:
            raise UsageError(f"--loaded-at {loaded_at!r} is not an ISO 8601 date-time") from None
    sources = expand_paths(graphs)
    refs: list[Path] = []
    if reference:
        try:
            refs = Project.find().reference_files
        except DiplographError:
            refs = []
        chosen = {p.resolve() for p in sources}
        refs = [r for r in refs if r.resolve() not in chosen]
    try:
        # In Python, not inside Oxigraph: a merge file keeps every literal as its source wrote it
        # ("3.10"^^xsd:decimal stays "3.10"; Oxigraph would store the canonical "3.1").
        result = merge_sources(sources, refs, loaded_at=loaded_at, strict=strict, store="rdflib")
    except MergeConflictError as err:
        if report is not None:  # the report says what conflicts; the merge itself is not written
            write_atomically(report, err.report.to_json())
        raise
    write_merged(result, output, report)
    r = result.report
    for line in r.problem_lines():
        typer.echo(f"warning: {line}", err=True)
    for w in r.warnings:
        typer.echo(f"warning: {w.line()}", err=True)
    for refined in r.refinements:
        typer.echo(refined.line(), err=True)
    typer.echo(
        f"merged {plural(len(r.sources), 'graph')} ({r.triples} triples) into {display_path(output)}: "
        f"{plural(len(r.rewrites), 'rewrite')}, {plural(len(r.conflicts), 'conflict')}, "
        f"{plural(len(r.type_clashes), 'type clash')}".replace("clashs", "clashes")
        + f", {plural(len(r.warnings), 'warning')}, {plural(len(r.refinements), 'refined date')}"
        + (f"; report in {display_path(report)}" if report else "")
    )
