"""`diplograph query` through the real entry point: formats, listing and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli, write

REPO = Path(__file__).resolve().parents[1]


def query(*args: str, cwd: Path):
    return run_cli("query", *args, cwd=cwd, home=REPO)


def named_queries() -> list[str]:
    return sorted(p.stem for p in (REPO / "queries").glob("*.rq"))


def test_unknown_name_lists_the_known_ones(tmp_path):
    result = query("no-such-query", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "no-such-query" in result.stderr
    for name in named_queries():
        assert name in result.stderr


def test_syntax_error_shows_the_line(tmp_path):
    result = query("--sparql", "SELECT ?x WHERE {\n  ?x ?y\n}", cwd=tmp_path)
    assert result.returncode == 2
    assert "line" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_syntax_error_in_a_file_names_the_file(tmp_path):
    path = write(tmp_path / "broken.rq", "#+ summary: broken\n#+ returns: ?x\nSELECT ?x WHERE { ?x ?y }\n")
    result = query(str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert "broken.rq line " in result.stderr and "column" in result.stderr


def test_non_utf8_query_file_is_one_line(tmp_path):
    path = write(tmp_path / "latin1.rq", '#+ summary: caf\xe9\n#+ returns: ?x\nSELECT ?x WHERE { ?x ?y "caf\xe9" }\n'.encode("latin-1"))
    result = query(str(path), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "UTF-8" in lines[0]


def test_json_is_sparql_results_json(tmp_path):
    result = query("posts-held", "--infer", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["head"]["vars"] == ["person", "post"]
    bindings = document["results"]["bindings"]
    assert {"person": {"type": "literal", "value": "Xi Jinping"}, "post": {"type": "literal", "value": "President of China"}} in bindings


def test_infer_is_needed_for_inferred_answers(tmp_path):
    without = query("posts-held", "--format", "csv", cwd=tmp_path)
    with_inference = query("posts-held", "--format", "csv", "--infer", cwd=tmp_path)
    assert without.returncode == 0 and with_inference.returncode == 0
    assert without.stdout.strip().splitlines() == ["person,post"]
    assert "Xi Jinping,President of China" in with_inference.stdout


@pytest.mark.parametrize("fmt", ["csv", "tsv", "table"])
def test_formats_and_stores(tmp_path, fmt):
    text = "PREFIX dg: <https://w3id.org/diplograph/ns#> SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a dg:Person }"
    for store in ("memory", "rdflib"):
        result = query("--sparql", text, "--format", fmt, "--store", store, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "4" in result.stdout


def test_list_shows_every_query(tmp_path):
    result = query("--list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = result.stdout
    names = named_queries() + sorted(p.stem for p in (REPO / "queries" / "checks").glob("*.rq"))
    assert len(names) >= 15
    for name in names:
        assert name in listed
    assert f"{len(names)} queries" in listed
