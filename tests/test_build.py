"""`diplograph build`: every output written, atomic replacement, and refusal of bad data."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from rdflib import Dataset

from conftest import FIXTURES
from diplograph import build as build_module
from diplograph.build import STAGES, NonConformingError, build
from diplograph.project import HOME_ENV, Project

REPO = Path(__file__).resolve().parents[1]


def copy_project(root: Path) -> Path:
    """A throw-away copy of the real project (ontology, graphs, queries)."""
    for sub in ("ontology", "graphs", "queries"):
        shutil.copytree(REPO / sub, root / sub)
    return root


def diplograph(*args: str, home: Path, cwd: Path) -> subprocess.CompletedProcess:
    """The real `diplograph` console script (python -m diplograph if it is not installed)."""
    script = Path(sys.executable).with_name("diplograph")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "diplograph"]
    env = {k: v for k, v in os.environ.items() if k != "DIPLOGRAPH_DEBUG"}
    env[HOME_ENV] = str(home)
    return subprocess.run([*command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One build of the real project into a temporary folder, with the stages seen by `progress`."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    stages: list[str] = []
    report = build(Project(root), root / "out", progress=stages.append)
    return root, report, stages


def test_build_writes_every_file(built):
    root, report, stages = built
    out = root / "out"
    assert stages == list(STAGES)
    names = {str(p) for p in report.files}
    expected = {"dataset.trig", "dataset.nq", "validation-report.ttl", "validation-report.txt", "merge-report.json",
                "network.html", "ontology/index.html"}
    assert expected <= names
    queries = sorted(p.stem for p in (root / "queries").glob("*.rq"))
    assert len(queries) >= 15 and report.queries_run == len(queries)
    for name in queries:
        assert f"queries/{name}.csv" in names and f"queries/{name}.json" in names
        document = json.loads((out / "queries" / f"{name}.json").read_text(encoding="utf-8"))
        assert "vars" in document["head"]
    assert "diplograph-data" in (out / "network.html").read_text(encoding="utf-8")
    assert {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} == names
    assert report.triples_asserted > 5000 and report.triples_inferred > 500
    assert set(report.seconds) == set(STAGES)
    assert not list(root.glob("out.tmp-*")) and not list(root.glob("out.old-*"))


def _golden_queries():

    golden = Path(__file__).parent / "golden"
    return sorted((p.stem, p) for p in golden.glob("*.csv"))


@pytest.mark.parametrize(("name", "golden"), _golden_queries(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_answers_build_writes_are_the_golden_answers(built, name, golden):
    """out/queries/NAME.csv is what the tests call the right answer (with the inferred graph in)."""
    root, _report, _ = built
    written = (root / "out" / "queries" / f"{name}.csv").read_bytes().decode("utf-8")
    expected = golden.read_text(encoding="utf-8")
    assert written.replace("\r\n", "\n") == expected


def test_dataset_holds_the_inferred_graph_apart(built):
    from rdflib import Dataset

    root, report, _ = built
    ds = Dataset()
    ds.parse(root / "out" / "dataset.nq", format="nquads")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert "https://w3id.org/diplograph/graph/inferred" in names
    assert "https://w3id.org/diplograph/graph/source/china-azerbaijan-2024" in names
    assert len(ds.graph(ds.graph("https://w3id.org/diplograph/graph/inferred").identifier)) == report.triples_inferred


def test_cli_build_exits_0_and_prints_the_summary(tmp_path):
    root = copy_project(tmp_path / "project")
    result = diplograph("build", "--out", str(tmp_path / "built"), home=root, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for row in ("named graphs", "triples asserted", "triples inferred", "shapes checked", "queries run", "files written", "time: infer"):
        assert row in result.stdout
    assert (tmp_path / "built" / "dataset.trig").is_file()
    assert "Traceback" not in result.stderr


def test_non_conforming_graph_exits_1_and_leaves_out_untouched(tmp_path):
    root = copy_project(tmp_path / "project")
    first = diplograph("build", home=root, cwd=root)
    assert first.returncode == 0, first.stderr
    before = snapshot(root / "out")
    shutil.copy(FIXTURES / "graphs" / "one-state-relationship.ttl", root / "graphs")
    result = diplograph("build", home=root, cwd=root)
    assert result.returncode == 1, result.stderr
    assert "does not conform" in result.stderr
    assert "relationship/FRA-FRA" in result.stdout  # the violations table names the node
    assert snapshot(root / "out") == before
    assert not list(root.glob("out.tmp-*"))


def test_non_conforming_error_from_the_library(tmp_path):
    root = copy_project(tmp_path / "project")
    shutil.copy(FIXTURES / "graphs" / "one-state-relationship.ttl", root / "graphs")
    with pytest.raises(NonConformingError) as caught:
        build(Project(root), root / "out")
    assert caught.value.exit_code == 1 and caught.value.report.violations >= 1
    assert any("FRA-FRA" in p for p in caught.value.problems)
    assert not (root / "out").exists()


def test_a_fast_build_that_does_not_conform_stops_the_reasoner_beside_it(tmp_path, monkeypatch):
    """The reasoner starts beside validation: data that does not conform still fails the build
    with the validation's error, the reasoner is told to stop, and the build waits for it."""
    from diplograph.reasoning.fast_engine import ReasoningStopped

    root = copy_project(tmp_path / "project")
    shutil.copy(FIXTURES / "graphs" / "one-state-relationship.ttl", root / "graphs")
    seen: dict = {}
    real = build_module.reason

    def reason(assembled, engine, working=None, stop=None):
        seen["thread"] = threading.current_thread().name
        seen["stop"] = stop
        assert stop.wait(60)  # holds the reasoner until validation has failed
        try:
            return real(assembled, engine, working=working, stop=stop)
        except ReasoningStopped:
            seen["stopped"] = True
            raise

    monkeypatch.setattr(build_module, "reason", reason)
    with pytest.raises(NonConformingError):
        build(Project(root), root / "out", engine="fast")
    assert seen == {"thread": "diplograph-build", "stop": seen["stop"], "stopped": True} and seen["stop"].is_set()
    assert not (root / "out").exists()


