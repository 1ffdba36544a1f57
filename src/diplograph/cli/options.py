"""Options shared by every command that reads the dataset: where it is stored.

Use them in a command like this::

    from diplograph.cli.options import (
        DB_OPTION, ENDPOINT_OPTION, PASSWORD_OPTION, STORE_OPTION, USER_OPTION, open_store,
    )

    @app.command()
    def mycommand(
        store: Optional[str] = STORE_OPTION,
        db: Optional[Path] = DB_OPTION,
        endpoint: Optional[str] = ENDPOINT_OPTION,
        user: Optional[str] = USER_OPTION,
        password: Optional[str] = PASSWORD_OPTION,
    ) -> None:
        assembled = assemble(Project.find(), store=open_store(store, db, endpoint, user, password))

Every command taking ``--endpoint`` takes ``--user`` and ``--password`` too
(``tests/test_endpoint.py`` checks). ``open_store`` only checks the combination
and (for ``--endpoint``) that the server answers; errors are
:mod:`diplograph.errors` exceptions the CLI turns into one ``error:`` line and
exit status 2.
"""

from __future__ import annotations

from pathlib import Path

import typer

from diplograph.store import ALL_STORES, StoreSpec, store_spec

__all__ = [
    "ALLOW_SERVICE_OPTION",
    "DB_OPTION",
    "ENDPOINT_OPTION",
    "ENGINE_OPTION",
    "PASSWORD_ENV",
    "PASSWORD_OPTION",
    "STORE_OPTION",
    "USER_ENV",
    "USER_OPTION",
    "check_engine",
    "open_store",
]

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

#: Environment variables the credential options are read from when not given.
USER_ENV, PASSWORD_ENV = "DIPLOGRAPH_USER", "DIPLOGRAPH_PASSWORD"
USER_OPTION = typer.Option(
    None,
    "--user",
    envvar=USER_ENV,
    show_envvar=True,
    help="User name for a server asking for HTTP Basic or Digest authentication (Virtuoso's writes). "
    "Default: the user of the URL's user:password@, or of the server's ~/.netrc ($NETRC) entry.",
    metavar="NAME",
    show_default=False,
)
PASSWORD_OPTION = typer.Option(
    None,
    "--password",
    envvar=PASSWORD_ENV,
    show_envvar=True,
    help="Password for --user. Prefer the environment variable or ~/.netrc: other users of the machine "
    "can read a command line. Never printed.",
    metavar="TEXT",
    show_default=False,
)


def open_store(
    store: str | None = None,
    db: Path | None = None,
    endpoint: str | None = None,
    user: str | None = None,
    password: str | None = None,
) -> StoreSpec:
    """Check ``--store``/``--db``/``--endpoint`` and return the :class:`~diplograph.store.StoreSpec` to load with.

    With ``--endpoint`` the server is asked ``ASK {}`` once (with ``--user``/``--password``,
    or the URL's or ``.netrc``'s credentials), so an unreachable server is reported (naming
    the URL) before any work starts.
    """
    spec = store_spec(store, db, endpoint, user=user, password=password)
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
    "fast",
    "--engine",
    help=(
        "Engines for validation and reasoning: fast (the default: the shapes compiled to SPARQL and the "
        "ontology's rules as SPARQL updates, on Oxigraph; what the fast validator does not compile exactly "
        "is checked by pyshacl, and an axiom the fast reasoner does not handle is refused by name) or "
        "reference (pyshacl and owlrl, the engines the fast ones are tested against)."
    ),
    metavar="fast|reference",
)


def check_engine(engine: str) -> str:
    """Refuse an unknown ``--engine`` before any work starts (an :class:`~diplograph.errors.UnknownEngineError`)."""
    from diplograph.reasoning import reasoner
    from diplograph.validation import validator

    validator(engine)
    reasoner(engine)
    return engine
