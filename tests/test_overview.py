"""The world overview (issue 15 item 6) and the exports (item 8), without a browser.

Data: the real seed and the vendored ICEWS sample of June 2018 imported beside it (a project
copied into a temporary folder); counts are checked against the sample file read directly.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from coded_util import ICEWS_SAMPLE, copy_project, icews_mean_intensity
from conftest import run_cli
from diplograph.coded.importer import Importer
from diplograph.dataset import assemble
from diplograph.errors import BadValueError, OutputPathError, UsageError
from diplograph.export import csv_paths, export_network
from diplograph.namespaces import DG
from diplograph.overview import OVERVIEW_THRESHOLD, count_relationships, overview
from diplograph.project import Project
from diplograph.projection import project
from diplograph.viz import choose_view, write_network_html

ID = "https://w3id.org/diplograph/id/"
REL = ID + "relationship/AZE-CHN"


@pytest.fixture(scope="module")
def icews_project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("icews-project"))
    Importer(Project(root)).import_file("icews", ICEWS_SAMPLE, root / "graphs" / "icews-2018.ttl", lambda skip: None)
    return root


@pytest.fixture(scope="module")
def icews(icews_project):
    return assemble(Project(icews_project), store="memory")


@pytest.fixture(scope="module")
def seed(project_datasets):
    return project_datasets.get("memory")


def test_coded_event_counts_and_mean_intensity_match_the_sample(icews):
    ov = overview(icews)
    by_id = {r["id"]: r for r in ov.relationships}
    expected = icews_mean_intensity()
    assert len(expected) > 200
    for (a, b), (n, mean) in expected.items():
        r = by_id[f"{ID}relationship/{a}-{b}"]
        assert r["events"] == n and math.isclose(r["intensity"], mean, abs_tol=6e-4), (a, b)  # rounded to 3 places
        assert {r["a"], r["b"]} == {f"{ID}state/{a}", f"{ID}state/{b}"}
    # Every relationship has its two parties among the states, and each state's degree is right.
    degree = {s: 0 for s in ov.states}
    for r in ov.relationships:
        degree[r["a"]] += 1
        degree[r["b"]] += 1
    assert degree == {s: a["degree"] for s, a in ov.states.items()}
    assert ov.states[ID + "state/CHN"]["label"] == "China" and ov.states[ID + "state/CHN"]["iso"] == "CHN"


def test_the_seed_relationship_has_its_level_and_statement_counts(seed):
    ov = overview(seed)
    (rel,) = ov.relationships
    assert rel["id"] == REL and rel["level"] == "strategic partnership"
    assert rel["levels"] == [["strategic partnership", "2024-07-03"]]
    assert rel["events"] == 0 and rel["intensity"] is None
    # The counts are of the statements about the relationship, read here from the seed file itself.
    g = Graph().parse(Path(__file__).resolve().parents[1] / "graphs" / "china-azerbaijan-2024.ttl")
    about = set(g.subjects(DG.relationship, None))
    assert sum(n for _, _, n in rel["statements"]) == len(about)
    modalities = {m for _, m, _ in rel["statements"]}
    assert {"reported fact", "claim", "plan", "projection"} <= modalities


def test_only_asserted_graphs_are_read_on_every_store(project_datasets):
    plain = overview(project_datasets.get("memory"))
    with_inferred = overview(project_datasets.get("memory", infer=True))
    other_engine = overview(project_datasets.get("rdflib"))
    assert plain == with_inferred == other_engine


def test_the_view_is_chosen_by_the_number_of_relationships(seed, icews):
    assert count_relationships(seed) == 1 <= OVERVIEW_THRESHOLD
    assert count_relationships(icews) > OVERVIEW_THRESHOLD
    assert choose_view(seed) == "detail" and choose_view(icews) == "overview"
    assert choose_view(icews, focus="China") == "detail" and choose_view(icews, until="2018-06-10") == "detail"
    assert choose_view(seed, "overview") == "overview" and choose_view(icews, "detail") == "detail"
    with pytest.raises(BadValueError, match="view"):
        choose_view(seed, "map")
    with pytest.raises(UsageError, match="--view detail"):
        choose_view(icews, "overview", focus="China")


def test_build_and_viz_write_the_overview_for_many_relationships(icews, seed, tmp_path):
    page = write_network_html(icews, tmp_path / "world.html").read_text(encoding="utf-8")
    assert "world overview" in page and 'id="legend-levels"' in page
    detail = write_network_html(seed, tmp_path / "seed.html").read_text(encoding="utf-8")
    assert "world overview" not in detail and 'id="legend-modalities"' in detail
    assert len(page.encode()) < 2_000_000


def test_graphml_and_csv_hold_the_projection(seed, tmp_path):
    G = project(seed)
    (graphml,) = export_network(seed, tmp_path / "seed.graphml", "graphml")
    H = nx.read_graphml(graphml, force_multigraph=True)
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()
    assert H.nodes[ID + "state/CHN"]["label"] == "China" and H.nodes[ID + "state/CHN"]["kind"] == "state"
    files = export_network(seed, tmp_path / "seed.csv", "csv")
    assert files == list(csv_paths(tmp_path / "seed.csv")) == [tmp_path / "seed-nodes.csv", tmp_path / "seed-edges.csv"]
    nodes = list(csv.DictReader(files[0].open(encoding="utf-8")))
    edges = list(csv.DictReader(files[1].open(encoding="utf-8")))
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    modalities = {e["modality"] for e in edges}
    assert {"reported fact", "claim", "plan", "projection"} <= modalities
    assert any(e["sources"] and "-1;" not in e["sources"] for e in edges)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed-edges.csv", "seed-nodes.csv", "seed.graphml"]  # no temp files


def test_the_overview_exports_states_and_relationships(icews, tmp_path):
    (path,) = export_network(icews, tmp_path / "world.graphml", "graphml", view="overview")
    H = nx.read_graphml(path, force_multigraph=True)
    ov = overview(icews)
    assert H.number_of_nodes() == len(ov.states) and H.number_of_edges() == len(ov.relationships)
    events = {(u, v) if u < v else (v, u): a["events"] for u, v, a in H.edges(data=True)}
    assert events[(ID + "state/CHN", ID + "state/USA")] == icews_mean_intensity()[("CHN", "USA")][0]


def test_an_export_onto_a_folder_fails_and_leaves_nothing(seed, tmp_path):
    (tmp_path / "seed-edges.csv").mkdir()
    with pytest.raises(OutputPathError, match="folder"):
        export_network(seed, tmp_path / "seed.csv", "csv")
    assert [p.name for p in tmp_path.iterdir()] == ["seed-edges.csv"]


def test_viz_command_line_format_and_view(tmp_path):
    root = Path(__file__).resolve().parents[1]
    bad = run_cli("viz", "--format", "pdf", "-o", str(tmp_path / "x.pdf"), cwd=root)
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0 and "--format" in bad.stderr and "Traceback" not in bad.stderr
    bad = run_cli("viz", "--view", "overview", "--focus", "China", "-o", str(tmp_path / "x.html"), cwd=root)
    assert bad.returncode == 2 and "--view detail" in bad.stderr and "Traceback" not in bad.stderr
    assert not list(tmp_path.iterdir())
    ok = run_cli("viz", "--format", "csv", "-o", str(tmp_path / "net.csv"), cwd=root)
    assert ok.returncode == 0, ok.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net-edges.csv", "net-nodes.csv"]
    ok = run_cli("viz", "--view", "overview", "-o", str(tmp_path / "world.html"), cwd=root)
    assert ok.returncode == 0 and "world overview" in (tmp_path / "world.html").read_text(encoding="utf-8")
