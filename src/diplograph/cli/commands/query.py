"""`diplograph query`: run a named query, a query file or SPARQL text on the dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from diplograph.cli.app import app, console, plural, term
from diplograph.cli.options import (
    ALLOW_SERVICE_OPTION, DB_OPTION, ENDPOINT_OPTION, PASSWORD_OPTION, STORE_OPTION, USER_OPTION, open_store,
)
from diplograph.errors import QueryError, UsageError, display_path
from diplograph.project import Project

FORMATS = ("table", "csv", "tsv", "json")


@app.command()
def query(
    name: Optional[str] = typer.Argument(
        None, help="A named query (a file stem in queries/, see --list) or a .rq file.", metavar="[NAME|FILE.rq]", show_default=False
    ),
    sparql: Optional[str] = typer.Option(None, "--sparql", help="SPARQL text to run instead of a named query.", show_default=False),
    fmt: str = typer.Option("table", "--format", "-f", help=f"Output format: {', '.join(FORMATS)} (json: SPARQL 1.1 results JSON)."),
    infer: bool = typer.Option(False, "--infer", help="Include OWL-RL inferred triples (graph/inferred); slower."),
    list_: bool = typer.Option(False, "--list", help="List the named queries with their summaries and exit (nothing is run)."),
    allow_service: bool = ALLOW_SERVICE_OPTION,
    timeout: Optional[float] = typer.Option(
        None, "--timeout", min=0.001, metavar="SECONDS",
        help="Stop the query if it has no answer after this many seconds (exit 2). Default: no limit; Ctrl-C stops it.",
        show_default=False,
    ),
    store: Optional[str] = STORE_OPTION,
    db: Optional[Path] = DB_OPTION,
    endpoint: Optional[str] = ENDPOINT_OPTION,
    user: Optional[str] = USER_OPTION,
    password: Optional[str] = PASSWORD_OPTION,
) -> None:
    """Ask the graph a question in SPARQL.

    Queries see the union of all named graphs (ontology, reference, sources;
    with --infer also the inferred triples). A federated query (SERVICE) is
    refused unless --allow-service. Exit status: 0 ok, 2 unknown query name,
    SPARQL syntax error, refused query, unreadable query file or --timeout
    reached, 130 interrupted (Ctrl-C).
    """
    from diplograph.queries import (
        find_query,
        guard_query,
        list_queries,
        run_query,
        to_csv,
        to_json,
        to_tsv,
    )

    project = Project.find()
    if list_:
        _print_list(list_queries(project.queries_dir))
        return
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if (name is None) == (sparql is None):
        raise UsageError("give a query name or file, or --sparql TEXT (not both); see --list")
    try:
        target = sparql if sparql is not None else find_query(name, project.queries_dir)
        text, path = (target, None) if isinstance(target, str) else (target.text, target.path)
        guard_query(text, path=path, allow_service=allow_service)  # before the dataset is loaded
        from diplograph.dataset import assemble

        assembled = assemble(project, store=open_store(store, db, endpoint, user, password), infer=infer)
        result = run_query(assembled, target, allow_service=allow_service, timeout=timeout)
    except QueryError as err:
        typer.echo(f"error: {_located(err)}", err=True)
        raise typer.Exit(err.exit_code)
    if fmt == "csv":
        typer.echo(to_csv(result), nl=False)
    elif fmt == "tsv":
        typer.echo(to_tsv(result), nl=False)
    elif fmt == "json":
        typer.echo(to_json(result), nl=False)
    elif result.boolean is not None:
        typer.echo("true" if result.boolean else "false")
    else:
        table = Table()
        for column in result.columns:
            table.add_column(column, overflow="fold")
        for row in result.rows:
            table.add_row(*(term(t) for t in row))
        console().print(table)
        typer.echo(plural(len(result), "row"))


def _located(err: QueryError) -> str:
    """``file line L, column C: detail`` (the word "line" spelt out for people)."""
    if err.line is None:
        return str(err)
    where = display_path(err.path) if err.path is not None else "query"
    where += f" line {err.line}" + (f", column {err.column}" if err.column is not None else "")
    return f"{where}: {err.detail}"


def _print_list(queries) -> None:
    table = Table()
    table.add_column("query")
    table.add_column("summary", overflow="fold")
    table.add_column("returns", overflow="fold")
    for q in queries:
        table.add_row(q.name + (" (check)" if q.is_check else ""), q.summary, " ".join(f"?{c}" for c in q.returns))
    console().print(table)
    typer.echo(f"{len(queries)} " + ("query" if len(queries) == 1 else "queries"))
