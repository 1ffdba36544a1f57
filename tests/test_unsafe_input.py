"""Input files cannot make the parser fetch or expand without limit (issue 11, items 16 and 17).

- JSON-LD: a ``@context`` (or ``@import``) naming a document is fetched by rdflib's parser: a URL
  (request forgery from whatever machine reads the file) or a local file (``file:///etc/passwd``).
  Refused unless ``DIPLOGRAPH_ALLOW_REMOTE_CONTEXTS=1``. A local listener on 127.0.0.1 proves that
  nothing is requested, and, allowed, that the request is made.
- RDF/XML: nested entity declarations expand exponentially (the 700-byte file below ran for over
  200 s in ``validate``); a document declaring entities is refused in one line, at once.

Every file here is a test fixture, not a claim about the world.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conftest import run_cli, write
from diplograph.errors import ParseError, UnsafeInputError
from diplograph.loading import ALLOW_CONTEXTS_ENV, load_graph
from net_util import Listener

EX = "http://example.org/"


def jsonld(context) -> str:
    return json.dumps({"@context": context, "@id": EX + "x", EX + "p": "test fixture"}, indent=1)


def bomb() -> str:
    """Seven levels of ten: 'dg ' * 10**8 from a file of some 700 bytes."""
    entities = ['<!ENTITY a0 "dg dg dg dg dg dg dg dg dg dg">']
    entities += [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 8)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
            f'  <rdf:Description rdf:about="{EX}x"><rdfs:label>&a7;</rdfs:label></rdf:Description>\n</rdf:RDF>\n')


PLAIN_XML = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
             'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
             f'  <rdf:Description rdf:about="{EX}x"><rdfs:label>test fixture</rdfs:label></rdf:Description>\n</rdf:RDF>\n')


def settle(listener: Listener) -> int:
    time.sleep(0.3)
    return listener.connections


# --- JSON-LD contexts --------------------------------------------------------------------------


@pytest.mark.parametrize("command", [("validate",), ("validate", "--store", "rdflib"), ("merge", "-o", "m.trig")])
def test_a_remote_context_is_refused_and_nothing_is_requested(project_dir: Path, command: tuple[str, ...]):
    with Listener() as listener:
        path = write(project_dir / "remote.jsonld", jsonld(listener.url + "context.jsonld"))
        result = run_cli(*command[:1], str(path), *command[1:], cwd=project_dir, home=project_dir)
        assert settle(listener) == 0
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: remote.jsonld:2: refused: the file names the JSON-LD context <{listener.url}context.jsonld>, "
        "which would be fetched while parsing (remote and file contexts are not read); write the context into "
        f"the file, or set {ALLOW_CONTEXTS_ENV}=1 to let it be fetched"]


def test_a_file_context_is_refused(project_dir: Path):
    path = write(project_dir / "passwd.jsonld", jsonld("file:///etc/passwd"))
    result = run_cli("validate", str(path), cwd=project_dir, home=project_dir)
    assert result.returncode == 2
    assert result.stderr.startswith("error: passwd.jsonld:2: refused: the file names the JSON-LD context <file:///etc/passwd>")
    assert "root:" not in result.stderr + result.stdout


def test_contexts_anywhere_in_the_document_are_found(tmp_path: Path):
    scoped = {"@context": {"ex": EX, "p": {"@id": "ex:p", "@context": ["ok.jsonld", {"@import": "https://example.org/i"}]}},
              "@id": "ex:x", "p": {"@id": "ex:y"}}
    path = write(tmp_path / "scoped.jsonld", json.dumps(scoped))
    with pytest.raises(UnsafeInputError) as info:
        load_graph(path)
    assert info.value.feature == "json-ld-context" and info.value.reference in ("ok.jsonld", "https://example.org/i")


def test_allowed_a_context_is_fetched(project_dir: Path, monkeypatch: pytest.MonkeyPatch):
    # the control: allowed, the same file does reach the listener (which gives no answer)
    monkeypatch.setenv(ALLOW_CONTEXTS_ENV, "1")
    with Listener() as listener:
        path = write(project_dir / "remote.jsonld", jsonld(listener.url + "context.jsonld"))
        run_cli("validate", str(path), cwd=project_dir, home=project_dir)
        assert settle(listener) >= 1
    assert b"GET /context.jsonld" in b"".join(listener.received)


def test_allowed_a_local_context_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(ALLOW_CONTEXTS_ENV, "1")
    write(tmp_path / "context.jsonld", json.dumps({"@context": {"p": EX + "p"}}))
    graph = load_graph(write(tmp_path / "data.jsonld", json.dumps({"@context": "context.jsonld", "@id": EX + "x", "p": "v"})))
    assert len(graph) == 1


def test_an_inline_context_needs_no_leave(tmp_path: Path):
    graph = load_graph(write(tmp_path / "inline.jsonld", jsonld({"ex": EX})))
    assert len(graph) == 1


def test_bad_json_names_the_line(tmp_path: Path):
    with pytest.raises(ParseError) as info:
        load_graph(write(tmp_path / "bad.jsonld", '{\n  "@id": "x",\n  "p": \n}\n'))
    assert info.value.line == 4 and "bad JSON" in str(info.value)


# --- XML entities ------------------------------------------------------------------------------


@pytest.mark.parametrize("store", ["memory", "rdflib"])
def test_an_entity_bomb_is_refused_at_once(project_dir: Path, store: str):
    path = write(project_dir / "bomb.rdf", bomb())
    assert len(path.read_bytes()) < 800
    started = time.monotonic()
    result = run_cli("validate", "--store", store, str(path), cwd=project_dir, home=project_dir)
    assert time.monotonic() - started < 30  # it used to run for over 200 s
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: bomb.rdf:3: refused: the file declares the XML entity 'a0'; documents declaring entities are not "
        "read, because nested entities expand without limit; write the values out in full, or convert the file to Turtle"]


def test_an_external_entity_is_refused(tmp_path: Path):
    text = PLAIN_XML.replace('<?xml version="1.0"?>\n', '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
                             '<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n').replace("test fixture", "&secret;")
    with pytest.raises(UnsafeInputError) as info:
        load_graph(write(tmp_path / "external.rdf", text))
    assert (info.value.feature, info.value.reference, info.value.line) == ("xml-entity", "secret", 3)


def test_rdf_xml_without_entities_is_read(tmp_path: Path):
    graph = load_graph(write(tmp_path / "plain.rdf", PLAIN_XML))
    assert len(graph) == 1
