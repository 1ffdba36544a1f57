"""Helpers for tests that start a real `diplograph serve` on 127.0.0.1 (bounded waits, always stopped)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from diplograph.project import HOME_ENV

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None, timeout=20):
    """(status, body text) of one request; never raises for an HTTP error status."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def ask(base: str, query: str = "ASK { ?s ?p ?o }", timeout=20):
    return http(f"{base}/query?{urllib.parse.urlencode({'query': query})}",
                headers={"Accept": "application/sparql-results+json"}, timeout=timeout)


class Served:
    """`diplograph serve` in a subprocess on a free loopback port (``home``: the project), until :meth:`stop`."""

    def __init__(self, tmp: Path, *args: str, port: int | None = None, home: Path = ROOT) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "DIPLOGRAPH_DEBUG"}
        env[HOME_ENV] = str(home)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "diplograph", "serve", "--db", str(tmp / "db"), *args,
             *(() if "--bind" in " ".join(args) else ("--bind", f"127.0.0.1:{self.port}"))],
            cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        started = time.monotonic()
        for _ in range(300):  # bounded: 30 s
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited: {self.process.stderr.read()}")
            try:
                if ask(self.base, "ASK {}", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            self.stop()
            raise AssertionError("serve did not answer within 30 s")
        self.startup_seconds = time.monotonic() - started

    def stop(self) -> None:
        stop_process(self.process, 15)


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    """SIGTERM, and SIGKILL if ``process`` has not ended within ``timeout`` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)




class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it gets (it must get none).

    ``url`` is an address a forged request would make the server fetch; :attr:`hits` the first
    bytes of each connection received. As a context manager it stops on exit.
    """

    def __init__(self, answer: bytes | None = None) -> None:
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/x"
        self.hits: list[bytes] = []
        self.answer = answer
        self._running = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while self._running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.hits.append(conn.recv(4096))
                    if self.answer is not None:
                        conn.sendall(self.answer)
                except OSError:
                    self.hits.append(b"")

    def quiet_for(self, seconds: float = 0.5) -> bool:
        """True when no connection arrived, after waiting ``seconds`` for late ones."""
        time.sleep(seconds)
        return not self.hits

    def close(self) -> None:
        self._running = False
        self._thread.join(2)
        self.sock.close()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def raw_http(port: int, data: bytes, timeout: float = 10, read_all: bool = False) -> tuple[int | None, bytes, float]:
    """Send raw bytes to 127.0.0.1:``port``; (status or None, whole reply, seconds until the reply ended).

    Reads one response (by its Content-Length) unless ``read_all``, which reads until the server closes.
    """
    started = time.monotonic()
    reply = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                reply += chunk
                head, sep, body = reply.partition(b"\r\n\r\n")
                if sep and not read_all:
                    length = [line.split(b":", 1)[1].strip() for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:")]
                    if length and len(body) >= int(length[0]):
                        break
        except (TimeoutError, ConnectionResetError):
            pass
    status = int(reply.split()[1]) if reply.startswith(b"HTTP/1.1 ") else None
    return status, reply, time.monotonic() - started
