"""`diplograph push`: upload the project's named graphs to a SPARQL server."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from diplograph.cli.app import app, plural
from diplograph.cli.options import PASSWORD_OPTION, USER_OPTION
from diplograph.errors import display_path
from diplograph.project import Project
from diplograph.terms import shorten


@app.command()
def push(
    files: Optional[list[Path]] = typer.Argument(
        None, help="Source graph files or folders to push. Default: every graphs/*.ttl.", metavar="[FILE]...",
        show_default=False,
    ),
    endpoint: str = typer.Option(
        ..., "--endpoint", metavar="URL",
        help="The server's SPARQL query URL (for Oxigraph: http://host:7878 or …/query).",
    ),
    gsp: Optional[str] = typer.Option(
        None, "--gsp", metavar="URL", help="Graph Store Protocol URL, if not guessed from --endpoint.",
        show_default=False,
    ),
    update: Optional[str] = typer.Option(
        None, "--update", metavar="URL", help="SPARQL update URL, if not guessed from --endpoint.", show_default=False
    ),
    method: str = typer.Option(
        "gsp", "--method", metavar="gsp|update",
        help="gsp: HTTP PUT per graph; update: DROP GRAPH + INSERT DATA (servers without the Graph Store Protocol).",
    ),
    timeout: float = typer.Option(300.0, "--timeout", metavar="SECONDS", help="Give up on a request after this long."),
    user: Optional[str] = USER_OPTION,
    password: Optional[str] = PASSWORD_OPTION,
) -> None:
    """Upload each named graph (ontology, shapes, reference, sources), replacing it on the server.

    Pushing twice leaves the same triples. Graphs on the server that the project does not
    have are left alone. Prints one line per graph sent, and a warning for each graph the
    server holds differently (fewer triples, literals of another datatype).
    """
    from diplograph.endpoint import PUSH_METHODS, Endpoint
    from diplograph.errors import UsageError
    from diplograph.push import push_project

    if method not in PUSH_METHODS:
        raise UsageError(f"--method {method!r}: choose one of {', '.join(PUSH_METHODS)}")
    target = Endpoint.from_url(endpoint, update=update, gsp=gsp, timeout=timeout, user=user, password=password)
    target.ping()
    pushed = push_project(Project.find(), target, files or None, method=method)
    verb = "PUT" if method == "gsp" else "DROP+INSERT"
    for graph in pushed:
        where = f" from {display_path(graph.file)}" if graph.file else ""
        typer.echo(f"{verb} {shorten(graph.name)}: {plural(graph.triples, 'triple')}{where}")
        for warning in _changes(graph, method):
            typer.echo(f"warning: {shorten(graph.name)}: {warning}", err=True)
    url = target.gsp if method == "gsp" else target.update
    changed = [g for g in pushed if g.changed]
    note = f"; the server holds {plural(len(changed), 'graph')} differently (see the warnings)" if changed else ""
    typer.echo(f"pushed {plural(len(pushed), 'graph')}, {sum(g.triples for g in pushed)} triples to {url}{note}")


def _changes(graph, method: str) -> list[str]:
    """What the server holds differently from what was sent, one sentence per difference."""
    lines = []
    if graph.stored is not None and graph.stored != graph.triples:
        lines.append(f"the server holds {plural(graph.stored, 'triple')}, {graph.triples} were sent")
    if graph.datatypes:
        counts = ", ".join(f"{shorten(t)} {sent} sent, {stored} stored" for t, sent, stored in graph.datatypes)
        hint = (" (Virtuoso's Graph Store types integers above 2147483647 as xsd:decimal; --method update keeps them)"
                if method == "gsp" else "")
        lines.append(f"the server changed the datatype of literals: {counts}{hint}")
    return lines
