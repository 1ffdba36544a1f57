"""`diplograph stats`: counts and the entity network with centralities."""

from __future__ import annotations

import pytest
from rdflib import Graph

from conftest import run_cli
from diplograph.iris import graph_iri
from diplograph.kinds import entity_kind
from diplograph.namespaces import DG, ID
from diplograph.stats import entity_network, stats


@pytest.fixture(scope="module")
def seed_stats(project_datasets):
    return stats(project_datasets.get("memory"), top=5)


def test_counts_by_class_and_graph(seed_stats):
    classes = dict(seed_stats.class_counts)
    assert classes[DG.State] == 195
    assert classes[DG.Person] == 4
    graphs = dict(seed_stats.graph_counts)
    assert graphs[graph_iri("source", "china-azerbaijan-2024")] > 500
    assert graph_iri("ontology") in graphs


def test_most_connected_entities_by_label(seed_stats):
    assert len(seed_stats.top) == 5
    labels = [c.label for c in seed_stats.top]
    assert labels[0] == "China"
    assert "China–Azerbaijan relations" in labels
    assert all(not c.label.startswith("http") for c in seed_stats.top)
    degrees = [c.degree for c in seed_stats.top]
    assert degrees == sorted(degrees, reverse=True)
    assert seed_stats.top[0].betweenness > 0


def test_network_edges_from_statements_and_events():
    g = Graph().parse(
        data="""
        @prefix dg: <https://w3id.org/diplograph/ns#> . @prefix prov: <http://www.w3.org/ns/prov#> .
        @prefix state: <https://w3id.org/diplograph/id/state/> . @prefix person: <https://w3id.org/diplograph/id/person/> .
        @prefix event: <https://w3id.org/diplograph/id/event/> . @prefix post: <https://w3id.org/diplograph/id/post/> .
        @prefix st: <https://w3id.org/diplograph/id/statement/> .
        # Test fixture, not a claim about the world.
        state:AAA a dg:State . state:BBB a dg:State . state:CCC a dg:State .
        person:p a dg:Person . person:q a dg:Person .
        event:m a dg:Meeting ; dg:participant person:p , person:q ; prov:wasAttributedTo person:q .
        post:x a dg:Post ; dg:postIn state:AAA .
        st:h a dg:PostHolding ; dg:holder person:p ; dg:post post:x ; prov:wasAttributedTo state:CCC .
        """,
        format="turtle",
    )
    G = entity_network(g)
    assert G.has_edge(ID["event/m"], ID["person/p"]) and G.has_edge(ID["event/m"], ID["person/q"])
    assert G.has_edge(ID["person/p"], ID["state/AAA"])  # holder -> the post's state
    assert G.edges[ID["person/q"], ID["event/m"]]["via"] == {"participant"}  # not also "wasAttributedTo"
    assert ID["state/CCC"] not in G  # attribution is provenance, not a link; lone states are left out
    assert ID["state/BBB"] not in G
    assert entity_kind(g, ID["event/m"]) == "event" and entity_kind(g, ID["post/x"]) is None


def test_cli_stats(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    result = run_cli("stats", "--top", "3", cwd=tmp_path, home=root)
    assert result.returncode == 0, result.stderr
    assert "Most connected entities" in result.stdout and "China" in result.stdout
    assert "Instances per class" in result.stdout and "Triples per named graph" in result.stdout
