"""`diplograph serve`: a local SPARQL endpoint (Oxigraph's server) loaded with the dataset."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Optional

import typer

from diplograph.cli.app import app, plural
from diplograph.errors import display_path
from diplograph.project import Project


@app.command()
def serve(
    db: Optional[Path] = typer.Option(
        None, "--db", metavar="PATH", help="Oxigraph database folder to load and serve. Default: out/oxigraph.",
        show_default=False,
    ),
    bind: str = typer.Option("127.0.0.1:7878", "--bind", metavar="HOST:PORT", help="Address to listen on."),
    allow_update: bool = typer.Option(
        False, "--allow-update", help="Accept SPARQL UPDATE and Graph Store writes (read-only otherwise)."
    ),
    timeout: float = typer.Option(30.0, "--timeout", metavar="SECONDS", help="Stop any query running longer."),
    infer: bool = typer.Option(False, "--infer", help="Compute the OWL-RL entailments into graph/inferred first."),
    log: bool = typer.Option(False, "--log", help="Print one line per request on standard error."),
) -> None:
    """Load the dataset into an Oxigraph database and serve it as a SPARQL 1.1 endpoint.

    Queries: <URL>/query (SPARQL 1.1 Protocol, the default graph is the union of all graphs);
    graphs: <URL>/store?graph=IRI (Graph Store Protocol); query UI: <URL>/. Read-only unless
    --allow-update; SERVICE (federated) queries are refused; a query past --timeout is stopped.
    Runs until interrupted (Ctrl-C).
    """
    from diplograph.serve import SparqlServer, default_db, prepare_db

    project = Project.find()
    location = db or default_db(project)
    counts = prepare_db(project, location, infer=infer)
    typer.echo(
        f"loaded {plural(len(counts), 'named graph')}, {sum(counts.values())} triples into {display_path(location)}"
    )
    server = SparqlServer(location, bind=bind, allow_update=allow_update, timeout=timeout, log=log)

    def _stop(signum, frame):  # SIGTERM: leave serve_forever through the finally below
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.start()
        mode = "read-write" if allow_update else "read-only"
        typer.echo(
            f"serving {server.url}/query ({mode}, timeout {timeout:g} s); graph store {server.url}/store; "
            f"query UI {server.url}/ — Ctrl-C to stop",
        )
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    typer.echo("stopped")
