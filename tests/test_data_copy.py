"""The engines' copy of the data made as the merge ends (``assemble(on_data_final=…)``): ``build``
with the fast engines copies the data graphs in a thread while the merge looks for conflicts and
writes ``graph/meta``. The copy must hold exactly what the finished dataset's data graphs hold:
IRIs rewritten by the merge (a second relationship written with other IRIs, a test fixture) and
the coarser of two agreeing dates taken out.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from diplograph.dataset import assemble
from diplograph.project import Project
from diplograph.store import store_spec, working_store

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "merge" / "china-kazakhstan.ttl"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("project")
    for part in ("ontology", "graphs", "queries"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copy(FIXTURE, root / "graphs")
    return Project(root)


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_the_copy_made_as_the_merge_ends_holds_the_merged_data(project, store, tmp_path):
    calls = []
    spec = store_spec(store, db=tmp_path / "db" if store == "oxigraph" else None)
    assembled = assemble(project, store=spec, on_data_final=lambda names, copy: calls.append((names, copy())))
    assert len(calls) == 1
    names, copy = calls[0]
    assert names == assembled.data_graphs and len(names) >= 3
    assert assembled.merge.rewrites  # the fixture's IRIs were rewritten before the copy was made
    expected = working_store(assembled.dataset, assembled.data_graphs)
    assert len(copy) == len(expected) > 1000
    assert set(copy.triples()) == set(expected.triples())


def test_no_copy_is_offered_where_the_merge_is_not_in_oxigraph(project):
    calls = []
    assemble(project, store="rdflib", on_data_final=lambda names, copy: calls.append(names))
    assert calls == []
