"""`diplograph new`: scaffold the graph of a new bilateral relationship."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from diplograph.cli.app import app
from diplograph.errors import PathNotFoundError, display_path


@app.command()
def new(
    state_a: str = typer.Argument(..., metavar="ISO3", help="ISO 3166-1 alpha-3 code of one state, e.g. CHN."),
    state_b: str = typer.Argument(..., metavar="ISO3", help="ISO 3166-1 alpha-3 code of the other state, e.g. KAZ."),
    source_title: str = typer.Option(..., "--source-title", help="Title (headline) of the source document."),
    source_url: Optional[str] = typer.Option(None, "--source-url", help="Address of the source document.", show_default=False),
    source_file: Optional[Path] = typer.Option(
        None, "--source-file", metavar="PATH.txt",
        help="The source's text (line 1 the title): its sentences are written as dg:Sentence nodes.", show_default=False),
    output: Optional[Path] = typer.Option(
        None, "-o", "--output", help="File to write. Default: graphs/{state-a}-{state-b}.ttl, e.g. graphs/china-kazakhstan.ttl.",
        show_default=False),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Scaffold a Turtle graph for the relationship between two states.

    Writes the source document, its author, the relationship node id/relationship/{ISO3}-{ISO3}
    with its provenance, the source's sentences (with --source-file), the IRIs the dataset already
    has for the two states (their posts and holders, shared organisations, events involving
    either), and commented examples of every kind of statement, with IRIs as docs/conventions.md
    says. The file validates as written; `diplograph validate FILE` then says
    what is missing as you fill it in. Exit status: 0 written, 2 unknown state code, existing
    file (without --force) or bad arguments.
    """
    from diplograph.dataset import assemble
    from diplograph.known import known_about
    from diplograph.project import Project
    from diplograph.scaffold import default_output, known_states, scaffold_relationship

    project = Project.find()
    states_file = project.reference_dir / "states.ttl"
    if not states_file.is_file():
        raise PathNotFoundError(states_file, "no reference states graph; run `diplograph reference` first")
    if output is None:
        states = known_states(states_file)
        a, b = state_a.strip().upper(), state_b.strip().upper()
        output = default_output(project.graphs_dir, a, b, states) if a in states and b in states else project.graphs_dir / "x.ttl"
    states = known_states(states_file)
    a, b = state_a.strip().upper(), state_b.strip().upper()
    # What the dataset already knows, so the new graph reuses its IRIs (codes checked by the scaffold first).
    # The file being written is left out: it may be an old scaffold that --force replaces.
    others = [f for f in sorted(project.graphs_dir.glob("*.ttl")) if f.resolve() != output.resolve()]
    # With no other source graph yet, the reference graphs alone (assemble refuses an empty list).
    files = others or list(project.reference_files)
    known = known_about(assemble(project, files), a, b) if a in states and b in states and a != b else None
    result = scaffold_relationship(
        state_a, state_b, states_file=states_file, output=output, source_title=source_title,
        source_url=source_url, source_file=source_file, force=force, known=known,
    )
    extra = f", {result.sentences} sentences" if source_file is not None else ""
    typer.echo(f"wrote {display_path(result.path)} (relationship id:relationship/{result.relationship}{extra})")
    # Validated with the other graphs: the IRIs the file reuses (people, events) are described there.
    inside = result.path.resolve().parent == project.graphs_dir.resolve()
    check = "diplograph validate" if inside else f"diplograph validate {display_path(project.graphs_dir)}/ {display_path(result.path)}"
    typer.echo(f"next: fill in the commented examples, then run `{check}` (this file with the graphs whose IRIs it reuses)")
