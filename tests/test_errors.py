"""The error hierarchy: documented, exported, and one line per problem."""

from __future__ import annotations

import inspect

import diplograph.errors as errors
from diplograph.errors import DiplographError, EmptyInputError, InputError, InputErrors, ParseError, UsageError


def test_every_exported_error_is_in_the_documented_hierarchy():
    classes = [n for n in errors.__all__ if inspect.isclass(getattr(errors, n))]
    assert classes, "nothing exported"
    for name in classes:
        assert issubclass(getattr(errors, name), DiplographError)
        assert f" {name} " in errors.__doc__.replace("\n", " "), f"{name} missing from the module docstring"


def test_all_lists_exactly_the_public_names():
    public = {n for n, v in vars(errors).items() if not n.startswith("_") and getattr(v, "__module__", None) == errors.__name__}
    assert set(errors.__all__) == public


def test_exit_codes():
    assert InputError("x").exit_code == 2
    assert UsageError("x").exit_code == 2


def test_parse_error_format(tmp_path):
    err = ParseError(tmp_path / "a.ttl", 7, "bad\n  syntax")
    assert str(err) == f"{tmp_path / 'a.ttl'}:7: bad syntax"
    assert str(ParseError(tmp_path / "a.ttl", None, "bad")) == f"{tmp_path / 'a.ttl'}: bad"


def test_grouped_errors_give_one_problem_each(tmp_path):
    group = InputErrors([ParseError(tmp_path / "a.ttl", 1, "x"), EmptyInputError(tmp_path, "y")])
    assert len(group.problems) == 2
