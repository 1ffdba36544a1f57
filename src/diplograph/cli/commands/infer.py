"""`diplograph infer`: materialise OWL-RL inferences and count them."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from diplograph.cli.app import app, console, plural, term
from diplograph.cli.options import DB_OPTION, ENDPOINT_OPTION, STORE_OPTION, open_store
from diplograph.errors import UsageError, display_path
from diplograph.project import Project


@app.command()
def infer(
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Write the inferred triples to this TriG file (graph/inferred).", show_default=False
    ),
    store: Optional[str] = STORE_OPTION,
    db: Optional[Path] = DB_OPTION,
    endpoint: Optional[str] = ENDPOINT_OPTION,
    engine: str = typer.Option(
        "reference", "--engine",
        help="Reasoning engine: reference (owlrl) or fast (the ontology's axioms as SPARQL rules on Oxigraph, the same kept triples).",
    ),
) -> None:
    """Run OWL-RL reasoning (owlrl) on the ontology, reference and source graphs.

    Prints how many triples owlrl produced, how many were kept and why the
    rest were dropped (reflexive owl:sameAs, axiomatic and schema triples…).
    Inferred triples go into their own named graph, graph/inferred.
    """
    from diplograph.infer import DROP_REASONS, materialise
    from diplograph.iris import graph_iri
    from diplograph.store import load_project_dataset

    loaded = load_project_dataset(Project.find(), store=open_store(store, db, endpoint))
    if engine not in ("reference", "fast"):
        raise UsageError(f"--engine must be 'reference' or 'fast', not {engine!r}")
    result = materialise(loaded, engine=engine)
    table = Table(title="OWL-RL inference", title_justify="left")
    table.add_column("what")
    table.add_column("triples", justify="right")
    for key in ("asserted", "produced", *DROP_REASONS, "kept"):
        label = f"dropped: {key}" if key in DROP_REASONS else key
        table.add_row(label, str(result.counts.get(key, 0)))
    console().print(table)
    for a, b in result.same_as:
        typer.echo(f"warning: owl:sameAs inferred between {term(a)} and {term(b)}: a modelling bug", err=True)
    if output is not None:
        from diplograph.store import add_graph, new_dataset

        export = new_dataset("rdflib")
        add_graph(export, graph_iri("inferred"), result.inferred)
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(f".{output.name}.tmp")
        export.serialize(destination=tmp, format="trig", encoding="utf-8")
        tmp.replace(output)
        typer.echo(f"wrote {display_path(output)}")
    typer.echo(
        f"{plural(result.kept, 'triple')} inferred ({result.produced} produced by {result.engine}) in {result.seconds:.1f} s"
    )
