"""Reading RDF files: every failure becomes a one-line typed error naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from conftest import write
from diplograph.errors import (
    EmptyInputError,
    EncodingError,
    InputError,
    ParseError,
    PathNotFoundError,
    UnsupportedFormatError,
)
from diplograph.loading import expand_paths, load_dataset_file, load_graph

PREFIX = "@prefix ex: <http://example.org/> .\n"
# Line 4 is the broken one: a third term after the object.
BROKEN_TTL = PREFIX + "\nex:a ex:b ex:c .\nex:a ex:b ex:c ex:d .\n"


def test_valid_turtle_loads_into_a_plain_graph(tmp_path):
    graph = load_graph(write(tmp_path / "ok.ttl", PREFIX + "ex:a ex:b ex:c .\n"))
    assert type(graph) is Graph
    assert len(graph) == 1


def test_syntax_error_names_file_and_line_on_one_line(tmp_path):
    path = write(tmp_path / "broken.ttl", BROKEN_TTL)
    with pytest.raises(ParseError) as info:
        load_graph(path)
    err = info.value
    assert err.path == path
    assert err.line == 4
    assert str(err).startswith(f"{path}:4: bad syntax")
    assert "\n" not in str(err)


@pytest.mark.parametrize("ending", ["\n", "", "\n\n"])
def test_a_file_that_stops_mid_statement_names_its_last_line(tmp_path, ending):
    # rdflib says "line 6" of this three-line file, or (no newline at the end) only "string index
    # out of range": the error is at the end, after the last line's text.
    path = write(tmp_path / "cut.ttl", PREFIX + "\nex:a ex:b" + ending)
    with pytest.raises(ParseError) as info:
        load_graph(path)
    lines = len((PREFIX + "\nex:a ex:b" + ending).splitlines())
    assert info.value.line == lines
    # rdflib's reason where it gives one, Oxigraph's where rdflib gives none
    reason = "the file ends in the middle of a statement" if ending == "" else "objectList expected at the end of the file"
    assert str(info.value) == f"{path}:{lines}: bad syntax: {reason} (after: ex:a ex:b)"
    assert "\n" not in str(info.value)


def test_rdflib_badsyntax_lines_is_zero_based(tmp_path):
    # The fact loading.py relies on (rdflib 7.6): BadSyntax.lines counts from 0.
    with pytest.raises(BadSyntax) as info:
        Graph().parse(data=BROKEN_TTL, format="turtle")
    assert info.value.lines == 3


def test_trig_syntax_error_names_line(tmp_path):
    path = write(tmp_path / "broken.trig", PREFIX + "ex:g {\n  ex:a ex:b ex:c .\n  ex:a ex:b }\n")
    with pytest.raises(ParseError) as info:
        load_dataset_file(path)
    assert info.value.line == 4


def test_ntriples_error_gets_its_line_from_oxigraph(tmp_path):
    # rdflib's N-Triples parser gives no line number; loading asks pyoxigraph.
    good = "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
    path = write(tmp_path / "broken.nt", good + good + "<http://example.org/a> <http://example.org/b> .\n")
    with pytest.raises(ParseError) as info:
        load_graph(path)
    assert info.value.line == 3
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "# only a comment\n", PREFIX + "# prefixes but no triples\n"],
    ids=["empty", "blank-lines", "comment", "prefix-only"],
)
def test_file_without_triples_is_empty_input(tmp_path, text):
    path = write(tmp_path / "x.ttl", text)
    with pytest.raises(EmptyInputError) as info:
        load_graph(path)
    assert str(info.value) == f"{path}: holds no triples"


def test_relative_path_is_shown_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "graphs" / "x.ttl", "")
    with pytest.raises(EmptyInputError) as info:
        load_graph(Path("graphs/x.ttl"))
    assert str(info.value) == "graphs/x.ttl: holds no triples"


def test_missing_path(tmp_path):
    with pytest.raises(PathNotFoundError) as info:
        load_graph(tmp_path / "nope.ttl")
    assert "nope.ttl: no such file or folder" in str(info.value)


def test_non_utf8_names_file_and_line(tmp_path):
    path = write(tmp_path / "latin1.ttl", (PREFIX + 'ex:a ex:b "ok" .\nex:a ex:b "caf\xe9" .\n').encode("latin-1"))
    with pytest.raises(EncodingError) as info:
        load_graph(path)
    assert info.value.line == 3
    assert str(info.value).startswith(f"{path}:3: byte 0xe9")
    assert isinstance(info.value, InputError)


def test_byte_order_mark_is_accepted(tmp_path):
    path = write(tmp_path / "bom.ttl", "\ufeff" + PREFIX + "ex:a ex:b ex:c .\n")
    assert len(load_graph(path)) == 1


def test_unknown_suffix(tmp_path):
    with pytest.raises(UnsupportedFormatError):
        load_graph(write(tmp_path / "x.csv", "a,b\n"))


def test_trig_is_not_a_triple_format(tmp_path):
    with pytest.raises(UnsupportedFormatError) as info:
        load_graph(write(tmp_path / "x.trig", PREFIX + "ex:g { ex:a ex:b ex:c . }\n"))
    assert "load_dataset_file" in str(info.value)


def test_trig_loads_named_graphs(tmp_path):
    path = write(tmp_path / "x.trig", PREFIX + "ex:g1 { ex:a ex:b ex:c . }\nex:g2 { ex:d ex:e ex:f . }\n")
    dataset = load_dataset_file(path)
    names = {g.identifier for g in dataset.graphs() if len(g)}
    assert names == {URIRef("http://example.org/g1"), URIRef("http://example.org/g2")}


def test_expand_paths_folder_gives_sorted_graph_files(tmp_path):
    for name in ("b.ttl", "a.trig", "c.txt", "d.nt"):
        write(tmp_path / "g" / name, "")
    write(tmp_path / "g" / "sub" / "e.ttl", "")
    assert expand_paths([tmp_path / "g"]) == [tmp_path / "g" / "a.trig", tmp_path / "g" / "b.ttl"]


def test_expand_paths_keeps_files_and_drops_duplicates(tmp_path):
    a = write(tmp_path / "a.ttl", "")
    assert expand_paths([a, tmp_path, a]) == [a]


def test_expand_paths_folder_with_no_graph_files(tmp_path):
    write(tmp_path / "notes.txt", "")
    with pytest.raises(EmptyInputError) as info:
        expand_paths([tmp_path])
    assert "folder holds no graph files" in str(info.value)


def test_expand_paths_missing(tmp_path):
    with pytest.raises(PathNotFoundError):
        expand_paths([tmp_path / "nope"])
