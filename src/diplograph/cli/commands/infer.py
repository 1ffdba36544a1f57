"""`diplograph infer`: materialise OWL-RL inferences and count them."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from diplograph.cli.app import app, console, plural, term
from diplograph.cli.options import (
    DB_OPTION, ENDPOINT_OPTION, ENGINE_OPTION, PASSWORD_OPTION, STORE_OPTION, USER_OPTION, check_engine, open_store,
)
from diplograph.errors import display_path
from diplograph.project import Project


@app.command()
def infer(
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Also write the inferred triples to this TriG file (graph/inferred).",
        show_default=False,
    ),
    store: Optional[str] = STORE_OPTION,
    db: Optional[Path] = DB_OPTION,
    endpoint: Optional[str] = ENDPOINT_OPTION,
    user: Optional[str] = USER_OPTION,
    password: Optional[str] = PASSWORD_OPTION,
    engine: str = ENGINE_OPTION,
) -> None:
    """Run OWL-RL reasoning on the ontology, reference and source graphs, and count what it adds.

    Prints how many triples the reasoner produced, how many were kept and why the rest were
    dropped (reflexive owl:sameAs, axiomatic and schema triples…). Inferred triples go into
    their own named graph, graph/inferred: with --db they stay in the database for later
    commands (`query --infer --db PATH`); on a SPARQL server nothing is written.
    """
    from diplograph.dataset import add_inferred, assemble
    from diplograph.files import write_atomically
    from diplograph.iris import graph_iri
    from diplograph.reasoning import DROP_REASONS
    from diplograph.store import add_graph, new_dataset

    check_engine(engine)
    assembled = assemble(Project.find(), store=open_store(store, db, endpoint, user, password))
    result = add_inferred(assembled, engine, reuse=False)
    table = Table(title="OWL-RL inference", title_justify="left")
    table.add_column("what")
    table.add_column("triples", justify="right")
    for key in ("asserted", "produced", *DROP_REASONS, "kept"):
        label = f"dropped: {key}" if key in DROP_REASONS else key
        table.add_row(label, str(result.counts.get(key, 0)))
    console().print(table)
    for a, b in result.same_as:
        typer.echo(f"warning: owl:sameAs inferred between {term(a)} and {term(b)}: a modelling bug", err=True)
    for message in result.inconsistencies:
        typer.echo(f"warning: the data contradicts the ontology: {message}", err=True)
    if output is not None:
        export = new_dataset("rdflib")
        add_graph(export, graph_iri("inferred"), result.inferred)
        write_atomically(output, export.serialize(format="trig", encoding="utf-8"))
        typer.echo(f"wrote {display_path(output)}")
    typer.echo(
        f"{plural(result.kept, 'triple')} inferred ({result.produced} produced by {result.engine}) in {result.seconds:.1f} s"
    )
