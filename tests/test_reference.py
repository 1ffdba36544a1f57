"""Tests for diplograph.reference: the generated reference graphs and their inputs.

The bad CSV files written here (tmp_path) are test fixtures, not real-world claims.
"""

from __future__ import annotations

from decimal import Decimal

import re
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import ORG, PROV, SKOS

from diplograph.reference import (
    DG,
    GRAPH_STEMS,
    ID,
    ReferenceDataError,
    build_reference_graphs,
    write_reference_graphs,
)

REPO = Path(__file__).resolve().parents[1]
UPSTREAM = REPO / "vendor" / "reference"
CURATED = REPO / "reference"
COMMITTED = REPO / "graphs" / "reference"
WD = "http://www.wikidata.org/entity/"

STATE_COUNT = 195  # rows of country-codes.csv with is_independent == "Yes"
TERRITORY_COUNT = 54  # every other row (all 249 rows have an ISO3166-1-Alpha-3 code)


@pytest.fixture(scope="session")
def upstream_dir() -> Path:
    assert (UPSTREAM / "country-codes.csv").is_file(), f"the vendored table is missing: {UPSTREAM}/country-codes.csv"
    return UPSTREAM


@pytest.fixture(scope="session")
def graphs(upstream_dir: Path) -> dict[str, Graph]:
    return build_reference_graphs(upstream_dir, CURATED)


@pytest.fixture
def curated_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "reference"
    shutil.copytree(CURATED, copy)
    return copy


def _generate(upstream_dir: Path, curated: Path, out: Path) -> dict[str, bytes]:
    paths = write_reference_graphs(upstream_dir, curated, out)
    assert [p.name for p in paths] == [f"{stem}.ttl" for stem in GRAPH_STEMS]
    return {p.name: p.read_bytes() for p in paths}


def test_committed_graphs_are_up_to_date(upstream_dir: Path, tmp_path: Path) -> None:
    fresh = _generate(upstream_dir, CURATED, tmp_path / "out")
    assert len(fresh) == 5
    for name, data in fresh.items():
        committed = COMMITTED / name
        assert committed.is_file(), f"{committed} missing: run `diplograph reference`"
        assert committed.read_bytes() == data, (
            f"{committed} is stale: regenerate with `diplograph reference`"
        )


def test_output_is_byte_identical_across_runs(upstream_dir: Path, tmp_path: Path) -> None:
    first = _generate(upstream_dir, CURATED, tmp_path / "a")
    second = _generate(upstream_dir, CURATED, tmp_path / "b")
    assert first == second
    # overwriting in place gives the same bytes and leaves no temporary files behind
    third = _generate(upstream_dir, CURATED, tmp_path / "a")
    assert third == first
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(first)


def test_written_files_have_generated_header_and_parse(upstream_dir: Path, tmp_path: Path) -> None:
    files = _generate(upstream_dir, CURATED, tmp_path)
    for name, data in files.items():
        text = data.decode("utf-8")
        assert text.startswith("# GENERATED FILE"), name
        assert "`diplograph reference`" in text.splitlines()[0]
        stem = name.removesuffix(".ttl")
        header = text.split("\n\n", 1)[0]
        expected_input = {
            "states": "vendor/reference/country-codes.csv", "event-codes": "vendor/reference/cameo-codes.csv",
        }.get(stem, f"reference/{stem}.csv")
        assert expected_input in header
        parsed = Graph().parse(data=text, format="turtle")
        assert len(parsed) > 0


def test_counts_of_states_and_territories(graphs: dict[str, Graph]) -> None:
    g = graphs["states"]
    states = set(g.subjects(RDF.type, DG.State))
    territories = set(g.subjects(RDF.type, DG.Territory))
    assert len(states) == STATE_COUNT
    assert len(territories) == TERRITORY_COUNT
    assert all(str(s).startswith(str(ID) + "state/") for s in states)
    assert all(str(t).startswith(str(ID) + "territory/") for t in territories)
    # every state and territory derives from the country-codes reference source
    source = ID["reference-source/country-codes"]
    assert (source, RDF.type, DG.ReferenceSource) in g
    for node in states | territories:
        assert (node, PROV.wasDerivedFrom, source) in g


