"""`diplograph import icews|gdelt`, through the real command line, on the real sample files.

Expected numbers come from tests/coded_util.py (plain csv over the raw rows), never from diplograph.
Rows marked "invented" below are made up to exercise the error paths; they are not data.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from coded_util import (
    GDELT_SAMPLE,
    ICEWS_SAMPLE,
    ROOT,
    cli,
    copy_project,
    gdelt_pair,
    gdelt_rows,
    icews_pair,
    icews_rows,
    icews_state,
)
from diplograph.namespaces import DG, ID

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's project with both samples imported into its graphs/ (the default)."""
    root = copy_project(tmp_path_factory.mktemp("coded") / "project")
    data = root / "data"
    data.mkdir()
    shutil.copy(ICEWS_SAMPLE, data)
    shutil.copy(GDELT_SAMPLE, data)
    for fmt, name in (("icews", ICEWS_SAMPLE.name), ("gdelt", GDELT_SAMPLE.name)):
        done = cli("import", fmt, f"data/{name}", cwd=root, home=root)
        assert done.returncode == 0, done.stderr
        (root / f"{fmt}.stdout").write_text(done.stdout)
        (root / f"{fmt}.stderr").write_text(done.stderr)
    return root


@pytest.fixture(scope="module")
def icews_graph(project: Path) -> Graph:
    return Graph().parse(project / "graphs" / "icews-events-2018-sample.ttl", format="turtle")


@pytest.fixture(scope="module")
def gdelt_graph(project: Path) -> Graph:
    return Graph().parse(project / "graphs" / "gdelt-events-sample.ttl", format="turtle")


def summary_numbers(line: str) -> dict[str, int]:
    m = re.search(r"imported ([\d,]+) events? between ([\d,]+) pairs? of states \(([\d,]+) within one state;"
                  r" ([\d,]+) unresolved actors? in ([\d,]+) events\), skipped ([\d,]+)", line)
    assert m, line
    keys = ("imported", "pairs", "within", "unresolved", "unresolved_events", "skipped")
    return {k: int(v.replace(",", "")) for k, v in zip(keys, m.groups())}


# --- ICEWS ------------------------------------------------------------------------------


def test_icews_summary_counts_match_the_raw_rows(project: Path):
    rows = icews_rows()
    pairs = {p for r in rows if (p := icews_pair(r))}
    within = sum(1 for r in rows if icews_state(r["Source Country"]) and
                 icews_state(r["Source Country"]) == icews_state(r["Target Country"]))
    lines = (project / "icews.stdout").read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("data/events.2018.sample.tab: imported 3,705 events")
    assert lines[0].endswith("; wrote graphs/icews-events-2018-sample.ttl")
    got = summary_numbers(lines[0])
    assert (got["imported"], got["pairs"], got["within"], got["skipped"]) == (3705, len(pairs), within, 0)
    assert (project / "icews.stderr").read_text() == ""


def test_every_icews_row_is_one_event_citing_its_line_story_and_sentence(icews_graph: Graph):
    events = set(icews_graph.subjects(RDF.type, DG.CodedEvent))
    assert len(events) == 3705
    for line, row in enumerate(icews_rows(), start=2):
        node = ID[f"coded-event/icews/{row['Event ID']}"]
        assert icews_graph.value(node, DG.lineInFile) == Literal(line)
        assert icews_graph.value(node, DG.storyId) == Literal(row["Story ID"])
        assert icews_graph.value(node, DG.storySentence) == Literal(int(row["Sentence Number"]))
        assert icews_graph.value(node, DG.date) == Literal(row["Event Date"], datatype=XSD_DATE)
        assert icews_graph.value(node, DG.cameoCode) == ID[f"cameo/{row['CAMEO Code']}"]
        assert float(icews_graph.value(node, DG.eventIntensity)) == float(row["Intensity"])
        assert icews_graph.value(node, DG.modality) == DG.MachineCoded
        assert str(icews_graph.value(node, DG.publisher)) == row["Publisher"]


def test_kazakhstan_china_event_is_on_the_pair_relationship(icews_graph: Graph):
    rows = [r for r in icews_rows() if {r["Source Country"], r["Target Country"]} == {"Kazakhstan", "China"}]
    assert rows, "the sample has a Kazakhstan–China event"
    rel = ID["relationship/CHN-KAZ"]
    for row in rows:
        node = ID[f"coded-event/icews/{row['Event ID']}"]
        assert icews_graph.value(node, DG.relationship) == rel
    assert set(icews_graph.objects(rel, DG.party)) == {ID["state/CHN"], ID["state/KAZ"]}
    assert (rel, RDF.type, DG.BilateralRelationship) in icews_graph


