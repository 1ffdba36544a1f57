"""A recording HTTP proxy for tests, in front of a real SPARQL server (a test double, not a server of its own).

:class:`RecordingProxy` listens on a free 127.0.0.1 port in a thread of the test process and
forwards every request to ``upstream`` (a running ``diplograph serve``), keeping what it saw:
method, path, headers and body of every request (:attr:`requests`). Optionally it behaves like
the servers the tests are about:

- ``basic_auth=(user, password)``: requests without those HTTP Basic credentials get ``401``
  with ``WWW-Authenticate: Basic`` (and the request is not forwarded);
- ``cap_rows=N``: answers are cut to ``N`` rows (SPARQL JSON bindings) or ``N`` triples
  (N-Triples lines), as Virtuoso's ``ResultSetMaxRows`` does; with ``cap_header`` a cut SELECT
  answer carries Virtuoso's ``X-SPARQL-MaxRows: N`` header, without it nothing says so.
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Seen:
    """One request the proxy received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        """The body's fields, for a form-encoded request (else empty)."""
        if self.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return urllib.parse.parse_qs(self.body.decode("utf-8"))
        return {}

    @property
    def writes(self) -> bool:
        """Whether this request asks the server to change data (an update, a Graph Store write)."""
        return self.path.startswith("/update") or (self.path.startswith("/store") and self.method != "GET") or \
            "update" in self.form


class RecordingProxy:
    def __init__(self, upstream: str, *, basic_auth: tuple[str, str] | None = None, cap_rows: int | None = None,
                 cap_header: bool = False) -> None:
        self.upstream = upstream.rstrip("/")
        self.requests: list[Seen] = []
        self.basic_auth, self.cap_rows, self.cap_header = basic_auth, cap_rows, cap_header
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output clean
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                proxy.requests.append(seen)
                if proxy.basic_auth is not None and not proxy._authorised(seen):
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="test"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status, headers, answer = proxy._forward(seen)
                answer, headers = proxy._cap(answer, headers)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _authorised(self, seen: Seen) -> bool:
        user, password = self.basic_auth
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        return seen.headers.get("authorization") == expected

    def _forward(self, seen: Seen) -> tuple[int, dict[str, str], bytes]:
        headers = {k: v for k, v in seen.headers.items() if k in ("content-type", "accept")}
        if "origin" in seen.headers:  # as a reverse proxy maps its own origin to the server's
            headers["origin"] = self.upstream.rstrip("/")
        req = urllib.request.Request(self.upstream + seen.path, data=seen.body or None, method=seen.method,
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                return response.status, {"Content-Type": response.headers.get("Content-Type", "")}, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, {"Content-Type": exc.headers.get("Content-Type", "text/plain")}, exc.read()

    def _cap(self, body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
        if self.cap_rows is None:
            return body, headers
        media = headers.get("Content-Type", "").split(";")[0].strip()
        if media == "application/sparql-results+json":
            results = json.loads(body)
            bindings = results.get("results", {}).get("bindings")
            if bindings is not None and len(bindings) >= self.cap_rows:
                results["results"]["bindings"] = bindings[: self.cap_rows]
                if self.cap_header:
                    headers = {**headers, "X-SPARQL-MaxRows": str(self.cap_rows)}
                return json.dumps(results).encode(), headers
        elif media == "application/n-triples":
            lines = [line for line in body.split(b"\n") if line.strip()]
            return b"\n".join(lines[: self.cap_rows]) + b"\n", headers
        return body, headers

    @property
    def writes(self) -> list[Seen]:
        return [r for r in self.requests if r.writes]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
