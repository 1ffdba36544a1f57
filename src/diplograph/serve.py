"""Serve the dataset as a SPARQL endpoint, and push it to one.

:func:`prepare_db` loads the project (ontology, shapes, reference and source
graphs) into an Oxigraph database folder (default ``out/oxigraph``); graphs
already there that did not come from files, such as ``graph/inferred``
written by ``infer --db``, stay. :class:`SparqlServer` then runs Oxigraph's
own server (``oxigraph serve-read-only``, or ``oxigraph serve`` with
``allow_update``) from the ``oxigraph`` package on a private loopback port
with ``--union-default-graph``, and puts a small reverse proxy in front of it
on the public address (default ``127.0.0.1:7878``). The proxy exists because
Oxigraph 0.5.13's server, measured here, cannot be made safe by flags alone:

- its ``--timeout-s`` did not stop a 4-way cross join (still running after
  30 s) nor a streaming ``SELECT *`` (179 MB sent in 8 s), and where it does
  stop a query (a property path) the client gets status 200 and a body cut
  short by "The SPARQL operation has been cancelled". The proxy gives
  each request a deadline; past it the client gets ``503`` with a one-line
  reason and the Oxigraph process is killed and restarted, because closing
  the connection does not stop the work (other requests in flight at that
  moment fail with ``503`` too);
- it evaluates ``SERVICE <http://other-host/…>`` by making that request
  itself (server-side request forgery). The proxy refuses (``403``) every
  query or update that uses ``SERVICE``;
- updates (``/update``, form field ``update=``) and Graph Store Protocol
  writes (``PUT``/``POST``/``DELETE``) are refused (``403``) unless
  ``allow_update``; read-only mode also runs Oxigraph read-only.

The query UI is Oxigraph's YASGUI page at ``/``; its script and style sheet
are served by Oxigraph itself, so it works offline.

Uploading the dataset to a server is :mod:`diplograph.push`.
"""

from __future__ import annotations

import gc
import http.client
import http.server
import math
import queue
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from rdflib import URIRef

from diplograph.dataset import assemble
from diplograph.errors import BadValueError, UsageError
from diplograph.iris import graph_iri
from diplograph.project import Project
from diplograph.store import StoreSpec, flush, graph_sizes, remove_graph

__all__ = [
    "DEFAULT_BIND",
    "DEFAULT_TIMEOUT",
    "SparqlServer",
    "default_db",
    "find_service",
    "oxigraph_executable",
    "parse_bind",
    "prepare_db",
]

DEFAULT_BIND = "127.0.0.1:7878"
#: Seconds a query may run before the server stops it.
DEFAULT_TIMEOUT = 30.0
#: Largest answer the proxy passes on (it buffers answers to enforce the deadline).
MAX_ANSWER_BYTES = 256 * 1024 * 1024
_READY_TRIES = 150  # x 0.1 s
# What Oxigraph appends to an answer its own --timeout-s cut short (the status is already 200 then).
_CANCELLED = b"The SPARQL operation has been cancelled"
_SERVICE = re.compile(r"(?<![\w:?$@.-])SERVICE(?![\w:-])\s*(?:SILENT\s*)?(<[^>]*>|[?$]\w+|[\w-]*:[\w.-]*)?", re.I)
# Parts of SPARQL text where the word SERVICE means nothing: comments, strings, IRIs.
_INERT = re.compile(r'#[^\n]*|"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>')


def default_db(project: Project) -> Path:
    """Where ``serve`` keeps its database unless told: ``out/oxigraph``."""
    return project.out_dir / "oxigraph"


