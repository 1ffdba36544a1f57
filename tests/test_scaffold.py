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


FIXTURE_ARTICLE = ROOT / "tests" / "fixtures" / "scaffold" / "fixture-article.txt"


def uncomment_examples(text: str) -> str:
    """Every commented line of Turtle ("# ...") made Turtle; explanations ("## ...") stay comments."""
    return "\n".join(line[2:] if line.startswith("# ") else ("" if line == "#" else line)
                     for line in text.splitlines()) + "\n"


def test_every_example_uncommented_parses_and_validates(project):
    """Issue 13 item 1: the examples are valid Turtle once uncommented, and conform."""
    proc = run_cli("new", "CHN", "KAZ", "--source-title", "Fixture article (test)",
                   "--source-file", str(FIXTURE_ARTICLE), cwd=project, home=project)
    assert proc.returncode == 0, proc.stderr
    out = project / "graphs" / "china-kazakhstan.ttl"
    text = out.read_text()
    uncommented = uncomment_examples(text)
    examples = [line for line in text.splitlines() if line.startswith("# ")]
    assert len(examples) > 100, "the examples were not found"
    out.write_text(uncommented)
    g = Graph().parse(out)  # a "/" in a prefixed name (membership:sco/CHN) would fail here
    for kind in ("Meeting", "Summit", "Visit", "PressConference", "RelationshipLevelStatus", "Membership",
                 "Chairmanship", "Agreement", "Indicator", "Stance", "Policy", "PostHolding", "Quote"):
        assert any(True for _ in g.subjects(RDF.type, DG[kind])), f"no uncommented example of dg:{kind}"
    proc = run_cli("validate", "graphs/china-kazakhstan.ttl", cwd=project, home=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1].startswith("conforms: 0 violations")


def test_examples_use_every_term_added_for_issue_13(project):
    proc = run_cli("new", "CHN", "KAZ", "--source-title", "t", cwd=project, home=project)
    assert proc.returncode == 0, proc.stderr
    g = Graph().parse(data=uncomment_examples((project / "graphs" / "china-kazakhstan.ttl").read_text()),
                      format="turtle")
    used = {p for _s, p, _o in g} | {o for _s, _p, o in g}
    for term in ("visitKind", "StateVisit", "endDate", "onOccasionOf", "presidedBy", "Chairmanship", "chairState",
                 "chairOf", "Agreement", "agreementParty", "agreementType", "MutualVisaExemption", "signedDate",
                 "inForceDate", "founding", "reportedAt", "PermanentComprehensiveStrategicPartnership"):
        assert DG[term] in used, f"dg:{term} is in no example"


def test_examples_iris_follow_the_conventions_minted_by_iris(project):
    """The scaffold's keyed IRIs are the ones diplograph.iris mints from their keys (docs/conventions.md)."""
    from diplograph import iris

    proc = run_cli("new", "CHN", "KAZ", "--source-title", "t", cwd=project, home=project)
    assert proc.returncode == 0, proc.stderr
    g = Graph().parse(data=uncomment_examples((project / "graphs" / "china-kazakhstan.ttl").read_text()),
                      format="turtle")
    summit = iris.event("summit", "2024", "astana", ["sco"])
    assert (summit, RDF.type, DG.Summit) in g
    meeting = iris.event("meeting", "2024-07-03", "astana", ["firstname-lastname", "other-person"])
    assert (meeting, DG.partOfEvent, summit) in g
    assert (iris.membership("SCO", "CHN"), RDF.type, DG.Membership) in g


