"""The lock a running server holds on its Oxigraph database folder, so nothing rewrites it underneath.

RocksDB locks a database only while a process has it open for writing; ``diplograph serve``
opens it read-only (several engine processes at once), which takes no lock. Without one of our
own, ``build`` or ``infer --db`` could delete or rewrite a folder a server is reading, which
Oxigraph calls undefined behaviour (measured: every later request failed). So the server holds an
exclusive ``flock`` on :data:`LOCK_NAME` in the folder for as long as it runs, and every
read-write open checks it first (:func:`held_by_server`). The lock is the kernel's: it goes when
the process does, even on SIGKILL, so a crashed server never leaves a stale one.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from diplograph.errors import StoreLocationError

__all__ = ["LOCK_NAME", "ServerLock", "held_by_server"]

#: The file in a database folder a running server keeps locked.
LOCK_NAME = "diplograph-serve.lock"
# Folders this process holds, with how many ServerLocks hold each: its own server may still write
# them (``serve`` loads, then serves), and a second lock here on the same folder shares the first.
_HELD_HERE: dict[Path, list] = {}


def held_by_server(folder: Path | str) -> bool:
    """True when a running ``diplograph serve`` in another process holds the database in ``folder``."""
    if Path(folder).resolve() in _HELD_HERE:
        return False
    path = Path(folder) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


class ServerLock:
    """The exclusive lock on ``folder``'s :data:`LOCK_NAME`, from :meth:`acquire` to :meth:`release`.

    :meth:`acquire` raises :class:`~diplograph.errors.StoreLocationError` (``in_use``) when
    another server holds it.
    """

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self._held = False

    def acquire(self) -> ServerLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        key = self.folder.resolve()
        if key in _HELD_HERE:
            _HELD_HERE[key][1] += 1
            self._held = True
            return self
        fd = os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreLocationError(self.folder, "is in use by another process", in_use=True) from None
        _HELD_HERE[key] = [fd, 1]
        self._held = True
        return self

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        key = self.folder.resolve()
        entry = _HELD_HERE.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] == 0:
            del _HELD_HERE[key]
            os.close(entry[0])  # closing the descriptor releases the flock

    def __enter__(self) -> ServerLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