def oxigraph_executable() -> str:
    """Path of the ``oxigraph`` command (the ``oxigraph`` PyPI package), beside this Python first."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise UsageError("the `oxigraph` server command is not installed; run: pip install oxigraph")
    return found


def parse_bind(bind: str) -> tuple[str, int]:
    """``"host:port"`` (or ``"[::1]:port"``) -> ``(host, port)``; a UsageError if malformed."""
    match = re.fullmatch(r"\[([0-9a-fA-F:.]+)\]:(\d+)|([^:\[\]]+):(\d+)", bind.strip())
    if not match:
        raise BadValueError("bind", bind, f"expected HOST:PORT, e.g. {DEFAULT_BIND}")
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4))
    if not 0 <= port <= 65535:
        raise BadValueError("bind", bind, "port must be 0-65535")
    return host, port


def find_service(sparql: str) -> str | None:
    """The target of the first ``SERVICE`` clause in a query or update (``"<iri>"``, a variable…), else None.

    Comments, string literals and IRIs are ignored, so ``"SERVICE"`` in a
    literal or ``ex:service`` does not count.
    """
    masked = _INERT.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1]
                        if m.group(0).startswith("<") else " " * len(m.group(0)), sparql)
    match = _SERVICE.search(masked)
    if not match:
        return None
    if match.group(1):
        start, end = match.span(1)
        return sparql[start:end]
    return "(unknown)"


# --- loading the database ---------------------------------------------------------


def prepare_db(
    project: Project, db: Path, files: Sequence[Path | str] | None = None, infer: bool = False, engine: str = "reference"
) -> dict[URIRef, int]:
    """Assemble the project's dataset (:func:`diplograph.dataset.assemble`) in the Oxigraph folder
    ``db`` and close it; return triples per named graph that the server will serve.

    With ``infer`` the OWL-RL entailments are computed into ``graph/inferred``; without it an
    inferred graph left in the folder by an earlier run is dropped, so the server answers from
    exactly the dataset every other command sees.
    """
    assembled = assemble(project, files, store=StoreSpec(kind="oxigraph", db=Path(db)), infer=infer, engine=engine)
    if not infer:
        remove_graph(assembled.dataset, graph_iri("inferred"))
    view = set(assembled.view)
    counts = {name: n for name, n in graph_sizes(assembled.dataset).items() if name in view}
    flush(assembled.dataset)
    del assembled
    gc.collect()  # drop the last reference to the store: releases the folder's lock for the server
    return dict(sorted(counts.items()))


# --- the server ------------------------------------------------------------------


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class _Upstream:
    """The Oxigraph server process on a private loopback port; restartable."""

    def __init__(self, db: Path, allow_update: bool, timeout: float) -> None:
        self.db, self.allow_update, self.timeout = Path(db), allow_update, timeout
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.lock = threading.Lock()
        self.generation = 0
        self._restarts: queue.Queue = queue.Queue()
        self._supervisor: threading.Thread | None = None

    def start(self) -> None:
        self.port = _free_loopback_port()
        mode = "serve" if self.allow_update else "serve-read-only"
        command = [
            oxigraph_executable(), mode, "--location", str(self.db), "--bind", f"127.0.0.1:{self.port}",
            "--union-default-graph", "--timeout-s", str(math.ceil(self.timeout)),
        ]
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        for _ in range(_READY_TRIES):
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode("utf-8", "replace") if self.process.stderr else ""
                raise UsageError(f"the Oxigraph server on {self.db} stopped at start: {' '.join(err.split())[:300]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/query?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
                if conn.getresponse().status == 200:
                    conn.close()
                    self.generation += 1
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise UsageError(f"the Oxigraph server on {self.db} did not answer within {_READY_TRIES / 10:g} s")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def restart(self, seen_generation: int) -> None:
        """Kill and restart, unless another thread already did since ``seen_generation``.

        The new process is started from one long-lived supervisor thread, not
        from the request's thread: Linux's parent-death signal (which stops
        Oxigraph if diplograph dies) fires when the *thread* that started the
        child ends.
        """
        done = threading.Event()
        with self.lock:
            if self._supervisor is None:
                self._supervisor = threading.Thread(target=self._supervise, name="oxigraph-supervisor", daemon=True)
                self._supervisor.start()
        self._restarts.put((seen_generation, done))
        done.wait(timeout=_READY_TRIES / 10 + 15)

    def _supervise(self) -> None:
        while True:
            seen_generation, done = self._restarts.get()
            try:
                if self.generation == seen_generation:
                    if self.process is not None and self.process.poll() is None:
                        self.process.kill()
                        self.process.wait(timeout=10)
                    self.process = None
                    self.start()
            except Exception:  # noqa: BLE001 - keep supervising; requests see 503 until a start works
                pass
            finally:
                done.set()


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class _Proxy(http.server.BaseHTTPRequestHandler):
    server_version = "diplograph-serve"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the body waits for the
    # client's delayed ACK of the headers: about 40 ms added to every answer.
    disable_nagle_algorithm = True
    config: SparqlServer  # set on the subclass made per server

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._refuse(405, "PATCH is not supported")

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet unless asked
        if self.config.log:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _handle(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._refuse(400, "bad Content-Length")
        if length > MAX_ANSWER_BYTES:
            return self._refuse(413, "request body too large")
        body = self.rfile.read(length) if length else b""
        try:
            self._check(body)
        except _Refused as refused:
            return self._refuse(refused.status, refused.message)
        self._forward(body)

    def _check(self, body: bytes) -> None:
        """Refuse updates (unless allowed), GSP writes (unless allowed) and SERVICE."""
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        texts: list[str] = list(params.get("query", [])) + list(params.get("update", []))
        is_update = url.path.rstrip("/").endswith("/update") or "update" in params
        if content_type == "application/x-www-form-urlencoded" and body:
            form = parse_qs(body.decode("utf-8", "replace"))
            texts += form.get("query", []) + form.get("update", [])
            is_update = is_update or "update" in form
        elif content_type in ("application/sparql-query", "application/sparql-update"):
            texts.append(body.decode("utf-8", "replace"))
            is_update = is_update or content_type == "application/sparql-update"
        is_graph_write = self.command in ("PUT", "DELETE") or (
            self.command == "POST" and not texts and not url.path.rstrip("/").endswith(("/query", "/sparql"))
        )
        if (is_update or is_graph_write) and not self.config.allow_update:
            what = "SPARQL UPDATE" if is_update else f"{self.command} to the graph store"
            raise _Refused(403, f"{what} is refused: this endpoint is read-only (start it with --allow-update)")
        for text in texts:
            target = find_service(text)
            if target is not None:
                raise _Refused(
                    403,
                    f"SERVICE {target} is refused: this endpoint does not run federated queries "
                    "(they would make the server fetch other hosts)",
                )

    def _forward(self, body: bytes) -> None:
        upstream = self.config.upstream
        generation, port = upstream.generation, upstream.port
        deadline = time.monotonic() + self.config.timeout
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "keep-alive")}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=self.config.timeout)
        try:
            conn.request(self.command, self.path, body=body or None, headers=headers)
            conn.sock.settimeout(max(0.05, deadline - time.monotonic()))
            response = conn.getresponse()
            chunks, size = [], 0
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                conn.sock.settimeout(remaining)
                chunk = response.read1(65536) if self.command != "HEAD" else b""
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    conn.close()
                    upstream.restart(generation)
                    return self._refuse(
                        503, f"the answer is larger than {MAX_ANSWER_BYTES // 2**20} MB; add a LIMIT or narrow the query"
                    )
                chunks.append(chunk)
        except TimeoutError:
            conn.close()
            upstream.restart(generation)  # the only way to stop Oxigraph working on it
            return self._refuse(
                503, f"query stopped: it ran longer than the {self.config.timeout:g} s timeout of this endpoint"
            )
        except OSError:
            conn.close()
            return self._refuse(503, "the SPARQL engine restarted (another query timed out); try again")
        finally:
            conn.close()
        data = b"".join(chunks)
        if data.rstrip().endswith(_CANCELLED):  # Oxigraph's own timeout: a 200 answer cut short
            return self._refuse(
                503, f"query stopped: it ran longer than the {self.config.timeout:g} s timeout of this endpoint"
            )
        self.send_response(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length", "keep-alive", "server"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _refuse(self, status: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class _ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _ThreadingServer6(_ThreadingServer):
    address_family = socket.AF_INET6


class SparqlServer:
    """Oxigraph's server on ``db`` behind the checking proxy on ``bind``.

    Use :meth:`start`, then :meth:`serve_forever` (blocks) and :meth:`stop`
    (also on errors), or the object as a context manager.
    """

    def __init__(
        self,
        db: Path,
        bind: str = DEFAULT_BIND,
        allow_update: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        log: bool = False,
    ) -> None:
        if timeout <= 0:
            raise BadValueError("timeout", timeout, "must be a positive number of seconds")
        self.host, self.port = parse_bind(bind)
        self.allow_update, self.timeout, self.log = allow_update, float(timeout), log
        self.upstream = _Upstream(Path(db), allow_update, self.timeout)
        self._httpd: http.server.HTTPServer | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> SparqlServer:
        handler = type("Proxy", (_Proxy,), {"config": self})
        server_class = _ThreadingServer6 if ":" in self.host else _ThreadingServer
        try:
            self._httpd = server_class((self.host, self.port), handler)
        except OSError as exc:
            raise UsageError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from None
        self.port = self._httpd.server_address[1]
        try:
            self.upstream.start()
        except BaseException:
            self._httpd.server_close()
            raise
        return self

    def serve_forever(self) -> None:
        assert self._httpd is not None, "call start() first"
        self._httpd.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        """Make :meth:`serve_forever`, running in another thread, return."""
        if self._httpd is not None:
            self._httpd.shutdown()

    def stop(self) -> None:
        """Close the listening socket and stop the Oxigraph process (safe to call twice)."""
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.server_close()
        self.upstream.stop()

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
