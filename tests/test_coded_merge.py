"""Coded events and curated statements of one pair of states meet on one relationship node after a merge.

The curated side is tests/fixtures/coded/china-kazakhstan-curated.ttl (an invented fixture that
uses the project's relationship IRI id/relationship/CHN-KAZ); the coded side is the real ICEWS
sample imported through the real command line.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from coded_util import ICEWS_SAMPLE, ROOT, cli, icews_rows
from diplograph.namespaces import DG, GRAPH, ID

CURATED = ROOT / "tests" / "fixtures" / "coded" / "china-kazakhstan-curated.ttl"


def test_merged_kazakhstan_china_relationship_holds_coded_event_and_curated_statements(tmp_path: Path):
    done = cli("import", "icews", str(ICEWS_SAMPLE), "-o", "graphs", cwd=tmp_path, home=ROOT)
    assert done.returncode == 0, done.stderr
    merged = tmp_path / "merged.trig"
    done = cli("merge", "graphs/icews-events-2018-sample.ttl", str(CURATED), "-o", str(merged), cwd=tmp_path, home=ROOT)
    assert done.returncode == 0, done.stderr
    assert "0 conflicts" in done.stdout, done.stdout  # the pair's node means the same in both graphs

    dataset = Dataset()
    dataset.parse(merged, format="trig")
    rel = ID["relationship/CHN-KAZ"]
    coded = dataset.graph(GRAPH["source/icews-events-2018-sample"])
    curated = dataset.graph(GRAPH["source/china-kazakhstan-curated"])

    kazakh_chinese = {ID[f"coded-event/icews/{r['Event ID']}"] for r in icews_rows()
                      if {r["Source Country"], r["Target Country"]} == {"Kazakhstan", "China"}}
    assert kazakh_chinese
    assert set(coded.subjects(DG.relationship, rel)) == kazakh_chinese
    for event in kazakh_chinese:
        assert coded.value(event, DG.modality) == DG.MachineCoded
        assert (event, DG.relationship, rel) not in curated

    statements = set(curated.subjects(DG.relationship, rel))
    assert statements == {
        ID["statement/china-kazakhstan-curated/relations-established"],
        ID["statement/china-kazakhstan-curated/level-comprehensive-strategic-partnership"],
    }
    assert not statements & set(coded.subjects())
    assert curated.value(ID["statement/china-kazakhstan-curated/level-comprehensive-strategic-partnership"],
                         DG.level) == DG.ComprehensiveStrategicPartnership
    # one node: both graphs name the same two parties for it
    both = {ID["state/CHN"], ID["state/KAZ"]}
    assert set(coded.objects(rel, DG.party)) == set(curated.objects(rel, DG.party)) == both
