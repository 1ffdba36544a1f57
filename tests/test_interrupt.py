"""Ctrl-C stops any command with exit 130 and one line; `query --timeout S` stops a query (issue 11, item 19).

The runaway is a real one: a 4-way cross join over the seed dataset (about 7,000 triples, so some
2.4e15 rows to count), which Oxigraph evaluates without returning to Python. Before the query
was evaluated in a thread of its own, Ctrl-C was not seen until it ended (never): SIGKILL was needed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_cli
from diplograph.project import HOME_ENV

REPO = Path(__file__).resolve().parents[1]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def start(*args: str, cwd: Path, home: Path = REPO) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DIPLOGRAPH_DEBUG"}
    env[HOME_ENV] = str(home)
    return subprocess.Popen([sys.executable, "-m", "diplograph", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def load_seconds(tmp_path_factory) -> float:
    """How long the command takes to start and assemble the seed dataset here, now (the machine may be busy)."""
    started = time.monotonic()
    result = run_cli("query", "--sparql", "ASK {}", cwd=tmp_path_factory.mktemp("ask"), home=REPO)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started


def interrupt_after(process: subprocess.Popen, seconds: float) -> tuple[int, str, float]:
    """Send SIGINT after ``seconds``; (exit status, standard error, seconds from the signal to the exit)."""
    time.sleep(seconds)
    assert process.poll() is None, process.communicate()
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    try:
        _out, err = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise AssertionError("still running 15 s after Ctrl-C") from None
    return process.returncode, err, time.monotonic() - sent


@pytest.mark.parametrize("store", ["memory", "rdflib"])
def test_ctrl_c_stops_a_runaway_query(tmp_path: Path, load_seconds: float, store: str):
    process = start("query", "--store", store, "--sparql", RUNAWAY, cwd=tmp_path)
    code, err, took = interrupt_after(process, load_seconds * 1.5 + 1.5)  # well inside the query by then
    assert code == 130
    assert err.splitlines() == ["interrupted (Ctrl-C): stopped"]
    assert took < 5


def test_ctrl_c_stops_a_build_and_leaves_out_as_it_was(tmp_path: Path):
    project = tmp_path / "project"
    for part in ("ontology", "graphs", "queries"):
        shutil.copytree(REPO / part, project / part)
    process = start("build", cwd=project, home=project)
    code, err, took = interrupt_after(process, 3)
    assert code == 130 and err.splitlines() == ["interrupted (Ctrl-C): stopped"] and took < 5
    assert not (project / "out").exists() and not list(project.glob("out.*"))


@pytest.mark.parametrize("store", ["memory", "db"])
def test_timeout_stops_a_runaway_query(tmp_path: Path, load_seconds: float, store: str):
    args = ("--db", str(tmp_path / "db")) if store == "db" else ()
    started = time.monotonic()
    result = run_cli("query", "--timeout", "1", "--sparql", RUNAWAY, *args, cwd=tmp_path, home=REPO)
    took = time.monotonic() - started
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: query stopped after 1 s without an answer (--timeout 1)"]
    assert took < load_seconds * 3 + 10  # the query ran about one second, not until it ended


def test_a_query_that_finishes_in_time_is_answered(tmp_path: Path):
    result = run_cli("query", "--timeout", "60", "relations-established", "--format", "csv", cwd=tmp_path, home=REPO)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) >= 2  # the header and at least one row
