"""`diplograph push`: upload the project's named graphs to a SPARQL server."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from diplograph.cli.app import app, plural
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
) -> None:
    """Upload each named graph (ontology, shapes, reference, sources), replacing it on the server.

    Pushing twice leaves the same triples. Graphs on the server that the project does not
    have are left alone. Prints one line per graph sent.
    """
    from diplograph.endpoint import PUSH_METHODS, Endpoint
    from diplograph.errors import UsageError
    from diplograph.push import push_project

    if method not in PUSH_METHODS:
        raise UsageError(f"--method {method!r}: choose one of {', '.join(PUSH_METHODS)}")
    target = Endpoint.from_url(endpoint, update=update, gsp=gsp, timeout=timeout)
    target.ping()
    pushed = push_project(Project.find(), target, files or None, method=method)
    verb = "PUT" if method == "gsp" else "DROP+INSERT"
    for graph in pushed:
        where = f" from {display_path(graph.file)}" if graph.file else ""
        typer.echo(f"{verb} {shorten(graph.name)}: {plural(graph.triples, 'triple')}{where}")
    url = target.gsp if method == "gsp" else target.update
    typer.echo(f"pushed {plural(len(pushed), 'graph')}, {sum(g.triples for g in pushed)} triples to {url}")