def test_events_within_one_state_are_kept_without_a_relationship(icews_graph: Graph):
    india = [r for r in icews_rows() if r["Source Country"] == r["Target Country"] == "India"]
    assert len(india) == 620
    for row in india:
        node = ID[f"coded-event/icews/{row['Event ID']}"]
        assert icews_graph.value(node, DG.relationship) is None
        assert icews_graph.value(node, DG.sourceState) == icews_graph.value(node, DG.targetState) == ID["state/IND"]


def test_sub_state_actor_is_affiliated_with_its_state_and_keeps_its_sectors(icews_graph: Graph):
    actor = ID["actor/BGD/foreign-affairs-bangladesh"]
    assert (actor, RDF.type, DG.CodedActor) in icews_graph
    assert icews_graph.value(actor, DG.actorState) == ID["state/BGD"]
    sectors = {s for r in icews_rows() if r["Source Name"] == "Foreign Affairs (Bangladesh)"
               for s in r["Source Sectors"].split(",")}
    assert {str(s) for s in icews_graph.objects(actor, DG.actorSector)} == sectors


def test_actor_without_country_is_an_unresolved_actor(icews_graph: Graph):
    rows = [r for r in icews_rows() if r["Target Country"] == "NA" and r["Target Name"] == "European Union"]
    assert rows
    node = ID[f"coded-event/icews/{rows[0]['Event ID']}"]
    target = icews_graph.value(node, DG.targetActor)
    assert (target, RDF.type, DG.UnresolvedActor) in icews_graph
    assert str(icews_graph.value(target, RDFS.label)) == "European Union"
    assert icews_graph.value(node, DG.relationship) is None


# --- GDELT ------------------------------------------------------------------------------


def test_gdelt_both_layouts_import_with_urls_counts_and_tone(project: Path, gdelt_graph: Graph):
    rows = gdelt_rows()
    assert Counter(len(r) for r in rows) == {57: 201, 58: 509}
    line = (project / "gdelt.stdout").read_text().strip()
    got = summary_numbers(line)
    assert got["imported"] == 710 and got["skipped"] == 0
    assert got["pairs"] == len({p for r in rows if (p := gdelt_pair(r))})
    assert len(set(gdelt_graph.subjects(RDF.type, DG.CodedEvent))) == 710
    for number, row in enumerate(rows, start=1):
        node = ID[f"coded-event/gdelt/{row[0]}"]
        assert gdelt_graph.value(node, DG.lineInFile) == Literal(number)
        url = gdelt_graph.value(node, DG.sourceUrl)
        assert (str(url) if url is not None else None) == (row[57] if len(row) == 58 and row[57] else None)
        assert gdelt_graph.value(node, DG.quadClass) == Literal(int(row[29]))
        assert gdelt_graph.value(node, DG.numMentions) == Literal(int(row[31]))
        assert gdelt_graph.value(node, DG.numSources) == Literal(int(row[32]))
        assert gdelt_graph.value(node, DG.numArticles) == Literal(int(row[33]))
        assert float(gdelt_graph.value(node, DG.averageTone)) == pytest.approx(float(row[34]))
        assert float(gdelt_graph.value(node, DG.eventIntensity)) == float(row[30])
        day = f"{row[1][:4]}-{row[1][4:6]}-{row[1][6:]}"
        assert gdelt_graph.value(node, DG.date) == Literal(day, datatype=XSD_DATE)


def test_gdelt_place_country_is_read_as_fips(gdelt_graph: Graph):
    # FIPS CH is China (ISO CN), FIPS AJ Azerbaijan: not ISO alpha-2 codes.
    china = [r for r in gdelt_rows() if r[51] == "CH"]
    assert china
    for row in china:
        assert gdelt_graph.value(ID[f"coded-event/gdelt/{row[0]}"], DG.placeCountry) == ID["state/CHN"]


def test_layout_option_skips_rows_of_the_other_layout(tmp_path: Path):
    root = ROOT
    done = cli("import", "gdelt", str(GDELT_SAMPLE), "--layout", "58", "-o", str(tmp_path), cwd=tmp_path, home=root)
    assert done.returncode == 0, done.stderr
    skipped = done.stderr.splitlines()
    short = [n for n, r in enumerate(gdelt_rows(), start=1) if len(r) == 57]
    assert skipped == [f"{GDELT_SAMPLE}:{n}: expected 58 tab-separated columns (GDELT 1.0), found 57" for n in short]
    assert "imported 509 events" in done.stdout and "skipped 201 (201 wrong column count)" in done.stdout