@pytest.mark.parametrize("engine", ["reference", "fast"])  # fast: the network page is drawn in a thread beside validation
def test_build_failing_midway_leaves_no_temporary_folder(tmp_path, monkeypatch, engine):
    root = copy_project(tmp_path / "project")
    out = root / "out"
    out.mkdir()
    (out / "previous.txt").write_text("previous build", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full (simulated)")

    # Fails while files are being written, after the temporary folder exists.
    monkeypatch.setattr(build_module, "write_network_html", broken)
    with pytest.raises(RuntimeError, match="simulated"):
        build(Project(root), out, engine=engine)
    assert not list(root.glob("out.tmp-*")) and not list(root.glob("out.old-*"))
    assert snapshot(out) == {"previous.txt": b"previous build"}


def test_build_merges_every_graph_and_reconciles_other_iris(tmp_path):
    # A second relationship written with other IRIs for shared entities (a test fixture) is
    # merged by the build: its states and people are rewritten to the canonical IRIs.
    root = copy_project(tmp_path / "project")
    shutil.copy(FIXTURES / "merge" / "china-kazakhstan.ttl", root / "graphs" / "china-kazakhstan.ttl")
    report = build(Project(root), root / "out")
    merge = json.loads((root / "out" / "merge-report.json").read_text(encoding="utf-8"))
    assert report.merge is not None and report.merge.rewrites
    assert {r["to"] for r in merge["rewrites"]} >= {
        "https://w3id.org/diplograph/id/state/CHN",
        "https://w3id.org/diplograph/id/person/xi-jinping",
    }
    assert "source/china-kazakhstan" in (root / "out" / "dataset.nq").read_text(encoding="utf-8")


def test_a_fast_build_writes_what_a_reference_build_writes(built, tmp_path):
    # The fast engines run the reasoner beside the checks and queries and count triples beside
    # validation: the same files come out (the reference build's, byte for byte, but the reports
    # that name their engine and times), and no thread is left behind.
    root, reference, _ = built
    stages: list[str] = []
    fast = build(Project(root), tmp_path / "fast", progress=stages.append, engine="fast")
    assert stages == ["load", "validate", "infer", "checks", "queries", "write"]
    assert list(fast.seconds) == list(STAGES) and fast.wall_seconds < sum(fast.seconds.values()) + 1
    assert (fast.triples_asserted, fast.triples_inferred, fast.queries_run) == \
        (reference.triples_asserted, reference.triples_inferred, reference.queries_run)
    ours, theirs = snapshot(tmp_path / "fast"), snapshot(root / "out")
    for name in (n for n in theirs if n.startswith("queries/")):
        assert ours[name] == theirs[name], name
    # The same quads (in another order: a graph is dumped in the order its quads were added, and
    # the reference engine adds from a Python set); blank node labels are new on every run.
    unlabel = re.compile(rb"_:[A-Za-z0-9]+")
    assert sorted(unlabel.sub(b"_:b", ours["dataset.nq"]).splitlines()) == \
        sorted(unlabel.sub(b"_:b", theirs["dataset.nq"]).splitlines())
    # The files of the asserted graphs alone are written in a thread beside validation: the same
    # files, and the asserted graphs' dumps (joined with graph/inferred at the end) are not left.
    assert sorted(ours) == sorted(theirs)
    for name in ("network.html", "merge-report.json", "validation-report.txt"):
        assert ours[name] == theirs[name], name
    trig = [Dataset().parse(data=files["dataset.trig"].decode("utf-8"), format="trig") for files in (ours, theirs)]
    assert [sorted((str(g.identifier), len(g)) for g in d.graphs() if len(g)) for d in trig] == \
        [sorted((str(g.identifier), len(g)) for g in trig[1].graphs() if len(g))] * 2
    assert not [t for t in threading.enumerate() if t.name == "diplograph-build"]


def test_a_fast_build_with_a_failing_check_fails_on_the_check(tmp_path, monkeypatch):
    # The reasoner, running beside the checks, must neither hide their failure nor outlive the build.
    from diplograph.build import ChecksFailedError
    from diplograph.errors import UnsupportedAxiomError

    root = copy_project(tmp_path / "project")
    (root / "queries" / "checks" / "always-violation.rq").write_text(
        "#+ summary: A check that always fails (test fixture).\n#+ returns: ?s\n#+ tags: check\n"
        "#+ severity: violation\n"
        "SELECT ?s WHERE { ?s a <https://w3id.org/diplograph/ns#State> } LIMIT 1\n", encoding="utf-8")

    def refuses(*args, **kwargs):
        raise UnsupportedAxiomError("fast", ("a test axiom",))

    monkeypatch.setattr(build_module, "reason", refuses)
    with pytest.raises(ChecksFailedError):
        build(Project(root), root / "out", engine="fast")
    assert not (root / "out").exists()
    assert not [t for t in threading.enumerate() if t.name == "diplograph-build"]
    (root / "queries" / "checks" / "always-violation.rq").unlink()
    with pytest.raises(UnsupportedAxiomError):  # the plain answers were written meanwhile: none is left
        build(Project(root), root / "out", engine="fast")
    assert not (root / "out").exists() and not list(root.glob("out.tmp-*"))


def test_the_threads_of_a_fast_build_hold_their_own_inputs(tmp_path, monkeypatch):
    # build deletes its name for the working store once the reasoner's thread has it: a thread
    # that starts late must still find the store (a lambda reading the name found none).
    import time

    root = copy_project(tmp_path / "project")
    original = build_module.Beside.__init__

    def late(self, work, *, name, **options):
        if name == "diplograph-build":
            work = (lambda started: lambda: (time.sleep(0.3), started())[1])(work)
        original(self, work, name=name, **options)

    monkeypatch.setattr(build_module.Beside, "__init__", late)
    report = build(Project(root), root / "out", engine="fast")
    assert report.triples_inferred > 1000 and report.triples_asserted > 1000


@pytest.mark.parametrize("store,thread", [("memory", "diplograph-build"), ("rdflib", "MainThread")])
def test_the_asserted_graphs_files_are_written_beside_the_engines_only_on_oxigraph(tmp_path, monkeypatch, store, thread):
    # On the rdflib store the page is drawn with rdflib's SPARQL, whose parser is not safe in two
    # threads at once (a build there failed with "<lambda>() missing 1 required positional argument").
    root = copy_project(tmp_path / "project")
    seen = []
    original = build_module._write_asserted

    def recorded(*args, **kwargs):
        seen.append(threading.current_thread().name)
        return original(*args, **kwargs)

    dumps = []
    original_dump = build_module._write_dump

    def recorded_dump(*args, **kwargs):
        dumps.append(threading.current_thread().name)
        return original_dump(*args, **kwargs)

    monkeypatch.setattr(build_module, "_write_asserted", recorded)
    monkeypatch.setattr(build_module, "_write_dump", recorded_dump)
    build(Project(root), root / "out", store=store, engine="fast")
    assert seen == [thread]
    assert dumps == [thread, thread]  # and the whole dataset's two dumps, once graph/inferred is in
    assert (root / "out" / "network.html").is_file() and not list((root / "out").glob("*.asserted"))


def test_a_fast_build_adds_graph_inferred_in_its_thread_once_the_plain_queries_have_run(tmp_path, monkeypatch):
    # graph/inferred goes in while the plain answers are written; a plain query must never see it.
    root = copy_project(tmp_path / "project")
    events = []
    original_add, original_run = build_module.add_inferred, build_module.run_query

    def add(*args, **kwargs):
        events.append(("add", threading.current_thread().name))
        return original_add(*args, **kwargs)

    def run(assembled, query, **kwargs):
        events.append(("inferred" if query.needs_inference else "plain", assembled.with_inferred))
        return original_run(assembled, query, **kwargs)

    monkeypatch.setattr(build_module, "add_inferred", add)
    monkeypatch.setattr(build_module, "run_query", run)
    report = build(Project(root), root / "out", engine="fast")
    added = events.index(("add", "diplograph-build"))
    assert all(kind != "inferred" for kind, _ in events[:added])
    assert {seen for kind, seen in events if kind == "plain"} == {False}
    assert {seen for kind, seen in events if kind == "inferred"} == {True} and report.triples_inferred > 1000


def test_a_fast_build_whose_answers_cannot_be_written_reports_the_reasoners_error_first(tmp_path, monkeypatch):
    # As when the files came after the reasoner: its error is the build's, and no thread outlives it.
    from diplograph.errors import OutputPathError, UnsupportedAxiomError

    root = copy_project(tmp_path / "project")

    def refuses(*args, **kwargs):
        raise UnsupportedAxiomError("fast", ("a test axiom",))

    def full(folder, *args, **kwargs):
        raise OutputPathError(folder / "queries" / "x.csv", "No space left on device")

    monkeypatch.setattr(build_module, "reason", refuses)
    monkeypatch.setattr(build_module, "_write_answers", full)
    with pytest.raises(UnsupportedAxiomError):
        build(Project(root), root / "out", engine="fast")
    assert not (root / "out").exists() and not list(root.glob("out.tmp-*"))
    assert not [t for t in threading.enumerate() if t.name == "diplograph-build"]


def test_a_fast_build_reports_a_broken_query_file_at_the_checks_stage_and_leaves_no_thread(tmp_path):
    # The named queries are read while Oxigraph parses the files: their errors still come after validation.
    from diplograph.errors import QueryError

    root = copy_project(tmp_path / "project")
    (root / "queries" / "broken.rq").write_text("#+ summary: A broken query (test fixture).\nSELECT ?s WHERE { ?s\n",
                                                 encoding="utf-8")
    stages = []
    with pytest.raises(QueryError, match="broken.rq"):
        build(Project(root), root / "out", engine="fast", progress=stages.append)
    assert stages[-1] == "checks" and "validate" in stages
    assert not (root / "out").exists()
    assert not [t for t in threading.enumerate() if t.name == "diplograph-build"]


def test_a_fast_build_makes_the_ontology_page_while_the_files_are_parsed(project, monkeypatch):
    """With the fast engines the ontology page is made ahead, from the ontology files as the
    dataset will hold them, and written as it is: pyLODE runs once."""
    from diplograph.ontology_docs import ontology_html

    made: list[int] = []
    monkeypatch.setattr(build_module, "ontology_html", lambda graph: made.append(len(graph)) or ontology_html(graph))
    build(project, project.out_dir, engine="fast")
    assert len(made) == 1 and made[0] > 0
    assert "<html" in (project.out_dir / "ontology" / "index.html").read_text(encoding="utf-8")


def test_an_ontology_page_made_ahead_of_other_triples_is_made_again(project, monkeypatch):
    """The page made ahead is written only if it shows the triples the dataset's ontology graph
    holds: here the ontology is read ahead with one class more (as if the file changed while the
    build ran), and the page written is the dataset's, without it."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import OWL, RDF, RDFS

    from diplograph.dataset import read_ontology

    extra = URIRef("https://example.org/fixture#OnlyReadAhead")

    def read_with_one_more(found):
        graph = read_ontology(found)
        graph.add((extra, RDF.type, OWL.Class))
        graph.add((extra, RDFS.label, Literal("only read ahead")))
        return graph

    monkeypatch.setattr(build_module, "read_ontology", read_with_one_more)
    build(project, project.out_dir, engine="fast")
    page = (project.out_dir / "ontology" / "index.html").read_text(encoding="utf-8")
    assert "<html" in page and "only read ahead" not in page


def test_a_broken_ontology_file_still_fails_the_load_stage(project_dir, capsys):
    """Reading the ontology ahead does not change what a broken ontology file gives: the load
    stage's one-line error, exit 2, and no out/."""
    from diplograph.cli import main

    broken = sorted((project_dir / "ontology").glob("*.ttl"))[0]
    broken.write_text(broken.read_text(encoding="utf-8") + "\nthis is not turtle\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["build", "--engine", "fast"])
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: ontology/{broken.name}:"), err
    assert not (project_dir / "out").exists()


def test_a_fast_build_finds_the_dg_terms_the_data_uses_as_the_copy_is_made(project, monkeypatch):
    """The undeclared-term check's scans of every triple run in the thread that made the engines'
    copy of the data, during the load; validation then reports an undeclared term as it always did."""
    from diplograph.validation import project as validation_project

    graph = sorted(project.graphs_dir.glob("*.ttl"))[0]
    graph.write_text(graph.read_text(encoding="utf-8") +
                     "\n<https://w3id.org/diplograph/id/fixture/typo> a <https://w3id.org/diplograph/ns#Persn> .\n",
                     encoding="utf-8")
    scanned: list[str] = []
    real = validation_project.dg_terms_used
    monkeypatch.setattr(build_module, "dg_terms_used",
                        lambda store: scanned.append(threading.current_thread().name) or real(store))
    monkeypatch.setattr(validation_project, "dg_terms_used", lambda store: pytest.fail("scanned again"))
    with pytest.raises(NonConformingError) as failed:
        build(project, project.out_dir, engine="fast")
    assert scanned == ["diplograph-build"]
    assert any("dg:Persn is not a term of the diplograph ontology" in line for line in failed.value.problems)
