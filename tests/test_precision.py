"""Precision is not contradiction (issue 13 item 5) and two-file messages (item 4, second half).

Fixtures under tests/fixtures/precision/ are invented data (each file says so), not claims about the
world: a China–Kazakhstan file dating the seed's 2024 SCO Astana summit 3 July 2024 (the seed says
"2024") and Kazakhstan's SCO membership "2001" (the reference graph says 2001-06-15); the same summit
under an IRI of its own; a summit that nearly matches; and dates that truly disagree.
"""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Literal, URIRef

from conftest import run_cli
from diplograph.merge import merge_sources, remove_sources
from diplograph.merge.precision import compatible, most_precise
from diplograph.namespaces import DG, GRAPH, ID, RDF, XSD
from merge_util import REFERENCE, ROOT, SEED

PRECISION = ROOT / "tests" / "fixtures" / "precision"
CK = PRECISION / "china-kazakhstan-2024.ttl"
VARIANT = PRECISION / "china-kazakhstan-variant.ttl"
NEAR_MISS = PRECISION / "near-miss.ttl"
DISAGREEING = PRECISION / "disagreeing-dates.ttl"
SUMMIT = ID["event/summit-2024-astana-sco"]
KAZ_SCO = ID["membership/sco-KAZ"]
SEED_GRAPH, CK_GRAPH = GRAPH["source/china-azerbaijan-2024"], GRAPH["source/china-kazakhstan-2024"]
META = GRAPH["meta"]


def _date(text: str, kind: URIRef) -> Literal:
    return Literal(text, datatype=kind)


@pytest.mark.parametrize(("a", "b", "agree"), [
    (_date("2024", XSD.gYear), _date("2024-07-03", XSD.date), True),
    (_date("2024-07", XSD.gYearMonth), _date("2024-07-03", XSD.date), True),
    (_date("2001", XSD.gYear), _date("2001-06-15", XSD.date), True),
    (_date("2024-07-03", XSD.date), _date("2024-07-03Z", XSD.date), True),
    (_date("2024-07-03", XSD.date), _date("2024-07-05", XSD.date), False),
    (_date("2023", XSD.gYear), _date("2024-07-03", XSD.date), False),
    (_date("2024-06", XSD.gYearMonth), _date("2024-07-03", XSD.date), False),
    (Literal("2024"), _date("2024-07-03", XSD.date), False),  # a string is no date
])
def test_dates_agree_only_when_one_is_the_other_at_a_coarser_precision(a, b, agree):
    assert compatible(a, b) is agree and compatible(b, a) is agree
    assert most_precise([a, b]) == (max(a, b, key=lambda d: len(str(d))) if agree else None)


def _merged(tmp_path, *files, extra=()):
    out, report = tmp_path / "merged.trig", tmp_path / "report.json"
    proc = run_cli("merge", *map(str, files), "-o", str(out), "--report", str(report), *extra, cwd=ROOT)
    ds = Dataset()
    if out.exists():
        ds.parse(out, format="trig")
    return proc, ds, json.loads(report.read_text(encoding="utf-8"))


