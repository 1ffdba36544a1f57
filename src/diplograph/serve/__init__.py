"""Serve the dataset as a SPARQL 1.1 endpoint that is safe to leave running.

:func:`prepare_db` loads the project (ontology, shapes, reference and source graphs) into an
Oxigraph database folder (default ``.diplograph/serve-db``, outside ``out/`` which ``build``
rewrites). :class:`SparqlServer` then answers on one public address only:

- an HTTP front (:mod:`~diplograph.serve.app`, on Granian) that reads each request once
  (:mod:`~diplograph.serve.protocol`), checks its Host and Origin (:mod:`~diplograph.serve.policy`)
  and hands exactly what it read to
- engine processes (:mod:`~diplograph.serve.pool`, :mod:`~diplograph.serve.engine`) running
  Oxigraph on the database, over pipes: no private port exists to walk around the checks. Each
  engine parses every query and update before running it and refuses ``SERVICE`` (and ``LOAD``
  unless allowed); on Linux it also has no network at all (:mod:`~diplograph.serve.sandbox`). A
  request past its deadline has its engine killed and replaced; the other engines go on.

While it runs, the server holds a lock on the folder (:mod:`diplograph.store.locks`), so
``build``, ``infer --db`` or another server refuse to rewrite it. The query page at ``/`` is the
server's own, with everything it needs; it asks nothing of any other host.

Uploading the dataset to a server is :mod:`diplograph.push`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import re
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rdflib import URIRef

from diplograph.errors import BadValueError, UsageError
from diplograph.project import Project

__all__ = [
    "DEFAULT_BIND",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WRITE_TIMEOUT",
    "DEFAULT_READ_TIMEOUT",
    "SparqlServer",
    "default_db",
    "parse_bind",
    "prepare_db",
]

DEFAULT_BIND = "127.0.0.1:7878"
#: Seconds a query may run before the server stops it.
DEFAULT_TIMEOUT = 30.0
#: Seconds an update or a Graph Store upload may run (a million triples take about ten).
DEFAULT_WRITE_TIMEOUT = 3600.0
#: Seconds the server waits for a request's headers, and for each part of its body.
DEFAULT_READ_TIMEOUT = 10.0
_LISTEN_BACKLOG = 4096


def default_db(project: Project) -> Path:
    """Where ``serve`` keeps its database unless told: ``.diplograph/serve-db`` in the project
    (not under ``out/``, which every ``build`` replaces)."""
    return project.root / ".diplograph" / "serve-db"


def parse_bind(bind: str) -> tuple[str, int]:
    """``"host:port"`` (or ``"[::1]:port"``) -> ``(host, port)``; a BadValueError if malformed."""
    match = re.fullmatch(r"\[([0-9a-fA-F:.]+)\]:(\d+)|([^:\[\]]+):(\d+)", bind.strip())
    if not match:
        raise BadValueError("bind", bind, f"expected HOST:PORT, e.g. {DEFAULT_BIND}")
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4))
    if not 0 <= port <= 65535:
        raise BadValueError("bind", bind, "port must be 0-65535")
    return host, port


def prepare_db(
    project: Project, db: Path, files: Sequence[Path | str] | None = None, infer: bool = False, engine: str = "reference"
) -> dict[URIRef, int]:
    """Assemble the project's dataset (:func:`diplograph.dataset.assemble`) in the Oxigraph folder
    ``db`` and close it; return triples per named graph that the server will serve.

    With ``infer`` the OWL-RL entailments are computed into ``graph/inferred``; without it an
    inferred graph left in the folder by an earlier run is dropped, so the server answers from
    exactly the dataset every other command sees. Raises
    :class:`~diplograph.errors.StoreLocationError` when another server holds ``db``.
    """
    from diplograph.dataset import assemble
    from diplograph.iris import graph_iri
    from diplograph.store import StoreSpec, flush, graph_sizes, remove_graph

    assembled = assemble(project, files, store=StoreSpec(kind="oxigraph", db=Path(db)), infer=infer, engine=engine)
    if not infer:
        remove_graph(assembled.dataset, graph_iri("inferred"))
    view = set(assembled.view)
    counts = {name: n for name, n in graph_sizes(assembled.dataset).items() if name in view}
    flush(assembled.dataset)
    del assembled
    gc.collect()  # drop the last reference to the store: releases RocksDB's lock for the engines
    return dict(sorted(counts.items()))


def named_query_examples(project: Project) -> list[dict]:
    """The project's named queries as the query page lists them (name, summary, text)."""
    from diplograph.queries import list_queries

    try:
        return [{"name": q.name, "summary": q.summary, "text": q.text} for q in list_queries(project.queries_dir)]
    except Exception:  # noqa: BLE001 - a broken query file must not stop the server; `query --list` reports it
        return []


