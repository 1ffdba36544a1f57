"""`diplograph lookup TEXT` (diplograph.lookup): entities by label, alias, code or QID, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from diplograph.lookup import normalise

ROOT = Path(__file__).resolve().parents[1]


def found(text: str) -> list[dict]:
    proc = run_cli("lookup", text, "--format", "json", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_label_in_another_language_without_accents_finds_the_state():
    (match,) = found("azerbaidjan")
    assert match["iri"] == "https://w3id.org/diplograph/id/state/AZE"
    assert match["label"] == "Azerbaijan" and match["kinds"] == ["dg:State"]
    assert match["matched"] == ['label "Azerbaïdjan"@fr']
    assert "graphs/reference/states.ttl" in match["files"] and "graphs/china-azerbaijan-2024.ttl" in match["files"]


@pytest.mark.parametrize(("text", "matched"), [
    ("aze", 'dg:isoAlpha3 "AZE"'),
    ("031", 'dg:isoNumeric "031"'),
    ("Q227", "skos:exactMatch wd:Q227"),
])
def test_a_code_or_qid_finds_the_state_first(text, matched):
    first = found(text)[0]
    assert first["iri"] == "https://w3id.org/diplograph/id/state/AZE" and matched in first["matched"]


def test_an_alias_and_an_acronym_find_the_organisation():
    by_alias = found("Shanghai Cooperation Organization")  # the American spelling is an alias (skos:altLabel)
    assert by_alias[0]["iri"] == "https://w3id.org/diplograph/id/org/sco"
    assert 'alias "Shanghai Cooperation Organization"@en' in by_alias[0]["matched"]
    by_acronym = found("SCO")
    assert by_acronym[0]["iri"] == "https://w3id.org/diplograph/id/org/sco"
    # the summit is found too (its label holds "SCO"), after the exact match
    assert "https://w3id.org/diplograph/id/event/summit-2024-astana-sco" in [m["iri"] for m in by_acronym[1:]]


def test_events_and_people_of_the_seed_are_found_with_their_source():
    iris = {m["iri"]: m for m in found("xi jinping")}
    xi = iris["https://w3id.org/diplograph/id/person/xi-jinping"]
    assert xi["kinds"] == ["dg:Person"] and xi["files"] == ["graphs/china-azerbaijan-2024.ttl"]


def test_table_output_and_nothing_found():
    proc = run_cli("lookup", "Astana", cwd=ROOT)
    assert proc.returncode == 0 and "id:place/astana" in proc.stdout and proc.stdout.rstrip().endswith("3 matches")
    none = run_cli("lookup", "no-such-thing-anywhere", cwd=ROOT)
    assert none.returncode == 0 and none.stdout.startswith("nothing in the dataset matches 'no-such-thing-anywhere'")
    bad = run_cli("lookup", "x", "--format", "xml", cwd=ROOT)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "unknown format 'xml'" in bad.stderr


def test_normalise_ignores_case_and_accents():
    assert normalise("Azerbaïdjan") == normalise("AZERBAIDJAN") == "azerbaidjan"
    assert normalise("México") == "mexico"
