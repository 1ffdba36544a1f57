"""Who may ask what: the Host check (DNS rebinding), the Origin check (request forgery) and CORS.

- **Host**: a web page can point its own host name at 127.0.0.1 (DNS rebinding) and then talk to
  the server as "same origin". So a request is answered only when its ``Host`` names this
  server: the address it was bound to, ``localhost`` when that is a loopback address, any IP
  literal when it was bound to every interface, and the names given with ``--allowed-host``.
- **Origin**: a page on another site can make the browser send a form or a ``fetch`` here.
  Anything that writes (an update, a Graph Store write) is refused when it comes from another
  origin (``Origin`` or ``Sec-Fetch-Site`` say so), and a form-encoded update, the one kind a
  page can send without the browser asking first, is refused unless its ``Origin`` is this server.
- **CORS**: other origins may read query answers only when the server was started with
  ``--cors ORIGIN``; writes are never opened to them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from diplograph.serve.protocol import Refused, Request

__all__ = ["Policy"]

_LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


@dataclass(frozen=True)
class Policy:
    """The checks for a server bound to ``host``:``port``."""

    host: str
    port: int
    allowed_hosts: tuple[str, ...] = ()
    cors: tuple[str, ...] = ()

    @property
    def _wildcard(self) -> bool:
        return self.host in ("0.0.0.0", "::", "")

    def _names(self) -> set[str]:
        names = {_normal(self.host)} | {_normal(h) for h in self.allowed_hosts}
        if _is_loopback(self.host) or self._wildcard:
            names |= {"127.0.0.1", "::1", *_LOOPBACK_NAMES}
        return names

    def host_allowed(self, name: str) -> bool:
        name = _normal(name)
        if name in self._names():
            return True
        return self._wildcard and _ip(name) is not None

    def check_host(self, request: Request) -> None:
        value = request.header("host")
        if not value:
            raise Refused(400, "the request has no Host header")
        name, port = _split_host(value)
        if name is None or (port is not None and port != self.port):
            raise Refused(400, f"Host {value!r} is not this server")
        if not self.host_allowed(name):
            raise Refused(
                400, f"Host {value!r} is not served here; a name this server answers to is added with --allowed-host",
            )

    def same_origin(self, origin: str) -> bool:
        parts = urlsplit(origin)
        try:
            port = parts.port or (80 if parts.scheme == "http" else None)
        except ValueError:
            return False
        return parts.scheme == "http" and parts.hostname is not None and port == self.port and \
            self.host_allowed(parts.hostname) and not parts.path.strip("/")

    def check_write(self, request: Request, *, form_encoded: bool) -> None:
        """Refuse a write sent from another web site, and a form-encoded one not sent from this server."""
        origin = request.header("origin")
        site = (request.header("sec-fetch-site") or "").lower()
        if origin is not None and not self.same_origin(origin):
            raise Refused(403, f"a write from another web site is refused (Origin: {origin})")
        if site in ("cross-site", "same-site"):
            raise Refused(403, f"a write from another web site is refused (Sec-Fetch-Site: {site})")
        if form_encoded and origin is None:
            raise Refused(
                403, "a form-encoded update without an Origin header is refused (a web page could send one); "
                "send it as application/sparql-update",
            )

    def cors_headers(self, request: Request) -> tuple[tuple[str, str], ...]:
        """The CORS headers for a read-only answer to ``request`` (none unless its origin was allowed)."""
        origin = request.header("origin")
        if origin is None or not self.cors:
            return ()
        if "*" in self.cors:
            return (("access-control-allow-origin", "*"),)
        if origin in self.cors:
            return (("access-control-allow-origin", origin), ("vary", "Origin"))
        return ()

    def preflight(self, request: Request, *, read_only_route: bool) -> tuple[tuple[str, str], ...]:
        """The answer's headers to a CORS preflight, or :class:`Refused`."""
        allowed = self.cors_headers(request)
        if not read_only_route or not allowed:
            raise Refused(403, "this server does not answer requests from other web sites here"
                          + ("" if read_only_route else " (writes never are)"))
        return allowed + (
            ("access-control-allow-methods", "GET, POST"),
            ("access-control-allow-headers", "Accept, Content-Type"),
            ("access-control-max-age", "600"),
        )


def _normal(name: str) -> str:
    name = name.strip().lower().rstrip(".")
    return name[1:-1] if name.startswith("[") and name.endswith("]") else name


def _ip(name: str):
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def _is_loopback(name: str) -> bool:
    address = _ip(_normal(name))
    return (address is not None and address.is_loopback) or _normal(name) in _LOOPBACK_NAMES


def _split_host(value: str) -> tuple[str | None, int | None]:
    """``"name:port"`` / ``"[v6]:port"`` -> (name, port); (None, None) when malformed."""
    value = value.strip()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None, None
        name, rest = value[1:end], value[end + 1:]
        if rest and not rest.startswith(":"):
            return None, None
        port_text = rest[1:] if rest else ""
    else:
        name, _, port_text = value.partition(":")
    if port_text:
        if not port_text.isdigit():
            return None, None
        return name, int(port_text)
    return name or None, None
