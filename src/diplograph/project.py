"""Where a diplograph project's files are.

A project is a folder holding ``ontology/diplograph.ttl``; everything else
(shapes, graphs, queries, source texts, vendored upstream data, outputs) sits at
fixed places below it, so a clone of the repository needs nothing beside it.
:class:`Project` turns those conventions into paths so no other module
hard-codes them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from diplograph.errors import ProjectNotFoundError

__all__ = ["HOME_ENV", "ONTOLOGY_FILE", "Project"]

#: Environment variable naming the project folder; wins over the search.
HOME_ENV = "DIPLOGRAPH_HOME"
#: The file whose presence marks a project folder.
ONTOLOGY_FILE = Path("ontology") / "diplograph.ttl"


def _is_project(folder: Path) -> bool:
    return (folder / ONTOLOGY_FILE).is_file()


# Shapes for the ontology itself (every term labelled and defined), run on the ontology graph alone.
ONTOLOGY_CHECKS_FILE = "ontology-checks.ttl"


@dataclass(frozen=True)
class Project:
    """The folders and files of one diplograph project.

    Build one with :meth:`find` (the usual way) or ``Project(Path(...))``.
    File lists are read from disk each time they are asked for, sorted by
    name so every run loads files in the same order.
    """

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """Locate the project folder.

        In order: the folder named by ``$DIPLOGRAPH_HOME``; else ``start``
        (default: the current directory) or the nearest of its parents that
        holds ``ontology/diplograph.ttl``; else the repository this package
        was installed from in editable mode.

        Raises :class:`~diplograph.errors.ProjectNotFoundError` when none fits,
        or when ``$DIPLOGRAPH_HOME`` is set to a folder that is not a project
        (a mistyped variable should not silently fall back elsewhere).
        """
        home = os.environ.get(HOME_ENV)
        if home:
            root = Path(home).expanduser().resolve()
            if not _is_project(root):
                raise ProjectNotFoundError(
                    root, f"${HOME_ENV} names this folder, but it holds no {ONTOLOGY_FILE.as_posix()}"
                )
            return cls(root)
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if _is_project(folder):
                return cls(folder)
        # src/diplograph/project.py -> the repository root (editable install).
        installed_from = Path(__file__).resolve().parents[2]
        if _is_project(installed_from):
            return cls(installed_from)
        raise ProjectNotFoundError(
            here,
            f"no {ONTOLOGY_FILE.as_posix()} here or in any parent folder; "
            f"run inside a diplograph project or set ${HOME_ENV}",
        )

    # --- ontology and shapes -------------------------------------------------

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def ontology_file(self) -> Path:
        """The main ontology file, ``ontology/diplograph.ttl``."""
        return self.root / ONTOLOGY_FILE

    @property
    def ontology_files(self) -> list[Path]:
        """``ontology/*.ttl``: all loaded into the one ontology graph."""
        return sorted(self.ontology_dir.glob("*.ttl"))

    @property
    def shapes_dir(self) -> Path:
        return self.ontology_dir / "shapes"

    @property
    def shapes_files(self) -> list[Path]:
        """``ontology/shapes/*.ttl`` but the ontology checks: the SHACL shapes graphs are validated against."""
        return sorted(p for p in self.shapes_dir.glob("*.ttl") if p.name != ONTOLOGY_CHECKS_FILE)

    @property
    def ontology_check_files(self) -> list[Path]:
        """``ontology/shapes/ontology-checks.ttl``: shapes that check the ontology itself, not instance data."""
        return [p for p in [self.shapes_dir / ONTOLOGY_CHECKS_FILE] if p.is_file()]

    # --- graphs --------------------------------------------------------------

    @property
    def graphs_dir(self) -> Path:
        return self.root / "graphs"

    @property
    def source_files(self) -> list[Path]:
        """``graphs/*.ttl`` (not recursive): one graph per source document."""
        return sorted(self.graphs_dir.glob("*.ttl"))

    @property
    def reference_dir(self) -> Path:
        return self.graphs_dir / "reference"

    @property
    def reference_files(self) -> list[Path]:
        """``graphs/reference/*.ttl``: generated graphs of outside facts (states, organisations…)."""
        return sorted(self.reference_dir.glob("*.ttl"))

    @property
    def curated_reference_dir(self) -> Path:
        """``reference/``: curated CSV facts the project adds, each row with its source."""
        return self.root / "reference"

    # --- queries and outputs -------------------------------------------------

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def checks_dir(self) -> Path:
        """``queries/checks``: ``*-violation.rq`` queries that must return no rows."""
        return self.queries_dir / "checks"

    @property
    def out_dir(self) -> Path:
        """``out/``: everything the tool writes (not under version control)."""
        return self.root / "out"

    # --- source texts and vendored upstream data ------------------------------

    @property
    def sources_dir(self) -> Path:
        """``sources/``: the texts of the source documents the graphs were written from."""
        return self.root / "sources"

    @property
    def vendor_dir(self) -> Path:
        """``vendor/``: third-party data copied unchanged, each folder with its provenance README."""
        return self.root / "vendor"

    @property
    def upstream_reference_dir(self) -> Path:
        """``vendor/reference``: upstream reference tables (ISO country codes, CAMEO, W3C vocabularies)."""
        return self.vendor_dir / "reference"
