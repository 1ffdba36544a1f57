"""Work in a daemon thread of its own while the caller goes on or waits: :class:`Beside`.

Oxigraph evaluates without holding Python's lock, so its work can use a second core (``build``)
or leave the calling thread free to take a signal at once (``run_query``). Daemon threads: an
interrupted command exits at once instead of waiting for an engine that cannot be told to stop.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

__all__ = ["Beside", "in_order", "workers"]

T = TypeVar("T")
R = TypeVar("R")


class Beside:
    """``work()`` started in a daemon thread called ``name``.

    :meth:`wait` waits (at most ``timeout`` seconds; False if it has not ended), :meth:`result`
    returns its value or raises its exception. ``on_done`` is given the seconds it took. With
    ``frames=False`` an exception loses its traceback (and those it chains) before it leaves the
    thread: the frames hold the engine's result objects, which pyoxigraph only lets the thread that
    made them free ("unsendable, but is being dropped on another thread").
    """

    def __init__(self, work: Callable[[], object], *, name: str, on_done: Callable[[float], None] | None = None,
                 frames: bool = True) -> None:
        self._outcome: dict = {}
        self._done = threading.Event()

        def run() -> None:
            started = time.perf_counter()
            try:
                self._outcome["value"] = work()
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread as it is
                self._outcome["error"] = exc if frames else _without_frames(exc)
            finally:
                if on_done is not None:
                    on_done(time.perf_counter() - started)
                self._done.set()

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def join(self) -> None:
        """Wait for the thread itself to end: then what ``work`` held (its arguments) is freed too."""
        self._thread.join()

    def result(self):
        self._done.wait()
        if "error" in self._outcome:
            raise self._outcome["error"]
        return self._outcome["value"]


def _without_frames(exc: BaseException) -> BaseException:
    """``exc`` and the exceptions it chains, without tracebacks."""
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
    return exc


def workers(most: int = 2) -> int:
    """How many threads to give work that Oxigraph evaluates: the cores Python may use, at most ``most``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(most, cores))


def in_order(work: Callable[[T], R], items: Sequence[T], *, threads: int, name: str) -> list[R]:
    """``[work(item) for item in items]``, computed by ``threads`` daemon threads taking the next
    item as they get free; the results in the order of ``items``.

    For work that spends its time inside Oxigraph (which lets go of Python's lock), on several
    cores. An error stops the threads taking new items; once all have ended, the error of the
    first item that failed is raised. One thread, or one item: no thread at all.
    """
    items = list(items)
    if threads <= 1 or len(items) <= 1:
        return [work(item) for item in items]
    results: list = [None] * len(items)
    errors: dict[int, BaseException] = {}
    taken = iter(range(len(items)))
    lock = threading.Lock()

    def run() -> None:
        while True:
            with lock:
                index = None if errors else next(taken, None)
            if index is None:
                return
            try:
                results[index] = work(items[index])
            except BaseException as exc:  # noqa: BLE001 - raised in the calling thread below
                with lock:
                    errors[index] = exc

    running = [Beside(run, name=name) for _ in range(min(threads, len(items)))]
    for thread in running:
        thread.wait()
    if errors:
        raise errors[min(errors)]
    return results
