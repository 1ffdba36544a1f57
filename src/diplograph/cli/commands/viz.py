"""`diplograph viz`: write the interactive network of the graphs as one offline HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from diplograph.cli.app import app
from diplograph.cli.options import DB_OPTION, ENDPOINT_OPTION, PASSWORD_OPTION, STORE_OPTION, USER_OPTION, open_store
from diplograph.errors import display_path
from diplograph.project import Project


@app.command()
def viz(
    output: Optional[Path] = typer.Option(
        None, "-o", "--output", help="HTML file to write. Default: out/network.html in the project.", show_default=False
    ),
    focus: Optional[str] = typer.Option(
        None, "--focus", help="Draw only the neighbourhood of this state or person (label, ISO code or IRI).", show_default=False
    ),
    until: Optional[str] = typer.Option(
        None,
        "--until",
        help="Show the network as of this day (YYYY-MM-DD): leave out what is not certain to have happened by then.",
        show_default=False,
    ),
    radius: int = typer.Option(1, "--radius", min=0, help="With --focus: how many steps around the entity to draw."),
    view: str = typer.Option(
        "auto",
        "--view",
        help="overview: states and one line per bilateral relationship; detail: every person, event and statement; "
        "auto: the overview when there are more than 12 relationships (and no --focus or --until).",
    ),
    fmt: str = typer.Option(
        "html",
        "--format",
        help="html: the interactive page; graphml (for Gephi) or csv (NAME-nodes.csv and NAME-edges.csv): the network as data.",
    ),
    store: Optional[str] = STORE_OPTION,
    db: Optional[Path] = DB_OPTION,
    endpoint: Optional[str] = ENDPOINT_OPTION,
    user: Optional[str] = USER_OPTION,
    password: Optional[str] = PASSWORD_OPTION,
) -> None:
    """Write the network of states, people, organisations, events and the relationship as HTML.

    The page is one self-contained file (no network requests): search and select
    menu, filter by kind, tooltips with each statement's sources. With more than 12 bilateral
    relationships it is a world overview (states, one line per relationship; click one for its
    own network) unless --view detail. --format graphml|csv writes the network as data instead.
    Exit status: 0 written, 2 an unknown --focus (close matches are listed), a bad --until date,
    --view or --format, or an unreadable graph.
    """
    from diplograph.dataset import assemble
    from diplograph.errors import BadValueError
    from diplograph.export import FORMATS, export_network
    from diplograph.projection import parse_until
    from diplograph.viz import VIEWS, write_network_html

    # Bad options fail before anything is loaded.
    if until is not None:
        parse_until(until)
    if view not in VIEWS:
        raise BadValueError("--view", view, "one of " + ", ".join(VIEWS))
    if fmt != "html" and fmt not in FORMATS:
        raise BadValueError("--format", fmt, "one of html, " + ", ".join(FORMATS))
    project = Project.find()
    default = "network.html" if fmt == "html" else f"network.{fmt}"
    target = output if output is not None else project.out_dir / default
    assembled = assemble(project, store=open_store(store, db, endpoint, user, password))
    if fmt == "html":
        paths = [write_network_html(assembled, target, focus=focus, until=until, radius=radius, view=view)]
    else:
        paths = export_network(assembled, target, fmt, focus=focus, until=until, radius=radius, view=view)
    for path in paths:
        typer.echo(f"wrote {display_path(path)}")
