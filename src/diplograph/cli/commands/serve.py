"""`diplograph serve`: a local SPARQL endpoint loaded with the dataset, safe to leave running."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from diplograph.cli.app import app, plural
from diplograph.errors import display_path
from diplograph.project import Project


@app.command()
def serve(
    db: Optional[Path] = typer.Option(
        None, "--db", metavar="PATH",
        help="Oxigraph database folder to load and serve. Default: .diplograph/serve-db in the project.",
        show_default=False,
    ),
    bind: str = typer.Option("127.0.0.1:7878", "--bind", metavar="HOST:PORT", help="Address to listen on."),
    allow_update: bool = typer.Option(
        False, "--allow-update", help="Accept SPARQL UPDATE and Graph Store writes (read-only otherwise)."
    ),
    allow_load: bool = typer.Option(
        False, "--allow-load", help="With --allow-update: let `LOAD <url>` fetch URLs (refused otherwise)."
    ),
    allowed_host: Optional[list[str]] = typer.Option(
        None, "--allowed-host", metavar="NAME",
        help="Another host name this server answers to (repeatable); requests naming any other host are refused.",
    ),
    cors: Optional[list[str]] = typer.Option(
        None, "--cors", metavar="ORIGIN",
        help="Let web pages from ORIGIN (e.g. https://example.org, or *) read query answers (repeatable).",
    ),
    timeout: float = typer.Option(30.0, "--timeout", metavar="SECONDS", help="Stop any query running longer."),
    write_timeout: float = typer.Option(
        3600.0, "--write-timeout", metavar="SECONDS", help="Stop any update or upload running longer."
    ),
    read_timeout: float = typer.Option(
        10.0, "--read-timeout", metavar="SECONDS",
        help="Close a connection whose request headers, or any part of its body, take longer to arrive.",
    ),
    engines: Optional[int] = typer.Option(
        None, "--engines", metavar="N", help="Engine processes answering queries. Default: one per core, at most 4.",
        show_default=False,
    ),
    infer: bool = typer.Option(False, "--infer", help="Compute the OWL-RL entailments into graph/inferred first."),
    log: bool = typer.Option(False, "--log", help="Print one line per request on standard error."),
) -> None:
    """Load the dataset into an Oxigraph database and serve it as a SPARQL 1.1 endpoint.

    Queries: <URL>/query (SPARQL 1.1 Protocol; the default graph is the union of all graphs);
    updates: <URL>/update; graphs: <URL>/store?graph=IRI (Graph Store Protocol); query page:
    <URL>/. Read-only unless --allow-update; SERVICE (federated) queries and LOAD are refused;
    only requests naming this server's host are answered; a query past --timeout is stopped.
    Runs until interrupted (Ctrl-C).
    """
    from diplograph.serve import SparqlServer, default_db, named_query_examples, prepare_db
    from diplograph.store.locks import ServerLock

    project = Project.find()
    location = db or default_db(project)
    server = SparqlServer(
        location, bind=bind, allow_update=allow_update, allow_load=allow_load, timeout=timeout,
        write_timeout=write_timeout, read_timeout=read_timeout, engines=engines, allowed_hosts=allowed_host or (), cors=cors or (),
        examples=named_query_examples(project), log=log,
    )
    with ServerLock(location):  # held from before the load: no other server or build rewrites it meanwhile
        counts = prepare_db(project, location, infer=infer)
        typer.echo(
            f"loaded {plural(len(counts), 'named graph')}, {sum(counts.values())} triples into {display_path(location)}"
        )

        def ready(running: SparqlServer) -> None:
            mode = "read-write" if allow_update else "read-only"
            engines_text = plural(running.engines if not allow_update else 1, "engine")
            typer.echo(
                f"serving {running.url}/query ({mode}, {engines_text}, timeout {timeout:g} s); graph store "
                f"{running.url}/store; query page {running.url}/ — Ctrl-C to stop"
            )
            if not running.sandboxed:
                typer.echo(f"note: engines keep network access ({running.why_not_sandboxed}); SERVICE and LOAD "
                           "are still refused by parsing each request", err=True)

        server.run(on_ready=ready)
    typer.echo("stopped")
