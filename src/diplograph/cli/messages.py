"""How the command line words the library's errors: the only place errors become sentences with options.

The library raises typed errors carrying the facts (a path, a parameter, a store kind); the same
error can come from different commands, so only here, knowing the command line's option names,
is it said which option to use. Anything not listed is shown as the error itself words it.
"""

from __future__ import annotations

from diplograph.cli.options import PASSWORD_ENV
from diplograph.errors import (
    BadValueError,
    CredentialsError,
    DiplographError,
    EndpointError,
    InputErrors,
    MissingGraphsError,
    OutputExistsError,
    QueryTimeoutError,
    RefusedSparqlError,
    StoreChoiceError,
    StoreLocationError,
    UnknownEngineError,
    UnsafeInputError,
    UnsupportedAxiomError,
)
from diplograph.loading import ALLOW_CONTEXTS_ENV

__all__ = ["OPTION_OF", "problems"]

#: Library parameter -> the command-line option that sets it.
OPTION_OF: dict[str, str] = {
    "until": "--until",
    "radius": "--radius",
    "source_title": "--source-title",
    "source_url": "--source-url",
    "bind": "--bind",
    "timeout": "--timeout",
    "write_timeout": "--write-timeout",
    "read_timeout": "--read-timeout",
    "engines": "--engines",
    "cors": "--cors",
    "db": "--db",
    "endpoint": "--endpoint",
}


def problems(err: DiplographError) -> tuple[str, ...]:
    """One line per problem of ``err``, in the command line's words."""
    if isinstance(err, InputErrors):  # each one worded as it would be alone
        return tuple(line for one in err.errors for line in problems(one))
    if isinstance(err, StoreChoiceError):
        return (_store_choice(err),)
    if isinstance(err, BadValueError):
        return (f"{OPTION_OF.get(err.parameter, err.parameter)} {err.value!r}: {err.expected}",)
    if isinstance(err, OutputExistsError):
        return (f"{err}; pass --force to overwrite it",)
    if isinstance(err, StoreLocationError) and err.in_use:
        return (f"{err} (a running `diplograph serve`?); stop it, or query it through --endpoint",)
    if isinstance(err, RefusedSparqlError) and err.feature in ("SERVICE", "unchecked"):
        return (f"{err}; pass --allow-service to run it" + (" unchecked" if err.feature == "unchecked" else ""),)
    if isinstance(err, UnsafeInputError):
        return (_unsafe_input(err),)
    if isinstance(err, QueryTimeoutError):
        return (f"{err} (--timeout {err.seconds:g})",)
    if isinstance(err, MissingGraphsError):
        return (f"{err}; upload them with `diplograph push --endpoint {err.url}`",)
    if isinstance(err, UnsupportedAxiomError):
        return tuple(f"the {err.engine} reasoner does not compile {axiom}; use --engine reference" for axiom in err.axioms)
    if isinstance(err, UnknownEngineError):
        return (f"--engine {err.engine!r}: choose one of {', '.join(err.choices)}",)
    if isinstance(err, CredentialsError) and err.problem == "no-password":
        return (f"{err}; set {PASSWORD_ENV}, pass --password, or add a ~/.netrc entry for the host",)
    if isinstance(err, EndpointError) and err.status == 401:
        return (f"{err}; give the user with --user and its password in {PASSWORD_ENV}, --password or ~/.netrc",)
    return err.problems


def _unsafe_input(err: UnsafeInputError) -> str:
    if err.feature == "json-ld-context":
        return f"{err}; write the context into the file, or set {ALLOW_CONTEXTS_ENV}=1 to let it be fetched"
    return f"{err}; write the values out in full, or convert the file to Turtle"


def _store_choice(err: StoreChoiceError) -> str:
    if err.problem == "unknown-kind":
        return f"--store {err.kind!r}: choose one of {', '.join(err.choices)}"
    option = OPTION_OF.get(err.location or "", err.location)
    if err.problem == "needs-location":
        what = "PATH (a folder for the Oxigraph database)" if err.location == "db" else "URL (the SPARQL query service)"
        return f"--store {err.kind} needs {option} {what}"
    return f"{option} is only used with --store {'oxigraph' if err.location == 'db' else 'sparql'}, not --store {err.kind}"
