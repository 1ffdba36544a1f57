"""An output that cannot be written is exit 2 with the path and the reason, never an internal error
(issue 11, item 20), and nothing is replaced unless every output can be written.

The environment is made to fail in ways that work as root too (root ignores file permissions): a
regular file where a folder must be, a folder where a file must be, and, in-process, a full disk
(``os.fsync`` raising ENOSPC, which has no file name: the message must supply it) and a refused
permission.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from conftest import run_cli, write


def one_error(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name or ".old-" in p.name)


@pytest.mark.parametrize("command", [("viz", "-o", "d.html"), ("merge", "graphs", "-o", "d.trig"),
                                     ("infer", "-o", "d.ttl")])
def test_output_is_a_folder(project_dir: Path, command: tuple[str, ...]):
    (project_dir / command[-1]).mkdir()
    line = one_error(run_cli(*command, cwd=project_dir, home=project_dir))
    assert line == f"error: {command[-1]}: cannot write: is a folder, not a file", line
    assert list((project_dir / command[-1]).iterdir()) == [] and leftovers(project_dir) == []


@pytest.mark.parametrize("command", [("viz", "-o", "f/x.html"), ("merge", "graphs", "-o", "f/x.trig"),
                                     ("infer", "-o", "f/x.ttl"), ("build", "--out", "f/out")])
def test_a_file_where_a_folder_must_be(project_dir: Path, command: tuple[str, ...]):
    write(project_dir / "f", "a file of the user's\n")
    line = one_error(run_cli(*command, cwd=project_dir, home=project_dir))
    assert line == f"error: {command[-1]}: cannot write: f is a file, not a folder", line
    assert (project_dir / "f").read_text() == "a file of the user's\n"


def test_build_refuses_an_out_that_is_a_file(project_dir: Path):
    write(project_dir / "out", "not a folder\n")
    line = one_error(run_cli("build", cwd=project_dir, home=project_dir))
    assert line == "error: out: cannot write: is a file, not a folder"
    assert (project_dir / "out").read_text() == "not a folder\n" and leftovers(project_dir) == []


@pytest.mark.parametrize("report", ["d", "f/report.json"])
def test_merge_replaces_nothing_when_the_report_cannot_be_written(project_dir: Path, report: str):
    (project_dir / "d").mkdir()
    write(project_dir / "f", "a file\n")
    write(project_dir / "old.trig", "the previous merge\n")
    line = one_error(run_cli("merge", "graphs", "-o", "old.trig", "--report", report, cwd=project_dir, home=project_dir))
    assert line.startswith(f"error: {report}: cannot write: "), line
    assert (project_dir / "old.trig").read_text() == "the previous merge\n"
    assert leftovers(project_dir) == []


# --- in-process: a full disk, a refused permission ------------------------------------------------


def run_main(args: list[str], capsys) -> tuple[int, str]:
    from diplograph.cli import main

    with pytest.raises(SystemExit) as info:
        main(args)
    return info.value.code, capsys.readouterr().err


def disk_full(*_args):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as write() raises it: no file name


@pytest.mark.parametrize("command,path", [(["build"], "out/dataset.trig"), (["viz", "-o", "n.html"], "n.html"),
                                          (["merge", "graphs", "-o", "m.trig"], "m.trig"),
                                          (["infer", "-o", "i.ttl"], "i.ttl")])
def test_a_full_disk_names_the_file(project_dir: Path, monkeypatch, capsys, command: list[str], path: str):
    assert run_main(["build"], capsys)[0] == 0
    before = {p.name: p.read_bytes() for p in (project_dir / "out").iterdir() if p.is_file()}
    monkeypatch.setattr(os, "fsync", disk_full)
    code, err = run_main(command, capsys)
    assert code == 2, err
    assert err.strip().splitlines() == [f"error: {path}: cannot write: No space left on device"]
    assert {p.name: p.read_bytes() for p in (project_dir / "out").iterdir() if p.is_file()} == before
    assert not (project_dir / path).exists() or path.startswith("out/")
    assert leftovers(project_dir) == []


def test_a_full_disk_while_the_whole_dataset_is_dumped_names_that_file(project_dir: Path, monkeypatch, capsys):
    """The dumps of the whole dataset are written in threads of their own once the inferred graph is
    in (the fast engines): a full disk there names the file, and leaves out/ as it was."""
    assert run_main(["build"], capsys)[0] == 0
    before = {p.name: p.read_bytes() for p in (project_dir / "out").iterdir() if p.is_file()}
    real_fsync = os.fsync

    def full_for_the_whole_nquads(fd):
        if os.readlink(f"/proc/self/fd/{fd}").endswith("/dataset.nq"):  # not the .asserted part
            disk_full()
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_for_the_whole_nquads)
    code, err = run_main(["build", "--engine", "fast"], capsys)
    assert code == 2, err
    assert err.strip().splitlines() == ["error: out/dataset.nq: cannot write: No space left on device"]
    assert {p.name: p.read_bytes() for p in (project_dir / "out").iterdir() if p.is_file()} == before
    assert leftovers(project_dir) == []


def test_a_refused_permission_when_out_is_swapped_names_out(project_dir: Path, monkeypatch, capsys):
    assert run_main(["build"], capsys)[0] == 0
    real_rename = os.rename

    def refuse(source, target):
        if Path(source).name.startswith("out.tmp-") and Path(target).name == "out":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(source))
        return real_rename(source, target)

    monkeypatch.setattr(os, "rename", refuse)
    code, err = run_main(["build"], capsys)
    assert code == 2
    assert err.strip().splitlines() == ["error: out: cannot write: Permission denied"]
    assert (project_dir / "out" / "dataset.trig").is_file() and leftovers(project_dir) == []


def test_any_other_environment_error_is_exit_2_with_its_path(project_dir: Path, monkeypatch, capsys):
    import diplograph.build

    def refuse(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(project_dir / "somewhere"))

    monkeypatch.setattr(diplograph.build, "build", refuse)
    code, err = run_main(["build"], capsys)
    assert (code, err.strip()) == (2, "error: somewhere: Permission denied")
