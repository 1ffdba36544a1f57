"""Shared pytest fixtures: a throw-away copy of a tiny diplograph project per test.

The project under tests/fixtures/project is self-contained (its own small
ontology and shapes), so these tests do not depend on the real ontology.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from diplograph.project import HOME_ENV, Project

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the fixture project; $DIPLOGRAPH_HOME and the cwd point at it."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    monkeypatch.setenv(HOME_ENV, str(root))
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def project(project_dir: Path) -> Project:
    return Project.find()


def write(path: Path, text: str | bytes) -> Path:
    """Write a test file, creating folders; bytes are written as they are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run_cli(
    *args: str, cwd: Path, home: Path | None = None, env: dict[str, str | None] | None = None
) -> subprocess.CompletedProcess:
    """Run the real command line (``python -m diplograph``) in a subprocess.

    ``env`` adds environment variables to the test's own (a value None removes one).
    """
    changes = env or {}
    env = {k: v for k, v in os.environ.items() if k not in (HOME_ENV, "DIPLOGRAPH_DEBUG")}
    if home is not None:
        env[HOME_ENV] = str(home)
    env.update({k: v for k, v in changes.items() if v is not None})
    for name in [k for k, v in changes.items() if v is None]:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "diplograph", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


#: Debian's Chromium, driven by Playwright's Python package (no browser download).
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """The Chromium binary for browser tests.

    Skip rule, in this one place: a browser test is skipped only when Chromium is absent AND
    the environment variable CI is unset; under CI a missing Chromium is a failure.
    """
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing but CI is set: .ci/run must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (set CI=1 to make this a failure)")


#: Debian's Virtuoso (package virtuoso-opensource), for the tests against a real Virtuoso.
VIRTUOSO = Path("/usr/bin/virtuoso-t")


@pytest.fixture(scope="session")
def virtuoso_executable() -> Path:
    """The ``virtuoso-t`` binary for tests against a real Virtuoso (tests/virtuoso_util.py).

    Skip rule, as for Chromium: skipped only when Virtuoso is absent AND the environment
    variable CI is unset; under CI a missing Virtuoso is a failure.
    """
    if VIRTUOSO.exists():
        return VIRTUOSO
    if os.environ.get("CI"):
        pytest.fail(f"{VIRTUOSO} is missing but CI is set: .ci/run must install Debian's virtuoso-opensource")
    pytest.skip(f"{VIRTUOSO} is not installed (set CI=1 to make this a failure)")


# --- store backends (diplograph.store) -------------------------------------------

#: Store kinds every dataset test can run on without a server.
STORE_KINDS = ("memory", "rdflib", "oxigraph")


@pytest.fixture(params=STORE_KINDS)
def store_kind(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A store to load into, once per kind: ``"memory"``, ``"rdflib"``, or an on-disk Oxigraph
    ``StoreSpec`` in a fresh temporary folder. Pass it as ``store=`` to
    ``load_project_dataset`` / ``new_dataset``; ``str(store_kind)`` is the kind's name."""
    if request.param == "oxigraph":
        from diplograph.store import StoreSpec

        return StoreSpec(kind="oxigraph", db=tmp_path_factory.mktemp("oxigraph-db") / "db")
    return request.param


# --- the project's own dataset, assembled once per store (diplograph.dataset) ---------------

REPO = Path(__file__).resolve().parents[1]


class ProjectDatasets:
    """Session-wide factory of the real project's dataset: assembled once per store, the owlrl
    closure of the seed computed once (reasoning is the slowest step of the suite).

    ``get(store)`` is the dataset every command sees; ``get(store, infer=True)`` adds
    ``graph/inferred`` from :meth:`closure` without reasoning again. The datasets are shared by
    every test of the session: a test that changes a dataset assembles its own.
    """

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp = tmp_path_factory
        self._cache: dict = {}
        self._closure = None

    def spec(self, store: str):
        from diplograph.store import StoreSpec

        if store == "oxigraph":
            return StoreSpec(kind="oxigraph", db=self._tmp.mktemp("oxigraph") / "db")
        return store

    def closure(self):
        """owlrl's kept triples for ontology + reference + seed (an InferenceResult)."""
        if self._closure is None:
            from diplograph.reasoning import materialise

            work = self.get("memory").copy_to("memory")
            self._closure = materialise(work.dataset, work.data_graphs, engine="reference")
        return self._closure

    def get(self, store: str = "memory", infer: bool = False):
        key = (store, infer)
        if key not in self._cache:
            from diplograph.dataset import assemble
            from diplograph.iris import graph_iri
            from diplograph.store import add_graph

            assembled = assemble(Project(REPO), store=self.spec(store))
            if infer:
                add_graph(assembled.dataset, graph_iri("inferred"), self.closure().inferred)
                assembled.with_inferred = True
            self._cache[key] = assembled
        return self._cache[key]


@pytest.fixture(scope="session")
def project_datasets(tmp_path_factory: pytest.TempPathFactory) -> ProjectDatasets:
    return ProjectDatasets(tmp_path_factory)
