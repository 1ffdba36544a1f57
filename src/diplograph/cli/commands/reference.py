"""`diplograph reference`: rebuild the reference graphs."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from diplograph.cli.app import app
from diplograph.errors import PathNotFoundError, display_path
from diplograph.project import Project


@app.command()
def reference(
    upstream: Optional[Path] = typer.Option(
        None,
        "--upstream",
        help="Folder of the upstream reference tables (country-codes.csv, …). Default: vendor/reference in the project.",
        show_default=False,
    ),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Folder to write the reference graphs to. Default: graphs/reference.", show_default=False
    ),
) -> None:
    """Build the reference graphs (states, organisations, places, memberships).

    Reads the upstream tables vendored in vendor/reference (ISO 3166 codes with Wikidata QIDs)
    and the project's curated reference/*.csv,
    and writes one Turtle file per kind of reference data; prints each file written.
    """
    project = Project.find()
    upstream_dir = upstream or project.upstream_reference_dir
    if not upstream_dir.is_dir():
        raise PathNotFoundError(upstream_dir, "no such folder (the upstream reference tables)")
    from diplograph.reference import (
        write_reference_graphs,  # lazy: only this command needs it
    )

    written = write_reference_graphs(upstream_dir, project.curated_reference_dir, out or project.reference_dir)
    for path in written:
        typer.echo(f"wrote {display_path(path)}")


