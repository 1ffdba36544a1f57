"""Coded events in the network: aggregated on their pair's relationship, never one node per event.

Data: the shapes fixture tests/fixtures/shapes/valid/coded-events.ttl (invented) and the real
ICEWS sample imported through the library.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from coded_util import ICEWS_SAMPLE, ROOT, icews_pair, icews_rows
from diplograph.coded.importer import Importer
from diplograph.project import Project
from diplograph.projection import CODED_EVENTS_LISTED, project

FIXTURE = ROOT / "tests" / "fixtures" / "shapes" / "valid" / "coded-events.ttl"


def test_coded_events_are_details_of_their_relationship_not_nodes():
    G = project(Graph().parse(FIXTURE, format="turtle"))
    rel = "https://w3id.org/diplograph/id/relationship/XAA-XAB"
    assert not any("coded-event" in n for n in G.nodes)
    assert G.nodes[rel]["coded_events"] == 1 and G.nodes[rel]["mean_intensity"] == 2.8
    details = dict(G.nodes[rel]["details"])
    assert details["coded events"] == "1 machine-coded events, mean intensity +2.80 (1 cooperative, 0 conflictual)"
    assert details["coded event"].startswith("2018-06-01 Foreign Affairs (Fixtureland) → Testonia: Host a visit — Fixture story")


def test_the_real_sample_draws_one_node_per_pair_with_its_counts(tmp_path: Path):
    out = tmp_path / "icews.ttl"
    Importer(Project(ROOT)).import_file("icews", ICEWS_SAMPLE, out, lambda skip: None)
    graph = Graph().parse(out, format="turtle")
    graph.parse(ROOT / "graphs" / "reference" / "event-codes.ttl", format="turtle")
    G = project(graph)
    assert not any("coded-event" in n for n in G.nodes)
    counts: dict[str, int] = {}
    for row in icews_rows():
        if pair := icews_pair(row):
            key = f"https://w3id.org/diplograph/id/relationship/{pair[0]}-{pair[1]}"
            counts[key] = counts.get(key, 0) + 1
    drawn = {n: d["coded_events"] for n, d in G.nodes(data=True) if "coded_events" in d}
    assert drawn == counts
    busiest = max(counts, key=counts.get)
    listed = [v for k, v in G.nodes[busiest]["details"] if k == "coded event"]
    assert len(listed) == CODED_EVENTS_LISTED + 1 and listed[-1].startswith(f"… and {counts[busiest] - CODED_EVENTS_LISTED} more")
