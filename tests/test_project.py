"""Finding the project folder and the files in it."""

from __future__ import annotations

import pytest

from diplograph.errors import ProjectNotFoundError
from diplograph.project import HOME_ENV, Project


def test_found_from_environment(project_dir):
    assert Project.find().root == project_dir


def test_found_from_current_folder_and_parents(project_dir, monkeypatch):
    monkeypatch.delenv(HOME_ENV)
    monkeypatch.chdir(project_dir / "graphs" / "reference")
    assert Project.find().root == project_dir


def test_environment_naming_a_non_project_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv(HOME_ENV, str(tmp_path))
    with pytest.raises(ProjectNotFoundError, match=HOME_ENV):
        Project.find()


def test_file_lists(project):
    assert [p.name for p in project.ontology_files] == ["diplograph.ttl"]
    assert [p.name for p in project.shapes_files] == ["violations.ttl", "warnings.ttl"]
    assert [p.name for p in project.reference_files] == ["states.ttl"]
    assert [p.name for p in project.source_files] == ["meeting.ttl"]  # not graphs/reference/*
    assert project.checks_dir == project.root / "queries" / "checks"
    assert project.out_dir == project.root / "out"


def test_sources_and_vendored_data_live_inside_the_project(project):
    assert project.sources_dir == project.root / "sources"
    assert project.upstream_reference_dir == project.root / "vendor" / "reference"
