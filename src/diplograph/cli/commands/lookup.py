"""`diplograph lookup`: entities of the dataset by label, alias, ISO code or Wikidata QID."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from diplograph.cli.app import app, console
from diplograph.cli.options import DB_OPTION, ENDPOINT_OPTION, PASSWORD_OPTION, STORE_OPTION, USER_OPTION, open_store
from diplograph.errors import UsageError, display_path
from diplograph.project import Project
from diplograph.terms import shorten

FORMATS = ("table", "json")


@app.command()
def lookup(
    text: str = typer.Argument(..., help="A name or part of one (any language; case and accents ignored), an alias, "
                               "an ISO code (AZE, AZ, 031), an acronym (SCO) or a Wikidata QID (Q227)."),
    fmt: str = typer.Option("table", "--format", "-f", help=f"Output format: {', '.join(FORMATS)}."),
    store: Optional[str] = STORE_OPTION,
    db: Optional[Path] = DB_OPTION,
    endpoint: Optional[str] = ENDPOINT_OPTION,
    user: Optional[str] = USER_OPTION,
    password: Optional[str] = PASSWORD_OPTION,
) -> None:
    """Find the IRI of a state, person, organisation, event… already in the dataset, to reuse it in a new graph.

    Searches the source and reference graphs. Prints each entity's IRI, kinds,
    what matched, and the files it appears in. Exit status: 0 (also when
    nothing is found: the message says so), 2 bad arguments.
    """
    from diplograph.dataset import assemble
    from diplograph.lookup import lookup as find

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    assembled = assemble(Project.find(), store=open_store(store, db, endpoint, user, password))
    matches = find(assembled, text)
    files = {g: display_path(p) for g, p in assembled.graph_files.items()}
    if fmt == "json":
        typer.echo(json.dumps([m.as_json(files) for m in matches], ensure_ascii=False, indent=2))
        return
    if not matches:
        typer.echo(f"nothing in the dataset matches {text!r} (labels, aliases, ISO codes, acronyms, Wikidata QIDs)")
        return
    table = Table()
    for column in ("IRI", "label", "kinds", "matched", "files"):
        table.add_column(column, overflow="fold")
    for m in matches:
        table.add_row(shorten(m.iri), m.label, " ".join(shorten(k) for k in m.kinds), "\n".join(m.matched),
                      "\n".join(files.get(g, shorten(g)) for g in m.graphs))
    console().print(table)
    typer.echo("1 match" if len(matches) == 1 else f"{len(matches)} matches")
