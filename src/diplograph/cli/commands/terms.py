"""`diplograph terms`: the ontology's classes, properties, concept schemes and collections, searchable."""

from __future__ import annotations

import json
from typing import Optional

import typer
from rich.table import Table

from diplograph.cli.app import app, console
from diplograph.errors import UsageError
from diplograph.project import Project

FORMATS = ("table", "json")


@app.command()
def terms(
    word: Optional[str] = typer.Argument(
        None, help="Show only the terms whose name, label or definition holds this word (case and accents ignored).",
        show_default=False,
    ),
    fmt: str = typer.Option("table", "--format", "-f", help=f"Output format: {', '.join(FORMATS)}."),
) -> None:
    """List the vocabulary to write graphs with: classes, properties (domain, range, definition), concept
    schemes, and the collections that group concepts.

    Read from ontology/*.ttl; only the dg: terms (the W3C terms the ontology
    reuses are documented by their own vocabularies). Exit status: 0 (also when
    nothing matches: the message says so), 2 an unreadable ontology or bad arguments.
    """
    from diplograph.loading import load_graph
    from diplograph.vocabulary import read_vocabulary, search

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    project = Project.find()
    ontology = load_graph(project.ontology_file)
    for extra in project.ontology_files:
        if extra != project.ontology_file:
            ontology += load_graph(extra)
    found = search(read_vocabulary(ontology), word)
    if fmt == "json":
        typer.echo(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
        return
    if not len(found):
        typer.echo(f"no class, property, concept or collection of the ontology mentions {word!r}")
        return
    out = console()
    if found.classes:
        table = Table(title=f"Classes ({len(found.classes)})", title_justify="left")
        for column in ("class", "label", "definition"):
            table.add_column(column, overflow="fold")
        for t in found.classes:
            table.add_row(t.name, t.label, t.definition)
        out.print(table)
    if found.properties:
        table = Table(title=f"Properties ({len(found.properties)})", title_justify="left")
        for column in ("property", "domain", "range", "definition"):
            table.add_column(column, overflow="fold")
        for p in found.properties:
            table.add_row(p.name, p.domain, p.range, p.definition)
        out.print(table)
    for scheme in found.schemes:
        table = Table(title=f"{scheme.name} ({scheme.label}): {scheme.definition}", title_justify="left")
        for column in ("concept", "label", "definition"):
            table.add_column(column, overflow="fold")
        for c in scheme.concepts:
            table.add_row(c.name, c.label, c.definition)
        out.print(table)
    if found.collections:
        table = Table(title=f"Collections of concepts ({len(found.collections)})", title_justify="left")
        for column in ("collection", "members", "definition"):
            table.add_column(column, overflow="fold")
        for c in found.collections:
            table.add_row(c.name, ", ".join(c.members), c.definition)
        out.print(table)
    n = len(found.classes), len(found.properties), len(found.schemes), sum(len(s.concepts) for s in found.schemes)
    typer.echo(f"{n[0]} classes, {n[1]} properties, {n[2]} concept schemes ({n[3]} concepts), "
               f"{len(found.collections)} collections")
