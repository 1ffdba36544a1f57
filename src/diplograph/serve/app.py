"""The HTTP front: Granian (a Rust HTTP/1.1 server, hyper underneath) calling one asyncio handler.

Granian reads requests (chunked or not), times out half-sent headers, enforces the header size
and keeps connections alive; this module adds what the endpoint needs on top, each a documented
limit: a body read deadline and size limits, the Host and Origin checks
(:mod:`~diplograph.serve.policy`), the reading of the request (:mod:`~diplograph.serve.protocol`)
and the hand-over to an engine process (:mod:`~diplograph.serve.pool`) with a deadline. Nothing
else listens: the engines talk over pipes only.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import diplograph.serve.pool as engines
from diplograph.serve.policy import Policy
from diplograph.serve.protocol import (
    FORM,
    GraphRead,
    GraphWrite,
    Page,
    Preflight,
    Query,
    Refused,
    Request,
    ServiceDescription,
    Update,
    needs_upload,
    operation_of,
)

__all__ = ["Limits", "Front"]

# Every served page: nothing may load from anywhere but this server.
_PAGE_HEADERS = (
    ("content-security-policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                                "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("cache-control", "no-cache"),
)
_PAGE_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".css": "text/css; charset=utf-8"}


@dataclass(frozen=True)
class Limits:
    """Seconds and bytes a request may take. ``timeout`` bounds a query, ``write_timeout`` an update
    or upload; ``read_timeout`` the wait for each piece of a request body."""

    timeout: float = 30.0
    write_timeout: float = 3600.0
    read_timeout: float = 10.0
    max_query_bytes: int = 16 * 2**20
    max_upload_bytes: int = 4 * 2**30
    queue_wait: float = 30.0


class Front:
    """The RSGI application: ``await front(scope, protocol)`` per request."""

    def __init__(self, pool: engines.EnginePool, policy: Policy, limits: Limits, *, allow_update: bool,
                 public_url: str, examples: list[dict] | None = None, log: bool = False) -> None:
        self.pool, self.policy, self.limits = pool, policy, limits
        self.allow_update, self.public_url, self.log = allow_update, public_url, log
        self._pages = _load_pages(examples or [])
        self._uploads = Path(tempfile.mkdtemp(prefix="diplograph-uploads-"))

    def close(self) -> None:
        shutil.rmtree(self._uploads, ignore_errors=True)

    async def __call__(self, scope, proto) -> None:
        started = time.monotonic()
        request = Request(scope.method, scope.path, scope.query_string, tuple(scope.headers.items()))
        try:
            status, headers, body = await self._answer(request, proto)
        except Refused as refused:
            status, headers, body = refused.status, refused.headers, (refused.message + "\n").encode("utf-8")
            headers = (("content-type", "text/plain; charset=utf-8"), *headers)
        except Exception as exc:  # noqa: BLE001 - one line to the client, never a traceback
            status, body = 500, f"internal error: {' '.join(str(exc).split()) or type(exc).__name__}\n".encode()
            headers = (("content-type", "text/plain; charset=utf-8"),)
            if os.environ.get("DIPLOGRAPH_DEBUG"):
                import traceback

                traceback.print_exc()
        headers = list(headers)
        if status == 204 or (request.method == "HEAD" and status < 300):
            proto.response_empty(status, headers)
        else:
            proto.response_bytes(status, headers, body)
        if self.log:
            path = request.path + (f"?{request.query_string}" if request.query_string else "")
            sys.stderr.write(f"{scope.client} {request.method} {path[:200]} {status} "
                             f"{(time.monotonic() - started) * 1000:.0f} ms\n")

    async def _answer(self, request: Request, proto) -> tuple[int, tuple, bytes]:
        self.policy.check_host(request)
        writes = request.path == "/update" or (request.path == "/store" and request.method in ("PUT", "POST", "DELETE"))
        if writes:
            if not self.allow_update:
                raise Refused(403, "this endpoint is read-only: updates and Graph Store writes are refused "
                                   "(start it with --allow-update)")
            self.policy.check_write(request, form_encoded=request.content_type == FORM)
        if needs_upload(request):
            operation = operation_of(request)
            upload = await self._receive_upload(request, proto)
            try:
                return await self._write_graph(operation, upload)
            finally:
                upload.unlink(missing_ok=True)
        body = await self._receive(request, proto, self.limits.max_query_bytes)
        operation = operation_of(request, body)
        if isinstance(operation, Page):
            return self._page(operation)
        if isinstance(operation, Preflight):
            read_only = operation.path == "/query" or (
                operation.path == "/store" and (request.header("access-control-request-method") or "") in ("GET", "HEAD")
            )
            return 204, self.policy.preflight(request, read_only_route=read_only), b""
        cors = self.policy.cors_headers(request)
        if isinstance(operation, Query):
            head = {"op": "query", "text": operation.text, "accept": operation.accept,
                    "default_graphs": operation.default_graphs, "named_graphs": operation.named_graphs}
            return await self._engine(head, self.limits.timeout, cors, what="query")
        if isinstance(operation, ServiceDescription):
            head = {"op": "service-description", "url": self.public_url, "allow_update": self.allow_update,
                    "accept": operation.accept}
            return await self._engine(head, self.limits.timeout, cors, what="query")
        if isinstance(operation, GraphRead):
            head = {"op": "graph-get", "graph": operation.graph, "accept": operation.accept}
            return await self._engine(head, self.limits.timeout, cors, what="query")
        if isinstance(operation, Update):
            return await self._engine({"op": "update", "text": operation.text}, self.limits.write_timeout, (),
                                      what="write")
        if isinstance(operation, GraphWrite):  # DELETE: no body
            return await self._engine({"op": "graph-delete", "graph": operation.graph}, self.limits.write_timeout, (),
                                      what="write")
        raise Refused(400, "this request is not understood")  # pragma: no cover - operation_of covers every route

    async def _write_graph(self, operation: GraphWrite, upload: Path) -> tuple[int, tuple, bytes]:
        head = {"op": f"graph-{operation.method.lower()}", "graph": operation.graph,
                "content_type": operation.content_type, "file": str(upload)}
        return await self._engine(head, self.limits.write_timeout, (), what="write")

    async def _engine(self, head: dict, timeout: float, extra: tuple, *, what: str) -> tuple[int, tuple, bytes]:
        try:
            answer, body = await self.pool.run(head, timeout=timeout, wait=self.limits.queue_wait)
        except engines.Overtime:
            if what == "write":
                raise Refused(503, f"the write ran longer than the {timeout:g} s write timeout of this endpoint and "
                                   "was not applied") from None
            raise Refused(503, f"query stopped: it ran longer than the {timeout:g} s timeout of this endpoint") from None
        except engines.Busy:
            raise Refused(503, "every engine of this endpoint is busy; try again", (("retry-after", "1"),)) from None
        except engines.EngineFailed as failed:
            raise Refused(500, f"the engine stopped during this request ({failed}); it has been restarted") from None
        headers = ((("content-type", answer["type"]),) if "type" in answer else ()) + extra
        return answer["status"], headers, body

    def _page(self, page: Page) -> tuple[int, tuple, bytes]:
        body = self._pages[page.name]
        return 200, (("content-type", _PAGE_TYPES[Path(page.name).suffix]), *_PAGE_HEADERS), body

    # --- request bodies ----------------------------------------------------------

    def _declared_length(self, request: Request, limit: int) -> int | None:
        value = request.header("content-length")
        if value is None:
            return None
        if not value.strip().isdigit():
            raise Refused(400, f"Content-Length {value!r} is not a number of bytes")
        length = int(value)
        if length > limit:
            raise Refused(413, f"the request body ({length} bytes) is larger than this endpoint accepts ({limit} bytes)",
                          (("connection", "close"),))
        return length

    async def _chunks(self, request: Request, proto, limit: int):
        declared = self._declared_length(request, limit)
        received = 0
        stream = proto.__aiter__()
        while True:
            try:
                chunk = await asyncio.wait_for(stream.__anext__(), self.limits.read_timeout)
            except StopAsyncIteration:
                break
            except TimeoutError:
                raise Refused(408, f"the request body did not arrive within {self.limits.read_timeout:g} s",
                              (("connection", "close"),)) from None
            except Exception:  # noqa: BLE001 - the client went away or sent a broken chunked body
                raise Refused(400, "the request body ended early or is malformed", (("connection", "close"),)) from None
            received += len(chunk)
            if received > limit:
                raise Refused(413, f"the request body is larger than this endpoint accepts ({limit} bytes)",
                              (("connection", "close"),))
            yield chunk
        if declared is not None and received != declared:
            raise Refused(400, f"the request body has {received} bytes, its Content-Length says {declared}",
                          (("connection", "close"),))

    async def _receive(self, request: Request, proto, limit: int) -> bytes:
        if request.method in ("GET", "HEAD", "OPTIONS", "DELETE") and request.header("content-length") in (None, "0") \
                and request.header("transfer-encoding") is None:
            return b""
        return b"".join([chunk async for chunk in self._chunks(request, proto, limit)])

    async def _receive_upload(self, request: Request, proto) -> Path:
        """Stream a Graph Store upload to a private file (the engine reads it from there)."""
        fd, name = tempfile.mkstemp(dir=self._uploads, suffix=".rdf")
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                async for chunk in self._chunks(request, proto, self.limits.max_upload_bytes):
                    out.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path


def _load_pages(examples: list[dict]) -> dict[str, bytes]:
    folder = resources.files("diplograph") / "templates"
    pages = {name: (folder / name).read_bytes() for name in ("query.html", "query.js", "query.css")}
    # The named queries travel inside the page as data (no script runs from it: script-src 'self').
    data = json.dumps(examples, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    pages["query.html"] = pages["query.html"].replace(b"{{EXAMPLES}}", data.encode("ascii"))
    return pages
