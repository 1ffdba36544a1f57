"""`diplograph stats`: counts by class and graph, and the most connected entities."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from diplograph.cli.app import app, console, term
from diplograph.cli.options import DB_OPTION, ENDPOINT_OPTION, STORE_OPTION, open_store
from diplograph.project import Project


@app.command()
def stats(
    top: int = typer.Option(10, "--top", help="How many of the most connected entities to show.", min=0),
    store: Optional[str] = STORE_OPTION,
    db: Optional[Path] = DB_OPTION,
    endpoint: Optional[str] = ENDPOINT_OPTION,
) -> None:
    """Count instances per class and triples per named graph, and rank entities by connections.

    The ranking uses a network of states, people, organisations, events and
    relationships (an edge where a statement or event links two of them),
    with degree and betweenness centrality.
    """
    from diplograph.stats import stats as compute
    from diplograph.store import load_project_dataset

    result = compute(load_project_dataset(Project.find(), store=open_store(store, db, endpoint)), top=top)
    out = console()
    graphs = Table(title="Triples per named graph", title_justify="left")
    graphs.add_column("graph")
    graphs.add_column("triples", justify="right")
    for name, n in result.graph_counts:
        graphs.add_row(term(name), str(n))
    out.print(graphs)
    classes = Table(title="Instances per class", title_justify="left")
    classes.add_column("class")
    classes.add_column("instances", justify="right")
    for cls, n in result.class_counts:
        classes.add_row(term(cls), str(n))
    out.print(classes)
    ranked = Table(title=f"Most connected entities ({result.nodes} nodes, {result.edges} edges)", title_justify="left")
    for column in ("entity", "kind", "degree", "degree centrality", "betweenness"):
        ranked.add_column(column, justify="left" if column in ("entity", "kind") else "right")
    for c in result.top:
        ranked.add_row(c.label, c.kind, str(c.degree), f"{c.degree_centrality:.3f}", f"{c.betweenness:.3f}")
    out.print(ranked)
