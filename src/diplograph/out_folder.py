"""Replacing an output folder (``build``'s ``out/``) only when the new one is complete, and safely.

- :func:`staging_folder` makes the folder the new files are written into, beside the output:
  ``out.tmp-PID-XXXX``, with the user's umask (``tempfile.mkdtemp`` makes it 0700, and renamed
  into place it would stay so). First it removes what builds killed before they finished left
  behind (:func:`remove_stale`): the PID in the name says whether the build that made the folder
  is still running.
- :func:`replace_folder` swaps it in: the old folder is renamed to ``out.old-PID-XXXX``, the new
  one to ``out``, the old one deleted. A database a running ``diplograph serve`` holds inside the
  old folder (:func:`~diplograph.store.locks.held_by_server`) is neither moved nor deleted:
  then the rest of the folder is replaced around it, entry by entry.

Every failure of the file system is an :class:`~diplograph.errors.OutputPathError` naming the
path and the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from diplograph.errors import OutputPathError, display_path
from diplograph.files import current_umask
from diplograph.store.locks import LOCK_NAME, held_by_server

__all__ = ["in_use_databases", "inside", "remove_stale", "replace_folder", "staging_folder"]


def staging_folder(out: Path) -> Path:
    """A new empty folder beside ``out`` (absolute), named for this process, with the umask's mode."""
    if out.exists() and not out.is_dir():
        raise OutputPathError(out, "is a file, not a folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # a file where a parent folder should be
        raise OutputPathError(out, f"{display_path(_file_in_the_way(out))} is a file, not a folder") from None
    except OSError as exc:
        raise OutputPathError(Path(exc.filename) if exc.filename else out, exc.strerror or str(exc)) from None
    remove_stale(out)
    try:  # the error names the folder: the temporary name means nothing to the user
        tmp = Path(tempfile.mkdtemp(prefix=f"{out.name}.tmp-{os.getpid()}-", dir=out.parent))
        os.chmod(tmp, 0o777 & ~current_umask())
    except OSError as exc:
        raise OutputPathError(out.parent, exc.strerror or str(exc)) from None
    return tmp


def remove_stale(out: Path) -> list[Path]:
    """Delete the ``out.tmp-PID-*`` and ``out.old-PID-*`` folders of builds no longer running; the list.

    A killed build may have renamed the old ``out`` away without putting a new one in place: then
    that old folder becomes ``out`` again rather than being deleted.
    """
    pattern = re.compile(rf"{re.escape(out.name)}\.(tmp|old)-(\d+)-")
    removed = []
    for path in sorted(out.parent.glob(f"{out.name}.*-*-*")):
        found = pattern.match(path.name)
        if not found or not path.is_dir() or _running(int(found.group(2))):
            continue
        try:  # best effort: a folder that cannot be removed is no reason to fail the build
            if found.group(1) == "old" and not out.exists():
                os.rename(path, out)
            else:
                shutil.rmtree(path)
        except OSError:
            continue
        removed.append(path)
    return removed


def in_use_databases(out: Path) -> list[Path]:
    """The database folders inside ``out`` that a running ``diplograph serve`` holds."""
    if not out.is_dir():
        return []
    return sorted({lock.parent for lock in out.rglob(LOCK_NAME) if held_by_server(lock.parent)})


def inside(path: Path | None, out: Path) -> bool:
    """True when ``path`` lies inside the folder ``out`` (not ``out`` itself)."""
    if path is None:
        return False
    path, out = Path(path).resolve(), out.resolve()
    return path != out and path.is_relative_to(out)


def replace_folder(new: Path, out: Path, keep: list[Path] = ()) -> None:
    """Put ``new`` in place of ``out``; the folders ``keep`` (inside ``out``) stay where they are.

    With nothing to keep, two renames: ``out`` is the old folder or the new one, never a mix.
    Raises :class:`OutputPathError` (``out`` left as it was) when a kept folder is where a new
    file or folder would go.
    """
    if any(Path(k).resolve() == out.resolve() for k in keep):
        raise OutputPathError(out, "is a database in use by diplograph serve: build into another folder (--out)")
    tops = {out / Path(k).resolve().relative_to(out.resolve()).parts[0] for k in keep}
    for top in sorted(tops):
        if (new / top.name).exists():
            raise OutputPathError(top, f"holds a database in use ({_shown(keep)}) where a new file goes: "
                                  f"stop the server, or keep the database outside {out.name}/")
    if not out.exists():
        _rename(new, out)
        return
    try:
        old = Path(tempfile.mkdtemp(prefix=f"{out.name}.old-{os.getpid()}-", dir=out.parent))
    except OSError as exc:
        raise OutputPathError(out.parent, exc.strerror or str(exc)) from None
    if not tops:
        os.rmdir(old)  # only the unique name is wanted
        _rename(out, old)
        try:
            _rename(new, out)
        except BaseException:
            os.rename(old, out)
            raise
        shutil.rmtree(old, ignore_errors=True)
        return
    moved, placed = [], []
    try:
        for entry in sorted(out.iterdir()):
            if entry not in tops:
                _rename(entry, old / entry.name)
                moved.append(entry.name)
        for entry in sorted(new.iterdir()):
            _rename(entry, out / entry.name)
            placed.append(entry.name)
    except BaseException:  # put everything back: the new entries into new (deleted with it), the old ones
        for name in placed:
            os.rename(out / name, new / name)
        for name in moved:
            os.rename(old / name, out / name)
        os.rmdir(old)
        raise
    os.rmdir(new)
    shutil.rmtree(old, ignore_errors=True)


def _rename(source: Path, target: Path) -> None:
    try:
        os.rename(source, target)
    except OSError as exc:
        raise OutputPathError(target, exc.strerror or str(exc)) from None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _file_in_the_way(path: Path) -> Path:
    return next((p for p in path.parents if p.exists() and not p.is_dir()), path)


def _shown(paths) -> str:
    return ", ".join(display_path(p) for p in paths)