@pytest.mark.parametrize("engine", ["reference", "fast"])
def test_validation_passes_on_agreeing_dates_and_says_what_was_refined(engine):
    proc = run_cli("validate", "--format", "lines", "--engine", engine, str(SEED), str(CK), cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "conforms: 0 violations" in proc.stdout
    notes = [line for line in proc.stdout.splitlines() if line.startswith("note: refined:")]
    assert len(notes) == 2, proc.stdout
    summit = next(n for n in notes if "summit-2024-astana-sco" in n)
    assert "dg:date 2024 (" in summit and "graphs/china-azerbaijan-2024.ttl" in summit
    assert "-> 2024-07-03 (" in summit and "china-kazakhstan-2024.ttl" in summit
    member = next(n for n in notes if "membership/sco-KAZ" in n)
    assert "dg:startDate 2001 (" in member and "-> 2001-06-15 (" in member and "graphs/reference/memberships.ttl" in member


def test_merge_keeps_the_precise_date_and_records_the_coarse_one_with_its_source(tmp_path):
    proc, ds, report = _merged(tmp_path, SEED, CK)
    assert proc.returncode == 0, proc.stderr
    assert "0 conflicts" in proc.stdout and "2 refined dates" in proc.stdout
    line = next(ln for ln in proc.stderr.splitlines() if "summit-2024-astana-sco" in ln)
    assert line.startswith("refined: id:event/summit-2024-astana-sco dg:date 2024 (graph:source/china-azerbaijan-2024 "
                           "(graphs/china-azerbaijan-2024.ttl)) -> 2024-07-03 (graph:source/china-kazakhstan-2024 "
                           "(tests/fixtures/precision/china-kazakhstan-2024.ttl))")
    # the merged view: one date for the summit and for the membership, the precise one
    assert {o for _s, _p, o, _g in ds.quads((SUMMIT, DG.date, None, None))} == {_date("2024-07-03", XSD.date)}
    assert {o for _s, _p, o, _g in ds.quads((KAZ_SCO, DG.startDate, None, None))} == {_date("2001-06-15", XSD.date)}
    # the seed's graph keeps the rest of what it says about the summit
    assert (SUMMIT, DG.summitOf, ID["org/sco"]) in ds.graph(SEED_GRAPH)
    # nothing is lost: graph/meta records what the seed said, where, and what refined it
    meta = ds.graph(META)
    records = {r for r in meta.subjects(RDF.type, DG.DateRefinement) if meta.value(r, RDF.subject) == SUMMIT}
    assert len(records) == 1
    record = records.pop()
    assert meta.value(record, RDF.predicate) == DG.date and meta.value(record, RDF.object) == _date("2024", XSD.gYear)
    assert meta.value(record, DG.statedIn) == SEED_GRAPH and meta.value(record, DG.refinedIn) == CK_GRAPH
    assert meta.value(record, DG.refinedValue) == _date("2024-07-03", XSD.date)
    # and so does the JSON report, with both sources
    summit = next(r for r in report["refinements"] if r["node"] == str(SUMMIT))
    assert summit["from"]["sources"] == ["graph:source/china-azerbaijan-2024 (graphs/china-azerbaijan-2024.ttl)"]
    assert summit["to"]["graphs"] == [str(CK_GRAPH)]
    assert report["conflicts"] == []


def test_both_merge_paths_refine_alike_in_any_order():
    python = merge_sources([SEED, CK, VARIANT], REFERENCE, store="rdflib")
    oxigraph = merge_sources([VARIANT, CK, SEED], REFERENCE, store="memory")
    assert python.quads() == oxigraph.quads()
    assert python.report.as_json(times=False) == oxigraph.report.as_json(times=False)
    summit, member = python.report.refinements  # the summit refined by two graphs is one row
    assert summit.node == SUMMIT and summit.coarse_graphs == (SEED_GRAPH,)
    assert summit.precise_graphs == (CK_GRAPH, GRAPH["source/china-kazakhstan-variant"])
    assert member.node == KAZ_SCO and member.coarse_graphs == (CK_GRAPH,)


def test_removing_the_precise_source_gives_the_coarse_date_back():
    merged = merge_sources([SEED, CK], REFERENCE, store="rdflib")
    assert (SUMMIT, DG.date, _date("2024", XSD.gYear)) not in merged.dataset.graph(SEED_GRAPH)
    fewer = remove_sources(merged, [CK_GRAPH])
    assert (SUMMIT, DG.date, _date("2024", XSD.gYear)) in fewer.dataset.graph(SEED_GRAPH)
    assert fewer.report.refinements == () and fewer.quads() == merge_sources([SEED], REFERENCE, store="rdflib").quads()


def test_a_variant_iri_with_the_real_day_reconciles_into_one_summit(tmp_path):
    proc, ds, report = _merged(tmp_path, SEED, VARIANT)
    assert proc.returncode == 0, proc.stderr
    summits = {s for s, _p, _o, _g in ds.quads((None, DG.summitOf, None, None))}
    assert summits == {SUMMIT}
    assert {o for _s, _p, o, _g in ds.quads((SUMMIT, DG.date, None, None))} == {_date("2024-07-03", XSD.date)}
    rewrite = next(r for r in report["rewrites"] if r["from"] == str(ID["event/summit/2024-07-03/astana/sco"]))
    assert rewrite["to"] == str(SUMMIT) and "dg:Summit" in rewrite["key"] and "summitOf id:org/sco" in rewrite["key"]
    assert report["warnings"] == [] and report["conflicts"] == []
    proc = run_cli("validate", "--format", "lines", str(SEED), str(VARIANT), cwd=ROOT)
    assert proc.returncode == 0, proc.stdout


def test_a_near_miss_is_warned_naming_both_events_and_both_files(tmp_path):
    proc, ds, report = _merged(tmp_path, SEED, NEAR_MISS)
    assert proc.returncode == 0, proc.stderr
    summits = {s for s, _p, _o, _g in ds.quads((None, RDF.type, DG.Summit, None))}
    assert len(summits) == 2  # not guessed into one
    [warning] = [w for w in report["warnings"] if "near miss" in w["message"]]
    text = f"{warning['source']} {warning['node']} {warning['message']}"
    for part in ("graphs/china-azerbaijan-2024.ttl", "tests/fixtures/precision/near-miss.ttl",
                 "id:event/summit-2024-astana-sco", "<http://example.org/near-miss/summit-astana>", '"2024-07"^^xsd:gYearMonth',
                 "dg:summitOf"):
        assert part in text, part
    assert "near miss" in proc.stderr and "1 warning" in proc.stdout


def test_the_sideline_meetings_of_one_summit_are_no_near_miss():
    r = merge_sources([SEED, ROOT / "tests" / "fixtures" / "merge" / "azerbaijan-kazakhstan.ttl"], REFERENCE)
    assert not [w for w in r.report.warnings if "near miss" in w.message]


def test_dates_that_disagree_stay_conflicts_naming_both_values_and_both_files(tmp_path):
    proc, ds, report = _merged(tmp_path, SEED, CK, DISAGREEING)
    assert proc.returncode == 0 and "2 conflicts" in proc.stdout
    by_node = {c["subject"]: c for c in report["conflicts"]}
    summit = by_node["id:event/summit-2024-astana-sco"]
    assert summit["kind"] == "date"
    values = {v["value"]: v["sources"] for v in summit["values"]}
    assert values['"2024-07-03"^^xsd:date'] == ["graph:source/china-kazakhstan-2024 (tests/fixtures/precision/china-kazakhstan-2024.ttl)"]
    assert values['"2024-07-05"^^xsd:date'] == ["graph:source/disagreeing-dates (tests/fixtures/precision/disagreeing-dates.ttl)"]
    assert by_node["id:membership/sco-KAZ"]["kind"] == "date"
    # every value is kept, each in its own graph
    assert len({o for _s, _p, o, _g in ds.quads((SUMMIT, DG.date, None, None))}) == 3
    strict = run_cli("merge", str(SEED), str(CK), str(DISAGREEING), "-o", str(tmp_path / "x.trig"), "--strict", cwd=ROOT)
    assert strict.returncode == 1 and "conflict (date): id:event/summit-2024-astana-sco" in strict.stderr


@pytest.mark.parametrize("engine", ["reference", "fast"])
def test_a_violation_of_two_files_names_both_values_and_both_files(engine):
    proc = run_cli("validate", "--format", "lines", "--engine", engine, str(CK), str(DISAGREEING), cwd=ROOT)
    assert proc.returncode == 1, proc.stdout
    [line] = [ln for ln in proc.stdout.splitlines() if "Violation" in ln and "summit-2024-astana-sco" in ln]
    assert "at most one dg:date" in line
    assert '"2024-07-03"^^xsd:date in tests/fixtures/precision/china-kazakhstan-2024.ttl:33' in line
    assert '"2024-07-05"^^xsd:date in tests/fixtures/precision/disagreeing-dates.ttl:32' in line
    [member] = [ln for ln in proc.stdout.splitlines() if "Violation" in ln and "membership/sco-KAZ" in ln]
    for part in ('"2001"^^xsd:gYear in tests/fixtures/precision/china-kazakhstan-2024.ttl',
                 '"2001-06-15"^^xsd:date in graphs/reference/memberships.ttl',
                 '"2002"^^xsd:gYear in tests/fixtures/precision/disagreeing-dates.ttl'):
        assert part in member, part


def _summit_file(path, iri: str, day: str):
    path.write_text(
        "# Test fixture, not a claim about the world: invented data for the precision tests.\n"
        "@prefix dg: <https://w3id.org/diplograph/ns#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f'<{iri}> a dg:Summit ; dg:summitOf <{ID["org/sco"]}> ; dg:place <{ID["place/astana"]}> ;\n'
        f'    dg:date "{day}"^^xsd:date .\n', encoding="utf-8")
    return path


def test_a_coarse_date_that_agrees_with_two_events_is_not_guessed(tmp_path):
    third = _summit_file(tmp_path / "third.ttl", "http://example.org/third/summit", "2024-07-03")
    fifth = _summit_file(tmp_path / "fifth.ttl", "http://example.org/fifth/summit", "2024-07-05")
    for store in ("rdflib", "memory"):
        r = merge_sources([SEED, third, fifth], REFERENCE, store=store)
        summits = {s for s, _p, _o, _g in r.dataset.quads((None, DG.summitOf, ID["org/sco"], None))}
        assert len(summits) == 3 and SUMMIT in summits, store  # "2024" stays the seed's own summit
        misses = [w for w in r.report.warnings if "near miss" in w.message and "more than one event" in w.message]
        assert len(misses) == 2, (store, r.report.warnings)
        assert r.report.refinements == ()
