"""Reading and writing files safely: never a half-written output, always a named bad byte.

Every command that writes a file goes through :func:`write_atomically` (a temporary file in the
same folder, then an atomic rename), so an interrupted run leaves the previous file intact.
:func:`decode_utf8` names the line and column of the first byte that is not UTF-8, for the
typed errors of the modules that read user files.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO
from pathlib import Path

from diplograph.errors import OutputPathError, display_path

__all__ = ["NotUtf8", "atomic_text_file", "current_umask", "decode_utf8", "write_all_atomically", "write_atomically"]


def write_atomically(path: Path | str, content: str | bytes, *, mode: int | None = None) -> Path:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a rename.

    Text is written as UTF-8 with ``\\n`` line ends. ``mode`` (default: what ``open`` would give,
    0666 less the umask) is applied before the rename: mkstemp creates files readable by their
    owner only, and outputs are meant to be shared as the user's umask says.
    """
    return write_all_atomically([(path, content)], mode=mode)[0]


def write_all_atomically(outputs: list[tuple[Path | str, str | bytes]], *, mode: int | None = None) -> list[Path]:
    """Write several files so that none is replaced unless all of them can be written.

    Every content goes to a temporary file beside its target first; only when all are on disk
    are they renamed into place. A target that is a folder, or a folder that cannot be written,
    is an :class:`~diplograph.errors.OutputPathError` naming it, and then no target is changed
    and no temporary file is left.
    """
    targets = [Path(path) for path, _content in outputs]
    if mode is None:
        mode = 0o666 & ~current_umask()
    for path in targets:  # a rename onto a folder fails only at the end: refuse before writing anything
        if path.is_dir():
            raise OutputPathError(path, "is a folder, not a file")
        in_the_way = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if in_the_way is not None:  # mkdir would say "File exists"
            raise OutputPathError(path, f"{display_path(in_the_way)} is a file, not a folder")
    staged: list[tuple[str, Path]] = []
    try:
        for path, (_, content) in zip(targets, outputs, strict=True):
            current = path
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                data = content.encode("utf-8") if isinstance(content, str) else content
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
                staged.append((tmp, path))
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, mode)
            except OSError as exc:
                raise OutputPathError(current, exc.strerror or str(exc)) from None
        for tmp, path in staged:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OutputPathError(path, exc.strerror or str(exc)) from None
    except BaseException:
        for tmp, _path in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    return [path for _tmp, path in staged]


def current_umask() -> int:
    """The process's umask (the bits taken away from the mode of each new file)."""
    mask = os.umask(0)  # the only way to read it
    os.umask(mask)
    return mask


@contextmanager
def atomic_text_file(path: Path | str, *, mode: int | None = None) -> Iterator[TextIO]:
    """A text file to write in pieces (UTF-8, ``\\n`` line ends) that replaces ``path`` only when the block ends well.

    For outputs too large to hold in memory (an import of a million events): the content streams
    to a temporary file beside ``path``, renamed onto it at the end; on any error, Ctrl-C included,
    the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputPathError(path, "is a folder, not a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputPathError(path, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~current_umask() if mode is None else mode)  # the user's umask, as open() would
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputPathError(path, exc.strerror or str(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class NotUtf8(Exception):
    """The first byte that is not UTF-8: its value and its 1-based line and column."""

    byte: int
    line: int
    column: int

    def __str__(self) -> str:
        return f"byte 0x{self.byte:02x} at line {self.line}, column {self.column} is not UTF-8"


def decode_utf8(data: bytes) -> str:
    """Decode ``data`` as UTF-8 (a leading byte-order mark dropped), or raise :class:`NotUtf8`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise NotUtf8(data[exc.start], line, column) from None
    return text.removeprefix("\ufeff")
