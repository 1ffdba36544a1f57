"""A local TCP listener that records every connection: proof that a command sent, or did not send, a request."""

from __future__ import annotations

import socket
import threading


class Listener:
    """Accepts connections on 127.0.0.1 (a free port) in a thread and records each; use as a context manager.

    ``url`` is an address to put in a query or a document. Each connection is read for up to
    0.2 s (what arrived is kept in ``received``) and closed without an answer.
    """

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.1)
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="listener", daemon=True)

    @property
    def connections(self) -> int:
        return len(self.received)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._socket.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.2)
                try:
                    data = conn.recv(4096)
                except OSError:
                    data = b""
                self.received.append(data)

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._socket.close()
