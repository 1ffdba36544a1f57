"""diplograph.threads.in_order: work spread over threads, results (and errors) in the items' order."""

from __future__ import annotations

import threading
import time

import pytest

from diplograph.threads import in_order, workers


def test_results_come_in_the_order_of_the_items_whatever_order_they_end_in():
    def slow_first(n: int) -> int:
        time.sleep(0.02 if n % 3 == 0 else 0)  # later items end before earlier ones
        return n * n

    assert in_order(slow_first, range(20), threads=3, name="t") == [n * n for n in range(20)]


def test_the_work_runs_in_as_many_threads_as_asked():
    names: set[str] = set()
    both = threading.Barrier(2, timeout=5)  # each of two threads must get one item at the same time

    def note(n: int) -> int:
        names.add(threading.current_thread().name)
        if n < 2:
            both.wait()
        return n

    assert in_order(note, range(6), threads=2, name="pool") == list(range(6))
    assert names == {"pool"}  # the threads' name, and not the caller's thread


def test_one_thread_or_one_item_runs_in_the_calling_thread():
    here = threading.current_thread()
    seen = []
    in_order(lambda n: seen.append(threading.current_thread()), range(3), threads=1, name="t")
    in_order(lambda n: seen.append(threading.current_thread()), [0], threads=4, name="t")
    assert seen == [here] * 4


def test_the_error_of_the_first_failing_item_is_raised():
    def fail_on_odd(n: int) -> int:
        if n % 2:
            time.sleep(0.05 if n == 1 else 0)  # item 3 fails first in time; item 1 is first in order
            raise ValueError(f"item {n}")
        return n

    with pytest.raises(ValueError, match="item 1"):
        in_order(fail_on_odd, range(4), threads=4, name="t")


def test_after_an_error_no_new_item_is_started():
    started = []

    def fail_first(n: int) -> int:
        started.append(n)
        if n == 0:
            raise RuntimeError("first")
        time.sleep(0.05)
        return n

    with pytest.raises(RuntimeError):
        in_order(fail_first, range(50), threads=2, name="t")
    assert len(started) < 5


def test_workers_is_at_least_one_and_at_most_what_is_asked():
    assert 1 <= workers() <= 2
    assert workers(1) == 1


def test_join_waits_until_what_the_work_held_is_freed():
    import functools
    import gc
    import weakref

    from diplograph.threads import Beside

    class Held:
        pass

    held = Held()
    gone = weakref.ref(held)
    done = Beside(functools.partial(lambda h: 1, held), name="t")
    del held
    assert done.result() == 1
    done.join()
    gc.collect()
    assert gone() is None