class SparqlServer:
    """The endpoint for the Oxigraph database ``db`` on ``bind``.

    :meth:`run` serves in the calling thread until :meth:`stop` (or SIGINT/SIGTERM in the main
    thread); :meth:`start` serves from a background thread and returns once requests are answered.
    ``engines`` is how many read-only engine processes answer queries (default: one per core, at
    most four); with ``allow_update`` there is one, writable. ``allowed_hosts`` are further host
    names the server answers to; ``cors`` origins whose pages may read query answers.
    """

    def __init__(
        self,
        db: Path,
        bind: str = DEFAULT_BIND,
        *,
        allow_update: bool = False,
        allow_load: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        write_timeout: float = DEFAULT_WRITE_TIMEOUT,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        engines: int | None = None,
        allowed_hosts: Sequence[str] = (),
        cors: Sequence[str] = (),
        examples: list[dict] | None = None,
        log: bool = False,
    ) -> None:
        from diplograph.serve.app import Limits

        for name, value in (("timeout", timeout), ("write_timeout", write_timeout), ("read_timeout", read_timeout)):
            if not value > 0:
                raise BadValueError(name, value, "must be a positive number of seconds")
        if allow_load and not allow_update:
            raise UsageError("LOAD is an update: --allow-load needs --allow-update")
        if engines is not None and engines < 1:
            raise BadValueError("engines", engines, "must be at least 1")
        for origin in cors:
            if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
                raise BadValueError("cors", origin, "expected an origin such as https://example.org, or *")
        self.db = Path(db)
        self.host, self.port = parse_bind(bind)
        self.allow_update, self.allow_load, self.log = allow_update, allow_load, log
        self.limits = Limits(timeout=float(timeout), write_timeout=float(write_timeout),
                             read_timeout=float(read_timeout))
        self.engines = engines or min(4, os.cpu_count() or 1)
        self.allowed_hosts, self.cors = tuple(allowed_hosts), tuple(cors)
        self.examples = examples or []
        self.sandboxed: bool | None = None
        self.why_not_sandboxed: str | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self.pool = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # --- running -----------------------------------------------------------------

    def run(self, on_ready: Callable[[SparqlServer], None] | None = None) -> None:
        """Serve until stopped; raises :class:`~diplograph.errors.UsageError` if it cannot start."""
        from diplograph.store.locks import ServerLock

        with ServerLock(self.db):
            asyncio.run(self._main(on_ready))
        if self._failure is not None:
            raise self._failure

    def start(self) -> SparqlServer:
        """Serve from a background thread; return once the server answers (or raise why it cannot)."""
        self._thread = threading.Thread(target=self._run_quietly, name="diplograph-serve", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._failure is not None:
            self._thread.join(10)
            raise self._failure
        return self

    def stop(self) -> None:
        """Stop serving (from any thread; safe to call twice)."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stop.set)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(30)

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _run_quietly(self) -> None:
        try:
            self.run()
        except BaseException as exc:  # noqa: BLE001 - handed to start()
            self._failure = exc
        finally:
            self._ready.set()

    async def _main(self, on_ready) -> None:
        from granian.constants import HTTPModes, Interfaces
        from granian.http import HTTP1Settings
        from granian.log import LogLevels
        from granian.server.embed import Server

        from diplograph.serve.app import Front
        from diplograph.serve.policy import Policy
        from diplograph.serve.pool import EnginePool, EngineStartError

        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        self.port = _claim_port(self.host, self.port)
        self.pool = EnginePool(self.db, size=self.engines, writable=self.allow_update, allow_load=self.allow_load)
        try:
            await self.pool.start()
        except EngineStartError as exc:
            self._failure = UsageError(str(exc))
            return
        self.sandboxed, self.why_not_sandboxed = self.pool.sandboxed, self.pool.why_not_sandboxed
        front = Front(self.pool, Policy(self.host, self.port, self.allowed_hosts, self.cors), self.limits,
                      allow_update=self.allow_update, public_url=self.url, examples=self.examples, log=self.log)
        server = Server(
            front, address=self.host, port=self.port, interface=Interfaces.RSGI, http=HTTPModes.http1,
            websockets=False, backlog=_LISTEN_BACKLOG, runtime_threads=1,
            http1_settings=HTTP1Settings(header_read_timeout=max(1, int(self.limits.read_timeout * 1000)),
                                         keep_alive=True),
            log_enabled=bool(os.environ.get("DIPLOGRAPH_DEBUG")), log_level=LogLevels.warning,
        )
        serving = asyncio.get_running_loop().create_task(server.serve())
        signals = _stop_on_signals(self._stop)
        try:
            if not await _answering(self.host, self.port, serving):
                self._failure = UsageError(f"cannot listen on {self.host}:{self.port}")
                return
            if on_ready is not None:
                on_ready(self)
            self._ready.set()
            await self._stop.wait()
        finally:
            for sig in signals:
                asyncio.get_running_loop().remove_signal_handler(sig)
            server.stop()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(serving, 10)
            await self.pool.close()
            front.close()


def _claim_port(host: str, port: int) -> int:
    """Check that ``host``:``port`` can be listened on (a free one for port 0) before Granian binds it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        return probe.getsockname()[1]


async def _answering(host: str, port: int, serving: asyncio.Task) -> bool:
    """Wait (bounded) until the port accepts connections; False if the server task ended first."""
    target = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if serving.done():
            return False
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(target, port), 1)
            writer.close()
            return True
        except (OSError, TimeoutError):
            await asyncio.sleep(0.05)
    return False


def _stop_on_signals(stop: asyncio.Event) -> list[int]:
    """SIGINT and SIGTERM set ``stop`` (only possible in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return []
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return [signal.SIGINT, signal.SIGTERM]
