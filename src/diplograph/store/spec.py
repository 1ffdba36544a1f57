"""Which store holds the dataset: a :class:`StoreSpec` names a kind and its location."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from diplograph.endpoint import DEFAULT_TIMEOUT, Endpoint
from diplograph.errors import StoreChoiceError

__all__ = ["ALL_STORES", "DEFAULT_STORE", "STORES", "StoreSpec", "store_spec"]

#: Every store kind.
ALL_STORES: tuple[str, ...] = ("memory", "rdflib", "oxigraph", "sparql")
#: The kinds that need no location (in memory): what tests loop over to compare engines.
STORES: tuple[str, ...] = ("memory", "rdflib")
DEFAULT_STORE = "memory"


@dataclass(frozen=True)
class StoreSpec:
    """Which store to use and where it is: ``kind`` (one of :data:`ALL_STORES`), ``db`` for
    ``oxigraph``, ``endpoint`` (and optionally ``update_endpoint``, ``gsp_endpoint``, and the
    ``user`` and ``password`` to authenticate with; see :meth:`Credentials.find
    <diplograph.endpoint.Credentials.find>` for where else they come from) for ``sparql``.

    Build one with :func:`store_spec`, which checks the combination.
    ``str(spec)`` is the kind, so code that prints or compares the store name keeps working.
    """

    kind: str = DEFAULT_STORE
    db: Path | None = None
    endpoint: str | None = None
    update_endpoint: str | None = None
    gsp_endpoint: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    def __str__(self) -> str:
        return self.kind

    @property
    def persistent(self) -> bool:
        """True when the data outlives the process (on disk or on a server)."""
        return self.kind in ("oxigraph", "sparql")

    def endpoint_urls(self) -> Endpoint:
        """The :class:`~diplograph.endpoint.Endpoint` of a ``sparql`` spec."""
        if self.endpoint is None:
            raise StoreChoiceError("needs-location", "sparql", "endpoint")
        return Endpoint.from_url(self.endpoint, update=self.update_endpoint, gsp=self.gsp_endpoint, timeout=self.timeout,
                                 user=self.user, password=self.password)


def store_spec(
    store: str | StoreSpec | None = None,
    db: Path | str | None = None,
    endpoint: str | None = None,
    *,
    update_endpoint: str | None = None,
    gsp_endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    user: str | None = None,
    password: str | None = None,
) -> StoreSpec:
    """Check and combine a store kind, a database folder and an endpoint URL into a :class:`StoreSpec`.

    ``store=None`` means: ``oxigraph`` if ``db`` is given, ``sparql`` if ``endpoint`` is, else
    ``memory``. Raises :class:`~diplograph.errors.StoreChoiceError` for an unknown kind,
    ``oxigraph`` without ``db``, ``sparql`` without ``endpoint``, or a location given to a store
    that does not take it. ``user`` and ``password`` are kept only for ``sparql`` (they may come
    from the environment, set for another command).
    """
    if isinstance(store, StoreSpec):
        return store
    if store is None:
        store = "oxigraph" if db is not None else "sparql" if endpoint is not None else DEFAULT_STORE
    if store not in ALL_STORES:
        raise StoreChoiceError("unknown-kind", store, choices=ALL_STORES)
    if store == "oxigraph" and db is None:
        raise StoreChoiceError("needs-location", store, "db")
    if store == "sparql" and endpoint is None:
        raise StoreChoiceError("needs-location", store, "endpoint")
    if db is not None and store != "oxigraph":
        raise StoreChoiceError("location-not-used", store, "db")
    if endpoint is not None and store != "sparql":
        raise StoreChoiceError("location-not-used", store, "endpoint")
    return StoreSpec(
        kind=store,
        db=Path(db) if db is not None else None,
        endpoint=endpoint,
        update_endpoint=update_endpoint,
        gsp_endpoint=gsp_endpoint,
        timeout=timeout,
        user=user if store == "sparql" else None,
        password=password if store == "sparql" else None,
    )
