"""`diplograph reference`: rebuild the reference graphs."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from diplograph.cli.app import app
from diplograph.errors import PathNotFoundError, display_path
from diplograph.project import SHARED_ENV, Project


@app.command()
def reference(
    shared: Optional[Path] = typer.Option(
        None,
        "--shared",
        help=f"Folder of shared reference tables (country-codes.csv, …). Default: ../shared/reference, or ${SHARED_ENV}/reference.",
        show_default=False,
    ),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Folder to write the reference graphs to. Default: graphs/reference.", show_default=False
    ),
) -> None:
    """Build the reference graphs (states, organisations, places, memberships).

    Reads the shared reference tables and the project's curated reference/*.csv,
    and writes one Turtle file per kind of reference data; prints each file written.
    """
    project = Project.find()
    shared_dir = shared or project.shared_reference_dir
    if not shared_dir.is_dir():
        raise PathNotFoundError(shared_dir, "no such folder (the shared reference tables)")
    from diplograph.reference import (
        write_reference_graphs,  # lazy: only this command needs it
    )

    written = write_reference_graphs(shared_dir, project.curated_reference_dir, out or project.reference_dir)
    for path in written:
        typer.echo(f"wrote {display_path(path)}")