@pytest.mark.parametrize(
    ("iso3", "qid", "numeric", "alpha2"),
    [("CHN", "Q148", "156", "CN"), ("AZE", "Q227", "031", "AZ"), ("KAZ", "Q232", "398", "KZ")],
)
def test_state_identifiers(graphs: dict[str, Graph], iso3: str, qid: str, numeric: str, alpha2: str) -> None:
    g = graphs["states"]
    node = ID[f"state/{iso3}"]
    assert (node, RDF.type, DG.State) in g
    assert set(g.objects(node, DG.wikidata)) == {Literal(qid)}
    assert set(g.objects(node, SKOS.exactMatch)) == {URIRef(WD + qid)}
    assert set(g.objects(node, DG.isoNumeric)) == {Literal(numeric)}
    assert set(g.objects(node, DG.isoAlpha2)) == {Literal(alpha2)}
    assert set(g.objects(node, DG.isoAlpha3)) == {Literal(iso3)}
    langs = {lit.language for lit in g.objects(node, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert langs == {"en", "fr", "es", "ru", "ar", "zh"}


def test_azerbaijan_labels(graphs: dict[str, Graph]) -> None:
    g = graphs["states"]
    node = ID["state/AZE"]
    assert (node, DG.officialName, Literal("the Republic of Azerbaijan", lang="en")) in g
    assert Literal("Azerbaijan", lang="en") in set(g.objects(node, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))


def test_unsourced_qids_are_absent(graphs: dict[str, Graph]) -> None:
    # country-codes.csv has no wikidata_id for Namibia; CICA and Urumqi have no sourced QID
    assert not set(graphs["states"].objects(ID["state/NAM"], DG.wikidata))
    assert not set(graphs["organisations"].objects(ID["org/cica"], DG.wikidata))
    assert not set(graphs["organisations"].objects(ID["org/cica"], SKOS.exactMatch))
    assert not set(graphs["places"].objects(ID["place/urumqi"], DG.wikidata))


def test_organisations_and_places(graphs: dict[str, Graph]) -> None:
    orgs = graphs["organisations"]
    assert len(set(orgs.subjects(RDF.type, DG.InternationalOrganisation))) == 4
    expected = {"un": "Q1065", "sco": "Q485207", "brics": "Q243630"}
    for key, qid in expected.items():
        assert set(orgs.objects(ID[f"org/{key}"], DG.wikidata)) == {Literal(qid)}
    places = graphs["places"]
    assert len(set(places.subjects(RDF.type, DG.Place))) == 4
    in_state = {
        str(p).rsplit("/", 1)[1]: str(s).rsplit("/", 1)[1] for p, s in places.subject_objects(DG.inState)
    }
    assert in_state == {"baku": "AZE", "beijing": "CHN", "astana": "KAZ", "urumqi": "CHN"}


def test_every_membership_has_source_status_and_typed_dates(graphs: dict[str, Graph]) -> None:
    g = graphs["memberships"]
    memberships = set(g.subjects(RDF.type, DG.Membership))
    assert len(memberships) == 11
    statuses = {DG.MemberState, DG.Observer, DG.DialoguePartner, DG.PartnerCountry, DG.Applicant}
    for m in memberships:
        sources = set(g.objects(m, PROV.wasDerivedFrom))
        assert len(sources) == 1, m
        (source,) = sources
        assert (source, RDF.type, DG.ReferenceSource) in g
        assert len(set(g.objects(source, URIRef("https://schema.org/url")))) == 1
        status = set(g.objects(m, DG.membershipStatus))
        assert len(status) == 1 and status <= statuses, m
        # org:role says the same to a W3C ORG reader, who would otherwise take an applicant for a member.
        assert set(g.objects(m, ORG.role)) == status, m
        assert len(set(g.objects(m, ORG.member))) == 1
        assert len(set(g.objects(m, ORG.organization))) == 1
        assert (m, DG.modality, DG.ReportedFact) in g
        (note,) = g.objects(m, DG.evidenceNote)
        assert str(note).endswith("not fetched when this file was written)")
    start = lambda key: set(g.objects(ID[f"membership/{key}"], DG.startDate))  # noqa: E731
    assert start("sco-CHN") == {Literal("2001-06-15", datatype=rdfns.XSD.date)}
    assert start("brics-AZE") == {Literal("2024-08", datatype=rdfns.XSD.gYearMonth)}
    assert start("sco-AZE") == {Literal("2015", datatype=rdfns.XSD.gYear)}
    assert start("cica-KAZ") == set()
    assert (ID["membership/sco-AZE"], DG.membershipStatus, DG.DialoguePartner) in g


def _replace_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def test_unknown_status_names_file_and_row(upstream_dir: Path, curated_copy: Path) -> None:
    path = curated_copy / "memberships.csv"
    _replace_line(path, 4, ",MemberState,", ",Memberr,")
    with pytest.raises(ReferenceDataError) as info:
        build_reference_graphs(upstream_dir, curated_copy)
    assert str(info.value).startswith(f"{path}:4: unknown status 'Memberr'")
    assert info.value.line == 4 and info.value.path == str(path)


@pytest.mark.parametrize("bad_date", ["2015-13", "15-06-2001", "2001/06/15", "2001-02-30", "circa 2001"])
def test_bad_date_names_file_and_row(upstream_dir: Path, curated_copy: Path, bad_date: str) -> None:
    path = curated_copy / "memberships.csv"
    _replace_line(path, 5, ",2001-06-15,", f",{bad_date},")
    with pytest.raises(ReferenceDataError, match=rf"^{re.escape(str(path))}:5: start: bad date"):
        build_reference_graphs(upstream_dir, curated_copy)


def test_unknown_state_in_places_names_file_and_row(upstream_dir: Path, curated_copy: Path) -> None:
    path = curated_copy / "places.csv"
    _replace_line(path, 3, ",CHN,", ",CHX,")
    with pytest.raises(ReferenceDataError, match=rf"^{re.escape(str(path))}:3: state: unknown"):
        build_reference_graphs(upstream_dir, curated_copy)


def test_failed_run_leaves_existing_output_untouched(upstream_dir: Path, curated_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _generate(upstream_dir, curated_copy, out)
    _replace_line(curated_copy / "memberships.csv", 2, ",MemberState,", ",Member,")
    with pytest.raises(ReferenceDataError):
        write_reference_graphs(upstream_dir, curated_copy, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_missing_upstream_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataError, match="upstream reference folder not found"):
        build_reference_graphs(tmp_path / "nowhere", CURATED)


def test_cli_reference_regenerates_the_committed_graphs(tmp_path: Path) -> None:
    from conftest import run_cli

    out = tmp_path / "reference-graphs"
    result = run_cli("reference", "--out", str(out), cwd=REPO, home=REPO)
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["wrote"] * len(GRAPH_STEMS)
    for stem in GRAPH_STEMS:
        assert (out / f"{stem}.ttl").read_bytes() == (COMMITTED / f"{stem}.ttl").read_bytes(), stem


def test_cli_reference_with_a_broken_table_names_file_and_row(tmp_path: Path, curated_copy: Path) -> None:
    import shutil as _shutil

    from conftest import run_cli

    project = tmp_path / "project"
    for part in ("ontology", "graphs", "vendor"):
        _shutil.copytree(REPO / part, project / part)
    _shutil.copytree(curated_copy, project / "reference")
    memberships = project / "reference" / "memberships.csv"
    lines = memberships.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("MemberState", "Member")
    memberships.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = (project / "graphs" / "reference" / "memberships.ttl").read_bytes()
    result = run_cli("reference", cwd=project, home=project)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "memberships.csv:2:" in result.stderr
    assert (project / "graphs" / "reference" / "memberships.ttl").read_bytes() == before


def test_event_codes_are_the_cameo_codebook_with_plover(graphs: dict[str, Graph]) -> None:
    from rdflib import Literal
    from rdflib.namespace import SKOS

    g = graphs["event-codes"]
    cameo = set(g.subjects(SKOS.inScheme, ID["cameo"]))
    assert len(cameo) == 312  # the rows of vendor/reference/cameo-codes.csv
    host = ID["cameo/043"]
    assert g.value(host, SKOS.prefLabel) == Literal("Host a visit", lang="en")
    assert g.value(host, DG.goldsteinScore).toPython() == Decimal("2.8")
    assert g.value(host, DG.ploverEventType) == ID["plover/event/CONSULT"]
    assert g.value(host, DG.ploverMode) == ID["plover/mode/visit"]
    assert g.value(host, DG.quadClass).toPython() == 1
    assert g.value(host, SKOS.broader) == ID["cameo/04"]
    # a code the crosswalk does not list takes its parent's categories; a ";" in it lists several contexts
    assert set(g.objects(ID["cameo/091"], DG.ploverContext)) == {ID["plover/context/crime"], ID["plover/context/corruption"]}
    assert g.value(ID["cameo/1823"], DG.quadClass).toPython() == 4
