"""`diplograph query`: run a named query, a query file or SPARQL text on the dataset."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import List, Optional

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
    list_: bool = typer.Option(
        False, "--list", help="List the named queries with their summaries and parameters and exit (nothing is run)."),
    params: Optional[List[str]] = typer.Option(
        None, "--param", "-p", metavar="NAME=VALUE",
        help="Give a parameter of the query (a variable of its VALUES line, see --list) another value: "
        "state=KAZ, state=id:state/KAZ or a full IRI. Repeat it for several parameters, or several values of one.",
        show_default=False,
    ),
    lang: Optional[str] = typer.Option(
        None, "--lang", metavar="TAG",
        help="Language of the labels, for queries with a ?lang parameter (default en; "
        "a thing without a label in it gets its English or untagged one).",
        show_default=False,
    ),
    data: Optional[Path] = typer.Option(
        None, "--data", metavar="FILE",
        help="Query this TriG or N-Quads file (a `diplograph merge` output, out/dataset.nq) instead of the project's graphs "
        "(with the project's ontology, for the labels of its terms, if the file lacks it).",
        show_default=False,
    ),
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
    refused unless --allow-service. A .rq file of your own needs no
    '#+' header. Exit status: 0 ok, 2 unknown query name or parameter, bad
    parameter value, SPARQL syntax error, refused query, unreadable query or
    data file or --timeout reached, 130 interrupted (Ctrl-C).
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
    if data is not None and (infer or store or db or endpoint):
        raise UsageError("--data queries the file alone: leave out --infer, --store, --db and --endpoint")
    try:
        target = sparql if sparql is not None else find_query(name, project.queries_dir)
        text, path = (target, None) if isinstance(target, str) else (target.text, target.path)
        text = _bound(text, path, params or [], lang)
        guard_query(text, path=path, allow_service=allow_service)  # before the dataset is loaded
        target = text if isinstance(target, str) else dataclasses.replace(target, text=text)
        from diplograph.dataset import assemble, load_data_file

        if data is not None:
            assembled = load_data_file(data, ontology=project.ontology_files)
        else:
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


def _bound(text: str, path: Optional[Path], params: List[str], lang: Optional[str]) -> str:
    """The query text with the --param values (and --lang, as the ``lang`` parameter) in its VALUES blocks."""
    from diplograph.query_parameters import bind, parameters, split_assignment

    assignments = [split_assignment(p) for p in params]
    if lang is not None:
        if not any(p.name == "lang" for p in parameters(text, path=path)):
            typer.echo("note: this query has no ?lang parameter (its labels are not chosen by language); --lang changes nothing", err=True)
        else:
            assignments.append(("lang", lang))
    return bind(text, assignments, path=path)


def _located(err: QueryError) -> str:
    """``file line L, column C: detail`` (the word "line" spelt out for people)."""
    if err.line is None:
        return str(err)
    where = display_path(err.path) if err.path is not None else "query"
    where += f" line {err.line}" + (f", column {err.column}" if err.column is not None else "")
    return f"{where}: {err.detail}"


def _print_list(queries) -> None:
    from diplograph.query_parameters import parameters

    table = Table()
    table.add_column("query")
    table.add_column("summary", overflow="fold")
    table.add_column("returns", overflow="fold")
    table.add_column("parameters (--param NAME=VALUE; default shown)", overflow="fold")
    for q in queries:
        shown = " ".join(p.shown() for p in parameters(q.text, path=q.path))
        table.add_row(q.name + (" (check)" if q.is_check else ""), q.summary, " ".join(f"?{c}" for c in q.returns), shown)
    console().print(table)
    typer.echo(f"{len(queries)} " + ("query" if len(queries) == 1 else "queries"))
