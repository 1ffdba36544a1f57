"""The real command line, run through its entry point, with exit codes asserted."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli, write
from diplograph import __version__

LATIN1 = '@prefix ex: <http://example.org/> .\nex:a ex:b "caf\xe9" .\n'.encode("latin-1")


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_version(tmp_path):
    result = run_cli("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"diplograph {__version__}"


def test_console_script_entry_point(project_dir):
    script = Path(sys.executable).with_name("diplograph")
    if not script.exists():
        pytest.skip("diplograph script not installed next to this interpreter")
    import subprocess

    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and __version__ in result.stdout


def test_help_explains_every_command(tmp_path):
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("validate", "summary", "reference"):
        assert command in result.stdout
        sub = run_cli(command, "--help", cwd=tmp_path)
        assert sub.returncode == 0 and len(sub.stdout) > 200


def test_validate_conforming_project(project_dir):
    result = run_cli("validate", cwd=project_dir, home=project_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-2:] == [
        "policy violations: only sh:Violation results make data non-conforming",
        "conforms: 0 violations, 0 warnings in 2 graphs (9 triples), 6 shapes",
    ]


def test_validate_violations_exit_1_with_table(project_dir):
    bad = shutil.copy(FIXTURES / "graphs" / "bad-meeting.ttl", project_dir / "graphs")
    result = run_cli("validate", cwd=project_dir, home=project_dir)
    assert result.returncode == 1, result.stderr
    assert 'dg:status is "held" or "planned".' in result.stdout
    assert "id:event/meeting/bad" in result.stdout
    assert "graphs/bad-meeting.ttl" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == (
        "does not conform: 3 violations, 1 warning in 3 graphs (14 triples), 6 shapes"
    )
    assert Path(bad).exists()


def test_validate_given_file_only(project_dir):
    result = run_cli("validate", "graphs/meeting.ttl", cwd=project_dir, home=project_dir)
    assert result.returncode == 0
    assert "in 2 graphs" in result.stdout


def test_syntax_error_names_file_and_line(project_dir):
    write(project_dir / "graphs" / "broken.ttl", "@prefix ex: <http://example.org/> .\n\nex:a ex:b .\n")
    result = run_cli("validate", cwd=project_dir, home=project_dir)
    assert_one_line_error(result, "graphs/broken.ttl:3: bad syntax")


def test_empty_file(project_dir):
    write(project_dir / "graphs" / "empty.ttl", "# nothing yet\n")
    result = run_cli("validate", "graphs/empty.ttl", cwd=project_dir, home=project_dir)
    assert_one_line_error(result, "graphs/empty.ttl: holds no triples")


def test_missing_file(project_dir):
    result = run_cli("validate", "graphs/nope.ttl", cwd=project_dir, home=project_dir)
    assert_one_line_error(result, "graphs/nope.ttl: no such file or folder")


def test_non_utf8_file(project_dir):
    write(project_dir / "graphs" / "latin1.ttl", LATIN1)
    result = run_cli("validate", "graphs/latin1.ttl", cwd=project_dir, home=project_dir)
    assert_one_line_error(result, "graphs/latin1.ttl:2:", "not UTF-8")


def test_folder_with_no_graph_files(project_dir):
    write(project_dir / "drafts" / "notes.txt", "not a graph\n")
    result = run_cli("validate", "drafts", cwd=project_dir, home=project_dir)
    assert_one_line_error(result, "drafts: folder holds no graph files")


def test_several_bad_inputs_one_line_each(project_dir):
    write(project_dir / "graphs" / "empty.ttl", "")
    result = run_cli("validate", "graphs/empty.ttl", "graphs/nope.ttl", cwd=project_dir, home=project_dir)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("error: ") for line in lines)


def test_no_project_found(tmp_path):
    result = run_cli("validate", cwd=tmp_path, home=tmp_path)
    assert_one_line_error(result, "DIPLOGRAPH_HOME", "ontology/diplograph.ttl")


def test_unknown_command_is_a_usage_error(tmp_path):
    result = run_cli("frobnicate", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_summary(project_dir):
    result = run_cli("summary", cwd=project_dir, home=project_dir)
    assert result.returncode == 0, result.stderr
    for text in ("graph:source/meeting", "graph:reference/states", "dg:Meeting", "dg:State"):
        assert text in result.stdout
    # AAA's label is in two graphs: counted once. 58 distinct triples in the files (ontology, shapes,
    # reference, source) and 6 of merge metadata (file name, checksum, prov:Entity per source graph).
    assert "graph:meta" in result.stdout and "graph:shapes" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "64 distinct triples in 5 named graphs"


def test_reference_with_missing_upstream_folder(project_dir, tmp_path):
    result = run_cli("reference", "--upstream", str(tmp_path / "nope"), cwd=project_dir, home=project_dir)
    assert_one_line_error(result, "nope: no such folder")


def test_internal_error_is_one_line_exit_3(project_dir, monkeypatch, capsys):
    import diplograph.validation.project
    from diplograph.cli import main

    def boom(*args, **kwargs):
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(diplograph.validation.project, "validate_project", boom)
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert err.strip() == "internal error: RuntimeError: something broke (set DIPLOGRAPH_DEBUG=1 for the traceback)"