# --- bad rows, strictness, determinism ---------------------------------------------------------


def _icews_with_invented_bad_rows(path: Path) -> Path:
    lines = ICEWS_SAMPLE.read_text(encoding="utf-8").splitlines()
    good = lines[1].split("\t")

    def row(**changes: str) -> str:
        fields = list(good)
        for index, value in changes.items():
            fields[int(index[1:])] = value
        return "\t".join(fields)

    invented = [
        "\t".join(good[:19]),  # line 4: one column short
        row(c0="900000001", c1="2018-06-31"),  # line 5: no 31 June
        row(c0="900000002", c6="999"),  # line 6: no such CAMEO code
        row(c0="900000003", c2="NA", c4="NA", c8="NA", c10="NA"),  # line 7: no actors
    ]
    path.write_text("\n".join([lines[0], lines[1], lines[2], *invented, lines[3]]) + "\n", encoding="utf-8")
    return path


def test_every_bad_row_is_one_line_naming_file_line_and_reason(tmp_path: Path):
    source = _icews_with_invented_bad_rows(tmp_path / "bad.tab")
    done = cli("import", "icews", "bad.tab", "-o", "out", cwd=tmp_path, home=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "bad.tab:4: expected 20 tab-separated columns (ICEWS), found 19",
        "bad.tab:5: Event Date is not a date (YYYY-MM-DD): '2018-06-31'",
        "bad.tab:6: CAMEO Code '999' is not in the CAMEO codebook",
        "bad.tab:7: neither a source nor a target actor",
    ]
    assert re.search(r"imported 3 events .*, skipped 4 \(1 no actors, 1 unknown CAMEO code, "
                     r"1 unparsable date, 1 wrong column count\); wrote out/icews-bad\.ttl$", done.stdout.strip())
    graph = Graph().parse(tmp_path / "out" / "icews-bad.ttl", format="turtle")
    assert len(set(graph.subjects(RDF.type, DG.CodedEvent))) == 3
    assert source.is_file()


def test_strict_fails_on_a_skipped_row_and_writes_nothing(tmp_path: Path):
    _icews_with_invented_bad_rows(tmp_path / "bad.tab")
    done = cli("import", "icews", "bad.tab", "-o", "out", "--strict", cwd=tmp_path, home=ROOT)
    assert done.returncode == 1
    assert len([line for line in done.stderr.splitlines() if line.startswith("bad.tab:")]) == 4
    assert done.stderr.splitlines()[-1].startswith("error: 4 row(s) of 1 file(s) could not be imported")
    assert "nothing written (--strict)" in done.stdout
    assert not (tmp_path / "out" / "icews-bad.ttl").exists()
    assert list((tmp_path / "out").iterdir()) == []  # no temporary file left behind


def test_a_file_that_is_not_icews_is_one_error_line(tmp_path: Path):
    shutil.copy(GDELT_SAMPLE, tmp_path / "gdelt.tab")
    done = cli("import", "icews", "gdelt.tab", "-o", "out", cwd=tmp_path, home=ROOT)
    assert done.returncode == 2
    assert done.stderr.startswith("error: gdelt.tab:1: not an ICEWS header")
    assert len(done.stderr.splitlines()) == 1


def test_reimport_gives_the_same_bytes(project: Path, tmp_path: Path):
    done = cli("import", "icews", str(ICEWS_SAMPLE), "-o", str(tmp_path), cwd=tmp_path, home=project)
    assert done.returncode == 0, done.stderr
    again = (tmp_path / "icews-events-2018-sample.ttl").read_bytes()
    assert again == (project / "graphs" / "icews-events-2018-sample.ttl").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["icews-events-2018-sample.ttl"]


# --- the output is like any other graph of the project -------------------------------------------


@pytest.mark.slow
def test_imported_graphs_validate(project: Path):
    done = cli("validate", "--engine", "fast", "--format", "lines",
               "graphs/icews-events-2018-sample.ttl", "graphs/gdelt-events-sample.ttl", cwd=project, home=project)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert "conforms: 0 violations" in done.stdout


@pytest.mark.slow
def test_build_with_the_seed_and_both_imports_conforms(project: Path):
    done = cli("build", "--engine", "fast", "--out", str(project / "out"), cwd=project, home=project, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert (project / "out" / "dataset.trig").is_file()
