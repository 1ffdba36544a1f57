"""Take the network away from an engine process, so no query can make it fetch anything.

Oxigraph evaluates ``SERVICE <url>`` and ``LOAD <url>`` by making the request itself (measured:
a listener on 127.0.0.1 received both). The front refuses them from a parse of the text
(:mod:`diplograph.sparql_guard`); this is the second wall, for whatever a parser might miss: on
Linux an engine moves into a new user and network namespace of its own at start, where no
interface but a down loopback exists and every connection fails with "Network is unreachable".
It needs unprivileged user namespaces (on by default in Debian and Ubuntu); where the kernel
refuses, :func:`isolate_network` says why and the server reports it at start.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

__all__ = ["die_with_parent", "isolate_network"]

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def isolate_network() -> str | None:
    """Move this (single-threaded) process into an empty network namespace: None, or why not."""
    if not sys.platform.startswith("linux"):
        return f"network namespaces need Linux, not {sys.platform}"
    try:
        if _libc().unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
            return f"the kernel refused a new network namespace: {os.strerror(ctypes.get_errno())}"
    except (OSError, AttributeError) as exc:
        return f"cannot call unshare(): {exc}"
    return None


def die_with_parent() -> None:
    """Ask Linux to kill this process when the one that started it ends (even by SIGKILL)."""
    if sys.platform.startswith("linux"):
        try:
            _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
