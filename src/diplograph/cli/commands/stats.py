"""`diplograph stats`: counts by class and graph, and the most connected entities."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from diplograph.cli.app import app, console, count_table, term
from diplograph.cli.options import DB_OPTION, ENDPOINT_OPTION, PASSWORD_OPTION, STORE_OPTION, USER_OPTION, open_store
from diplograph.project import Project


@app.command()
def stats(
    top: int = typer.Option(10, "--top", help="How many of the most connected entities to show.", min=0),
    store: Optional[str] = STORE_OPTION,
    db: Optional[Path] = DB_OPTION,
    endpoint: Optional[str] = ENDPOINT_OPTION,
    user: Optional[str] = USER_OPTION,
    password: Optional[str] = PASSWORD_OPTION,
) -> None:
    """Count instances per class and triples per named graph, and rank entities by connections.

    The ranking uses a network of states, people, organisations, events and
    relationships (an edge where a statement or event links two of them),
    with degree and betweenness centrality.
    """
    from diplograph.dataset import assemble
    from diplograph.stats import stats as compute

    result = compute(assemble(Project.find(), store=open_store(store, db, endpoint, user, password)), top=top)
    out = console()
    out.print(count_table("Triples per named graph", "graph", ((term(g), n) for g, n in result.graph_counts)))
    out.print(count_table("Instances per class", "class", ((term(c), n) for c, n in result.class_counts), "instances"))
    ranked = Table(title=f"Most connected entities ({result.nodes} nodes, {result.edges} edges)", title_justify="left")
    for column in ("entity", "kind", "degree", "degree centrality", "betweenness"):
        ranked.add_column(column, justify="left" if column in ("entity", "kind") else "right")
    for c in result.top:
        ranked.add_row(c.label, c.kind, str(c.degree), f"{c.degree_centrality:.3f}", f"{c.betweenness:.3f}")
    out.print(ranked)
