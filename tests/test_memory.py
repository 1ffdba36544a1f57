"""diplograph.memory: build pauses the cycle collector while the merge makes its objects and sets
them aside afterwards; whatever the caller had is what it has again, and nothing stays frozen."""

from __future__ import annotations

import gc

import pytest

from diplograph.memory import collection_paused, set_aside


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_inside_and_as_the_caller_had_it_after(enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        with collection_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), collection_paused():
            raise RuntimeError("a failing load")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_objects_set_aside_are_collectable_again_after_the_block():
    assert gc.get_freeze_count() == 0
    with set_aside():
        assert gc.get_freeze_count() > 0
        cycle: list = []
        cycle.append(cycle)  # made inside the block: still collected there
    assert gc.get_freeze_count() == 0

