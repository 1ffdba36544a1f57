"""`diplograph validate` on the real project with the bad inputs a new author makes.

Each case is a small graph written to a temporary file (test fixtures, not claims about the world),
validated together with the real ontology, shapes and reference graphs through the installed CLI.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = """@prefix dg: <https://w3id.org/diplograph/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def run_validate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "diplograph", "validate", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text("# Test fixture, not a claim about the world.\n" + text, encoding="utf-8")
    return path


def test_unknown_dg_term_is_a_violation_naming_the_closest_term(tmp_path):
    bad = write(tmp_path, "typo.ttl", PREFIXES + """
<https://w3id.org/diplograph/id/person/x> a dg:Persn ; rdfs:label "X" .
""")
    result = run_validate(str(bad))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "dg:Persn is not a term of the diplograph ontology" in result.stdout
    assert "did you mean dg:Person?" in result.stdout
    assert "Traceback" not in result.stderr


def test_unknown_terms_of_a_new_author_get_suggestions_of_the_right_kind(tmp_path):
    # The unknown terms a new author used in issue 13, and a property written as a class.
    bad = write(tmp_path, "new-terms.ttl", PREFIXES + """
<https://w3id.org/diplograph/id/event/x> a dg:Visti ; dg:visitKnd dg:OfficialStateTrip ; dg:Participant dg:reportedfact ;
    dg:around <https://w3id.org/diplograph/id/event/y> .
""")
    result = run_validate(str(bad))
    assert result.returncode == 1, result.stdout + result.stderr
    text = result.stdout
    assert "dg:Visti is not a term of the diplograph ontology (used as a class or concept); did you mean dg:Visit?" in text
    # a property is suggested for a property, a class for a class, whatever the case
    assert "dg:Participant is not a term of the diplograph ontology (used as a property); did you mean dg:participant?" in text
    assert "dg:reportedfact is not a term of the diplograph ontology (used as a class or concept); did you mean dg:ReportedFact?" in text
    # no close spelling: terms sharing a word of the name
    assert "dg:visitKnd is not a term of the diplograph ontology (used as a property); did you mean dg:visitKind" in text
    assert ("dg:OfficialStateTrip is not a term of the diplograph ontology (used as a class or concept); "
            "did you mean dg:State or dg:Statement or dg:StateVisit?") in text
    # nothing alike: where to look
    assert ("dg:around is not a term of the diplograph ontology (used as a property); no property of that name: "
            "`diplograph terms WORD` lists the properties") in text
    assert "Traceback" not in result.stderr


def test_wrong_iso_code_is_a_violation(tmp_path):
    bad = write(tmp_path, "iso.ttl", PREFIXES + """
<https://w3id.org/diplograph/id/state/AZX> a dg:State ; rdfs:label "Nowhere" ; dg:isoAlpha3 "Aze" .
""")
    result = run_validate(str(bad))
    assert result.returncode == 1
    assert "dg:isoAlpha3" in result.stdout
    assert "does not conform" in result.stdout


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("syntax.ttl", PREFIXES + "<http://x/a> a dg:State ;\n    dg:isoAlpha3 \"AZE\"\n<http://x/b> a dg:State .\n",
         "syntax.ttl:6: bad syntax"),
        ("empty.ttl", "", "empty.ttl: holds no triples"),
    ],
)
def test_unreadable_input_is_one_line_and_exit_2(tmp_path, name, text, expected):
    result = run_validate(str(write(tmp_path, name, text)))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr


def test_missing_path_is_one_line_and_exit_2(tmp_path):
    result = run_validate(str(tmp_path / "nope.ttl"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.ttl'}: no such file or folder"


def test_the_project_itself_conforms():
    result = run_validate()
    assert result.returncode == 0, result.stdout[-2000:]
    assert result.stdout.strip().splitlines()[-1].startswith("conforms: 0 violations")


def test_a_second_node_for_a_relationship_is_reconciled_not_duplicated(tmp_path):
    # Another IRI for the China–Azerbaijan pair: validate sees the dataset every command sees, in
    # which the merge has rewritten it to id:relationship/AZE-CHN by its two states.
    other = write(tmp_path, "other-iri.ttl", PREFIXES + """
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/diplograph/id/relationship/CHN-AZE-again> a dg:BilateralRelationship ;
    rdfs:label "China and Azerbaijan (again)" ;
    dg:party <https://w3id.org/diplograph/id/state/AZE> , <https://w3id.org/diplograph/id/state/CHN> ;
    prov:wasDerivedFrom <https://w3id.org/diplograph/id/source/china-azerbaijan-2024> ;
    prov:wasAttributedTo <https://w3id.org/diplograph/id/source/china-azerbaijan-2024/author> ;
    dg:evidence <https://w3id.org/diplograph/id/source/china-azerbaijan-2024/sentence/2-1> ;
    dg:modality dg:ReportedFact .
""")
    result = run_validate("graphs/china-azerbaijan-2024.ttl", str(other))
    assert result.returncode == 0, result.stdout
    assert "duplicate-relationship" not in result.stdout and "CHN-AZE-again" not in result.stdout


def test_cross_entity_checks_run_in_validate(tmp_path):
    # A statement citing a sentence of the seed while saying it comes from another document: SHACL
    # sees nothing wrong with the node on its own; queries/checks/evidence-from-other-source-violation.rq does.
    bad = write(tmp_path, "other-source.ttl", PREFIXES + """
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/diplograph/id/source/other-source> a dg:SourceDocument ;
    dcterms:title "Another document (test fixture)" .
<https://w3id.org/diplograph/id/statement/other-source/level> a dg:RelationshipLevelStatus ;
    rdfs:label "China–Azerbaijan strategic partnership (test fixture)" ;
    dg:relationship <https://w3id.org/diplograph/id/relationship/AZE-CHN> ;
    dg:level dg:StrategicPartnership ;
    prov:wasDerivedFrom <https://w3id.org/diplograph/id/source/other-source> ;
    prov:wasAttributedTo <https://w3id.org/diplograph/id/source/china-azerbaijan-2024/author> ;
    dg:evidence <https://w3id.org/diplograph/id/source/china-azerbaijan-2024/sentence/2-1> ;
    dg:modality dg:ReportedFact .
""")
    result = run_validate("graphs/china-azerbaijan-2024.ttl", str(bad))
    assert result.returncode == 1, result.stdout
    assert "[evidence-from-other-source-violation.rq]" in result.stdout