def test_scaffold_lists_what_the_dataset_knows_with_canonical_iris(project):
    """The states, heads of state and posts, shared organisations and events already recorded."""
    shutil.copy(ROOT / "graphs" / "china-azerbaijan-2024.ttl", project / "graphs")
    proc = run_cli("new", "CHN", "KAZ", "--source-title", "t", cwd=project, home=project)
    assert proc.returncode == 0, proc.stderr
    text = (project / "graphs" / "china-kazakhstan.ttl").read_text()
    section = text[text.index("Already in the dataset"):text.index("Examples of every kind")]
    assert "## States: state:CHN (China), state:KAZ (Kazakhstan)" in section
    assert "##   post:CHN-president (President of China): person:xi-jinping (Xi Jinping)" in section
    # China's chargé d'affaires in Azerbaijan is a post of China, but not one about Kazakhstan.
    assert "post:CHN-charge-d-affaires-AZE" not in section
    # Organisations both have a membership of, with the reference graph's membership IRIs.
    assert "membership:sco-CHN (member state), membership:sco-KAZ (member state)" in section
    assert "orgn:un (United Nations)" in section and "orgn:brics" not in section  # Kazakhstan is not in BRICS
    # Events involving China (Xi's meeting; the summit it was part of); none is invented for Kazakhstan.
    assert "event:summit-2024-astana-sco (SCO summit in Astana, 2024; dg:Summit, 2024)" in section
    assert "event:meeting-2024-07-03-astana-ilham-aliyev-xi-jinping" in section
    # Every IRI listed is one the dataset has.
    g = Graph().parse(project / "graphs" / "china-azerbaijan-2024.ttl")
    for iri in ("id/event/summit-2024-astana-sco", "id/person/xi-jinping", "id/post/CHN-president"):
        assert any(True for _ in g.triples((ID[iri.removeprefix("id/")], None, None))), iri


def test_a_post_accredited_to_one_of_the_pair_is_listed(project):
    shutil.copy(ROOT / "graphs" / "china-azerbaijan-2024.ttl", project / "graphs")
    proc = run_cli("new", "CHN", "AZE", "--source-title", "t", "--force", cwd=project, home=project)
    assert proc.returncode == 0, proc.stderr
    text = next((project / "graphs").glob("china-azerbaijan.ttl")).read_text()
    section = text[text.index("Already in the dataset"):text.index("Examples of every kind")]
    assert "post:CHN-charge-d-affaires-AZE (chargé d'affaires of China in Azerbaijan): person:ding-tao" in section


def test_the_suggested_validation_describes_the_reused_iris(project):
    """A scaffold that reuses the seed's Xi Jinping (as the pre-filled list invites) validates with the
    command `new` suggests: the graphs whose IRIs it reuses are checked with it (the file alone is
    not enough: Xi is described in the seed, so `dg:participant` would name an untyped node)."""
    shutil.copy(ROOT / "graphs" / "china-azerbaijan-2024.ttl", project / "graphs")
    proc = run_cli("new", "CHN", "KAZ", "--source-title", "China and Kazakhstan (test)", cwd=project, home=project)
    assert proc.returncode == 0, proc.stderr
    [command] = [line.split("`")[1] for line in proc.stdout.splitlines() if line.startswith("next:")]
    out = project / "graphs" / "china-kazakhstan.ttl"
    with out.open("a", encoding="utf-8") as handle:
        handle.write("\nevent:meeting-2024-07-02-astana-xi-jinping a dg:Meeting ;\n"
                     '    rdfs:label "Meeting of Xi Jinping in Astana (test)" ;\n'
                     "    dg:participant person:xi-jinping ; dg:place place:astana ;\n"
                     '    dg:date "2024-07-02"^^xsd:date ;\n'
                     "    dg:evidence sen:2-1 ; prov:wasDerivedFrom src: ;\n"
                     "    prov:wasAttributedTo <https://w3id.org/diplograph/id/source/china-kazakhstan/author> ;\n"
                     "    dg:modality dg:ReportedFact .\n"
                     "sen:2-1 a dg:Sentence ; dcterms:isPartOf src: ; dg:lineNumber 2 ; dg:sentenceNumber 1 ;\n"
                     '    dg:text "Xi Jinping met officials in Astana (test)." .\n')
    alone = run_cli("validate", "graphs/china-kazakhstan.ttl", cwd=project, home=project)
    assert alone.returncode == 1 and "dg:participant" in alone.stdout
    suggested = run_cli(*command.split()[1:], cwd=project, home=project)
    assert suggested.returncode == 0, suggested.stdout + suggested.stderr
