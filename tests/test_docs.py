"""Everything a user can run is documented: every command in the README, every command and
option with help text, every named query with a summary."""

from __future__ import annotations

from pathlib import Path

import typer.main

from diplograph.cli.app import _register_commands, app
from diplograph.queries import list_queries

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands():
    _register_commands()
    group = typer.main.get_command(app)
    return group.commands


def test_there_are_commands_to_document():
    assert len(_commands()) >= 12


def test_every_command_is_in_the_readme():
    missing = [name for name in _commands() if f"diplograph {name}" not in README]
    assert missing == []


def test_every_command_and_option_has_help():
    for name, command in _commands().items():
        assert (command.help or "").strip(), f"{name} has no help text"
        for param in command.params:
            if param.param_type_name == "option" and param.name not in ("help",):
                assert (getattr(param, "help", "") or "").strip(), f"{name} {param.opts} has no help"


def test_every_named_query_has_a_summary_and_columns():
    queries = list_queries(ROOT / "queries")
    assert len(queries) >= 20
    for query in queries:
        assert query.summary and query.returns, query.name
