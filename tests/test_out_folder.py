"""How ``build`` replaces out/: what killed builds leave is removed, the user's umask is kept
(issue 11, item 21), and a database a running ``diplograph serve`` holds inside out/ is never
moved or deleted (issue 11, item 7).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import run_cli
from server_util import Served, ask


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(("out.tmp-", "out.old-")))


# --- item 21: killed builds, the umask ------------------------------------------------------------


def killed_while_writing(project_dir: Path) -> Path:
    """A process that makes build's staging folder, writes into it and is killed with SIGKILL."""
    script = textwrap.dedent(f"""
        import os, signal, sys
        from pathlib import Path
        from diplograph.out_folder import staging_folder
        tmp = staging_folder(Path({str(project_dir / "out")!r}))
        (tmp / "dataset.trig").write_text("half of a dataset")
        print(tmp, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    tmp = Path(done.stdout.strip())
    assert tmp.is_dir() and tmp.name.startswith("out.tmp-")
    return tmp


def test_the_next_build_removes_what_a_killed_build_left(project_dir: Path):
    stale = killed_while_writing(project_dir)
    alive = project_dir / f"out.tmp-{os.getpid()}-running"  # a build still running (this process): kept
    alive.mkdir()
    result = run_cli("build", cwd=project_dir, home=project_dir)
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert leftovers(project_dir) == [alive.name]
    assert (project_dir / "out" / "dataset.trig").read_text() != "half of a dataset"


def test_a_killed_build_that_had_moved_out_away_gets_it_back(project_dir: Path):
    assert run_cli("build", cwd=project_dir, home=project_dir).returncode == 0
    dead = killed_while_writing(project_dir).name.split("-")[1]
    moved = project_dir / f"out.old-{dead}-x"
    os.rename(project_dir / "out", moved)  # what the killed build had done before it died
    result = run_cli("build", cwd=project_dir, home=project_dir)
    assert result.returncode == 0, result.stderr
    assert leftovers(project_dir) == [] and (project_dir / "out" / "dataset.trig").is_file()


def test_out_has_the_modes_of_the_umask(project_dir: Path):
    old = os.umask(0o027)
    try:
        result = run_cli("build", cwd=project_dir, home=project_dir)
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    out = project_dir / "out"
    assert out.stat().st_mode & 0o777 == 0o750
    assert (out / "queries").stat().st_mode & 0o777 == 0o750
    for name in ("dataset.trig", "network.html", "merge-report.json"):
        assert (out / name).stat().st_mode & 0o777 == 0o640, name


# --- item 7: a served database inside out/ --------------------------------------------------------


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_build_keeps_a_served_database_inside_out(project_dir: Path):
    assert run_cli("build", cwd=project_dir, home=project_dir).returncode == 0
    before = (project_dir / "out" / "dataset.trig").stat().st_mtime_ns
    served = Served(project_dir / "out", home=project_dir)  # serves out/db
    try:
        status, answer = ask(served.base, COUNT)
        assert status == 200
        result = run_cli("build", cwd=project_dir, home=project_dir)
        assert result.returncode == 0, result.stderr
        assert result.stderr.strip().splitlines() == [
            "note: out/db is served by diplograph serve: left as it was, the rest of out/ replaced around it"]
        assert ask(served.base, COUNT) == (status, answer)  # the same answer from the same database
        assert (project_dir / "out" / "dataset.trig").stat().st_mtime_ns != before
        assert leftovers(project_dir) == []
        again = run_cli("build", cwd=project_dir, home=project_dir)  # and a third time, the same
        assert again.returncode == 0 and ask(served.base, COUNT) == (status, answer)
    finally:
        served.stop()


def test_build_refuses_to_write_over_a_served_database(project_dir: Path):
    (project_dir / "out" / "queries").mkdir(parents=True)
    served = Served(project_dir / "out" / "queries", home=project_dir)  # out/queries/db: where build writes
    try:
        result = run_cli("build", cwd=project_dir, home=project_dir)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: out/queries: cannot write: holds a database in use"), lines
        assert ask(served.base)[0] == 200
        assert (project_dir / "out" / "queries" / "db").is_dir() and leftovers(project_dir) == []
    finally:
        served.stop()


def test_build_keeps_its_own_database_inside_out(project_dir: Path):
    for _ in range(2):
        result = run_cli("build", "--store", "oxigraph", "--db", "out/db", cwd=project_dir, home=project_dir)
        assert result.returncode == 0, result.stderr
        assert "note:" not in result.stderr
        assert (project_dir / "out" / "db").is_dir() and (project_dir / "out" / "dataset.trig").is_file()


def test_build_refuses_to_replace_out_when_out_is_the_served_database(project_dir: Path):
    served = Served(project_dir, "--db", str(project_dir / "out"), home=project_dir)  # the later --db wins
    try:
        assert (project_dir / "out" / "diplograph-serve.lock").is_file()
        result = run_cli("build", cwd=project_dir, home=project_dir)
        assert result.returncode == 2
        assert result.stderr.strip().splitlines() == [
            "error: out: cannot write: is a database in use by diplograph serve: build into another folder (--out)"]
        assert ask(served.base)[0] == 200 and leftovers(project_dir) == []
    finally:
        served.stop()
