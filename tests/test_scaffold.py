"""`diplograph new`: a scaffold validates as written, never overwrites by accident, rejects unknown codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import run_cli
from diplograph.namespaces import DG, ID, RDF
from diplograph.scaffold import UnknownStateError, scaffold_relationship

ROOT = Path(__file__).resolve().parents[1]
STATES = ROOT / "graphs" / "reference" / "states.ttl"
SOURCE = ROOT / "sources" / "china-azerbaijan-2024.txt"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the real project's ontology, shapes and reference graphs (no source graphs)."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "graphs" / "reference", root / "graphs" / "reference")
    return root


def test_new_then_validate_conforms(project):
    proc = run_cli("new", "CHN", "KAZ", "--source-title", "China and Kazakhstan (test)",
                   "--source-url", "https://example.org/article", cwd=project, home=project)
    assert proc.returncode == 0, proc.stderr
    out = project / "graphs" / "china-kazakhstan.ttl"
    assert out.is_file() and "graphs/china-kazakhstan.ttl" in proc.stdout
    g = Graph().parse(out)
    assert (ID["relationship/CHN-KAZ"], RDF.type, DG.BilateralRelationship) in g
    assert set(g.objects(ID["relationship/CHN-KAZ"], DG.party)) == {ID["state/CHN"], ID["state/KAZ"]}
    text = out.read_text()
    for kind in ("dg:Meeting", "dg:RelationshipLevelStatus", "dg:Membership", "dg:Indicator", "dg:Stance",
                 "dg:Policy", "dg:PostHolding", "dg:Quote"):
        commented = [line for line in text.splitlines() if line.startswith("# ") and f" a {kind} ;" in line]
        assert commented, f"no commented example of {kind}"
        assert not any(line.startswith(("st:", "<", "person:", "membership:", "post:")) and f" a {kind} ;" in line
                       for line in text.splitlines()), f"an example of {kind} is not commented out"
    proc = run_cli("validate", "graphs/china-kazakhstan.ttl", cwd=project, home=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1].startswith("conforms: 0 violations")


def test_new_with_source_file_lists_its_sentences(project, tmp_path):
    out = project / "graphs" / "azerbaijan-china.ttl"
    result = scaffold_relationship("AZE", "CHN", states_file=STATES, output=out, source_title="t",
                                   source_file=SOURCE)
    g = Graph().parse(out)
    sentences = set(g.subjects(RDF.type, DG.Sentence))
    assert len(sentences) == result.sentences > 20
    assert (ID["source/azerbaijan-china/sentence/3-1"], RDF.type, DG.Sentence) in g
    assert g.value(ID["relationship/AZE-CHN"], DG.evidence) is not None


def test_new_refuses_to_overwrite_without_force(project):
    out = project / "graphs" / "china-kazakhstan.ttl"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("# mine\n")
    proc = run_cli("new", "CHN", "KAZ", "--source-title", "t", cwd=project, home=project)
    assert proc.returncode == 2 and "already exists" in proc.stderr and "--force" in proc.stderr
    assert out.read_text() == "# mine\n"
    proc = run_cli("new", "CHN", "KAZ", "--source-title", "t", "--force", cwd=project, home=project)
    assert proc.returncode == 0 and out.read_text() != "# mine\n"


def test_unknown_iso_code_is_one_line_with_close_matches(project):
    proc = run_cli("new", "CHN", "KAX", "--source-title", "t", cwd=project, home=project)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "'KAX'" in proc.stderr and "KAZ (Kazakhstan)" in proc.stderr
    assert not (project / "graphs" / "china-kazakhstan.ttl").exists()
    with pytest.raises(UnknownStateError):
        scaffold_relationship("CHN", "XXX", states_file=STATES, output=project / "x.ttl", source_title="t")
