"""Options shared by every command that reads the dataset: where it is stored.

Use them in a command like this::

    from diplograph.cli.options import DB_OPTION, ENDPOINT_OPTION, STORE_OPTION, open_store

    @app.command()
    def mycommand(
        store: Optional[str] = STORE_OPTION,
        db: Optional[Path] = DB_OPTION,
        endpoint: Optional[str] = ENDPOINT_OPTION,
    ) -> None:
        assembled = assemble(Project.find(), store=open_store(store, db, endpoint))

``open_store`` only checks the combination and (for ``--endpoint``) that the
server answers; errors are :mod:`diplograph.errors` exceptions the CLI turns
into one ``error:`` line and exit status 2.
"""

from __future__ import annotations

from pathlib import Path

import typer

from diplograph.store import ALL_STORES, StoreSpec, store_spec

__all__ = ["ALLOW_SERVICE_OPTION", "DB_OPTION", "ENDPOINT_OPTION", "ENGINE_OPTION", "STORE_OPTION", "check_engine", "open_store"]

STORE_OPTION = typer.Option(
    None,
    "--store",
    help=(
        f"Where the dataset lives: {', '.join(ALL_STORES)}. memory (default): Oxigraph in memory; "
        "rdflib: pure-Python reference store; oxigraph: Oxigraph on disk (--db); "
        "sparql: a SPARQL 1.1 server (--endpoint). Default: oxigraph with --db, sparql with --endpoint, else memory."
    ),
    metavar="KIND",
    show_default=False,
)
DB_OPTION = typer.Option(
    None,
    "--db",
    help="Folder of an Oxigraph database (created if missing); kept between commands and synced with the files.",
    metavar="PATH",
    show_default=False,
)
ENDPOINT_OPTION = typer.Option(
    None,
    "--endpoint",
    help="URL of a SPARQL 1.1 query service holding the project's graphs (upload them with `diplograph push`).",
    metavar="URL",
    show_default=False,
)


def open_store(store: str | None = None, db: Path | None = None, endpoint: str | None = None) -> StoreSpec:
    """Check ``--store``/``--db``/``--endpoint`` and return the :class:`~diplograph.store.StoreSpec` to load with.

    With ``--endpoint`` the server is asked ``ASK {}`` once, so an unreachable
    server is reported (naming the URL) before any work starts.
    """
    spec = store_spec(store, db, endpoint)
    if spec.kind == "sparql":
        spec.endpoint_urls().ping()
    return spec


ALLOW_SERVICE_OPTION = typer.Option(
    False,
    "--allow-service",
    help=(
        "Run federated queries: let the query engine send the requests a SERVICE clause asks for. "
        "Refused by default, because a query file can make this machine call any address it names."
    ),
)

ENGINE_OPTION = typer.Option(
    "reference",
    "--engine",
    help=(
        "Engines for validation and reasoning: reference (pyshacl, owlrl) or fast (the shapes compiled to "
        "SPARQL and the ontology's rules as SPARQL updates on Oxigraph: the same results; what the fast "
        "validator cannot compile is checked by pyshacl)."
    ),
    metavar="reference|fast",
)


def check_engine(engine: str) -> str:
    """Refuse an unknown ``--engine`` before any work starts (an :class:`~diplograph.errors.UnknownEngineError`)."""
    from diplograph.reasoning import reasoner
    from diplograph.validation import validator

    validator(engine)
    reasoner(engine)
    return engine
