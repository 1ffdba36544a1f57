"""`diplograph summary`: count what the dataset holds."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from diplograph.cli.app import app, console, count_table, plural
from diplograph.cli.options import DB_OPTION, ENDPOINT_OPTION, PASSWORD_OPTION, STORE_OPTION, USER_OPTION, open_store
from diplograph.errors import display_path
from diplograph.project import Project
from diplograph.terms import shorten


@app.command()
def summary(
    store: Optional[str] = STORE_OPTION,
    db: Optional[Path] = DB_OPTION,
    endpoint: Optional[str] = ENDPOINT_OPTION,
    user: Optional[str] = USER_OPTION,
    password: Optional[str] = PASSWORD_OPTION,
) -> None:
    """Load the ontology and every graph, and count what they hold.

    Prints the number of triples in each named graph (with the file it came
    from) and the number of instances of each dg: class.
    """
    from diplograph.dataset import assemble
    from diplograph.summary import summarise

    result = summarise(assemble(Project.find(), store=open_store(store, db, endpoint, user, password)))
    out = console()
    graphs = Table(title="Named graphs", title_justify="left")
    graphs.add_column("graph")
    graphs.add_column("file")
    graphs.add_column("triples", justify="right")
    for g in result.graphs:
        graphs.add_row(shorten(g.name), display_path(g.file) if g.file else "", str(g.triples))
    out.print(graphs)
    out.print(count_table("Instances per dg: class", "class", ((shorten(c), n) for c, n in result.class_counts), "instances"))
    typer.echo(f"{result.total_triples} distinct triples in {plural(len(result.graphs), 'named graph')}")


