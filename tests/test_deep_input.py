"""Deeply nested and very long input reads the same on every store and command (issue 11, item 18).

- 150 nested blank nodes made rdflib's Turtle parser exceed Python's recursion limit: ``build``,
  ``merge`` and ``--store rdflib`` exited 2 with "maximum recursion depth exceeded" and no file,
  while ``validate`` on the memory store (Oxigraph's parser) read the file. Now every command reads
  it; a syntax error in such a file is reported with its file and line.
- A long RDF list took time quadratic in its length (rdflib's canonicaliser labelled its blank
  nodes for the merge: 110 s for 2,000 cells). The time is measured in bench/list_bench.py; here
  only that a 15,000-cell list is read whole and in order.

Every file here is a test fixture, not a claim about the world.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_cli, write

EX = "http://example.org/"
DEPTH = 500  # well past the 150 that broke rdflib's parser
PREFIX = f"# Test fixture, not a claim about the world.\n@prefix ex: <{EX}> .\n"


def nested(depth: int) -> str:
    """``ex:a ex:p [ ex:p [ … ex:end … ] ]``: ``depth`` blank nodes, each inside the one before."""
    return f"ex:a ex:p {'[ ex:p ' * depth}ex:end{' ]' * depth} .\n"


def chain_length(quads: list[ox.Quad]) -> int:
    """How many ex:p steps lead from ex:a to ex:end."""
    step = {q.subject: q.object for q in quads if q.predicate == ox.NamedNode(EX + "p")}
    node, length = ox.NamedNode(EX + "a"), 0
    while node in step:
        node, length = step[node], length + 1
    assert node == ox.NamedNode(EX + "end")
    return length


def read_quads(path: Path) -> list[ox.Quad]:
    fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.N_QUADS
    return list(ox.parse(path=str(path), format=fmt))


@pytest.mark.parametrize("store", ["memory", "rdflib"])
def test_deep_nesting_builds_on_every_store(project_dir: Path, store: str):
    write(project_dir / "graphs" / "deep.ttl", PREFIX + nested(DEPTH))
    result = run_cli("build", "--store", store, cwd=project_dir, home=project_dir)
    assert result.returncode == 0, result.stderr
    assert "recursion" not in result.stdout + result.stderr
    assert chain_length(read_quads(project_dir / "out" / "dataset.nq")) == DEPTH + 1


@pytest.mark.parametrize("suffix", [".ttl", ".trig"])
@pytest.mark.parametrize("command", [("validate",), ("validate", "--store", "rdflib"), ("merge", "-o", "m.trig")])
def test_deep_nesting_validates_and_merges(project_dir: Path, command: tuple[str, ...], suffix: str):
    body = nested(DEPTH) if suffix == ".ttl" else f"ex:g {{ {nested(DEPTH)} }}\n"
    path = write(project_dir / f"deep{suffix}", PREFIX + body)
    result = run_cli(command[0], str(path), *command[1:], cwd=project_dir, home=project_dir)
    assert result.returncode == 0, result.stderr
    if command[0] == "merge":
        assert chain_length(read_quads(project_dir / "m.trig")) == DEPTH + 1
    else:
        assert any(line.startswith("conforms:") for line in result.stdout.splitlines()), result.stdout


@pytest.mark.parametrize("command", [("validate", "--store", "rdflib"), ("merge", "-o", "m.trig"), ("build",)])
def test_a_syntax_error_in_a_deep_file_names_file_and_line(project_dir: Path, command: tuple[str, ...]):
    text = PREFIX + nested(DEPTH) + "ex:b ex:p ex:c ex:d .\n"  # line 4: one object too many
    path = write(project_dir / "graphs" / "deep.ttl", text)
    args = command if command == ("build",) else (command[0], str(path), *command[1:])
    result = run_cli(*args, cwd=project_dir, home=project_dir)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: graphs/deep.ttl:4: bad syntax: "), lines[0]
    assert "recursion" not in lines[0] and "(line" not in lines[0], lines[0]  # the line said once
    assert not (project_dir / "m.trig").exists()


CELLS = 15_000


@pytest.mark.parametrize("command", [("merge", "-o", "m.trig"), ("validate",)])
def test_a_long_list_is_read_whole_and_in_order(project_dir: Path, command: tuple[str, ...]):
    path = write(project_dir / "list.ttl", PREFIX + f"ex:a ex:list ( {' '.join(map(str, range(CELLS)))} ) .\n")
    result = run_cli(command[0], str(path), *command[1:], cwd=project_dir, home=project_dir)
    assert result.returncode == 0, result.stderr
    if command[0] == "validate":
        assert any(line.startswith("conforms:") for line in result.stdout.splitlines()), result.stdout
        return
    quads = read_quads(project_dir / "m.trig")
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    first = {q.subject: q.object for q in quads if q.predicate == ox.NamedNode(rdf + "first")}
    rest = {q.subject: q.object for q in quads if q.predicate == ox.NamedNode(rdf + "rest")}
    node = next(q.object for q in quads if q.predicate == ox.NamedNode(EX + "list"))
    values = []
    while node != ox.NamedNode(rdf + "nil"):
        values.append(int(first[node].value))
        node = rest[node]
    assert values == list(range(CELLS))
